"""A query worker: a child process that keeps the store's live generation open and answers
jobs sent through a pipe, one at a time.

The process opens the store once and again only when `CURRENT` (or a remote store's pointer
graph) names another generation, so a request costs a query, not a store opening. It can be
killed at any moment (pyoxigraph cannot cancel a query, nor a remote server's): it writes
nothing, and the readers' lock it holds is released by the system.
Queries go through `queries.run.prepare` and `run_on`, the CLI's path, with its safety checks.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

from rdflib.term import Node

from citykg.errors import CityKGError
from citykg.queries.results import QueryResult, render
from citykg.queries.run import ErrorPayload, error_payload, prepare, run_on
from citykg.queries.safety import Dataset
from citykg.rdf.formats import ExportFormat, ResultFormat
from citykg.rdf.serialize import serialize_graph
from citykg.serve.live_store import LiveStore, generation_of
from citykg.store.remote.locator import RemoteLocation


@dataclass(frozen=True)
class Job:
    """One query to answer: a catalog query by `name` with its `params` (bound as the CLI binds
    them), or SPARQL `text` with `bindings` given by the server's own code (never by a
    client). `rows` / `graph` say how to write an answer of rows or of a graph (None: that
    kind is not acceptable); with neither, the QueryResult itself comes back."""

    text: str | None = None
    name: str | None = None
    params: tuple[tuple[str, str], ...] = ()
    bindings: tuple[tuple[str, Node], ...] = ()
    include_inferred: bool = True
    dataset: Dataset | None = None
    rows: ResultFormat | None = None
    graph: ExportFormat | None = None
    max_results: int | None = None

    @property
    def wants_result(self) -> bool:
        return self.rows is None and self.graph is None


@dataclass(frozen=True)
class Answer:
    """What a worker answered: the generation it read, and the written answer (`body` in
    `fmt`) or, for a job that wants it, the `result`. `fmt` is None when the answer is of a
    kind the job has no format for (the client's Accept: 406)."""

    generation: str
    body: bytes = b""
    fmt: ResultFormat | ExportFormat | None = None
    result: QueryResult | None = field(default=None, compare=False)
    #: whether the server's cache gave it (no query ran)
    from_cache: bool = field(default=False, compare=False)


#: what the worker sends back: ("ok", Answer), ("error", ErrorPayload) or ("bug", traceback)
Reply = tuple[str, Answer | ErrorPayload | str]


def answer_job(opened: LiveStore, job: Job) -> Answer:
    """Run one job on the store and write its answer."""
    if job.name is not None:
        text, bindings = prepare(name=job.name, params=dict(job.params))
    else:
        text, bindings = job.text or "", dict(job.bindings)
    store = opened.get()
    result = run_on(
        store,
        text,
        bindings,
        include_inferred=job.include_inferred,
        dataset=job.dataset,
        max_results=job.max_results,
        trusted=job.name is not None,  # a catalog query, as the CLI runs it
    )
    generation = generation_of(store)
    if job.wants_result:
        return Answer(generation, result=result)
    if result.graph is not None:
        if job.graph is None:
            return Answer(generation)
        return Answer(generation, serialize_graph(result.graph, job.graph), job.graph)
    if job.rows is None:
        return Answer(generation)
    return Answer(generation, render(result, job.rows).encode("utf-8"), job.rows)


def main(connection: Connection, location: Path | RemoteLocation) -> None:
    """The worker's loop (the target of its process): a job in, a reply out, until the pipe closes."""
    opened = LiveStore(location)
    connection.send(("ready", None))
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):
            return
        reply: Reply
        try:
            reply = ("ok", answer_job(opened, job))
        except CityKGError as exc:
            reply = ("error", error_payload(exc))
        except Exception:  # a bug: the server reports it (500) and goes on
            reply = ("bug", traceback.format_exc())
        connection.send(reply)
