"""Which folders citykg may write a store into: a new one, an empty one, or a citykg store.

A store folder is marked by `citykg-store.json` (its format and version, and the base IRI it
was last built with, which is what a rebuild of a damaged store needs). Stores made before the
marker (a CURRENT file beside gen-NNNNNN folders) are recognised and get the marker at their
next build or submit. Any other folder is refused: citykg never removes what it did not make.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

from citykg.errors import StoreError
from citykg.files import STORE_MARKER, looks_like_store, write_atomically

FORMAT = "citykg-store"
VERSION = 1


def check_store_folder(location: Path) -> None:
    """Refuse a folder that is neither absent, empty, nor a citykg store (nothing is written)."""
    if not location.exists():
        return
    if not location.is_dir():
        raise StoreError(
            "is a file, not a store folder", where=str(location), hint="choose a folder with --store"
        )
    if (location / STORE_MARKER).exists():
        _check_version(location)
        return
    if looks_like_store(location) or not any(location.iterdir()):
        return
    raise StoreError(
        f"this folder is not empty and is not a citykg store (it has no {STORE_MARKER}); "
        "citykg leaves it alone",
        where=str(location),
        hint="choose a new or empty folder with --store (or $CITYKG_STORE), or the folder of a citykg store",
    )


def claim_store_folder(location: Path) -> list[Path]:
    """Make `location` a store folder (after `check_store_folder`): create it and write the
    marker if they are missing. Returns what it created (the marker, then the folders, deepest
    first) for `release_store_folder`; nothing when the folder was a store already."""
    check_store_folder(location)
    if (location / STORE_MARKER).exists():
        return []
    folders = [p for p in (location, *location.parents) if not p.exists()]
    location.mkdir(parents=True, exist_ok=True)
    _write_marker(location, None)
    return [location / STORE_MARKER, *folders]


def record_base(location: Path, base: str) -> None:
    """Note in the marker the base IRI the store is built with (under the write lock)."""
    if stored_marker_base(location) != base:
        _write_marker(location, base)


def release_store_folder(created: list[Path], leftovers: tuple[str, ...]) -> None:
    """Undo `claim_store_folder` after a first build that failed: remove the marker and the
    folders it created, and the `leftovers` (names of files and empty folders the writer made
    in it), as long as nothing else is in them."""
    for path in created:
        if path.name == STORE_MARKER:
            path.unlink(missing_ok=True)
            for name in leftovers:
                leftover = path.parent / name
                if leftover.is_dir():
                    with contextlib.suppress(OSError):
                        leftover.rmdir()  # only when empty
                else:
                    leftover.unlink(missing_ok=True)
        else:
            try:
                path.rmdir()
            except OSError:
                return  # something else is in it now: leave it


def stored_marker_base(location: Path) -> str | None:
    """The base IRI the marker records (None when it records none or cannot be read)."""
    data = _marker(location)
    base = data.get("base") if data else None
    return base if isinstance(base, str) else None


def _marker(location: Path) -> dict[str, object] | None:
    try:
        data = json.loads((location / STORE_MARKER).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None  # a damaged marker still marks the folder; the next build rewrites it
    return data if isinstance(data, dict) else None


def _check_version(location: Path) -> None:
    data = _marker(location)
    version = data.get("version") if data else None
    if isinstance(version, int) and version > VERSION:
        raise StoreError(
            f"this store was made by a newer citykg (store format {version}; this one reads {VERSION})",
            where=str(location),
            hint="use a newer citykg, or build a new store in another folder",
        )


def _write_marker(location: Path, base: str | None) -> None:
    data: dict[str, object] = {
        "format": FORMAT,
        "version": VERSION,
        "about": "a citykg store: citykg build and submit write here; leave the rest of this folder to them",
    }
    if base is not None:
        data["base"] = base
    write_atomically(location / STORE_MARKER, (json.dumps(data, indent=2) + "\n").encode())
