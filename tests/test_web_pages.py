"""The web app's pages for people: the home page (what the graph holds, the survey shares
computed beside the stated ones, charts with their tables), the city list with its search and
filters, the ontology, vocabulary and concept pages, and the navigation every page carries.

Expectations are read from the store by the catalog (`Store.query`) or from the ontology's
own files with rdflib, never from the server's code."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDFS, SKOS

from citykg import Store
from serve_support import Running, running

pytestmark = pytest.mark.slow  # a server in a thread, query workers in subprocesses

ROOT = Path(__file__).resolve().parents[1]
DATA = [
    ROOT / "data" / "submissions",
    *sorted((ROOT / "tests" / "data" / "publishing").glob("tampere-*.yaml")),
]
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
EPOCH = "1767225600"  # 2026-01-01 00:00:00 UTC
CKG = Namespace("https://w3id.org/citykg/ontology#")
REGIONAL = (
    "?profile ckg:partnership/(ckg:partnerType|ckg:includesPartnerType)/skos:broader* ?t . "
    "?t skos:prefLabel 'regional institutions'@en"
)
"""The profiles partnering with regional institutions or a narrower type (hospitals...)."""
NAV = ["Home", "Cities", "Queries", "SPARQL", "Ontology"]


class Page(HTMLParser):
    """A page as a reader sees it: its text, its links (text -> URLs), the rows of each table
    (by the table's id), the ids of its elements, and its headings."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.links: dict[str, list[str]] = {}
        self.tables: dict[str, list[list[str]]] = {}
        self.ids: set[str] = set()
        self.headings: list[str] = []
        self.nav: list[tuple[str, str, bool]] = []
        self.text: list[str] = []
        self._href: list[str | None] = []
        self._link_text: list[str] = []
        self._tables: list[str] = []
        self._cell: list[str] | None = None
        self._heading: list[str] | None = None
        self._in_nav = 0
        self._current = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(str(found["id"]))
        if tag == "a":
            self._href.append(found.get("href"))
            self._link_text = []
            self._current = found.get("aria-current") == "page"
        elif tag == "nav" and found.get("aria-label") == "Main":
            self._in_nav += 1
        elif tag == "table":
            self._tables.append(str(found.get("id") or f"table-{len(self.tables)}"))
            self.tables.setdefault(self._tables[-1], [])
        elif tag == "tr" and self._tables:
            self.tables[self._tables[-1]].append([])
        elif tag in ("td", "th") and self._tables:
            self._cell = []
        elif tag in ("h1", "h2", "h3"):
            self._heading = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href:
            href = self._href.pop()
            text = " ".join("".join(self._link_text).split())
            if href is not None:
                self.links.setdefault(text, []).append(href)
                if self._in_nav:
                    self.nav.append((text, href, self._current))
        elif tag == "nav" and self._in_nav:
            self._in_nav -= 1
        elif tag == "table" and self._tables:
            self._tables.pop()
        elif tag in ("td", "th") and self._cell is not None and self._tables:
            self.tables[self._tables[-1]][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag in ("h1", "h2", "h3") and self._heading is not None:
            self.headings.append(" ".join("".join(self._heading).split()))
            self._heading = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._href:
            self._link_text.append(data)
        if self._cell is not None:
            self._cell.append(data)
        if self._heading is not None:
            self._heading.append(data)

    @property
    def words(self) -> str:
        return " ".join(" ".join(self.text).split())

    def rows(self, table: str) -> list[list[str]]:
        """The rows of a table under its header row."""
        return self.tables[table][1:]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    location = tmp_path_factory.mktemp("web-pages") / "store"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        Store(location).build(DATA)
    yield location


@pytest.fixture(scope="module")
def server(store: Path) -> Iterator[Running]:
    with running(store, workers=1) as started:
        yield started


@pytest.fixture(scope="module")
def client(server: Running) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=60, headers={"Accept": BROWSER}) as http:
        yield http


def page(client: httpx.Client, path: str, **params: str) -> Page:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    return Page(response.text)


def surveyed(store: Path) -> list[dict[str, str]]:
    """The catalog's `surveyed-cities`: each city with its country and waves."""
    result = Store(store).query("surveyed-cities")
    return [{k: str(v) for k, v in row.items()} for row in result.rows]


def cities_with(store: Path, pattern: str) -> set[str]:
    """The names of the cities whose profile matches `pattern` (SPARQL, `?profile`)."""
    text = (
        "PREFIX ckg: <https://w3id.org/citykg/ontology#> PREFIX schema: <https://schema.org/> "
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
        f"SELECT DISTINCT ?name WHERE {{ ?profile ckg:city/schema:name ?name . {pattern} }}"
    )
    return {str(row["name"]) for row in Store(store).sparql(text).rows}


def listed(found: Page) -> list[str]:
    return [row[0] for row in found.rows("cities")] if "cities" in found.tables else []


# ---------------------------------------------------------------- the home page


def test_home_shows_what_the_graph_holds(store: Path, client: httpx.Client) -> None:
    html = client.get("").text
    home = Page(html)
    cities = surveyed(store)
    assert home.headings[0] == "City innovation profiles"
    numbers = dict((what, n) for n, what in re.findall(r"<strong[^>]*>([\d,]+)</strong> ([^<]+)</li>", html))
    assert numbers["cities"] == str(len(cities))
    assert numbers["countries"] == str(len({c["country"] for c in cities}))
    assert numbers["survey waves"] == "2"
    per_wave = {w: sum(1 for c in cities if c["firstWave"] <= w <= c["lastWave"]) for w in ("2018", "2020")}
    assert {row[0]: row[1] for row in home.rows("chart-waves-table")} == {
        w: str(n) for w, n in per_wave.items()
    }
    per_country: dict[str, int] = {}
    for city in cities:
        per_country[city["country"]] = per_country.get(city["country"], 0) + 1
    shown = {row[0]: int(row[1]) for row in home.rows("chart-countries-table")}
    assert shown == per_country
    assert "Last build: 2026-01-01 00:00 UTC" in home.words


def test_home_sets_the_computed_survey_shares_beside_the_stated_ones(
    store: Path, client: httpx.Client
) -> None:
    home = page(client, "")
    expected = Store(store).query("survey-shares")

    def share(value: object) -> str:
        return "–" if value is None else f"{float(str(value)):g}%"

    rows = {(row[0], row[1]): row for row in home.rows("shares-table")}
    assert len(rows) == len(expected.rows)
    for row in expected.rows:
        shown = rows[(str(row["scope"]), str(row["indicator"]))]
        assert shown[4] == share(row.get("computedShare")), shown
        assert shown[6] == share(row.get("statedShare")), shown
        assert shown[7] == str(row.get("source", "")), shown
    chart = home.rows("chart-shares-1-table")  # the first wave's shares, after the cities answering
    assert ["dedicated funding", rows[("2018", "dedicated funding")][4], "78.7%"] in chart


def test_home_charts_goals_partner_types_and_staff_each_with_its_table(
    store: Path, client: httpx.Client
) -> None:
    response = client.get("")
    home = Page(response.text)
    goals = {row[0]: int(row[1]) for row in home.rows("chart-goal-table")}
    assert goals["Improve service delivery"] == len(
        cities_with(store, "?profile ckg:goal/skos:prefLabel 'Improve service delivery'@en")
    )
    partners = {row[0]: int(row[1]) for row in home.rows("chart-partner-table")}
    regional = cities_with(
        store,
        REGIONAL,
    )
    assert "Helsinki" in regional and partners["regional institutions"] == len(regional)
    staff = {row[0]: row[1] for row in home.rows("chart-staff-table")}
    for row in Store(store).query("innovation-staff").rows:
        assert staff[f"{row['city']} ({row['wave']})"] == f"{int(str(row['staff'])):,}"
    for chart in ("chart-waves", "chart-goal", "chart-partner", "chart-staff", "chart-shares-1"):
        svg = response.text.split(f'<figure class="chart" id="{chart}">', 1)[1].split("</figure>", 1)[0]
        assert re.search(rf'<svg [^>]*role="img"[^>]*aria-describedby="{chart}-table"', svg), chart
        assert svg.index("</svg>") < svg.index(f'<table id="{chart}-table"'), chart


def test_home_is_a_page_for_browsers_only_and_answers_304_for_its_etag(server: Running) -> None:
    other = httpx.get(server.url, headers={"Accept": "text/turtle"})
    assert other.status_code == 303 and other.headers["location"] == server.url + "catalog"
    first = httpx.get(server.url, headers={"Accept": BROWSER})
    again = httpx.get(server.url, headers={"Accept": BROWSER, "If-None-Match": first.headers["etag"]})
    assert again.status_code == 304


# ---------------------------------------------------------------- the city list


def test_the_city_list_links_every_city_to_its_page(store: Path, client: httpx.Client) -> None:
    found = page(client, "cities")
    names = sorted(c["city"] for c in surveyed(store))
    assert sorted(listed(found)) == names
    assert found.headings[1] == f"All {len(names)} cities"
    (helsinki,) = found.links["Helsinki"]
    assert helsinki == str(client.base_url) + "id/city/finland/helsinki"
    city = page(client, helsinki)
    assert city.headings[0] == "Helsinki"


@pytest.mark.parametrize(
    ("params", "pattern"),
    [
        ({"q": "hel"}, "FILTER(CONTAINS(LCASE(?name), 'hel'))"),
        ({"q": "FINLAND"}, "?profile ckg:city/ckg:country/schema:name 'Finland'"),
        ({"wave": "2020"}, "?profile ckg:wave/ckg:year '2020'^^<http://www.w3.org/2001/XMLSchema#gYear>"),
        ({"country": "United States"}, "?profile ckg:city/ckg:country/schema:name 'United States'"),
        (
            {"goal": "Help develop a vibrant economy"},
            "?profile ckg:goal/skos:prefLabel 'Help develop a vibrant economy'@en",
        ),
        (
            {"partner": "regional institutions"},
            REGIONAL,
        ),
        (
            {"wave": "2018", "country": "Finland"},
            "?profile ckg:wave/ckg:year '2018'^^<http://www.w3.org/2001/XMLSchema#gYear> ; "
            "ckg:city/ckg:country/schema:name 'Finland'",
        ),
    ],
)
def test_the_search_and_filters_list_the_cities_that_fit(
    store: Path, client: httpx.Client, params: dict[str, str], pattern: str
) -> None:
    found = page(client, "cities", **params)
    expected = cities_with(store, pattern)
    assert expected, "a filter that finds no city tests nothing"
    assert sorted(listed(found)) == sorted(expected)
    assert found.headings[1] == f"{len(expected)} of {len(surveyed(store))} cities match"
    assert "Clear" in found.links


def test_the_filters_are_a_labelled_get_form_that_keeps_the_choices(client: httpx.Client) -> None:
    html = client.get("cities", params={"partner": "hospitals", "q": "Hel"}).text
    form = html.split("<form", 1)[1].split("</form>", 1)[0]
    assert 'method="get"' in form and f'action="{client.base_url}cities"' in form
    for name in ("q", "wave", "country", "goal", "partner"):
        control = re.search(rf'<(?:input|select)[^>]* id="([^"]+)" name="{name}"', form)
        assert control is not None, name
        assert f'<label for="{control.group(1)}">' in form, name
    assert 'name="q" value="Hel"' in form
    assert '<option value="hospitals" selected>' in form
    assert listed(Page(html)) == ["Helsinki"]


def test_an_unknown_filter_value_lists_nothing_and_says_so(client: httpx.Client) -> None:
    found = page(client, "cities", goal="Build rockets")
    assert listed(found) == []
    assert "“Build rockets” is not a goal of any city here" in found.words


# ---------------------------------------------------------------- the ontology and vocabularies


def test_the_ontology_page_shows_each_class_and_property_with_its_links(client: httpx.Client) -> None:
    ontology = Graph().parse(ROOT / "ontology" / "citykg.ttl")
    with_store = client
    html = with_store.get("ontology").text
    found = Page(html)
    assert {"Classes", "Object properties", "Datatype properties", "Vocabularies"} <= set(found.headings)
    for term in (CKG.City, CKG.InnovationTeam, CKG.country, CKG.staffCount):
        anchor = term.removeprefix(str(CKG))
        assert anchor in found.ids, anchor
        section = html.split(f'<h3 id="{anchor}">', 1)[1].split("</section>", 1)[0]
        assert str(ontology.value(term, RDFS.comment)) in section.replace("&#39;", "'")
    city = html.split('<h3 id="City">', 1)[1].split("</section>", 1)[0]
    domain = sorted(str(ontology.value(p, RDFS.label)) for p in ontology.subjects(RDFS.domain, CKG.City))
    assert all(
        f'href="{with_store.base_url}ontology#{str(p).removeprefix(str(CKG))}"' in city
        for p in ontology.subjects(RDFS.domain, CKG.City)
    )
    assert all(label in city for label in domain)
    assert f'href="{with_store.base_url}ontology#SurveyedCity">Surveyed city</a>' in city
    country = html.split('<h3 id="country">', 1)[1].split("</section>", 1)[0]
    assert (
        "<dt>Domain</dt>" in country
        and f'href="{with_store.base_url}ontology#Country">Country</a>' in country
    )
    assert found.links["Partner types"] == [f"{with_store.base_url}vocab/partner-type"]
    vocabularies = Graph().parse(ROOT / "ontology" / "vocabularies.ttl")
    goals = html.split('<h3 id="vocabulary-goal">', 1)[1].split("</section>", 1)[0]
    comment = vocabularies.value(URIRef("https://w3id.org/citykg/vocab/goal"), RDFS.comment)
    assert str(comment).replace("'", "&#39;") in goals


def test_a_vocabulary_and_a_concept_show_their_broader_and_narrower_concepts(
    store: Path, client: httpx.Client
) -> None:
    vocabularies = Graph().parse(ROOT / "ontology" / "vocabularies.ttl")
    pt = Namespace("https://w3id.org/citykg/vocab/partner-type/")
    scheme = page(client, "vocab/partner-type")
    for member in vocabularies.subjects(SKOS.inScheme, URIRef("https://w3id.org/citykg/vocab/partner-type")):
        label = str(vocabularies.value(member, SKOS.prefLabel))
        assert (
            str(client.base_url) + str(member).removeprefix("https://w3id.org/citykg/") in scheme.links[label]
        )
    narrower = sorted(
        str(vocabularies.value(n, SKOS.prefLabel))
        for n in vocabularies.subjects(SKOS.broader, pt["regional-institutions"])
    )
    assert len(narrower) > 1
    concept = page(client, "vocab/partner-type/regional-institutions")
    assert concept.headings[0] == "regional institutions"
    shown = concept.words.split("Narrower", 1)[1].split("The cities naming", 1)[0]
    assert [n.strip() for n in shown.split(",")] == narrower
    hospitals = page(client, "vocab/partner-type/hospitals")
    assert "Broader regional institutions" in hospitals.words
    assert (
        str(client.base_url) + "vocab/partner-type/regional-institutions"
        in hospitals.links["regional institutions"]
    )
    (cities,) = concept.links["The cities naming regional institutions"]
    assert "Helsinki" in listed(page(client, cities))


def test_the_rdf_of_a_concept_is_unchanged_by_its_page(client: httpx.Client) -> None:
    turtle = client.get("vocab/partner-type/regional-institutions", headers={"Accept": "text/turtle"})
    assert turtle.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=turtle.text, format="turtle")
    concept = URIRef("https://w3id.org/citykg/vocab/partner-type/regional-institutions")
    assert {str(o) for o in graph.objects(concept, SKOS.prefLabel)} == {"regional institutions"}
    assert not list(
        graph.subjects(SKOS.broader, concept)
    )  # the narrower ones state it: not in its description


# ---------------------------------------------------------------- every page's layout


@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("", "Home"),
        ("cities", "Cities"),
        ("ontology", "Ontology"),
        ("id/city/finland/helsinki", None),
        ("catalog", None),
    ],
)
def test_every_page_has_the_navigation_landmarks_and_a_heading(
    client: httpx.Client, path: str, current: str | None
) -> None:
    response = client.get(path)
    found = Page(response.text)
    base = str(client.base_url)
    assert [text for text, _, _ in found.nav] == NAV
    assert dict((t, h) for t, h, _ in found.nav) == {
        "Home": base,
        "Cities": base + "cities",
        "Queries": base + "queries",
        "SPARQL": base + "sparql",
        "Ontology": base + "ontology",
    }
    assert [t for t, _, now in found.nav if now] == ([current] if current else [])
    assert '<main id="content"' in response.text and 'href="#content"' in response.text
    assert response.text.count("<h1>") == 1
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in response.text
    assert not re.search(r"<(script|img|iframe)\b|<link [^>]*stylesheet", response.text)  # nothing fetched


def test_pages_under_a_base_url_path_link_under_it(store: Path) -> None:
    with running(store, path="kg/", workers=1) as served:
        home = Page(httpx.get(served.url, headers={"Accept": BROWSER}).text)
        assert home.links["Browse the cities"] == [served.url + "cities"]
        found = Page(
            httpx.get(served.url + "cities", params={"q": "Helsinki"}, headers={"Accept": BROWSER}).text
        )
        assert found.links["Helsinki"] == [served.url + "id/city/finland/helsinki"]
