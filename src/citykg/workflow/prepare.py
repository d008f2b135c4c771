"""Preparing a build's files, on every core: each file read, its submissions checked on their
own (structure, labels, SHACL with the ontology) and mapped, and the quads of each
submission's named graph written out as N-Quads, ready for one bulk load, together with what
the submission infers with the ontology alone (its closure, `inference/submissions.py`): the
inferred quads go into the same bulk load, and the build keeps the closure's joins to finish
what holds across submissions (`Inferring.finish`).

What needs all submissions at once (one preferred label per free-text answer, one graph per
city and wave, the history) stays with the build (workflow/build.py); a prepared submission
carries what that needs: its free-text labels and a digest of its facts. The workers are
forked once the shapes, ontology and vocabularies are loaded, so none of them parses those
again, and results come back in the order of the files (the build order).
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from functools import partial
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from citykg.inference.rules import Rules, compile_rules
from citykg.inference.submissions import SubmissionClosure, infer_submission
from citykg.mapping.document import Mapped, Triple
from citykg.mapping.labels import free_text_labels
from citykg.mapping.provenance import evidence_statements, provenance
from citykg.model.document import Source
from citykg.model.ontology import ontology_graph
from citykg.model.vocabulary import load_vocabulary
from citykg.rdf.convert import nt_term
from citykg.rdf.iris import IRIs
from citykg.sources import Submission, read_file
from citykg.store.graphs import asserted_view_ntriples, evidence_subjects, nquads_with_default_graph
from citykg.validation.report import Report
from citykg.validation.shacl import compiled_shapes, validate_submission
from citykg.validation.shapes_view import shapes_view_ntriples

#: below this many files the build prepares them in its own process (forking costs more)
POOL_MIN_FILES = 16
#: prepared files a worker may have waiting for the build (each holds its N-Quads): a bound on memory
AHEAD_PER_WORKER = 8


@dataclass(frozen=True)
class Prepared:
    """One submission of a file: its report and, when it conforms, what the build loads."""

    report: Report
    graph_iri: URIRef | None = None
    title: str = ""  # "Helsinki 2020", for the build's messages
    facts: int = 0
    digest: str = ""
    labels: tuple[tuple[URIRef, Literal], ...] = ()  # free-text concepts and their spelling here
    nquads: bytes = b""  # facts, provenance and evidence in the named graph (and the default
    # graph), then what they infer with the ontology alone in the inferred graph (and the
    # default graph, but for what is about evidence records)
    #: N-Triples of the asserted triples not about evidence records, for the asserted view
    view: bytes = b""
    #: what the submission infers with the ontology alone: its joins and conflicts, and the
    #: inferred triples not in `nquads` (those with a blank node: a bulk load renames them);
    #: None when the build must infer this graph from the store instead
    closure: SubmissionClosure | None = None
    #: the subjects of the inferred triples that another graph may assert (all but the
    #: submission's own evidence records, which only its graph names)
    inferred_about: frozenset[str] = frozenset()


@dataclass(frozen=True)
class PreparedFile:
    path: Path
    sha256: str
    submissions: tuple[Prepared, ...]


def prepare_file(path: Path, *, iris: IRIs, built: datetime) -> PreparedFile:
    """Read, check and map the submissions of one file (raises InputError when it cannot be
    read, as `read_file` does)."""
    submissions = read_file(path)
    prepared = tuple(prepare(submission, iris=iris, built=built) for submission in submissions)
    return PreparedFile(path, submissions[0].source.sha256 if submissions else "", prepared)


def prepare(submission: Submission, *, iris: IRIs, built: datetime) -> Prepared:
    report, mapped = validate_submission(submission, vocabulary=load_vocabulary(), iris=iris)
    if not any(p.from_shacl for p in report.problems):
        report.shacl_report = None  # an empty report graph: not worth carrying back
    if mapped is None or not report.conforms:
        return Prepared(report)
    nquads, view, closure, about = graph_nquads(mapped, [submission.source], built=built, iris=iris)
    return Prepared(
        report,
        mapped.graph_iri,
        title(mapped),
        len(mapped.facts),
        facts_digest(mapped.facts),
        tuple(free_text_labels(mapped).items()),
        nquads,
        view,
        closure,
        about,
    )


def title(mapped: Mapped) -> str:
    return f"{mapped.document.data['city']['name']} {mapped.wave}"


def facts_digest(facts: Graph) -> str:
    """A digest of a set of facts: equal for equal sets, whatever their order."""
    lines = sorted(f"{nt_term(s)} {nt_term(p)} {nt_term(o)}" for s, p, o in facts)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def graph_nquads(
    mapped: Mapped, sources: list[Source], *, built: datetime, iris: IRIs
) -> tuple[bytes, bytes, SubmissionClosure | None, frozenset[str]]:
    """N-Quads of the submission's named graph as the store keeps it (facts, provenance and
    the evidence of each source), with the default graph's copies, then the triples they infer
    with the ontology alone in the inferred graph (with theirs); the N-Triples of the asserted
    view; that closure and the subjects of its triples another graph may assert
    (`Prepared.nquads`, `view`, `closure`, `inferred_about`)."""
    parts: list[Iterable[Triple]] = [mapped.facts, provenance(mapped, sources, built=built, iris=iris)]
    triples = [(nt_term(s), nt_term(p), nt_term(o)) for part in parts for s, p, o in part]
    for source in sources:
        triples += evidence_statements(mapped, source, iris=iris, term=nt_term)
    statements = [f"{s} {p} {o}" for s, p, o in triples]
    evidence = evidence_subjects(statements)
    asserted = nquads_with_default_graph(statements, nt_term(mapped.graph_iri), evidence=evidence)
    view = asserted_view_ntriples(statements, evidence)
    own = nt_term(mapped.graph_iri)[:-1] + "/evidence/"  # iris.evidence: under the graph's IRI
    closure, inferred, about = submission_closure(
        triples, nt_term(iris.inferred_graph), local=own, evidence=evidence
    )
    return (asserted + inferred).encode(), view.encode(), closure, about


def submission_closure(
    triples: list[tuple[str, str, str]],
    inferred_graph: str,
    *,
    local: str | None = None,
    evidence: set[str] | None = None,
    rules: Rules | None = None,
) -> tuple[SubmissionClosure | None, str, frozenset[str]]:
    """What a submission's triples (N-Triples form, as the store writes them) infer with the
    ontology alone: the closure, its triples as N-Quads of `inferred_graph`, and the subjects of
    those another graph may assert (all but those starting with `local`: resources only this
    submission's graph names). With `evidence` (the submission's evidence records), each
    inferred triple not about one is written into the default graph too (decision 1304).
    A triple with a blank node stays in the closure instead of the
    text (a bulk load would rename the node; the build writes the closure's triples). (None,
    "", {}) when the submission itself has a blank node: the build then infers from the store."""
    rules = rules or compile_rules()
    wanted = rules.predicates
    data = list(dict.fromkeys(t for t in triples if t[1] in wanted))
    if any(s.startswith("_:") or o.startswith("_:") for s, _, o in data):
        return None, "", frozenset()
    closure = infer_submission(data, rules)
    blank, lines = [], []
    for s, p, o in closure.triples:
        if s.startswith("_:") or o.startswith("_:"):
            blank.append((s, p, o))
        else:
            lines.append(f"{s} {p} {o} {inferred_graph} .\n")
            if evidence is not None and s not in evidence:
                lines.append(f"{s} {p} {o} .\n")
    about = frozenset(s for s, _, _ in closure.triples if local is None or not s.startswith(local))
    return replace(closure, triples=blank), "".join(lines), about


def demote(prepared: Prepared, mapped: Mapped, *, source: Source, built: datetime, iris: IRIs) -> Prepared:
    """`prepared` again from `mapped`, its submission with some labels demoted (the build's
    rare path: another submission spelled a free-text answer first)."""
    nquads, view, closure, about = graph_nquads(mapped, [source], built=built, iris=iris)
    return replace(
        prepared,
        facts=len(mapped.facts),
        digest=facts_digest(mapped.facts),
        nquads=nquads,
        view=view,
        closure=closure,
        inferred_about=about,
    )


def _warm() -> None:
    """What every worker needs, loaded once before forking."""
    load_vocabulary()
    ontology_graph()
    compiled_shapes()
    shapes_view_ntriples()
    compile_rules()


def worker_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


@contextmanager
def prepared_files(
    files: list[Path], *, iris: IRIs, built: datetime, workers: int | None = None
) -> Iterator[Iterator[PreparedFile]]:
    """The files prepared in order: on a pool of forked workers (one per core, or `workers`)
    when there are enough of them, else in this process. Enter it before opening a store, so
    that no store's threads are forked."""
    count = worker_count() if workers is None else workers
    work = partial(prepare_file, iris=iris, built=built)
    if count <= 1 or len(files) < POOL_MIN_FILES or "fork" not in multiprocessing.get_all_start_methods():
        yield (work(path) for path in files)
        return
    _warm()
    gc.freeze()  # the loaded ontology and shapes stay shared with the workers, not copied
    ahead = threading.Semaphore(count * AHEAD_PER_WORKER)  # results waiting for the build to take them
    stopped = False

    def feed() -> Iterator[Path]:
        for path in files:
            ahead.acquire()
            if stopped:
                return
            yield path

    def taken(results: Iterator[PreparedFile]) -> Iterator[PreparedFile]:
        for result in results:
            ahead.release()
            yield result

    pool = multiprocessing.get_context("fork").Pool(count)
    try:
        yield taken(pool.imap(work, feed(), chunksize=2))
    finally:
        stopped = True
        for _ in files:
            ahead.release()  # a feeder waiting for room sees the stop
        pool.terminate()
        pool.join()
        gc.unfreeze()
