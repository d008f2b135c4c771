"""`citykg serve`'s SPARQL 1.1 Protocol endpoint, as real clients use it: SPARQLWrapper (JSON,
XML, CSV), rdflib's SPARQLStore and raw httpx requests, against a server on a free loopback
port. Every status it answers with; a runaway query stopped while another client is
answered; nothing named in a query or a request reaches the network."""

from __future__ import annotations

import csv
import io
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, TURTLE, XML, SPARQLWrapper

from citykg import Store
from citykg.rdf.jsonld import to_rdf
from citykg.serve.config import Limits
from network_support import Listener
from serve_support import Running, running

ROOT = Path(__file__).resolve().parents[1]
CITIES = """PREFIX ckg: <https://w3id.org/citykg/ontology#>
PREFIX schema: <https://schema.org/>
SELECT ?name WHERE { ?c a ckg:City ; schema:name ?name ; ckg:country ?country } ORDER BY ?name"""
NAMES = ["Amsterdam", "Atlanta", "Cape Town", "Durham", "Helsinki"]
HELSINKI_GRAPH = "https://w3id.org/citykg/graph/finland/helsinki/2020"
# three copies of every triple side by side: far more than any time limit here allows
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def store(submissions_store: Path) -> Path:
    return submissions_store


@pytest.fixture(scope="module")
def server(store: Path) -> Iterator[Running]:
    with running(store, timeout=3.0, workers=2) as started:
        yield started


@pytest.fixture(scope="module")
def small(store: Path) -> Iterator[Running]:
    """A server with small limits: one worker, 3 rows, 300-character queries, 1,000-byte
    bodies, half a second's wait for the worker."""
    limits = Limits(timeout=3.0, max_wait=0.5, max_results=3, max_query_chars=300, max_body_bytes=1000)
    with running(store, limits=limits, workers=1) as started:
        yield started


@pytest.fixture(scope="module")
def client(server: Running) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=30) as http:
        yield http


def names(document: dict[str, object]) -> list[str]:
    bindings = document["results"]["bindings"]  # type: ignore[index]
    return [row["name"]["value"] for row in bindings]


# ------------------------------------------------------------------ real clients


def test_sparqlwrapper_gets_json_xml_and_csv(server: Running) -> None:
    endpoint = SPARQLWrapper(server.url + "sparql")
    endpoint.setQuery(CITIES)
    endpoint.setReturnFormat(JSON)
    assert names(endpoint.query().convert()) == NAMES  # type: ignore[arg-type]
    endpoint.setReturnFormat(XML)
    document = endpoint.query().convert()
    literals = document.getElementsByTagName("literal")  # type: ignore[union-attr]
    assert [node.firstChild.data for node in literals] == NAMES  # type: ignore[union-attr]
    endpoint.setReturnFormat(CSV)
    rows = list(csv.reader(io.StringIO(endpoint.query().convert().decode("utf-8"))))  # type: ignore[union-attr]
    assert rows == [["name"], *([n] for n in NAMES)]


def test_sparqlwrapper_posts_and_gets_a_construct_as_turtle(server: Running) -> None:
    endpoint = SPARQLWrapper(server.url + "sparql")
    endpoint.setMethod("POST")
    endpoint.setQuery(
        "PREFIX schema: <https://schema.org/> PREFIX ckg: <https://w3id.org/citykg/ontology#> "
        "CONSTRUCT { ?c schema:name ?n } "
        f"WHERE {{ GRAPH <{HELSINKI_GRAPH}> {{ ?c a ckg:City ; schema:name ?n }} }}"
    )
    endpoint.setReturnFormat(TURTLE)
    graph = Graph().parse(data=endpoint.query().convert(), format="turtle")  # type: ignore[arg-type]
    assert {str(o) for o in graph.objects()} == {"Helsinki"}


def test_rdflib_sparqlstore_reads_the_endpoint(server: Running) -> None:
    graph = Graph(store=SPARQLStore(server.url + "sparql", returnFormat="json"))
    rows = list(graph.query(CITIES))
    assert [str(row[0]) for row in rows] == NAMES  # type: ignore[index]
    assert URIRef(HELSINKI_GRAPH) in set(graph.store.contexts())


def test_get_post_form_and_post_query_give_the_same_bytes(client: httpx.Client, store: Path) -> None:
    got = client.get("sparql", params={"query": CITIES})
    form = client.post("sparql", data={"query": CITIES})
    direct = client.post("sparql", content=CITIES, headers={"Content-Type": "application/sparql-query"})
    assert got.status_code == form.status_code == direct.status_code == 200
    assert got.content == form.content == direct.content
    assert names(got.json()) == NAMES
    assert got.headers["content-type"] == "application/sparql-results+json"


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv; charset=utf-8"),
        ("text/tab-separated-values", "text/tab-separated-values; charset=utf-8"),
        ("text/html;q=0.9, text/csv;q=0.5", "text/csv; charset=utf-8"),
        ("*/*", "application/sparql-results+json"),
    ],
)
def test_rows_in_each_format_by_accept(client: httpx.Client, accept: str, media_type: str) -> None:
    answer = client.get("sparql", params={"query": CITIES}, headers={"Accept": accept})
    assert answer.status_code == 200
    assert answer.headers["content-type"] == media_type
    assert "Helsinki" in answer.text and "Durham" in answer.text


CONSTRUCT = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{HELSINKI_GRAPH}> {{ ?s ?p ?o }} }}"


@pytest.mark.parametrize(
    ("accept", "rdf_format"),
    [
        ("text/turtle", ox.RdfFormat.TURTLE),
        ("application/n-triples", ox.RdfFormat.N_TRIPLES),
        ("application/ld+json", ox.RdfFormat.JSON_LD),
    ],
)
def test_graphs_in_each_format_by_accept(
    client: httpx.Client, store: Path, accept: str, rdf_format: ox.RdfFormat
) -> None:
    answer = client.get("sparql", params={"query": CONSTRUCT}, headers={"Accept": accept})
    assert answer.status_code == 200 and answer.headers["content-type"].startswith(accept)
    if rdf_format is ox.RdfFormat.JSON_LD:  # its context: the project's, as bundled
        triples = set(to_rdf(json.loads(answer.content)))
    else:
        triples = set(ox.parse(answer.content, rdf_format))
    expected = Store(store).sparql(CONSTRUCT).graph
    assert expected is not None and len(triples) == len(expected) > 100


def test_ask_answers_true_or_false(client: httpx.Client) -> None:
    yes = client.get("sparql", params={"query": "ASK { ?s ?p ?o }"})
    no = client.get(
        "sparql",
        params={"query": "ASK { <http://nothing.example/> ?p ?o }"},
        headers={"Accept": "application/sparql-results+xml"},
    )
    assert yes.json() == {"head": {}, "boolean": True}
    assert "<boolean>false</boolean>" in no.text


def test_the_service_description_names_the_endpoint_and_the_graphs(
    server: Running, client: httpx.Client
) -> None:
    answer = client.get("sparql")
    assert answer.status_code == 200 and answer.headers["content-type"] == "text/turtle; charset=utf-8"
    graph = Graph().parse(data=answer.text, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    endpoint = URIRef(server.url + "sparql")
    assert (endpoint, URIRef(sd + "endpoint"), endpoint) in graph
    assert URIRef(HELSINKI_GRAPH) in set(graph.objects(None, URIRef(sd + "name")))
    assert URIRef("http://www.w3.org/ns/formats/SPARQL_Results_CSV") in set(
        graph.objects(endpoint, URIRef(sd + "resultFormat"))
    )


def test_default_graph_uri_and_named_graph_uri_choose_graphs_of_the_store(client: httpx.Client) -> None:
    chosen = client.get("sparql", params={"query": CITIES, "default-graph-uri": HELSINKI_GRAPH})
    assert names(chosen.json()) == ["Helsinki"]
    named = client.get(
        "sparql",
        params={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }", "named-graph-uri": HELSINKI_GRAPH},
    )
    assert [row["g"]["value"] for row in named.json()["results"]["bindings"]] == [HELSINKI_GRAPH]


def test_cors_lets_a_page_elsewhere_read_a_get(client: httpx.Client) -> None:
    answer = client.get("sparql", params={"query": "ASK {}"}, headers={"Origin": "https://yasgui.example"})
    assert answer.headers["access-control-allow-origin"] == "*"
    preflight = client.options(
        "sparql",
        headers={"Origin": "https://yasgui.example", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.status_code == 200 and "GET" in preflight.headers["access-control-allow-methods"]


# ------------------------------------------------------------------ every status


def test_a_syntax_error_is_a_400_with_the_parsers_message_and_position(client: httpx.Client) -> None:
    answer = client.get("sparql", params={"query": "SELECT ?x WHERE {\n  ?x ?y \n}"})
    assert answer.status_code == 400
    assert "SPARQL syntax error at line 2, column 3: Expected SelectQuery" in answer.text


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }", "updates are not allowed (INSERT DATA)"),
        ("LOAD <http://127.0.0.1:9/x.ttl>", "updates are not allowed (LOAD)"),
        (
            "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
            "SERVICE <http://127.0.0.1:9/> is not allowed",
        ),
        (
            "SELECT * FROM <http://127.0.0.1:9/x> WHERE { ?s ?p ?o }",
            "FROM <http://127.0.0.1:9/x> names a graph that is not in the store",
        ),
    ],
)
def test_updates_load_service_and_from_elsewhere_are_refused_with_a_400(
    client: httpx.Client, query: str, words: str
) -> None:
    answer = client.post("sparql", data={"query": query})
    assert answer.status_code == 400 and words in answer.text


@pytest.mark.parametrize(
    "request_",
    [
        {"data": {"update": "DROP ALL"}},
        {"content": "DROP ALL", "headers": {"Content-Type": "application/sparql-update"}},
    ],
)
def test_an_update_request_is_forbidden(client: httpx.Client, request_: dict[str, object]) -> None:
    answer = client.post("sparql", **request_)  # type: ignore[arg-type]
    assert answer.status_code == 403 and "read-only" in answer.text
    assert client.get("sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True


def test_statuses_of_requests_the_endpoint_cannot_take(client: httpx.Client) -> None:
    assert client.get("nowhere").status_code == 404
    assert client.put("sparql", content="x").status_code == 405
    assert client.post("sparql", content=CITIES, headers={"Content-Type": "text/plain"}).status_code == 415
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    no_query = client.post("sparql", content="", headers=form)
    assert no_query.status_code == 400 and "no query" in no_query.text
    twice = client.get("sparql", params=[("query", "ASK {}"), ("query", "ASK {}")])
    assert twice.status_code == 400 and "once" in twice.text
    bad_timeout = client.get("sparql", params={"query": "ASK {}", "timeout": "soon"})
    assert bad_timeout.status_code == 400 and "timeout" in bad_timeout.text
    not_utf8 = client.post(
        "sparql", content=b"ASK {\xff}", headers={"Content-Type": "application/sparql-query"}
    )
    assert not_utf8.status_code == 400 and "UTF-8" in not_utf8.text


def test_406_for_a_format_it_cannot_give(client: httpx.Client) -> None:
    nothing = client.get("sparql", params={"query": CITIES}, headers={"Accept": "image/png"})
    assert nothing.status_code == 406 and "application/sparql-results+json" in nothing.text
    rows_as_turtle = client.get("sparql", params={"query": CITIES}, headers={"Accept": "text/turtle"})
    assert rows_as_turtle.status_code == 406 and "answers with rows" in rows_as_turtle.text
    graph_as_csv = client.get("sparql", params={"query": CONSTRUCT}, headers={"Accept": "text/csv"})
    assert graph_as_csv.status_code == 406 and "text/turtle" in graph_as_csv.text


def test_304_for_a_client_that_holds_this_generations_answer(client: httpx.Client) -> None:
    first = client.get("sparql", params={"query": CITIES})
    tag = first.headers["etag"]
    assert tag.startswith('W/"gen-')
    again = client.get("sparql", params={"query": CITIES}, headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == tag
    other = client.get("sparql", params={"query": CITIES}, headers={"If-None-Match": 'W/"gen-999999"'})
    assert other.status_code == 200


def test_limits_on_answers_queries_and_bodies(small: Running) -> None:
    with httpx.Client(base_url=small.url, timeout=30) as http:
        too_many = http.get("sparql", params={"query": CITIES})
        assert too_many.status_code == 422 and "more than 3 rows" in too_many.text
        assert http.get("sparql", params={"query": CITIES + " LIMIT 3"}).status_code == 200
        long_query = "ASK {}" + " " * 400
        assert http.get("sparql", params={"query": long_query}).status_code == 414
        assert http.post("sparql", data={"query": long_query}).status_code == 413
        body = "ASK {}" + "#" * 2000
        assert (
            http.post(
                "sparql", content=body, headers={"Content-Type": "application/sparql-query"}
            ).status_code
            == 413
        )


# ------------------------------------------------------------------ time limits


def test_a_runaway_query_is_stopped_with_a_503_while_another_client_is_answered(server: Running) -> None:
    slow: dict[str, object] = {}

    def run_slow() -> None:
        started = time.monotonic()
        with httpx.Client(base_url=server.url, timeout=60) as http:
            slow["answer"] = http.get("sparql", params={"query": RUNAWAY})
        slow["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=run_slow)
    thread.start()
    time.sleep(0.3)
    with httpx.Client(base_url=server.url, timeout=60) as http:
        quick = http.get("sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"})
        assert "answer" not in slow  # answered while the runaway still ran
    thread.join()
    assert quick.status_code == 200
    answer = slow["answer"]
    assert isinstance(answer, httpx.Response)
    assert answer.status_code == 503 and "did not finish within 3 s" in answer.text
    assert answer.headers["retry-after"]
    with httpx.Client(base_url=server.url, timeout=60) as http:  # the stopped worker was replaced
        for _ in range(4):
            assert http.get("sparql", params={"query": "ASK { ?s ?p ?o }"}).status_code == 200


def test_a_request_that_finds_every_worker_busy_for_too_long_gets_a_503(small: Running) -> None:
    slow: list[httpx.Response] = []
    thread = threading.Thread(
        target=lambda: slow.append(httpx.get(small.url + "sparql", params={"query": RUNAWAY}, timeout=60))
    )
    thread.start()
    time.sleep(1.0)  # the runaway has the only worker
    busy = httpx.get(small.url + "sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=60)
    thread.join()
    assert busy.status_code == 503 and "every query worker (1) stayed busy for 0.5 s" in busy.text
    assert slow[0].status_code == 503 and "did not finish within 3 s" in slow[0].text


def test_a_client_may_ask_for_a_shorter_time_limit_never_a_longer_one(server: Running) -> None:
    with httpx.Client(base_url=server.url, timeout=60) as http:
        shorter = http.get("sparql", params={"query": RUNAWAY, "timeout": "1"})
        longer = http.get("sparql", params={"query": RUNAWAY, "timeout": "3600"})
    assert shorter.status_code == 503 and "within 1 s" in shorter.text
    assert longer.status_code == 503 and "within 3 s" in longer.text


# ------------------------------------------------------------------ nothing reaches the network


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


def test_no_request_reaches_a_listener_named_in_service_from_graphs_or_a_json_ld_context(
    client: httpx.Client, listener: Listener
) -> None:
    url = f"http://127.0.0.1:{listener.port}/x"
    httpx.get(url, timeout=5) if False else None
    requests = [
        {"params": {"query": f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"}},
        {"params": {"query": f"SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}"}},
        {"params": {"query": f"SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}"}},
        {"params": {"query": f"SELECT * FROM NAMED <{url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"}},
        {"params": {"query": f"LOAD <{url}>"}},
        {"params": {"query": "ASK { ?s ?p ?o }", "default-graph-uri": url}},
        {"params": {"query": "ASK { ?s ?p ?o }", "named-graph-uri": url}},
        {
            "params": {"query": CONSTRUCT},
            "headers": {"Accept": f'application/ld+json;profile="{url}"'},
        },
    ]
    for request in requests:
        answer = client.get("sparql", **request)  # type: ignore[arg-type]
        assert answer.status_code in (200, 400), answer.text
    assert listener.connections == []
    with pytest.raises(httpx.HTTPError):  # the control: the listener does see a connection
        httpx.get(url, timeout=5)
    assert listener.wait_for(1)
