"""Provenance and evidence of a submission graph: where it came from (PROV-O) and which line or
field stated each fact.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

from rdflib import Graph, Literal

from citykg.mapping.document import Mapped, Triple
from citykg.model.document import Source
from citykg.rdf.iris import IRIs
from citykg.rdf.terms import CKG, DCTERMS, PROV, RDF, XSD


def provenance(mapped: Mapped, sources: list[Source], *, built: datetime, iris: IRIs) -> Graph:
    """PROV-O description of a submission's named graph: its sources, wave and build time."""
    graph = Graph()
    g = mapped.graph_iri
    graph.add((g, RDF.type, PROV.Entity))
    graph.add((g, DCTERMS.subject, mapped.profile))
    graph.add((g, CKG.wave, iris.wave(mapped.wave)))
    moment = built.astimezone(UTC).isoformat().replace("+00:00", "Z")  # the canonical form stores keep
    graph.add((g, PROV.generatedAtTime, Literal(moment, datatype=XSD.dateTime)))
    for source in sources:
        source_iri = iris.source(source.sha256)
        graph.add((g, PROV.wasDerivedFrom, source_iri))
        graph.add((source_iri, RDF.type, CKG.SourceFile))
        graph.add((source_iri, PROV.atLocation, Literal(source.location)))
        graph.add((source_iri, CKG.sha256, Literal(source.sha256)))
    return graph


def evidence(mapped: Mapped, source: Source, *, iris: IRIs) -> Graph:
    """One ckg:Evidence (a reified statement) per fact whose field (or the field or row that
    encloses it) has a known line."""
    graph = Graph()
    for triple in evidence_triples(mapped, source, iris=iris):
        graph.add(triple)
    return graph


_EVIDENCE_TERMS = (RDF.type, CKG.Evidence, RDF.subject, RDF.predicate, RDF.object, CKG.field)
_SOURCE_TERMS = (CKG.evidenceSource, CKG.sourceLine, CKG.sourceColumn, CKG.sourceText, XSD.integer)


def evidence_triples(mapped: Mapped, source: Source, *, iris: IRIs) -> Iterator[Triple]:
    """The triples of `evidence`, without building a graph (the build streams them)."""
    a, evidence_class, subject, predicate, object_, field = _EVIDENCE_TERMS
    from_source, source_line, source_column, source_text, integer = _SOURCE_TERMS
    source_iri = iris.source(source.sha256)
    for triple, path in sorted(mapped.fields.items(), key=lambda item: (item[1], item[0])):
        if triple[1] == a:
            continue
        origin = mapped.document.origin(path)
        if origin is None or (origin.line is None and origin.row is None):
            continue
        s, p, o = triple
        node = iris.evidence(mapped.graph_iri, f"{source.sha256} {s} {p} {o.n3()}")
        yield (node, a, evidence_class)
        yield (node, subject, s)
        yield (node, predicate, p)
        yield (node, object_, o)
        yield (node, field, Literal(path))
        yield (node, from_source, source_iri)
        line = origin.row if origin.row is not None else origin.line
        yield (node, source_line, Literal(line, datatype=integer))
        if origin.column is not None:
            yield (node, source_column, Literal(origin.column, datatype=integer))
        if origin.text is not None:
            yield (node, source_text, Literal(origin.text))
