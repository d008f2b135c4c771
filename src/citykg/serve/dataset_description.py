"""The served dataset describes itself at its IRIs: the DCAT catalog (`<base>catalog`), the
dataset with its VoID statistics (`<base>dataset`) and the VoID description at
`/.well-known/void` (RFC 5785 / the VoID guide's well-known path).

The same graphs as `citykg publish` writes (export/dcat.py), computed from the asserted named
graphs of the live generation, with this server's access points in place of files: the SPARQL
endpoint as a `dcat:DataService` and a distribution, and the default graph through the Graph
Store Protocol as a download.
"""

from __future__ import annotations

import threading

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef

from citykg.export.dcat import IANA, Description, coverage, describe, void
from citykg.export.selection import Selection, selected_quads
from citykg.rdf.convert import quads_of
from citykg.rdf.iris import IRIs
from citykg.rdf.terms import DCAT, DCTERMS, RDF, VOID
from citykg.serve.describe import store_base
from citykg.serve.live_store import generation_of
from citykg.store.subjects import Readable

SPARQL_PROTOCOL = URIRef("https://www.w3.org/TR/sparql11-protocol/")
GRAPH_STORE_PROTOCOL = URIRef("https://www.w3.org/TR/sparql11-http-rdf-update/")

DOCUMENTS = {"catalog": "/catalog", "dataset": "/dataset", "void": "/.well-known/void"}
"""What is served where: the catalog, the dataset (DCAT and VoID), the VoID description."""

_computed: dict[tuple[str, str], tuple[Graph, Graph]] = {}  # the last generation's, per URL
_computing = threading.Lock()


def dataset_document(store: Readable, which: str, *, url: str) -> tuple[str, list[ox.Triple]]:
    """The IRI and the triples of one of DOCUMENTS (computed once per generation: VoID counts
    the whole store)."""
    base = store_base(store)
    key = (generation_of(store), url)
    with _computing:
        if key not in _computed:
            _computed.clear()
            _computed[key] = dataset_graphs(store, base=base, url=url)
        catalog, statistics = _computed[key]
    graph = {"catalog": catalog, "dataset": catalog + statistics, "void": statistics}[which]
    iri = base + ("catalog" if which == "catalog" else "dataset")
    return iri, [q.triple for q in quads_of(graph, URIRef(url))]


def dataset_graphs(store: Readable, *, base: str, url: str) -> tuple[Graph, Graph]:
    """The DCAT catalog and the VoID description of the store served at `url`.

    VoID counts every triple, distinct subject and class of the store, so this reads every
    graph; on a remote store that is one Graph Store `GET` per graph, once per generation."""
    iris = IRIs(base)
    quads = selected_quads(store, Selection(), iris=iris)
    published = ox.Store()
    published.bulk_extend(quads)
    catalog = describe([], coverage(published), Description(), iris=iris)
    statistics = void(quads, [], iris=iris)
    dataset = URIRef(base + "dataset")
    endpoint = URIRef(url + "sparql")
    dump = URIRef(url + "graph-store?default")
    service = URIRef(base + "dataset/service/sparql")
    catalog.add((URIRef(base + "catalog"), DCAT.service, service))
    catalog.add((service, RDF.type, DCAT.DataService))
    catalog.add((service, DCTERMS.title, Literal("SPARQL 1.1 endpoint", lang="en")))
    catalog.add((service, DCAT.endpointURL, endpoint))
    catalog.add((service, DCAT.servesDataset, dataset))
    catalog.add((service, DCTERMS.conformsTo, SPARQL_PROTOCOL))
    for name, title, location, access in (
        ("sparql", "The knowledge graph through its SPARQL 1.1 endpoint", endpoint, service),
        ("default-graph", "The default graph in Turtle (SPARQL 1.1 Graph Store Protocol)", dump, None),
    ):
        distribution = URIRef(f"{base}dataset/distribution/{name}")
        catalog.add((dataset, DCAT.distribution, distribution))
        catalog.add((distribution, RDF.type, DCAT.Distribution))
        catalog.add((distribution, DCTERMS.title, Literal(title, lang="en")))
        catalog.add((distribution, DCAT.accessURL, location))
        if access is not None:
            catalog.add((distribution, DCAT.accessService, access))
        else:
            catalog.add((distribution, DCAT.downloadURL, location))
            catalog.add((distribution, DCAT.mediaType, URIRef(IANA + "text/turtle")))
            catalog.add((distribution, DCTERMS.conformsTo, GRAPH_STORE_PROTOCOL))
    statistics.add((dataset, VOID.sparqlEndpoint, endpoint))
    statistics.add((dataset, VOID.dataDump, dump))
    return catalog, statistics
