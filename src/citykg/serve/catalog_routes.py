"""`/queries` (the catalog, as JSON or an HTML page) and `/queries/NAME?param=value` (a
catalog query's answer, its parameters bound as `citykg query NAME -p param=value` binds
them, never written into the query text)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from citykg.queries.catalog import CatalogQuery, catalog
from citykg.serve.answers import answer_response, requested_inferred, requested_timeout
from citykg.serve.catalog_pages import Pages, format_accept, wants_page
from citykg.serve.context import ServeContext
from citykg.serve.negotiation import accepts_html
from citykg.serve.responses import Refused
from citykg.serve.worker import Job

#: parameters of the server, not of the query: every other one is the query's (`format`: a
#: download link's way of asking for CSV, JSON... where it cannot send an Accept header)
RESERVED = ("timeout", "inferred", "format")


def routes(context: ServeContext) -> Sequence[BaseRoute]:
    queries = catalog()
    pages = Pages(context)

    async def listing(request: Request) -> Response:
        if accepts_html(request.headers.get("accept")):
            return pages.listing(queries)
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
        timeout = requested_timeout(server.get("timeout"))
        if "format" in server:
            accept = format_accept(server["format"])
            return await answer_response(request, context, job, timeout=timeout, accept=accept)
        if wants_page(request.headers.get("accept")):
            limited = replace(job, max_results=context.config.limits.max_results)
            return await pages.query(queries[name], params, server, limited, timeout)
        return await answer_response(request, context, job, timeout=timeout)

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
