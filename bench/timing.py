"""Timing for the benchmarks: medians of several runs, with untimed preparation; a command's
wall time and peak memory as a user runs it; a child process stopped at a time cap."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import statistics
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any


def median_time(
    action: Callable[[], Any],
    runs: int,
    *,
    prepare: Callable[[], None] | None = None,
    warm_up: bool = False,
) -> tuple[float, Any]:
    """The median seconds of `runs` calls of `action`, each after `prepare` (not timed), and
    what the last call returned; with `warm_up`, one more call first that is not counted
    (caches of shapes, ontology and vocabularies)."""
    wall, _, result = median_times(action, runs, prepare=prepare, warm_up=warm_up)
    return wall, result


def median_times(
    action: Callable[[], Any],
    runs: int,
    *,
    prepare: Callable[[], None] | None = None,
    warm_up: bool = False,
) -> tuple[float, float, Any]:
    """As median_time, with the median CPU seconds of this process (every thread's, user and
    system: `time.process_time`) beside the wall seconds; on a machine shared with other work
    the CPU time is the steadier figure."""
    walls: list[float] = []
    cpus: list[float] = []
    result: Any = None
    for run in range(runs + (1 if warm_up else 0)):
        if prepare is not None:
            prepare()
        started, cpu = time.perf_counter(), time.process_time()
        result = action()
        if run or not warm_up:
            walls.append(time.perf_counter() - started)
            cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), result


def load_average() -> str:
    """The machine's load average over 1, 5 and 15 minutes, as `uptime` prints it."""
    return ", ".join(f"{load:.2f}" for load in os.getloadavg())


# ------------------------------------------------------------------ a command, as a user runs it


@dataclass(frozen=True)
class Ran:
    """One run of a command: wall seconds (None when it ran over its cap and was stopped), peak
    memory in bytes, exit code."""

    seconds: float | None
    peak: int
    code: int


def _pss(pid: int) -> int:
    """Proportional set size of one process in bytes (its shared pages divided among their
    sharers, so that forked workers sum to what the tree really holds); 0 when it is gone."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def _tree(pid: int) -> list[int]:
    """`pid` and its descendants (Linux /proc)."""
    found, todo = [], [pid]
    while todo:
        process = todo.pop()
        found.append(process)
        try:
            for task in os.listdir(f"/proc/{process}/task"):
                todo.extend(int(c) for c in Path(f"/proc/{process}/task/{task}/children").read_text().split())
        except (OSError, ValueError):
            pass
    return found


def run_command(argv: Sequence[str], *, cap: float, log: Path, every: float = 0.1) -> Ran:
    """Run `argv` (stdout and stderr to `log`) as its own process group, stopped after `cap`
    seconds. Its peak memory is the larger of two measures: the summed proportional set size of
    the process tree, sampled every `every` seconds (worker processes included), and the
    kernel's high-water mark of the largest single process (wait4's ru_maxrss)."""
    with log.open("wb") as out:
        started = time.perf_counter()
        process = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        stop = threading.Event()
        sampled = [0]

        def sample() -> None:
            while not stop.wait(every):
                sampled[0] = max(sampled[0], sum(_pss(p) for p in _tree(process.pid)))

        over, finished = threading.Event(), threading.Event()

        def kill() -> None:
            if finished.is_set():
                return
            over.set()
            with contextlib.suppress(ProcessLookupError):  # it ended meanwhile
                os.killpg(process.pid, signal.SIGKILL)

        sampler = threading.Thread(target=sample, daemon=True)
        timer = threading.Timer(cap, kill)
        sampler.start()
        timer.start()
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        finished.set()
        timer.cancel()
        stop.set()
        sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    peak = max(sampled[0], usage.ru_maxrss * 1024)
    return Ran(None if over.is_set() else elapsed, peak, process.returncode)


# ------------------------------------------------------------------ a child stopped at its cap


def capped(
    target: Callable[..., None],
    args: tuple[Any, ...],
    cap: float,
    expect: int,
    *,
    loading: float = 600.0,
    whole: bool = False,
    peak: list[int] | None = None,
) -> list[tuple[Any, ...]]:
    """Run `target(connection, *args)` in a spawned child; collect up to `expect` messages, each
    within `cap` seconds of the previous one (the first within `cap + loading`: loading the data
    is not the measured step), or with `whole` all of them within `cap` seconds of the start;
    kill the child when one does not come in time (the last message is then ("over", cap)).
    With `peak`, the child's highest memory (summed PSS, sampled every half second) is
    appended to it, measured up to the end or the kill."""
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=target, args=(sender, *args), daemon=True)
    deadline = time.monotonic() + cap
    child.start()
    sender.close()
    messages: list[tuple[Any, ...]] = []
    highest = 0

    def arrives(limit: float) -> bool:
        nonlocal highest
        until = time.monotonic() + limit
        while True:
            if child.pid is not None:
                highest = max(highest, sum(_pss(p) for p in _tree(child.pid)))
            if receiver.poll(max(0.0, min(until - time.monotonic(), 0.5))):
                return True
            if time.monotonic() >= until:
                return False

    try:
        while len(messages) < expect:
            limit = (deadline - time.monotonic()) if whole else cap if messages else cap + loading
            if not arrives(limit):
                messages.append(("over", cap))
                break
            messages.append(receiver.recv())
    except EOFError:
        messages.append(("died", 0))
    finally:
        if child.is_alive():
            child.kill()
        child.join()
    if peak is not None:
        peak.append(highest)
    return messages
