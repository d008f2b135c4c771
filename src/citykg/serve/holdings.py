"""What the graph holds, as the home page and the city list show it: every city's answer to
each survey wave (its country, its goals, the partner types it works with), and the time of
the last build. Read by SPARQL through the query workers (`ServeContext.answer`), so the
answers are cached per store generation like every other; the pages filter and count them.

Partner types are read through `ckg:partnersWith`, which the inference makes hold for the
broader types too (a city partnering with hospitals partners with regional institutions), as
the catalog's partner queries read them.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, field

from rdflib import Literal
from rdflib.term import Node

from citykg.queries.results import QueryResult
from citykg.serve.context import ServeContext
from citykg.serve.worker import Job

PREFIXES = """PREFIX ckg: <https://w3id.org/citykg/ontology#>
PREFIX schema: <https://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""

ANSWERS = (
    PREFIXES
    + """SELECT DISTINCT ?city ?name ?country ?countryName ?year WHERE {
  ?profile a ckg:CityProfile ; ckg:city ?city ; ckg:wave/ckg:year ?year .
  ?city schema:name ?name .
  OPTIONAL { ?city ckg:country ?country OPTIONAL { ?country schema:name ?countryName } }
}"""
)
"""Each city's answer to a wave (a city named twice gives a row per name: the first is kept)."""

FACETS = (
    PREFIXES
    + """SELECT DISTINCT ?city ?year ?facet ?concept ?label WHERE {
  ?profile a ckg:CityProfile ; ckg:city ?city ; ckg:wave/ckg:year ?year .
  { ?profile ckg:goal ?concept BIND("goal" AS ?facet) }
  UNION
  { ?profile ckg:partnership/ckg:partnersWith ?concept BIND("partner" AS ?facet) }
  ?concept skos:prefLabel ?label .
  FILTER(LANG(?label) = "" || LANGMATCHES(LANG(?label), "en"))
}"""
)
"""The goals and the partner types (broader ones included) of each city's answer to a wave."""

BUILT = PREFIXES + "SELECT (MAX(?t) AS ?built) WHERE { ?graph prov:generatedAtTime ?t }"
"""The time of the last build: the latest of the submission graphs' build times."""


@dataclass(frozen=True)
class WaveAnswer:
    """A city's answer to one survey wave."""

    city: str
    name: str
    country: str
    country_name: str
    year: int
    goals: frozenset[str] = frozenset()
    partners: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Holdings:
    """Every city's answers (sorted by country, name, wave), the labels of the concepts they
    name, and the time of the last build (ISO 8601, or "" for a store without submissions)."""

    answers: tuple[WaveAnswer, ...]
    labels: dict[str, str] = field(default_factory=dict)
    built: str = ""

    @property
    def cities(self) -> list[str]:
        return list(self.by_city())

    def by_city(self) -> dict[str, list[WaveAnswer]]:
        """Each city's answers, the cities in the list's order."""
        found: dict[str, list[WaveAnswer]] = {}
        for answer in self.answers:
            found.setdefault(answer.city, []).append(answer)
        return found

    def waves(self) -> list[int]:
        return sorted({a.year for a in self.answers})

    def countries(self) -> list[tuple[str, str]]:
        """(country IRI, name) of every country with a city, by name."""
        return sorted({(a.country, a.country_name) for a in self.answers if a.country}, key=lambda c: c[1])

    def cities_per_wave(self) -> list[tuple[str, int]]:
        counted = Counter(a.year for a in {(a.city, a.year): a for a in self.answers}.values())
        return [(str(year), counted[year]) for year in sorted(counted)]

    def cities_per_country(self) -> list[tuple[str, int]]:
        """(country name, cities) by number of cities, then name."""
        counted = Counter(
            name for _, name in {(a.city, a.country_name or "(no country)") for a in self.answers}
        )
        return sorted(counted.items(), key=lambda item: (-item[1], item[0]))

    def concepts(self, facet: str) -> list[tuple[str, int]]:
        """(concept IRI, number of cities) of the goals or partner types (`facet`: "goal" or
        "partner") the cities name in any wave, most cities first, then by label."""
        cities: dict[str, set[str]] = {}
        for answer in self.answers:
            for concept in answer.goals if facet == "goal" else answer.partners:
                cities.setdefault(concept, set()).add(answer.city)
        return sorted(
            ((concept, len(named)) for concept, named in cities.items()),
            key=lambda item: (-item[1], self.labels.get(item[0], item[0])),
        )


async def holdings(context: ServeContext) -> Holdings:
    """What the live generation holds (from the cache when it was read before)."""
    answers, facets, built = await asyncio.gather(
        *(_rows(context, text) for text in (ANSWERS, FACETS, BUILT))
    )
    return holdings_of(answers, facets, built)


async def _rows(context: ServeContext, text: str) -> QueryResult:
    found = await context.answer(Job(text=text))
    assert found.result is not None  # a job without formats answers with its result
    return found.result


def holdings_of(answers: QueryResult, facets: QueryResult, built: QueryResult) -> Holdings:
    """The holdings from the rows of ANSWERS, FACETS and BUILT."""
    named: dict[tuple[str, int], dict[str, set[str]]] = {}
    labels: dict[str, str] = {}
    for row in facets.rows:
        key = (str(row["city"]), _year(row["year"]))
        named.setdefault(key, {"goal": set(), "partner": set()})[str(row["facet"])].add(str(row["concept"]))
        labels.setdefault(str(row["concept"]), str(row["label"]))
    found: dict[tuple[str, int], WaveAnswer] = {}
    for row in answers.rows:
        key = (str(row["city"]), _year(row["year"]))
        if key in found:
            continue
        facet = named.get(key, {})
        found[key] = WaveAnswer(
            city=key[0],
            name=str(row["name"]),
            country=str(row.get("country", "")),
            country_name=str(row.get("countryName", "")),
            year=key[1],
            goals=frozenset(facet.get("goal", ())),
            partners=frozenset(facet.get("partner", ())),
        )
    ordered = sorted(
        found.values(), key=lambda a: (a.country_name.casefold(), a.name.casefold(), a.city, a.year)
    )
    time = built.rows[0].get("built") if built.rows else None
    return Holdings(tuple(ordered), labels, str(time) if time is not None else "")


def _year(value: Node) -> int:
    text = str(value.toPython() if isinstance(value, Literal) else value)
    return int(text[:4]) if text[:4].isdigit() else 0
