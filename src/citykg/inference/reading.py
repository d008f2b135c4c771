"""Reading the store for inference: a graph's triples in N-Triples form, and the triples that
mention or link given resources (what materialise.refresh reads)."""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterable, Iterator

import pyoxigraph as ox

from citykg.inference.rules import Rules, Term, Triple


def graph_triples(
    store: ox.Store,
    graph: ox.NamedNode | ox.BlankNode | ox.DefaultGraph,
    rules: Rules,
    *,
    skip: frozenset[str] = frozenset(),
) -> Iterator[Triple]:
    """The triples of `graph` whose predicate some rule reads, in N-Triples form, leaving out
    those whose subject is in `skip` (the ontology graph's blank-node structures, which the
    compiled rules stand for).

    The store writes the graph as N-Triples in one pass: far faster than a Python object per
    term (decision 0501). The default graph goes through a temporary file (memory stays bounded
    by the triples kept); a named graph, one submission, through memory.
    """
    wanted = {p: p for p in rules.predicates}
    terms: dict[str, str] = {}  # one string object per distinct term
    with tempfile.TemporaryFile() as dump:
        if isinstance(graph, ox.DefaultGraph):
            store.dump(dump, format=ox.RdfFormat.N_TRIPLES, from_graph=graph)
            dump.seek(0)
            lines: Iterable[str] = io.TextIOWrapper(dump, encoding="utf-8")
        else:
            text = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph)
            lines = text.decode().splitlines(keepends=True) if text else []
        for line in lines:
            s, p, rest = line.split(" ", 2)
            predicate = wanted.get(p)
            if predicate is None or s in skip:
                continue
            o = rest[:-3]  # the line ends with " .\n"
            yield terms.setdefault(s, s), predicate, terms.setdefault(o, o)


def structures(store: ox.Store, ontology: ox.NamedNode) -> frozenset[str]:
    """The blank nodes the ontology graph describes (restrictions, lists)."""
    return frozenset(
        str(q.subject)
        for q in store.quads_for_pattern(None, None, None, ontology)
        if isinstance(q.subject, ox.BlankNode)
    )


def chunks(terms: list[Term], size: int = 2000) -> Iterator[list[Term]]:
    for start in range(0, len(terms), size):
        yield terms[start : start + size]


def asserted_triples(
    store: ox.Store, inferred: ox.NamedNode, rules: Rules, *, skip: frozenset[str]
) -> list[Triple]:
    """The distinct triples of every asserted named graph (all but `inferred`) whose predicate
    some rule reads, leaving out the subjects in `skip`: the asserted union, evidence records
    included (the default graph holds neither all of it nor only it, decision 1304)."""
    out: set[Triple] = set()
    for graph in store.named_graphs():
        if isinstance(graph, ox.NamedNode) and graph != inferred:
            out.update(graph_triples(store, graph, rules, skip=skip))
    return sorted(out)


def _asserted(quad: ox.Quad, inferred: ox.NamedNode) -> bool:
    return isinstance(quad.graph_name, ox.NamedNode) and quad.graph_name != inferred


def linked(
    store: ox.Store, resources: set[Term], links: frozenset[Term], inferred: ox.NamedNode
) -> set[Term]:
    """The resources joined to `resources` by a link property in an asserted graph (all but
    `inferred`), in either direction (an index lookup per resource and property: a resource
    many triples point at stays cheap)."""
    properties = [ox.NamedNode(link[1:-1]) for link in sorted(links)]
    found: set[Term] = set()
    for term in resources:
        if not term.startswith("<"):
            continue
        node = ox.NamedNode(term[1:-1])
        for prop in properties:
            for q in store.quads_for_pattern(node, prop, None, None):
                if _asserted(q, inferred):
                    found.add(str(q.object))
            for q in store.quads_for_pattern(None, prop, node, None):
                if _asserted(q, inferred):
                    found.add(str(q.subject))
    return found


def mentioning(
    store: ox.Store, resources: set[Term], predicates: frozenset[Term], inferred: ox.NamedNode
) -> list[Triple]:
    """The distinct triples of the asserted graphs (all named graphs but `inferred`) that
    mention one of `resources`, as subject or object (index lookups, every graph at once).

    A resource the data uses as a property (`schema:name`, which every evidence record names
    as its rdf:predicate) is the object of a triple in nearly every graph; of those, only the
    ones whose predicate some rule reads can infer anything, so only those are looked up.
    """
    out: set[Triple] = set()
    for term in sorted(resources):
        node = _node(term)
        if node is None:
            continue
        for q in store.quads_for_pattern(node, None, None, None):
            if _asserted(q, inferred):
                out.add((term, str(q.predicate), str(q.object)))
        if _used_as_property(store, node, inferred):
            found: Iterable[ox.Quad] = (
                q
                for predicate in predicates
                for q in store.quads_for_pattern(None, ox.NamedNode(predicate[1:-1]), node, None)
            )
        else:
            found = store.quads_for_pattern(None, None, node, None)
        for q in found:
            if _asserted(q, inferred):
                out.add((str(q.subject), str(q.predicate), term))
    return sorted(out)


def _node(term: Term) -> ox.NamedNode | ox.BlankNode | None:
    if term.startswith("<"):
        return ox.NamedNode(term[1:-1])
    if term.startswith("_:"):
        return ox.BlankNode(term[2:])
    return None


def _used_as_property(store: ox.Store, node: ox.NamedNode | ox.BlankNode, inferred: ox.NamedNode) -> bool:
    if not isinstance(node, ox.NamedNode):
        return False
    return any(_asserted(q, inferred) for q in store.quads_for_pattern(None, node, None, None))
