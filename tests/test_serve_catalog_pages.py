"""The catalog and the SPARQL endpoint as pages for a browser: a form per query (the
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
from citykg.rdf.formats import ResultFormat
from serve_support import Running, running

ROOT = Path(__file__).resolve().parents[1]
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
PARTNER = "queries/cities-with-data-partner"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    location = tmp_path_factory.mktemp("catalog-pages") / "store"
    Store(location).build([ROOT / "data" / "submissions"])
    return location


@pytest.fixture(scope="module")
def server(store: Path) -> Iterator[Running]:
    with running(store) as started:
        yield started


@pytest.fixture(scope="module")
def client(server: Running) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=60) as http:
        yield http


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
    answer = client.get(PARTNER)
    assert answer.text == render(Store(store).query("cities-with-data-partner"), ResultFormat.JSON)
    assert client.get("queries").json()["queries"][0]["name"] == next(iter(catalog()))
