"""The store: named graphs in an embedded, persistent Oxigraph database.

One small interface (`GraphStore`) so that a remote SPARQL 1.1 triplestore can replace it.
A store folder holds generations (`gen-000001/`, ...) and a `CURRENT` file naming the live
one; a build writes a new generation and then replaces `CURRENT` atomically, so a failed or
killed build leaves the previous store as it was.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.term import Node

from citykg.errors import QueryError
from citykg.rdf.convert import graph_of, quads_of, to_ox
from citykg.rdf.terms import ONTOLOGY_IRI, OWL, RDF
from citykg.store.locks import ReaderLock

# ------------------------------------------------------------------ term conversion


# ------------------------------------------------------------------ the interface


class GraphStore(Protocol):
    """What the rest of citykg needs from a store."""

    def query(
        self,
        sparql: str,
        *,
        substitutions: dict[str, Node] | None = None,
        extra_graphs: list[URIRef] | None = None,
        own_dataset: bool = False,
        dataset: tuple[list[URIRef], list[URIRef]] | None = None,
    ) -> object: ...

    def named_graphs(self) -> list[URIRef]: ...

    def graph(self, name: URIRef) -> Graph: ...

    def quads(self, graphs: list[URIRef] | None = None) -> Iterator[ox.Quad]: ...

    def replace_graphs(
        self, graphs: Mapping[URIRef, Graph | None], *, derived: frozenset[URIRef] = frozenset()
    ) -> None: ...


class OxigraphStore:
    """A GraphStore over a pyoxigraph Store (on disk, or in memory when path is None).

    The default graph is kept equal to the set union of the named graphs that hold asserted
    data. Oxigraph's union-of-graphs query mode would repeat a triple once per graph holding
    it (a city's wave, country and people appear in several submissions), which makes counts
    and sums wrong; a stored default graph is a true set.
    """

    def __init__(self, store: ox.Store, location: Path | None = None, *, holding: ReaderLock | None = None):
        self.store = store
        self.location = location
        #: the generation's readers' lock, held for as long as this store is (store/locks.py)
        self.holding = holding

    def query(
        self,
        sparql: str,
        *,
        substitutions: dict[str, Node] | None = None,
        extra_graphs: list[URIRef] | None = None,
        own_dataset: bool = False,
        dataset: tuple[list[URIRef], list[URIRef]] | None = None,
    ) -> object:
        """Run a query over the default graph plus `extra_graphs` (such as the inferred graph,
        which holds only triples not asserted, so the two stay a set), with `own_dataset`
        over the graphs the query names in FROM / FROM NAMED, or over `dataset` (its default
        graph's graphs and its named graphs, replacing what the query names)."""
        subs = {ox.Variable(k): to_ox(v) for k, v in (substitutions or {}).items()}
        default: list[ox.NamedNode | ox.DefaultGraph] | None = None
        named: list[ox.NamedNode] | None = None
        if dataset is not None:
            default = [ox.NamedNode(str(g)) for g in dataset[0]]
            named = [ox.NamedNode(str(g)) for g in dataset[1]]
        elif not own_dataset:
            default = [ox.DefaultGraph()]
            default += [ox.NamedNode(str(g)) for g in extra_graphs or [] if self.has_graph(g)]
        try:
            return self.store.query(
                sparql,
                default_graph=default,  # type: ignore[arg-type]
                named_graphs=named,  # type: ignore[arg-type]
                substitutions=subs or None,  # type: ignore[arg-type]
            )
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {exc}", hint="check the query text") from exc

    def has_graph(self, name: URIRef) -> bool:
        return bool(self.store.contains_named_graph(ox.NamedNode(str(name))))

    def named_graphs(self) -> list[URIRef]:
        return sorted(URIRef(g.value) for g in self.store.named_graphs() if isinstance(g, ox.NamedNode))

    def graph(self, name: URIRef) -> Graph:
        return graph_of(self.store.quads_for_pattern(None, None, None, ox.NamedNode(str(name))))

    def quads(self, graphs: list[URIRef] | None = None) -> Iterator[ox.Quad]:
        """The quads of the given named graphs (all named graphs when None)."""
        if graphs is None:
            for quad in self.store.quads_for_pattern(None, None, None, None):
                if not isinstance(quad.graph_name, ox.DefaultGraph):
                    yield quad
            return
        for name in graphs:
            yield from self.store.quads_for_pattern(None, None, None, ox.NamedNode(str(name)))

    def replace_graphs(
        self, graphs: Mapping[URIRef, Graph | None], *, derived: frozenset[URIRef] = frozenset()
    ) -> None:
        """Replace (or, for None, remove) named graphs, keeping the default graph the set union
        of the named graphs not in `derived`.

        Several steps, not one transaction: citykg only changes a generation that is not live
        yet (build_new_generation, branch_generation), so nobody sees it half done. Terms go in
        through the API, not as SPARQL text, so graphs with blank nodes (the ontology) work.
        """
        default = ox.DefaultGraph()
        not_holding = {default, *(ox.NamedNode(str(g)) for g in derived)}
        for name, graph in graphs.items():
            node = ox.NamedNode(str(name))
            if name not in derived:
                for quad in list(self.store.quads_for_pattern(None, None, None, node)):
                    holders = self.store.quads_for_pattern(quad.subject, quad.predicate, quad.object, None)
                    if not any(h.graph_name != node and h.graph_name not in not_holding for h in holders):
                        self.store.remove(ox.Quad(quad.subject, quad.predicate, quad.object, default))
            self.store.remove_graph(node)
            if graph is None:
                continue
            quads = list(quads_of(graph, name))
            self.store.bulk_extend(quads)
            if name not in derived:
                self.store.bulk_extend([ox.Quad(q.subject, q.predicate, q.object, default) for q in quads])

    def rebuild_union(self, *, derived: frozenset[URIRef] = frozenset()) -> None:
        """Make the default graph the set union of every named graph not in `derived`."""
        self.store.clear_graph(ox.DefaultGraph())
        skip = {ox.NamedNode(str(g)) for g in derived}
        default = ox.DefaultGraph()
        self.store.bulk_extend(
            [
                ox.Quad(q.subject, q.predicate, q.object, default)
                for q in self.store.quads_for_pattern(None, None, None, None)
                if q.graph_name != default and q.graph_name not in skip
            ]
        )

    def flush(self) -> None:
        self.store.flush()


def memory_store() -> OxigraphStore:
    return OxigraphStore(ox.Store())


# ------------------------------------------------------------------ the base IRI it was built with


def base_of(store: OxigraphStore) -> str | None:
    """The base IRI a store was built with: its ontology graph, the one that declares the
    ontology, is `<base>graph/ontology` (one index lookup, whatever the number of graphs)."""
    declared = store.store.quads_for_pattern(
        ox.NamedNode(ONTOLOGY_IRI), ox.NamedNode(str(RDF.type)), ox.NamedNode(str(OWL.Ontology)), None
    )
    for quad in declared:
        name = quad.graph_name
        if isinstance(name, ox.NamedNode) and name.value.endswith("/graph/ontology"):
            return name.value[: -len("graph/ontology")]
    return None
