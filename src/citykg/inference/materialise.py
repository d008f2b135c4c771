"""The inferred graph in the store: `materialise` fills it from the whole store (build),
`refresh` brings it up to date for the resources a submit changed. The rules and the chainer
are in citykg.inference; docs/decisions/0501 says what the graph holds.

How a build calls it (the contract). Either, after loading every asserted graph,

    materialise(store, iris=iris)

which reads the store one named graph at a time; or, with the submissions' triples at hand
(a worker process each), the same in three steps:

    closure = infer_submission(as_triples(quads))       # in the worker: pure, cheap
    inferring = Inferring(store, iris=iris)             # in the process writing the store
    inferring.add(closure)                              # once per named graph, any order
    result = inferring.finish()                         # once the asserted graphs are loaded

`add` writes the closure's triples into the inferred graph (in batches) and keeps only the
terms where two submissions' roles may join (citykg.inference.submissions); `finish` needs
every asserted graph (the ontology graph too) in the store, with the default graph holding
their triples not about evidence records (as store.graphs writes them): it copies that into
the asserted view, recomputes what holds of the resources joined at those terms (as `refresh` does), drops the
inferred triples some asserted graph states, raises InconsistentData on a contradiction, and
adds the inferred triples not about evidence records to the default graph (decision 1304).
Every asserted named graph must be added once (any split of the asserted triples into parts
gives the same result); the ontology graph may be left out, as neutralise ignores each of its
triples (materialise adds it, its blank-node structures skipped). The result is the graph
`materialise_whole` (the chainer on the whole asserted union at once) writes;
tests/test_inference_partitioned.py checks it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Graph, URIRef

from citykg.errors import InconsistentData
from citykg.inference.chain import infer
from citykg.inference.default_graph import copy_asserted_view, publish, restate_graph_descriptions, withdraw
from citykg.inference.reading import asserted_triples, chunks, graph_triples, linked, mentioning, structures
from citykg.inference.rules import Rules, Term, Triple, compile_rules, is_literal, nt, reserved
from citykg.inference.submissions import CrossJoins, SubmissionClosure, infer_submission
from citykg.rdf.iris import IRIs
from citykg.store.graphs import OxigraphStore


@dataclass
class InferenceResult:
    graph: ox.NamedNode
    asserted: int
    inferred: int


def materialise(store: OxigraphStore, *, iris: IRIs, rules: Rules | None = None) -> InferenceResult:
    """Replace the inferred graph of `store` with the consequences of its asserted graphs.

    Runs the rules on each asserted named graph on its own, then on the resources where two
    graphs join (see the module's docstring). Raises InconsistentData (exit 1) when the data
    contradicts the ontology; the caller's generation is then discarded and the live store
    stays as it was.
    """
    rules = rules or compile_rules()
    inferring = Inferring(store, iris=iris, rules=rules)
    ontology = ox.NamedNode(str(iris.ontology_graph))
    skip = structures(store.store, ontology)
    for graph in list(store.store.named_graphs()):
        if graph == inferring.graph or not isinstance(graph, ox.NamedNode):
            continue  # the inferred graph, the asserted view (a copy)
        triples = graph_triples(store.store, graph, rules, skip=skip if graph == ontology else frozenset())
        inferring.add(infer_submission(triples, rules))
    return inferring.finish()


class Inferring:
    """The inferred graph of `store`, emptied, then filled one submission at a time."""

    def __init__(self, store: OxigraphStore, *, iris: IRIs, rules: Rules | None = None, batch: int = 50_000):
        self.store, self.iris = store, iris
        self.rules = rules or compile_rules()
        self.graph = ox.NamedNode(str(iris.inferred_graph))
        self.cross = CrossJoins(self.rules)
        self.conflicts: set[tuple[Term, Term, Term]] = set()
        self.asserted = 0
        self._batch: list[Triple] = []
        self._size = batch
        withdraw(store.store, self.graph)
        store.store.update(f"DROP SILENT GRAPH {self.graph}")

    def add(self, closure: SubmissionClosure) -> None:
        """One submission's closure (`infer_submission`), in the graph and in the joins."""
        self.asserted += closure.asserted
        self.conflicts.update(closure.conflicts)
        self.cross.add(closure.joins)
        self._batch.extend(closure.triples)
        if len(self._batch) >= self._size:
            write_inferred(self.store.store, self._batch, self.graph)
            self._batch = []

    def finish(
        self, *, maybe_asserted: set[Term] | None = None, copies_loaded: bool = False
    ) -> InferenceResult:
        """What holds across submissions, once every asserted graph is in the store.

        An inferred triple some asserted graph states is dropped (see `_drop`); a caller that
        knows the only subjects that can hold one (`maybe_asserted`: IRIs) saves the look-up of
        every other inferred triple. A caller that loaded the asserted view and the default
        graph's copies of the closures' triples with them (`copies_loaded`: a build) saves
        making them here from the store."""
        store, rules = self.store, self.rules
        write_inferred(store.store, self._batch, self.graph)
        self._batch = []
        points = self.cross.points
        if any(not (p.startswith("<") and data_resource(p, rules)) for p in points):
            # a literal, blank node or ontology term joins two submissions: rare, and not
            # something `refresh` can scope; the whole store at once is exact
            return materialise_whole(store, iris=self.iris, rules=rules)
        if not copies_loaded:
            copy_asserted_view(store.store)
        conflicts = set(self.conflicts)
        if points:
            conflicts.update(
                _replace_about(store, _scope(store, points, rules, self.graph), self.graph, rules)[0]
            )
        if conflicts:
            _refuse(sorted(conflicts, key=str))
        if maybe_asserted is not None and any(not term.startswith("<") for term in maybe_asserted):
            maybe_asserted = None  # a blank node cannot be named in the update: all of them
        _drop(store.store, self.graph, about=maybe_asserted, asserted=True)
        if not copies_loaded:
            publish(store.store, self.graph)
        return InferenceResult(
            graph=self.graph, asserted=self.asserted, inferred=_count(store.store, self.graph)
        )


def materialise_whole(store: OxigraphStore, *, iris: IRIs, rules: Rules | None = None) -> InferenceResult:
    """`materialise` by one run of the chainer on the whole asserted union: the reference the
    partitioned path is tested against (it holds every triple in memory: small stores only)."""
    inferred = ox.NamedNode(str(iris.inferred_graph))
    rules = rules or compile_rules()
    ontology = ox.NamedNode(str(iris.ontology_graph))
    data = asserted_triples(store.store, inferred, rules, skip=structures(store.store, ontology))
    closure = infer(data, rules)
    if closure.conflicts:
        _refuse(closure.conflicts)
    withdraw(store.store, inferred)
    store.store.update(f"DROP SILENT GRAPH {inferred}")
    copy_asserted_view(store.store)
    write_inferred(store.store, closure.triples, inferred)
    _drop(store.store, inferred, asserted=True)
    publish(store.store, inferred)
    return InferenceResult(graph=inferred, asserted=len(data), inferred=_count(store.store, inferred))


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
    inferred = ox.NamedNode(str(iris.inferred_graph))
    conflicts, read, written = _replace_about(store, _scope(store, todo, rules, inferred), inferred, rules)
    if conflicts:
        _refuse(conflicts)
    restate_graph_descriptions(store.store, inferred)
    return InferenceResult(graph=inferred, asserted=read, inferred=written)


def _scope(store: OxigraphStore, todo: set[Term], rules: Rules, inferred: ox.NamedNode) -> set[Term]:
    """`todo` and every data resource joined to it through link properties, transitively."""
    links = link_properties(rules)
    scope: set[Term] = set()
    while todo:
        scope |= todo
        found = linked(store.store, todo, links, inferred)
        todo = {n for n in found if data_resource(n, rules)} - scope
    return scope


def _replace_about(
    store: OxigraphStore, scope: set[Term], inferred: ox.NamedNode, rules: Rules
) -> tuple[list[tuple[Term, Term, Term]], int, int]:
    """Replace the inferred triples about `scope` with what the triples mentioning it infer.

    Returns the contradictions about `scope` (nothing is replaced when there are some), the
    number of triples read and the number written."""
    data = mentioning(store.store, scope, rules.predicates, inferred)
    closure = infer(data, rules)
    conflicts = [c for c in closure.conflicts if c[0] in scope]
    if conflicts:
        return conflicts, len(data), 0
    triples = [t for t in closure.triples if t[0] in scope]
    withdraw(store.store, inferred, about=scope)
    _drop(store.store, inferred, about=scope)
    write_inferred(store.store, triples, inferred)
    _drop(store.store, inferred, about=scope, asserted=True)
    publish(store.store, inferred, about=scope)
    return [], len(data), len(triples)


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


def write_inferred(store: ox.Store, triples: Iterable[Triple], graph: ox.NamedNode) -> None:
    """Inferred triples (N-Triples form) into the inferred `graph`: the one place they are
    written. Parsed, not bulk-loaded as text, so that blank nodes keep their labels (a store
    load would rename them); `bulk_extend` was the fastest way measured."""
    text = "".join(f"{s} {p} {o} {graph} .\n" for s, p, o in triples)
    if text:
        store.bulk_extend(ox.parse(text, format=ox.RdfFormat.N_QUADS))


def _drop(
    store: ox.Store, graph: ox.NamedNode, *, about: set[Term] | None = None, asserted: bool = False
) -> None:
    """Remove from the inferred `graph` the triples about `about` (all, when None) or, with
    `asserted`, only those some asserted graph states (any other named graph: the asserted
    view only copies them). The default graph holds both, a set: the inferred graph must hold
    only what no asserted graph states, for `withdraw` to know which copies to take out."""
    also = f" GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != {graph})" if asserted else ""
    if about is None:
        store.update(
            f"DELETE {{ GRAPH {graph} {{ ?s ?p ?o }} }} WHERE {{ GRAPH {graph} {{ ?s ?p ?o }}{also} }}"
        )
        return
    for chunk in chunks(sorted(about)):
        store.update(
            f"DELETE {{ GRAPH {graph} {{ ?s ?p ?o }} }} "
            f"WHERE {{ VALUES ?s {{ {' '.join(chunk)} }} GRAPH {graph} {{ ?s ?p ?o }}{also} }}"
        )


def _count(store: ox.Store, graph: ox.NamedNode) -> int:
    [row] = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}")  # type: ignore[misc]
    return int(row["n"].value)


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
