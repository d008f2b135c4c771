"""RDF in each export format, from sorted quads (see canonical.py): Turtle, N-Triples, N-Quads,
TriG, flat JSON-LD.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import Graph, URIRef

from citykg.rdf.canonical import canonical_order, ntriples
from citykg.rdf.convert import quads_of
from citykg.rdf.formats import ExportFormat
from citykg.rdf.jsonld import ContextReference
from citykg.rdf.jsonld_writer import flat_document
from citykg.rdf.terms import DEFAULT_BASE, turtle_prefixes

_OX_FORMAT = {
    ExportFormat.TURTLE: ox.RdfFormat.TURTLE,
    ExportFormat.NTRIPLES: ox.RdfFormat.N_TRIPLES,
    ExportFormat.NQUADS: ox.RdfFormat.N_QUADS,
    ExportFormat.TRIG: ox.RdfFormat.TRIG,
    ExportFormat.JSONLD: ox.RdfFormat.JSON_LD,
}


def serialize_quads(
    quads: list[ox.Quad], fmt: ExportFormat, *, jsonld_context: ContextReference | None = None
) -> bytes:
    """Sorted quads (see canonical.canonical_order) in one format, without framing.

    JSON-LD carries `jsonld_context` as its `@context` (default: citykg's context inline).
    """
    if fmt.keeps_graphs:
        return _bytes(ox.serialize(quads, format=_OX_FORMAT[fmt], prefixes=dict(turtle_prefixes())))
    if fmt is ExportFormat.JSONLD:
        return flat_document(quads, context_ref=jsonld_context)
    lines = ntriples(quads)
    if fmt is ExportFormat.NTRIPLES:
        return lines
    triples = ox.parse(lines, ox.RdfFormat.N_TRIPLES)
    return _bytes(ox.serialize(triples, format=_OX_FORMAT[fmt], prefixes=dict(turtle_prefixes())))


def serialize_ntriples(data: bytes, fmt: ExportFormat) -> bytes:
    """Sorted N-Triples (as history keeps them) in a format without named graphs."""
    if fmt is ExportFormat.NTRIPLES:
        return data
    return serialize_triples(ox.parse(data, ox.RdfFormat.N_TRIPLES), fmt)


def serialize_triples(
    triples: Iterable[ox.Triple], fmt: ExportFormat, *, jsonld_context: ContextReference | None = None
) -> bytes:
    """Triples in a format without named graphs, sorted and prefixed like every export."""
    name = ox.NamedNode(DEFAULT_BASE + "graph/one")
    quads = [ox.Quad(t.subject, t.predicate, t.object, name) for t in triples]
    return serialize_quads(canonical_order(quads), fmt, jsonld_context=jsonld_context)


def serialize_graph(graph: Graph, fmt: ExportFormat) -> bytes:
    """One graph in a format without named graphs (Turtle, N-Triples, JSON-LD), sorted and
    prefixed like every export: the same graph gives the same bytes."""
    if fmt.keeps_graphs:
        raise ValueError(f"{fmt.value} names graphs; a single graph is written as turtle, ntriples or jsonld")
    return serialize_quads(canonical_order(quads_of(graph, URIRef(DEFAULT_BASE + "graph/one"))), fmt)


def _bytes(data: bytes | None) -> bytes:
    assert data is not None
    return data
