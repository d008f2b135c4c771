"""Submit on a remote store (docs/decisions/1601): the embedded submit's checks, then a new
generation that shares the live one's unchanged physical graphs and uploads only what changed.

The derived graphs (the inferred graph, the default graph and the asserted view) are changed
as the embedded submit changes them, on a small embedded copy of the live generation around
the submission (its *neighbourhood*): every quad whose subject is a resource the submission's
old or new graph describes, or whose subject or object is a resource whose consequences it may
change (the changed resources and those joined to them through a property the rules join on,
transitively: what `inference.materialise.refresh` reads). The embedded submit's own steps
(`replace_graphs`, `refresh`) run on that copy; they only read and write triples about those
resources, so what they add and remove there is what they would add and remove in the whole
store. The new generation's derived graphs are the live ones copied on the server, less the
removed triples and plus the added ones.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef

from citykg.errors import StoreError
from citykg.inference.materialise import data_resource, link_properties, refresh, resources_of
from citykg.inference.rules import Rules, compile_rules, nt
from citykg.mapping.labels import promote_label
from citykg.rdf.iris import IRIs
from citykg.store.graphs import ASSERTED, OxigraphStore
from citykg.store.remote.client import SparqlClient
from citykg.store.remote.generations import (
    ASSERTED_VIEW,
    derive,
    finish_generation,
    live_iri,
    plan_generation,
    read_generation,
    start_generation,
    upload,
)
from citykg.store.remote.history import keep_remote
from citykg.store.remote.locator import RemoteLocation
from citykg.store.remote.lock import remote_write_lock
from citykg.store.remote.neighbourhood import linked_remote, quads_around
from citykg.store.remote.reading import RemoteStore
from citykg.store.remote.review_lookups import LookupStore
from citykg.workflow.review import StoredVersion, orphaned_labels

_Name = ox.NamedNode | ox.BlankNode | ox.DefaultGraph


class StoreChanged(Exception):
    """Another writer made another generation live since the checks read the store."""


def open_lookups(location: RemoteLocation) -> tuple[LookupStore | None, str | None]:
    """The live generation for the checks (None without a store yet), and its IRI."""
    client = SparqlClient(location)
    live = live_iri(client)
    if live is None:
        client.close()
        return None, None
    return LookupStore(RemoteStore(client, read_generation(client, live))), live


def commit_remote(
    graphs: dict[URIRef, Graph],
    stored: list[StoredVersion],
    *,
    location: RemoteLocation,
    checked_against: str | None,
    iris: IRIs,
    wait: float,
    first: Callable[[], Path] | None = None,
) -> list[str]:
    """Under the store's write lock, make live a generation with the submission `graphs`
    replaced (the `stored` versions they replace kept in the history); returns the kept
    versions' physical graphs. `first` writes the whole new store into a staging store folder
    (returned), for a store that has no generation yet. Raises StoreChanged when the live generation is
    not `checked_against` any more (nothing written)."""
    with SparqlClient(location) as client, remote_write_lock(client, wait=wait):
        if live_iri(client) != checked_against:
            raise StoreChanged
        if checked_against is None:
            assert first is not None
            from citykg.workflow.remote import upload_staging

            upload_staging(client, first(), expected=None)
            return []
        live = RemoteStore(client, read_generation(client, checked_against))
        kept = [keep_remote(client, live, version.graph_iri) for version in stored]
        replaced = {version.graph_iri: version.graph for version in stored}
        graphs = dict(graphs)
        for graph_iri, labels in orphaned_labels(LookupStore(live), replaced, graphs).items():
            promoted = live.graph(graph_iri)  # another city's spelling becomes the preferred label
            for concept, label in labels:
                promoted = promote_label(promoted, concept, label)
            graphs[graph_iri] = promoted
        _publish_change(client, live, graphs, iris=iris)
        return kept


def _publish_change(
    client: SparqlClient, live: RemoteStore, graphs: dict[URIRef, Graph], *, iris: IRIs
) -> None:
    inferred = str(iris.inferred_graph)
    if not live.has_graph(iris.ontology_graph) or not live.has_graph(iris.inferred_graph):
        raise StoreError(
            "the live generation of this remote store has no ontology or inferred graph",
            where=str(client.location),
            hint="build it again: citykg build FILES... --store ...",
        )
    shadow = neighbourhood(live, graphs, iris=iris)
    before = set(shadow.store)
    changed = resources_of(shadow, graphs, graphs.values())
    shadow.replace_graphs(dict(graphs), derived=frozenset({iris.inferred_graph}))
    refresh(shadow, iris=iris, changed=changed)
    after = set(shadow.store)
    derived: dict[str, tuple[_Name, str]] = {  # logical name -> (its graph in the copy, live physical)
        inferred: (ox.NamedNode(inferred), _physical(live, inferred)),
        ASSERTED_VIEW: (ASSERTED, _physical(live, ASSERTED_VIEW)),
    }
    uploaded = {ox.NamedNode(str(g)) for g in graphs}
    others = {q.graph_name for q in before ^ after} - uploaded - {n for n, _ in derived.values()}
    if others - {ox.DefaultGraph()}:
        raise AssertionError(f"a submit changed graphs it does not replace: {sorted(map(str, others))}")
    fresh = [str(g) for g in graphs] + list(derived)
    shared = {g: p for g, p in live.generation.graphs.items() if g not in fresh}
    generation = plan_generation(client, fresh, shared=shared)
    start_generation(client, generation, expected=live.generation.iri)
    for graph_iri in graphs:
        upload(client, generation.graphs[str(graph_iri)], _triples(after, ox.NamedNode(str(graph_iri))))
    targets = [
        (name, live_phys, generation.graphs[logical]) for logical, (name, live_phys) in derived.items()
    ]
    targets.append((ox.DefaultGraph(), live.generation.default, generation.default))
    for name, source, target in targets:
        removed, added = _plain(before - after, name), _plain(after - before, name)
        derive(client, source, target, removed=removed, added=added)
    finish_generation(client, generation, expected=live.generation.iri)


def neighbourhood(
    live: RemoteStore, graphs: dict[URIRef, Graph], *, iris: IRIs, rules: Rules | None = None
) -> OxigraphStore:
    """An embedded store holding the live generation's quads around the submission `graphs`
    (see the module's docstring), read by targeted queries."""
    rules = rules or compile_rules()
    old = [live.graph(g) for g in graphs if live.has_graph(g)]
    terms = {nt(t) for graph in [*old, *graphs.values()] for s, _, o in graph for t in (s, o)}
    subjects = {nt(s) for graph in [*old, *graphs.values()] for s in graph.subjects()}
    todo = {t for t in terms if data_resource(t, rules)}
    links = link_properties(rules)
    scope: set[str] = set()
    while todo:  # as inference.materialise._scope, by queries
        scope |= todo
        found = linked_remote(live, todo, links, skip=str(iris.inferred_graph))
        todo = {t for t in found if data_resource(t, rules)} - scope
    if any(t.startswith("_:") for t in scope | subjects):
        raise StoreError(
            "this submission joins blank nodes of the store, which a remote submit cannot name",
            where=str(live.client.location),
            hint="build the store again with the file among the others: citykg build FILES... --store ...",
        )
    shadow = OxigraphStore(ox.Store())
    shadow.store.extend(quads_around(live, subjects | scope, scope))
    return shadow


def _physical(live: RemoteStore, graph: str) -> str:
    found = live.generation.physical(graph)
    assert found is not None, graph  # checked by the caller (or RemoteStore's asserted view)
    return found


def _triples(quads: set[ox.Quad], graph: _Name) -> Iterator[ox.Triple]:
    return (q.triple for q in sorted(quads, key=str) if q.graph_name == graph)


def _plain(quads: set[ox.Quad], graph: _Name) -> list[ox.Triple]:
    """The triples of `graph` among `quads`, none with a blank node (DELETE DATA cannot name one)."""
    triples = list(_triples(quads, graph))
    if any(isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in triples):
        raise StoreError(
            "this submission changes triples about blank nodes of the store, which a remote "
            "submit cannot name",
            hint="build the store again with the file among the others: citykg build FILES... --store ...",
        )
    return triples
