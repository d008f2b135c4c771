"""Build on a remote store: the embedded build, unchanged, into a staging store in a temporary
folder (checks, mapping, inference: all local), then that generation uploaded under fresh
graph IRIs and made live by switching the pointer graph (docs/decisions/1601). The versions
it drops or replaces are kept in the remote store's history (store/remote/history.py)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
from rdflib import URIRef

from citykg.progress import SILENT, Progress
from citykg.rdf.iris import IRIs
from citykg.rdf.terms import PROV
from citykg.store.generations import live_generation
from citykg.store.graphs import ASSERTED, OxigraphStore
from citykg.store.locks import DEFAULT_WAIT
from citykg.store.remote.client import SparqlClient
from citykg.store.remote.generations import (
    ASSERTED_VIEW,
    live_iri,
    publish_generation,
    read_generation,
    triples_of,
)
from citykg.store.remote.history import keep_remote
from citykg.store.remote.locator import RemoteLocation
from citykg.store.remote.lock import remote_write_lock
from citykg.store.remote.reading import RemoteStore
from citykg.workflow.build import BuildResult, build, changed_sources, stored_sources


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
            result.kept = []  # they were kept in the staging store's history, which goes with it
            kept = upload_staging(client, staging, expected=expected, progress=progress)
    if kept:
        result.actions.append(
            f"kept {len(kept)} earlier version(s) this build drops or replaces in the history "
            "(citykg history CITY)"
        )
    return result


def upload_staging(
    client: SparqlClient, staging: Path, *, expected: str | None, progress: Progress = SILENT
) -> list[str]:
    """Upload the live generation of the store folder `staging` as the remote store's new
    generation, made live in place of `expected`; the live versions it drops or replaces are
    kept in the remote history first (their physical graphs: returned)."""
    generation = live_generation(staging)
    assert generation is not None
    store = ox.Store.read_only(str(generation))
    kept = []
    if expected is not None:
        live = RemoteStore(client, read_generation(client, expected))
        kept = [keep_remote(client, live, graph) for graph in superseded_remote(live, OxigraphStore(store))]
    names = sorted(g for g in store.named_graphs() if isinstance(g, ox.NamedNode))
    graphs = [(g.value, _counted(triples_of(store, g), progress)) for g in names]
    graphs.append((ASSERTED_VIEW, triples_of(store, ASSERTED)))  # decision 1304
    progress.stage("uploading graphs", len(graphs) + 1)
    try:
        publish_generation(client, graphs, triples_of(store, ox.DefaultGraph()), expected=expected)
    finally:
        progress.done()
    return kept


def superseded_remote(live: RemoteStore, staging: OxigraphStore) -> list[URIRef]:
    """As workflow.build.superseded: the live graphs of the remote store that the build in
    `staging` drops or derives from other sources (one query; no graph downloaded)."""
    logical = live.generation.logical()
    rows = live.client.rows(
        f"SELECT ?g ?x ?source WHERE {{ GRAPH ?g {{ ?x <{PROV.wasDerivedFrom}> ?source }} }}",
        named_graphs=[p for g, p in live.generation.graphs.items() if g != ASSERTED_VIEW],
    )
    old: dict[URIRef, set[URIRef]] = {}
    for row in rows:
        graph = logical.get(str(row["g"].value))
        if graph is not None and str(row["x"].value) == graph and isinstance(row["source"], ox.NamedNode):
            old.setdefault(URIRef(graph), set()).add(URIRef(row["source"].value))
    return changed_sources(old, stored_sources(staging))


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
