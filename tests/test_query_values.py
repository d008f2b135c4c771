"""Catalog parameters written as VALUES (queries/run.py `with_values`) give the rows that
pyoxigraph's substitutions give, and any value reads back as itself."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Literal, URIRef

from citykg.api import Store
from citykg.queries.catalog import catalog
from citykg.queries.results import QueryResult
from citykg.queries.run import answer, with_values
from citykg.rdf.convert import to_ox
from citykg.rdf.iris import IRIs
from citykg.store.generations import open_store

CATALOG = catalog()
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "catalog"  # Northport answered both waves
WITH_PARAMETERS = sorted(name for name, query in CATALOG.items() if query.parameters)


def _examples(name: str) -> list[dict[str, str]]:
    """The parameter values of the query's documented examples, its defaults ({}) and, for a
    city query, a city of the fixtures that answered both waves."""
    found: list[dict[str, str]] = [{}]
    if any(p.name == "city" for p in CATALOG[name].parameters):
        found.append({"city": "Northport"})
    for example in CATALOG[name].examples:
        pairs = re.finditer(r'-p (\w+)=(?:"([^"]*)"|(\S+))', example)
        found.append({m.group(1): m.group(2) or m.group(3) for m in pairs})
    return found


def _rows(result: QueryResult) -> list[tuple[tuple[str, str], ...]]:
    if result.graph is not None:
        return sorted(((str(s), str(p)), (str(o), "")) for s, p, o in result.graph)
    return sorted(tuple(sorted((k, v.n3()) for k, v in row.items())) for row in result.rows)


@pytest.fixture(scope="module")
def catalog_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    location = tmp_path_factory.mktemp("values") / "store"
    Store(location).build([FIXTURES])
    return location


@pytest.mark.parametrize("name", WITH_PARAMETERS)
def test_values_give_the_rows_substitutions_give(name: str, catalog_store: Path) -> None:
    store = open_store(catalog_store)
    query = CATALOG[name]
    answered = 0
    for params in _examples(name):
        bindings = query.bindings(params)
        extra = [IRIs().inferred_graph]
        substituted = store.query(query.text, substitutions=bindings, extra_graphs=extra)
        expected = _rows(QueryResult.from_oxigraph(substituted))
        answered += bool(expected)
        assert _rows(answer(catalog_store, name=name, params=params)) == expected, (name, params)
    assert answered, name  # the fixture answers it for some of its values


def test_values_go_into_the_where_clause_not_a_comment() -> None:
    text = "# WHERE { in a comment\nSELECT ?x WHERE {\n  ?x ?p ?o }"
    out = with_values(text, {"o": URIRef("https://example.org/o")})
    assert out.startswith("# WHERE { in a comment\nSELECT ?x WHERE { VALUES ?o { <https://example.org/o> }")


@settings(max_examples=200, deadline=None)
@given(st.text(), st.sampled_from(["", "en", "fi-x-test"]))
def test_any_string_value_reads_back_as_itself(value: str, language: str) -> None:
    term = Literal(value, lang=language or None)
    rows = ox.Store().query(with_values("SELECT ?v WHERE { }", {"v": term}))
    assert isinstance(rows, ox.QuerySolutions)
    assert next(iter(rows))["v"] == to_ox(term)
