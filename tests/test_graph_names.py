"""Renaming the `GRAPH <iri>` constants of ad hoc SPARQL for a remote store (queries/graph_names.py):
only the constant after the keyword is renamed, whatever the text around it holds (strings,
comments, IRIs, prefixed names that look like it), prefixed names and BASE are resolved as
SPARQL resolves them, and a text the tokenizer and the parser read differently is refused."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citykg.errors import QueryError
from citykg.queries.graph_names import graph_constants, rename_graphs
from citykg.queries.safety import check_query

G = "https://w3id.org/citykg/graph/finland/helsinki/2020"


def _renamed(text: str) -> str:
    return rename_graphs(text, lambda iri: "urn:there:" + iri.rsplit("/", 1)[-1], _parsed)


def _parsed(text: str) -> list[str]:
    return list(check_query(text).graphs)


def test_the_constant_after_graph_is_renamed_and_nothing_else() -> None:
    text = (
        "PREFIX h: <https://w3id.org/citykg/graph/finland/helsinki/>\n"
        f"SELECT ?s ?t WHERE {{ # GRAPH <{G}> in a comment\n"
        f'  GRAPH <{G}> {{ ?s ?p ?o }} graph h:2020 {{ ?s ?p ?o }} GrApH ?g {{ ?s h:GRAPH "GRAPH <{G}>" }}\n'
        f"  BIND('''GRAPH <{G}> ' '' ''' AS ?t) BIND(\"\\\"GRAPH <{G}>\" AS ?u)\n"
        "  FILTER EXISTS { GRAPH <https://w3id.org/citykg/graph/ontology> { ?s ?p ?o } } }"
    )
    renamed = _renamed(text)
    assert renamed.count(f"<{G}>") == 4  # in the comment and the three strings
    assert renamed.count("GRAPH <urn:there:2020>") == 1
    assert "graph <urn:there:2020>" in renamed  # the prefixed name, resolved
    assert "GRAPH <urn:there:ontology>" in renamed  # inside EXISTS
    assert "GrApH ?g" in renamed and "h:GRAPH" in renamed
    assert renamed.count("<urn:there:2020>") == 2
    assert sorted(_parsed(renamed)) == ["urn:there:2020", "urn:there:2020", "urn:there:ontology"]


def test_base_and_a_prefix_relative_to_it_are_resolved() -> None:
    text = (
        "BASE <https://w3id.org/citykg/>\nPREFIX g: <graph/finland/>\n"
        "SELECT * WHERE { GRAPH <graph/finland/helsinki/2020> { ?s ?p ?o } GRAPH g:x { ?s ?p ?o } }"
    )
    assert [iri for _, iri in graph_constants(text)] == [G, "https://w3id.org/citykg/graph/finland/x"]
    assert _renamed(text).count("<urn:there:") == 2


def test_a_query_without_graph_constants_is_sent_as_it_is() -> None:
    text = 'SELECT ?g WHERE { GRAPH ?g { ?s ?p "GRAPH <x:y>" } } # GRAPH <x:z>'
    assert _renamed(text) == text


def test_a_text_the_parser_reads_otherwise_is_refused() -> None:
    # a local name with an escape: rdflib keeps the backslash, SPARQL (and Oxigraph) drop it
    text = "PREFIX g: <https://w3id.org/citykg/graph/>\nSELECT * WHERE { GRAPH g:finland\\/x { ?s ?p ?o } }"
    with pytest.raises(QueryError, match="could not be read for certain"):
        _renamed(text)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "GRAPH",
                " ",
                "\n",
                "<",
                ">",
                '"',
                "'",
                "#",
                "\\",
                ":",
                "g:",
                "?g",
                "{",
                "}",
                "x",
                "<urn:a>",
                ".",
            ]
        ),
        max_size=30,
    )
)
def test_any_text_is_renamed_or_refused_never_broken(parts: list[str]) -> None:
    text = "PREFIX g: <urn:g:>\nSELECT * WHERE { " + "".join(parts) + " }"
    graph_constants(text)  # reads any text without failing
    graph_constants(text.replace("PREFIX g: <urn:g:>", ""))
    try:
        renamed = _renamed(text)
    except QueryError:
        return  # not a query, or not one whose GRAPH names are certain
    assert all(iri.startswith("urn:there:") for iri in _parsed(renamed))
