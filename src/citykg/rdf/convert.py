"""Conversion between rdflib terms and pyoxigraph terms: the one place both meet."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from citykg.rdf.terms import XSD

_XSD_STRING = str(XSD.string)


def to_ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot store {term!r}")


_IRIS: dict[str, str] = {}
_IRIS_KEPT = 200_000  # a file repeats its IRIs; a long build meets millions of others


def nt_term(term: Node) -> str:
    """An rdflib term in N-Triples form, as pyoxigraph writes (and checks) it; IRIs are
    remembered, since a graph names the same ones many times."""
    if type(term) is URIRef:
        found = _IRIS.get(term)
        if found is None:
            if len(_IRIS) >= _IRIS_KEPT:
                _IRIS.clear()
            found = _IRIS[term] = str(ox.NamedNode(term))
        return found
    return str(to_ox(term))


def from_ox(term: object) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise TypeError(f"unexpected term {term!r}")


def quads_of(graph: Graph, name: URIRef) -> Iterator[ox.Quad]:
    node = ox.NamedNode(str(name))
    for s, p, o in graph:
        yield ox.Quad(to_ox(s), to_ox(p), to_ox(o), node)  # type: ignore[arg-type]


def graph_of(statements: Iterable[ox.Quad | ox.Triple]) -> Graph:
    """An rdflib graph of pyoxigraph quads or triples (graph names dropped)."""
    graph = Graph()
    for statement in statements:
        graph.add((from_ox(statement.subject), from_ox(statement.predicate), from_ox(statement.object)))
    return graph
