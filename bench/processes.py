"""The processes a benchmark runs: the environment they see, and stopping a server a
benchmark or a test started (politely, then for sure)."""

from __future__ import annotations

import os
import subprocess


def user_environment(**extra: str) -> dict[str, str]:
    """This process's environment as an installed citykg's command sees it, plus `extra`:
    without PYTHONDONTWRITEBYTECODE, since a user's Python writes each module's bytecode once
    and reads it after (with it set, every command compiles citykg's modules again, about
    40 ms on this machine)."""
    return {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}, **extra}


def stop(process: subprocess.Popen[bytes], *, wait: float = 30) -> None:
    """Terminate `process` and wait for it; kill it when it has not ended after `wait` seconds."""
    process.terminate()
    try:
        process.wait(wait)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
