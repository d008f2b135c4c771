"""The live generation of a remote store copied into a temporary embedded store, for the
commands that read every triple anyway (export, publish): they then run unchanged."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from citykg.store.generations import build_new_generation
from citykg.store.graphs import OxigraphStore
from citykg.store.remote.locator import RemoteLocation
from citykg.store.remote.reading import open_remote

_LOAD = 100_000  # quads per bulk load


@contextmanager
def local_copy(location: RemoteLocation) -> Iterator[Path]:
    """A store folder holding what the live generation of `location` holds, for the block."""
    remote = open_remote(location)
    try:
        with tempfile.TemporaryDirectory(prefix="citykg-copy-") as folder:
            target = Path(folder) / "store"

            def fill(store: OxigraphStore) -> None:
                default = ox.DefaultGraph()
                _load(store, remote.quads())
                _load(
                    store,
                    (ox.Quad(t.subject, t.predicate, t.object, default) for t in remote.default_triples()),
                )

            build_new_generation(target, fill, base=remote.base)
            yield target
    finally:
        remote.client.close()


def _load(store: OxigraphStore, quads: Iterable[ox.Quad]) -> None:
    batch: list[ox.Quad] = []
    for quad in quads:
        batch.append(quad)
        if len(batch) >= _LOAD:
            store.store.bulk_extend(batch)
            batch = []
    store.store.bulk_extend(batch)
