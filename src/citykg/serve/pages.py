"""The web app's pages: the Jinja2 templates (serve/templates/, autoescaped), the links of
the navigation every page carries (`Site`), and `page_response`, an HTML page answered with
the store generation's ETag (304 for a client that holds it) and kept in the server's cache
per generation, as the query answers are.

Every template extends `base.html` (`{% block title %}`, `{% block body %}`) and is rendered
with `render(name, site, ...)`, which gives base.html the `site` it needs for the navigation.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from functools import cache
from typing import Any

import jinja2
from starlette.requests import Request
from starlette.responses import Response

from citykg.serve.answers import etag, not_modified
from citykg.serve.context import ServeContext
from citykg.serve.worker import Answer

HTML = "text/html; charset=utf-8"


@dataclass(frozen=True)
class Site:
    """The links of the navigation (each a URL of this server); `submit` is None when the
    server does not take submissions. `current` names the page shown ("home", "cities", ...)."""

    url: str
    submit: str | None = None
    current: str = ""

    @property
    def links(self) -> list[tuple[str, str, str]]:
        """(name, text, URL) of each link of the navigation, in order."""
        found = [
            ("home", "Home", self.url),
            ("cities", "Cities", self.url + "cities"),
            ("queries", "Queries", self.url + "queries"),
            ("sparql", "SPARQL", self.url + "sparql"),
            ("ontology", "Ontology", self.url + "ontology"),
        ]
        if self.submit is not None:
            found.append(("submit", "Submit", self.submit))
        return found


def site(context: ServeContext, current: str = "") -> Site:
    """The navigation of a page of this server (Submit only when submitting is allowed)."""
    allowed = bool(getattr(context.config, "allow_submit", False))
    return Site(context.url(), context.url("submit") if allowed else None, current)


@cache
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("citykg.serve", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(template: str, site: Site, **values: Any) -> str:
    """The page `template` renders with `values` (and `site`, for the navigation)."""
    return environment().get_template(template).render(site=site, **values)


async def page_response(
    request: Request, context: ServeContext, key: Hashable, make: Callable[[], Awaitable[str]]
) -> Response:
    """The page `make` writes for `key` (a page and what it was asked: its parameters), from
    the cache when this generation wrote it before; 304 when the client holds it."""
    generation = await context.generation()
    unchanged = not_modified(request, generation)
    if unchanged is not None:
        return unchanged
    cache_key = ("page", key)
    found = context.cache.get(generation, cache_key)
    if found is None:
        found = Answer(generation, (await make()).encode("utf-8"))
        context.cache.put(cache_key, found)
    return Response(found.body, media_type=HTML, headers={"ETag": etag(generation), "Vary": "Accept"})
