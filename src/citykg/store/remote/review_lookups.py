"""The review's lookups (workflow/review.py) on a remote store: its parameters sent as a
`VALUES` block (a SPARQL endpoint takes no substitutions), a graph IRI given for a parameter
that names a graph sent as its physical name, so that `FILTER(?g != ?replacing)` compares
like with like; the rows come back with graph IRIs (RemoteStore writes them back)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.term import Node

from citykg.errors import StoreError
from citykg.rdf.convert import to_ox
from citykg.store.remote.reading import RemoteStore

#: the review's parameters whose value is a graph IRI (compared with `GRAPH ?g`)
GRAPH_PARAMETERS = frozenset({"replacing"})


class LookupStore:
    """A GraphStore over a remote store's live generation for the per-submission checks."""

    def __init__(self, remote: RemoteStore) -> None:
        self.remote = remote

    def close(self) -> None:
        self.remote.client.close()

    def query(
        self,
        sparql: str,
        *,
        substitutions: dict[str, Node] | None = None,
        extra_graphs: list[URIRef] | None = None,
        own_dataset: bool = False,
        dataset: tuple[list[URIRef], list[URIRef]] | None = None,
    ) -> object:
        text = with_values(sparql, self._terms(substitutions or {}))
        return self.remote.query(text, extra_graphs=extra_graphs, own_dataset=own_dataset, dataset=dataset)

    def _terms(self, substitutions: Mapping[str, Node]) -> dict[str, str]:
        terms = {}
        for name, value in substitutions.items():
            term = to_ox(value)
            if name in GRAPH_PARAMETERS and isinstance(term, ox.NamedNode):
                term = ox.NamedNode(self.remote.generation.physical(term.value) or term.value)
            terms[name] = str(term)
        return terms

    def has_graph(self, name: URIRef) -> bool:
        return self.remote.has_graph(name)

    def named_graphs(self) -> list[URIRef]:
        return self.remote.named_graphs()

    def graph(self, name: URIRef) -> Graph:
        return self.remote.graph(name)

    def quads(self, graphs: list[URIRef] | None = None) -> Iterator[ox.Quad]:
        return self.remote.quads(graphs)

    def replace_graphs(
        self, graphs: Mapping[URIRef, Graph | None], *, derived: frozenset[URIRef] = frozenset()
    ) -> None:
        raise StoreError("a remote store is changed by a new generation, not in place")


def with_values(sparql: str, terms: Mapping[str, str]) -> str:
    """`sparql` with its variables bound by one VALUES row at the start of its WHERE group."""
    if not terms:
        return sparql
    at = sparql.find("WHERE {")
    if at < 0:
        raise StoreError("a parameterised lookup needs a WHERE { ... } group")
    names = " ".join(f"?{name}" for name in terms)
    values = " ".join(terms.values())
    cut = at + len("WHERE {")
    return f"{sparql[:cut]} VALUES ({names}) {{ ({values}) }}{sparql[cut:]}"
