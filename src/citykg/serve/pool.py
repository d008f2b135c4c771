"""A pool of query worker processes (worker.py) for an asyncio server.

A request takes an idle worker (waiting for one up to a limit of its own), sends it a job and
waits for the reply without blocking the event loop (the pipe's file descriptor is watched).
When the query's time limit passes first, that worker is killed and a fresh one started in
its place, so a runaway query costs one worker for a moment while the others go on answering.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

from citykg.errors import QueryTimeout
from citykg.queries.run import error_from
from citykg.serve.worker import Answer, Job, main
from citykg.store.remote.locator import RemoteLocation

log = logging.getLogger("citykg.serve")

#: seconds a new worker may take to start (import citykg) before it counts as broken
STARTUP_SECONDS = 60.0


class WorkerFailed(RuntimeError):
    """A worker died or hit a bug; the text says what happened."""


class PoolBusy(QueryTimeout):
    """Every worker stayed busy for the whole time limit."""


class _Worker:
    def __init__(self, process: BaseProcess, connection: Connection) -> None:
        self.process = process
        self.connection = connection

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.connection.close()


def _settle(ready: asyncio.Future[None]) -> None:
    if not ready.done():
        ready.set_result(None)


class QueryPool:
    """`size` worker processes over the store at `location`."""

    def __init__(self, location: Path | RemoteLocation, size: int) -> None:
        self.location = location
        self.size = size
        self._context = multiprocessing.get_context("spawn")
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._all: set[_Worker] = set()
        self._starting: set[asyncio.Task[None]] = set()
        self._closed = False

    async def start(self) -> None:
        """Start every worker and wait until each is ready."""
        await asyncio.gather(*(self._add() for _ in range(self.size)))

    async def close(self) -> None:
        self._closed = True
        for task in list(self._starting):
            task.cancel()
        for worker in list(self._all):
            worker.kill()
        await asyncio.gather(*(asyncio.to_thread(w.process.join, 5) for w in self._all))
        self._all.clear()

    async def run(self, job: Job, *, timeout: float, wait: float) -> Answer:
        """The worker's answer to `job` within `timeout` seconds of its start (QueryTimeout
        otherwise), after at most `wait` seconds waiting for a free worker (PoolBusy).

        :raises CityKGError: what the query raised in the worker (a QueryError...).
        :raises WorkerFailed: when the worker died or hit a bug.
        """
        try:
            worker = await asyncio.wait_for(self._idle.get(), wait)
        except TimeoutError:
            raise PoolBusy(
                f"every query worker ({self.size}) stayed busy for {wait:g} s",
                hint="try again in a moment",
            ) from None
        try:
            worker.connection.send(job)
            status, payload = await asyncio.wait_for(self._reply(worker), timeout)
        except TimeoutError:
            self._replace(worker)
            raise QueryTimeout(
                f"the query did not finish within {timeout:g} s and was stopped",
                hint="narrow it (a LIMIT, a more specific pattern)",
            ) from None
        except BaseException:  # the request was cancelled, or the worker died: start another
            self._replace(worker)
            raise
        if status == "bug":
            self._replace(worker)
            raise WorkerFailed(f"the query worker failed:\n{payload}")
        self._idle.put_nowait(worker)
        if status == "error":
            raise error_from(payload)  # type: ignore[arg-type]
        assert isinstance(payload, Answer)
        return payload

    async def _reply(self, worker: _Worker) -> tuple[str, object]:
        loop = asyncio.get_running_loop()
        ready: asyncio.Future[None] = loop.create_future()
        fd = worker.connection.fileno()
        loop.add_reader(fd, _settle, ready)
        try:
            await ready
        finally:
            loop.remove_reader(fd)
        try:
            reply: tuple[str, object] = worker.connection.recv()
        except (EOFError, OSError) as exc:
            raise WorkerFailed("the query worker ended without an answer") from exc
        return reply

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        self._all.discard(worker)
        asyncio.get_running_loop().run_in_executor(None, worker.process.join, 5)
        if not self._closed:
            task = asyncio.ensure_future(self._add())
            self._starting.add(task)
            task.add_done_callback(self._started)

    def _started(self, task: asyncio.Task[None]) -> None:
        self._starting.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error(
                "a query worker could not be replaced (%s); %d are left", task.exception(), len(self._all)
            )

    async def _add(self) -> None:
        receiver, sender = self._context.Pipe(duplex=True)
        process = self._context.Process(target=main, args=(sender, self.location), daemon=True)
        process.start()
        sender.close()
        worker = _Worker(process, receiver)
        self._all.add(worker)
        try:
            status, _ = await asyncio.wait_for(self._reply(worker), STARTUP_SECONDS)
        except (TimeoutError, WorkerFailed) as exc:
            worker.kill()
            self._all.discard(worker)
            raise WorkerFailed("a query worker did not start") from exc
        except asyncio.CancelledError:
            worker.kill()
            self._all.discard(worker)
            raise
        if status != "ready":
            worker.kill()
            raise WorkerFailed(f"a query worker said {status!r} on starting")
        with contextlib.suppress(RuntimeError):
            self._idle.put_nowait(worker)
