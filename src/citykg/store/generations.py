"""Store folders on disk: generations (gen-000001/, ...) and a CURRENT file naming the live one.
A writer (build or submit) fills a new generation and then replaces CURRENT atomically, so a
failed or killed run leaves the previous store as it was.

Writers hold the store's write lock (store/locks.py) and write only into a folder that is new,
empty or a citykg store (store/folder.py). Readers hold a shared lock on the generation they
opened, so a writer removes an old generation only once nobody reads it.
"""

from __future__ import annotations

import contextlib
import gc
import os
import re
import shutil
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from citykg.errors import StoreDamaged, StoreError
from citykg.files import write_atomically, write_faults_as
from citykg.rdf.iris import IRIs
from citykg.rdf.terms import DEFAULT_BASE
from citykg.store.folder import claim_store_folder, record_base, release_store_folder, stored_marker_base
from citykg.store.graphs import OxigraphStore, base_of
from citykg.store.locks import (
    DEFAULT_WAIT,
    READERS_DIR,
    WRITE_LOCK,
    hold_for_reading,
    new_readers_file,
    readers_file,
    remove_if_unread,
    write_lock,
)

DEFAULT_STORE = Path(".citykg") / "store"


STORE_ENV = "CITYKG_STORE"


_GENERATION = re.compile(r"gen-(\d{6})")
#: times a reader tries again when the generation it was opening is replaced meanwhile
_OPEN_ATTEMPTS = 20
_REBUILD = "rebuild it from your submissions: citykg build FILES... --store {} (its history is kept)"


def default_store_path() -> Path:
    """`$CITYKG_STORE` if set (and not empty), else `.citykg/store` in the current folder."""
    return Path(os.environ.get(STORE_ENV) or DEFAULT_STORE)


def live_generation(location: Path) -> Path | None:
    """The folder of the live generation (None when there is no store yet). A writer that
    checked against it can tell, under the build lock, whether another one has landed since."""
    return _current(location)


def damaged(location: Path, what: str) -> StoreDamaged:
    return StoreDamaged(f"the store is damaged: {what}", where=str(location), hint=_REBUILD.format(location))


def _current(location: Path) -> Path | None:
    pointer = location / "CURRENT"
    if not pointer.is_file():
        return None
    try:
        name = pointer.read_bytes().decode("utf-8", "replace").strip()
    except OSError as exc:
        raise damaged(location, f"its CURRENT file cannot be read ({exc.strerror})") from exc
    if not name:
        raise damaged(location, "its CURRENT file is empty")
    if not _GENERATION.fullmatch(name):
        raise damaged(location, f"its CURRENT file names no generation ({name[:40]!r})")
    if not (location / name).is_dir():
        raise damaged(location, f"its CURRENT file names a missing generation '{name}'")
    return location / name


def store_exists(location: Path) -> bool:
    return (location / "CURRENT").is_file()


def open_store(location: Path, *, read_only: bool = True) -> OxigraphStore:
    """The live generation of the store at `location` (opened read-only unless told otherwise),
    with its readers' lock held for as long as the returned store is."""
    for _ in range(_OPEN_ATTEMPTS):
        current = _current(location)
        if current is None:
            raise StoreError(
                "no store here yet",
                where=str(location),
                hint="build one first: citykg build data/ (or choose another with --store)",
            )
        holding = hold_for_reading(current)
        if holding is False or (holding is None and _current(location) != current):
            continue  # replaced and removed meanwhile: open the new one
        try:
            store = ox.Store.read_only(str(current)) if read_only else ox.Store(str(current))
        except (OSError, RuntimeError) as exc:
            if holding is not None:
                holding.close()
            if _current(location) != current:
                continue
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise damaged(location, f"its generation {current.name} cannot be read ({reason})") from exc
        return OxigraphStore(store, current, holding=holding)
    raise StoreError(
        "the store kept changing while it was being opened", where=str(location), hint="try again"
    )


@contextmanager
def writing(location: Path, *, wait: float = DEFAULT_WAIT) -> Iterator[None]:
    """Hold `location` for writing for the block: make sure it is new, empty or a store (and mark
    it), then take its write lock, waiting up to `wait` seconds for another writer. A full disk
    or a read-only folder becomes a StoreError naming the reason; a first build that fails
    leaves no store folder behind."""
    hint = (
        "nothing was changed; free some space or make the folder writable "
        "(or choose another with --store), then run the command again"
    )
    with write_faults_as(StoreError, "the store", where=location, hint=hint):
        created = claim_store_folder(location)
        with write_lock(location, wait=wait):
            try:
                yield
            except BaseException:
                if created and not store_exists(location):
                    _release(created)
                raise


def _release(created: list[Path]) -> None:
    # on a read-only or full file system, what is left is an empty, marked store folder
    with contextlib.suppress(OSError):
        release_store_folder(created, (WRITE_LOCK, READERS_DIR))


def build_new_generation(
    location: Path,
    fill: Callable[[OxigraphStore], None],
    *,
    wait: float = DEFAULT_WAIT,
    base: str | None = None,
) -> Path:
    """Fill a new generation, then make it live atomically; the previous one is removed once
    no reader holds it.

    If `fill` raises (or the process dies), `CURRENT` still names the previous generation.
    """
    with writing(location, wait=wait):
        return new_generation(location, fill, base=base)


def branch_generation(
    location: Path, change: Callable[[OxigraphStore], None], *, wait: float = DEFAULT_WAIT
) -> Path:
    """A new generation that starts as a checkpoint of the live one (hard links to its immutable
    files, so the copy costs little whatever the store's size), changed by `change`, then made
    live by replacing `CURRENT` atomically.

    The live generation is only read (opened read-only); until `CURRENT` is replaced, every
    reader sees it unchanged, and a failure or a killed process leaves it as it was.
    """
    with writing(location, wait=wait):
        return new_generation(location, change, start_from=_current(location))


def new_generation(
    location: Path,
    fill: Callable[[OxigraphStore], None],
    *,
    start_from: Path | None = None,
    base: str | None = None,
) -> Path:
    """Under the write lock (`writing`): fill a new generation (starting as a checkpoint of
    `start_from` when given), make it live by replacing `CURRENT` atomically, and remove the
    generations no reader holds any more. `base` is noted in the store's marker."""
    live = _live_name(location)
    if live is not None and not readers_file(location / live).exists():
        new_readers_file(location / live)  # a store made before the readers' locks
    _remove_unread(location, keep=live)
    numbers = [int(m.group(1)) for p in location.iterdir() if (m := _GENERATION.match(p.name))]
    name = f"gen-{max(numbers, default=0) + 1:06d}"
    target = location / name
    new_readers_file(target)
    try:
        if start_from is not None:
            source = ox.Store.read_only(str(start_from))
            source.backup(str(target))
            del source
        store = OxigraphStore(ox.Store(str(target)), target)
        fill(store)
        store.flush()
        del store
        if base is not None:
            record_base(location, base)
        write_atomically(location / "CURRENT", (name + "\n").encode())
    except BaseException as exc:
        store = None  # noqa: F841 - drop this frame's reference so the store closes
        _discard(target, exc)
        raise
    _remove_unread(location, keep=name)
    return target


def _live_name(location: Path) -> str | None:
    """The name CURRENT holds if it is a generation's (None for none, or a damaged CURRENT)."""
    pointer = location / "CURRENT"
    try:
        name = pointer.read_bytes().decode("utf-8", "replace").strip() if pointer.is_file() else ""
    except OSError:
        return None
    return name if _GENERATION.fullmatch(name) and (location / name).is_dir() else None


def _remove_unread(location: Path, *, keep: str | None) -> None:
    """Remove every generation but `keep` that no reader holds: earlier live ones, and those a
    killed run left behind (and the lock files of generations already gone)."""
    for path in sorted(location.iterdir()):
        if _GENERATION.fullmatch(path.name) and path.name != keep:
            remove_if_unread(path)
    readers = location / READERS_DIR
    if readers.is_dir():
        for lock in sorted(readers.iterdir()):
            generation = location / lock.name
            if _GENERATION.fullmatch(lock.name) and lock.name != keep and not generation.exists():
                remove_if_unread(generation)


def _discard(target: Path, exc: BaseException) -> None:
    """Remove a half-written generation. The store must be closed first, and pyoxigraph closes
    a store only when it is garbage: the failed frames' local variables would keep it open (and
    its background threads writing into the folder being removed), so they are cleared."""
    traceback.clear_frames(exc.__traceback__)
    gc.collect()
    shutil.rmtree(target, ignore_errors=True)
    readers_file(target).unlink(missing_ok=True)


def stored_base(location: Path) -> str | None:
    """The base IRI the store at `location` was built with (None when there is no store yet)."""
    return base_of(open_store(location)) if store_exists(location) else None


def store_iris(location: Path, base: str | None = None, *, replacing: bool = False) -> IRIs:
    """The IRIs to mint and read with for the store at `location`: those of the base it was
    built with, so that no command has to be told it again. A `base` given for an existing store
    must be that one, unless the store is being rebuilt (`replacing`); without a store, `base`
    or the default."""
    try:
        stored = stored_base(location)
    except StoreDamaged:
        if not replacing:
            raise
        stored = stored_marker_base(location)  # a rebuild of a damaged store: the marker knows
    return iris_for(stored, base, replacing=replacing, where=str(location))


def iris_for(stored: str | None, base: str | None, *, replacing: bool, where: str) -> IRIs:
    """The IRIs of a store built with `stored` (None: no store yet) asked for with `base`."""
    if base is not None and stored is not None and base != stored and not replacing:
        raise StoreError(
            f"this store was built with the base IRI {stored}, not {base}",
            where=where,
            hint="leave out --base (the store remembers its own), or rebuild it with citykg build --base",
        )
    chosen = base or stored or DEFAULT_BASE
    try:
        return IRIs(chosen)
    except ValueError as exc:
        raise StoreError(str(exc), where=where, hint="give an http(s) IRI ending in '/'") from exc
