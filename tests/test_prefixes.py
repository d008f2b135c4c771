"""One prefix table (citykg.rdf.terms): each view agrees with the files that declare prefixes too."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef

from citykg.model.vocabulary import Scheme
from citykg.queries.results import display
from citykg.rdf.jsonld import context
from citykg.rdf.terms import PREFIXES, VOCAB, PrefixMap, curie, display_prefixes, turtle_prefixes


def test_tables_name_every_vocabulary_by_its_own_name() -> None:
    names = {name for name, namespace in display_prefixes().items() if namespace.startswith(str(VOCAB))}
    assert names - {"vocab"} == {scheme.value for scheme in Scheme}
    for scheme in Scheme:
        assert display(URIRef(f"{scheme.iri}/x")) == f"{scheme.value}:x"


def test_the_json_ld_context_and_turtle_files_use_the_same_namespaces_for_the_same_prefixes() -> None:
    declared = {k: v for k, v in context().items() if isinstance(v, str) and v.endswith(("/", "#"))}
    assert declared, "the context declares prefixes"
    for name, namespace in declared.items():
        assert PREFIXES[name] == namespace, name
    for name, namespace in PREFIXES.items():
        assert turtle_prefixes()[name] == namespace, name


@pytest.mark.parametrize(
    ("iri", "expected"),
    [
        ("https://w3id.org/citykg/ontology#mayor", "ckg:mayor"),
        ("https://w3id.org/citykg/vocab/goal/x", "vocab:goal/x"),  # no vocabulary prefixes in messages
        ("https://w3id.org/citykg/ontology#", "<https://w3id.org/citykg/ontology#>"),  # empty local part
        ("https://w3id.org/citykg/vocab///x", "<https://w3id.org/citykg/vocab///x>"),  # reads as an IRI
        ("https://example.org/x", "<https://example.org/x>"),
    ],
)
def test_messages_write_known_terms_as_prefixed_names(iri: str, expected: str) -> None:
    assert curie(URIRef(iri)) == expected


def test_the_longest_namespace_wins() -> None:
    prefixes = PrefixMap({"v": "https://example.org/v/", "goal": "https://example.org/v/goal/"})
    assert prefixes.compact("https://example.org/v/goal/x") == "goal:x"
    assert prefixes.compact("https://example.org/v/other") == "v:other"
    assert prefixes.compact("https://example.org/w") is None


def test_tables_show_ids_and_vocabularies_short_and_literals_as_text() -> None:
    assert display(URIRef("https://w3id.org/citykg/id/city/finland/helsinki")) == "id:city/finland/helsinki"
    assert display(URIRef("https://w3id.org/citykg/vocab/partner-type/hospitals")) == "partner-type:hospitals"
    assert display(URIRef("https://w3id.org/citykg/vocab/survey-indicator/cities")) == (
        "vocab:survey-indicator/cities"
    )
    assert display(Literal("two\nlines")) == "two\\nlines"
