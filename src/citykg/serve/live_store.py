"""The store's live generation, open in the server's own process for the index lookups of
linked data (a description is a few lookups: no query worker, no time limit needed).

Opened once, and again when `CURRENT` names another generation; the readers' lock of the old
one is let go when nothing holds it any more."""

from __future__ import annotations

import threading
from pathlib import Path

from citykg.store.generations import live_generation, open_store
from citykg.store.graphs import OxigraphStore


class LiveStore:
    """`get()`: the live generation of the store at `location`, open read-only."""

    def __init__(self, location: Path) -> None:
        self.location = location
        self._store: OxigraphStore | None = None
        self._lock = threading.Lock()

    def get(self) -> OxigraphStore:
        """The live generation, opened when it is not open yet.

        :raises StoreError: when there is no store (any more); StoreDamaged when it is damaged.
        """
        live = live_generation(self.location)
        with self._lock:
            if self._store is None or self._store.location != live:
                self._store = None
                self._store = open_store(self.location)
            return self._store


def generation_of(store: OxigraphStore) -> str:
    """The name of the generation a store is (`gen-000003`)."""
    return store.location.name if store.location is not None else ""
