"""The inferred triples in the store's default graph (docs/decisions/1304).

Queries with inference read the default graph alone: it holds the asserted graphs' triples not
about an evidence record (the build and `replace_graphs` write those, store/graphs.py) and the
inferred triples not about one, which these functions keep there. The inferred graph holds no
asserted triple (`materialise._drop`), so an inferred triple leaves the default graph when it
leaves the inferred graph, unless an asserted graph has come to state it since.
"""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox

from citykg.inference.rules import Term
from citykg.store import graphs
from citykg.store.graphs import ASSERTED

_BATCH = 50_000


def _about(store: ox.Store, graph: ox.NamedNode, about: set[Term] | None) -> Iterator[ox.Quad]:
    """The quads of `graph` about the IRIs in `about` (all of them when None)."""
    if about is None:
        yield from store.quads_for_pattern(None, None, None, graph)
        return
    for term in sorted(about):
        if term.startswith("<"):
            yield from store.quads_for_pattern(ox.NamedNode(term[1:-1]), None, None, graph)


def withdraw(store: ox.Store, graph: ox.NamedNode, *, about: set[Term] | None = None) -> None:
    """Take the inferred `graph`'s triples about `about` (all, when None) out of the default
    graph, but those an asserted graph states."""
    graphs.withdraw(store, _about(store, graph, about), {graph})


def publish(store: ox.Store, graph: ox.NamedNode, *, about: set[Term] | None = None) -> None:
    """Copy the inferred `graph`'s triples about `about` (all, when None) that are not about an
    evidence record into the default graph."""
    graphs.publish(store, _about(store, graph, about))


def copy_asserted_view(store: ox.Store) -> None:
    """Make the asserted view (store.graphs.ASSERTED) the default graph, while that holds the
    asserted graphs' triples only: a build's bulk load cannot write a blank-node graph name (it
    renames blank nodes), so the view is filled here, before `publish`. Only what differs is
    written (in a build the view holds the ontology only; after a change, nearly all of it)."""
    default = ox.DefaultGraph()
    batch: list[ox.Quad] = []
    for quad in store.quads_for_pattern(None, None, None, default):
        copy = ox.Quad(quad.subject, quad.predicate, quad.object, ASSERTED)
        if copy not in store:
            batch.append(copy)
        if len(batch) >= _BATCH:
            store.bulk_extend(batch)
            batch = []
    store.bulk_extend(batch)
    stale = [
        q
        for q in store.quads_for_pattern(None, None, None, ASSERTED)
        if ox.Quad(q.subject, q.predicate, q.object, default) not in store
    ]
    for quad in stale:
        store.remove(quad)


def restate_graph_descriptions(store: ox.Store, inferred: ox.NamedNode) -> None:
    """The asserted view's triples about the named graphs themselves (`<graph>
    prov:generatedAtTime ...`), made those of the default graph not inferred: a rebuild
    restamps every graph in its graph and in the default graph only (workflow/rebuild.py
    `stamp`), after `replace_graphs`. One lookup per graph; not needed once the build writes
    such changes to every graph of store.graphs.COPIES."""
    default = ox.DefaultGraph()
    for graph in list(store.named_graphs()):
        if not isinstance(graph, ox.NamedNode) or graph == inferred:
            continue
        want = {q.triple for q in store.quads_for_pattern(graph, None, None, default)}
        want -= {q.triple for q in store.quads_for_pattern(graph, None, None, inferred)}
        held = {q.triple for q in store.quads_for_pattern(graph, None, None, ASSERTED)}
        for triple in held - want:
            store.remove(ox.Quad(triple.subject, triple.predicate, triple.object, ASSERTED))
        store.extend([ox.Quad(t.subject, t.predicate, t.object, ASSERTED) for t in want - held])
