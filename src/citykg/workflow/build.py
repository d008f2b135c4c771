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
from citykg.sources import Submission, expand, read_file
from citykg.store.generations import new_generation, open_store, store_exists, store_iris, writing
from citykg.store.graphs import OxigraphStore, base_of
from citykg.store.history import keep
from citykg.store.locks import DEFAULT_WAIT
from citykg.validation.report import Report
from citykg.workflow.check import SubmissionGraph, build_time, check, combine, one_preferred_label


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


LOAD_BATCH = 200_000  # quads per bulk load


def build(
    paths: list[Path],
    *,
    store_path: Path,
    iris: IRIs | None = None,
    wait: float = DEFAULT_WAIT,
    progress: Progress = SILENT,
) -> BuildResult:
    """Build a new store from the submissions in `paths`; the old store stays until it succeeds.
    Without `iris`, it mints under the base the store was built with (else the default).

    The whole build holds the store's write lock (waiting up to `wait` seconds for another
    build or submit), so builds land in the order they started and none overwrites one it did
    not see. A damaged store (CURRENT or its generation unreadable) is rebuilt in place.
    `progress` is told of the stages: reading (files), checking (submissions), loading
    (graphs), inferring."""
    with writing(store_path, wait=wait):
        return _build(paths, store_path=store_path, iris=iris, progress=progress)


def _build(paths: list[Path], *, store_path: Path, iris: IRIs | None, progress: Progress) -> BuildResult:
    iris = iris or store_iris(store_path, replacing=True)  # without one: the store's own base
    files = expand(paths)
    progress.stage("reading", len(files))
    submissions: list[Submission] = []
    for path in files:
        submissions.extend(read_file(path))
        progress.advance()
    progress.stage("checking", len(submissions))
    checked = []
    for submission in submissions:
        checked.extend(check([submission], iris=iris))  # the vocabulary is loaded once (cached)
        progress.advance()
    reports = [c.report for c in checked]
    failed = [c for c in checked if not c.report.conforms]
    if failed:
        names = ", ".join(c.submission.source.location for c in failed)
        raise BuildRefused(
            f"{len(failed)} submission(s) do not conform: {names}",
            reports,
            hint="fix the problems listed above; the store was not changed",
        )
    checked = one_preferred_label(checked)  # the first spelling of a free-text answer, in build order
    groups, actions = combine(checked, iris=iris)
    built = build_time()
    result = BuildResult(store=store_path, reports=reports, actions=actions)
    live = _live_or_damaged(store_path, result)

    def fill(store: OxigraphStore) -> None:
        nonlocal live
        if live is not None:
            minted = IRIs(base_of(live) or iris.base)  # a rebuild may choose another base
            for graph_iri in superseded(live, groups, iris=iris):
                result.kept.append(keep(store_path, live, graph_iri, iris=minted))
            live = None  # closes it (and lets go of its readers' lock)
        if result.kept:
            result.actions.append(
                f"kept {len(result.kept)} earlier version(s) this build drops or replaces in the history "
                "(citykg history CITY)"
            )
        # one bulk load per batch: each call has a fixed cost (about 80 ms here)
        batch = list(quads_of(ontology_graph(), iris.ontology_graph))
        progress.stage("loading", len(groups))
        for group in sorted(groups, key=lambda g: g.mapped.graph_iri):
            graph = group.graph(built=built, iris=iris)
            batch.extend(quads_of(graph, group.mapped.graph_iri))
            if len(batch) > LOAD_BATCH:
                store.store.bulk_extend(batch)
                batch = []
            result.graphs.append(group.mapped.graph_iri)
            result.actions.append(
                f"{group.mapped.document.data['city']['name']} {group.mapped.wave}: "
                f"{len(group.mapped.facts)} facts from {', '.join(s.location for s in group.sources)}"
            )
            progress.advance()
        store.store.bulk_extend(batch)
        store.rebuild_union(derived=frozenset({iris.inferred_graph}))
        progress.stage("inferring")
        result.inferred = materialise(store, iris=iris).inferred
        result.actions.append(f"inferred {result.inferred} triples into {iris.inferred_graph}")
        result.triples = sum(1 for _ in store.quads())

    new_generation(store_path, fill, base=iris.base)
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


def superseded(live: OxigraphStore, groups: list[SubmissionGraph], *, iris: IRIs) -> list[URIRef]:
    """The live submission graphs that a build of `groups` drops, or builds from other sources
    (a graph derived from the same source files holds the same facts: the mapping is
    deterministic)."""
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
    new = {g.mapped.graph_iri: {iris.source(s.sha256) for s in g.sources} for g in groups}
    return sorted(graph for graph, stated in sources.items() if new.get(graph) != stated)
