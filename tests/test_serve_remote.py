"""`citykg serve` over every kind of store (tests/triplestores.py: the embedded folder, a real
Oxigraph server, and Virtuoso in `make test-virtuoso`): the endpoint, every catalog query, a
city IRI in Turtle and HTML, the city list and the term pages answer as a server over the
embedded store built from the same files; a build on the served store is seen by the next
request; `GRAPH <iri>` in ad hoc SPARQL answers as on the embedded store."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from citykg import Store, catalog
from citykg.errors import QueryError
from citykg.rdf.convert import graph_of
from serve_support import client_for, serve_command
from triplestores import (
    StoreUnderTest,
    catalog_examples,
    free_port,
    oxigraph_store,
    store_location,
    virtuoso_template,
)

__all__ = ["oxigraph_store", "store_location", "virtuoso_template"]

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "submissions"
CATALOG = ROOT / "tests" / "fixtures" / "catalog"
HELSINKI = DATA / "helsinki-2020.yaml"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
CITY = "https://w3id.org/citykg/ontology#City"
HELSINKI_GRAPH = "https://w3id.org/citykg/graph/finland/helsinki/2020"
#: a city in two waves, a concept, the ontology (blank nodes: its OWL restrictions), a vocabulary
PAGES = [
    "id/city/finland/helsinki",
    "id/city/freedonia/northport",
    "vocab/partner-type/hospitals",
    "vocab/partner-type",
    "ontology",
]


@pytest.fixture(autouse=True)
def _same_build_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764633600")  # both builds stamp the same moment


@contextmanager
def _both(
    store_location: StoreUnderTest, tmp_path: Path, files: list[Path]
) -> Iterator[tuple[httpx.Client, httpx.Client]]:
    """Clients of a server over the store under test and of one over an embedded store, both
    built from `files`."""
    reference = tmp_path / "reference"
    Store(reference).build(files)
    Store(store_location.location).build(files)
    with client_for(store_location.location) as (_, ours), client_for(reference) as (_, theirs):
        yield ours, theirs


def _json_rows(response: httpx.Response) -> list[list[tuple[str, str]]]:
    assert response.status_code == 200, response.text
    data = response.json()
    return sorted(
        sorted((name, term["value"]) for name, term in row.items()) for row in data["results"]["bindings"]
    )


def _page(client: httpx.Client, path: str) -> str:
    """A page's HTML as a browser gets it, without the server's own URL and generation."""
    response = client.get(path, headers={"accept": BROWSER})
    assert response.status_code == 200, response.text
    generation = response.headers.get("etag", "").strip('"') or "no generation"
    return response.text.replace(str(client.base_url), "SERVER/").replace(generation, "GENERATION")


def test_a_served_store_answers_every_catalog_query_as_the_embedded_one(
    store_location: StoreUnderTest, tmp_path: Path
) -> None:
    with _both(store_location, tmp_path, [DATA]) as (ours, theirs):
        examples = catalog_examples()
        assert len({name for name, _ in examples}) == len(catalog())
        either = {"accept": "application/sparql-results+json, text/turtle;q=0.9"}
        for name, params in examples:
            url = f"queries/{name}?" + urlencode(params)
            mine, reference = ours.get(url, headers=either), theirs.get(url, headers=either)
            assert mine.headers["content-type"] == reference.headers["content-type"], name
            if reference.headers["content-type"].startswith("text/turtle"):  # a CONSTRUCT's graph
                assert isomorphic(_graph(mine), _graph(reference)), name
            else:
                assert _json_rows(mine) == _json_rows(reference), name
        count = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/citykg/ontology#City> }"
        sparql = {"accept": "application/sparql-results+json"}
        mine = ours.post("sparql", data={"query": count}, headers=sparql)
        assert _json_rows(mine) == _json_rows(theirs.post("sparql", data={"query": count}, headers=sparql))
        assert int(mine.json()["results"]["bindings"][0]["n"]["value"]) > 3
        partner = "queries/cities-with-data-partner?partner=hospitals"
        assert _page(ours, partner) == _page(theirs, partner)  # the answer as a table
        assert "Helsinki" in _page(ours, partner)


def test_a_served_store_answers_its_iris_and_pages_as_the_embedded_one(
    store_location: StoreUnderTest, tmp_path: Path
) -> None:
    with _both(store_location, tmp_path, [DATA, CATALOG]) as (ours, theirs):  # Northport: two waves
        for path in PAGES:
            got = ours.get(path, headers={"accept": "text/turtle"})
            want = theirs.get(path, headers={"accept": "text/turtle"})
            assert got.status_code == want.status_code == 200, path
            assert isomorphic(_graph(got), _graph(want)), path
            assert _page(ours, path) == _page(theirs, path), path
        for query in ("?q=hel", "?partner=regional+institutions", "?wave=2018&country=Freedonia", ""):
            assert _page(ours, "cities" + query) == _page(theirs, "cities" + query), query
        assert "id/city/finland/helsinki" in ours.get("cities?q=hel").text
        assert "id/city/finland/helsinki" not in ours.get("cities?q=northport").text
        assert "id/city/freedonia/northport" in ours.get("cities?q=northport").text
        assert _page(ours, "") == _page(theirs, "")
        graph = ours.get("graph-store", params={"graph": HELSINKI_GRAPH}, headers={"accept": "text/turtle"})
        want = theirs.get("graph-store", params={"graph": HELSINKI_GRAPH}, headers={"accept": "text/turtle"})
        assert isomorphic(_graph(graph), _graph(want))
        assert ours.get("nowhere/at/all", headers={"accept": "text/turtle"}).status_code == 404
        counted = [
            _void_triples(client.get(".well-known/void", headers={"accept": "text/turtle"}))
            for client in (ours, theirs)
        ]
        assert counted[0] == counted[1] and counted[0] > 1000  # VoID counts every triple of the store


def _void_triples(response: httpx.Response) -> int:
    triples = [t for t in _graph(response) if str(t[1]) == "http://rdfs.org/ns/void#triples"]
    return max(int(str(t[2])) for t in triples)


def _graph(response: httpx.Response) -> Graph:
    assert response.status_code == 200, response.text
    return graph_of(q.triple for q in ox.parse(response.content, format=ox.RdfFormat.TURTLE))


def test_a_build_on_the_served_store_is_seen_by_the_next_request(
    store_location: StoreUnderTest, tmp_path: Path
) -> None:
    store = Store(store_location.location)
    store.build([HELSINKI])
    with client_for(store_location.location) as (_, http):
        before = http.get("queries/surveyed-cities", params={"format": "json"})
        assert [row["city"]["value"] for row in before.json()["results"]["bindings"]] == ["Helsinki"]
        amsterdam = "id/city/the-netherlands/amsterdam"
        assert http.get(amsterdam, headers={"accept": "text/turtle"}).status_code == 404
        assert amsterdam not in http.get("cities").text
        store.build([DATA])  # while it serves
        after = http.get("queries/surveyed-cities", params={"format": "json"})
        names = {row["city"]["value"] for row in after.json()["results"]["bindings"]}
        assert {"Helsinki", "Amsterdam", "Cape Town"} <= names
        assert after.headers["etag"] != before.headers["etag"]
        assert http.get(amsterdam, headers={"accept": "text/turtle"}).status_code == 200
        assert amsterdam in http.get("cities").text


def test_graph_constants_in_ad_hoc_sparql_answer_as_on_the_embedded_store(
    store_location: StoreUnderTest, tmp_path: Path
) -> None:
    reference = Store(tmp_path / "reference")
    reference.build([DATA])
    store = Store(store_location.location)
    store.build([DATA])
    queries = [
        f"SELECT ?p (COUNT(*) AS ?n) WHERE {{ GRAPH <{HELSINKI_GRAPH}> {{ ?s ?p ?o }} }} GROUP BY ?p",
        # a prefixed name, a lower-case keyword, a comment and a string that look like GRAPH constants
        "PREFIX h: <https://w3id.org/citykg/graph/finland/helsinki/>\n"
        f"SELECT ?s ?text WHERE {{ # GRAPH <{HELSINKI_GRAPH}> {{ }}\n"
        "  graph h:2020 { ?s a <https://w3id.org/citykg/ontology#City> } "
        f'BIND("GRAPH <{HELSINKI_GRAPH}>" AS ?text) }}',
        # BASE, EXISTS, a graph the store does not hold, and the store's own physical names
        "BASE <https://w3id.org/citykg/graph/>\n"
        "SELECT ?s WHERE { GRAPH <finland/helsinki/2020> { ?s a <https://w3id.org/citykg/ontology#City> } "
        "FILTER EXISTS { GRAPH <ontology> { ?c a <http://www.w3.org/2002/07/owl#Class> } } "
        "FILTER NOT EXISTS { GRAPH <https://example.org/elsewhere> { ?x ?y ?z } } }",
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/citykg/store/live> { ?s ?p ?o } }",
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <urn:citykg:asserted-view> { ?s ?p ?o } }",
    ]
    for text in queries:
        ours, theirs = store.sparql(text).rows, reference.sparql(text).rows
        assert sorted(map(str, ours)) == sorted(map(str, theirs)), text
    assert len(store.sparql(queries[0]).rows) > 10
    assert (
        str(store.sparql(queries[1]).rows[0]["text"]) == f"GRAPH <{HELSINKI_GRAPH}>"
    )  # the string as it was
    assert len(store.sparql(queries[2]).rows) == 1
    with client_for(store_location.location) as (_, http):
        answer = http.post(
            "sparql", data={"query": queries[0]}, headers={"accept": "application/sparql-results+json"}
        )
        assert len(_json_rows(answer)) == len(store.sparql(queries[0]).rows)
    with pytest.raises(QueryError, match=r"prefix|syntax"):
        store.sparql("SELECT * WHERE { GRAPH nope:g { ?s ?p ?o } }")


def test_citykg_serve_serves_a_remote_store_until_ctrl_c(oxigraph_store: StoreUnderTest) -> None:
    Store(oxigraph_store.location).build([HELSINKI])
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "citykg",
        "serve",
        "--store",
        oxigraph_store.location,
        "--port",
        str(port),
    ]
    with serve_command(command) as served:
        assert served.printed.strip() == (
            f"citykg: serving {oxigraph_store.location} at http://127.0.0.1:{port}/"
        )
        answer = served.get(
            f"http://127.0.0.1:{port}/sparql",
            params={"query": f"SELECT ?n WHERE {{ ?c a <{CITY}> ; <https://schema.org/name> ?n }}"},
            headers={"accept": "text/csv"},
        )
        assert answer.status_code == 200
        assert answer.text.splitlines() == ["n", "Helsinki"]


def test_a_commit_from_the_web_app_lands_in_the_store_served(
    store_location: StoreUnderTest, tmp_path: Path
) -> None:
    token = tmp_path / "token"
    token.write_text("a-long-enough-token-for-the-operator\n")
    token.chmod(0o600)
    Store(store_location.location).build([DATA])
    text = HELSINKI.read_text(encoding="utf-8").replace("staff: 25", "staff: 31")
    with client_for(store_location.location, allow_submit=True, token_file=token) as (served, http):
        http.headers["Origin"] = served.url.rstrip("/")
        page = http.get("submit").text
        marker = 'name="csrf" value="'
        csrf = page[page.index(marker) + len(marker) :].split('"', 1)[0]
        form = {"csrf": csrf, "action": "commit", "format": "yaml", "text": text}
        refused = http.post("submit", data=form, files={"file": ("", b"")})  # no token: checked only
        assert refused.status_code != 303
        assert [v.number for v in Store(store_location.location).history("Helsinki")] == [1]
        answer = http.post(
            "submit",
            data={**form, "token": "a-long-enough-token-for-the-operator"},
            files={"file": ("", b"")},
        )
        assert answer.status_code == 303, answer.text
        history = http.get(answer.headers["location"])
        staff = http.get("queries/innovation-staff", headers={"Accept": "text/csv"}).text
    assert history.status_code == 200
    assert "Committed: version 2 of the 2020 wave is now the current one." in history.text
    assert "Helsinki,2020,2,51" in staff.replace("\r", "")  # the server answers from the commit
    assert [v.number for v in Store(store_location.location).history("Helsinki")] == [1, 2]


def test_a_city_history_page_lists_the_versions_as_on_the_embedded_store(
    store_location: StoreUnderTest, tmp_path: Path
) -> None:
    second = tmp_path / "helsinki-2020.yaml"  # Helsinki again, another mayor: a second version
    second.write_text(HELSINKI.read_text(encoding="utf-8").replace("Jan Vapaavuori", "Juhana Vartiainen"))
    with _both(store_location, tmp_path, [DATA]) as (ours, theirs):
        for location in (store_location.location, str(tmp_path / "reference")):
            assert Store(location).submit(second).committed
        pages = [_page(client, "cities/finland/helsinki/history") for client in (ours, theirs)]
        assert pages[0] == pages[1]
        assert "Juhana Vartiainen" not in pages[0]  # a listing of versions, not their content
        assert pages[0].count("2020") >= 2 and "Helsinki" in pages[0]
        assert ours.get("cities/finland/nowhere/history", headers={"accept": BROWSER}).status_code == 404
