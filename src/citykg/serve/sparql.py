"""`/sparql`: the SPARQL 1.1 Protocol, read only.

A query comes by GET (`?query=`), by POST of a form (`application/x-www-form-urlencoded`)
or by POST of the query itself (`application/sparql-query`); `default-graph-uri` and
`named-graph-uri` choose graphs of the store (never fetched: a name the store does not hold
is refused); `timeout` (seconds) shortens the time limit. An update is refused (403). GET
without a query answers with the service description. A browser (a request asking for HTML
before the formats for machines) gets the SPARQL page instead (catalog_pages.py), with the
answer as a table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from urllib.parse import parse_qsl

from rdflib import URIRef
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from citykg.queries.safety import Dataset
from citykg.serve.answers import answer_response, requested_inferred, requested_timeout
from citykg.serve.catalog_pages import Pages, wants_page
from citykg.serve.context import ServeContext
from citykg.serve.responses import Refused
from citykg.serve.service_description import service_description
from citykg.serve.worker import Job

FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"

_READ_ONLY = Refused(
    403,
    "this endpoint is read-only: SPARQL updates are not accepted",
    hint="change the store with citykg build or citykg submit",
)


def routes(context: ServeContext) -> Sequence[BaseRoute]:
    pages = Pages(context)

    async def endpoint(request: Request) -> Response:
        return await sparql_endpoint(request, context, pages)

    return [Route("/sparql", endpoint, methods=["GET", "POST"], name="sparql")]


async def sparql_endpoint(request: Request, context: ServeContext, pages: Pages) -> Response:
    """Answer a SPARQL request; a browser's (one that asks for HTML first) with the HTML page."""
    limits = context.config.limits
    browser = wants_page(request.headers.get("accept"))
    params: list[tuple[str, str]] = list(request.query_params.multi_items())
    query: str | None = None
    if request.method == "POST":
        kind = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        if kind == UPDATE:
            raise _READ_ONLY
        if kind not in (FORM, QUERY):
            raise Refused(
                415,
                f"a SPARQL query is posted as {FORM} or {QUERY}, not {kind or 'without a Content-Type'}",
            )
        body = _text(await read_body(request, limits.max_body_bytes))
        if kind == FORM:
            params += parse_qsl(body, keep_blank_values=True)
        else:
            query = body
    values = _group(params)
    if "update" in values:
        raise _READ_ONLY
    if query is None:
        queries = values.get("query", [])
        if len(queries) > 1:
            raise Refused(400, "give the query once (the request has several 'query' parameters)")
        if not queries:
            if request.method == "POST":
                raise Refused(400, "the request has no query", hint="send it as the 'query' parameter")
            if browser:
                return await pages.sparql(None, None, None)
            return await service_description(request, context)
        query = queries[0]
    elif "query" in values:
        raise Refused(400, f"a {QUERY} body is the query; give no 'query' parameter beside it")
    if len(query) > limits.max_query_chars:
        status = 414 if request.method == "GET" else 413
        raise Refused(
            status,
            f"the query is {len(query):,} characters long; "
            f"this server takes at most {limits.max_query_chars:,}",
            hint="shorten it" + (", or POST it" if status == 414 else ""),
        )
    job = Job(
        text=query,
        dataset=_dataset(values),
        include_inferred=requested_inferred(_one(values, "inferred")),
    )
    timeout = requested_timeout(_one(values, "timeout"))
    if browser:
        return await pages.sparql(query, replace(job, max_results=limits.max_results), timeout)
    return await answer_response(request, context, job, timeout=timeout)


async def read_body(request: Request, limit: int) -> bytes:
    """The request's body, refused (413) as soon as it is longer than `limit` bytes."""
    too_long = Refused(413, f"the request body is over {limit:,} bytes, the limit of this server")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_long
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_long
        chunks.append(chunk)
    return b"".join(chunks)


def _text(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Refused(400, f"the request body is not UTF-8 text (byte {exc.start})") from None


def _group(params: list[tuple[str, str]]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for key, value in params:
        grouped.setdefault(key, []).append(value)
    return grouped


def _one(values: dict[str, list[str]], name: str) -> str | None:
    given = values.get(name, [])
    if len(given) > 1:
        raise Refused(400, f"give {name} once")
    return given[0] if given else None


def _dataset(values: dict[str, list[str]]) -> Dataset | None:
    default = tuple(URIRef(v) for v in values.get("default-graph-uri", []))
    named = tuple(URIRef(v) for v in values.get("named-graph-uri", []))
    return Dataset(default, named) if default or named else None
