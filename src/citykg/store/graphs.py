"""The store: named graphs in an embedded, persistent Oxigraph database.

One small interface (`GraphStore`) so that a remote SPARQL 1.1 triplestore can replace it.
A store folder holds generations (`gen-000001/`, ...) and a `CURRENT` file naming the live
one; a build writes a new generation and then replaces `CURRENT` atomically, so a failed or
killed build leaves the previous store as it was.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.term import Node

from citykg.errors import QueryError
from citykg.rdf.convert import graph_of, quads_of, to_ox
from citykg.rdf.terms import CKG, ONTOLOGY_IRI, OWL, RDF
from citykg.store.locks import ReaderLock

# ------------------------------------------------------------------ term conversion


# ------------------------------------------------------------------ the interface


class GraphReader(Protocol):
    """What the readers of a store (export, the dataset's description) need of it: an
    embedded store or a remote one (store/remote/reading.py)."""

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


class GraphStore(GraphReader, Protocol):
    """What the rest of citykg needs from a store."""

    def replace_graphs(
        self, graphs: Mapping[URIRef, Graph | None], *, derived: frozenset[URIRef] = frozenset()
    ) -> None: ...


class OxigraphStore:
    """A GraphStore over a pyoxigraph Store (on disk, or in memory when path is None).

    The store's shape (docs/decisions/1304): the named graphs hold the submissions (asserted
    facts with their ckg:Evidence records), the ontology, the vocabularies and the inferred
    graph; the default graph holds what queries read in ONE graph: the triples of the asserted
    graphs that are not about an evidence record, and the inferred triples not about one; and
    a graph named by a blank node (`ASSERTED`, which no named-graph listing shows) holds the
    asserted part alone, for queries without inference. Both are true sets, not Oxigraph's
    union-of-graphs mode, which repeats a triple once per graph holding it (decision 0502).
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
        """Run a query over the asserted data or, when `extra_graphs` names the inferred graph,
        over the asserted and inferred data (the stored default graph, which holds both); with
        `own_dataset` over the graphs the query names in FROM / FROM NAMED, or over `dataset`
        (its default graph's graphs and its named graphs, replacing what the query names)."""
        subs = {ox.Variable(k): to_ox(v) for k, v in (substitutions or {}).items()}
        default: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] | None = None
        named: list[ox.NamedNode] | None = None
        if dataset is not None:
            default = [ox.NamedNode(str(g)) for g in dataset[0]]
            named = [ox.NamedNode(str(g)) for g in dataset[1]]
        elif not own_dataset:
            default = [ox.DefaultGraph()] if extra_graphs else [ASSERTED]
            if _GRAPH.search(sparql):  # GRAPH ?g would see the asserted view: name the others
                named = [g for g in self.store.named_graphs() if isinstance(g, ox.NamedNode)]
        try:
            return self.store.query(
                sparql,
                default_graph=default,
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
                if isinstance(quad.graph_name, ox.NamedNode):
                    yield quad
            return
        for name in graphs:
            yield from self.store.quads_for_pattern(None, None, None, ox.NamedNode(str(name)))

    def replace_graphs(
        self, graphs: Mapping[URIRef, Graph | None], *, derived: frozenset[URIRef] = frozenset()
    ) -> None:
        """Replace (or, for None, remove) named graphs, keeping the default graph's and the
        asserted view's copies of the graphs not in `derived` (the inferred graph, which
        `inference.materialise.refresh` brings into the default graph after a change).

        Several steps, not one transaction: citykg only changes a generation that is not live
        yet (build_new_generation, branch_generation), so nobody sees it half done. Terms go in
        through the API, not as SPARQL text, so graphs with blank nodes (the ontology) work.
        """
        skip = {ox.NamedNode(str(g)) for g in derived}
        for name, graph in graphs.items():
            node = ox.NamedNode(str(name))
            copies = (ox.DefaultGraph(),) if name in derived else COPIES
            withdraw(self.store, self.store.quads_for_pattern(None, None, None, node), skip | {node}, copies)
            self.store.remove_graph(node)
            if graph is None:
                continue
            quads = list(quads_of(graph, name))
            if name in derived:
                self.store.bulk_extend(quads)
                publish(self.store, quads)
            else:
                self.store.bulk_extend(with_default_graph(quads))

    def rebuild_union(self, *, derived: frozenset[URIRef] = frozenset()) -> None:
        """Make the default graph and the asserted view the asserted graphs' triples not about
        evidence records (every named graph not in `derived`), as a build loads them, before
        inference adds its triples to the default graph."""
        for copy in COPIES:
            self.store.clear_graph(copy)
        skip = {ox.NamedNode(str(g)) for g in derived}
        for name in list(self.store.named_graphs()):
            if isinstance(name, ox.NamedNode) and name not in skip:
                quads = list(self.store.quads_for_pattern(None, None, None, name))
                self.store.bulk_extend(default_copies(quads))

    def named_quads(self) -> int:
        """How many quads the named graphs hold (the default graph and the asserted view,
        copies of them, not counted)."""
        return len(self.store) - sum(self.triples_in(copy) for copy in COPIES)

    def triples_in(self, graph: ox.NamedNode | ox.BlankNode | ox.DefaultGraph) -> int:
        """How many triples one graph holds, counted by the store (no quad reaches Python)."""
        [row] = self.store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", default_graph=graph)  # type: ignore[misc]
        return int(row["n"].value)

    def flush(self) -> None:
        self.store.flush()


#: the asserted view: the asserted graphs' triples not about evidence records, which queries
#: without inference read. A blank node names it, so no listing of named graphs shows it
#: (`named_graphs`, `quads`, store.subjects), and `query` leaves it out of GRAPH ?g.
ASSERTED = ox.BlankNode("asserted")
#: the GRAPH keyword on a line that is not a comment (a string holding the word only costs a
#: listing of the named graphs)
_GRAPH = re.compile(r"^(?!\s*#).*\bgraph\b", re.IGNORECASE | re.MULTILINE)
#: the graphs holding copies of the asserted graphs' triples not about evidence records
COPIES: tuple[ox.DefaultGraph | ox.BlankNode, ...] = (ox.DefaultGraph(), ASSERTED)
_TYPE, _EVIDENCE = ox.NamedNode(str(RDF.type)), ox.NamedNode(str(CKG.Evidence))
_TYPE_NT, _EVIDENCE_NT = f"<{RDF.type}>", f"<{CKG.Evidence}>"


def asserted_elsewhere(store: ox.Store, quad: ox.Quad, skip: set[ox.NamedNode]) -> bool:
    """Whether a named graph not in `skip` (an asserted one) holds the triple of `quad`."""
    holders = store.quads_for_pattern(quad.subject, quad.predicate, quad.object, None)
    return any(isinstance(h.graph_name, ox.NamedNode) and h.graph_name not in skip for h in holders)


def withdraw(
    store: ox.Store,
    quads: Iterable[ox.Quad],
    skip: set[ox.NamedNode],
    copies: tuple[ox.DefaultGraph | ox.BlankNode, ...] = (ox.DefaultGraph(),),
) -> None:
    """Take the triples of `quads` (of graphs about to lose them) out of the `copies` (the
    default graph), but those a named graph not in `skip` holds."""
    gone = [q for q in list(quads) if not asserted_elsewhere(store, q, skip)]
    for quad in gone:
        for copy in copies:
            store.remove(ox.Quad(quad.subject, quad.predicate, quad.object, copy))


def publish(store: ox.Store, quads: Iterable[ox.Quad], *, batch: int = 50_000) -> None:
    """Copy the derived (inferred) `quads` not about an evidence record into the default
    graph. Quads that come subject by subject (a graph's, read from the store) cost one
    lookup per subject."""
    default = ox.DefaultGraph()
    out: list[ox.Quad] = []
    last: object = None
    keep = False
    for quad in quads:
        if quad.subject != last:
            last, keep = quad.subject, not is_evidence(store, quad.subject)
        if keep:
            out.append(ox.Quad(quad.subject, quad.predicate, quad.object, default))
        if len(out) >= batch:
            store.bulk_extend(out)
            out = []
    store.bulk_extend(out)


def is_evidence(store: ox.Store, subject: ox.NamedNode | ox.BlankNode | ox.Triple) -> bool:
    """Whether some graph types `subject` ckg:Evidence (an evidence record)."""
    return next(store.quads_for_pattern(subject, _TYPE, _EVIDENCE, None), None) is not None


def nquads_with_default_graph(triples: Iterable[str], graph: str, *, evidence: set[str] | None = None) -> str:
    """N-Quads of N-Triples statements (`<s> <p> <o>`, no final dot) of one asserted graph, in
    the named graph `graph` (its N-Triples form) and, those not about an evidence record (a
    subject the statements type ckg:Evidence: `evidence_subjects`), in the default graph. A bulk
    load renames blank nodes, so the asserted view is not written here: a build loads
    `asserted_view_ntriples` into it, and otherwise `inference.materialise` copies the default
    graph into it before adding the inferred triples (Inferring.finish)."""
    statements = list(triples)
    if evidence is None:
        evidence = evidence_subjects(statements)
    named = f" {graph} .\n"
    return "".join(
        f"{t}{named}" if t.partition(" ")[0] in evidence else f"{t}{named}{t} .\n" for t in statements
    )


def evidence_subjects(statements: Iterable[str]) -> set[str]:
    """The subjects N-Triples statements (no final dot) type ckg:Evidence."""
    return {t.partition(" ")[0] for t in statements if t.endswith(f" {_TYPE_NT} {_EVIDENCE_NT}")}


def asserted_view_ntriples(statements: Iterable[str], evidence: set[str]) -> str:
    """N-Triples of one asserted graph's statements for the asserted view (`ASSERTED`): those
    not about an evidence record, as in the default graph. A bulk load into the view
    (`to_graph=ASSERTED`) keeps its blank-node name."""
    return "".join(f"{t} .\n" for t in statements if t.partition(" ")[0] not in evidence)


def default_copies(quads: list[ox.Quad]) -> list[ox.Quad]:
    """The default graph's and the asserted view's copies of asserted named graphs' `quads`:
    those not about an evidence record (a subject its graph types ckg:Evidence)."""
    evidence = {(q.subject, q.graph_name) for q in quads if q.predicate == _TYPE and q.object == _EVIDENCE}
    return [
        ox.Quad(q.subject, q.predicate, q.object, copy)
        for q in quads
        if (q.subject, q.graph_name) not in evidence
        for copy in COPIES
    ]


def with_default_graph(quads: list[ox.Quad]) -> list[ox.Quad]:
    """Quads of asserted named graphs and their copies (`default_copies`): a bulk load of both
    keeps the store's shape."""
    return quads + default_copies(quads)


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
