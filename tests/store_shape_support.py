"""The store's shape (docs/decisions/1304), checked from its named graphs alone."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from citykg.rdf.iris import IRIs
from citykg.rdf.terms import CKG, RDF
from citykg.store.generations import open_store

EVIDENCE = (ox.NamedNode(str(RDF.type)), ox.NamedNode(str(CKG.Evidence)))


def assert_store_shape(live: ox.Store, iris: IRIs | None = None) -> None:
    """Queries with inference read the default graph alone: it holds the asserted graphs'
    triples that are not about an evidence record (a subject its graph types ckg:Evidence) and
    the inferred triples not about one; the asserted view (a blank-node graph) holds the
    asserted part alone; the inferred graph holds only what no asserted graph states."""
    inferred = ox.NamedNode(str((iris or IRIs()).inferred_graph))
    named = [g for g in live.named_graphs() if isinstance(g, ox.NamedNode)]
    asserted: set[ox.Triple] = set()
    evidence: set[object] = set()
    for graph in named:
        if graph == inferred:
            continue
        quads = list(live.quads_for_pattern(None, None, None, graph))
        records = {q.subject for q in quads if (q.predicate, q.object) == EVIDENCE}
        evidence |= records
        asserted |= {q.triple for q in quads if q.subject not in records}
    derived = {q.triple for q in live.quads_for_pattern(None, None, None, inferred)}
    default = {q.triple for q in live.quads_for_pattern(None, None, None, ox.DefaultGraph())}
    view = [g for g in live.named_graphs() if isinstance(g, ox.BlankNode)]
    assert len(view) == 1
    held = {q.triple for q in live.quads_for_pattern(None, None, None, view[0])}
    assert evidence and not any(t.subject in evidence for t in default)
    assert derived and not derived & asserted
    assert default == asserted | {t for t in derived if t.subject not in evidence}
    assert held == asserted


def assert_folder_shape(location: Path) -> None:
    assert_store_shape(open_store(location).store)
