"""Triples read from the store as an HTTP answer: Turtle, N-Triples, JSON-LD (citykg's context
inline) or, for a browser, an HTML page; chosen by `Accept` (or `?format=`), 406 for none of
them. Answers are kept in the server's cache per store generation and carry its ETag, as the
SPARQL answers do (answers.py), with a 304 for a client that holds them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from citykg.rdf.formats import ExportFormat
from citykg.serve.answers import etag, not_modified
from citykg.serve.context import ServeContext
from citykg.serve.live_store import LiveStore, generation_of
from citykg.serve.negotiation import GRAPH_OFFERS, accepts_html, choose, content_type, media_type_of
from citykg.serve.responses import Refused
from citykg.serve.worker import Answer
from citykg.store.subjects import Readable

HTML = "text/html"
_FORMATS = {"turtle": ExportFormat.TURTLE, "ntriples": ExportFormat.NTRIPLES, "jsonld": ExportFormat.JSONLD}


@dataclass(frozen=True)
class Wanted:
    """What the client asked for: an RDF format, or HTML (`fmt` None)."""

    fmt: ExportFormat | None

    @property
    def media_type(self) -> str:
        return HTML if self.fmt is None else media_type_of(self.fmt)


def wanted(request: Request, *, html: bool = True) -> Wanted:
    """The format of the answer: `?format=` when given, else by `Accept` (browsers get HTML
    when `html`); 406 when the client takes none of them."""
    given = request.query_params.get("format")
    if given is not None:
        choices = [*_FORMATS, "html"] if html else list(_FORMATS)
        if given not in choices:
            raise Refused(400, f"format must be one of {', '.join(choices)}, not {given!r}")
        return Wanted(_FORMATS.get(given))
    accept = request.headers.get("accept")
    if html and accepts_html(accept):
        return Wanted(None)
    offer = choose(GRAPH_OFFERS, accept)
    if offer is not None:
        return Wanted(offer.value)
    if html and accept is not None and "html" in accept:
        return Wanted(None)  # text/html at a lower quality than a type given nowhere
    types = [o.media_type for o in GRAPH_OFFERS] + ([HTML] if html else [])
    raise Refused(
        406,
        f"none of the formats asked for ({accept}) is one this server gives here",
        hint=f"ask for one of: {', '.join(types)}",
    )


Render = Callable[[Readable, Wanted], bytes | None]
"""Writes the answer read from the store in the wanted format; None: the store holds nothing (404)."""


async def rdf_response(
    request: Request,
    context: ServeContext,
    live: LiveStore,
    key: tuple[str, ...],
    render: Render,
    *,
    missing: Refused,
    html: bool = True,
) -> Response:
    """The answer `render` writes for `key` (what is asked for: a route and its IRI), from the
    cache when this generation gave it before."""
    want = wanted(request, html=html)
    store = await run_in_threadpool(live.get)  # a remote store's pointer is a request
    generation = generation_of(store)
    unchanged = not_modified(request, generation)
    if unchanged is not None:
        return unchanged
    cache_key = ("linked-data", *key, want.media_type)
    found = context.cache.get(generation, cache_key)
    if found is None:
        body = await run_in_threadpool(render, store, want)
        found = Answer(generation, body or b"", want.fmt)
        if body is not None:
            context.cache.put(cache_key, found)
        else:
            raise missing
    headers = {"ETag": etag(generation), "Vary": "Accept"}
    return Response(found.body, media_type=content_type(want.media_type), headers=headers)
