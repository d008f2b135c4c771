"""`/graph-store`: the SPARQL 1.1 Graph Store HTTP Protocol, read only.

`GET /graph-store?graph=IRI` answers with one named graph of the store, `GET
/graph-store?default` with the default graph (what the build put there); in Turtle, N-Triples
or JSON-LD by `Accept`. A graph the store does not hold is a 404; writes (PUT, POST, DELETE,
PATCH) are refused (405), as are graphs larger than the server's result limit (422).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from citykg.rdf.iris import rfc3987_iri
from citykg.rdf.serialize import serialize_triples
from citykg.serve.addresses import Addresses
from citykg.serve.context import ServeContext
from citykg.serve.describe import store_base
from citykg.serve.live_store import LiveStore
from citykg.serve.rdf_answers import Wanted, rdf_response
from citykg.serve.responses import Refused
from citykg.store import subjects
from citykg.store.subjects import Readable

PATH = "/graph-store"
WRITES = ["PUT", "POST", "DELETE", "PATCH"]


def read_only() -> Refused:
    return Refused(
        405,
        "the graph store is read-only: graphs are changed with citykg build or citykg submit",
        headers={"Allow": "GET, HEAD"},
    )


async def graph_store(request: Request, context: ServeContext, live: LiveStore) -> Response:
    if request.method in WRITES:
        raise read_only()
    named = request.query_params.getlist("graph")
    default = "default" in request.query_params
    if len(named) > 1 or (named and default):
        raise Refused(400, "name one graph: ?graph=IRI or ?default")
    if not named and not default:
        raise Refused(
            400,
            "name the graph to read: ?graph=IRI (a named graph of the store) or ?default",
            hint="SELECT DISTINCT ?g WHERE { GRAPH ?g {} } at " + context.url("sparql") + " lists them",
        )
    given = named[0] if named else None
    limit = context.config.limits.max_results

    def render(store: Readable, want: Wanted) -> bytes | None:
        assert want.fmt is not None
        if given is None:
            quads = subjects.default_graph_triples(store)
        else:
            name = Addresses(store_base(store), context.config.url).iri_of(given)
            if not rfc3987_iri(name) or not subjects.is_named_graph(store, name):
                return None
            quads = subjects.graph_triples(store, name)
        check_size(len(quads), limit)
        return serialize_triples((q.triple for q in quads), want.fmt)

    missing = Refused(
        404, f"the store holds no graph named {given}", hint="GET ?default for the default graph"
    )
    return await rdf_response(
        request, context, live, ("graph-store", given or ""), render, missing=missing, html=False
    )


def check_size(triples: int, limit: int) -> None:
    if triples > limit:
        raise Refused(
            422,
            f"this graph has {triples:,} triples; this server answers with at most {limit:,}",
            hint="ask the SPARQL endpoint for the part you need, or use citykg export",
        )
