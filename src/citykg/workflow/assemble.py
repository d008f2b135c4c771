"""Assembling a build from its prepared submissions, in build order, as they arrive: one
preferred label per free-text answer (the first spelling met), one graph per city and wave
(the same facts from several sources merge, different ones refuse the build), and the quads
loaded in large batches. It keeps reports and a few facts per graph, never the graphs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from rdflib import Literal, URIRef

from citykg.errors import BuildRefused
from citykg.inference.materialise import Inferring
from citykg.mapping.document import Mapped
from citykg.mapping.labels import keep_first_labels
from citykg.model.document import Source
from citykg.model.vocabulary import load_vocabulary
from citykg.rdf.iris import IRIs
from citykg.sources import read_file
from citykg.store.build_cache import CachedFile, CachedSubmission, problem_data
from citykg.store.graphs import OxigraphStore
from citykg.store.loading import BackgroundLoader
from citykg.validation.report import Report
from citykg.validation.shacl import validate_submission
from citykg.workflow.check import demotion_notes
from citykg.workflow.prepare import Prepared, PreparedFile, demote

#: N-Quads per bulk load: each load has a fixed cost (about 80 ms); smaller batches keep the
#: loading thread and the workers both busy (store/loading.py)
LOAD_BYTES = 64 * 1024 * 1024


@dataclass
class GraphEntry:
    """What the build keeps of one named graph while it runs."""

    title: str
    facts: int
    digest: str
    sources: list[Source]
    first: tuple[Path, int]  # the file and submission that made it, for a disagreement's message


@dataclass
class Assembly:
    iris: IRIs
    built: datetime
    store: OxigraphStore | None = None  # None: check only, load nothing
    #: where the quads go, on a thread of its own (set with `store`)
    loader: BackgroundLoader | None = None
    #: the inferred graph, filled with each submission's closure as it loads (None: not inferring)
    inferring: Inferring | None = None
    #: a submission came without its closure: the build infers from the store instead
    infer_from_store: bool = False
    #: subjects of inferred triples that some other graph may assert (`Prepared.inferred_about`)
    inferred_about: set[str] = field(default_factory=set)
    #: the default graph's copies of inferred triples and the asserted view are made from the
    #: store after the load (Inferring.finish), not loaded: some closure has triples the build
    #: writes itself (a blank node), which have no copies in the loaded text
    copies_from_store: bool = False
    reports: list[Report] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    preferred: dict[URIRef, Literal] = field(default_factory=dict)
    graphs: dict[URIRef, GraphEntry] = field(default_factory=dict)
    actions: list[str] = field(default_factory=list)
    cached: dict[str, CachedFile] = field(default_factory=dict)  # for the next build's digest cache
    _batch: list[bytes] = field(default_factory=list)
    _views: list[bytes] = field(default_factory=list)
    _batch_bytes: int = 0

    def add_file(self, prepared_file: PreparedFile) -> None:
        entries = [
            cached_submission(prepared, self.add(prepared_file, index, prepared))
            for index, prepared in enumerate(prepared_file.submissions)
        ]
        self.cached[str(prepared_file.path)] = CachedFile(prepared_file.sha256, entries)

    def add(self, prepared_file: PreparedFile, index: int, prepared: Prepared) -> list[str]:
        """Add one submission; returns the free-text concepts whose spelling it does not keep."""
        self.reports.append(prepared.report)
        if prepared.graph_iri is None:
            self.failed.append(prepared.report.source)
        if self.failed:
            return []  # the build is refused: only the reports matter now
        source = Source(str(prepared_file.path), prepared_file.sha256)
        demoted = not_kept(prepared.labels, self.preferred)
        if demoted:
            mapped = _mapped(prepared_file.path, index, iris=self.iris)
            mapped, notes = keep_first_labels(mapped, self.preferred)
            prepared.report.problems.extend(demotion_notes(mapped, notes))
            prepared = demote(prepared, mapped, source=source, built=self.built, iris=self.iris)
        assert prepared.graph_iri is not None
        part = GraphEntry(
            prepared.title, prepared.facts, prepared.digest, [source], (prepared_file.path, index)
        )
        merged = join(self.graphs, prepared.graph_iri, part, iris=self.iris)
        if merged:
            self.actions.append(merged)
        # a merged graph is the union of what each source's graph holds (provenance and
        # evidence per source, the same facts), so its second part loads into the same graph
        self._load(prepared.nquads, prepared.view)
        if self.inferring is not None:
            if prepared.closure is None:
                self.infer_from_store = True
            else:
                self.inferring.add(prepared.closure)
                self.inferred_about |= prepared.inferred_about
                self.copies_from_store |= bool(prepared.closure.triples)
        return [str(c) for c in demoted]

    def _load(self, nquads: bytes, view: bytes) -> None:
        if self.loader is None:
            return
        self._batch.append(nquads)
        self._views.append(view)
        self._batch_bytes += len(nquads) + len(view)
        if self._batch_bytes >= LOAD_BYTES:
            self.flush()

    def flush(self) -> None:
        if self.loader is not None and self._batch:
            self.loader.load(b"".join(self._batch), b"".join(self._views))
        self._batch, self._views, self._batch_bytes = [], [], 0

    def finish(self) -> None:
        """Refuse the build if a submission does not conform; else queue what is left (the
        loader's block waits for it)."""
        if self.failed:
            raise not_conforming(self.failed, self.reports)
        self.flush()


def not_kept(labels: Iterable[tuple[URIRef, Literal]], preferred: dict[URIRef, Literal]) -> list[URIRef]:
    """The free-text concepts whose spelling in `labels` is not the one kept (the first met,
    which `preferred` records as the build goes, in build order)."""
    return [c for c, label in labels if preferred.setdefault(c, label) != label]


def join(graphs: dict[URIRef, GraphEntry], graph_iri: URIRef, part: GraphEntry, *, iris: IRIs) -> str | None:
    """Add one submission's `part` (one source) to its graph in `graphs`: a graph of its own, or
    merged into one stating the same facts (the message is returned); BuildRefused when the
    facts differ."""
    found = graphs.get(graph_iri)
    if found is None:
        graphs[graph_iri] = part
        return None
    [source] = part.sources
    if found.digest != part.digest:
        raise disagreement(found, part.first, source, part.title, iris=iris)
    first = found.sources[0].location
    found.sources.append(source)
    return f"{part.title}: {source.location} states the same facts as {first}; merged into one graph"


def not_conforming(failed: list[str], reports: list[Report]) -> BuildRefused:
    return BuildRefused(
        f"{len(failed)} submission(s) do not conform: {', '.join(failed)}",
        reports,
        hint="fix the problems listed above; the store was not changed",
    )


def graph_sources(graphs: dict[URIRef, GraphEntry], *, iris: IRIs) -> dict[URIRef, set[URIRef]]:
    """The source IRIs each graph is derived from."""
    return {g: {iris.source(s.sha256) for s in e.sources} for g, e in graphs.items()}


def graph_actions(graphs: dict[URIRef, GraphEntry]) -> list[str]:
    """What a build says of each graph, in the order of their IRIs."""
    return [
        f"{e.title}: {e.facts} facts from {', '.join(s.location for s in e.sources)}"
        for _, e in sorted(graphs.items())
    ]


def _mapped(path: Path, index: int, *, iris: IRIs) -> Mapped:
    """Submission `index` of `path` mapped again (it conformed when prepared)."""
    submission = read_file(path)[index]
    _, mapped = validate_submission(submission, vocabulary=load_vocabulary(), iris=iris)
    assert mapped is not None
    return mapped


def disagreement(
    entry: GraphEntry, second: tuple[Path, int], source: Source, title: str, *, iris: IRIs
) -> BuildRefused:
    one, two = _mapped(*entry.first, iris=iris), _mapped(*second, iris=iris)
    only_first = set(one.facts) - set(two.facts)
    only_second = set(two.facts) - set(one.facts)
    fields = sorted(
        {one.fields[t] for t in only_first if t in one.fields}
        | {two.fields[t] for t in only_second if t in two.fields}
    )
    return BuildRefused(
        f"{entry.sources[0].location} and {source.location} both describe {title} but disagree "
        f"({len(only_first)} facts only in the first, {len(only_second)} only in the second; "
        f"fields: {', '.join(fields[:5])}{', ...' if len(fields) > 5 else ''})",
        [],
        hint="keep one submission per city and wave, or make them agree",
    )


def cached_submission(prepared: Prepared, demoted: list[str]) -> CachedSubmission:
    """What the cache keeps of a prepared submission (its problems as they are now)."""
    return CachedSubmission(
        [problem_data(p) for p in prepared.report.problems],
        str(prepared.graph_iri) if prepared.graph_iri is not None else None,
        prepared.title,
        prepared.facts,
        prepared.digest,
        [[str(c), label.n3()] for c, label in prepared.labels],
        demoted,
    )
