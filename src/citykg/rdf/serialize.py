"""RDF in each export format, from sorted quads (see canonical.py): Turtle, N-Triples, N-Quads,
TriG, flat JSON-LD.
"""

from __future__ import annotations

import pyoxigraph as ox

from citykg.rdf.canonical import ntriples
from citykg.rdf.formats import ExportFormat
from citykg.rdf.jsonld_writer import flat_document
from citykg.rdf.terms import turtle_prefixes

_OX_FORMAT = {
    ExportFormat.TURTLE: ox.RdfFormat.TURTLE,
    ExportFormat.NTRIPLES: ox.RdfFormat.N_TRIPLES,
    ExportFormat.NQUADS: ox.RdfFormat.N_QUADS,
    ExportFormat.TRIG: ox.RdfFormat.TRIG,
    ExportFormat.JSONLD: ox.RdfFormat.JSON_LD,
}


def serialize_quads(quads: list[ox.Quad], fmt: ExportFormat) -> bytes:
    """Sorted quads (see canonical.canonical_order) in one format, without framing."""
    if fmt.keeps_graphs:
        return _bytes(ox.serialize(quads, format=_OX_FORMAT[fmt], prefixes=dict(turtle_prefixes())))
    if fmt is ExportFormat.JSONLD:
        return flat_document(quads)
    lines = ntriples(quads)
    if fmt is ExportFormat.NTRIPLES:
        return lines
    triples = ox.parse(lines, ox.RdfFormat.N_TRIPLES)
    return _bytes(ox.serialize(triples, format=_OX_FORMAT[fmt], prefixes=dict(turtle_prefixes())))


def _bytes(data: bytes | None) -> bytes:
    assert data is not None
    return data
