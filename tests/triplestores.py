"""Real triplestores for the tests: Oxigraph server (`oxigraph serve`, the PyPI package
`oxigraph`, a dev dependency) started on a free loopback port with its own database folder.

Fixtures (import them into a test module: `from triplestores import store_location`):
`store_location` is, in turn, an embedded store folder and the query URL of a fresh Oxigraph
server (`sparql+http://127.0.0.1:PORT/query`); `StoreUnderTest` says which and gives its
server's plain HTTP address to look behind citykg's back.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

OXIGRAPH = Path(sys.executable).parent / "oxigraph"
_START_SECONDS = 30.0


@dataclass(frozen=True)
class StoreUnderTest:
    """What `--store` is given (`location`), and for a server its HTTP address (`server`)."""

    kind: str
    location: str
    server: str | None = None

    def select(self, query: str) -> list[dict[str, str]]:
        """Rows of a query sent straight to the server (all of its graphs), values as text."""
        assert self.server is not None
        response = httpx.post(
            f"{self.server}/query",
            data={"query": query},
            headers={"Accept": "application/sparql-results+json"},
        )
        response.raise_for_status()
        return [{k: v["value"] for k, v in b.items()} for b in response.json()["results"]["bindings"]]

    def update(self, update: str) -> None:
        assert self.server is not None
        httpx.post(f"{self.server}/update", data={"update": update}).raise_for_status()

    def graphs(self) -> set[str]:
        return {r["g"] for r in self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def oxigraph_server(folder: Path) -> Iterator[str]:
    """A private Oxigraph server over `folder`, until the block ends; yields its address."""
    port = free_port()
    log = folder.with_name(folder.name + ".log")
    with log.open("wb") as errors:
        server = subprocess.Popen(
            [str(OXIGRAPH), "serve", "--location", str(folder), "--bind", f"127.0.0.1:{port}"],
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
    address = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + _START_SECONDS
        while True:
            try:
                if httpx.get(f"{address}/query", params={"query": "ASK {}"}).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"oxigraph serve did not start: {log.read_text()!r}")
            time.sleep(0.05)
        yield address
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture(params=["embedded", "oxigraph"])
def store_location(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StoreUnderTest]:
    if request.param == "embedded":
        yield StoreUnderTest("embedded", str(tmp_path / "store"))
        return
    with oxigraph_server(tmp_path / "oxigraph") as address:
        yield StoreUnderTest("oxigraph", f"sparql+{address}/query", address)


@pytest.fixture
def oxigraph_store(tmp_path: Path) -> Iterator[StoreUnderTest]:
    """A fresh Oxigraph server, for what only a server's store has (other graphs beside citykg's)."""
    with oxigraph_server(tmp_path / "oxigraph") as address:
        yield StoreUnderTest("oxigraph", f"sparql+{address}/query", address)
