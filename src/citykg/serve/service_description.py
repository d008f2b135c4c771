"""The SPARQL 1.1 Service Description of `/sparql` (what GET without a query answers): the
endpoint, the language, the result formats, and the store's graphs as its dataset."""

from __future__ import annotations

from rdflib import BNode, Graph, Namespace, URIRef
from rdflib.namespace import RDF
from starlette.requests import Request
from starlette.responses import Response

from citykg.rdf.serialize import serialize_graph
from citykg.serve.answers import etag, not_modified
from citykg.serve.context import ServeContext
from citykg.serve.negotiation import GRAPH_OFFERS, choose, content_type
from citykg.serve.responses import Refused
from citykg.serve.worker import Answer, Job

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")

_RESULT_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV")
_GRAPH_FORMATS = ("Turtle", "N-Triples", "JSON-LD")
_GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { } } ORDER BY ?g"


async def service_description(request: Request, context: ServeContext) -> Response:
    offer = choose(GRAPH_OFFERS, request.headers.get("accept"))
    if offer is None:
        raise Refused(
            406,
            "the service description is RDF",
            hint="ask for one of: " + ", ".join(o.media_type for o in GRAPH_OFFERS),
        )
    generation = await context.generation()
    unchanged = not_modified(request, generation)
    if unchanged is not None:
        return unchanged
    key = ("service-description", offer.value)
    found = context.cache.get(generation, key)
    if found is None:
        graphs = await context.answer(Job(text=_GRAPHS, include_inferred=False))
        assert graphs.result is not None
        names = [URIRef(str(row["g"])) for row in graphs.result.rows]
        body = serialize_graph(description(context.url("sparql"), names), offer.value)
        found = Answer(graphs.generation, body, offer.value)
        context.cache.put(key, found)
    headers = {"ETag": etag(found.generation), "Vary": "Accept"}
    return Response(found.body, media_type=content_type(offer.media_type), headers=headers)


def description(endpoint: str, graphs: list[URIRef]) -> Graph:
    graph = Graph()
    service = URIRef(endpoint)
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, service))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    for name in (*_RESULT_FORMATS, *_GRAPH_FORMATS):
        graph.add((service, SD.resultFormat, FORMATS[name]))
    dataset = BNode("dataset")
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    default = BNode("default")
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    for index, name in enumerate(graphs):
        named = BNode(f"graph{index}")
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, RDF.type, SD.NamedGraph))
        graph.add((named, SD.name, name))
    return graph
