"""Exports of the store: Turtle, N-Triples, N-Quads, TriG and JSON-LD, deterministic.

Quads are sorted before writing, so the same store content gives the same bytes. Formats
without named graphs (Turtle, N-Triples, JSON-LD) get the union of the selected graphs.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import URIRef

from citykg.files import write_atomically
from citykg.formats import ExportFormat
from citykg.iris import IRIs
from citykg.store import GraphStore, open_store
from citykg.terms import PREFIXES

_OX_FORMAT = {
    ExportFormat.TURTLE: ox.RdfFormat.TURTLE,
    ExportFormat.NTRIPLES: ox.RdfFormat.N_TRIPLES,
    ExportFormat.NQUADS: ox.RdfFormat.N_QUADS,
    ExportFormat.TRIG: ox.RdfFormat.TRIG,
    ExportFormat.JSONLD: ox.RdfFormat.JSON_LD,
}


def select_graphs(
    store: GraphStore,
    *,
    iris: IRIs,
    include_inferred: bool = False,
    include_ontology: bool = True,
    graphs: Iterable[URIRef] | None = None,
) -> list[URIRef]:
    """The named graphs an export covers."""
    chosen = list(graphs) if graphs is not None else store.named_graphs()
    skip = set()
    if not include_inferred:
        skip.add(iris.inferred_graph)
    if not include_ontology:
        skip.add(iris.ontology_graph)
    return sorted(g for g in chosen if g not in skip)


def serialize(store: GraphStore, fmt: ExportFormat, graphs: list[URIRef], *, base: str) -> bytes:
    quads = sorted(store.quads(graphs), key=_sort_key)
    prefixes = {**PREFIXES, "id": base + "id/"}
    if fmt.keeps_graphs:
        return _bytes(ox.serialize(quads, format=_OX_FORMAT[fmt], prefixes=prefixes))
    triples = sorted(
        {q.triple for q in quads}, key=lambda t: _sort_key(ox.Quad(t.subject, t.predicate, t.object))
    )
    if fmt is ExportFormat.NTRIPLES:
        return _bytes(ox.serialize(triples, format=_OX_FORMAT[fmt]))
    return _bytes(ox.serialize(triples, format=_OX_FORMAT[fmt], prefixes=prefixes))


def _sort_key(quad: ox.Quad) -> tuple[str, str, str, str]:
    return (str(quad.graph_name), str(quad.subject), str(quad.predicate), str(quad.object))


def export_store(
    store_path: Path,
    fmt: ExportFormat,
    *,
    iris: IRIs,
    include_inferred: bool = False,
    include_ontology: bool = True,
    graphs: Iterable[URIRef] | None = None,
    output: Path | None = None,
) -> bytes:
    """Serialize the selected graphs of the store; write them atomically to `output` if given."""
    store = open_store(store_path)
    chosen = select_graphs(
        store, iris=iris, include_inferred=include_inferred, include_ontology=include_ontology, graphs=graphs
    )
    data = serialize(store, fmt, chosen, base=iris.base)
    if output is not None:
        write_atomically(output, data)
    return data


def _bytes(data: bytes | None) -> bytes:
    assert data is not None
    return data
