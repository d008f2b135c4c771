"""The one orchestrator: read -> validate -> map -> store (-> infer) -> query/export."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import URIRef

from citykg.errors import BuildRefused, StoreDamaged
from citykg.inference.materialise import materialise
from citykg.model.ontology import ontology_graph
from citykg.progress import SILENT, Progress
from citykg.rdf.convert import quads_of
from citykg.rdf.iris import IRIs
from citykg.rdf.terms import PROV
from citykg.sources import expand
from citykg.store.generations import new_generation, open_store, store_exists, store_iris, writing
from citykg.store.graphs import OxigraphStore, base_of, with_default_graph
from citykg.store.history import keep
from citykg.store.locks import DEFAULT_WAIT
from citykg.validation.report import Report
from citykg.workflow.assemble import Assembly
from citykg.workflow.check import build_time
from citykg.workflow.prepare import prepared_files


@dataclass
class BuildResult:
    store: Path
    graphs: list[URIRef] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    reports: list[Report] = field(default_factory=list)
    triples: int = 0
    inferred: int = 0
    #: history files of the versions this build dropped or replaced with other sources' facts
    kept: list[Path] = field(default_factory=list)


def build(
    paths: list[Path],
    *,
    store_path: Path,
    iris: IRIs | None = None,
    wait: float = DEFAULT_WAIT,
    progress: Progress = SILENT,
    workers: int | None = None,
) -> BuildResult:
    """Build a new store from the submissions in `paths`; the old store stays until it succeeds.
    Without `iris`, it mints under the base the store was built with (else the default).

    The whole build holds the store's write lock (waiting up to `wait` seconds for another
    build or submit), so builds land in the order they started and none overwrites one it did
    not see. A damaged store (CURRENT or its generation unreadable) is rebuilt in place.
    Files are prepared on every core (`workers` processes; 1 prepares them in this one)."""
    with writing(store_path, wait=wait):
        try:
            return _build(paths, store_path=store_path, iris=iris, progress=progress, workers=workers)
        finally:
            progress.done()


def _build(
    paths: list[Path], *, store_path: Path, iris: IRIs | None, progress: Progress, workers: int | None
) -> BuildResult:
    iris = iris or store_iris(store_path, replacing=True)  # without one: the store's own base
    files = expand(paths)
    built = build_time()
    result = BuildResult(store=store_path)
    assembly = Assembly(iris=iris, built=built)
    with prepared_files(files, iris=iris, built=built, workers=workers) as prepared:
        live = _live_or_damaged(store_path, result)  # opened after forking: no store's threads forked

        def fill(store: OxigraphStore) -> None:
            nonlocal live
            assembly.store = store
            store.store.bulk_extend(with_default_graph(list(quads_of(ontology_graph(), iris.ontology_graph))))
            progress.stage("checking and loading files", len(files))
            for prepared_file in prepared:
                assembly.add_file(prepared_file)
                progress.advance()
            assembly.finish()
            result.reports = assembly.reports
            result.actions.extend(assembly.actions)
            if live is not None:
                minted = IRIs(base_of(live) or iris.base)  # a rebuild may choose another base
                for graph_iri in superseded(live, assembly.sources()):
                    result.kept.append(keep(store_path, live, graph_iri, iris=minted))
                live = None  # closes it (and lets go of its readers' lock)
            if result.kept:
                result.actions.append(
                    f"kept {len(result.kept)} earlier version(s) this build drops or replaces in the history "
                    "(citykg history CITY)"
                )
            result.graphs = sorted(assembly.graphs)
            result.actions.extend(assembly.graph_actions())
            progress.stage("inferring")
            result.inferred = materialise(store, iris=iris).inferred
            result.actions.append(f"inferred {result.inferred} triples into {iris.inferred_graph}")
            result.triples = store.named_quads()

        try:
            new_generation(store_path, fill, base=iris.base)
        except BuildRefused as refused:
            if not refused.reports:  # two submissions disagree: the reports so far go with it
                refused.reports = assembly.reports
            raise
    return result


def _live_or_damaged(store_path: Path, result: BuildResult) -> OxigraphStore | None:
    """The live store, to keep what the build replaces in the history; None without one, and
    for a damaged one (noted in the actions: the build replaces it)."""
    if not store_exists(store_path):
        return None
    try:
        return open_store(store_path)
    except StoreDamaged as exc:
        result.actions.append(
            f"{exc.message}; rebuilding it from these files (what only that generation held "
            "could not be kept in the history)"
        )
        return None


def superseded(live: OxigraphStore, new: dict[URIRef, set[URIRef]]) -> list[URIRef]:
    """The live submission graphs that a build of the graphs `new` (each with the IRIs of its
    sources) drops, or builds from other sources (a graph derived from the same source files
    holds the same facts: the mapping is deterministic)."""
    sources: dict[URIRef, set[URIRef]] = {}
    derived = ox.NamedNode(str(PROV.wasDerivedFrom))
    for quad in live.store.quads_for_pattern(None, derived, None, None):
        graph = quad.graph_name
        if (
            isinstance(graph, ox.NamedNode)
            and quad.subject == graph
            and isinstance(quad.object, ox.NamedNode)
        ):
            sources.setdefault(URIRef(graph.value), set()).add(URIRef(quad.object.value))
    return sorted(graph for graph, stated in sources.items() if new.get(graph) != stated)
