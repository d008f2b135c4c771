"""`/queries` (the catalog, as JSON or an HTML page) and `/queries/NAME?param=value` (a
catalog query's answer, its parameters bound as `citykg query NAME -p param=value` binds
them, never written into the query text)."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Route

from citykg.queries.catalog import CatalogQuery, catalog
from citykg.serve.answers import answer_response, requested_inferred, requested_timeout
from citykg.serve.context import ServeContext
from citykg.serve.negotiation import accepts_html
from citykg.serve.responses import Refused
from citykg.serve.worker import Job

#: parameters of the server, not of the query: every other one is the query's
RESERVED = ("timeout", "inferred")


def routes(context: ServeContext) -> Sequence[BaseRoute]:
    queries = catalog()

    async def listing(request: Request) -> Response:
        if accepts_html(request.headers.get("accept")):
            return HTMLResponse(_page(context, queries))
        return JSONResponse({"queries": [_entry(context, q) for q in queries.values()]})

    async def one(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in queries:
            raise Refused(
                404, f"no query named '{name}' in the catalog", hint=f"see {context.url('queries')}"
            )
        params: dict[str, str] = {}
        for key, value in request.query_params.multi_items():
            if key in params:
                raise Refused(400, f"the parameter {key} is given twice")
            params[key] = value
        server = {key: params.pop(key) for key in RESERVED if key in params}
        job = Job(
            name=name,
            params=tuple(sorted(params.items())),
            include_inferred=requested_inferred(server.get("inferred")),
        )
        return await answer_response(request, context, job, timeout=requested_timeout(server.get("timeout")))

    return [
        Route("/queries", listing, methods=["GET"], name="queries"),
        Route("/queries/{name}", one, methods=["GET"], name="query"),
    ]


def _entry(context: ServeContext, query: CatalogQuery) -> dict[str, Any]:
    return {
        "name": query.name,
        "title": query.title,
        "description": query.description,
        "url": context.url(f"queries/{quote(query.name)}"),
        "parameters": [
            {"name": p.name, "type": p.type, "default": p.default, "description": p.description}
            for p in query.parameters
        ],
    }


def _page(context: ServeContext, queries: dict[str, CatalogQuery]) -> str:
    items = []
    for query in queries.values():
        link = html.escape(context.url(f"queries/{quote(query.name)}"), quote=True)
        params = "".join(
            f"<li><code>{html.escape(p.name)}</code> ({html.escape(p.type)})"
            + (f", default <code>{html.escape(p.default)}</code>" if p.default else "")
            + (f": {html.escape(p.description)}" if p.description else "")
            + "</li>"
            for p in query.parameters
        )
        items.append(
            f'<li><a href="{link}"><strong>{html.escape(query.name)}</strong></a>: '
            f"{html.escape(query.title)}<p>{html.escape(query.description)}</p>"
            + (f"<ul>{params}</ul>" if params else "")
            + "</li>"
        )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>citykg query catalog</title></head><body><h1>Query catalog</h1>"
        f"<p>Each answers at its link; add parameters as <code>?name=value</code>. "
        f'Ad hoc SPARQL: <a href="{html.escape(context.url("sparql"), quote=True)}">sparql</a>.</p>'
        f"<ul>{''.join(items)}</ul></body></html>\n"
    )
