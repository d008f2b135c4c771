"""Linked data over HTTP: every IRI the store mints answers GET with its description, in the
format asked for; the ontology, vocabularies, JSON-LD context, named graphs (Graph Store
Protocol), DCAT catalog and VoID at their IRIs; 404 for what the store does not hold."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pyoxigraph as ox
import pytest
from pyld import jsonld
from rdflib import Graph
from rdflib.compare import isomorphic

from citykg.rdf.convert import graph_of
from citykg.rdf.iris import IRIs
from citykg.rdf.jsonld import CONTEXT_IRI, context, context_path, to_rdf
from citykg.store.generations import open_store
from publishing_support import build_store
from serve_support import running

pytestmark = pytest.mark.slow  # servers in subprocesses

IRI = IRIs()
BASE = IRI.base
HELSINKI = str(IRI.city("Helsinki", "Finland"))
TAMPERE_2020 = str(IRI.graph("Tampere", "Finland", 2020))
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
CKG = "https://w3id.org/citykg/ontology#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SCHEMA_NAME = "https://schema.org/name"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    with pytest.MonkeyPatch.context() as mp:
        return build_store(tmp_path_factory.mktemp("linked") / "store", mp)


@pytest.fixture(scope="module")
def url(store: Path) -> Iterator[str]:
    with running(store, workers=1) as served:
        yield served.url


def _at(url: str, iri: str) -> str:
    """The URL a store IRI is served at, served at its base (no --base-url)."""
    assert iri.startswith(BASE)
    return url + iri.removeprefix(BASE)


def _triples(response: httpx.Response) -> set[ox.Triple]:
    kind = response.headers["content-type"].split(";")[0]
    return {q.triple for q in ox.parse(response.content, FORMATS[kind])}


def _text(term: object) -> str:
    """The IRI or lexical form of an RDF term."""
    value = getattr(term, "value", None)
    assert isinstance(value, str), term
    return value


def _asserted(store: Path, subject: str) -> set[ox.Triple]:
    """What the asserted named graphs say about `subject`, by SPARQL (not the server's code)."""
    opened = open_store(store)
    inferred = IRI.inferred_graph
    rows = opened.store.query(
        f"SELECT DISTINCT ?p ?o WHERE {{ GRAPH ?g {{ <{subject}> ?p ?o }} FILTER(?g != <{inferred}>) }}"
    )
    return {ox.Triple(ox.NamedNode(subject), row["p"], row["o"]) for row in rows}  # type: ignore[union-attr]


@pytest.mark.parametrize("accept", [None, *FORMATS])
def test_a_city_iri_answers_with_its_triples_and_the_labels_of_what_it_links_to(
    store: Path, url: str, accept: str | None
) -> None:
    headers = {"Accept": accept} if accept else {}
    response = httpx.get(_at(url, HELSINKI), headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == (accept or "text/turtle")
    got = _triples(response)
    mine = {t for t in got if t.subject == ox.NamedNode(HELSINKI)}
    assert mine == _asserted(store, HELSINKI)
    country = ox.NamedNode(str(IRI.country("Finland")))
    assert ox.Triple(country, ox.NamedNode(SCHEMA_NAME), ox.Literal("Finland")) in got
    assert (
        ox.Triple(ox.NamedNode(CKG + "City"), ox.NamedNode(RDFS_LABEL), ox.Literal("City", language="en"))
        in got
    )
    others = {t.predicate.value for t in got if t.subject != ox.NamedNode(HELSINKI)}
    assert others <= {RDFS_LABEL, SCHEMA_NAME, SKOS + "prefLabel", "http://purl.org/dc/terms/title"}
    if accept == "application/ld+json":
        assert response.json()["@context"] == context()  # a processor needs no loader


def test_every_iri_the_store_mints_answers(store: Path, url: str) -> None:
    opened = open_store(store)
    minted = sorted(
        {
            term.value
            for quad in opened.store.quads_for_pattern(None, None, None, None)
            for term in (quad.subject, quad.object, quad.graph_name)
            if isinstance(term, ox.NamedNode) and term.value.startswith(BASE)
        }
    )
    assert len(minted) > 300
    with httpx.Client() as client:
        failed = [
            iri
            for iri in minted
            if client.get(_at(url, iri), headers={"Accept": "application/n-triples"}).status_code != 200
        ]
    assert failed == []


def test_a_browser_gets_an_html_page(url: str) -> None:
    response = httpx.get(_at(url, HELSINKI), headers={"Accept": BROWSER})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    page = response.text
    assert "<h1>Helsinki</h1>" in page
    assert f'href="{_at(url, str(IRI.country("Finland")))}">Finland</a>' in page
    assert (
        f'href="{url}graph-store?graph={quote(str(IRI.graph("Helsinki", "Finland", 2020)), safe="")}"' in page
    )
    turtle = httpx.get(_at(url, HELSINKI) + "?format=turtle", headers={"Accept": BROWSER})
    assert turtle.headers["content-type"].startswith("text/turtle")


def test_the_root_leads_to_the_catalog_and_head_answers_like_get(url: str) -> None:
    root = httpx.get(url)
    assert root.status_code == 303 and root.headers["location"] == url + "catalog"
    head = httpx.head(_at(url, HELSINKI))
    assert head.status_code == 200 and head.content == b""
    assert head.headers["etag"] == httpx.get(_at(url, HELSINKI)).headers["etag"]


def test_an_iri_the_store_does_not_hold_is_404(url: str) -> None:
    for path in ("id/city/finland/atlantis", "nothing/here", "id/"):
        response = httpx.get(url + path)
        assert response.status_code == 404, path
        assert "holds nothing about" in response.text


def test_a_format_the_server_does_not_give_is_406(url: str) -> None:
    response = httpx.get(_at(url, HELSINKI), headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert "text/turtle" in response.text
    assert httpx.get(_at(url, HELSINKI) + "?format=pdf").status_code == 400


def test_answers_carry_the_generation_and_honour_if_none_match(url: str) -> None:
    first = httpx.get(_at(url, HELSINKI))
    tag = first.headers["etag"]
    assert tag.startswith('W/"gen-')
    again = httpx.get(_at(url, HELSINKI), headers={"If-None-Match": tag})
    assert again.status_code == 304


def test_the_ontology_and_its_terms_answer_at_the_ontology_iri(url: str) -> None:
    response = httpx.get(url + "ontology")
    assert response.status_code == 200
    got = _triples(response)
    city = ox.NamedNode(CKG + "City")
    assert ox.Triple(city, ox.NamedNode(RDF_TYPE), ox.NamedNode("http://www.w3.org/2002/07/owl#Class")) in got
    assert ox.Triple(city, ox.NamedNode(RDFS_LABEL), ox.Literal("City", language="en")) in got
    assert httpx.get(url + "ontology/0.1.0").status_code == 200  # the version IRI


def test_a_vocabulary_answers_with_its_concepts(url: str) -> None:
    response = httpx.get(url + "vocab/goal")
    got = _triples(response)
    in_scheme = {_text(t.subject) for t in got if t.predicate.value == SKOS + "inScheme"}
    assert f"{BASE}vocab/goal/improve-service-delivery" in in_scheme
    concept = httpx.get(url + "vocab/goal/improve-service-delivery")
    assert concept.status_code == 200
    labels = {_text(t.object) for t in _triples(concept) if t.predicate.value == SKOS + "prefLabel"}
    assert labels and "Improve service delivery" in labels


def test_graph_store_protocol_reads_named_and_default_graphs(store: Path, url: str) -> None:
    opened = open_store(store)
    response = httpx.get(
        url + "graph-store", params={"graph": TAMPERE_2020}, headers={"Accept": "application/n-triples"}
    )
    assert response.status_code == 200
    assert isomorphic(
        graph_of(ox.parse(response.content, ox.RdfFormat.N_TRIPLES)),
        graph_of(opened.store.quads_for_pattern(None, None, None, ox.NamedNode(TAMPERE_2020))),
    )
    default = httpx.get(url + "graph-store?default")
    assert default.status_code == 200
    assert isomorphic(
        graph_of(ox.parse(default.content, ox.RdfFormat.TURTLE)),
        graph_of(opened.store.quads_for_pattern(None, None, None, ox.DefaultGraph())),
    )


@pytest.mark.parametrize(
    ("method", "query", "status"),
    [
        ("GET", "graph=https://example.org/not-a-graph", 404),
        ("GET", "", 400),
        ("GET", f"graph={TAMPERE_2020}&default", 400),
        ("PUT", f"graph={TAMPERE_2020}", 405),
        ("DELETE", f"graph={TAMPERE_2020}", 405),
        ("POST", "default", 405),
    ],
)
def test_graph_store_refusals(url: str, method: str, query: str, status: int) -> None:
    response = httpx.request(method, f"{url}graph-store?{query}", content=b"<a:b> <a:c> <a:d> .")
    assert response.status_code == status, response.text


def test_the_json_ld_context_answers_at_its_iri_path(url: str) -> None:
    for path in ("context/0.1.jsonld", "context.jsonld"):
        response = httpx.get(url + path)
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/ld+json"
        assert response.content == context_path().read_bytes()


def test_json_ld_naming_the_context_iri_resolves_once_the_base_is_served(url: str) -> None:
    """What w3id.org does for the real base (a redirect to the server), a loader does here:
    the context is fetched from the server, and reads the same as citykg's bundled copy."""
    fetched: list[str] = []

    def through_the_server(iri: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
        assert iri.startswith(BASE), iri
        fetched.append(iri)
        answer = httpx.get(url + iri.removeprefix(BASE), headers={"Accept": "application/ld+json"})
        assert answer.status_code == 200
        return {"contextUrl": None, "documentUrl": iri, "document": answer.json()}

    document = {
        "@context": CONTEXT_IRI,
        "@id": HELSINKI,
        "name": "Helsinki",
        "staff": 3,
        "goals": ["vocab:goal/x"],
    }
    served = jsonld.to_rdf(document, {"format": "application/n-quads", "documentLoader": through_the_server})
    assert fetched == [CONTEXT_IRI]
    assert isomorphic(graph_of(ox.parse(served.encode(), ox.RdfFormat.N_QUADS)), graph_of(to_rdf(document)))


def test_the_dcat_catalog_and_void_answer_at_their_iris(url: str) -> None:
    dcat, void = "http://www.w3.org/ns/dcat#", "http://rdfs.org/ns/void#"
    catalog = _triples(httpx.get(url + "catalog"))
    assert (
        ox.Triple(ox.NamedNode(BASE + "catalog"), ox.NamedNode(RDF_TYPE), ox.NamedNode(dcat + "Catalog"))
        in catalog
    )
    assert (
        ox.Triple(
            ox.NamedNode(BASE + "catalog"), ox.NamedNode(dcat + "dataset"), ox.NamedNode(BASE + "dataset")
        )
        in catalog
    )
    endpoints = {_text(t.object) for t in catalog if t.predicate.value == dcat + "endpointURL"}
    assert endpoints == {url + "sparql"}
    for path in ("dataset", ".well-known/void"):
        described = _triples(httpx.get(url + path))
        triples = {
            int(_text(t.object))
            for t in described
            if t.predicate.value == void + "triples" and _text(t.subject) == BASE + "dataset"
        }
        assert len(triples) == 1 and triples.pop() > 1000, path
        assert (
            ox.Triple(
                ox.NamedNode(BASE + "dataset"),
                ox.NamedNode(void + "sparqlEndpoint"),
                ox.NamedNode(url + "sparql"),
            )
            in described
        )
    assert "<h1>" in httpx.get(url + "catalog", headers={"Accept": BROWSER}).text


def test_with_a_base_url_the_base_iri_is_served_there(store: Path) -> None:
    with running(store, path="kg/", workers=1) as server:
        served = server.url
        response = httpx.get(served + "id/city/finland/helsinki")
        assert response.status_code == 200
        assert ox.NamedNode(HELSINKI) in {t.subject for t in _triples(response)}  # IRIs stay the store's
        page = httpx.get(served + "id/city/finland/helsinki", headers={"Accept": BROWSER}).text
        assert f'href="{served}id/country/finland">Finland</a>' in page
        assert httpx.get(served + "ontology").status_code == 200
        assert httpx.get(served.removesuffix("kg/") + "id/city/finland/helsinki").status_code == 404


HOSTILE = 'Economic <script>alert("x")</script> & Development 東京'


def test_a_store_with_its_own_base_is_served_with_citykg_terms_beside_it_and_pages_escape_the_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from citykg.workflow.build import build
    from publishing_support import DATA

    text = DATA[0].read_text(encoding="utf-8").replace("name: Economic Development,", f"name: '{HOSTILE}',")
    assert HOSTILE in text
    (tmp_path / "helsinki-2020.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    base = "https://data.example.org/kg/"
    own = IRIs(base)
    build([Path("helsinki-2020.yaml")], store_path=tmp_path / "store", iris=own)
    with running(tmp_path / "store", workers=1) as server:
        served = server.url
        city = own.city("Helsinki", "Finland")
        response = httpx.get(served + "id/city/finland/helsinki")
        assert response.status_code == 200
        assert ox.NamedNode(str(city)) in {t.subject for t in _triples(response)}
        assert httpx.get(served + "ontology").status_code == 200  # under https://w3id.org/citykg/
        assert httpx.get(served + "vocab/goal").status_code == 200
        page = httpx.get(served + "id/city/finland/helsinki", headers={"Accept": BROWSER}).text
        assert f'href="{served}ontology#City"' in page
        team = str(own.child(own.profile("Helsinki", "Finland", 2020), "team", HOSTILE))
        shown = httpx.get(served + team.removeprefix(base), headers={"Accept": BROWSER})
        assert shown.status_code == 200
        assert "<script>" not in shown.text
        assert "Economic &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Development 東京" in shown.text
        assert team.endswith("東京")  # a path that is not ASCII: sent percent-encoded, found all the same


def test_served_json_ld_reads_back_to_the_turtle(url: str) -> None:
    turtle = httpx.get(_at(url, HELSINKI), headers={"Accept": "text/turtle"})
    document = httpx.get(_at(url, HELSINKI), headers={"Accept": "application/ld+json"}).json()
    assert isomorphic(
        Graph().parse(data=json.dumps(document), format="json-ld"),
        Graph().parse(data=turtle.text, format="turtle"),
    )
