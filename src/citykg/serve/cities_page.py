"""The city list `/cities`: every city the graph holds, found by a search (`q`: a part of its
name or its country's) and filters (`wave`, `country`, `goal`, `partner`: a partner type,
broader types finding the cities of narrower ones), given by a GET form that works without
JavaScript. A city is listed when one of its answers fits every filter; each links to its page
(its IRI, served as linked data). A filter value the graph does not know lists no city and
says so, with the values it does know.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from citykg.serve.addresses import Addresses
from citykg.serve.context import ServeContext
from citykg.serve.describe import store_base
from citykg.serve.holdings import Holdings, WaveAnswer, holdings
from citykg.serve.pages import page_response, render, site

FILTERS = ("q", "wave", "country", "goal", "partner")
PAGE = 100
"""Cities listed on one page of the list (`page=2` for the next ones)."""


@dataclass(frozen=True)
class Listed:
    """A city as the list shows it: its page, country, the waves it answered, its goals."""

    name: str
    url: str | None
    country: str
    waves: tuple[int, ...]
    goals: tuple[str, ...]


@dataclass(frozen=True)
class Choice:
    """An option of a filter: its value (what the URL carries) and how many cities have it."""

    value: str
    cities: int


def routes(context: ServeContext) -> Sequence[BaseRoute]:
    live = context.live

    async def cities(request: Request) -> Response:
        asked = {name: request.query_params.get(name, "").strip() for name in FILTERS}
        number = page_number(request.query_params.get("page"))

        async def make() -> str:
            base = await run_in_threadpool(lambda: store_base(live.get()))
            return cities_page(
                context, await holdings(context), asked, Addresses(base, context.url()), number
            )

        return await page_response(request, context, ("cities", tuple(sorted(asked.items())), number), make)

    return [Route("/cities", cities, methods=["GET"], name="cities")]


def page_number(given: str | None) -> int:
    """The page of the list asked for: 1 unless a whole number above 0 is given."""
    return int(given) if given is not None and given.isdigit() and int(given) > 0 else 1


def cities_page(
    context: ServeContext, held: Holdings, asked: dict[str, str], addresses: Addresses, number: int = 1
) -> str:
    choices = filter_choices(held)
    problems = [
        f"“{asked[name]}” is not a {what} of any city here"
        for name, what in (
            ("wave", "survey wave"),
            ("country", "country"),
            ("goal", "goal"),
            ("partner", "partner type"),
        )
        if asked[name] and not _known(held, name, asked[name], choices[name])
    ]
    found = [] if problems else matching(held, asked)
    answers = held.by_city()
    pages = max(1, -(-len(found) // PAGE))
    number = min(number, pages)
    shown = found[(number - 1) * PAGE : number * PAGE]
    kept = {name: value for name, value in asked.items() if value}

    def link(to: int) -> str | None:
        if not 1 <= to <= pages or to == number:
            return None
        return context.url("cities") + "?" + urlencode({**kept, **({"page": str(to)} if to > 1 else {})})

    return render(
        "cities.html",
        site(context, "cities"),
        asked=asked,
        choices=choices,
        problems=problems,
        cities=[listed(held, answers[city], addresses) for city in shown],
        found=len(found),
        first=(number - 1) * PAGE + 1,
        pages={"number": number, "count": pages, "previous": link(number - 1), "next": link(number + 1)},
        total=len(held.cities),
        filtered=any(asked.values()),
        action=context.url("cities"),
    )


def filter_choices(held: Holdings) -> dict[str, list[Choice]]:
    """The options of each filter: the values the graph holds, with their numbers of cities."""
    per_wave = dict(held.cities_per_wave())
    per_country = dict(held.cities_per_country())
    return {
        "wave": [Choice(str(year), per_wave[str(year)]) for year in held.waves()],
        "country": [Choice(name, per_country[name]) for _, name in held.countries()],
        "goal": [Choice(held.labels.get(iri, iri), n) for iri, n in _by_label(held, "goal")],
        "partner": [Choice(held.labels.get(iri, iri), n) for iri, n in _by_label(held, "partner")],
    }


def matching(held: Holdings, asked: dict[str, str]) -> list[str]:
    """The cities (IRIs, in the list's order) with an answer that fits every filter asked."""
    words = asked.get("q", "").casefold()
    goal = _concept(held, "goal", asked.get("goal", ""))
    partner = _concept(held, "partner", asked.get("partner", ""))
    found = []
    for answer in held.answers:
        if words and words not in answer.name.casefold() and words not in answer.country_name.casefold():
            continue
        if asked.get("wave") and str(answer.year) != asked["wave"]:
            continue
        if asked.get("country") and answer.country_name.casefold() != asked["country"].casefold():
            continue
        if goal is not None and goal not in answer.goals:
            continue
        if partner is not None and partner not in answer.partners:
            continue
        found.append(answer.city)
    return list(dict.fromkeys(found))


def listed(held: Holdings, answers: list[WaveAnswer], addresses: Addresses) -> Listed:
    """A city as the list shows it, from its answers."""
    goals = sorted({held.labels.get(g, g) for a in answers for g in a.goals}, key=str.casefold)
    return Listed(
        name=answers[0].name,
        url=addresses.url_of(answers[0].city),
        country=answers[0].country_name,
        waves=tuple(sorted({a.year for a in answers})),
        goals=tuple(goals),
    )


def _by_label(held: Holdings, facet: str) -> list[tuple[str, int]]:
    return sorted(held.concepts(facet), key=lambda item: held.labels.get(item[0], item[0]).casefold())


def _concept(held: Holdings, facet: str, value: str) -> str | None:
    """The goal or partner type (`facet`) a filter value names, by its label (any case) or
    its IRI: None when no value is given, "" when the graph knows no such one."""
    if not value:
        return None
    wanted = value.casefold()
    for iri, _ in held.concepts(facet):
        if value == iri or held.labels.get(iri, iri).casefold() == wanted:
            return iri
    return ""


def _known(held: Holdings, name: str, value: str, choices: list[Choice]) -> bool:
    """Whether the filter `name` knows `value`."""
    if name in ("goal", "partner"):
        return bool(_concept(held, name, value))
    return value.casefold() in {c.value.casefold() for c in choices}
