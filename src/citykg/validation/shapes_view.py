"""The part of the ontology the SHACL shapes can see, handed to the engine beside each
submission instead of the whole ontology (the engine parses what it is given on every call:
the whole ontology was half of each call's time, measured in bench/README.md).

Without inference, a SHACL engine reads the ontology's triples only through: class targets and
`sh:class` (`rdf:type` and `rdfs:subClassOf`), the predicates of the shapes' paths and of their
SPARQL constraints, and, for a focus node the ontology describes (an instance of a targeted
class, e.g. a survey wave), every triple about it (a closed shape looks at all of them). So the
view is those triples. A shape that could reach other triples (a node or qualified shape, a
target by node or by property, a path that is not one predicate) makes it the whole ontology:
the view is an optimisation, never a change of results (tests/test_shapes_view.py compares
every report with the whole ontology's).
"""

from __future__ import annotations

import re
from functools import cache

import pyoxigraph as ox
from rdflib import Graph, URIRef

from citykg.model.ontology import ontology_ntriples, shapes_graph
from citykg.rdf.terms import RDF, RDFS, SH

#: what makes a shape reach ontology triples the view leaves out
_REACHING = (SH.node, SH.qualifiedValueShape, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
_TYPING = frozenset({str(RDF.type), str(RDFS.subClassOf)})
_PREFIXED = re.compile(r"(?<![\w<])([A-Za-z][\w.-]*)?:([A-Za-z_][\w-]*)")
_IRI = re.compile(r"<([^<>\s]*)>")


@cache
def shapes_view_ntriples() -> str:
    """The ontology's triples the shapes can read, as N-Triples (the whole ontology when the
    shapes could read others; see the module's docstring)."""
    shapes = shapes_graph()
    predicates = _read_predicates(shapes)
    if predicates is None:
        return ontology_ntriples()
    triples = list(ox.parse(ontology_ntriples(), format=ox.RdfFormat.N_TRIPLES))
    classes = _with_subclasses(
        {f"<{c}>" for p in (SH.targetClass, SH["class"]) for c in shapes.objects(None, p)}, triples
    )
    focus = {t.subject for t in triples if t.predicate.value == str(RDF.type) and str(t.object) in classes}
    kept = (
        t
        for t in triples
        if t.predicate.value in _TYPING or t.predicate.value in predicates or t.subject in focus
    )
    return "".join(f"{t} .\n" for t in kept)


def _read_predicates(shapes: Graph) -> set[str] | None:
    """The predicates the shapes' paths and SPARQL constraints name; None when a shape can
    reach triples by other means."""
    if any(True for p in _REACHING for _ in shapes.subject_objects(p)):
        return None
    predicates: set[str] = set()
    for path in shapes.objects(None, SH.path):
        if not isinstance(path, URIRef):
            return None  # a sequence, inverse or other path
        predicates.add(str(path))
    prefixes = {
        str(shapes.value(d, SH.prefix)): str(shapes.value(d, SH.namespace))
        for d in shapes.objects(None, SH.declare)
    }
    for query in (*shapes.objects(None, SH.select), *shapes.objects(None, SH.ask)):
        text = str(query)
        predicates.update(_IRI.findall(text))
        for prefix, local in _PREFIXED.findall(text):
            if prefix not in prefixes:
                return None  # a name the view cannot resolve: read the whole ontology
            predicates.add(prefixes[prefix] + local)
    return predicates


def _with_subclasses(classes: set[str], triples: list[ox.Triple]) -> set[str]:
    """`classes` and every class the ontology makes a subclass of one of them."""
    below: dict[str, set[str]] = {}
    for t in triples:
        if t.predicate.value == str(RDFS.subClassOf):
            below.setdefault(str(t.object), set()).add(str(t.subject))
    found, todo = set(classes), list(classes)
    while todo:
        for sub in below.get(todo.pop(), ()):
            if sub not in found:
                found.add(sub)
                todo.append(sub)
    return found
