"""What the store holds about one IRI, read by index lookups from the graphs named.

Each function says which graphs it reads: the named graphs holding a subject (never the
default graph, whose content is a choice of the build: the union of the asserted graphs now,
perhaps more or less later), a named graph's own triples, or the default graph as it is. So a
description stays right when the store's default graph changes shape. What linked-data
serving and other readers of one resource need, not queries over the whole graph (those are
SPARQL, see queries/). On a remote store each is a SPARQL query instead (store/remote/lookups.py).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

import pyoxigraph as ox

from citykg.rdf.terms import DCTERMS, RDFS, SCHEMA, SKOS
from citykg.store.graphs import OxigraphStore
from citykg.store.remote import lookups
from citykg.store.remote.reading import RemoteStore

Readable = OxigraphStore | RemoteStore
"""A store open for reading: an embedded generation, or a remote store's live generation
(whose lookups are SPARQL queries to the server, store/remote/lookups.py)."""

LABELS = (str(RDFS.label), str(SKOS.prefLabel), str(SCHEMA.name), str(DCTERMS.title))
"""The properties that name a resource for people, in order of preference."""

Subject = ox.NamedNode | ox.BlankNode


def graphs_holding(store: Readable, subject: str, *, leave_out: Collection[str] = ()) -> list[str]:
    """The named graphs (but those in `leave_out`) with a triple about `subject`, sorted."""
    if isinstance(store, RemoteStore):
        return lookups.graphs_holding(store, subject, leave_out=leave_out)
    node = ox.NamedNode(subject)
    found = {
        quad.graph_name.value
        for quad in store.store.quads_for_pattern(node, None, None, None)
        if isinstance(quad.graph_name, ox.NamedNode)
    }
    return sorted(found - set(leave_out))


def is_named_graph(store: Readable, name: str) -> bool:
    if isinstance(store, RemoteStore):
        return lookups.is_named_graph(store, name)
    return bool(store.store.contains_named_graph(ox.NamedNode(name)))


def about(store: Readable, subjects: Iterable[str], *, leave_out: Collection[str] = ()) -> list[ox.Triple]:
    """The distinct triples about `subjects` in every named graph but those in `leave_out`,
    with the blank nodes they reach described too (OWL restrictions, lists), unsorted."""
    if isinstance(store, RemoteStore):
        return lookups.about(store, subjects, leave_out=leave_out)
    skip = {ox.NamedNode(g) for g in leave_out}
    seen: set[ox.Triple] = set()
    out: list[ox.Triple] = []
    todo: list[Subject] = [ox.NamedNode(s) for s in subjects]
    done: set[Subject] = set()
    while todo:
        node = todo.pop()
        if node in done:
            continue
        done.add(node)
        for quad in store.store.quads_for_pattern(node, None, None, None):
            if not isinstance(quad.graph_name, ox.NamedNode) or quad.graph_name in skip:
                continue
            triple = quad.triple
            if triple in seen:
                continue
            seen.add(triple)
            out.append(triple)
            if isinstance(triple.object, ox.BlankNode):
                todo.append(triple.object)
    return out


def labels(store: Readable, iris: Iterable[str], *, leave_out: Collection[str] = ()) -> list[ox.Triple]:
    """The label triples (LABELS) of each IRI, from every named graph but those in `leave_out`."""
    if isinstance(store, RemoteStore):
        return lookups.labels(store, iris, leave_out=leave_out, predicates=LABELS)
    skip = {ox.NamedNode(g) for g in leave_out}
    predicates = [ox.NamedNode(p) for p in LABELS]
    out: set[ox.Triple] = set()
    for iri in dict.fromkeys(iris):
        node = ox.NamedNode(iri)
        for predicate in predicates:
            for quad in store.store.quads_for_pattern(node, predicate, None, None):
                if isinstance(quad.graph_name, ox.NamedNode) and quad.graph_name not in skip:
                    out.add(quad.triple)
    return list(out)


def subjects_with(
    store: Readable, predicate: str, value: str, *, leave_out: Collection[str] = ()
) -> list[str]:
    """The IRIs that have `predicate` `value` (`skos:inScheme` a scheme) in a named graph but
    those in `leave_out`, sorted."""
    if isinstance(store, RemoteStore):
        return lookups.subjects_with(store, predicate, value, leave_out=leave_out)
    skip = {ox.NamedNode(g) for g in leave_out}
    found = {
        quad.subject.value
        for quad in store.store.quads_for_pattern(None, ox.NamedNode(predicate), ox.NamedNode(value), None)
        if isinstance(quad.subject, ox.NamedNode)
        and isinstance(quad.graph_name, ox.NamedNode)
        and quad.graph_name not in skip
    }
    return sorted(found)


def subjects_under(store: Readable, prefix: str, graphs: Iterable[str]) -> list[str]:
    """The IRIs that start with `prefix` and are subjects in the named `graphs` (the terms of a
    hash namespace, `<ontology>#City`, ...), sorted."""
    if isinstance(store, RemoteStore):
        return lookups.subjects_under(store, prefix, graphs)
    found: set[str] = set()
    for name in graphs:
        for quad in store.store.quads_for_pattern(None, None, None, ox.NamedNode(name)):
            if isinstance(quad.subject, ox.NamedNode) and quad.subject.value.startswith(prefix):
                found.add(quad.subject.value)
    return sorted(found)


def graph_triples(store: Readable, name: str) -> list[ox.Quad]:
    """The triples of one named graph, as quads of that graph."""
    if isinstance(store, RemoteStore):
        return lookups.graph_triples(store, name)
    return list(store.store.quads_for_pattern(None, None, None, ox.NamedNode(name)))


def default_graph_triples(store: Readable) -> list[ox.Quad]:
    """The triples of the default graph, whatever the build put there."""
    if isinstance(store, RemoteStore):
        return lookups.default_graph_triples(store)
    return list(store.store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
