"""The store's live generation, open in the server's own process (for the index lookups of
linked data: a description is a few lookups, no query worker, no time limit needed) and in
each query worker.

Opened once, and again when `CURRENT` (a folder) or the pointer graph (a remote store,
docs/decisions/1601) names another generation; the readers' lock of an old embedded
generation is let go when nothing holds it any more. A remote store's pointer is read again
for every request, so a build on the server while serving is seen by the next request, and a
request reads one generation throughout (its manifest, read once, names its graphs).
"""

from __future__ import annotations

import threading
from pathlib import Path

from citykg.errors import StoreError
from citykg.store.generations import live_generation, open_store
from citykg.store.graphs import OxigraphStore
from citykg.store.remote.client import SparqlClient
from citykg.store.remote.generations import live_iri, read_generation
from citykg.store.remote.locator import RemoteLocation
from citykg.store.remote.reading import RemoteStore
from citykg.store.subjects import Readable


class LiveStore:
    """`get()`: the live generation of the store at `location`, open read-only."""

    def __init__(self, location: Path | RemoteLocation) -> None:
        self.location = location
        self._store: Readable | None = None
        self._client: SparqlClient | None = None
        self._lock = threading.Lock()

    def get(self) -> Readable:
        """The live generation, opened when it is not open yet.

        :raises StoreError: when there is no store (any more); StoreDamaged when it is damaged.
        """
        if isinstance(self.location, RemoteLocation):
            return self._remote(self._live_iri())
        live = live_generation(self.location)
        with self._lock:
            if not isinstance(self._store, OxigraphStore) or self._store.location != live:
                self._store = None
                self._store = open_store(self.location)
            return self._store

    def close(self) -> None:
        """Let go of the connection to a remote store (a folder's generation stays open)."""
        with self._lock:
            client, self._client = self._client, None
            if isinstance(self._store, RemoteStore):
                self._store = None
        if client is not None:
            client.close()

    def generation(self) -> str:
        """The name of the live generation (`gen-000003`; remote: `gen-000003-1a2b3c4d`).

        :raises StoreError: when there is no store (any more), or it is damaged.
        """
        if isinstance(self.location, RemoteLocation):
            return self._live_iri().rsplit("/", 1)[-1]
        live = live_generation(self.location)
        if live is None:
            raise StoreError("no store here (any more)", where=str(self.location))
        return live.name

    def _live_iri(self) -> str:
        assert isinstance(self.location, RemoteLocation)
        with self._lock:
            if self._client is None:
                self._client = SparqlClient(self.location)
            client = self._client
        found = live_iri(client)
        if found is None:
            raise StoreError(
                f"no citykg store here (any more): no graphs under {self.location.prefix}",
                where=str(self.location),
                hint="build one: citykg build data/ --store ...",
            )
        return found

    def _remote(self, iri: str) -> RemoteStore:
        with self._lock:
            current = self._store
        if isinstance(current, RemoteStore) and current.generation.iri == iri:
            return current
        assert self._client is not None
        opened = RemoteStore(self._client, read_generation(self._client, iri))  # its manifest, once
        with self._lock:
            self._store = opened
        return opened


def generation_of(store: Readable) -> str:
    """The name of the generation a store is (`gen-000003`)."""
    if isinstance(store, RemoteStore):
        return store.name
    return store.location.name if store.location is not None else ""
