"""Stopping a server a benchmark or a test started: politely, then for sure."""

from __future__ import annotations

import subprocess


def stop(process: subprocess.Popen[bytes], *, wait: float = 30) -> None:
    """Terminate `process` and wait for it; kill it when it has not ended after `wait` seconds."""
    process.terminate()
    try:
        process.wait(wait)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
