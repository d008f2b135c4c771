"""Store folders on disk: generations (gen-000001/, ...) and a CURRENT file naming the live one. A
build fills a new generation and then replaces CURRENT atomically, so a failed or killed build
leaves the previous store as it was.
"""

from __future__ import annotations

import gc
import os
import re
import shutil
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from citykg.errors import StoreError
from citykg.files import write_atomically
from citykg.rdf.iris import IRIs
from citykg.rdf.terms import DEFAULT_BASE
from citykg.store.graphs import OxigraphStore, base_of

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; builds must not overlap
    fcntl = None  # type: ignore[assignment]

DEFAULT_STORE = Path(".citykg") / "store"


STORE_ENV = "CITYKG_STORE"


_GENERATION = re.compile(r"gen-(\d{6})")


def default_store_path() -> Path:
    """`$CITYKG_STORE` if set, else `.citykg/store` in the current folder."""
    return Path(os.environ.get(STORE_ENV) or DEFAULT_STORE)


def live_generation(location: Path) -> Path | None:
    """The folder of the live generation (None when there is no store yet). A writer that
    checked against it can tell, under the build lock, whether another one has landed since."""
    return _current(location)


def _current(location: Path) -> Path | None:
    pointer = location / "CURRENT"
    if not pointer.is_file():
        return None
    name = pointer.read_text(encoding="utf-8").strip()
    if not _GENERATION.fullmatch(name) or not (location / name).is_dir():
        raise StoreError(
            f"store pointer names a missing generation '{name}'",
            where=str(location),
            hint="the store is damaged; rebuild it with citykg build",
        )
    return location / name


def store_exists(location: Path) -> bool:
    return (location / "CURRENT").is_file()


def open_store(location: Path, *, read_only: bool = True) -> OxigraphStore:
    """The live generation of the store at `location`."""
    current = _current(location)
    if current is None:
        raise StoreError(
            "no store here yet",
            where=str(location),
            hint="build one first: citykg build data/ (or choose another with --store)",
        )
    try:
        store = ox.Store.read_only(str(current)) if read_only else ox.Store(str(current))
    except OSError as exc:
        raise StoreError(
            f"cannot open the store: {exc}",
            where=str(location),
            hint="another citykg process may be writing it; try again",
        ) from exc
    return OxigraphStore(store, current)


def build_new_generation(location: Path, fill: Callable[[OxigraphStore], None]) -> Path:
    """Fill a new generation, then make it live atomically; the previous one is removed.

    If `fill` raises (or the process dies), `CURRENT` still names the previous generation.
    """
    _make_folder(location)
    with _build_lock(location):
        return _fill_generation(location, fill)


def _fill_generation(
    location: Path, fill: Callable[[OxigraphStore], None], *, start_from: Path | None = None
) -> Path:
    """Fill a new generation (starting as a checkpoint of `start_from` when given), then make it
    live by replacing `CURRENT` atomically and remove the previous one."""
    _remove_orphans(location)
    numbers = [int(m.group(1)) for p in location.iterdir() if (m := _GENERATION.fullmatch(p.name))]
    name = f"gen-{max(numbers, default=0) + 1:06d}"
    target = location / name
    previous = _current(location)
    try:
        if start_from is not None:
            source = ox.Store.read_only(str(start_from))
            source.backup(str(target))
            del source
        store = OxigraphStore(ox.Store(str(target)), target)
        fill(store)
        store.flush()
        del store
    except BaseException as exc:
        store = None  # noqa: F841 - drop this frame's reference so the store closes
        _discard(target, exc)
        raise
    write_atomically(location / "CURRENT", (name + "\n").encode())
    if previous is not None:
        shutil.rmtree(previous, ignore_errors=True)
    return target


def _make_folder(location: Path) -> None:
    if location.exists() and not location.is_dir():
        raise StoreError(
            "is a file, not a store folder", where=str(location), hint="choose a folder with --store"
        )
    try:
        location.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(
            f"cannot create the store folder: {exc.strerror}",
            where=str(location),
            hint="choose another folder with --store (or $CITYKG_STORE)",
        ) from exc


@contextmanager
def _build_lock(location: Path) -> Iterator[None]:
    """One build at a time per store: a second one would take the first's generation for an
    orphan. The lock is released when the process ends, however it ends."""
    with open(location / "LOCK", "a+b") as handle:
        if fcntl is not None:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as exc:
                raise StoreError(
                    "another build is writing this store",
                    where=str(location),
                    hint="wait for it to finish, then try again",
                ) from exc
        yield


def _remove_orphans(location: Path) -> None:
    """Remove generations a killed build left behind (never the live one)."""
    pointer = location / "CURRENT"
    live = pointer.read_text(encoding="utf-8").strip() if pointer.is_file() else None
    for path in location.iterdir():
        if _GENERATION.fullmatch(path.name) and path.name != live:
            shutil.rmtree(path, ignore_errors=True)


def branch_generation(location: Path, change: Callable[[OxigraphStore], None]) -> Path:
    """A new generation that starts as a checkpoint of the live one (hard links to its immutable
    files, so the copy costs little whatever the store's size), changed by `change`, then made
    live by replacing `CURRENT` atomically.

    The live generation is only read (opened read-only); until `CURRENT` is replaced, every
    reader sees it unchanged, and a failure or a killed process leaves it as it was.
    """
    _make_folder(location)
    with _build_lock(location):
        return _branch(location, change)


def _branch(location: Path, change: Callable[[OxigraphStore], None]) -> Path:
    _remove_orphans(location)
    return _fill_generation(location, change, start_from=_current(location))


def _discard(target: Path, exc: BaseException) -> None:
    """Remove a half-written generation. The store must be closed first, and pyoxigraph closes
    a store only when it is garbage: the failed frames' local variables would keep it open (and
    its background threads writing into the folder being removed), so they are cleared."""
    traceback.clear_frames(exc.__traceback__)
    gc.collect()
    shutil.rmtree(target, ignore_errors=True)


def stored_base(location: Path) -> str | None:
    """The base IRI the store at `location` was built with (None when there is no store yet)."""
    return base_of(open_store(location)) if store_exists(location) else None


def store_iris(location: Path, base: str | None = None, *, replacing: bool = False) -> IRIs:
    """The IRIs to mint and read with for the store at `location`: those of the base it was
    built with, so that no command has to be told it again. A `base` given for an existing store
    must be that one, unless the store is being rebuilt (`replacing`); without a store, `base`
    or the default."""
    stored = stored_base(location)
    if base is not None and stored is not None and base != stored and not replacing:
        raise StoreError(
            f"this store was built with the base IRI {stored}, not {base}",
            where=str(location),
            hint="leave out --base (the store remembers its own), or rebuild it with citykg build --base",
        )
    chosen = base or stored or DEFAULT_BASE
    try:
        return IRIs(chosen)
    except ValueError as exc:
        raise StoreError(str(exc), where=str(location), hint="give an http(s) IRI ending in '/'") from exc
