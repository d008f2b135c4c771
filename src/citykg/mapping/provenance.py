"""Provenance and evidence of a submission graph: where it came from (PROV-O) and which line or
field stated each fact.
"""

from __future__ import annotations

from datetime import UTC, datetime

from rdflib import Graph, Literal

from citykg.mapping.document import Mapped
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
    source_iri = iris.source(source.sha256)
    for triple, path in sorted(mapped.fields.items(), key=lambda item: (item[1], item[0])):
        if triple[1] == RDF.type:
            continue
        origin = mapped.document.origin(path)
        if origin is None or (origin.line is None and origin.row is None):
            continue
        s, p, o = triple
        node = iris.evidence(mapped.graph_iri, f"{source.sha256} {s} {p} {o.n3()}")
        graph.add((node, RDF.type, CKG.Evidence))
        graph.add((node, RDF.subject, s))
        graph.add((node, RDF.predicate, p))
        graph.add((node, RDF.object, o))
        graph.add((node, CKG.field, Literal(path)))
        graph.add((node, CKG.evidenceSource, source_iri))
        line = origin.row if origin.row is not None else origin.line
        graph.add((node, CKG.sourceLine, Literal(line, datatype=XSD.integer)))
        if origin.column is not None:
            graph.add((node, CKG.sourceColumn, Literal(origin.column, datatype=XSD.integer)))
        if origin.text is not None:
            graph.add((node, CKG.sourceText, Literal(origin.text)))
    return graph
