"""Bulk loads on a thread of their own, so that the process writing a store keeps taking the
workers' results while pyoxigraph loads the last batch (it lets go of the GIL while it loads).
Without it, every load stalled the workers: they fill the few results the build may hold
ahead, then wait for the load to end (docs/decisions/1301, step 7).
"""

from __future__ import annotations

import queue
import threading
from types import TracebackType

import pyoxigraph as ox

from citykg.store.graphs import ASSERTED


class BackgroundLoader:
    """Loads batches of N-Quads (and the asserted view's N-Triples) into `store`, in order, on
    one thread; at most `pending` batches wait, so memory stays bounded. Use it as a context
    manager: leaving the block waits for every load, and raises the first load's error; leaving
    it on an error stops the loads still waiting (the build's generation is then discarded)."""

    def __init__(self, store: ox.Store, *, pending: int = 1) -> None:
        self.store = store
        self._jobs: queue.Queue[tuple[bytes, bytes] | None] = queue.Queue(maxsize=pending)
        self._error: BaseException | None = None
        self._abandon = False
        self._thread = threading.Thread(target=self._run, name="citykg-bulk-load", daemon=True)
        self._thread.start()

    def load(self, nquads: bytes, view: bytes) -> None:
        """Queue one batch (waiting while `pending` batches wait); raises a failed load's error."""
        self._raise()
        self._jobs.put((nquads, view))

    def _run(self) -> None:
        while (job := self._jobs.get()) is not None:
            if self._error is not None or self._abandon:
                continue  # drain: the build is failing, nothing more is loaded
            nquads, view = job
            try:
                # lenient: no second check of the IRIs, which pyoxigraph checked when the worker
                # wrote each term (rdf.convert.nt_term); literals are written escaped
                self.store.bulk_load(nquads, format=ox.RdfFormat.N_QUADS, lenient=True)
                # the asserted view: a graph named by a blank node (decision 1304)
                self.store.bulk_load(view, format=ox.RdfFormat.N_TRIPLES, to_graph=ASSERTED, lenient=True)
            except BaseException as exc:  # handed to the thread that waits (`_raise`)
                self._error = exc

    def _raise(self) -> None:
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def __enter__(self) -> BackgroundLoader:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._abandon = exc is not None
        self._jobs.put(None)
        self._thread.join()
        if exc is None:
            self._raise()
