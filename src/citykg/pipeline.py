"""The one orchestrator: read -> validate -> map -> store (-> infer) -> query/export."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef

from citykg.errors import NotConforming
from citykg.history import keep
from citykg.inferred_graph import materialise
from citykg.iris import IRIs
from citykg.mapping import Mapped, Source, evidence, provenance
from citykg.sources import Submission, read_paths
from citykg.store import OxigraphStore, base_of, build_new_generation, open_store, quads_of, store_exists
from citykg.terms import PROV
from citykg.validation import Report, ontology_graph, validate_submission
from citykg.vocabulary import load_vocabulary


@dataclass
class Checked:
    submission: Submission
    report: Report
    mapped: Mapped | None


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


class BuildRefused(NotConforming):
    """The build found problems and left the store as it was."""

    def __init__(self, message: str, reports: list[Report], *, hint: str | None = None):
        super().__init__(message, hint=hint)
        self.reports = reports


def build_time() -> datetime:
    """Now, or `SOURCE_DATE_EPOCH` for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch else datetime.now(UTC)
    return moment.replace(microsecond=0)


def check(submissions: list[Submission], *, iris: IRIs) -> list[Checked]:
    vocabulary = load_vocabulary()
    out = []
    for submission in submissions:
        report, mapped = validate_submission(submission, vocabulary=vocabulary, iris=iris)
        out.append(Checked(submission, report, mapped))
    return out


def validate_paths(paths: list[Path], *, iris: IRIs | None = None) -> list[Report]:
    return [c.report for c in check(read_paths(paths), iris=iris or IRIs())]


@dataclass
class SubmissionGraph:
    """What goes into one named graph: one city and wave, from one or more sources."""

    mapped: Mapped
    sources: list[Source]
    evidence: Graph

    def graph(self, *, built: datetime, iris: IRIs) -> Graph:
        graph = Graph()
        for part in (
            self.mapped.facts,
            provenance(self.mapped, self.sources, built=built, iris=iris),
            self.evidence,
        ):
            for triple in part:
                graph.add(triple)
        return graph


def combine(checked: list[Checked], *, iris: IRIs) -> tuple[list[SubmissionGraph], list[str]]:
    """One graph per city and wave; the same facts from several sources merge, others refuse."""
    groups: dict[URIRef, SubmissionGraph] = {}
    actions: list[str] = []
    for item in checked:
        assert item.mapped is not None
        mapped, source = item.mapped, item.submission.source
        found = groups.get(mapped.graph_iri)
        if found is None:
            groups[mapped.graph_iri] = SubmissionGraph(mapped, [source], evidence(mapped, source, iris=iris))
            continue
        first = found.sources[0].location
        label = f"{mapped.document.data['city']['name']} {mapped.wave}"
        if set(found.mapped.facts) != set(mapped.facts):
            only_first = set(found.mapped.facts) - set(mapped.facts)
            only_second = set(mapped.facts) - set(found.mapped.facts)
            fields = sorted(
                {found.mapped.fields[t] for t in only_first} | {mapped.fields[t] for t in only_second}
            )
            raise BuildRefused(
                f"{first} and {source.location} both describe {label} but disagree "
                f"({len(only_first)} facts only in the first, {len(only_second)} only in the second; "
                f"fields: {', '.join(fields[:5])}{', ...' if len(fields) > 5 else ''})",
                [],
                hint="keep one submission per city and wave, or make them agree",
            )
        found.sources.append(source)
        found.evidence += evidence(mapped, source, iris=iris)
        actions.append(f"{label}: {source.location} states the same facts as {first}; merged into one graph")
    return list(groups.values()), actions


def build(paths: list[Path], *, store_path: Path, iris: IRIs | None = None) -> BuildResult:
    """Build a new store from the submissions in `paths`; the old store stays until it succeeds."""
    iris = iris or IRIs()
    checked = check(read_paths(paths), iris=iris)
    reports = [c.report for c in checked]
    failed = [c for c in checked if not c.report.conforms]
    if failed:
        names = ", ".join(c.submission.source.location for c in failed)
        raise BuildRefused(
            f"{len(failed)} submission(s) do not conform: {names}",
            reports,
            hint="fix the problems listed above; the store was not changed",
        )
    groups, actions = combine(checked, iris=iris)
    built = build_time()
    result = BuildResult(store=store_path, reports=reports, actions=actions)

    def fill(store: OxigraphStore) -> None:
        # under the build lock, so no submit lands between this and the swap
        if store_exists(store_path):
            live = open_store(store_path)
            minted = IRIs(base_of(live) or iris.base)  # a rebuild may choose another base
            for graph_iri in superseded(live, groups, iris=iris):
                result.kept.append(keep(store_path, live, graph_iri, iris=minted))
            del live
        if result.kept:
            result.actions.append(
                f"kept {len(result.kept)} earlier version(s) this build drops or replaces in the history "
                "(citykg history CITY)"
            )
        # one bulk load per batch: each call has a fixed cost (about 80 ms here)
        batch = list(quads_of(ontology_graph(), iris.ontology_graph))
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
        store.store.bulk_extend(batch)
        store.rebuild_union(derived=frozenset({iris.inferred_graph}))
        result.inferred = materialise(store, iris=iris).inferred
        result.actions.append(f"inferred {result.inferred} triples into {iris.inferred_graph}")
        result.triples = sum(1 for _ in store.quads())

    build_new_generation(store_path, fill)
    return result


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
