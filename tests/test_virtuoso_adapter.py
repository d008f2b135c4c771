"""The Virtuoso adapter's pieces on their own (citykg.store.remote.virtuoso); against a real
Virtuoso they run in tests/test_triplestore_protocol.py and tests/test_remote_store.py."""

from __future__ import annotations

import json

import httpx
import pyoxigraph as ox
import pytest

from citykg.errors import StoreError
from citykg.store.remote import virtuoso

# an answer as Virtuoso 7.2.5 gave it (blank node name, `lang`, a boolean as 1)
ANSWER = b"""{ "head": { "link": [], "vars": ["b", "l", "t"] }, "results": { "distinct": false,
  "ordered": true, "bindings": [ { "b": { "type": "bnode", "value": "nodeID://b10000" },
  "l": { "type" : "literal", "value" : "Helsinki" , "lang" : "fi" },
  "t": { "type": "typed-literal", "datatype": "http://www.w3.org/2001/XMLSchema#boolean",
  "value": "1" } } ] } }"""


def test_virtuosos_answer_parses_once_mended() -> None:
    with pytest.raises(SyntaxError):
        rows = ox.parse_query_results(ANSWER, format=ox.QueryResultsFormat.JSON)
        assert isinstance(rows, ox.QuerySolutions)
        list(rows)
    rows = ox.parse_query_results(virtuoso.mend_results(ANSWER), format=ox.QueryResultsFormat.JSON)
    assert isinstance(rows, ox.QuerySolutions)
    (row,) = list(rows)
    assert isinstance(row["b"], ox.BlankNode)
    assert row["l"] == ox.Literal("Helsinki", language="fi")
    assert row["t"] == ox.Literal("true", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))


def test_a_standard_answer_is_left_as_it_is() -> None:
    standard = json.dumps(
        {"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "uri", "value": "urn:a"}}]}}
    )
    assert virtuoso.mend_results(standard.encode()) == standard.encode()


@pytest.mark.parametrize(
    ("query", "kind"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", virtuoso.RESULTS),
        ("PREFIX construct: <urn:construct#>\nASK { construct:a ?p ?o }", virtuoso.RESULTS),
        ("# CONSTRUCT in a comment\nSELECT ?s WHERE { ?s <urn:describe> ?o }", virtuoso.RESULTS),
        ("PREFIX select: <https://example.org/select#>\nCONSTRUCT WHERE { ?s ?p ?o }", virtuoso.TRIPLES),
        ("describe <urn:a>", virtuoso.TRIPLES),
    ],
)
def test_the_media_type_asked_for_follows_the_query_form(query: str, kind: str) -> None:
    assert virtuoso.accept(query) == kind


def _answer(status: int, text: str, **headers: str) -> httpx.Response:
    return httpx.Response(status, text=text, headers=headers)


def test_a_deadlocked_request_is_sent_again_a_few_times_then_stands() -> None:
    deadlock = _answer(500, "Virtuoso 40001 Error SR172: Transaction deadlocked\n")
    pauses = [virtuoso.retry_after(deadlock, attempt) for attempt in range(6)]
    assert pauses[:5] == [0.1, 0.2, 0.4, 0.8, 1.6] and pauses[5] is None
    assert virtuoso.retry_after(_answer(500, "Virtuoso 22023 Error SPARUL_DROP() failed"), 0) is None
    assert virtuoso.retry_after(_answer(200, ""), 0) is None


def test_an_answer_cut_at_the_row_limit_is_refused_naming_the_setting() -> None:
    virtuoso.check_complete(_answer(200, "{}"), "http://h/sparql")
    with pytest.raises(StoreError, match="10,000 rows") as raised:
        virtuoso.check_complete(_answer(200, "{}", **{"X-SPARQL-MaxRows": "10000"}), "http://h/sparql")
    assert raised.value.hint is not None and "ResultSetMaxRows" in raised.value.hint
