"""The query catalog: every query documented, parameters bound safely, exact answers on known data.

The data: tests/fixtures/catalog/, five invented submissions (Northport answered 2018 and
2020; Southbridge 2018; Eastvale and Westham 2020).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from citykg import Store
from citykg.errors import QueryError
from citykg.queries.catalog import CatalogQuery, catalog
from citykg.queries.reference import problems
from citykg.queries.results import QueryResult, display
from citykg.rdf.terms import CKG, SCHEMA, SKOS

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "catalog"
QUERIES = catalog()


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    location = tmp_path_factory.mktemp("catalog") / "store"
    Store(location).build([FIXTURES])
    return location


def rows(result: QueryResult, *columns: str) -> list[tuple[str, ...]]:
    return [tuple(display(row[c]) if c in row else "" for c in columns) for row in result.rows]


# ------------------------------------------------------------------ documentation and parameters


def test_the_catalog_has_at_least_fifteen_queries() -> None:
    assert len(QUERIES) >= 15


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_query_is_documented(name: str) -> None:
    assert problems(QUERIES[name]) == []


def _projection(query: CatalogQuery) -> str:
    body = "\n".join(line for line in query.text.splitlines() if not line.lstrip().startswith("#"))
    match = re.search(r"\bSELECT\b(.*?)\bWHERE\b", body, re.S | re.I)
    return match.group(1) if match else ""


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_parameters_are_in_the_projection_and_outside_subqueries(name: str) -> None:
    """pyoxigraph binds substitutions only for variables of the SELECT projection (SEP-0007),
    and a substitution does not reach into a sub-query."""
    query = QUERIES[name]
    text = query.text
    for parameter in query.parameters:
        variable = f"?{parameter.name}"
        if re.search(r"\bSELECT\b", text):
            assert re.search(rf"\?{parameter.name}\b", _projection(query)), f"{variable} not projected"
        subqueries = re.findall(r"\{\s*SELECT\b.*?\}\s*\}", text, re.S)
        assert not any(variable in sub for sub in subqueries), f"{variable} used inside a sub-query"


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_query_runs_and_lists_no_row_twice(store: Path, name: str) -> None:
    result = Store(store).query(name)
    if result.graph is None:
        as_tuples = [tuple(sorted(row.items())) for row in result.rows]
        assert len(as_tuples) == len(set(as_tuples)), "duplicate rows (see decision 0502)"


def test_a_hostile_parameter_value_is_bound_not_formatted(store: Path) -> None:
    hostile = 'Northport" } } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o #'
    result = Store(store).query("city-changes", {"city": hostile})
    assert result.rows == []
    assert Store(store).query("city-changes", {"city": "Northport"}).rows  # store intact
    with pytest.raises(QueryError, match="not a partner type"):
        Store(store).query("cities-with-data-partner", {"partner": "<http://x> } UNION {"})
    with pytest.raises(QueryError, match="year"):
        Store(store).query("targets-due-by", {"by": "2030) || true || (1"})


def test_unknown_and_missing_parameters_are_refused(store: Path) -> None:
    with pytest.raises(QueryError, match="no parameter colour"):
        Store(store).query("cities-by-goal", {"colour": "blue"})
    with pytest.raises(QueryError, match="needs -p city"):
        Store(store).query("city-profile", {"city": ""})


# ------------------------------------------------------------------ exact answers


def test_cities_with_a_data_partner_include_narrower_types_with_and_without_inference(store: Path) -> None:
    for inferred in (True, False):
        hospitals = Store(store).query(
            "cities-with-data-partner", {"partner": "hospitals"}, inferred=inferred
        )
        assert rows(hospitals, "city", "wave", "partnerType") == [
            ("Eastvale", "2020", "hospitals"),
            ("Northport", "2020", "hospitals"),
        ]
        regional = Store(store).query(
            "cities-with-data-partner", {"partner": "regional institutions"}, inferred=inferred
        )
        assert rows(regional, "city", "wave", "partnerType") == [
            ("Eastvale", "2020", "hospitals"),
            ("Northport", "2020", "hospitals"),
            ("Northport", "2020", "regional institutions"),
            ("Southbridge", "2018", "public transport agency"),
        ]


def test_cities_with_an_innovation_partner(store: Path) -> None:
    result = Store(store).query("cities-with-innovation-partner", {"partner": "private sector"})
    assert rows(result, "city", "wave", "partnerType") == [
        ("Eastvale", "2020", "private sector"),
        ("Northport", "2018", "private firms"),
    ]
    cities = Store(store).query("cities-with-innovation-partner", {"partner": "other cities"})
    assert rows(cities, "city", "wave", "example") == [("Northport", "2020", "Eurocities")]


def test_partner_types_by_cities_needs_the_inferred_graph(store: Path) -> None:
    result = Store(store).query("partner-types-by-cities")
    counts = {(r[0], r[1], r[2]): r[3] for r in rows(result, "partnerType", "purpose", "wave", "cities")}
    assert counts[("regional institutions", "data", "2020")] == "2"  # Eastvale and Northport
    assert counts[("hospitals", "data", "2020")] == "2"
    assert counts[("private sector", "innovation capacity", "2018")] == "1"  # Northport's private firms
    assert len(counts) == 13
    assert Store(store).query("partner-types-by-cities", inferred=False).rows == []


def test_cities_by_goal_and_by_success_factor(store: Path) -> None:
    goal = Store(store).query("cities-by-goal")  # default: Improve service delivery
    assert rows(goal, "city", "wave") == [("Eastvale", "2020"), ("Northport", "2018"), ("Northport", "2020")]
    factor = Store(store).query("cities-by-success-factor", {"factor": "Leadership from Mayor"})
    assert rows(factor, "city", "wave", "factorLabel") == [
        ("Northport", "2018", "Leadership from Mayor"),
        ("Northport", "2020", "Leadership from Mayor"),
    ]


def test_dedicated_funding_and_its_uses(store: Path) -> None:
    result = Store(store).query("dedicated-funding")
    assert rows(result, "city", "wave", "use") == [
        ("Eastvale", "2020", "physical infrastructure"),
        ("Northport", "2020", "digital systems"),
        ("Northport", "2020", "training staff and building capacity"),
        ("Southbridge", "2018", "R&D labs"),
        ("Southbridge", "2018", "launching or sustaining a project"),
    ]
    uses = Store(store).query("funding-uses")
    assert len(uses.rows) == 5 and {r[2] for r in rows(uses, "use", "wave", "cities")} == {"1"}


def test_innovation_staff_ranked(store: Path) -> None:
    result = Store(store).query("innovation-staff")
    assert rows(result, "city", "wave", "teams", "staff") == [
        ("Southbridge", "2018", "2", "35"),
        ("Northport", "2020", "1", "12"),
        ("Northport", "2018", "1", "6"),
        ("Eastvale", "2020", "1", "4"),  # a 4-6 staff range counts its lower bound
    ]


def test_where_innovation_teams_sit(store: Path) -> None:
    result = Store(store).query("teams-by-location")
    assert rows(result, "location", "wave", "teams", "cities") == [
        ("Mayor's Office", "2018", "2", "1"),
        ("City Manager's Office", "2018", "1", "1"),
        ("Environment Department", "2020", "1", "1"),
        ("Mayor's Office", "2020", "1", "1"),
    ]


def test_cities_without_an_explicit_strategy(store: Path) -> None:
    result = Store(store).query("cities-without-explicit-strategy")
    assert rows(result, "city", "country", "wave") == [
        ("Eastvale", "Freedonia", "2020"),
        ("Northport", "Freedonia", "2018"),
    ]


def test_policy_areas_by_number_of_cities(store: Path) -> None:
    result = Store(store).query("policy-areas-by-cities")
    assert rows(result, "policyArea", "wave", "cities") == [
        ("Housing", "2020", "2"),
        ("Environment and climate change", "2020", "1"),
        ("Housing", "2018", "1"),
        ("Transport/Mobility", "2020", "1"),
    ]


def test_dated_targets_by_year(store: Path) -> None:
    every = Store(store).query("dated-targets")
    assert rows(every, "year", "city", "target", "of") == [
        ("2020", "Southbridge", "all permits online", "Open Bridge"),
        ("2022", "Northport", "1000 sensors installed", "Harbour Sensors"),
        ("2025", "Northport", "5000 affordable homes", "Housing"),
        ("2030", "Northport", "zero-emission bus fleet", "Transport/Mobility"),
        ("2040", "Eastvale", "carbon neutral", "Environment and climate change"),
    ]
    due = Store(store).query("targets-due-by", {"by": "2025"})
    assert rows(due, "year", "city") == [
        ("2020", "Southbridge"),
        ("2022", "Northport"),
        ("2025", "Northport"),
    ]


def test_people_and_their_roles(store: Path) -> None:
    result = Store(store).query("people-and-roles")
    assert rows(result, "city", "wave", "role", "person") == [
        ("Eastvale", "2020", "mayor", "Eli Stone"),
        ("Northport", "2018", "innovation officer", "Carl Dune"),
        ("Northport", "2018", "mayor", "Ada Brook"),
        ("Northport", "2020", "innovation officer", "Carl Dune"),
        ("Northport", "2020", "innovation officer", "Dana Fell"),
        ("Northport", "2020", "mayor", "Bea Storm"),
        ("Southbridge", "2018", "innovation officer", "Gus Hale"),
        ("Southbridge", "2018", "mayor", "Finn Marsh"),
        ("Westham", "2020", "mayor", "Hana Reed"),
    ]


def test_initiatives_and_their_targets(store: Path) -> None:
    result = Store(store).query("initiatives")
    assert rows(result, "city", "wave", "initiative", "target", "year") == [
        ("Northport", "2020", "Harbour Sensors", "1000 sensors installed", "2022"),
        ("Southbridge", "2018", "Open Bridge", "all permits online", "2020"),
    ]


def test_surveyed_cities_come_from_inference(store: Path) -> None:
    result = Store(store).query("surveyed-cities")
    assert rows(result, "city", "waves", "firstWave", "lastWave") == [
        ("Eastvale", "1", "2020", "2020"),
        ("Northport", "2", "2018", "2020"),
        ("Southbridge", "1", "2018", "2018"),
        ("Westham", "1", "2020", "2020"),
    ]


def test_survey_shares_computed_beside_the_stated_figures(store: Path) -> None:
    result = Store(store).query("survey-shares")
    table = {
        (r[0], r[1]): r[2:]
        for r in rows(result, "scope", "indicator", "cities", "computed", "computedShare", "statedShare")
    }
    assert table[("2018", "dedicated funding")] == ("2", "1", "50", "78.7")  # stated: 70 of 89
    assert table[("2018", "explicit innovation strategy")] == ("2", "1", "50", "")
    assert table[("2020", "dedicated funding")] == ("3", "2", "66.7", "")
    assert table[("2020", "explicit innovation strategy")] == ("3", "2", "66.7", "")
    assert table[("2020", "funding directed to training staff")] == ("3", "1", "33.3", "61")
    assert table[("all waves", "cities answering")] == ("4", "4", "100", "")
    assert table[("all waves", "dedicated funding")] == ("5", "3", "60", "81")
    assert table[("all waves", "explicit innovation strategy")] == ("5", "3", "60", "50")
    assert table[("all waves", "formal innovation goals")] == ("", "", "", "52")
    counts = {(r[0], r[1]): r[2] for r in rows(result, "scope", "indicator", "statedCount")}
    assert counts[("all waves", "cities answering")] == "147"
    assert counts[("2018", "cities answering")] == "89"
    sources = [r[0] for r in rows(result, "source") if r[0]]
    assert len(sources) == 8 and all(s.startswith("survey site") for s in sources)


def test_one_citys_profile_as_a_graph(store: Path) -> None:
    graph = Store(store).query("city-profile", {"city": "Northport"}).graph
    assert graph is not None
    city = URIRef("https://w3id.org/citykg/id/city/freedonia/northport")
    profiles = set(graph.objects(city, CKG.profile))
    assert len(profiles) == 2
    mayors = {str(graph.value(p, SCHEMA.name)) for p in graph.objects(None, CKG.mayor)}
    assert mayors == {"Ada Brook", "Bea Storm"}
    assert (
        URIRef("https://w3id.org/citykg/vocab/partner-type/hospitals"),
        SKOS.prefLabel,
        Literal("hospitals", lang="en"),
    ) in graph
    assert not any("eastvale" in str(s) or "southbridge" in str(s) for s in graph.subjects())
    assert (None, CKG.sourceLine, None) not in graph  # evidence stays out of the profile
    assert isinstance(graph, Graph)


def test_what_changed_for_a_city_between_waves(store: Path) -> None:
    result = Store(store).query("city-changes", {"city": "Northport"})
    changes = rows(result, "change", "aspect", "value")
    assert ("removed", "mayor", "Ada Brook") in changes
    assert ("added", "mayor", "Bea Storm") in changes
    assert ("added", "innovation officer", "Dana Fell") in changes
    assert ("removed", "explicit strategy", "no") in changes
    assert ("added", "explicit strategy", "yes") in changes
    assert ("added", "data partner", "hospitals") in changes
    assert ("removed", "data partner", "academia") in changes
    assert ("removed", "team", "Northport Lab, City Manager's Office, 6 staff") in changes
    assert ("added", "team", "Northport Lab, Mayor's Office, 12 staff") in changes
    assert ("added", "target", "zero-emission bus fleet by 2030") in changes
    assert not any(value == "Carl Dune" for _, _, value in changes)  # kept in both waves
    assert not any(value == "Housing" for _, _, value in changes)
    assert len(changes) == 28
    assert Store(store).query("city-changes", {"city": "Eastvale"}).rows == []  # one wave only
