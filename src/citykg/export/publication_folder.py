"""The publication folder, replaced as a whole and only when it is citykg's own.

A publication is filled under a temporary name next to its place and then swapped in, so a
failed run leaves the previous one as it was. Its marker, `.citykg-publication`, is a manifest:
every file citykg wrote there with its SHA-256. A folder is replaced only when it is new,
empty, or an earlier publication holding nothing but what its manifest lists, unchanged. A
file someone added or edited, a sub-folder or a symbolic link in it, a folder that is itself a
link, or one inside a store is refused (exit 2) and left as it was: citykg never deletes what
it did not write.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from citykg.errors import OutputError
from citykg.files import inside_store, write_faults_as

MARKER = ".citykg-publication"
FORMAT = "citykg-publication"
VERSION = 1
#: the text of the marker citykg 0.1 wrote (no manifest: its files are known by their names)
_MARKER_0_1 = "citykg publication"
_SHOWN = 3  # foreign names listed in a refusal


def write_marker(target: Path) -> None:
    """The manifest of the files in `target` (written last, once they are all there)."""
    files = {p.name: _digest(p) for p in sorted(target.iterdir()) if p.name != MARKER}
    data = {
        "format": FORMAT,
        "version": VERSION,
        "about": "written by citykg publish, which replaces this folder as a whole when it holds "
        "only these files, unchanged",
        "files": files,
    }
    (target / MARKER).write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def replace_folder(folder: Path, fill: Callable[[Path], None], *, known: Callable[[str], bool]) -> None:
    """Fill a new folder next to `folder` (`fill`, then the marker), then swap it in; on failure
    `folder` is unchanged. `known` tells the names of the files citykg 0.1 publications held."""
    folder = folder.absolute()
    check_replaceable(folder, known=known)
    hint = "free some space or choose a writable folder; the earlier publication was left as it was"
    with write_faults_as(OutputError, "the publication", where=folder, hint=hint):
        _replace(folder, fill, known=known)


def check_replaceable(folder: Path, *, known: Callable[[str], bool]) -> None:
    """Refuse a folder citykg publish may not replace (see the module's description)."""
    if folder.is_symlink():
        raise OutputError(
            "is a symbolic link; citykg publish replaces neither links nor what they point to",
            where=str(folder),
            hint=f"publish into a new folder, or name the folder the link points to ({folder.resolve()})",
        )
    if inside_store(folder):
        raise OutputError(
            "is inside a citykg store folder; publishing there could damage the store",
            where=str(folder),
            hint="publish into a folder outside the store",
        )
    if not folder.exists():
        return
    if not folder.is_dir():
        raise OutputError("is a file, not a folder", where=str(folder), hint="choose a new folder")
    if not any(folder.iterdir()):
        return
    foreign = foreign_entries(folder, known=known)
    if foreign is None:
        raise OutputError(
            "this folder exists and is not a citykg publication; it was left alone",
            where=str(folder),
            hint="publish into a new or empty folder (an earlier publication is replaced)",
        )
    if foreign:
        more = f" and {len(foreign) - _SHOWN} more" if len(foreign) > _SHOWN else ""
        raise OutputError(
            "this publication holds what citykg publish did not write, or changed since: "
            f"{', '.join(foreign[:_SHOWN])}{more}; nothing was changed",
            where=str(folder),
            hint="move those out of the folder (or publish into another folder), then publish again",
        )


def foreign_entries(folder: Path, *, known: Callable[[str], bool]) -> list[str] | None:
    """The names in `folder` its publication's marker does not vouch for (added, changed, not
    a plain file); None when the folder holds no marker of a publication."""
    marker = folder / MARKER
    if marker.is_symlink() or not marker.is_file():
        return None
    try:
        text = marker.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    manifest: dict[str, str] | None
    try:
        data = json.loads(text)
    except ValueError:
        if not text.startswith(_MARKER_0_1):
            return None
        manifest = None  # a publication of citykg 0.1: its files are known by name
    else:
        listed = data.get("files") if isinstance(data, dict) else None
        if not isinstance(listed, dict) or data.get("format") != FORMAT:
            return None
        manifest = {str(k): str(v) for k, v in listed.items()}
    foreign = []
    for entry in sorted(folder.iterdir()):
        if entry.name == MARKER:
            continue
        if entry.is_symlink() or not entry.is_file():
            foreign.append(entry.name)
        elif manifest is None:
            if not known(entry.name):
                foreign.append(entry.name)
        elif manifest.get(entry.name) != _digest(entry):
            foreign.append(entry.name)
    return foreign


def _replace(folder: Path, fill: Callable[[Path], None], *, known: Callable[[str], bool]) -> None:
    folder.parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}.", suffix=".new"))
    try:
        fill(temp)
        write_marker(temp)
        temp.chmod(0o755)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    old: Path | None = None
    if folder.exists():
        old = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}.", suffix=".old"))
        os.replace(folder, old / "previous")
        previous = old / "previous"
        if any(previous.iterdir()) and foreign_entries(previous, known=known) != []:
            os.replace(previous, folder)  # something was added since the check: put it back
            shutil.rmtree(temp, ignore_errors=True)
            old.rmdir()
            check_replaceable(folder, known=known)  # says what
            raise OutputError("this folder changed while it was being published", where=str(folder))
    try:
        os.replace(temp, folder)
    except BaseException:
        if old is not None:
            os.replace(old / "previous", folder)
        shutil.rmtree(temp, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as data:
        for chunk in iter(lambda: data.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
