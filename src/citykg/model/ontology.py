"""The ontology and shapes graphs, read from ontology/ and shapes/."""

from __future__ import annotations

from functools import cache

from rdflib import Graph
from rdflib.compare import to_canonical_graph

from citykg.resources import ontology_files, shapes_dir


@cache
def shapes_graph() -> Graph:
    graph = Graph()
    for path in sorted(shapes_dir().glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


@cache
def ontology_graph() -> Graph:
    """The ontology and vocabularies, with blank nodes (OWL restrictions, lists) labelled
    canonically, so every process stores and exports the same bytes."""
    parsed = Graph()
    for path in ontology_files():
        parsed.parse(path, format="turtle")
    graph = Graph()
    for triple in to_canonical_graph(parsed):
        graph.add(triple)
    return graph
