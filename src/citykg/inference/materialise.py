"""The inferred graph in the store: `materialise` fills it from the whole store (build),
`refresh` brings it up to date for the resources a submit changed. The rules and the chainer
are in citykg.inference; docs/decisions/0501 says what the graph holds.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Graph, URIRef

from citykg.errors import InconsistentData
from citykg.inference.chain import infer
from citykg.inference.rules import (
    Rules,
    Term,
    Triple,
    compile_rules,
    is_literal,
    nt,
    reserved,
)
from citykg.rdf.iris import IRIs
from citykg.store.graphs import OxigraphStore


@dataclass
class InferenceResult:
    graph: ox.NamedNode
    asserted: int
    inferred: int


def materialise(store: OxigraphStore, *, iris: IRIs, rules: Rules | None = None) -> InferenceResult:
    """Replace the inferred graph of `store` with the consequences of its asserted graphs.

    Reads the default graph, which the store keeps as the set union of the asserted graphs.
    Raises InconsistentData (exit 1) when the data contradicts the ontology; the caller's
    generation is then discarded and the live store stays as it was.
    """
    inferred = ox.NamedNode(str(iris.inferred_graph))
    rules = rules or compile_rules()
    data = list(asserted_triples(store, rules, ontology=ox.NamedNode(str(iris.ontology_graph))))
    closure = infer(data, rules)
    if closure.conflicts:
        _refuse(closure.conflicts)
    store.store.update(f"DROP SILENT GRAPH {inferred}")
    _write(store.store, closure.triples, inferred)
    _drop(store.store, inferred, asserted=True)
    [row] = store.store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {inferred} {{ ?s ?p ?o }} }}")  # type: ignore[misc]
    return InferenceResult(graph=inferred, asserted=len(data), inferred=int(row["n"].value))


def refresh(
    store: OxigraphStore, *, iris: IRIs, changed: Iterable[Term], rules: Rules | None = None
) -> InferenceResult:
    """Bring the inferred graph up to date after the asserted triples that mention the `changed`
    resources changed (a submit replacing graphs): the same graph `materialise` would write,
    recomputed for the affected resources only, so its cost follows the submission, not the store.

    The affected resources are the changed ones and, transitively, every resource joined to them
    through a property some rule joins on (`link_properties`: `ckg:profile`/`ckg:city` for the
    surveyed-city restriction, `ckg:partnersWith` for the partner-type chain). Everything a
    consequence about an affected resource can depend on is a triple that mentions an affected
    resource, so those triples are read, run through `infer`, and the inferred triples about the
    affected resources are replaced. Blank nodes cannot be named in a query: with one among the
    changed resources, this falls back to `materialise`.
    """
    rules = rules or compile_rules()
    todo = {term for term in changed if data_resource(term, rules)}
    if any(term.startswith("_:") for term in todo):
        return materialise(store, iris=iris, rules=rules)
    links = link_properties(rules)
    scope: set[Term] = set()
    while todo:
        scope |= todo
        todo = {n for n in _linked(store.store, todo, links) if data_resource(n, rules)} - scope
    data = _mentioning(store.store, scope, rules.predicates)
    closure = infer(data, rules)
    conflicts = [c for c in closure.conflicts if c[0] in scope]
    if conflicts:
        _refuse(conflicts)
    inferred = ox.NamedNode(str(iris.inferred_graph))
    triples = [t for t in closure.triples if t[0] in scope]
    _drop(store.store, inferred, about=scope)
    _write(store.store, triples, inferred)
    _drop(store.store, inferred, about=scope, asserted=True)
    return InferenceResult(graph=inferred, asserted=len(data), inferred=len(triples))


def link_properties(rules: Rules) -> frozenset[Term]:
    """Properties along which a consequence about one resource can depend on another's
    triples: those the rules join on, and those that imply them (sub-properties, inverses)."""
    links = set(rules.join_properties)
    properties = set(rules.superproperties) | set(rules.inverses) | set(rules.domains) | set(rules.ranges)
    grown = True
    while grown:
        grown = False
        for prop in properties - links:
            if (rules.superproperties.get(prop, frozenset()) | rules.inverses.get(prop, frozenset())) & links:
                links.add(prop)
                grown = True
    for prop in list(links):  # the inverse of a link is a link
        links |= rules.inverses.get(prop, frozenset())
    return frozenset(links)


def _drop(
    store: ox.Store, graph: ox.NamedNode, *, about: set[Term] | None = None, asserted: bool = False
) -> None:
    """Remove from the inferred `graph` the triples about `about` (all, when None) or, with
    `asserted`, only those some asserted graph states: queries add this graph to the default
    graph (the asserted union), and the two must stay disjoint for the result to be a set."""
    also = " ?s ?p ?o" if asserted else ""
    if about is None:
        store.update(
            f"DELETE {{ GRAPH {graph} {{ ?s ?p ?o }} }} WHERE {{ GRAPH {graph} {{ ?s ?p ?o }}{also} }}"
        )
        return
    for chunk in _chunks(sorted(about)):
        store.update(
            f"DELETE {{ GRAPH {graph} {{ ?s ?p ?o }} }} "
            f"WHERE {{ VALUES ?s {{ {' '.join(chunk)} }} GRAPH {graph} {{ ?s ?p ?o }}{also} }}"
        )


def _chunks(terms: list[Term], size: int = 2000) -> Iterator[list[Term]]:
    for start in range(0, len(terms), size):
        yield terms[start : start + size]


def _linked(store: ox.Store, resources: set[Term], links: frozenset[Term]) -> set[Term]:
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


def _mentioning(store: ox.Store, resources: set[Term], predicates: frozenset[Term]) -> list[Triple]:
    """The default graph's triples that mention one of `resources`, as subject or object.

    A resource the data uses as a property (`schema:name`, which every evidence record names
    as its rdf:predicate) is the object of a triple in nearly every graph; of those, only the
    ones whose predicate some rule reads can infer anything, so only those are looked up.
    """
    default = ox.DefaultGraph()
    properties = {r for r in resources if _used_as_property(store, r)}
    out: set[Triple] = set()
    for chunk in _chunks(sorted(resources - properties)):
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


def asserted_triples(store: OxigraphStore, rules: Rules, *, ontology: ox.NamedNode) -> Iterator[Triple]:
    """The default graph's triples whose predicate some rule reads, in N-Triples form.

    The store writes its default graph as N-Triples in one pass (to a temporary file, so memory
    stays bounded by the triples kept); the ontology graph's own blank-node structures
    (restrictions, lists), which the compiled rules already stand for, are left out.
    """
    structures = {
        str(q.subject)
        for q in store.store.quads_for_pattern(None, None, None, ontology)
        if isinstance(q.subject, ox.BlankNode)
    }
    wanted = {p: p for p in rules.predicates}
    terms: dict[str, str] = {}  # one string object per distinct term
    with tempfile.TemporaryFile() as dump:
        store.store.dump(dump, format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
        dump.seek(0)
        with io.TextIOWrapper(dump, encoding="utf-8") as text:  # closed with the dump, not left to the GC
            for line in text:
                s, p, rest = line.split(" ", 2)
                predicate = wanted.get(p)
                if predicate is None or s in structures:
                    continue
                o = rest[:-3]  # the line ends with " .\n"
                yield terms.setdefault(s, s), predicate, terms.setdefault(o, o)


def _write(store: ox.Store, triples: Iterable[Triple], graph: ox.NamedNode) -> None:
    """Triples in N-Triples form into `graph`: bulk-loaded, except those with blank nodes,
    which are parsed so that they keep their labels (a store load would rename them)."""
    plain: list[str] = []
    labelled: list[str] = []
    for s, p, o in triples:
        (labelled if s.startswith("_:") or o.startswith("_:") else plain).append(f"{s} {p} {o} {graph} .\n")
    if plain:
        store.bulk_load("".join(plain).encode(), format=ox.RdfFormat.N_QUADS)
    if labelled:
        store.bulk_extend(ox.parse("".join(labelled), format=ox.RdfFormat.N_QUADS))


def _refuse(conflicts: list[tuple[Term, Term, Term]]) -> None:
    shown = "; ".join(f"{_text(s)} is both a {_text(a)} and a {_text(b)}" for s, a, b in conflicts[:5])
    raise InconsistentData(
        f"the data contradicts the ontology: {shown}",
        [(_text(s), _text(a), _text(b)) for s, a, b in conflicts],
        hint="these classes are disjoint; fix the submissions that type these resources",
    )


def _text(term: Term) -> str:
    """An IRI or a blank node as users read it (no angle brackets)."""
    return term[1:-1] if term.startswith("<") else term


def data_resource(term: Term, rules: Rules) -> bool:
    """An IRI or blank node of the data: not a literal, not a term the ontology describes."""
    return not is_literal(term) and not reserved(term) and term not in rules.ontology_subjects


def resources_of(store: OxigraphStore, graphs: Iterable[URIRef], new: Iterable[Graph]) -> set[Term]:
    """The IRIs and blank nodes that the stored `graphs` and the `new` graphs mention, as
    subject or object: what a submit replacing those graphs changes."""
    out: set[Term] = set()
    for name in graphs:
        for quad in store.store.quads_for_pattern(None, None, None, ox.NamedNode(str(name))):
            out.add(str(quad.subject))
            if not isinstance(quad.object, ox.Literal):
                out.add(str(quad.object))
    for graph in new:
        for s, _, o in graph:
            out.add(nt(s))
            out.add(nt(o))
    return {term for term in out if not is_literal(term)}
