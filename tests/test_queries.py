"""The query catalog, parameter binding, safety checks and result renderings."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Literal, URIRef

from citykg.errors import QueryError
from citykg.model.ontology import ontology_graph
from citykg.queries.catalog import CatalogQuery, catalog, find
from citykg.queries.results import QueryResult, render
from citykg.queries.run import answer, read_query
from citykg.queries.safety import check_query
from citykg.rdf.convert import to_ox
from citykg.rdf.formats import ResultFormat
from citykg.rdf.terms import VOCAB
from citykg.store.generations import open_store

CATALOG = catalog()


@pytest.mark.parametrize("name", sorted(CATALOG))
def test_catalog_query_is_documented_and_runs(name: str, built_store: Path) -> None:
    query = CATALOG[name]
    assert query.title and query.description
    assert query.examples and all(e.startswith(f"citykg query {name}") for e in query.examples)
    for parameter in query.parameters:
        assert parameter.description, parameter.name
        assert parameter.default, parameter.name
        assert re.search(rf"-p {parameter.name}=", " ".join(query.examples)), parameter.name
    result = answer(built_store, name=name)
    if result.graph is not None:  # CONSTRUCT: no projection; parameters are bound in the pattern
        assert "CONSTRUCT" in query.text.upper()
    else:
        assert result.variables, name
        # a substitution is only applied when the variable is in the projection (pyoxigraph)
        for parameter in query.parameters:
            assert parameter.name in result.variables, (name, parameter.name)
    checked = check_query(query.text)
    assert not checked.dataset  # accepted, and names no graph of its own
    assert checked.text == query.text  # so answer() may run the file as it is, unchecked


def test_at_least_six_queries() -> None:
    assert len(CATALOG) >= 6
    assert "cities-with-data-partner" in CATALOG


def test_every_catalog_example_runs(built_store: Path) -> None:
    for query in CATALOG.values():
        for example in query.examples:
            params = dict(
                (m.group(1), m.group(2) or m.group(3))
                for m in re.finditer(r'-p (\w+)=(?:"([^"]*)"|(\S+))', example)
            )
            answer(built_store, name=query.name, params=params)


@pytest.mark.parametrize(
    ("partner", "expected"),
    [
        ("hospitals", "hospitals"),
        ("regional institutions", "regional-institutions"),
        ("Public transport agencies", "public-transport-agency"),
        (str(VOCAB["partner-type/hospitals"]), "hospitals"),
    ],
)
def test_cities_with_data_partner_finds_helsinki(built_store: Path, partner: str, expected: str) -> None:
    result = answer(built_store, name="cities-with-data-partner", params={"partner": partner})
    assert set(result.column("city")) == {"Helsinki"}
    assert set(result.column("partner")) == {str(VOCAB[f"partner-type/{expected}"])}


def test_data_partner_not_given_finds_nobody(built_store: Path) -> None:
    result = answer(built_store, name="cities-with-data-partner", params={"partner": "philanthropy"})
    assert result.rows == []


def test_unknown_label_gives_a_suggestion(built_store: Path) -> None:
    with pytest.raises(QueryError) as caught:
        answer(built_store, name="cities-with-data-partner", params={"partner": "hospitls"})
    assert caught.value.where == "parameter partner"
    assert caught.value.hint == "did you mean 'hospitals'?"


def test_unknown_label_without_a_close_one_lists_the_known_values(built_store: Path) -> None:
    with pytest.raises(QueryError) as caught:
        answer(built_store, name="cities-with-data-partner", params={"partner": "spaceships"})
    assert caught.value.hint is not None and "regional institutions" in caught.value.hint


def test_unknown_parameter_and_unknown_query_are_refused(built_store: Path) -> None:
    with pytest.raises(QueryError, match="has no parameter colour"):
        answer(built_store, name="cities-with-data-partner", params={"colour": "red"})
    with pytest.raises(QueryError, match="no query named 'nope'"):
        answer(built_store, name="nope")
    with pytest.raises(QueryError, match="catalog queries only"):
        answer(built_store, sparql="SELECT * WHERE { ?s ?p ?o }", params={"a": "b"})


def test_parameter_values_are_bound_not_formatted_in(built_store: Path) -> None:
    query: CatalogQuery = find("cities-by-goal")
    sneaky = '" } UNION { ?s ?p ?o } #'
    with pytest.raises(QueryError, match="is not a goal"):
        query.bindings({"goal": sneaky})
    assert sneaky not in query.text


def test_sparql_and_file_queries(built_store: Path, tmp_path: Path) -> None:
    text = (
        'PREFIX schema: <https://schema.org/> SELECT ?n WHERE { ?c schema:name ?n FILTER(?n = "Helsinki") }'
    )
    assert answer(built_store, sparql=text).column("n") == ["Helsinki"]
    path = tmp_path / "q.rq"
    path.write_text(text, encoding="utf-8")
    assert answer(built_store, sparql=read_query(path)).column("n") == ["Helsinki"]
    with pytest.raises(QueryError, match="cannot read"):
        read_query(tmp_path / "missing.rq")


def test_malformed_queries_are_syntax_errors_naming_the_line(built_store: Path) -> None:
    with pytest.raises(QueryError, match="SPARQL syntax error at line 2") as refused:
        answer(built_store, sparql="SELECT *\nWHERE {")
    assert refused.value.where == "query line 2"


@pytest.mark.parametrize(
    ("text", "operation"),
    [
        ("DROP ALL", "DROP"),
        ("INSERT DATA { <a:b> <a:c> <a:d> }", "INSERT DATA"),
        ("delete where { ?s ?p ?o }", "DELETE WHERE"),
        ("PREFIX ex: <http://x/> WITH ex:g DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "DELETE/INSERT"),
        ("CLEAR DEFAULT ; LOAD <http://example.org/data.ttl>", "CLEAR, LOAD"),
        ("LOAD <file:///etc/passwd> INTO GRAPH <http://g>", "LOAD"),
    ],
)
def test_updates_are_refused_as_updates(built_store: Path, text: str, operation: str) -> None:
    with pytest.raises(QueryError, match=re.escape(f"updates are not allowed ({operation})")):
        answer(built_store, sparql=text)
    assert len(open_store(built_store).named_graphs()) == 3  # ontology, inferred, Helsinki


def test_a_broken_update_is_refused_as_an_update_not_as_a_query_without_select(built_store: Path) -> None:
    with pytest.raises(QueryError, match="updates are not allowed") as refused:
        answer(built_store, sparql="INSERT DATA { <a:b> <a:c> }")
    assert "SELECT" not in refused.value.message and "CONSTRUCT" not in refused.value.message


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { ?s ?p ?o FILTER NOT EXISTS { SERVICE SILENT <http://example.org/> { ?s ?p 1 } } }",
        "SELECT * WHERE { { SELECT ?s WHERE { SERVICE <http://example.org/> { ?s ?p ?o } } } }",
        "ASK { ?s ?p ?o MINUS { SERVICE <http://example.org/> { ?s ?p ?o } } }",
        "CONSTRUCT { ?s ?p ?o } WHERE { OPTIONAL { SERVICE <http://example.org/> { ?s ?p ?o } } }",
        "PREFIX ex: <http://example.org/> SELECT * WHERE { SERVICE ex:sparql { ?s ?p ?o } }",
    ],
)
def test_service_is_refused_at_any_depth_naming_the_endpoint(text: str) -> None:
    with pytest.raises(QueryError, match=re.escape("SERVICE <http://example.org/")):
        check_query(text)


def test_service_with_a_variable_endpoint_is_refused() -> None:
    with pytest.raises(QueryError, match=re.escape("SERVICE ?where is not allowed")):
        check_query("SELECT * WHERE { VALUES ?where { <http://example.org/> } SERVICE ?where { ?s ?p ?o } }")


def test_from_a_graph_not_in_the_store_is_refused_naming_it(built_store: Path) -> None:
    for clause in ("FROM", "FROM NAMED"):
        with pytest.raises(
            QueryError, match=re.escape(f"{clause} <http://example.org/data.ttl> names a graph")
        ):
            answer(
                built_store, sparql=f"SELECT * {clause} <http://example.org/data.ttl> WHERE {{ ?s ?p ?o }}"
            )


def test_from_and_from_named_choose_graphs_of_the_store(built_store: Path) -> None:
    graphs = open_store(built_store).named_graphs()
    ontology = next(g for g in graphs if "ontology" in g)
    everywhere = answer(built_store, sparql="SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    from_ontology = answer(
        built_store, sparql=f"SELECT (COUNT(*) AS ?n) FROM <{ontology}> WHERE {{ ?s ?p ?o }}"
    )
    expected = len(open_store(built_store).graph(ontology))
    assert int(from_ontology.column("n")[0]) == expected < int(everywhere.column("n")[0])
    named = answer(
        built_store,
        sparql=f"PREFIX o: <{ontology}> SELECT DISTINCT ?g FROM NAMED o: WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    )
    assert named.column("g") == [str(ontology)]


@pytest.mark.parametrize(
    "text",
    [
        "SELECT ?from ?service ?load WHERE { ?from ?service $load }",
        "SELECT * WHERE { ?s <https://example.org/SERVICE/FROM> 'LOAD FROM' }",
        'SELECT * WHERE { ?s ?p "a \\" SERVICE b" }',
        "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://example.org/> { }",
        "PREFIX ex: <http://x/> SELECT * WHERE { ?s ex:service ?o ; ex:load ?l }",
        "PREFIX service: <http://x/> SELECT * WHERE { ?s service:p ?o }",
        'SELECT * WHERE { ?s ?p """multi\nline SERVICE <http://x/> { } string""" }',
    ],
)
def test_the_words_in_variables_iris_strings_comments_and_names_are_fine(text: str) -> None:
    assert not check_query(text).dataset  # accepted, and names no graph


# ------------------------------------------------------------------ renderings

XSD = "http://www.w3.org/2001/XMLSchema#"
SAMPLE = QueryResult(
    variables=["city", "label", "staff", "flag"],
    rows=[
        {
            "city": URIRef("https://w3id.org/citykg/id/city/finland/helsinki"),
            "label": Literal('Hel, "sinki"\nline\ttab', lang="fi"),
            "staff": Literal(45, datatype=URIRef(XSD + "integer")),
            "flag": Literal(True),
        },
        {"city": BNode("b0"), "label": Literal("Zürich 東京"), "staff": Literal(5)},
    ],
)
OX_FORMAT = {
    ResultFormat.JSON: ox.QueryResultsFormat.JSON,
    ResultFormat.XML: ox.QueryResultsFormat.XML,
    ResultFormat.TSV: ox.QueryResultsFormat.TSV,
}


def test_table_aligns_columns_and_counts_rows() -> None:
    lines = render(SAMPLE, ResultFormat.TABLE).splitlines()
    assert len(lines) == 2 + len(SAMPLE.rows) + 1
    header, rule, first, second, footer = lines
    assert footer == "(2 rows)"
    assert header.split() == ["city", "label", "staff", "flag"]
    # each column starts where the rule's dashes start
    starts = [m.start() for m in re.finditer(r"-+", rule)]
    assert [m.start() for m in re.finditer(r"\S+", header)][:2] == starts[:2]
    assert first[starts[1] :].startswith('Hel, "sinki"\\nline\\ttab')
    # numbers are right-aligned: their last digit lines up with the end of the column
    staff_end = starts[2] + len(re.findall(r"-+", rule)[2])
    assert first[staff_end - 2 : staff_end] == "45" and second[staff_end - 1 : staff_end] == "5"


def test_table_of_an_empty_result() -> None:
    assert render(QueryResult(variables=["city"]), ResultFormat.TABLE).splitlines()[-1] == "(0 rows)"


def test_csv_is_well_formed_and_keeps_values() -> None:
    rows = list(csv.reader(io.StringIO(render(SAMPLE, ResultFormat.CSV), newline="")))
    assert rows[0] == SAMPLE.variables
    assert rows[1] == [
        "https://w3id.org/citykg/id/city/finland/helsinki",
        'Hel, "sinki"\nline\ttab',
        "45",
        "true",
    ]
    assert rows[2][0] == "_:b0"  # blank nodes as in Turtle
    assert rows[2][3] == ""


@pytest.mark.parametrize("fmt", [ResultFormat.JSON, ResultFormat.XML, ResultFormat.TSV])
def test_result_formats_round_trip_through_a_sparql_results_parser(fmt: ResultFormat) -> None:
    text = render(SAMPLE, fmt)
    parsed = ox.parse_query_results(text.encode("utf-8"), format=OX_FORMAT[fmt])
    assert isinstance(parsed, ox.QuerySolutions)
    assert [v.value for v in parsed.variables] == SAMPLE.variables
    solutions = list(parsed)
    assert len(solutions) == len(SAMPLE.rows)
    for solution, row in zip(solutions, SAMPLE.rows, strict=True):
        for name in SAMPLE.variables:
            if name not in row:
                assert solution[name] is None
            elif isinstance(row[name], BNode):
                assert isinstance(solution[name], ox.BlankNode)
            else:
                assert solution[name] == to_ox(row[name]), (fmt, name)


def test_json_and_xml_are_well_formed_documents() -> None:
    document = json.loads(render(SAMPLE, ResultFormat.JSON))
    assert document["head"]["vars"] == SAMPLE.variables
    assert document["results"]["bindings"][0]["label"]["xml:lang"] == "fi"
    root = ET.fromstring(render(SAMPLE, ResultFormat.XML))
    assert root.tag == "{http://www.w3.org/2005/sparql-results#}sparql"


@pytest.mark.parametrize("fmt", [ResultFormat.JSON, ResultFormat.XML])
def test_boolean_results_round_trip(fmt: ResultFormat) -> None:
    for value in (True, False):
        parsed = ox.parse_query_results(
            render(QueryResult(boolean=value), fmt).encode(), format=OX_FORMAT[fmt]
        )
        assert bool(parsed) is value


@pytest.mark.parametrize("name", sorted(CATALOG))
def test_catalog_queries_use_only_declared_terms(name: str) -> None:
    """A misspelt property makes a query silently answer nothing: every ckg: term must exist."""
    declared = {str(s) for s in ontology_graph().subjects()}
    text = CATALOG[name].text
    assert "PREFIX ckg: <https://w3id.org/citykg/ontology#>" in text or "ckg:" not in text
    used = {f"https://w3id.org/citykg/ontology#{t}" for t in re.findall(r"\bckg:(\w+)", text)}
    used |= set(re.findall(r"<(https://w3id.org/citykg/(?:ontology#|vocab/)[^>]*[^>/#])>", text))
    assert sorted(used - declared) == []


GOAL = str(VOCAB["goal/anticipate-and-manage-future-challenges"])


@pytest.mark.parametrize(
    ("name", "params", "expected"),
    [
        ("innovation-staff", {}, [("Helsinki", "2020", "2", "45")]),
        ("dated-targets", {}, [
            ("2026", "Helsinki", "future campus of 70,000m2", "Maria 01"),
            ("2035", "Helsinki", "carbon neutral", "Environment and climate change"),
        ]),
        ("people-and-roles", {}, [
            ("Helsinki", "2020", "innovation officer", "Mikko Rusama"),
            ("Helsinki", "2020", "innovation officer", "Santtu von Bruun"),
            ("Helsinki", "2020", "mayor", "Jan Vapaavuori"),
        ]),
        ("cities-without-explicit-strategy", {}, []),
        ("cities-by-goal", {"goal": "anticipate and manage future challenges"},
         [("Helsinki", "Finland", "2020", GOAL, "Anticipate and manage future challenges")]),
    ],
)  # fmt: skip
def test_catalog_answers_for_helsinki(
    built_store: Path, name: str, params: dict[str, str], expected: list[tuple[str, ...]]
) -> None:
    result = answer(built_store, name=name, params=params)
    assert [tuple(str(row[v]) for v in result.variables if v in row) for row in result.rows] == expected
