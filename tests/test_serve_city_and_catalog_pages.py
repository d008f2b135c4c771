"""The web app's pages of a city, the catalog and the SPARQL endpoint, as a browser gets them.

A city's page (the HTML answer of a city IRI): every section of its profile, each fact with its
evidence, two waves side by side with the changes marked as `city-changes` finds them; the RDF
answers of the same IRI unchanged. The catalog and the endpoint: a form per query (the
vocabulary's concepts to choose from), the answer as a table, CSV and JSON downloads that are
the endpoint's own answers, the SPARQL it ran, errors with the endpoint's status and message;
what the machines get stays as it was."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from citykg import Store
from citykg.model.vocabulary import Scheme, load_vocabulary
from citykg.queries.catalog import catalog
from citykg.queries.results import render
from citykg.rdf.formats import ExportFormat, ResultFormat
from citykg.rdf.serialize import serialize_triples
from citykg.serve.describe import describe
from citykg.store.generations import open_store
from serve_support import client_for

ROOT = Path(__file__).resolve().parents[1]
SUBMISSIONS = ROOT / "data" / "submissions"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
HELSINKI = "id/city/finland/helsinki"
NORTHPORT = "id/city/freedonia/northport"
SECTIONS = [
    "Who and when",
    "Goals",
    "Success factors",
    "Strategy and organisation",
    "Policy areas and targets",
    "Teams",
    "Funding and its uses",
    "Partnerships for innovation",
    "Data partnerships",
    "Initiatives",
]
PARTNER = "queries/cities-with-data-partner"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    location = tmp_path_factory.mktemp("pages") / "store"
    Store(location).build([SUBMISSIONS, ROOT / "tests" / "fixtures" / "catalog"])
    return location


@pytest.fixture(scope="module")
def client(store: Path) -> Iterator[httpx.Client]:
    with client_for(store) as (_, http):
        yield http


def _text(page: str) -> str:
    """The words of a page, without its tags."""
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", page)))


def _marked(page: str) -> set[tuple[str, str, str]]:
    """(change, aspect, value) of every fact the page marks as changed."""
    found = re.findall(r'data-aspect="([^"]*)" data-value="([^"]*)" data-change="(\w+)"', page)
    return {(change, html.unescape(aspect), html.unescape(value)) for aspect, value, change in found}


def test_a_browser_gets_every_section_of_a_citys_profile(client: httpx.Client) -> None:
    page = client.get(HELSINKI, headers={"Accept": BROWSER})
    assert page.status_code == 200 and page.headers["content-type"] == "text/html; charset=utf-8"
    assert [h for h in re.findall(r'<h2 id="[^"]+">([^<]+)</h2>', page.text) if h in SECTIONS] == SECTIONS
    words = _text(page.text)
    for fact in (
        "Finland",
        "653,867 (2019)",
        "Jan Vapaavuori",
        "Santtu von Bruun",
        "Help develop a vibrant economy",
        "Leadership from Mayor",
        "explicit strategy: yes",
        "Environment and climate change",
        "carbon neutral by 2035",
        "Digital Innovation, Mayor's Office, 20 staff",
        "dedicated funding: yes",
        "R&D labs",
        "Horizon2020",
        "regional institutions",
        "collect data",
        "Maria 01",
        "future campus of 70,000m2 by 2026",
    ):
        assert fact in words, fact
    assert "<script" not in page.text


def test_each_fact_has_its_evidence_one_click_away(client: httpx.Client) -> None:
    page = client.get(HELSINKI, headers={"Accept": BROWSER}).text
    mayor = page[page.index('data-value="Jan Vapaavuori"') :]
    evidence = mayor[: mayor.index("</details>")]
    assert "<summary>evidence" in evidence
    assert _text(evidence).count(f"city.mayor in {SUBMISSIONS}/helsinki-2020.yaml, line 6, column 10") == 1
    hospitals = page[page.index('data-value="hospitals"') :]
    assert f"partnerships.data[1].includes[0] in {SUBMISSIONS}/helsinki-2020.yaml, line 59" in _text(
        hospitals[: hospitals.index("</details>")]
    )
    assert "a narrower kind" in _text(hospitals[:400])


def test_two_waves_side_by_side_with_the_changes_city_changes_finds(
    store: Path, client: httpx.Client
) -> None:
    page = client.get(NORTHPORT, headers={"Accept": BROWSER}).text
    assert "2018 wave" in page and "2020 wave" in page
    rows = Store(store).query("city-changes", {"city": "Northport"}).rows
    expected = {(str(r["change"]), str(r["aspect"]), str(r["value"])) for r in rows}
    assert len(expected) == 28
    marked = _marked(page)
    assert expected <= marked
    assert ("added", "mayor", "Bea Storm") in marked and ("removed", "mayor", "Ada Brook") in marked
    unchanged = [("innovation officer", "Carl Dune"), ("goal", "Improve service delivery")]
    assert not {(change, a, v) for change, a, v in marked if (a, v) in unchanged}
    assert "From 2018 to 2020" in _text(page)
    helsinki = client.get(HELSINKI, headers={"Accept": BROWSER}).text
    assert _marked(helsinki) == set() and "2020 wave" not in helsinki


def test_the_rdf_answers_of_a_city_iri_stay_as_they_were(store: Path, client: httpx.Client) -> None:
    described = describe(open_store(store), "https://w3id.org/citykg/" + NORTHPORT)
    assert described is not None
    turtle = serialize_triples(described.triples, ExportFormat.TURTLE)
    for request in (
        {},
        {"headers": {"Accept": "text/turtle"}},
        {"params": {"format": "turtle"}},
        {"params": {"format": "turtle"}, "headers": {"Accept": BROWSER}},
    ):
        answer = client.get(NORTHPORT, **request)  # type: ignore[arg-type]
        assert answer.status_code == 200 and answer.content == turtle, request
    jsonld = client.get(NORTHPORT, headers={"Accept": "application/ld+json"})
    assert jsonld.content == serialize_triples(described.triples, ExportFormat.JSONLD)
    assert client.get(NORTHPORT, params={"format": "html"}).headers["content-type"].startswith("text/html")
    assert client.get(NORTHPORT, params={"format": "nonsense"}).status_code == 400


def test_a_city_the_store_does_not_hold_is_404_for_a_browser_too(client: httpx.Client) -> None:
    missing = client.get("id/city/finland/nowhere", headers={"Accept": BROWSER})
    assert missing.status_code == 404 and "the store holds no city at" in missing.text


# ------------------------------------------------------------------ the catalog and /sparql


def _cells(page: str) -> list[list[str]]:
    """The rows of the page's results table, as the text of their cells."""
    body = page[page.index('<table class="results">') :]
    body = body[: body.index("</table>")]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)[1:]
    return [
        [html.unescape(re.sub(r"<[^>]+>", "", c)) for c in re.findall(r"<td>(.*?)</td>", r)] for r in rows
    ]


def test_a_query_page_has_a_form_with_the_vocabularys_choices(client: httpx.Client) -> None:
    page = client.get(PARTNER, headers={"Accept": BROWSER})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    select = re.search(r'<select id="param-partner" name="partner">(.*?)</select>', page.text, re.S)
    assert select is not None
    options = [html.unescape(o) for o in re.findall(r'<option value="([^"]*)"', select.group(1))]
    labels = {c.label for c in load_vocabulary().concepts(Scheme.PARTNER_TYPE)}
    assert set(options) == labels and len(options) == len(labels)
    assert '<option value="hospitals" selected>' in select.group(1)
    assert '<form class="query" method="get"' in page.text and 'for="param-partner"' in page.text
    query = catalog()["cities-with-data-partner"]
    assert html.escape(query.description) in page.text
    assert html.escape(query.text, quote=False) in page.text.replace("&#34;", '"').replace("&#39;", "'")


def test_the_answer_is_a_table_of_the_endpoints_rows(store: Path, client: httpx.Client) -> None:
    page = client.get(PARTNER, params={"partner": "academia"}, headers={"Accept": BROWSER}).text
    expected = Store(store).query("cities-with-data-partner", {"partner": "academia"})
    shown = _cells(page)
    assert len(shown) == len(expected.rows) > 0
    assert [row[0] for row in shown] == [str(r["city"]) for r in expected.rows]
    assert "?partner</code> = <code>&lt;https://w3id.org/citykg/vocab/partner-type/academia&gt;" in page


def test_the_download_links_give_the_endpoints_csv_and_json(client: httpx.Client) -> None:
    page = client.get(PARTNER, params={"partner": "hospitals"}, headers={"Accept": BROWSER}).text
    links = dict(re.findall(r'<a href="([^"]+)" download="[^"]+">(\w+)</a>', page))
    by_name = {name: html.unescape(url) for url, name in links.items()}
    assert set(by_name) == {"CSV", "JSON"}
    csv = client.get(by_name["CSV"])
    assert csv.headers["content-type"] == "text/csv; charset=utf-8"
    assert (
        csv.text == client.get(PARTNER, params={"partner": "hospitals"}, headers={"Accept": "text/csv"}).text
    )
    assert "Helsinki" in csv.text
    as_json = client.get(by_name["JSON"])
    assert as_json.json() == client.get(PARTNER, params={"partner": "hospitals"}).json()
    assert client.get(PARTNER, params={"format": "pdf"}).status_code == 400


def test_a_bad_value_shows_the_endpoints_status_and_message(client: httpx.Client) -> None:
    plain = client.get(PARTNER, params={"partner": "hospitalz"})
    page = client.get(PARTNER, params={"partner": "hospitalz"}, headers={"Accept": BROWSER})
    assert plain.status_code == page.status_code == 400
    assert "Error 400" in page.text
    assert plain.text.strip() in html.unescape(page.text)


def test_the_sparql_page_runs_a_query_and_shows_its_errors(store: Path, client: httpx.Client) -> None:
    empty = client.get("sparql", headers={"Accept": BROWSER})
    assert empty.status_code == 200 and '<textarea id="query" name="query"' in empty.text
    examples = re.findall(r'<li><a href="[^"]*sparql\?query=[^"]+">([^<]+)</a></li>', empty.text)
    assert examples == [html.escape(q.title, quote=False) for q in catalog().values() if not q.parameters]
    text = "PREFIX schema: <https://schema.org/> SELECT ?name WHERE { ?c schema:name ?name } ORDER BY ?name"
    page = client.get("sparql", params={"query": text}, headers={"Accept": BROWSER}).text
    assert html.escape(text, quote=False) in page.replace("&#34;", '"')
    assert [row[0] for row in _cells(page)] == [str(r["name"]) for r in Store(store).sparql(text).rows]
    broken = "SELECT * WHERE { ?s ?p"
    plain = client.get("sparql", params={"query": broken})
    shown = client.get("sparql", params={"query": broken}, headers={"Accept": BROWSER})
    assert shown.status_code == plain.status_code == 400
    assert plain.text.strip() in html.unescape(shown.text)


def test_machines_get_what_they_got(store: Path, client: httpx.Client) -> None:
    assert client.get("sparql").headers["content-type"].startswith("text/turtle")  # the service description
    named = {"Accept": "text/html;q=0.9, text/csv;q=0.5"}  # a format of the endpoint named: that format
    assert client.get(PARTNER, headers=named).headers["content-type"] == "text/csv; charset=utf-8"
    answer = client.get(PARTNER)
    assert answer.text == render(Store(store).query("cities-with-data-partner"), ResultFormat.JSON)
    assert client.get("queries").json()["queries"][0]["name"] == next(iter(catalog()))


def test_the_pages_and_their_links_are_under_the_base_urls_path(store: Path) -> None:
    with client_for(store, path="kg/") as (served, http):
        city = http.get(HELSINKI, headers={"Accept": BROWSER})
        query = http.get(PARTNER, headers={"Accept": BROWSER})
    assert served.url.endswith("/kg/") and city.status_code == query.status_code == 200
    assert f'href="{served.url}id/person/finland/helsinki/jan-vapaavuori"' in city.text
    assert f'action="{served.url}queries/cities-with-data-partner"' in query.text
    links = re.findall(r'<a href="([^"]+)" download=', query.text)
    assert len(links) == 2 and all(link.startswith(served.url + "queries/") for link in links)
