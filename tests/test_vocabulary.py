"""Controlled lists: label matching, variants, typo suggestions, the partner-type hierarchy."""

from __future__ import annotations

import logging

import pytest
from rdflib import URIRef

from citykg.model.schema import field_schema
from citykg.model.vocabulary import ACTIVITY_LEGEND, Scheme, Vocabulary, load_vocabulary, normalise
from citykg.rdf.terms import CKG, RDF, SKOS, VOCAB


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    return load_vocabulary()


@pytest.mark.parametrize(
    ("scheme", "label", "expected"),
    [
        (Scheme.GOAL, "Improve service delivery", "Improve service delivery"),
        (Scheme.GOAL, "IMPROVE SERVICE DELIVERY", "Improve service delivery"),
        (Scheme.GOAL, "  improve   service delivery. ", "Improve service delivery"),
        (Scheme.PARTNER_TYPE, "Hospitäls", "hospitals"),  # accents ignored
        (Scheme.PARTNER_TYPE, "think-tanks", "think tanks"),  # punctuation ignored
        (Scheme.PARTNER_TYPE, "The academia", "academia"),
        (Scheme.FUNDING_USE, "R & D Labs", "R&D labs"),
        (Scheme.APPROACH, "Policy Areas", "policy-areas"),
        # known variants (skos:altLabel) seen on profile pages
        (Scheme.ACTIVITY, "Taking risks and testing new ideas", "Taking risks or testing new ideas"),
        (Scheme.POLICY_AREA, "Social welfare and social services", "Social welfare/social services"),
        (Scheme.INNOVATION_TERM, "Human-centred design", "Human-centered design"),
        (Scheme.ACTIVITY, "Human centred design", "Human-centered design"),
        (Scheme.SUCCESS_FACTOR, "Leadership from the Mayor", "Leadership from Mayor"),
        (Scheme.DATA_PURPOSE, "analyse data", "analyze data"),
    ],
)
def test_labels_match_ignoring_case_punctuation_accents_and_variants(
    vocabulary: Vocabulary, scheme: Scheme, label: str, expected: str
) -> None:
    match = vocabulary.match(scheme, label)
    assert match.known
    assert match.concept is not None and match.concept.label == expected
    assert match.concept.scheme is scheme


def test_label_matches_only_in_its_own_scheme(vocabulary: Vocabulary) -> None:
    assert vocabulary.match(Scheme.PARTNER_TYPE, "hospitals").known
    assert not vocabulary.match(Scheme.GOAL, "hospitals").known


def test_typo_gets_a_suggestion(vocabulary: Vocabulary) -> None:
    match = vocabulary.match(Scheme.GOAL, "Improve servise delivery")
    assert not match.known
    assert match.suggestion is not None and match.suggestion.label == "Improve service delivery"


@pytest.mark.parametrize("label", ["Build rockets", "x", "Help develop a vibrant economy"])
def test_unknown_label_gets_no_suggestion(vocabulary: Vocabulary, label: str) -> None:
    match = vocabulary.match(Scheme.GOAL, label)
    assert match.concept is None and match.suggestion is None


def test_normalise() -> None:
    assert normalise("Human-Centred  design!") == "human centred design"
    assert normalise("R&D") == "r and d"
    assert normalise("The Théâtre") == "theatre"
    assert normalise("theory") == "theory"


def test_every_scheme_of_the_submission_format_has_concepts(vocabulary: Vocabulary) -> None:
    for scheme in Scheme:
        concepts = vocabulary.concepts(scheme)
        assert concepts, scheme
        assert all(c.scheme is scheme for c in concepts)


def test_every_concept_scheme_is_a_scheme_of_the_format(vocabulary: Vocabulary) -> None:
    declared = set(vocabulary.graph.subjects(RDF.type, SKOS.ConceptScheme))
    assert declared == {scheme.iri for scheme in Scheme}


def test_submission_fields_of_schemes_exist_in_the_format(vocabulary: Vocabulary) -> None:
    fields = [str(f) for f in vocabulary.graph.objects(None, CKG.submissionField)]
    assert "partnerships.data[].includes" in fields
    for name in fields:
        assert field_schema(name.replace("[]", "[0]")) is not None, name


def test_the_chart_legend_is_the_seven_survey_activities_in_page_order(vocabulary: Vocabulary) -> None:
    legend = vocabulary.members(ACTIVITY_LEGEND)
    assert len(legend) == 7
    assert all(concept.scheme is Scheme.ACTIVITY for concept in legend)
    assert legend[0].label == "Taking risks or testing new ideas"
    assert legend[-1].label == "Rethinking your city's approach to financing partnerships"
    assert vocabulary.members(VOCAB["no-such-collection"]) == []


def test_resolve_by_label_or_iri(vocabulary: Vocabulary) -> None:
    hospitals = VOCAB["partner-type/hospitals"]
    by_label = vocabulary.resolve("hospitals", [Scheme.PARTNER_TYPE])
    by_iri = vocabulary.resolve(str(hospitals), [Scheme.PARTNER_TYPE])
    assert by_label is not None and by_label.iri == hospitals
    assert by_iri is not None and by_iri.iri == hospitals
    assert vocabulary.resolve(str(hospitals), [Scheme.GOAL]) is None
    assert vocabulary.resolve("no such thing") is None


@pytest.mark.parametrize("narrower", ["hospitals", "waste and water management", "public transport agency"])
def test_partner_type_hierarchy(vocabulary: Vocabulary, narrower: str) -> None:
    concept = vocabulary.resolve(narrower, [Scheme.PARTNER_TYPE])
    regional = vocabulary.resolve("regional institutions", [Scheme.PARTNER_TYPE])
    assert concept is not None and regional is not None
    assert vocabulary.broader[concept.iri] == {regional.iri}
    assert (concept.iri, SKOS.inScheme, Scheme.PARTNER_TYPE.iri) in vocabulary.graph
    assert (regional.iri, SKOS.topConceptOf, Scheme.PARTNER_TYPE.iri) in vocabulary.graph


def test_hierarchy_has_no_cycles_and_stays_in_its_scheme(vocabulary: Vocabulary) -> None:
    for start, parents in vocabulary.broader.items():
        start_concept = vocabulary.concept(start)
        assert start_concept is not None
        seen: set[URIRef] = set()
        todo = list(parents)
        while todo:
            parent = todo.pop()
            assert parent != start, f"cycle through {start}"
            parent_concept = vocabulary.concept(parent)
            assert parent_concept is not None and parent_concept.scheme is start_concept.scheme
            if parent not in seen:
                seen.add(parent)
                todo.extend(vocabulary.broader.get(parent, ()))


def test_no_two_concepts_of_a_scheme_share_a_label(vocabulary: Vocabulary) -> None:
    for scheme in Scheme:
        owners: dict[str, URIRef] = {}
        for concept in vocabulary.concepts(scheme):
            labels = [concept.label, *map(str, vocabulary.graph.objects(concept.iri, SKOS.altLabel))]
            for label in labels:
                key = normalise(label)
                assert owners.setdefault(key, concept.iri) == concept.iri, (scheme, label)


def test_resolving_a_label_warns_about_nothing(
    vocabulary: Vocabulary, caplog: pytest.LogCaptureFixture
) -> None:
    # a label is not an IRI: trying it as one made rdflib log "does not look like a valid URI"
    with caplog.at_level(logging.DEBUG):
        assert vocabulary.resolve("regional institutions", [Scheme.PARTNER_TYPE]) is not None
    assert caplog.records == []
