"""Progress of a long command (build, publish): stages with counts, reported to whoever listens.

The stages call `Progress`; they never print. The CLI gives a renderer (a bar with counts and
time left on a terminal, plain lines otherwise, nothing with --quiet); Python callers get
`SILENT` unless they pass their own.
"""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    """What a long-running stage reports: one stage at a time, each with an optional total."""

    def stage(self, name: str, total: int | None = None) -> None:
        """A new stage begins (`name` such as "reading", "checking", "loading", "inferring");
        `total` is the number of steps it will take, when known."""

    def advance(self, steps: int = 1) -> None:
        """`steps` more steps of the current stage are done."""

    def done(self) -> None:
        """The command has finished (successfully or not): close what the renderer shows."""


class Silent:
    """A Progress that reports nothing."""

    def stage(self, name: str, total: int | None = None) -> None:
        return None

    def advance(self, steps: int = 1) -> None:
        return None

    def done(self) -> None:
        return None


SILENT: Progress = Silent()
