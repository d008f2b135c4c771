"""RDF in each export format, from sorted quads (see canonical.py): Turtle, N-Triples, N-Quads,
TriG, flat JSON-LD.
"""

from __future__ import annotations

import re
from functools import cache

import pyoxigraph as ox

from citykg.rdf.canonical import ntriples
from citykg.rdf.formats import ExportFormat
from citykg.rdf.jsonld_writer import flat_document
from citykg.rdf.terms import PREFIXES
from citykg.resources import ontology_files

_OX_FORMAT = {
    ExportFormat.TURTLE: ox.RdfFormat.TURTLE,
    ExportFormat.NTRIPLES: ox.RdfFormat.N_TRIPLES,
    ExportFormat.NQUADS: ox.RdfFormat.N_QUADS,
    ExportFormat.TRIG: ox.RdfFormat.TRIG,
    ExportFormat.JSONLD: ox.RdfFormat.JSON_LD,
}


_PREFIX_LINE = re.compile(r"^@prefix\s+([A-Za-z][\w-]*):\s*<([^>]+)>\s*\.", re.MULTILINE)


@cache
def prefixes() -> dict[str, str]:
    """Prefixes of Turtle and TriG output: citykg's namespaces plus those the ontology files declare.

    The vocabularies' own prefixes (`goal:`, `pt:`, ...) keep concept IRIs short and readable.
    """
    found = dict(PREFIXES)
    for path in ontology_files():
        for name, namespace in _PREFIX_LINE.findall(path.read_text(encoding="utf-8")):
            if namespace not in found.values():
                found.setdefault(name, namespace)
    return dict(sorted(found.items()))


def serialize_quads(quads: list[ox.Quad], fmt: ExportFormat) -> bytes:
    """Sorted quads (see canonical.canonical_order) in one format, without framing."""
    if fmt.keeps_graphs:
        return _bytes(ox.serialize(quads, format=_OX_FORMAT[fmt], prefixes=prefixes()))
    if fmt is ExportFormat.JSONLD:
        return flat_document(quads)
    lines = ntriples(quads)
    if fmt is ExportFormat.NTRIPLES:
        return lines
    triples = ox.parse(lines, ox.RdfFormat.N_TRIPLES)
    return _bytes(ox.serialize(triples, format=_OX_FORMAT[fmt], prefixes=prefixes()))


def _bytes(data: bytes | None) -> bytes:
    assert data is not None
    return data
