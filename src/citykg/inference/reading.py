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


def linked(store: ox.Store, resources: set[Term], links: frozenset[Term]) -> set[Term]:
    """The resources joined to `resources` by a link property, in either direction (an index
    lookup per resource and property: a resource many triples point at stays cheap)."""
    default = ox.DefaultGraph()
    properties = [ox.NamedNode(link[1:-1]) for link in sorted(links)]
    found: set[Term] = set()
    for term in resources:
        if not term.startswith("<"):
            continue
        node = ox.NamedNode(term[1:-1])
        for prop in properties:
            found.update(str(q.object) for q in store.quads_for_pattern(node, prop, None, default))
            found.update(str(q.subject) for q in store.quads_for_pattern(None, prop, node, default))
    return found


def mentioning(store: ox.Store, resources: set[Term], predicates: frozenset[Term]) -> list[Triple]:
    """The default graph's triples that mention one of `resources`, as subject or object.

    A resource the data uses as a property (`schema:name`, which every evidence record names
    as its rdf:predicate) is the object of a triple in nearly every graph; of those, only the
    ones whose predicate some rule reads can infer anything, so only those are looked up.
    """
    default = ox.DefaultGraph()
    properties = {r for r in resources if _used_as_property(store, r)}
    out: set[Triple] = set()
    for chunk in chunks(sorted(resources - properties)):
        values = " ".join(chunk)
        query = (
            f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?r {{ {values} }} "
            "{ ?r ?p ?o BIND(?r AS ?s) } UNION { ?s ?p ?r BIND(?r AS ?o) } }"
        )
        out.update((str(t.subject), str(t.predicate), str(t.object)) for t in store.query(query))  # type: ignore[union-attr]
    for term in properties:
        node = ox.NamedNode(term[1:-1])
        out.update(
            (term, str(q.predicate), str(q.object))
            for q in store.quads_for_pattern(node, None, None, default)
        )
        for predicate in predicates:
            found = store.quads_for_pattern(None, ox.NamedNode(predicate[1:-1]), node, default)
            out.update((str(q.subject), predicate, term) for q in found)
    return sorted(out)


def _used_as_property(store: ox.Store, term: Term) -> bool:
    if not term.startswith("<"):
        return False
    return (
        next(store.quads_for_pattern(None, ox.NamedNode(term[1:-1]), None, ox.DefaultGraph()), None)
        is not None
    )
