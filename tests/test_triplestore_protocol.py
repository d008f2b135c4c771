"""The raw protocol calls citykg makes, against real servers: what each answers (docs/remote-store.md).

These pin down the standard calls (SPARQL 1.1 Query and Update, the Graph Store Protocol) and the
places where Virtuoso 7 answers differently, which citykg.store.remote.virtuoso handles. Tests of
Virtuoso are marked `virtuoso` (make test-virtuoso); the Oxigraph server ones run in make test.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import Iterator

import httpx
import pyoxigraph as ox
import pytest

from triplestores import Triplestore, oxigraph, virtuoso, virtuoso_template

__all__ = ["oxigraph", "virtuoso", "virtuoso_template"]  # the server fixtures

SERVERS = ["oxigraph", pytest.param("virtuoso", marks=pytest.mark.virtuoso)]
RESULTS_JSON = "application/sparql-results+json"
NTRIPLES = "application/n-triples"
XML = "application/sparql-results+xml"


@pytest.fixture(params=SERVERS)
def server(request: pytest.FixtureRequest) -> Triplestore:
    store: Triplestore = request.getfixturevalue(request.param)
    return store


@pytest.fixture
def graph() -> Iterator[str]:
    """A graph IRI no other test writes to (the servers live for the whole session)."""
    yield f"https://example.org/test/{uuid.uuid4()}"


def update(server: Triplestore, text: str) -> httpx.Response:
    return httpx.post(server.update_url, data={"update": text}, auth=server.auth(), timeout=120)


def select(server: Triplestore, text: str, **params: str | list[str]) -> list[dict[str, str]]:
    response = httpx.post(
        server.query_url, data={"query": text, **params}, headers={"Accept": RESULTS_JSON}, timeout=120
    )
    assert response.status_code == 200, response.text
    rows: list[dict[str, dict[str, str]]] = response.json()["results"]["bindings"]
    return [{name: term["value"] for name, term in row.items()} for row in rows]


def count(server: Triplestore, graph: str) -> int:
    rows = select(server, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return int(rows[0]["n"])


def gsp(
    server: Triplestore, method: str, graph: str, body: bytes = b"", kind: str = NTRIPLES
) -> httpx.Response:
    """A Graph Store Protocol request with the standard `?graph=` parameter."""
    # Virtuoso answers a DELETE that accepts N-Triples with 406: a DELETE says nothing it accepts
    headers = {"Content-Type": kind} if body else {} if method == "DELETE" else {"Accept": NTRIPLES}
    return httpx.request(
        method,
        server.graph_store_url,
        params={"graph": graph},
        content=body or None,
        headers=headers,
        auth=server.auth(),
        timeout=300,
    )


def ntriples(n: int) -> bytes:
    return "".join(f'<urn:s{i}> <urn:p> "value {i}" .\n' for i in range(n)).encode()


# SPARQL 1.1 Query


def test_a_query_by_get_and_by_form_post_answers_the_same(server: Triplestore, graph: str) -> None:
    assert update(server, f'INSERT DATA {{ GRAPH <{graph}> {{ <urn:a> <urn:b> "c" }} }}').is_success
    text = f"SELECT ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    by_get = httpx.get(server.query_url, params={"query": text}, headers={"Accept": RESULTS_JSON})
    assert by_get.json()["results"]["bindings"] == [{"o": {"type": "literal", "value": "c"}}]
    assert select(server, text) == [{"o": "c"}]


def test_select_results_come_as_json_xml_csv_and_tsv(server: Triplestore, graph: str) -> None:
    update(server, f'INSERT DATA {{ GRAPH <{graph}> {{ <urn:a> <urn:b> "c" }} }}')
    text = f"SELECT ?s ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"

    def answer(kind: str) -> httpx.Response:
        response = httpx.post(server.query_url, data={"query": text}, headers={"Accept": kind})
        assert response.headers["content-type"].startswith(kind)
        return response

    for kind, parser in [(RESULTS_JSON, ox.QueryResultsFormat.JSON), (XML, ox.QueryResultsFormat.XML)]:
        rows = ox.parse_query_results(answer(kind).content, parser)
        assert isinstance(rows, ox.QuerySolutions)
        assert [[term.value for term in row] for row in rows] == [["urn:a", "c"]]
    assert list(csv.reader(io.StringIO(answer("text/csv").text))) == [["s", "o"], ["urn:a", "c"]]
    # Virtuoso's TSV quotes names and IRIs alike (an IRI reads as a literal): citykg asks for JSON
    tsv = answer("text/tab-separated-values").text.splitlines()
    assert tsv == (['"s"\t"o"', '"urn:a"\t"c"'] if server.name == "virtuoso" else ["?s\t?o", '<urn:a>\t"c"'])


def test_construct_comes_as_ntriples_and_turtle(server: Triplestore, graph: str) -> None:
    update(server, f'INSERT DATA {{ GRAPH <{graph}> {{ <urn:a> <urn:b> "c", 42, "x"@fi }} }}')
    text = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    graphs = []
    for kind, parser in [(NTRIPLES, ox.RdfFormat.N_TRIPLES), ("text/turtle", ox.RdfFormat.TURTLE)]:
        response = httpx.post(server.query_url, data={"query": text}, headers={"Accept": kind})
        assert response.headers["content-type"].startswith(kind)
        graphs.append({q.triple for q in ox.parse(response.content, format=parser)})
    assert graphs[0] == graphs[1] and len(graphs[0]) == 3


def test_default_graph_uri_selects_the_union_of_the_graphs_named(server: Triplestore, graph: str) -> None:
    update(server, f'INSERT DATA {{ GRAPH <{graph}/1> {{ <urn:a> <urn:b> "one" }} }}')
    update(server, f'INSERT DATA {{ GRAPH <{graph}/2> {{ <urn:a> <urn:b> "two" }} }}')
    update(server, f'INSERT DATA {{ GRAPH <{graph}/3> {{ <urn:a> <urn:b> "three" }} }}')
    text = "SELECT ?o WHERE { <urn:a> <urn:b> ?o }"
    chosen = select(server, text, **{"default-graph-uri": [f"{graph}/1", f"{graph}/2"]})
    assert sorted(row["o"] for row in chosen) == ["one", "two"]
    from_clause = select(server, f"SELECT ?o FROM <{graph}/3> WHERE {{ <urn:a> <urn:b> ?o }}")
    assert from_clause == [{"o": "three"}]


def test_without_a_dataset_the_default_graph_differs_by_server(server: Triplestore, graph: str) -> None:
    """Virtuoso's default graph is every graph it holds; Oxigraph's is its own default graph:
    citykg therefore always names its graphs (default-graph-uri or GRAPH)."""
    update(server, f'INSERT DATA {{ GRAPH <{graph}> {{ <{graph}> <urn:b> "in a named graph" }} }}')
    rows = select(server, f"SELECT ?o WHERE {{ <{graph}> <urn:b> ?o }}")
    assert rows == ([{"o": "in a named graph"}] if server.name == "virtuoso" else [])


def test_a_query_syntax_error_is_a_400_naming_the_problem(server: Triplestore) -> None:
    response = httpx.post(server.query_url, data={"query": "SELEC ?x"}, headers={"Accept": RESULTS_JSON})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/plain")
    assert ("SELEC" if server.name == "virtuoso" else "error at 1:") in response.text


# SPARQL 1.1 Update


def test_an_update_succeeds_with_the_account_and_is_refused_without(server: Triplestore, graph: str) -> None:
    text = f'INSERT DATA {{ GRAPH <{graph}> {{ <urn:a> <urn:b> "c" }} }}'
    anonymous = httpx.post(server.update_url, data={"update": text})
    if server.name == "virtuoso":  # /sparql-auth challenges for HTTP Digest; Basic is refused too
        assert anonymous.status_code == 401
        assert anonymous.headers["www-authenticate"].startswith("Digest")
        assert server.user is not None and server.password is not None
        basic = httpx.post(server.update_url, data={"update": text}, auth=(server.user, server.password))
        assert basic.status_code == 401
        assert count(server, graph) == 0
    answered = update(server, text)
    # Oxigraph answers 204 and no body; Virtuoso 200 with a results document saying what it did
    assert answered.status_code == (200 if server.name == "virtuoso" else 204)
    assert count(server, graph) == 1


@pytest.mark.virtuoso
def test_virtuosos_open_endpoint_refuses_updates_from_the_sparql_user(virtuoso: Triplestore) -> None:
    open_endpoint = virtuoso.query_url  # /sparql runs as the SQL user SPARQL, which may only read
    text = 'INSERT DATA { GRAPH <urn:x> { <urn:a> <urn:b> "c" } }'
    response = httpx.post(open_endpoint, data={"update": text})
    assert response.status_code == 500 and "SR186:SECURITY" in response.text


def test_an_update_syntax_error_is_a_400_and_changes_nothing(server: Triplestore, graph: str) -> None:
    response = update(server, f'INSERT DATA {{ GRAPH <{graph}> {{ <urn:a> <urn:b> "c" }} }} ; DROPP')
    assert response.status_code == 400
    assert count(server, graph) == 0


def test_the_operations_of_one_update_are_atomic_only_on_oxigraph(server: Triplestore, graph: str) -> None:
    """A later operation failing at run time undoes the earlier ones on Oxigraph, not on Virtuoso:
    citykg's pointer switch is therefore one operation (the next test)."""
    update(server, f'INSERT DATA {{ GRAPH <{graph}/old> {{ <urn:a> <urn:b> "c" }} }}')
    failing = update(
        server, f'INSERT DATA {{ GRAPH <{graph}> {{ <urn:a> <urn:b> "c" }} }} ; CREATE GRAPH <{graph}/old>'
    )
    assert failing.status_code == 500
    assert count(server, graph) == (1 if server.name == "virtuoso" else 0)


def test_the_pointer_switch_in_one_operation_leaves_one_pointer(server: Triplestore, graph: str) -> None:
    pointer = f"<{graph}> <urn:current>"
    assert update(server, f"INSERT DATA {{ GRAPH <{graph}> {{ {pointer} <urn:gen:1> }} }}").is_success
    for generation in (2, 3):
        switched = update(
            server,
            f"DELETE {{ GRAPH <{graph}> {{ {pointer} ?old }} }} "
            f"INSERT {{ GRAPH <{graph}> {{ {pointer} <urn:gen:{generation}> }} }} "
            f"WHERE {{ GRAPH <{graph}> {{ {pointer} ?old }} }}",
        )
        assert switched.is_success
    assert select(server, f"SELECT ?g WHERE {{ GRAPH <{graph}> {{ {pointer} ?g }} }}") == [{"g": "urn:gen:3"}]


def insert_if_empty(server: Triplestore, graph: str, holder: str, *, condition: str) -> None:
    text = f'INSERT {{ GRAPH <{graph}> {{ <{graph}> <urn:holder> "{holder}" }} }} WHERE {{ {condition} }}'
    assert update(server, text).is_success


def holders(server: Triplestore, graph: str) -> list[str]:
    return sorted(r["h"] for r in select(server, f"SELECT ?h WHERE {{ GRAPH <{graph}> {{ ?s ?p ?h }} }}"))


def test_a_conditional_insert_by_count_takes_a_lock_once(server: Triplestore, graph: str) -> None:
    empty = f"{{ SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} }} FILTER(?n = 0)"
    insert_if_empty(server, graph, "first", condition=empty)
    insert_if_empty(server, graph, "second", condition=empty)
    assert holders(server, graph) == ["first"]


def test_filter_not_exists_alone_is_always_true_on_virtuoso(server: Triplestore, graph: str) -> None:
    """An uncorrelated FILTER NOT EXISTS as the whole WHERE does not look at the graph on Virtuoso
    7.2: a lock written that way would be taken twice (the count form above works on both)."""
    empty = f"FILTER NOT EXISTS {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    insert_if_empty(server, graph, "first", condition=empty)
    insert_if_empty(server, graph, "second", condition=empty)
    assert holders(server, graph) == (["first", "second"] if server.name == "virtuoso" else ["first"])


def test_drop_silent_removes_a_graph_however_it_was_written(server: Triplestore, graph: str) -> None:
    assert gsp(server, "POST", graph, ntriples(3)).is_success
    plain_drop = update(server, f"DROP GRAPH <{graph}>")
    # Virtuoso drops without SILENT only a graph made by CREATE GRAPH, and then drops nothing
    assert plain_drop.status_code == (500 if server.name == "virtuoso" else 204)
    assert update(server, f"DROP SILENT GRAPH <{graph}>").is_success
    assert count(server, graph) == 0


def test_insert_data_takes_up_to_thousands_of_triples(server: Triplestore, graph: str) -> None:
    """Virtuoso's SPARQL compiler runs out at about 5,000 triples in one INSERT DATA, whatever
    their size in bytes: citykg uploads by the Graph Store Protocol and batches below that."""
    body = ntriples(4000).decode()
    assert update(server, f"INSERT DATA {{ GRAPH <{graph}> {{ {body} }} }}").is_success
    assert count(server, graph) == 4000
    refused = update(server, f"INSERT DATA {{ GRAPH <{graph}/more> {{ {ntriples(6000).decode()} }} }}")
    assert refused.status_code == (400 if server.name == "virtuoso" else 204)
    if server.name == "virtuoso":
        assert "memory exhausted" in refused.text


# the Graph Store Protocol


def test_graph_store_post_adds_ntriples_and_turtle(server: Triplestore, graph: str) -> None:
    assert gsp(server, "POST", graph, b'<urn:a> <urn:b> "nt" .\n').status_code == 201  # created
    turtle = b'@prefix x: <urn:> .\nx:a x:b "ttl" .\n'
    assert gsp(server, "POST", graph, turtle, "text/turtle").status_code in {200, 204}  # added to
    got = gsp(server, "GET", graph)
    assert got.headers["content-type"].startswith(NTRIPLES)
    objects = {q.triple.object for q in ox.parse(got.content, format=ox.RdfFormat.N_TRIPLES)}
    assert objects == {ox.Literal("nt"), ox.Literal("ttl")}


def test_graph_store_put_replaces_and_delete_removes(server: Triplestore, graph: str) -> None:
    assert gsp(server, "PUT", graph, b'<urn:a> <urn:b> "one" .\n').status_code == 201
    assert gsp(server, "PUT", graph, b'<urn:a> <urn:b> "two" .\n').is_success
    assert select(server, f"SELECT ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}") == [{"o": "two"}]
    assert gsp(server, "DELETE", graph).is_success
    assert gsp(server, "GET", graph).status_code == 404
    assert gsp(server, "DELETE", graph).status_code == 404


def test_graph_store_keeps_blank_nodes_that_insert_data_refuses_on_virtuoso(
    server: Triplestore, graph: str
) -> None:
    body = b'<urn:a> <urn:b> _:x .\n_:x <urn:c> "d" .\n'
    assert gsp(server, "POST", graph, body).is_success
    got = list(ox.parse(gsp(server, "GET", graph).content, format=ox.RdfFormat.N_TRIPLES))
    (link,) = (t.object for t in got if t.predicate == ox.NamedNode("urn:b"))
    (detail,) = (t.subject for t in got if t.predicate == ox.NamedNode("urn:c"))
    assert isinstance(link, ox.BlankNode) and link == detail
    in_update = update(server, f"INSERT DATA {{ GRAPH <{graph}/b> {{ {body.decode()} }} }}")
    assert in_update.status_code == (400 if server.name == "virtuoso" else 204)


def test_graph_store_refuses_nquads_into_one_graph(server: Triplestore, graph: str) -> None:
    refused = gsp(server, "POST", graph, b'<urn:a> <urn:b> "c" <urn:g> .\n', "application/n-quads")
    assert refused.status_code == (500 if server.name == "virtuoso" else 400)
    assert count(server, graph) == 0


def test_graph_store_reports_a_bad_body(server: Triplestore, graph: str) -> None:
    refused = gsp(server, "POST", graph, b'<urn:a> <urn:b> "unterminated .\n')
    if server.name == "virtuoso":  # an HTML page; it sniffs the body and calls it text/plain
        assert refused.status_code == 500 and "unsupported type" in refused.text
    else:
        assert refused.status_code == 400 and "line 1" in refused.text
    assert count(server, graph) == 0


def test_graph_store_takes_a_body_of_megabytes(server: Triplestore, graph: str) -> None:
    body = ntriples(100_000)
    assert len(body) > 3_000_000
    assert gsp(server, "POST", graph, body).status_code == 201
    assert count(server, graph) == 100_000


# what citykg.store.remote.virtuoso mends


@pytest.mark.virtuoso
def test_virtuoso_names_blank_nodes_in_json_results_so_no_parser_takes_them(
    virtuoso: Triplestore, graph: str
) -> None:
    gsp(virtuoso, "POST", graph, b"<urn:a> <urn:b> _:x .\n")
    response = httpx.post(
        virtuoso.query_url,
        data={"query": f"SELECT ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"},
        headers={"Accept": RESULTS_JSON},
    )
    term = json.loads(response.content)["results"]["bindings"][0]["o"]
    assert term["type"] == "bnode" and term["value"].startswith("nodeID://")
    with pytest.raises(SyntaxError):
        rows = ox.parse_query_results(response.content, format=ox.QueryResultsFormat.JSON)
        assert isinstance(rows, ox.QuerySolutions)
        list(rows)


def test_a_delete_insert_with_an_optional_over_an_empty_graph_inserts_nothing_on_virtuoso(
    server: Triplestore, graph: str
) -> None:
    """A pointer switch written `DELETE {?old} INSERT {new} WHERE { OPTIONAL {?old} }` would leave
    no pointer at all on Virtuoso (a plain INSERT with that WHERE works)."""
    text = (
        f"DELETE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} "
        f"INSERT {{ GRAPH <{graph}> {{ <urn:a> <urn:b> <urn:c> }} }} "
        f"WHERE {{ OPTIONAL {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} }}"
    )
    assert update(server, text).is_success
    assert count(server, graph) == (0 if server.name == "virtuoso" else 1)


def test_insert_data_into_the_default_graph_is_refused_by_virtuoso(server: Triplestore) -> None:
    answered = update(server, 'INSERT DATA { <urn:default> <urn:b> "c" }')
    assert answered.status_code == (400 if server.name == "virtuoso" else 204)


def test_construct_as_nquads_is_refused_by_virtuoso(server: Triplestore, graph: str) -> None:
    text = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    response = httpx.post(server.query_url, data={"query": text}, headers={"Accept": "application/n-quads"})
    assert response.status_code == (406 if server.name == "virtuoso" else 200)


def test_offered_json_and_ntriples_virtuoso_answers_a_construct_with_json(
    server: Triplestore, graph: str
) -> None:
    update(server, f'INSERT DATA {{ GRAPH <{graph}> {{ <urn:a> <urn:b> "c" }} }}')
    text = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    offer = f"{RESULTS_JSON}, {NTRIPLES};q=0.9"
    response = httpx.post(server.query_url, data={"query": text}, headers={"Accept": offer})
    kind = response.headers["content-type"].split(";")[0]
    assert kind == (RESULTS_JSON if server.name == "virtuoso" else NTRIPLES)


@pytest.mark.virtuoso
def test_virtuoso_gives_no_answer_to_a_query_posted_as_sparql_query(virtuoso: Triplestore) -> None:
    with pytest.raises(httpx.ReadTimeout):
        httpx.post(
            virtuoso.query_url,
            content=b"ASK {}",
            headers={"Content-Type": "application/sparql-query", "Accept": RESULTS_JSON},
            timeout=5,
        )
