"""Hostile names (angle brackets, quotes, SPARQL and N-Triples syntax, very long or empty-ish
names) never reach an IRI or a query unescaped: minted IRIs are valid, the store and its
exports parse, catalog queries answer, and the names come back exactly as written."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from _submit_support import CORPUS, catalog_answers
from citykg.cli import cli
from citykg.queries.run import answer
from citykg.rdf.iris import IRIs
from citykg.sources import read_file
from citykg.store.generations import open_store
from publishing_support import parse_export

HOSTILE = [
    "angle-brackets-name.yaml",
    "sparql-injection-name.yaml",
    "iri-injection-mayor.json",
    "apostrophe-and-quotes.yaml",
    "cjk-name.yaml",
    "name-200-chars.yaml",
]
IRI = re.compile(r"https://w3id\.org/citykg/[^\s<>\"{}|\\^`]*")  # RFC 3987: none of these


def _names(path: Path) -> tuple[str, str, str | None]:
    [submission] = read_file(path)
    city = submission.document.data["city"]
    return city["name"], city["country"], city.get("mayor")


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    location = tmp_path_factory.mktemp("hostile") / "store"
    for name in HOSTILE:
        result = CliRunner().invoke(cli, ["submit", str(CORPUS / "good" / name), "--store", str(location)])
        assert result.exit_code == 0, result.output
    return location


def test_every_iri_in_the_store_is_a_valid_iri(hostile_store: Path) -> None:
    store = open_store(hostile_store).store
    for quad in store.quads_for_pattern(None, None, None, None):
        for term in (quad.subject, quad.predicate, quad.object, quad.graph_name):
            if isinstance(term, ox.NamedNode):
                assert IRI.fullmatch(term.value) or not term.value.startswith("https://w3id.org/citykg/"), (
                    term
                )


def test_names_come_back_exactly_and_catalog_queries_answer(hostile_store: Path) -> None:
    answers = catalog_answers(hostile_store)  # every catalog query runs
    # rows come as SPARQL JSON; a graph answer (CONSTRUCT) as Turtle, empty when no city matches
    assert all('"results"' in text or "@prefix" in text or not text.strip() for text in answers.values())
    for name in HOSTILE:
        city, country, mayor = _names(CORPUS / "good" / name)
        found = answer(
            hostile_store,
            sparql="PREFIX schema: <https://schema.org/> PREFIX ckg: <https://w3id.org/citykg/ontology#> "
            "SELECT ?city ?country WHERE { ?c a ckg:City ; schema:name ?city ; "
            "ckg:country/schema:name ?country }",
        )
        assert (city, country) in {(str(r["city"]), str(r["country"])) for r in found.rows}
        if mayor is not None:
            people = answer(hostile_store, name="people-and-roles").rows
            assert mayor in {str(r["person"]) for r in people}


def test_export_of_hostile_names_parses_back(hostile_store: Path, tmp_path: Path) -> None:
    for fmt in ("turtle", "nquads", "jsonld"):
        target = tmp_path / f"export.{fmt}"
        result = CliRunner().invoke(
            cli, ["export", "-f", fmt, "-o", str(target), "--store", str(hostile_store)]
        )
        assert result.exit_code == 0, result.output
        parsed = parse_export(
            target.read_bytes(),
            {
                "turtle": ox.RdfFormat.TURTLE,
                "nquads": ox.RdfFormat.N_QUADS,
                "jsonld": ox.RdfFormat.JSON_LD,
            }[fmt],
        )
        assert parsed


def test_history_of_a_hostile_name(hostile_store: Path) -> None:
    city, _, _ = _names(CORPUS / "good" / "sparql-injection-name.yaml")
    result = CliRunner().invoke(cli, ["history", city, "--store", str(hostile_store)])
    assert result.exit_code == 0, result.output
    assert "current" in result.stdout


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=300), st.text(min_size=1, max_size=300), st.integers(2000, 2100))
def test_minted_iris_are_valid_for_any_text(name: str, country: str, wave: int) -> None:
    iris = IRIs()
    for iri in (
        iris.city(name, country),
        iris.graph(name, country, wave),
        iris.person(name, name, country),
        iris.profile(name, country, wave),
    ):
        assert IRI.fullmatch(str(iri)), iri
        ox.NamedNode(str(iri))  # pyoxigraph accepts it as an IRI
