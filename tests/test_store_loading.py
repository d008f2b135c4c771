"""The build's bulk loads on a thread of their own (store/loading.py)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from citykg.store.graphs import ASSERTED
from citykg.store.loading import BackgroundLoader

G = "<https://example.org/g>"


def _batch(first: int, count: int) -> tuple[bytes, bytes]:
    triples = [f'<urn:x:s{i}> <urn:x:p> "{i}"' for i in range(first, first + count)]
    quads = "".join(f"{t} {G} .\n" for t in triples)
    view = "".join(f"{t} .\n" for t in triples)
    return quads.encode(), view.encode()


def test_every_batch_is_in_the_store_once_the_block_ends() -> None:
    store = ox.Store()
    with BackgroundLoader(store) as loader:
        for start in range(0, 1000, 100):
            loader.load(*_batch(start, 100))
    graph = ox.NamedNode("https://example.org/g")
    assert len(list(store.quads_for_pattern(None, None, None, graph))) == 1000
    assert len(list(store.quads_for_pattern(None, None, None, ASSERTED))) == 1000  # the asserted view


def test_a_failed_load_is_raised_in_the_thread_that_waits() -> None:
    store = ox.Store()
    with pytest.raises(SyntaxError), BackgroundLoader(store) as loader:
        loader.load(b"<not an N-Quads line\n", b"")
    # nothing else is half-loaded by a later batch: the loader stops at the first error
    assert len(store) == 0


def test_leaving_on_an_error_waits_for_the_load_under_way() -> None:
    # the build's generation folder is removed after a failure: no load may still be writing it
    store = ox.Store()
    with pytest.raises(RuntimeError, match="refused"), BackgroundLoader(store) as loader:
        loader.load(*_batch(0, 5000))
        raise RuntimeError("the build was refused")
    assert not loader._thread.is_alive()
    assert len(store) in (0, 10000)  # the batch under way ended whole, or never started
