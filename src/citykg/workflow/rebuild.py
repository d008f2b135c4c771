"""Rebuilding a store where few files changed: the files whose bytes are those of the last build
(workflow digest cache, store/build_cache.py) are neither checked nor mapped again, and their
graphs are kept from the live generation; only the graphs whose sources or preferred labels
changed are written, into a checkpoint of the live generation, and inference is refreshed for
what they touch. The result is the store a cold build of the same files gives (tested).

The plan runs through every submission in build order, as a cold build does, with what the
cache says of the unchanged ones: one preferred label per free-text answer (the first
spelling met), one graph per city and wave, refusals for what does not conform or disagrees.
A graph is rewritten when the list of its sources (file, digest, labels demoted) differs from
the last build's; a graph no file gives any more is dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.util import from_n3

from citykg.mapping.labels import keep_first_labels
from citykg.mapping.provenance import evidence, generated_at
from citykg.model.document import Source
from citykg.model.vocabulary import load_vocabulary
from citykg.rdf.convert import to_ox
from citykg.rdf.iris import IRIs
from citykg.rdf.terms import PROV
from citykg.sources import read_file
from citykg.store.build_cache import BuildCache, CachedFile, CachedSubmission, problem, problem_data
from citykg.store.graphs import OxigraphStore
from citykg.validation.report import Report
from citykg.validation.shacl import validate_submission
from citykg.workflow.assemble import GraphEntry, cached_submission, join, not_conforming, not_kept
from citykg.workflow.check import SubmissionGraph, demotion_notes
from citykg.workflow.prepare import PreparedFile

#: above this share of graphs to rewrite, a cold build is as quick
MOST_CHANGED = 0.25

Step = tuple[str, str, int, tuple[str, ...]]  # file, its digest, submission index, labels demoted


@dataclass
class Plan:
    """What a rebuild writes: the graphs to rewrite, those to drop, and the new cache."""

    reports: list[Report] = field(default_factory=list)
    report_at: dict[tuple[str, int], Report] = field(default_factory=dict)
    graphs: dict[URIRef, GraphEntry] = field(default_factory=dict)
    steps: dict[URIRef, list[Step]] = field(default_factory=dict)
    preferred: dict[URIRef, Literal] = field(default_factory=dict)
    actions: list[str] = field(default_factory=list)
    rewrite: list[URIRef] = field(default_factory=list)
    drop: list[URIRef] = field(default_factory=list)
    files: dict[str, CachedFile] = field(default_factory=dict)


def plan(
    files: list[Path],
    digests: dict[Path, str],
    old: BuildCache,
    fresh: dict[Path, PreparedFile],
    *,
    iris: IRIs,
) -> Plan | None:
    """The rebuild of `files` (unchanged ones from `old`, the others `fresh`ly prepared), or
    None when a cold build would be as quick. Raises BuildRefused as a cold build would."""
    out = Plan()
    failed: list[str] = []
    for path in files:
        entries: list[CachedSubmission] = []
        for index, (cached, report) in enumerate(_submissions(path, old, fresh)):
            out.reports.append(report)
            out.report_at[str(path), index] = report
            entries.append(cached)
            if cached.graph is None:
                failed.append(report.source)
            if failed:
                continue
            labels = [(URIRef(c), _literal(label)) for c, label in cached.labels]
            demoted = [str(c) for c in not_kept(labels, out.preferred)]
            entries[-1] = replace(cached, demoted=demoted)
            graph = URIRef(str(cached.graph))
            source = Source(str(path), digests[path])
            part = GraphEntry(cached.title, cached.facts, cached.digest, [source], (path, index))
            merged = join(out.graphs, graph, part, iris=iris)
            if merged:
                out.actions.append(merged)
            out.steps.setdefault(graph, []).append((str(path), digests[path], index, tuple(demoted)))
        out.files[str(path)] = CachedFile(digests[path], entries)
    if failed:
        raise not_conforming(failed, out.reports)
    before = _old_steps(old)
    out.rewrite = sorted(g for g, steps in out.steps.items() if before.get(g) != steps)
    out.drop = sorted(set(before) - set(out.steps))
    if len(out.rewrite) + len(out.drop) > MOST_CHANGED * max(len(out.steps), 1):
        return None
    return out


def _submissions(
    path: Path, old: BuildCache, fresh: dict[Path, PreparedFile]
) -> Iterator[tuple[CachedSubmission, Report]]:
    if path in fresh:
        for prepared in fresh[path].submissions:
            yield cached_submission(prepared, []), prepared.report
        return
    for cached in old.files[str(path)].submissions:
        yield cached, Report(str(path), [problem(p) for p in cached.problems])


def _old_steps(old: BuildCache) -> dict[URIRef, list[Step]]:
    steps: dict[URIRef, list[Step]] = {}
    for path, entry in old.files.items():
        for index, cached in enumerate(entry.submissions):
            if cached.graph is not None:
                steps.setdefault(URIRef(cached.graph), []).append(
                    (path, entry.sha256, index, tuple(cached.demoted))
                )
    return steps


def rewritten(out: Plan, *, built: datetime, iris: IRIs) -> dict[URIRef, Graph | None]:
    """The graphs the plan rewrites, built from their files (as submit builds them), and None
    for those it drops; the reports of their submissions are brought up to date (the labels
    demoted and their notes), in the plan and in its cache."""
    graphs: dict[URIRef, Graph | None] = dict.fromkeys(out.drop)
    for graph_iri in out.rewrite:
        group: SubmissionGraph | None = None
        for path, digest, index, _ in out.steps[graph_iri]:
            submission = read_file(Path(path))[index]
            report, mapped = validate_submission(submission, vocabulary=load_vocabulary(), iris=iris)
            assert mapped is not None
            mapped, notes = keep_first_labels(mapped, out.preferred)
            report.problems.extend(demotion_notes(mapped, notes))
            out.report_at[path, index].problems = report.problems
            cached = out.files[path].submissions[index]
            out.files[path].submissions[index] = replace(
                cached, problems=[problem_data(p) for p in report.problems]
            )
            source = Source(path, digest)
            if group is None:
                group = SubmissionGraph(mapped, [source], evidence(mapped, source, iris=iris))
            else:
                group.sources.append(source)
                group.evidence += evidence(mapped, source, iris=iris)
        assert group is not None
        graphs[graph_iri] = group.graph(built=built, iris=iris)
    return graphs


def stamp(store: OxigraphStore, graphs: Iterable[URIRef], *, built: datetime) -> None:
    """Every submission graph generated at `built`, as a cold build stamps them."""
    when = to_ox(generated_at(built))
    generated = ox.NamedNode(str(PROV.generatedAtTime))
    for name in graphs:
        graph = ox.NamedNode(str(name))
        for holder in (graph, ox.DefaultGraph()):
            for quad in list(store.store.quads_for_pattern(graph, generated, None, holder)):
                store.store.remove(quad)
            store.store.add(ox.Quad(graph, generated, when, holder))


def _literal(text: str) -> Literal:
    term = from_n3(text)
    assert isinstance(term, Literal)
    return term
