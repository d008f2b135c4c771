"""Timing for the benchmarks: medians of several runs, with untimed preparation."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
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
    times: list[float] = []
    result: Any = None
    for run in range(runs + (1 if warm_up else 0)):
        if prepare is not None:
            prepare()
        started = time.perf_counter()
        result = action()
        if run or not warm_up:
            times.append(time.perf_counter() - started)
    return statistics.median(times), result
