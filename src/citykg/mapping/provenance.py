"""Provenance and evidence of a submission graph: where it came from (PROV-O) and which line or
field stated each fact.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

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
    graph.add((g, PROV.generatedAtTime, generated_at(built)))
    for source in sources:
        source_iri = iris.source(source.sha256)
        graph.add((g, PROV.wasDerivedFrom, source_iri))
        graph.add((source_iri, RDF.type, CKG.SourceFile))
        graph.add((source_iri, PROV.atLocation, Literal(source.location)))
        graph.add((source_iri, CKG.sha256, Literal(source.sha256)))
    return graph


def generated_at(built: datetime) -> Literal:
    """A graph's prov:generatedAtTime value: UTC, in the canonical form stores keep."""
    return Literal(built.astimezone(UTC).isoformat().replace("+00:00", "Z"), datatype=XSD.dateTime)


def evidence(mapped: Mapped, source: Source, *, iris: IRIs) -> Graph:
    """One ckg:Evidence (a reified statement) per fact whose field (or the field or row that
    encloses it) has a known line."""
    graph = Graph()
    for triple in evidence_triples(mapped, source, iris=iris):
        graph.add(triple)
    return graph


_EVIDENCE_TERMS = (RDF.type, CKG.Evidence, RDF.subject, RDF.predicate, RDF.object, CKG.field)
_SOURCE_TERMS = (CKG.evidenceSource, CKG.sourceLine, CKG.sourceColumn, CKG.sourceText)

#: one evidence record: its IRI, the fact, the field, the source's IRI, line, column and text
Record = tuple[URIRef, Triple, str, URIRef, int, int | None, str | None]


def evidence_records(mapped: Mapped, source: Source, *, iris: IRIs) -> Iterator[Record]:
    """One record per fact whose field (or the field or row that encloses it) has a known line,
    in the order of the fields."""
    source_iri = iris.source(source.sha256)
    for triple, path in sorted(mapped.fields.items(), key=lambda item: (item[1], item[0])):
        if triple[1] == RDF.type:
            continue
        origin = mapped.document.origin(path)
        if origin is None or (origin.line is None and origin.row is None):
            continue
        s, p, o = triple
        node = iris.evidence(mapped.graph_iri, f"{source.sha256} {s} {p} {o.n3()}")
        line = origin.row if origin.row is not None else origin.line
        assert line is not None
        yield node, triple, path, source_iri, line, origin.column, origin.text


def evidence_triples(mapped: Mapped, source: Source, *, iris: IRIs) -> Iterator[Triple]:
    """The triples of `evidence`, without building a graph."""
    a, evidence_class, subject, predicate, object_, field = _EVIDENCE_TERMS
    from_source, source_line, source_column, source_text = _SOURCE_TERMS
    for node, (s, p, o), path, source_iri, line, column, text in evidence_records(mapped, source, iris=iris):
        yield (node, a, evidence_class)
        yield (node, subject, s)
        yield (node, predicate, p)
        yield (node, object_, o)
        yield (node, field, Literal(path))
        yield (node, from_source, source_iri)
        yield (node, source_line, Literal(line, datatype=XSD.integer))
        if column is not None:
            yield (node, source_column, Literal(column, datatype=XSD.integer))
        if text is not None:
            yield (node, source_text, Literal(text))


def evidence_statements(
    mapped: Mapped, source: Source, *, iris: IRIs, term: Callable[[Node], str]
) -> Iterator[tuple[str, str, str]]:
    """`evidence_triples` in N-Triples form, each term written by `term` (rdf.convert.nt_term)
    and each literal written here, without making an rdflib term of it (the build streams
    these: most of a submission's triples are evidence)."""
    a, evidence_class, subject, predicate, object_, field = (term(t) for t in _EVIDENCE_TERMS)
    from_source, source_line, source_column, source_text = (term(t) for t in _SOURCE_TERMS)
    integer = term(XSD.integer)
    for node, (s, p, o), path, source_iri, line, column, text in evidence_records(mapped, source, iris=iris):
        n = term(node)
        yield (n, a, evidence_class)
        yield (n, subject, term(s))
        yield (n, predicate, term(p))
        yield (n, object_, term(o))
        yield (n, field, nt_string(path))
        yield (n, from_source, term(source_iri))
        yield (n, source_line, f'"{line}"^^{integer}')
        if column is not None:
            yield (n, source_column, f'"{column}"^^{integer}')
        if text is not None:
            yield (n, source_text, nt_string(text))


_NT_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def nt_string(value: str) -> str:
    """A plain string literal in N-Triples form."""
    return f'"{value.translate(_NT_ESCAPES)}"'
