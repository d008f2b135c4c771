"""A citykg server for tests: uvicorn in a thread on a free loopback port, stopped afterwards."""

from __future__ import annotations

import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from citykg import Store
from citykg.serve.config import Limits, ServeConfig
from citykg.serve.server import uvicorn_config


@dataclass
class Running:
    url: str
    config: ServeConfig
    server: uvicorn.Server
    #: the store served: a folder, or a remote store's URL or config file
    store: Path | str


@contextmanager
def running(
    store: Path | str, *, path: str = "", limits: Limits | None = None, **settings: Any
) -> Iterator[Running]:
    """A server over `store` (at http://127.0.0.1:PORT/`path`) until the block ends."""
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    url = f"http://127.0.0.1:{port}/{path}"
    config = Store(store).server(port=port, base_url=url, **settings)
    if limits is not None:
        config = ServeConfig(**{**config.__dict__, "limits": limits})
    server = uvicorn.Server(uvicorn_config(config))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 90
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield Running(url, config, server, store)
    finally:
        server.should_exit = True
        thread.join(30)
        listener.close()
        assert not thread.is_alive(), "the server did not stop"


@contextmanager
def client_for(store: Path | str, **settings: Any) -> Iterator[tuple[Running, httpx.Client]]:
    """A server over `store` (as `running`) and an HTTP client of its URL, until the block ends."""
    with running(store, **settings) as served, httpx.Client(base_url=served.url, timeout=60) as http:
        yield served, http


@dataclass
class Command:
    """A `citykg serve` process: the line it printed first (its URL), and `get` that waits
    for it to answer."""

    process: subprocess.Popen[str]
    printed: str

    def get(self, url: str, **options: Any) -> httpx.Response:
        """GET `url` once the server answers (within 60 s)."""
        deadline = time.monotonic() + 60
        while True:
            try:
                return httpx.get(url, timeout=30, **options)
            except httpx.TransportError:
                assert self.process.poll() is None, "the server ended"
                assert time.monotonic() < deadline, "the server did not answer"
                time.sleep(0.2)


@contextmanager
def serve_command(args: list[str], env: dict[str, str] | None = None) -> Iterator[Command]:
    """`args` (a `citykg serve` command line) run until the block ends, then stopped with
    Ctrl-C (SIGINT), which must end it with exit 0."""
    process = subprocess.Popen(args, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert process.stderr is not None
        yield Command(process, process.stderr.readline())
        process.send_signal(signal.SIGINT)
        assert process.wait(30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        if process.stderr is not None:
            process.stderr.close()
