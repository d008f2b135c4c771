"""The part of the ontology the SHACL engine is given (validation/shapes_view.py): what the
shapes can read, or the whole ontology when a shape could read more. That the reports are the
same as with the whole ontology is tests/test_shacl_engine.py's comparison with pyshacl (which
is given the whole ontology) on the corpus and synthetic cities."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef

from citykg.model.ontology import ontology_ntriples, shapes_graph
from citykg.rdf.terms import RDF, SH
from citykg.validation.shapes_view import _read_predicates, shapes_view_ntriples

CKG = "https://w3id.org/citykg/ontology#"


def _triples(text: str) -> set[ox.Triple]:
    return set(ox.parse(text, format=ox.RdfFormat.N_TRIPLES))


def test_the_view_is_part_of_the_ontology_and_smaller() -> None:
    view, whole = _triples(shapes_view_ntriples()), _triples(ontology_ntriples())
    assert view < whole
    assert len(view) < len(whole) / 2


def test_the_view_keeps_every_triple_about_an_ontology_resource_a_shape_targets() -> None:
    # the survey waves are described by the ontology and targeted by a (closed) shape
    wave_type = ox.NamedNode(CKG + "SurveyWave")
    whole, view = _triples(ontology_ntriples()), _triples(shapes_view_ntriples())
    waves = {t.subject for t in whole if t.predicate.value == str(RDF.type) and t.object == wave_type}
    assert waves
    assert {t for t in whole if t.subject in waves} <= view


def test_the_view_keeps_the_predicates_a_sparql_constraint_names() -> None:
    predicates = _read_predicates(shapes_graph())
    assert predicates is not None
    assert CKG + "innovationInternalOnly" in predicates  # named ckg:... inside the sh:select


def _shapes_with(predicate: URIRef, value: URIRef | BNode) -> Graph:
    graph = Graph()
    graph += shapes_graph()
    graph.add((URIRef("urn:test:shape"), predicate, value))
    return graph


def test_a_shape_that_can_reach_other_triples_gets_the_whole_ontology() -> None:
    assert _read_predicates(_shapes_with(SH.node, URIRef("urn:test:other"))) is None
    assert _read_predicates(_shapes_with(SH.targetNode, URIRef(CKG + "City"))) is None
    assert _read_predicates(_shapes_with(SH.path, BNode())) is None  # a sequence or inverse path
    undeclared = _shapes_with(SH.select, URIRef("urn:test:q"))
    undeclared.remove((URIRef("urn:test:shape"), SH.select, URIRef("urn:test:q")))
    undeclared.add((URIRef("urn:test:shape"), SH.select, Literal("SELECT $this WHERE { $this ex:p ?o }")))
    assert _read_predicates(undeclared) is None  # a prefix the shapes do not declare
