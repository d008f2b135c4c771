"""Reading a remote store: the live generation, whose graphs every query selects explicitly
(`default-graph-uri`, `named-graph-uri`), so the server's other data never enters an answer.
Physical graph names are written back as the graph IRIs they stand for."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.term import Node

from citykg.errors import StoreDamaged, StoreError
from citykg.rdf.convert import graph_of
from citykg.rdf.iris import IRIs
from citykg.store.generations import iris_for
from citykg.store.remote.client import SparqlClient
from citykg.store.remote.generations import ASSERTED_VIEW, Generation, live_iri, read_generation
from citykg.store.remote.locator import RemoteLocation

_ONTOLOGY_GRAPH = "graph/ontology"
#: under the prefix, the graph a query names for one the embedded store would not have
_NOWHERE = "no-such-graph"


class RemoteStore:
    """The live generation of a remote store, read through its SPARQL endpoint."""

    def __init__(self, client: SparqlClient, generation: Generation) -> None:
        self.client = client
        self.generation = generation

    @property
    def name(self) -> str:
        return self.generation.name

    @property
    def base(self) -> str | None:
        """The base IRI the store was built with (its ontology graph is `<base>graph/ontology`)."""
        for graph in self.generation.graphs:
            if graph.endswith(_ONTOLOGY_GRAPH):
                return graph[: -len(_ONTOLOGY_GRAPH)]
        return None

    def query(
        self,
        sparql: str,
        *,
        substitutions: dict[str, Node] | None = None,
        extra_graphs: list[URIRef] | None = None,
        own_dataset: bool = False,
        dataset: tuple[list[URIRef], list[URIRef]] | None = None,
        timeout: float | None = None,
    ) -> object:
        """As `OxigraphStore.query`: over the generation's default graph plus `extra_graphs`, or
        over `dataset`; `own_dataset` (the query's FROM / FROM NAMED) is given as `dataset`."""
        if substitutions:
            raise StoreError("a remote store takes parameters as VALUES, not substitutions")
        if own_dataset:
            raise StoreError("a remote store needs the query's graphs as a dataset")
        # the named graphs only for a query that can use them: the list is long (a graph per
        # submission), and a catalog query reads the default graph alone
        named = (
            [p for g, p in self.generation.graphs.items() if g != ASSERTED_VIEW]
            if "graph" in sparql.lower()
            else []
        )
        if dataset is not None:
            default = [self._physical(g) for g in dataset[0]]
            named = [self._physical(g) for g in dataset[1]] or named
        else:
            # decision 1304: the default graph holds the asserted and the inferred triples (a
            # query with inference reads it alone); a query without reads the asserted view
            default = [self.generation.default if extra_graphs else self._asserted_view()]
        if named and f"<{self.nowhere}>" in sparql:  # a GRAPH renamed by `name_there`
            named = [*named, self.nowhere]
        result = self.client.query(sparql, default_graphs=default, named_graphs=named, timeout=timeout)
        if isinstance(result, ox.QuerySolutions):
            return self._logical_rows(result) if named else result
        if isinstance(result, list):
            logical = self.generation.logical()
            return [ox.Triple(*(_named(t, logical) for t in triple)) for triple in result]
        return result

    def name_there(self, graph: str) -> str:
        """The name a query must give the graph `graph` on the server: its physical graph's;
        any other IRI (a graph the store does not hold, a physical name) names the one graph
        citykg never writes, `nowhere`, which every query naming it has in its dataset: so
        `GRAPH <...>` in ad hoc SPARQL matches nothing, as on the embedded store (Virtuoso 7
        answers one empty solution for a GRAPH outside the dataset, measured)."""
        physical = self.generation.physical(graph) if graph != ASSERTED_VIEW else None
        return physical if physical is not None else self.nowhere

    @property
    def nowhere(self) -> str:
        """The graph under the prefix that citykg never writes (`name_there`)."""
        return f"{self.client.location.prefix}{_NOWHERE}"

    def _physical(self, graph: URIRef) -> str:
        found = self.generation.physical(str(graph))
        if found is None:
            raise StoreError(f"the store holds no graph <{graph}>")
        return found

    def _logical_rows(self, result: ox.QuerySolutions) -> ox.QuerySolutions:
        """The rows with each physical graph name replaced by the graph IRI it stands for."""
        logical = self.generation.logical()
        names = [v.value for v in result.variables]
        bindings: list[dict[str, Any]] = []
        for row in result:
            out = {}
            for name, term in zip(names, row, strict=True):
                if term is not None:
                    out[name] = _json_term(_named(term, logical))
            bindings.append(out)
        data = json.dumps({"head": {"vars": names}, "results": {"bindings": bindings}})
        parsed = ox.parse_query_results(data.encode(), format=ox.QueryResultsFormat.JSON)
        assert isinstance(parsed, ox.QuerySolutions)
        return parsed

    def has_graph(self, name: URIRef) -> bool:
        return str(name) in self.generation.graphs

    def named_graphs(self) -> list[URIRef]:
        return sorted(URIRef(g) for g in self.generation.graphs if g != ASSERTED_VIEW)

    def graph(self, name: URIRef) -> Graph:
        physical = self.generation.physical(str(name))
        return graph_of(self.client.graph_triples(physical)) if physical else Graph()

    def quads(self, graphs: list[URIRef] | None = None) -> Iterator[ox.Quad]:
        """The quads of the given graphs (all of them when None), one request per graph."""
        for name in graphs if graphs is not None else self.named_graphs():
            physical = self.generation.physical(str(name))
            if physical is not None:
                node = ox.NamedNode(str(name))
                for triple in self.client.graph_triples(physical):
                    yield ox.Quad(triple.subject, triple.predicate, triple.object, node)

    def default_triples(self) -> Iterator[ox.Triple]:
        """The triples of the generation's default graph."""
        return self.client.graph_triples(self.generation.default)

    def asserted_view_triples(self) -> Iterator[ox.Triple]:
        """The triples of the generation's asserted view (`ASSERTED_VIEW`)."""
        return self.client.graph_triples(self._asserted_view())

    def _asserted_view(self) -> str:
        view = self.generation.physical(ASSERTED_VIEW)
        if view is None:  # its default graph is the asserted union: it cannot answer as this citykg
            raise StoreError(
                "the live generation of this remote store was written by an earlier citykg, "
                "before the store's shape of decision 1304",
                where=self.client.location.query,
                hint="run citykg build again into it",
            )
        return view


def open_remote(location: RemoteLocation) -> RemoteStore:
    """The live generation of the remote store at `location`.

    :raises StoreError: when it holds no citykg store under its prefix yet.
    """
    client = SparqlClient(location)
    live = live_iri(client)
    if live is None:
        client.close()
        raise StoreError(
            f"no citykg store here yet (no graphs under {location.prefix})",
            where=str(location),
            hint="build one first: citykg build data/ --store ...",
        )
    return RemoteStore(client, read_generation(client, live))


def _named(term: Any, logical: dict[str, str]) -> Any:
    if isinstance(term, ox.NamedNode) and term.value in logical:
        return ox.NamedNode(logical[term.value])
    return term


def _json_term(term: Any) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        out["datatype"] = term.datatype.value
    return out


def remote_iris(location: RemoteLocation, base: str | None, *, replacing: bool = False) -> IRIs:
    """As `store_iris`, for a remote store: the base it was built with, else `base`."""
    with SparqlClient(location) as client:
        live = live_iri(client)
        try:
            stored = RemoteStore(client, read_generation(client, live)).base if live else None
        except StoreDamaged:
            if not replacing:
                raise
            stored = None  # a rebuild replaces a damaged store: the base given, or the default
    return iris_for(stored, base, replacing=replacing, where=str(location))
