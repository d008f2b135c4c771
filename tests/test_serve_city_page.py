"""A city's page (the HTML answer of a city IRI): every section of its profile, each fact with
its evidence, two waves side by side with the changes marked as `city-changes` finds them; the
RDF answers of the same IRI unchanged."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from citykg import Store
from citykg.rdf.formats import ExportFormat
from citykg.rdf.serialize import serialize_triples
from citykg.serve.describe import describe
from citykg.store.generations import open_store
from serve_support import Running, running

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


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    location = tmp_path_factory.mktemp("city-page") / "store"
    Store(location).build([SUBMISSIONS, ROOT / "tests" / "fixtures" / "catalog"])
    return location


@pytest.fixture(scope="module")
def server(store: Path) -> Iterator[Running]:
    with running(store) as started:
        yield started


@pytest.fixture(scope="module")
def client(server: Running) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=60) as http:
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
