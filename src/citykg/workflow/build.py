"""The one orchestrator: read -> validate -> map -> store (-> infer) -> query/export."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pyoxigraph as ox
from rdflib import URIRef

from citykg.errors import BuildRefused, StoreDamaged
from citykg.inference.materialise import Inferring, materialise, refresh, resources_of
from citykg.inference.reading import graph_triples, structures
from citykg.inference.rules import compile_rules
from citykg.inference.submissions import infer_submission
from citykg.model.ontology import ontology_graph
from citykg.progress import SILENT, Progress
from citykg.rdf.convert import quads_of
from citykg.rdf.iris import IRIs
from citykg.rdf.terms import PROV
from citykg.sources import expand
from citykg.sources.common import read_bytes
from citykg.store.build_cache import BuildCache, cache_key, read_cache, write_cache
from citykg.store.generations import (
    live_generation,
    new_generation,
    open_store,
    store_exists,
    store_iris,
    writing,
)
from citykg.store.graphs import OxigraphStore, base_of, with_default_graph
from citykg.store.history import keep
from citykg.store.loading import BackgroundLoader
from citykg.store.locks import DEFAULT_WAIT
from citykg.validation.report import Report
from citykg.workflow.assemble import Assembly, GraphEntry, graph_actions, graph_sources
from citykg.workflow.check import build_time
from citykg.workflow.prepare import prepared_files
from citykg.workflow.rebuild import plan, rewritten, stamp


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
    key = cache_key(iris.base)
    live_path = _readable_live(store_path)
    old = read_cache(store_path, key=key, generation=live_path.name if live_path else None)
    if old is not None and live_path is not None:
        rebuilt = _rebuild(
            files, old, live_path, store_path=store_path, iris=iris, built=built, progress=progress
        )
        if rebuilt is not None:
            return rebuilt
    return _cold_build(
        files, store_path=store_path, iris=iris, built=built, key=key, progress=progress, workers=workers
    )


def _cold_build(
    files: list[Path],
    *,
    store_path: Path,
    iris: IRIs,
    built: datetime,
    key: str,
    progress: Progress,
    workers: int | None,
) -> BuildResult:
    result = BuildResult(store=store_path)
    assembly = Assembly(iris=iris, built=built)
    with prepared_files(files, iris=iris, built=built, workers=workers) as prepared:
        live = _live_or_damaged(store_path, result)  # opened after forking: no store's threads forked

        def fill(store: OxigraphStore) -> None:
            nonlocal live
            assembly.store = store
            store.store.bulk_extend(with_default_graph(list(quads_of(ontology_graph(), iris.ontology_graph))))
            inferring = assembly.inferring = _inferring(store, assembly, iris=iris)
            progress.stage("checking and loading files", len(files))
            with BackgroundLoader(store.store) as assembly.loader:
                for prepared_file in prepared:
                    assembly.add_file(prepared_file)
                    progress.advance()
                assembly.finish()
            assembly.loader = None
            result.reports = assembly.reports
            if live is not None:
                minted = IRIs(base_of(live) or iris.base)  # a rebuild may choose another base
                for graph_iri in superseded(live, graph_sources(assembly.graphs, iris=iris)):
                    result.kept.append(keep(store_path, live, graph_iri, iris=minted))
                live = None  # closes it (and lets go of its readers' lock)
            _conclude(result, assembly.graphs, assembly.actions, iris=iris)
            progress.stage("inferring")
            if assembly.infer_from_store:
                materialise(store, iris=iris)
            else:
                inferring.finish(  # what holds across submissions
                    maybe_asserted=assembly.inferred_about, copies_loaded=not assembly.copies_from_store
                )
            _infer(result, store, iris=iris)
            result.triples = store.named_quads()
            assembly.store = assembly.inferring = None  # else the store stays open, compacting, once live

        try:
            target = new_generation(store_path, fill, base=iris.base)
        except BuildRefused as refused:
            if not refused.reports:  # two submissions disagree: the reports so far go with it
                refused.reports = assembly.reports
            raise
    write_cache(store_path, BuildCache(key, target.name, assembly.cached, result.triples))
    return result


def _rebuild(
    files: list[Path],
    old: BuildCache,
    live_path: Path,
    *,
    store_path: Path,
    iris: IRIs,
    built: datetime,
    progress: Progress,
) -> BuildResult | None:
    """The build of `files` as a change to the live generation, when the cache describes it
    and few files changed; None when a cold build is as quick."""
    digests = {path: hashlib.sha256(read_bytes(path)).hexdigest() for path in files}
    changed = [p for p in files if (c := old.files.get(str(p))) is None or c.sha256 != digests[p]]
    progress.stage("checking changed files", len(changed))
    fresh = {}
    with prepared_files(changed, iris=iris, built=built) as prepared:
        for prepared_file in prepared:
            fresh[prepared_file.path] = prepared_file
            progress.advance()
    rebuild = plan(files, digests, old, fresh, iris=iris)
    if rebuild is None:
        return None
    result = BuildResult(store=store_path, reports=rebuild.reports)

    def change(store: OxigraphStore) -> None:
        for graph_iri in superseded(store, graph_sources(rebuild.graphs, iris=iris)):
            result.kept.append(keep(store_path, store, graph_iri, iris=iris))
        progress.stage("updating the store", len(rebuild.rewrite) + len(rebuild.drop))
        graphs = rewritten(rebuild, built=built, iris=iris)
        touched = resources_of(store, graphs, [g for g in graphs.values() if g is not None])
        before = sum(_count(store, g) for g in graphs) + _count(store, iris.inferred_graph)
        store.replace_graphs(graphs, derived=frozenset({iris.inferred_graph}))
        stamp(store, rebuild.graphs, built=built)
        _conclude(result, rebuild.graphs, rebuild.actions, iris=iris)
        result.actions.insert(
            len(rebuild.actions),
            f"reused {len(rebuild.graphs) - len(rebuild.rewrite)} unchanged graph(s) of the last build; "
            f"checked {len(changed)} changed file(s), rewrote {len(rebuild.rewrite)} graph(s), "
            f"dropped {len(rebuild.drop)}",
        )
        progress.stage("inferring")
        refresh(store, iris=iris, changed=touched)
        _infer(result, store, iris=iris)
        after = sum(len(g) for g in graphs.values() if g is not None) + result.inferred
        result.triples = old.triples - before + after  # as counted, without a scan of the store

    target = new_generation(store_path, change, start_from=live_path, base=iris.base)
    write_cache(store_path, BuildCache(old.key, target.name, rebuild.files, result.triples))
    return result


def _inferring(store: OxigraphStore, assembly: Assembly, *, iris: IRIs) -> Inferring:
    """The inferred graph of a new store holding the ontology only, started with what the
    ontology infers on its own (none today: the rules are compiled from it; if some, its
    default-graph copies are made from the store); each submission's closure is added as it loads."""
    rules = compile_rules()
    inferring = Inferring(store, iris=iris, rules=rules)
    ontology = ox.NamedNode(str(iris.ontology_graph))
    skip = structures(store.store, ontology)
    closure = infer_submission(graph_triples(store.store, ontology, rules, skip=skip), rules)
    inferring.add(closure)
    assembly.copies_from_store = bool(closure.triples)
    return inferring


def _conclude(
    result: BuildResult, graphs: dict[URIRef, GraphEntry], merged: list[str], *, iris: IRIs
) -> None:
    result.actions.extend(merged)
    if result.kept:
        result.actions.append(
            f"kept {len(result.kept)} earlier version(s) this build drops or replaces in the history "
            "(citykg history CITY)"
        )
    result.graphs = sorted(graphs)
    result.actions.extend(graph_actions(graphs))


def _infer(result: BuildResult, store: OxigraphStore, *, iris: IRIs) -> None:
    result.inferred = _count(store, iris.inferred_graph)
    result.actions.append(f"inferred {result.inferred} triples into {iris.inferred_graph}")


def _count(store: OxigraphStore, graph: URIRef) -> int:
    """The quads of one named graph (a range of one index)."""
    [row] = store.store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")  # type: ignore[misc]
    return int(row["n"].value)


def _readable_live(store_path: Path) -> Path | None:
    """The live generation if it opens; None without one or for a damaged one (which the cold
    build then reports and rebuilds)."""
    if not store_exists(store_path):
        return None
    try:
        live_path = live_generation(store_path)
        open_store(store_path)  # reads its files: a truncated generation fails here (closed at once)
    except StoreDamaged:
        return None
    return live_path


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
    return changed_sources(stored_sources(live), new)


def changed_sources(old: dict[URIRef, set[URIRef]], new: dict[URIRef, set[URIRef]]) -> list[URIRef]:
    """The graphs of `old` (each with its sources) that `new` drops or derives from others."""
    return sorted(graph for graph, stated in old.items() if new.get(graph) != stated)


def stored_sources(store: OxigraphStore) -> dict[URIRef, set[URIRef]]:
    """The sources each named graph of `store` says it is derived from (prov:wasDerivedFrom)."""
    sources: dict[URIRef, set[URIRef]] = {}
    derived = ox.NamedNode(str(PROV.wasDerivedFrom))
    for graph in store.store.named_graphs():  # a lookup per graph: the inferred graph holds many more
        if isinstance(graph, ox.NamedNode):
            for quad in store.store.quads_for_pattern(graph, derived, None, graph):
                if isinstance(quad.object, ox.NamedNode):
                    sources.setdefault(URIRef(graph.value), set()).add(URIRef(quad.object.value))
    return sources
