"""`python -m bench.serve`: `citykg serve` under load, beside `oxigraph serve` on the same quads.

32 clients (HTTP/1.1 keep-alive, one connection each, in one asyncio process) send the catalog
queries with their default parameters, one after another, for 30 s against each server in turn:

- **citykg, cached**: `citykg serve` (2 query workers) over the synthetic store, `GET
  /queries/NAME`; after the first answer of each query, answers come from the cache;
- **citykg, uncached**: the same with `--cache 0`: every request runs its query in a worker;
- **oxigraph serve**: `oxigraph serve-read-only` over a copy of the same quads (every named
  graph and the default graph, as citykg stores them), `GET /query?query=...` with each
  query's text and its parameters given as an inline `VALUES` block (the plain SPARQL way:
  oxigraph's server takes no parameters). Its answers are checked to have as many rows as
  citykg's before the run.

Requests per second, median and 99th-percentile latency, and errors (anything but a 200) are
printed per server. The load generator shares the machine's cores with the server it loads.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

import pyoxigraph as ox

from bench.processes import stop
from bench.synthetic import RESULTS, cached_store
from citykg.queries.catalog import CatalogQuery, catalog
from citykg.rdf.convert import to_ox

CLIENTS = 32
SECONDS = 30.0
OXIGRAPH = Path(sys.executable).with_name("oxigraph")


@dataclass
class Load:
    name: str
    requests: int
    errors: int
    seconds: float
    latencies: list[float]

    def line(self) -> str:
        cuts = statistics.quantiles(self.latencies, n=100) if len(self.latencies) > 1 else [0.0] * 99
        return (
            f"  {self.name:<18} {self.requests / self.seconds:>9,.0f} {cuts[49] * 1000:>9.1f} "
            f"{cuts[98] * 1000:>9.1f} {self.errors:>7,} {self.requests:>9,}"
        )


# ------------------------------------------------------------------ a small HTTP/1.1 client


class Connection:
    """One keep-alive connection; `get` returns the status and body (Content-Length or chunked)."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str) -> None:
        self.reader, self.writer, self.host = reader, writer, host

    @classmethod
    async def open(cls, port: int) -> Connection:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        return cls(reader, writer, f"127.0.0.1:{port}")

    async def get(self, target: str, accept: str) -> tuple[int, bytes]:
        self.writer.write(f"GET {target} HTTP/1.1\r\nHost: {self.host}\r\nAccept: {accept}\r\n\r\n".encode())
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {
            k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)
        }
        if "content-length" in headers:
            return status, await self.reader.readexactly(int(headers["content-length"]))
        body = b""
        while True:  # chunked
            size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
            chunk = await self.reader.readexactly(size + 2)
            if size == 0:
                return status, body
            body += chunk[:-2]

    def close(self) -> None:
        self.writer.close()


# ------------------------------------------------------------------ the requests


def plain_sparql(query: CatalogQuery) -> str:
    """The query's text with its default parameters written in, for a server that takes no
    parameters (oxigraph's): each variable replaced by its value in the pattern and projected
    as `(value AS ?name)`, as pyoxigraph's substitution does; where that is no valid SPARQL
    (a parameter in GROUP BY), an inline VALUES block at the top of the pattern instead."""
    bindings = {name: str(to_ox(term)) for name, term in query.bindings({}).items()}
    text = query.text
    if not bindings:
        return text
    where = re.search(r"\bWHERE\b", text, re.IGNORECASE)
    assert where is not None, query.name
    head, body = text[: where.start()], text[where.start() :]
    for name, term in bindings.items():
        body = re.sub(rf"[?$]{name}\b", term.replace("\\", "\\\\"), body)
        head = _project(head, name, term)
    written = head + body
    try:
        ox.Store().query(written)
    except SyntaxError:
        names = " ".join(f"?{name}" for name in bindings)
        brace = text.index("{", where.start()) + 1
        written = f"{text[:brace]} VALUES ({names}) {{ ({' '.join(bindings.values())}) }} {text[brace:]}"
    return written


def _project(head: str, name: str, term: str) -> str:
    """`?name` in a SELECT clause: `(term AS ?name)` where it stands alone, `term` inside an expression."""
    out, depth, index = [], 0, 0
    pattern = re.compile(rf"[?$]{name}\b")
    while index < len(head):
        found = pattern.match(head, index)
        if found:
            out.append(f"({term} AS ?{name})" if depth == 0 else term)
            index = found.end()
            continue
        depth += {"(": 1, ")": -1}.get(head[index], 0)
        out.append(head[index])
        index += 1
    return "".join(out)


def _accept(query: CatalogQuery) -> str:
    return (
        "text/turtle"
        if "CONSTRUCT" in query.text.upper().split("WHERE")[0]
        else "application/sparql-results+json"
    )


def citykg_requests() -> list[tuple[str, str]]:
    return [(f"/queries/{quote(q.name)}", _accept(q)) for q in catalog().values()]


def oxigraph_requests() -> list[tuple[str, str]]:
    return [("/query?" + urlencode({"query": plain_sparql(q)}), _accept(q)) for q in catalog().values()]


async def _client(port: int, requests: list[tuple[str, str]], start: int, until: float, load: Load) -> None:
    connection = await Connection.open(port)
    index = start
    try:
        while time.perf_counter() < until:
            target, accept = requests[index % len(requests)]
            index += 1
            began = time.perf_counter()
            try:
                status, _ = await connection.get(target, accept)
            except (OSError, asyncio.IncompleteReadError, ValueError):
                load.errors += 1
                connection.close()
                connection = await Connection.open(port)
                continue
            load.latencies.append(time.perf_counter() - began)
            load.requests += 1
            if status != 200:
                load.errors += 1
    finally:
        connection.close()


async def _load(name: str, port: int, requests: list[tuple[str, str]], clients: int, seconds: float) -> Load:
    load = Load(name, 0, 0, seconds, [])
    started = time.perf_counter()
    until = started + seconds
    await asyncio.gather(*(_client(port, requests, i, until, load) for i in range(clients)))
    load.seconds = time.perf_counter() - started
    return load


async def _rows(port: int, requests: list[tuple[str, str]]) -> list[int]:
    """How many rows (or triples) each request's answer has."""
    connection = await Connection.open(port)
    counts = []
    try:
        for target, accept in requests:
            status, body = await connection.get(target, accept)
            if status != 200:
                raise RuntimeError(f"{target[:80]} answered {status}: {body[:300]!r}")
            if accept == "text/turtle":
                counts.append(len(list(ox.parse(body, ox.RdfFormat.TURTLE))))
            else:
                counts.append(len(json.loads(body)["results"]["bindings"]))
    finally:
        connection.close()
    return counts


# ------------------------------------------------------------------ the servers


def _free_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port: int = probe.getsockname()[1]
    return port


@contextmanager
def _server(command: list[str], port: int) -> Iterator[None]:
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{command[0]} did not start") from None
                time.sleep(0.2)
        yield
    finally:
        stop(process)


def oxigraph_store(store: Path) -> Path:
    """An Oxigraph database holding the store's quads (built once, beside the store)."""
    location = RESULTS / "stores" / f"oxigraph-{store.name}"
    if (location / "done").exists():
        return location
    shutil.rmtree(location, ignore_errors=True)
    generation = store / (store / "CURRENT").read_text().strip()
    dump = RESULTS / "stores" / f"{store.name}.nq"
    source = ox.Store.read_only(str(generation))
    source.dump(str(dump), ox.RdfFormat.N_QUADS)
    del source
    subprocess.run([str(OXIGRAPH), "load", "--location", str(location), "--file", str(dump)], check=True)
    dump.unlink()
    (location / "done").touch()
    return location


def _citykg(store: Path, port: int, cache: int, workers: int) -> list[str]:
    return [
        sys.executable, "-m", "citykg", "serve", "--store", str(store), "--port", str(port),
        "--cache", str(cache), "--workers", str(workers),
    ]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cities", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=CLIENTS)
    parser.add_argument("--seconds", type=float, default=SECONDS)
    parser.add_argument("--workers", type=int, default=2, help="citykg's query workers")
    args = parser.parse_args()

    store = cached_store(args.cities)
    ox_location = oxigraph_store(store)

    def oxigraph(port: int) -> list[str]:
        return [
            str(OXIGRAPH),
            "serve-read-only",
            "--location",
            str(ox_location),
            "--bind",
            f"127.0.0.1:{port}",
        ]

    runs: list[tuple[str, Callable[[int], list[str]], list[tuple[str, str]]]] = [
        ("citykg, cached", lambda port: _citykg(store, port, 2048, args.workers), citykg_requests()),
        ("citykg, uncached", lambda port: _citykg(store, port, 0, args.workers), citykg_requests()),
        ("oxigraph serve", oxigraph, oxigraph_requests()),
    ]
    print(
        f"{args.clients} clients for {args.seconds:g} s each, the {len(catalog())} catalog queries "
        f"with their defaults, {args.cities:,} cities; load before: {os.getloadavg()[0]:.1f}"
    )
    print(f"  {'server':<18} {'req/s':>9} {'p50 ms':>9} {'p99 ms':>9} {'errors':>7} {'requests':>9}")
    expected: list[int] | None = None
    for name, command, requests in runs:
        port = _free_port()
        with _server(command(port), port):
            rows = asyncio.run(_rows(port, requests))
            if expected is None:
                expected = rows
            elif rows != expected:
                print(f"  {name}: rows per query {rows} differ from citykg's {expected}")
            load = asyncio.run(_load(name, port, requests, args.clients, args.seconds))
        print(load.line(), flush=True)
    print(f"load after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
