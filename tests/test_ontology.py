"""The ontology and vocabularies: documented terms, metadata, consistency, coverage of the mapping."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import owlrl
import pytest
from owlrl.Namespaces import ERRNS
from rdflib import Graph, Literal, URIRef

from citykg.mapping.document import Mapped
from citykg.mapping.provenance import evidence, provenance
from citykg.model.ontology import ontology_graph
from citykg.rdf.iris import IRIs
from citykg.rdf.terms import CKG, DCTERMS, FOAF, ONTOLOGY_IRI, OWL, RDF, RDFS, SKOS
from citykg.resources import ontology_dir, shapes_files
from citykg.sources import read_file
from citykg.validation.shacl import validate_document


@pytest.fixture(scope="module")
def ontology() -> Graph:
    graph = Graph()
    graph.parse(ontology_dir() / "citykg.ttl", format="turtle")
    return graph


@pytest.fixture(scope="module")
def vocabularies() -> Graph:
    graph = Graph()
    graph.parse(ontology_dir() / "vocabularies.ttl", format="turtle")
    return graph


@pytest.fixture(scope="module")
def helsinki(helsinki_path: Path) -> tuple[Mapped, Graph]:
    (submission,) = read_file(helsinki_path)
    report, mapped = validate_document(submission.document)
    assert report.conforms and mapped is not None
    iris = IRIs()
    everything = Graph()
    everything += mapped.facts
    everything += provenance(mapped, [submission.source], built=datetime(2026, 1, 1, tzinfo=UTC), iris=iris)
    everything += evidence(mapped, submission.source, iris=iris)
    return mapped, everything


def ckg_terms(graph: Graph) -> set[URIRef]:
    return {
        term
        for triple in graph
        for term in triple
        if isinstance(term, URIRef) and str(term).startswith(str(CKG))
    }


def errors_of_closure(graph: Graph) -> list[str]:
    """owlrl records inconsistencies as err:ErrorMessage nodes and as members of owl:Nothing."""
    closed = Graph()
    closed += graph
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(closed)
    messages = [str(m) for m in closed.objects(None, ERRNS.error)]
    messages += [f"{s} is a member of owl:Nothing" for s in closed.subjects(RDF.type, OWL.Nothing)]
    return messages


def test_every_ckg_term_has_a_label_and_a_comment(ontology: Graph, helsinki: tuple[Mapped, Graph]) -> None:
    shapes = Graph()
    for path in shapes_files():
        shapes.parse(path, format="turtle")
    terms = ckg_terms(ontology) | ckg_terms(shapes) | ckg_terms(helsinki[1])
    assert CKG.partnerType in terms
    missing = [
        str(term)
        for term in sorted(terms)
        if not any(isinstance(o, Literal) and o.language == "en" for o in ontology.objects(term, RDFS.label))
        or not any(
            isinstance(o, Literal) and o.language == "en" for o in ontology.objects(term, RDFS.comment)
        )
    ]
    assert missing == []


def test_ontology_has_version_and_licence(ontology: Graph) -> None:
    iri = URIRef(ONTOLOGY_IRI)
    assert (iri, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(iri, OWL.versionInfo) is not None
    assert isinstance(ontology.value(iri, DCTERMS.license), URIRef)
    assert ontology.value(iri, OWL.versionIRI) is not None


def test_ontology_and_vocabularies_are_consistent_under_owl_rl() -> None:
    assert errors_of_closure(ontology_graph()) == []


def test_helsinki_with_ontology_is_consistent_under_owl_rl(helsinki: tuple[Mapped, Graph]) -> None:
    graph = Graph()
    graph += ontology_graph()
    graph += helsinki[0].facts
    assert errors_of_closure(graph) == []


def test_consistency_check_would_notice_an_inconsistency() -> None:
    # City and Person are disjoint: one thing typed as both must show up as an error
    graph = Graph()
    axiom = (CKG.City, OWL.disjointWith, FOAF.Person)
    assert axiom in ontology_graph()
    graph.add(axiom)
    thing = URIRef("https://w3id.org/citykg/id/city/fi/helsinki")
    graph.add((thing, RDF.type, CKG.City))
    graph.add((thing, RDF.type, FOAF.Person))
    assert errors_of_closure(graph) != []


def test_every_concept_has_one_english_preflabel_and_a_declared_scheme(vocabularies: Graph) -> None:
    schemes = set(vocabularies.subjects(RDF.type, SKOS.ConceptScheme))
    concepts = set(vocabularies.subjects(RDF.type, SKOS.Concept))
    assert len(concepts) > 50
    for concept in concepts:
        labels = list(vocabularies.objects(concept, SKOS.prefLabel))
        english = [label for label in labels if isinstance(label, Literal) and label.language == "en"]
        assert len(english) == 1, (concept, labels)
        in_schemes = set(vocabularies.objects(concept, SKOS.inScheme))
        assert in_schemes and in_schemes <= schemes, concept
    # and nothing is used as a concept without being declared one
    for subject in vocabularies.subjects(SKOS.inScheme, None):
        assert subject in concepts


def test_every_property_and_class_the_mapping_emits_is_declared(
    ontology: Graph, helsinki: tuple[Mapped, Graph]
) -> None:
    _, everything = helsinki
    declared_properties = set(ontology.subjects(RDF.type, OWL.ObjectProperty)) | set(
        ontology.subjects(RDF.type, OWL.DatatypeProperty)
    )
    used_properties = {p for p in everything.predicates() if str(p).startswith(str(CKG))}
    assert CKG.staffCount in used_properties and CKG.sourceLine in used_properties
    assert sorted(str(p) for p in used_properties - declared_properties) == []
    declared_classes = set(ontology.subjects(RDF.type, OWL.Class))
    used_classes = {o for o in everything.objects(None, RDF.type) if str(o).startswith(str(CKG))}
    assert CKG.Evidence in used_classes
    assert sorted(str(c) for c in used_classes - declared_classes) == []


def test_object_and_datatype_properties_are_used_as_declared(
    ontology: Graph, helsinki: tuple[Mapped, Graph]
) -> None:
    _, everything = helsinki
    for s, p, o in everything:
        if (p, RDF.type, OWL.DatatypeProperty) in ontology:
            assert isinstance(o, Literal), (s, p, o)
        if (p, RDF.type, OWL.ObjectProperty) in ontology:
            assert isinstance(o, URIRef), (s, p, o)
