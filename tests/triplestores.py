"""Real SPARQL 1.1 servers for tests: `oxigraph serve` and a private Virtuoso, on free loopback ports.

Each server gets its own data folder under a temporary directory, is waited for until it answers a
query, and is stopped when the test session ends. Virtuoso (Debian's `virtuoso-opensource`, binary
`virtuoso-t`) is used only by the tests marked `virtuoso` (`make test-virtuoso`).
"""

from __future__ import annotations

import shutil
import signal
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

# the account citykg writes with on the private Virtuoso: a plain SQL user granted SPARQL_UPDATE,
# as an operator would create one for it (docs/remote-store.md), never the dba account
VIRTUOSO_USER = "citykg"
VIRTUOSO_PASSWORD = "citykg-test-password"
_STARTUP_SECONDS = 120


@dataclass(frozen=True)
class Triplestore:
    """Where a running server answers, by the standard protocols."""

    name: str
    query_url: str
    update_url: str
    graph_store_url: str  # the Graph Store Protocol endpoint (indirect graph identification)
    user: str | None = None  # the account updates and GSP writes need (HTTP digest), if any
    password: str | None = None

    def auth(self) -> httpx.DigestAuth | None:
        if self.user is None or self.password is None:
            return None
        return httpx.DigestAuth(self.user, self.password)


def free_port() -> int:
    """A loopback TCP port nobody listens on now (the server binds it a moment later)."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        port: int = listener.getsockname()[1]
        return port


def _wait_until_answers(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + _STARTUP_SECONDS
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited with {process.returncode} while starting:\n{_tail(log)}")
        try:
            if httpx.get(url, params={"query": "ASK {}"}, timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer within {_STARTUP_SECONDS} s:\n{_tail(log)}")
        time.sleep(0.2)


def _tail(log: Path) -> str:
    return log.read_text(errors="replace")[-2000:] if log.exists() else "(no log)"


@contextmanager
def _process(command: list[str], *, cwd: Path, log: Path, probe: str) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as output:
        process = subprocess.Popen(command, cwd=cwd, stdout=output, stderr=subprocess.STDOUT)
    try:
        _wait_until_answers(process, probe, log)
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(30)


@contextmanager
def oxigraph_server(folder: Path) -> Iterator[Triplestore]:
    """`oxigraph serve` (the PyPI package `oxigraph`) with its data in `folder`."""
    binary = Path(sys.executable).with_name("oxigraph")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    folder.mkdir(parents=True, exist_ok=True)
    command = [str(binary), "serve", "--location", str(folder / "data"), "--bind", f"127.0.0.1:{port}"]
    with _process(command, cwd=folder, log=folder / "oxigraph.log", probe=f"{base}/query"):
        yield Triplestore("oxigraph", f"{base}/query", f"{base}/update", f"{base}/store")


def virtuoso_binary() -> str:
    found = shutil.which("virtuoso-t")
    if found is None:
        raise RuntimeError(
            "the Virtuoso tests need Virtuoso Open Source 7: run 'bash .ci/ensure-virtuoso' as root"
            " (or 'sudo apt-get install virtuoso-opensource')"
        )
    return found


def virtuoso_ini(folder: Path, *, sql_port: int, http_port: int) -> str:
    """A virtuoso.ini for a private server: its database in `folder`, listening on loopback only."""
    return f"""\
[Database]
DatabaseFile       = {folder}/virtuoso.db
ErrorLogFile       = {folder}/virtuoso.log
LockFile           = {folder}/virtuoso.lck
TransactionFile    = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {folder}/virtuoso-temp.db
TransactionFile    = {folder}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort         = 127.0.0.1:{sql_port}
DisableUnixSocket  = 1
CheckpointInterval = 60
NumberOfBuffers    = 10000
MaxDirtyBuffers    = 6000
DirsAllowed        = {folder}
CaseMode           = 2

[HTTPServer]
ServerPort           = 127.0.0.1:{http_port}
ServerRoot           = {folder}
ServerThreads        = 4
MaxClientConnections = 4

[SPARQL]
; the packaged default (10000) cuts every larger result short without an error
ResultSetMaxRows      = 10000000
MaxQueryExecutionTime = 300
"""


def _isql(sql_port: int, statements: str) -> None:
    """Runs SQL as dba on a fresh private database (whose dba password is Virtuoso's default)."""
    done = subprocess.run(
        ["isql-vt", f"127.0.0.1:{sql_port}", "dba", "dba", f"exec={statements}"],
        capture_output=True,
        timeout=60,
        check=False,
    )
    if done.returncode != 0 or b"Error" in done.stdout + done.stderr:
        raise RuntimeError(f"isql-vt failed: {(done.stdout + done.stderr).decode(errors='replace')}")


@contextmanager
def virtuoso_server(folder: Path) -> Iterator[Triplestore]:
    """A private Virtuoso 7 with its database in `folder` and a user that may update (digest auth)."""
    binary = virtuoso_binary()
    database = folder / "db"
    database.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(virtuoso_ini(database, sql_port=sql_port, http_port=http_port))
    base = f"http://127.0.0.1:{http_port}"
    command = [binary, "+foreground", "+configfile", str(ini)]
    with _process(command, cwd=folder, log=database / "virtuoso.log", probe=f"{base}/sparql"):
        _isql(
            sql_port,
            f"DB.DBA.USER_CREATE('{VIRTUOSO_USER}', '{VIRTUOSO_PASSWORD}');"
            f' GRANT SPARQL_UPDATE TO "{VIRTUOSO_USER}";',
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
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Triplestore]:
    """An `oxigraph serve` for the whole test session."""
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as server:
        yield server


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Triplestore]:
    """A private Virtuoso for the whole test session (only tests marked `virtuoso` ask for it)."""
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso")) as server:
        yield server
