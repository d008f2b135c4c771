"""The HTML page of a city IRI (`/id/city/<country>/<city>`): its profile in every wave it
answered, the waves side by side with the changes marked, each fact's evidence one click away
(city_profile.py reads them). Only a browser's request (HTML by content negotiation, or
`?format=html`) is answered here; every other goes on to linked data (linked_data.py), so the
RDF answers of a city IRI are what they were."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import quote, urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Match, Route
from starlette.types import Scope

from citykg.serve.addresses import Addresses
from citykg.serve.city_profile import City, Item, city_profile
from citykg.serve.context import ServeContext
from citykg.serve.describe import store_base
from citykg.serve.html_pages import ALTERNATES
from citykg.serve.pages import render, site
from citykg.serve.rdf_answers import Wanted, rdf_response, wanted
from citykg.serve.responses import Refused
from citykg.serve.submit_pages import history_url
from citykg.store.subjects import Readable

PATH = "/id/city/{country}/{city}"
#: sections whose facts are of different kinds: each is shown with its aspect
_MIXED = {"header", "strategy", "funding", "partnerships", "data-partnerships", "other"}
_LONG = 80


class HtmlOnlyRoute(Route):
    """A route that takes only the requests asking for HTML; the others go on to later routes."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        match, child = super().matches(scope)
        if match is Match.NONE or scope.get("type") != "http":
            return match, child
        try:
            if wanted(Request(scope)).fmt is not None:
                return Match.NONE, {}
        except Refused:
            return Match.NONE, {}  # linked data answers it (400 or 406)
        return match, child


def routes(context: ServeContext) -> Sequence[BaseRoute]:
    live = context.live

    async def city(request: Request) -> Response:
        path = request.url.path.removeprefix(context.config.root_path).lstrip("/")

        def write(store: Readable, want: Wanted) -> bytes | None:
            where = Addresses(store_base(store), context.config.url)
            found = city_profile(store, where.base + path)
            return None if found is None else page(found, where, context).encode("utf-8")

        missing = Refused(
            404,
            f"the store holds no city at {context.config.url}{path}",
            hint=f"see {context.url('queries/surveyed-cities')}",
        )
        return await rdf_response(request, context, live, ("city-page", path), write, missing=missing)

    return [HtmlOnlyRoute(PATH, city, methods=["GET"], name="city-page")]


def page(city: City, where: Addresses, context: ServeContext) -> str:
    """The city's page."""
    waves = []
    for index, wave in enumerate(city.waves):
        waves.append(
            {
                "year": wave.year,
                "graph": wave.graph,
                "graph_url": where.url + "graph-store?graph=" + quote(wave.graph, safe=""),
                "profile_url": where.url_of(wave.profile) or wave.profile,
                "sources": wave.sources,
                "before": city.waves[index - 1].year if index > 0 else "",
                "after": city.waves[index + 1].year if index + 1 < len(city.waves) else "",
            }
        )
    titles = {s.anchor: s.title for wave in city.waves for s in wave.sections}
    sections = []
    for anchor, title in titles.items():
        columns = [
            {
                "wave": view,
                "facts": [
                    _item(i, where, anchor in _MIXED)
                    for s in wave.sections
                    if s.anchor == anchor
                    for i in s.items
                ],
            }
            for wave, view in zip(city.waves, waves, strict=True)
        ]
        sections.append({"title": title, "anchor": anchor, "columns": columns})
    changes = []
    for before, after in zip(city.waves, city.waves[1:], strict=False):
        marks = _marks(after.items())
        gone = _marks(before.items())
        query = urlencode({"city": city.name, "from": before.year, "to": after.year})
        changes.append(
            {
                "before": before.year,
                "after": after.year,
                "added": marks.count("added"),
                "removed": gone.count("removed"),
                "url": context.url("queries/city-changes") + "?" + query,
            }
        )
    alternates = [{"name": n, "media_type": m, "url": f"?format={v}"} for n, v, m in ALTERNATES]
    kinds = [{"name": label, "url": where.url_of(iri)} for iri, label in city.types]
    return render(
        "city.html",
        site(context),
        city=city,
        kinds=kinds,
        waves=waves,
        sections=sections,
        changes=changes,
        alternates=alternates,
        history=history_url(where.url, where.base, city.iri),
    )


def _marks(items: list[Item]) -> list[str]:
    return [x for item in items for x in (item.change, *_marks(item.parts))]


def _item(item: Item, where: Addresses, show_aspect: bool) -> dict[str, Any]:
    long = len(item.note) > _LONG
    return {
        "aspect": item.aspect,
        "text": item.text,
        "key": item.key,
        "change": item.change,
        "url": where.url_of(item.url_iri) if item.url_iri else None,
        "show_aspect": show_aspect,
        "note_short": "" if long else item.note,
        "long_note": item.note if long else "",
        "evidence": item.evidence,
        "parts": [_item(part, where, part.aspect != item.aspect) for part in item.parts],
    }
