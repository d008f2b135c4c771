"""Long lists on the web app's pages: the city list in pages of 100 with links to the next
and previous ones (the filters kept), and charts of at most 20 bars with the rest summed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from citykg.serve.addresses import Addresses
from citykg.serve.cities_page import PAGE, cities_page
from citykg.serve.config import ServeConfig
from citykg.serve.context import ServeContext
from citykg.serve.holdings import Holdings, WaveAnswer
from citykg.serve.home_page import TOP, top
from citykg.serve.pages import site

BASE = "https://w3id.org/citykg/"
URL = "http://127.0.0.1:8000/"
CITIES = 2 * PAGE + PAGE // 2


def _holdings() -> Holdings:
    answers = tuple(
        WaveAnswer(
            city=f"{BASE}id/city/x/c{i:03}",
            name=f"City {i:03}",
            country=f"{BASE}id/country/x",
            country_name="Xland",
            year=2018 + 2 * (i % 2),
        )
        for i in range(CITIES)
    )
    return Holdings(answers)


def _page(asked: dict[str, str], number: int) -> str:
    context = ServeContext(ServeConfig(store=Path("unused")))
    filters = {name: asked.get(name, "") for name in ("q", "wave", "country", "goal", "partner")}
    return cities_page(context, _holdings(), filters, Addresses(BASE, URL), number)


def _listed(html: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a></th>', html)


def _link(html: str, rel: str) -> dict[str, list[str]] | None:
    found = re.search(rf'<a href="([^"]+)" rel="{rel}">', html)
    return parse_qs(urlsplit(found.group(1).replace("&amp;", "&")).query) if found else None


def test_the_city_list_comes_in_pages_with_links_between_them() -> None:
    first = _page({}, 1)
    assert _listed(first) == [f"City {i:03}" for i in range(PAGE)]
    assert f"Cities 1–{PAGE} of {CITIES} (page 1 of 3)" in first
    assert _link(first, "next") == {"page": ["2"]} and _link(first, "prev") is None
    last = _page({}, 3)
    assert _listed(last) == [f"City {i:03}" for i in range(2 * PAGE, CITIES)]
    assert _link(last, "prev") == {"page": ["2"]} and _link(last, "next") is None
    assert _listed(_page({}, 99)) == _listed(last)  # past the end: the last page


def test_the_pages_of_a_filtered_list_keep_its_filters() -> None:
    html = _page({"wave": "2020", "q": "city"}, 1)
    assert len(_listed(html)) == PAGE and _listed(html)[0] == "City 001"
    assert _link(html, "next") == {"wave": ["2020"], "q": ["city"], "page": ["2"]}
    second = _page({"wave": "2020", "q": "city"}, 2)
    assert len(_listed(second)) == CITIES // 2 - PAGE
    assert _link(second, "prev") == {"wave": ["2020"], "q": ["city"]}  # page 1 is the list's own URL
    assert "page 1 of" not in _page({"wave": "2020", "q": "City 00"}, 1)  # one page: no page links


def test_a_chart_shows_the_largest_and_sums_the_rest() -> None:
    rows = [(f"country {i}", 100 - i) for i in range(TOP + 5)]
    kept = top(rows, "other countries")
    assert kept[:TOP] == [(label, float(n)) for label, n in rows[:TOP]]
    assert kept[TOP:] == [("other countries (5)", float(sum(n for _, n in rows[TOP:])))]
    assert top(rows[:3], "other countries") == [(label, float(n)) for label, n in rows[:3]]


@dataclass(frozen=True)
class _Submitting(ServeConfig):
    allow_submit: bool = True


def test_the_navigation_links_submit_only_when_the_server_takes_submissions() -> None:
    names = [text for _, text, _ in site(ServeContext(ServeConfig(store=Path("unused")))).links]
    assert names == ["Home", "Cities", "Queries", "SPARQL", "Ontology"]
    allowed = site(ServeContext(_Submitting(store=Path("unused"), base_url="https://kg.example.org/c/")))
    assert allowed.links[-1] == ("submit", "Submit", "https://kg.example.org/c/submit")
