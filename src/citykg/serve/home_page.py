"""The home page `/`: what the graph holds (cities per wave and per country, the last build),
the survey shares computed from the graph beside the figures the survey states (the catalog
query `survey-shares`), and charts of goals and partner types by number of cities and of
staff per city (the catalog query `innovation-staff`).

A browser gets the page; every other client is sent on to the DCAT catalog, as before.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from rdflib import Literal
from rdflib.term import Node
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from citykg.queries.results import QueryResult
from citykg.serve import charts
from citykg.serve.context import ServeContext
from citykg.serve.holdings import Holdings, holdings
from citykg.serve.negotiation import accepts_html
from citykg.serve.pages import page_response, render, site
from citykg.serve.worker import Job

TOP = 20
"""The most bars a chart of cities or countries shows (the catalog query has them all)."""


@dataclass(frozen=True)
class Share:
    """One row of `survey-shares`: an indicator in a scope (a wave or "all waves")."""

    scope: str
    indicator: str
    cities: float | None
    computed: float | None
    computed_share: float | None
    stated_count: float | None
    stated_out_of: float | None
    stated_share: float | None
    source: str


def routes(context: ServeContext) -> Sequence[BaseRoute]:
    async def home(request: Request) -> Response:
        if not accepts_html(request.headers.get("accept")):
            return RedirectResponse(context.url("catalog"), status_code=303)
        return await page_response(request, context, "home", lambda: home_page(context))

    return [Route("/", home, methods=["GET"], name="home")]


async def home_page(context: ServeContext) -> str:
    held = await holdings(context)
    shares = shares_of(await _result(context, "survey-shares"))
    staff = await _result(context, "innovation-staff")
    cities = context.url("cities")
    figures = [
        charts.render(
            charts.bar_chart("Cities per survey wave", held.cities_per_wave(), of="wave", series="cities"),
            anchor="chart-waves",
        ),
        charts.render(
            charts.bar_chart(
                "Cities per country",
                top(held.cities_per_country(), "other countries"),
                of="country",
                series="cities",
            ),
            anchor="chart-countries",
        ),
    ]
    concepts = [
        charts.render(_concept_chart(held, facet, title, of), anchor=f"chart-{facet}")
        for facet, title, of in (
            ("goal", "Innovation goals by number of cities", "goal"),
            ("partner", "Partner types by number of cities", "partner type"),
        )
    ]
    staff_rows = [(f"{row['city']} ({_year(row['wave'])})", _number(row.get("staff"))) for row in staff.rows]
    staff_title = "Innovation staff per city" + (f": the {TOP} largest" if len(staff_rows) > TOP else "")
    return render(
        "home.html",
        site(context, "home"),
        held=held,
        built=_built(held.built),
        countries=len(held.countries()),
        figures=figures,
        concepts=concepts,
        goal_links=_links(held, "goal", cities),
        partner_links=_links(held, "partner", cities),
        share_charts=[
            charts.render(chart, anchor=f"chart-shares-{i}")
            for i, chart in enumerate(
                [*(count_chart(shares, c) for c in sorted(counted_indicators(shares))), *share_charts(shares)]
            )
        ],
        shares=shares,
        fmt=charts.shown,
        staff=charts.render(
            charts.bar_chart(staff_title, staff_rows[:TOP], of="city (wave)", series="staff"),
            anchor="chart-staff",
        ),
        cities_url=cities,
        shares_url=context.url("queries/survey-shares"),
        staff_url=context.url("queries/innovation-staff"),
    )


async def _result(context: ServeContext, name: str) -> QueryResult:
    found = await context.answer(Job(name=name))
    assert found.result is not None  # a job without formats answers with its result
    return found.result


def shares_of(result: QueryResult) -> list[Share]:
    """The rows of the catalog query `survey-shares`."""
    return [
        Share(
            scope=str(row["scope"]),
            indicator=str(row["indicator"]),
            cities=_number(row.get("cities")),
            computed=_number(row.get("computed")),
            computed_share=_number(row.get("computedShare")),
            stated_count=_number(row.get("statedCount")),
            stated_out_of=_number(row.get("statedOutOf")),
            stated_share=_number(row.get("statedShare")),
            source=str(row.get("source", "")),
        )
        for row in result.rows
    ]


def share_charts(shares: list[Share]) -> list[charts.BarChart]:
    """One chart per scope (each wave, then all waves): each indicator's share computed from
    the graph beside the share the survey states (the indicators with either)."""
    scopes = sorted({s.scope for s in shares}, key=lambda scope: (not scope[:4].isdigit(), scope))
    counts = counted_indicators(shares)
    found = []
    for scope in scopes:
        rows = [
            s
            for s in shares
            if s.scope == scope
            and s.indicator not in counts
            and (s.computed_share, s.stated_share) != (None, None)
        ]
        if not rows:
            continue
        title = f"Survey shares, {scope if not scope.isdigit() else 'wave ' + scope}: computed vs stated"
        found.append(
            charts.BarChart(
                title,
                tuple(s.indicator for s in rows),
                (
                    charts.Series("computed from the graph", tuple(s.computed_share for s in rows)),
                    charts.Series("stated by the survey", tuple(s.stated_share for s in rows)),
                ),
                unit="%",
                maximum=100,
                of="indicator",
            )
        )
    return found


def counted_indicators(shares: list[Share]) -> set[str]:
    """The indicators that count the cities themselves (each computed figure is the number
    of cities, and the survey states a bare number): shown as numbers, not as shares."""
    found = set()
    for indicator in {s.indicator for s in shares}:
        rows = [s for s in shares if s.indicator == indicator]
        if all(s.computed == s.cities for s in rows if s.computed is not None) and any(
            s.stated_count is not None and s.stated_out_of is None and s.stated_share is None for s in rows
        ):
            found.add(indicator)
    return found


def count_chart(shares: list[Share], indicator: str) -> charts.BarChart:
    """The number of cities in the graph beside the number the survey states, per scope."""
    rows = sorted(
        (s for s in shares if s.indicator == indicator),
        key=lambda s: (not s.scope[:4].isdigit(), s.scope),
    )
    return charts.BarChart(
        f"{indicator.capitalize()}: in the graph vs stated",
        tuple(s.scope for s in rows),
        (
            charts.Series("in the graph", tuple(s.computed for s in rows)),
            charts.Series("stated by the survey", tuple(s.stated_count for s in rows)),
        ),
        of="wave",
    )


def top(rows: list[tuple[str, int]], others: str) -> list[tuple[str, float | None]]:
    """The first TOP rows (largest first), the rest summed as one row named `others`."""
    kept: list[tuple[str, float | None]] = [(label, float(n)) for label, n in rows[:TOP]]
    if len(rows) > TOP:
        kept.append((f"{others} ({len(rows) - TOP})", float(sum(n for _, n in rows[TOP:]))))
    return kept


def _concept_chart(held: Holdings, facet: str, title: str, of: str) -> charts.BarChart:
    rows = [(held.labels.get(iri, iri), float(n)) for iri, n in held.concepts(facet)]
    return charts.bar_chart(title, rows, of=of, series="cities")


def _links(held: Holdings, facet: str, cities: str) -> list[tuple[str, str]]:
    """(label, URL of the city list filtered by it) of each concept of `facet`."""
    return [
        (label, cities + "?" + urlencode({facet: label}))
        for label in (held.labels.get(iri, iri) for iri, _ in held.concepts(facet))
    ]


def _number(value: Node | None) -> float | None:
    if value is None:
        return None
    try:
        return float(value.toPython() if isinstance(value, Literal) else str(value))
    except (TypeError, ValueError):
        return None


def _year(value: Node) -> str:
    return str(value)[:4]


def _built(value: str) -> dict[str, str] | None:
    """The build time as shown (`2026-12-02 06:05 UTC`) and as `<time datetime>` takes it."""
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return {"shown": value, "iso": value}
    return {"shown": when.strftime("%Y-%m-%d %H:%M UTC"), "iso": value}
