"""Real triplestores for the tests: Oxigraph server (`oxigraph serve`, the PyPI package
`oxigraph`, a dev dependency) and Virtuoso Open Source 7 (Debian's `virtuoso-opensource`,
`virtuoso-t`), each started on free loopback ports with its own database folder.

Fixtures (import them into a test module: `from triplestores import store_location`):
`store_location` is, in turn, an embedded store folder, the query URL of a fresh Oxigraph
server (`sparql+http://127.0.0.1:PORT/query`) and a config file naming a fresh private
Virtuoso's endpoints and account (marked `virtuoso`: make test-virtuoso); `StoreUnderTest` says
which and gives its server's endpoints to look behind citykg's back. `oxigraph` and `virtuoso`
are one server each for a whole session (tests/test_triplestore_protocol.py).
`catalog_examples()`: each catalog query's documented examples, to ask every kind of store.
"""

from __future__ import annotations

import re
import shutil
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
from bench.processes import stop

from citykg import catalog

OXIGRAPH = Path(sys.executable).parent / "oxigraph"
_START_SECONDS = 30.0
# a fresh Virtuoso database takes about 6 s to create on a quiet machine, far more under load
_VIRTUOSO_START_SECONDS = 180.0

# the account citykg writes with on a private Virtuoso: a plain SQL user granted SPARQL_UPDATE,
# as an operator would create one for it (docs/remote-store.md), never the dba account
VIRTUOSO_USER = "citykg"
VIRTUOSO_PASSWORD = "citykg-test-password"


@dataclass(frozen=True)
class Triplestore:
    """Where a running server answers, by the standard protocols."""

    name: str
    query_url: str
    update_url: str
    graph_store_url: str  # the Graph Store Protocol endpoint (`?graph=`, indirect identification)
    user: str | None = None  # the account updates and Graph Store writes need (HTTP Digest), if any
    password: str | None = None

    def auth(self) -> httpx.DigestAuth | None:
        if self.user is None or self.password is None:
            return None
        return httpx.DigestAuth(self.user, self.password)


def oxigraph_endpoints(address: str) -> Triplestore:
    return Triplestore("oxigraph", f"{address}/query", f"{address}/update", f"{address}/store")


@dataclass(frozen=True)
class StoreUnderTest:
    """What `--store` is given (`location`), and for a server its endpoints (`server`)."""

    kind: str
    location: str
    server: Triplestore | None = None

    def select(self, query: str) -> list[dict[str, str]]:
        """Rows of a query sent straight to the server (all of its graphs), values as text."""
        assert self.server is not None
        response = httpx.post(
            self.server.query_url,
            data={"query": query},
            headers={"Accept": "application/sparql-results+json"},
            timeout=120,  # a server busy with a build answers slowly on a loaded machine
        )
        response.raise_for_status()
        return [{k: v["value"] for k, v in b.items()} for b in response.json()["results"]["bindings"]]

    def update(self, update: str) -> None:
        assert self.server is not None
        answer = httpx.post(
            self.server.update_url, data={"update": update}, auth=self.server.auth(), timeout=120
        )
        answer.raise_for_status()

    def graphs(self) -> set[str]:
        # GROUP BY, not DISTINCT: Virtuoso answers this in 0.1 s instead of 30 (a scan of every quad)
        return {r["g"] for r in self.select("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")}

    def config(self, folder: Path, *, batch_bytes: int | None = None, prefix: str | None = None) -> str:
        """A store config file (docs/remote-store.md) naming this server's endpoints and account."""
        assert self.server is not None
        lines = [
            f'query = "{self.server.query_url}"',
            f'update = "{self.server.update_url}"',
            f'graph-store = "{self.server.graph_store_url}"',
        ]
        if batch_bytes is not None:
            lines.append(f"batch-bytes = {batch_bytes}")
        if prefix is not None:
            lines.append(f'prefix = "{prefix}"')
        if self.server.user is not None and self.server.password is not None:
            (folder / "store-password").write_text(self.server.password + "\n")
            lines += ["[credentials]", f'user = "{self.server.user}"', 'password-file = "store-password"']
        config = folder / "store.toml"
        config.write_text("\n".join(lines) + "\n")
        return str(config)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def _running(
    command: list[str], *, probe: str, log: Path, seconds: float, cwd: Path | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """`command` running until the block ends, once `probe` answers `ASK {}`."""
    with log.open("wb") as errors:
        server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors, cwd=cwd)
    try:
        deadline = time.monotonic() + seconds
        while True:
            try:
                if httpx.get(probe, params={"query": "ASK {}"}).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{command[0]} did not start: {log.read_text()[-2000:]!r}")
            time.sleep(0.05)
        yield server
    finally:
        stop(server)


@contextmanager
def oxigraph_server(folder: Path) -> Iterator[str]:
    """A private Oxigraph server over `folder`, until the block ends; yields its address."""
    port = free_port()
    address = f"http://127.0.0.1:{port}"
    command = [str(OXIGRAPH), "serve", "--location", str(folder), "--bind", f"127.0.0.1:{port}"]
    log = folder.with_name(folder.name + ".log")
    with _running(command, probe=f"{address}/query", log=log, seconds=_START_SECONDS):
        yield address


def virtuoso_binary() -> str:
    found = shutil.which("virtuoso-t")
    if found is None or shutil.which("isql-vt") is None:
        raise RuntimeError(
            "the Virtuoso tests need Virtuoso Open Source 7: run 'bash .ci/ensure-virtuoso' as root"
            " (or 'sudo apt-get install virtuoso-opensource')"
        )
    return found


def virtuoso_ini(database: Path, *, sql_port: int, http_port: int) -> str:
    """A virtuoso.ini for a private server: its database in `database`, on loopback only."""
    return f"""\
[Database]
DatabaseFile       = {database}/virtuoso.db
ErrorLogFile       = {database}/virtuoso.log
LockFile           = {database}/virtuoso.lck
TransactionFile    = {database}/virtuoso.trx
xa_persistent_file = {database}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {database}/virtuoso-temp.db
TransactionFile    = {database}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort         = 127.0.0.1:{sql_port}
DisableUnixSocket  = 1
CheckpointInterval = 60
NumberOfBuffers    = 10000
MaxDirtyBuffers    = 6000
DirsAllowed        = {database}
CaseMode           = 2

[HTTPServer]
ServerPort           = 127.0.0.1:{http_port}
ServerRoot           = {database}
ServerThreads        = 4
MaxClientConnections = 4

[SPARQL]
; the packaged default (10000) cuts every longer answer short (docs/remote-store.md)
ResultSetMaxRows      = 10000000
MaxQueryExecutionTime = 300
"""


def _isql(sql_port: int, statements: str) -> None:
    """SQL as dba on a private database (whose dba password is Virtuoso's default)."""
    done = subprocess.run(
        ["isql-vt", f"127.0.0.1:{sql_port}", "dba", "dba", f"exec={statements}"],
        capture_output=True,
        timeout=120,
        check=False,
    )
    said = (done.stdout + done.stderr).decode(errors="replace")
    if done.returncode != 0 or "Error" in said:
        raise RuntimeError(f"isql-vt failed: {said}")


@contextmanager
def virtuoso_server(folder: Path, *, template: Path | None = None) -> Iterator[Triplestore]:
    """A private Virtuoso 7 with its database in `folder` (a copy of `template`'s, if given, which
    starts in 2 s instead of 6), and the account that may update (HTTP Digest)."""
    binary = virtuoso_binary()
    database = folder / "db"
    if template is not None:
        shutil.copytree(template, database)
    database.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(virtuoso_ini(database, sql_port=sql_port, http_port=http_port))
    base = f"http://127.0.0.1:{http_port}"
    command = [binary, "+foreground", "+configfile", str(ini)]
    log = folder / "virtuoso.out"
    with _running(command, probe=f"{base}/sparql", log=log, seconds=_VIRTUOSO_START_SECONDS, cwd=folder):
        if template is None:
            _isql(
                sql_port,
                f"DB.DBA.USER_CREATE('{VIRTUOSO_USER}', '{VIRTUOSO_PASSWORD}');"
                f' GRANT SPARQL_UPDATE TO "{VIRTUOSO_USER}"; checkpoint;',
            )
        yield Triplestore(
            "virtuoso",
            f"{base}/sparql",
            f"{base}/sparql-auth",
            f"{base}/sparql-graph-crud-auth",
            VIRTUOSO_USER,
            VIRTUOSO_PASSWORD,
        )


@pytest.fixture(scope="session")
def virtuoso_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A Virtuoso database made once (with citykg's account), copied for each fresh server."""
    folder = tmp_path_factory.mktemp("virtuoso-template")
    with virtuoso_server(folder):
        pass  # stopped by SIGTERM after the checkpoint: the copy starts clean
    for left in ("virtuoso.lck", "virtuoso.trx"):
        (folder / "db" / left).unlink(missing_ok=True)
    return folder / "db"


@pytest.fixture(params=["embedded", "oxigraph", pytest.param("virtuoso", marks=pytest.mark.virtuoso)])
def store_location(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StoreUnderTest]:
    if request.param == "embedded":
        yield StoreUnderTest("embedded", str(tmp_path / "store"))
        return
    if request.param == "virtuoso":
        template: Path = request.getfixturevalue("virtuoso_template")
        with virtuoso_server(tmp_path / "virtuoso", template=template) as server:
            under_test = StoreUnderTest("virtuoso", "", server)
            yield StoreUnderTest("virtuoso", under_test.config(tmp_path), server)
        return
    with oxigraph_server(tmp_path / "oxigraph") as address:
        yield StoreUnderTest("oxigraph", f"sparql+{address}/query", oxigraph_endpoints(address))


@pytest.fixture
def oxigraph_store(tmp_path: Path) -> Iterator[StoreUnderTest]:
    """A fresh Oxigraph server, for what only a server's store has (other graphs beside citykg's)."""
    with oxigraph_server(tmp_path / "oxigraph") as address:
        yield StoreUnderTest("oxigraph", f"sparql+{address}/query", oxigraph_endpoints(address))


@pytest.fixture(scope="session")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Triplestore]:
    """An `oxigraph serve` for the whole test session."""
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph") / "data") as address:
        yield oxigraph_endpoints(address)


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory, virtuoso_template: Path) -> Iterator[Triplestore]:
    """A private Virtuoso for the whole test session (only tests marked `virtuoso` ask for it)."""
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso"), template=virtuoso_template) as server:
        yield server


def catalog_examples() -> list[tuple[str, dict[str, str]]]:
    """(query name, parameters) of each example of each catalog query (`-p name=value`)."""
    found = []
    for query in catalog():
        for example in query.examples:
            params = {m[1]: m[2] or m[3] for m in re.finditer(r'-p (\w+)=(?:"([^"]*)"|(\S+))', example)}
            found.append((query.name, params))
    return found
