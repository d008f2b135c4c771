"""The locks of a store folder (advisory `flock`s, released by the system when a process ends,
however it ends):

- `LOCK`, exclusive: one writer (build or submit) at a time. A second one waits for it up to
  `wait` seconds, then gives up with a clear message.
- `readers/gen-NNNNNN`, shared: every reader holds the lock of the generation it opened for as
  long as it reads it. A writer removes a generation that is no longer live only when it can
  take that lock exclusively, i.e. when no reader holds it; otherwise the generation stays
  until a later commit finds it free.

On systems without `fcntl` (Windows) there are no locks: writers must not overlap there, and
old generations are removed at once.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Literal

from citykg.errors import StoreError

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

WRITE_LOCK = "LOCK"
READERS_DIR = "readers"
#: seconds a build or submit waits for another one to finish, unless told otherwise (--wait)
DEFAULT_WAIT = 10.0
_POLL = 0.05


def readers_file(generation: Path) -> Path:
    return generation.parent / READERS_DIR / generation.name


@contextmanager
def write_lock(location: Path, *, wait: float = DEFAULT_WAIT) -> Iterator[None]:
    """Hold the store's write lock, waiting up to `wait` seconds for another writer."""
    deadline = time.monotonic() + wait
    path = location / WRITE_LOCK
    handle = open(path, "a+b")  # noqa: SIM115 - held until the end of the block
    while fcntl is not None:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if time.monotonic() >= deadline:
                handle.close()
                raise StoreError(
                    f"another citykg build or submit is writing this store (waited {wait:g} s)",
                    where=str(location),
                    hint="try again when it has finished, or wait longer with --wait SECONDS",
                ) from None
            time.sleep(_POLL)  # with the file open: its waiters can be seen (in /proc/PID/fd)
            continue
        if _still_there(handle, path):
            break
        handle.close()  # a first build that failed removed it meanwhile: lock the new one
        try:
            handle = open(path, "a+b")  # noqa: SIM115
        except FileNotFoundError:
            raise StoreError(
                "the store folder was removed while this command waited (a first build failed)",
                where=str(location),
                hint="run the command again",
            ) from None
    try:
        yield
    finally:
        handle.close()


def _still_there(handle: IO[bytes], path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(handle.fileno()), path.stat())
    except FileNotFoundError:
        return False


def new_readers_file(generation: Path) -> None:
    """Create the readers' lock of a generation (by a writer, before it goes live)."""
    path = readers_file(generation)
    path.parent.mkdir(exist_ok=True)
    path.touch(mode=0o644, exist_ok=True)


class ReaderLock:
    """A shared lock on one generation, held until `close` (or until it is garbage)."""

    def __init__(self, fd: int) -> None:
        self._fd = fd

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def __del__(self) -> None:
        self.close()


def hold_for_reading(generation: Path) -> ReaderLock | Literal[False] | None:
    """Take the shared lock of `generation`: the lock (keep it while reading); None when the
    generation has no lock file (a store made before them, or one being removed: the caller
    checks CURRENT again); False when the generation was removed meanwhile."""
    try:
        fd = os.open(readers_file(generation), os.O_RDONLY)
    except FileNotFoundError:
        return None
    lock = ReaderLock(fd)
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_SH)  # waits only while a writer removes this generation
    if os.fstat(fd).st_nlink == 0 or not generation.is_dir():
        lock.close()
        return False
    return lock


def remove_if_unread(generation: Path) -> bool:
    """Remove a generation (and its lock file) unless a reader holds it; True if removed."""
    lock = readers_file(generation)
    try:
        fd = os.open(lock, os.O_RDONLY)
    except FileNotFoundError:
        shutil.rmtree(generation, ignore_errors=True)  # no lock file: nobody can hold it
        return True
    try:
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False  # a reader has it open; a later commit removes it
        shutil.rmtree(generation, ignore_errors=True)
        lock.unlink(missing_ok=True)
    finally:
        os.close(fd)
    return True
