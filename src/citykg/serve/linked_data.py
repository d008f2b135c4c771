"""Linked data: every IRI the store mints answers GET at its URL (addresses.py), with its
description (describe.py) as Turtle, N-Triples, JSON-LD or an HTML page; besides, the JSON-LD
context at its IRI's path, the DCAT catalog and VoID description of the dataset, and the named
graphs through the Graph Store Protocol (graph_store.py). 404 for what the store does not hold.

`routes(context)` is the app's last route provider: its last route takes every path.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import unquote

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from citykg.rdf.jsonld import ALIAS_PATH, CONTEXT_PATH, context_path
from citykg.rdf.serialize import serialize_triples
from citykg.serve import graph_store
from citykg.serve.addresses import Addresses
from citykg.serve.context import ServeContext
from citykg.serve.dataset_description import DOCUMENTS, dataset_document
from citykg.serve.describe import Description, Kind, describe, labels_in, store_base
from citykg.serve.html_pages import page
from citykg.serve.pages import site
from citykg.serve.rdf_answers import Wanted, rdf_response
from citykg.serve.responses import Refused
from citykg.serve.term_pages import pointing_at
from citykg.store.subjects import Readable

JSONLD = "application/ld+json"


def routes(context: ServeContext) -> Sequence[BaseRoute]:
    live = context.live
    url = context.config.url

    def addresses(store: Readable) -> Addresses:
        return Addresses(store_base(store), url)

    async def json_ld_context(request: Request) -> Response:
        return Response(
            context_path().read_bytes(), media_type=JSONLD, headers={"Cache-Control": "max-age=86400"}
        )

    async def gsp(request: Request) -> Response:
        return await graph_store.graph_store(request, context, live)

    def dataset_route(which: str) -> Route:
        async def answer(request: Request) -> Response:
            def render(store: Readable, want: Wanted) -> bytes | None:
                iri, triples = dataset_document(store, which, url=url)
                if want.fmt is None:
                    described = Description(iri, Kind.RESOURCE, triples, (), labels=labels_in(triples))
                    return page(described, addresses(store), site(context)).encode("utf-8")
                return serialize_triples(triples, want.fmt)

            missing = Refused(404, "no dataset")  # never: every store describes itself
            return await rdf_response(request, context, live, ("dataset", which), render, missing=missing)

        return Route(DOCUMENTS[which], answer, methods=["GET"], name=f"linked-data-{which}")

    async def resource(request: Request) -> Response:
        path = request.path_params["path"]
        raw = request.scope.get("raw_path", b"").decode("latin-1")
        paths = list(dict.fromkeys([path, unquote(raw.removeprefix(context.config.root_path).lstrip("/"))]))
        limit = context.config.limits.max_results

        def render(store: Readable, want: Wanted) -> bytes | None:
            where = addresses(store)
            for candidate in (iri for p in paths for iri in where.iris(p)):
                described = describe(store, candidate)
                if described is not None:
                    break
            else:
                return None
            graph_store.check_size(len(described.triples), limit)
            if want.fmt is None:
                pointing = pointing_at(store, described)
                return page(described, where, site(context), pointing=pointing).encode("utf-8")
            return serialize_triples(described.triples, want.fmt)

        missing = Refused(
            404, f"the store holds nothing about {url}{path}", hint=f"see {context.url('catalog')}"
        )
        return await rdf_response(request, context, live, ("resource", path), render, missing=missing)

    return [
        Route("/" + CONTEXT_PATH, json_ld_context, methods=["GET"], name="json-ld-context"),
        Route("/" + ALIAS_PATH, json_ld_context, methods=["GET"], name="json-ld-context-alias"),
        Route(graph_store.PATH, gsp, methods=["GET", *graph_store.WRITES], name="graph-store"),
        *(dataset_route(which) for which in DOCUMENTS),
        Route("/{path:path}", resource, methods=["GET"], name="resource"),
    ]
