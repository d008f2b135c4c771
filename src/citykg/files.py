"""Writing files: atomically (a reader sees the old file or the new one, never half of one),
and, for the files a user names (`-o`, `--output-dir`), only where nothing of theirs or of a
store is replaced."""

from __future__ import annotations

import errno
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from citykg.errors import CityKGError, OutputError

#: the file that marks a folder as a citykg store (store/folder.py writes and reads it)
STORE_MARKER = "citykg-store.json"
_GENERATION = re.compile(r"gen-\d{6}")

#: the errors that say a file system cannot take a write: not a bug, but a reason to tell the user
_WRITE_FAULTS = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EACCES, errno.EPERM)


def write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def write_fault(exc: OSError) -> str | None:
    """Why a write failed, in the system's words ('No space left on device', 'Read-only file
    system', ...), when it is the file system's doing; None for any other OSError. Oxigraph's
    errors carry no errno, only the words, so those are looked for too."""
    for code in _WRITE_FAULTS:
        if exc.errno == code or os.strerror(code) in str(exc):
            return os.strerror(code)
    return None


@contextmanager
def write_faults_as(error: type[CityKGError], what: str, *, where: Path | None, hint: str) -> Iterator[None]:
    """Turn a file-system fault inside the block (`write_fault`) into `error`: "cannot write
    `what`: <reason>". Any other OSError passes unchanged."""
    try:
        yield
    except OSError as exc:
        reason = write_fault(exc)
        if reason is None:
            raise
        raise error(
            f"cannot write {what}: {reason}", where=str(where) if where is not None else None, hint=hint
        ) from exc


def looks_like_store(folder: Path) -> bool:
    """A citykg store: the marker, or (stores made before the marker) a CURRENT file beside
    generation folders."""
    if (folder / STORE_MARKER).is_file():
        return True
    try:
        return (folder / "CURRENT").is_file() and any(
            _GENERATION.fullmatch(p.name) and p.is_dir() for p in folder.iterdir()
        )
    except OSError:
        return False


def inside_store(path: Path) -> bool:
    """Whether `path` (a file or folder, existing or not) is in a citykg store folder."""
    folder = path.absolute().parent.resolve()
    return any(looks_like_store(f) for f in (folder, *folder.parents))


def check_output(path: Path) -> None:
    """Refuse an output file that would replace a symbolic link, something that is not a
    regular file (a folder, device, pipe or socket), or a file inside a store."""
    if path.is_symlink():
        raise OutputError(
            "is a symbolic link; citykg does not replace links (nor what they point to)",
            where=str(path),
            hint="write to a new file name, or name the file the link points to",
        )
    if path.exists() and not path.is_file():
        raise OutputError(
            "is not a regular file (a folder, a device, a pipe or a socket); citykg only writes files",
            where=str(path),
            hint="choose a new file name",
        )
    if inside_store(path):
        raise OutputError(
            "is inside a citykg store folder; writing there could damage the store",
            where=str(path),
            hint="write the file outside the store folder",
        )


def write_output(path: Path, data: bytes) -> None:
    """Write a file the user named, atomically, after `check_output`; a full disk or a
    read-only folder is an OutputError naming the reason."""
    check_output(path)
    hint = "free some space or choose a writable folder; nothing was written"
    with write_faults_as(OutputError, "the file", where=path, hint=hint):
        write_atomically(path, data)
