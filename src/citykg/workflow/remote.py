"""Build on a remote store: the embedded build, unchanged, into a staging store in a temporary
folder (checks, mapping, inference: all local), then that generation uploaded under fresh
graph IRIs and made live by switching the pointer graph (docs/decisions/1601)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from citykg.progress import SILENT, Progress
from citykg.rdf.iris import IRIs
from citykg.store.generations import live_generation
from citykg.store.locks import DEFAULT_WAIT
from citykg.store.remote.client import SparqlClient
from citykg.store.remote.generations import live_iri, publish_generation, triples_of
from citykg.store.remote.locator import RemoteLocation
from citykg.store.remote.lock import remote_write_lock
from citykg.workflow.build import BuildResult, build


def build_remote(
    paths: list[Path],
    *,
    location: RemoteLocation,
    iris: IRIs,
    wait: float = DEFAULT_WAIT,
    progress: Progress = SILENT,
) -> BuildResult:
    """Build the remote store at `location` from `paths`; its visible graphs change only when
    the whole new generation is uploaded, in one update of the pointer graph."""
    with SparqlClient(location) as client, remote_write_lock(client, wait=wait):
        expected = live_iri(client)
        with tempfile.TemporaryDirectory(prefix="citykg-stage-") as folder:
            staging = Path(folder) / "store"
            result = build(paths, store_path=staging, iris=iris, progress=_Until(progress))
            generation = live_generation(staging)
            assert generation is not None
            store = ox.Store.read_only(str(generation))
            names = sorted(g for g in store.named_graphs() if isinstance(g, ox.NamedNode))
            graphs = [(g.value, _counted(triples_of(store, g), progress)) for g in names]
            progress.stage("uploading graphs", len(graphs) + 1)
            try:
                publish_generation(client, graphs, triples_of(store, ox.DefaultGraph()), expected=expected)
            finally:
                progress.done()
            del store, graphs
    if expected is not None:
        result.actions.append("a remote store keeps no history of the versions a build replaces (not yet)")
    result.kept = []  # they were kept in the staging store's history, which went with it
    return result


class _Until:
    """A progress that the staging build cannot end: the upload follows it."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress

    def stage(self, name: str, total: int | None = None) -> None:
        self.progress.stage(name, total)

    def advance(self, steps: int = 1) -> None:
        self.progress.advance(steps)

    def done(self) -> None:
        pass


def _counted(triples: Iterator[ox.Triple], progress: Progress) -> Iterator[ox.Triple]:
    yield from triples
    progress.advance()
