"""A query's answer as an HTTP response: the format chosen by `Accept` (406 for none that fits),
a 304 for a client that holds this generation's answer, the ETag of the generation read."""

from __future__ import annotations

import math
from dataclasses import replace

from starlette.requests import Request
from starlette.responses import Response

from citykg.serve.context import ServeContext
from citykg.serve.negotiation import GRAPH_OFFERS, ROW_OFFERS, choose, content_type, media_type_of
from citykg.serve.responses import Refused
from citykg.serve.worker import Job


def etag(generation: str) -> str:
    """The ETag of every answer read from one generation: weak, since the answers of one
    generation differ by format (`Vary: Accept`)."""
    return f'W/"{generation}"'


def not_modified(request: Request, generation: str) -> Response | None:
    """A 304 when the client's If-None-Match names this generation's ETag (GET and HEAD only)."""
    if request.method not in ("GET", "HEAD"):
        return None
    header = request.headers.get("if-none-match")
    if header is None:
        return None
    tags = {t.strip().removeprefix("W/") for t in header.split(",")}
    if "*" in tags or etag(generation).removeprefix("W/") in tags:
        return Response(status_code=304, headers={"ETag": etag(generation), "Vary": "Accept"})
    return None


def requested_timeout(value: str | None) -> float | None:
    """A client's `timeout` parameter (seconds, as Fuseki takes it): a number above 0."""
    if value is None or value == "":
        return None
    try:
        seconds = float(value)
    except ValueError:
        seconds = math.nan
    if not (math.isfinite(seconds) and seconds > 0):
        raise Refused(400, f"timeout must be a number of seconds above 0, not {value!r}")
    return seconds


def requested_inferred(value: str | None) -> bool:
    """A client's `inferred` parameter: true (the default) or false (the asserted graphs only)."""
    if value is None or value.lower() == "true":
        return True
    if value.lower() == "false":
        return False
    raise Refused(400, f"inferred must be true or false, not {value!r}")


def formats_or_406(job: Job, accept: str | None) -> Job:
    """`job` with the formats the client accepts for rows and for graphs."""
    rows, graph = choose(ROW_OFFERS, accept), choose(GRAPH_OFFERS, accept)
    if rows is None and graph is None:
        raise _not_acceptable(accept, None)
    return replace(job, rows=rows.value if rows else None, graph=graph.value if graph else None)


async def answer_response(
    request: Request,
    context: ServeContext,
    job: Job,
    *,
    timeout: float | None = None,
    accept: str | None = None,
) -> Response:
    """Answer `job` (a query without formats) as the client's Accept header asks (or `accept`,
    a media type the request names otherwise: a download link's `?format=`)."""
    accept = accept or request.headers.get("accept")
    job = replace(formats_or_406(job, accept), max_results=context.config.limits.max_results)
    unchanged = not_modified(request, await context.generation())
    if unchanged is not None:
        return unchanged
    found = await context.answer(job, timeout=timeout)
    if found.fmt is None:
        raise _not_acceptable(accept, "rows" if job.rows is None else "a graph")
    headers = {
        "ETag": etag(found.generation),
        "Vary": "Accept",
        "X-Cache": "hit" if found.from_cache else "miss",
    }
    return Response(found.body, media_type=content_type(media_type_of(found.fmt)), headers=headers)


def _not_acceptable(accept: str | None, what: str | None) -> Refused:
    """406: the client accepts no format this server gives (for `what` the query answers with)."""
    if what is None:
        offers = ROW_OFFERS + GRAPH_OFFERS
        message = f"none of the formats asked for ({accept}) is one this server gives"
    else:
        offers = ROW_OFFERS if what == "rows" else GRAPH_OFFERS
        message = f"this query answers with {what}, which cannot be given as {accept}"
    types = ", ".join(dict.fromkeys(o.media_type for o in offers))
    return Refused(406, message, hint=f"ask for one of: {types}")
