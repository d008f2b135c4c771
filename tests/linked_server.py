"""`citykg serve` started by a test on a free loopback port, and stopped after it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import httpx

START_SECONDS = 60


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def running_server(store: Path, *args: str, path: str = "") -> Iterator[str]:
    """A server over `store` (more `citykg serve` options in `args`); yields the URL it is
    reached at: `http://127.0.0.1:PORT/` plus `path`, the path of a `--base-url` among `args`."""
    port = free_port()
    command = [sys.executable, "-c", "from citykg.cli import main; main()", "serve", "--store", str(store)]
    command += ["--port", str(port), "--workers", "1", *[a.replace("{port}", str(port)) for a in args]]
    with tempfile.TemporaryFile() as log:  # not a pipe: a server that writes much never blocks on it
        process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=log, env={**os.environ, "NO_COLOR": "1"}
        )
        try:
            yield _ready(process, log, f"http://127.0.0.1:{port}/{path}")
        finally:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _ready(process: subprocess.Popen[bytes], log: IO[bytes], url: str) -> str:
    """`url` once the server answers there."""
    deadline = time.monotonic() + START_SECONDS
    while True:
        if process.poll() is not None:
            log.seek(0)
            raise AssertionError(f"citykg serve ended: {log.read().decode()}")
        try:
            httpx.get(url + "sparql", timeout=2)
            return url
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise AssertionError("citykg serve did not answer in time") from None
            time.sleep(0.1)
