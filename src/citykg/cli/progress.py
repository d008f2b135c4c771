"""What a long command (build, publish) shows on stderr while it runs: the `Progress` the stages
report to, rendered for people.

On a terminal, one line redrawn in place (the stage, a bar, done/total, percent, time elapsed
and the time left estimated from the rate so far), at most ten times a second; a stage that ends
leaves its line. Otherwise (a log, a pipe), plain lines: one when a stage begins, one every 5 s
or every 10% (never more than one a second), one when it ends. Nothing at all before the command
has run for a second, so that a fast command prints nothing: what happened until then is shown
when the second has passed. `--quiet` gives no renderer at all (`SILENT`). Standard output,
where the results go, is never touched.
"""

from __future__ import annotations

import math
import os
import shutil
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TextIO

from citykg.progress import SILENT, Progress

Clock = Callable[[], float]

#: what every renderer reads the time from (seconds, only differences count); tests replace it
clock: Clock = time.monotonic

DELAY = 1.0  # nothing is shown before the command has run this long
REDRAW = 0.1  # terminal: the shortest time between two drawings of the bar
# plain lines: one at least every EVERY seconds while a stage runs and one whenever another
# tenth of it is done, but never two progress lines closer than GAP seconds
EVERY = 5.0
GAP = 1.0
BAR = 24  # the widest bar, in characters
MIN_BAR = 8  # below this, the times beside the bar are written shorter
TIMING = len("10:00 min elapsed, 10:00 min left")  # room kept for the times beside the bar
SHORT_TIMING = len("10:00 min, 10:00 min left")  # the same, shorter, for a long stage name


#: held while a renderer writes, and across a fork (the build forks its workers while the ticking
#: thread may be writing): a child never starts with stderr's buffer locked by a thread it lacks
_WRITING = threading.Lock()
if hasattr(os, "register_at_fork"):
    os.register_at_fork(
        before=_WRITING.acquire, after_in_parent=_WRITING.release, after_in_child=_WRITING.release
    )


@dataclass
class _Stage:
    name: str
    total: int | None
    began: float
    done: int = 0

    def tenths(self) -> int:
        """How many tenths of the stage are done (0 without a total)."""
        return min(self.done, self.total) * 10 // self.total if self.total else 0

    def fraction(self) -> float | None:
        if not self.total:
            return None
        return min(self.done / self.total, 1.0)

    def left(self, now: float) -> float | None:
        """Seconds still to go at the rate so far; None until a step is done."""
        if not self.total or self.done <= 0:
            return None
        return max(self.total - self.done, 0) * (now - self.began) / self.done

    def counts(self) -> str:
        return f"{self.done}/{self.total}" if self.total else str(self.done)

    def finished(self) -> bool:
        return self.total is not None and self.done >= self.total


class Renderer:
    """A `Progress` that writes to `stream`: a bar when it is a terminal, plain lines otherwise.

    Thread-safe: `tick` (from `ticking`'s thread) redraws while a long step reports nothing.
    A stream that cannot be written any more (a closed pipe) turns the renderer off; progress
    never stops a command."""

    def __init__(
        self, stream: TextIO, *, tty: bool | None = None, clock: Clock | None = None, width: int | None = None
    ) -> None:
        self._stream = stream
        self._tty = _is_terminal(stream) if tty is None else tty
        self._clock = clock or _default_clock()
        self._width = width
        self._lock = threading.Lock()
        self._started = self._clock()
        self._visible = False
        self._closed = False
        self._pending: list[str] = []  # lines of the stages that ended before anything was shown
        self._stage: _Stage | None = None
        self._drawn = 0  # terminal: the length of the line drawn last (0: a new line)
        self._last = -math.inf  # when the bar was drawn or a plain line written last
        self._reported = 0  # plain: the tenths of the stage done at the last line

    # ------------------------------------------------------------------ the Progress protocol

    def stage(self, name: str, total: int | None = None) -> None:
        with self._lock:
            now = self._clock()
            self._end(now)
            self._stage = _Stage(name, total, now)
            if self._show(now):
                self._begin(now)

    def advance(self, steps: int = 1) -> None:
        with self._lock:
            if self._stage is not None:
                self._stage.done += steps
            self._update(self._clock())

    def done(self) -> None:
        with self._lock:
            self._end(self._clock())
            self._closed = True

    def tick(self) -> None:
        """Show what changed with time alone (elapsed, time left; the first second passing)."""
        with self._lock:
            self._update(self._clock())

    @contextmanager
    def ticking(self) -> Iterator[Renderer]:
        """Tick from a thread while the block runs (a long step reports nothing for a while);
        `done` when it ends, however it ends."""
        stop = threading.Event()
        interval = REDRAW if self._tty else GAP / 2

        def run() -> None:
            while not stop.wait(interval):
                self.tick()

        thread = threading.Thread(target=run, name="citykg-progress", daemon=True)
        thread.start()
        try:
            yield self
        finally:
            stop.set()
            thread.join()
            self.done()

    # ------------------------------------------------------------------ when to write what

    def _show(self, now: float) -> bool:
        """Whether to write: after the first second, and then the lines held until it passed."""
        if self._closed:
            return False
        if not self._visible and now - self._started >= DELAY:
            self._visible = True
            for line in self._pending:
                self._write(line + "\n")
            self._pending = []
        return self._visible

    def _begin(self, now: float) -> None:
        stage = self._stage
        assert stage is not None
        if self._tty:
            self._draw(self._bar(stage, now))
        else:
            begun = f"{stage.total} to do" if stage.total is not None else "started"
            self._write(f"{stage.name}: {begun}\n")
        self._last = now
        self._reported = stage.tenths()

    def _update(self, now: float) -> None:
        stage = self._stage
        if stage is None:
            return
        if not self._visible:
            if self._show(now):
                self._begin(now)
            return
        if self._closed or now - self._last < (REDRAW if self._tty else GAP):
            return
        if self._tty:
            self._draw(self._bar(stage, now))
            self._last = now
            return
        further = stage.tenths() > self._reported
        if (further or now - self._last >= EVERY) and not stage.finished():
            self._write(self._line(stage, now) + "\n")
            self._last = now
            self._reported = stage.tenths()

    def _end(self, now: float) -> None:
        stage, self._stage = self._stage, None
        if stage is None or self._closed:
            return
        if self._tty:
            line = self._bar(stage, now, ended=True)
            if self._show(now):
                self._draw(line)
                self._write("\n")
                self._drawn = 0
            else:
                self._pending.append(line)
            return
        line = f"{stage.name}: {_ended(stage, now)}"
        if self._show(now):
            self._write(line + "\n")
        else:
            self._pending.append(line)

    # ------------------------------------------------------------------ what the lines say

    def _line(self, stage: _Stage, now: float) -> str:
        """A plain progress line: `checking: 600/1200 (50%), 30 s elapsed, about 30 s left`."""
        fraction = stage.fraction()
        counts = stage.counts() + (f" ({fraction:.0%})" if fraction is not None else "")
        if stage.total is None and stage.done == 0:
            counts = "running"
        return f"{stage.name}: {counts}, {_timing(stage, now)}"

    def _bar(self, stage: _Stage, now: float, *, ended: bool = False) -> str:
        """The terminal line: `checking [#####.....]  600/1200  50%  30 s elapsed, 30 s left`."""
        fraction = stage.fraction()
        if fraction is None or stage.total is None:
            timing = _ended(stage, now, counts=False) if ended else _timing(stage, now, about="")
            shown = f"{stage.done}  " if stage.done else ""
            return self._fit(f"{stage.name:<10} {shown}{timing}")
        digits = len(str(stage.total))
        head = f"{stage.name:<10} ["
        tail = f"] {stage.done:>{digits}}/{stage.total} {fraction:>4.0%}  "
        # the bar keeps its width while the counts and times change; the times are written
        # shorter ("30 s, 30 s left") when a long stage name leaves too little room for a bar
        room = self._columns() - 1 - len(head) - len(tail)
        short = room - TIMING < MIN_BAR
        if ended:
            timing = _ended(stage, now, counts=False)
        else:
            timing = _timing(stage, now, about="", elapsed="" if short else " elapsed")
        width = max(0, min(BAR, room - (SHORT_TIMING if short else TIMING)))
        filled = int(fraction * width)
        return self._fit(head + "#" * filled + "." * (width - filled) + tail + timing)

    def _fit(self, line: str) -> str:
        return line[: self._columns() - 1]

    def _columns(self) -> int:
        return self._width or shutil.get_terminal_size((80, 24)).columns

    # ------------------------------------------------------------------ writing

    def _draw(self, line: str) -> None:
        """Redraw the terminal line in place (spaces cover a longer line drawn before)."""
        self._write("\r" + line + " " * max(0, self._drawn - len(line)))
        self._drawn = len(line)

    def _write(self, text: str) -> None:
        try:
            with _WRITING:
                self._stream.write(text)
                self._stream.flush()
        except (OSError, ValueError):  # stderr closed or gone: go on without showing progress
            self._closed = True


def _timing(stage: _Stage, now: float, *, about: str = "about ", elapsed: str = " elapsed") -> str:
    elapsed = f"{duration(now - stage.began)}{elapsed}"
    left = stage.left(now)
    return elapsed if left is None else f"{elapsed}, {about}{duration(left)} left"


def _ended(stage: _Stage, now: float, *, counts: bool = True) -> str:
    """How a stage ended: `1200/1200 done in 50 s`, or `stopped at 3/12 after 2.0 s`."""
    took = duration(now - stage.began)
    if stage.total is not None and stage.done < stage.total:
        return f"stopped at {stage.counts()} after {took}"
    what = f"{stage.counts()} done" if counts and (stage.total is not None or stage.done) else "done"
    return f"{what} in {took}"


def duration(seconds: float) -> str:
    """`0.8 s`, `42 s`, `3:05 min`, `1:02 h`."""
    seconds = max(seconds, 0.0)
    if seconds < 10:
        return f"{seconds:.1f} s"
    if seconds < 60:
        return f"{seconds:.0f} s"
    minutes, rest = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{minutes}:{rest:02d} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d} h"


def _default_clock() -> Clock:
    return clock


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


@contextmanager
def shown(*, quiet: bool) -> Iterator[Progress]:
    """The progress of the command in this block, on stderr (nothing with `quiet`)."""
    if quiet:
        yield SILENT
        return
    with Renderer(sys.stderr).ticking() as renderer:
        yield renderer
