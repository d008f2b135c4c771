"""Checks of one submission against the current graph: SPARQL lookups on the store.

Each check looks up only the resources the submission describes (its city, its country, its
single-valued facts), so its cost does not grow with the number of cities in the store; no
check runs SHACL or reasoning over the whole graph.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import cache

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from citykg.mapping.document import Mapped
from citykg.mapping.labels import free_text_labels
from citykg.model.ontology import shapes_graph
from citykg.model.vocabulary import load_vocabulary, normalise
from citykg.rdf.convert import from_ox
from citykg.rdf.terms import CKG, FOAF, RDF, SCHEMA, SH, SKOS
from citykg.store.graphs import GraphStore
from citykg.store.history import describe_version
from citykg.validation.report import Problem, Severity
from citykg.workflow.diff import Change, diff, evidence_fields, facts_of

SIMILAR_NAME = 0.85  # difflib ratio from which two city names in one country look like one city

_COUNTRIES = """
PREFIX ckg: <https://w3id.org/citykg/ontology#>
PREFIX schema: <https://schema.org/>
SELECT DISTINCT ?country ?name WHERE { ?country a ckg:Country ; schema:name ?name }
"""
_CITIES_IN = """
PREFIX ckg: <https://w3id.org/citykg/ontology#>
PREFIX schema: <https://schema.org/>
SELECT DISTINCT ?country ?city ?name WHERE { ?city ckg:country ?country ; schema:name ?name }
"""
# Other values of one resource's property in other graphs. The filter runs inside the store, so
# a fact shared by every submission (the wave's year) costs an index scan, not 10,000 rows.
_OTHER_VALUES = """
SELECT ?s ?p ?value ?replacing ?g ?o WHERE {
  GRAPH ?g { ?s ?p ?o }
  FILTER(?o != ?value && ?g != ?replacing)
} LIMIT 5
"""
# The preferred labels a concept has in the store's submission graphs.
_PREFERRED_LABELS = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?concept ?g ?label WHERE { GRAPH ?g { ?concept skos:prefLabel ?label } }
"""


@dataclass(frozen=True)
class StoredVersion:
    """The version of a submission graph the store holds now."""

    graph_iri: URIRef
    graph: Graph
    time: str
    sources: list[str]


@cache
def single_valued() -> frozenset[URIRef]:
    """Properties the shapes allow once per resource (sh:maxCount 1): a second value conflicts."""
    shapes = shapes_graph()
    found = set()
    for shape in shapes.subjects(SH.maxCount, Literal(1)):
        path = shapes.value(shape, SH.path)
        if isinstance(path, URIRef):
            found.add(path)
    return frozenset(found)


def stored_version(store: GraphStore, graph_iri: URIRef) -> StoredVersion | None:
    graph = store.graph(graph_iri)
    if not len(graph):
        return None
    time, sources = describe_version(graph, graph_iri)
    return StoredVersion(graph_iri, graph, time, sources)


def similar_cities(store: GraphStore, mapped: Mapped, *, new_city: bool = False) -> list[Problem]:
    """Stored cities that look like the submitted one under another spelling or IRI."""
    name = mapped.facts.value(mapped.city, SCHEMA.name)
    country_iri = mapped.facts.value(mapped.city, CKG.country)
    country = mapped.facts.value(country_iri, SCHEMA.name) if country_iri is not None else None
    if name is None or country is None:
        return []
    countries = [
        (from_ox(row["country"]), str(from_ox(row["name"]))) for row in _rows(store.query(_COUNTRIES))
    ]
    same_country = [iri for iri, label in countries if iri == country_iri or _alike(label, str(country))]
    looks_like = _LooksLike(str(name))
    problems = []
    for candidate_country in sorted(set(same_country), key=str):
        # every city of the country: read as pyoxigraph terms, an rdflib term only for a match
        for row in _rows(store.query(_CITIES_IN, substitutions={"country": candidate_country})):
            city_term, name_term = row["city"], row["name"]
            if isinstance(city_term, ox.NamedNode) and city_term.value == str(mapped.city):
                continue
            stored_name = name_term.value if isinstance(name_term, ox.Literal) else str(from_ox(name_term))
            if not looks_like(stored_name):
                continue
            city = from_ox(city_term)
            problems.append(
                Problem(
                    Severity.WARNING if new_city else Severity.ERROR,
                    f"looks like '{stored_name}', already in the store as <{city}>",
                    field="city.name",
                    value=str(name),
                    where=mapped.document.describe("city.name"),
                    suggestion=stored_name,
                )
            )
    return problems


def conflicts(store: GraphStore, mapped: Mapped) -> list[Problem]:
    """Single-valued facts that another stored submission gives a different value (the graph
    this submission replaces, if stored, does not count)."""
    problems = []
    functional = single_valued()
    for s, p, o in sorted(mapped.facts, key=lambda t: (str(t[0]), str(t[1]), str(t[2]))):
        if p not in functional or p == RDF.type or (s, RDF.type, CKG.SurveyWave) in mapped.facts:
            continue  # (a wave's IRI is minted from its year: every submission of it agrees)
        bindings = {"s": s, "p": p, "value": o, "replacing": mapped.graph_iri}
        for row in _rows(store.query(_OTHER_VALUES, substitutions=bindings)):
            graph, stored = from_ox(row["g"]), from_ox(row["o"])
            field = mapped.fields.get((s, p, o)) or str(p)
            problems.append(
                Problem(
                    Severity.ERROR,
                    f"conflicts with {_shown(stored)!r}, stored for the same "
                    f"{_kind(mapped.facts, s)} by <{graph}>",
                    field=field,
                    value=_shown(o),
                    where=mapped.document.describe(field),
                    suggestion=_shown(stored) if isinstance(stored, Literal) else None,
                )
            )
    return problems


def stored_labels(store: GraphStore, mapped: list[Mapped]) -> dict[URIRef, Literal]:
    """The preferred label the store gives each free-text concept of `mapped`, in a graph
    those submissions do not replace (the first in code-point order, should there be several)."""
    replaced = {item.graph_iri for item in mapped}
    concepts = sorted({concept for item in mapped for concept in free_text_labels(item)}, key=str)
    found: dict[URIRef, Literal] = {}
    for concept in concepts:
        rows = _rows(store.query(_PREFERRED_LABELS, substitutions={"concept": concept}))
        labels = sorted(
            (
                label
                for row in rows
                if from_ox(row["g"]) not in replaced and isinstance(label := from_ox(row["label"]), Literal)
            ),
            key=str,
        )
        if labels:
            found[concept] = labels[0]
    return found


# Both kinds of label a concept has in the store's graphs.
_LABELS = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?concept ?g ?p ?label WHERE {
  GRAPH ?g { ?concept ?p ?label } FILTER(?p = skos:prefLabel || ?p = skos:altLabel)
}
"""


def orphaned_labels(
    store: GraphStore, replaced: dict[URIRef, Graph], new: dict[URIRef, Graph]
) -> dict[URIRef, list[tuple[URIRef, Literal]]]:
    """Free-text concepts whose preferred label only the `replaced` graphs held and the `new`
    ones do not: for each, the other stored graph (the first by IRI) whose alternative label
    becomes the preferred one, so that the concept keeps one."""
    concepts = sorted(
        {
            s
            for graph in replaced.values()
            for s in graph.subjects(SKOS.prefLabel, None)
            if isinstance(s, URIRef) and (s, CKG.freeText, Literal(True)) in graph
        },
        key=str,
    )
    found: dict[URIRef, list[tuple[URIRef, Literal]]] = {}
    for concept in concepts:
        if any((concept, SKOS.prefLabel, None) in graph for graph in new.values()):
            continue
        rows = _rows(store.query(_LABELS, substitutions={"concept": concept}))
        others = sorted(
            (str(graph), str(from_ox(row["p"])), label)
            for row in rows
            if (graph := from_ox(row["g"])) not in replaced
            and graph not in new
            and isinstance(label := from_ox(row["label"]), Literal)
        )
        if others and not any(p == str(SKOS.prefLabel) for _, p, _ in others):
            graph_iri, _, label = others[0]
            found.setdefault(URIRef(graph_iri), []).append((concept, label))
    return found


def changes(stored: StoredVersion | None, mapped: Mapped) -> list[Change]:
    """The diff of a submission against the stored version it replaces (all added if new)."""
    labels = load_vocabulary().graph
    if stored is None:
        return diff(Graph(), {}, mapped.facts, mapped.fields, labels=labels)
    return diff(
        facts_of(stored.graph, stored.graph_iri),
        evidence_fields(stored.graph),
        mapped.facts,
        mapped.fields,
        labels=labels,
    )


_KINDS: dict[URIRef, str] = {
    CKG.City: "city",
    CKG.Country: "country",
    CKG.PopulationObservation: "city and year",
    CKG.SurveyWave: "survey wave",
    FOAF.Person: "person",
}


def _kind(graph: Graph, node: Node) -> str:
    kind = graph.value(node, RDF.type)
    return _KINDS.get(kind, "resource") if isinstance(kind, URIRef) else "resource"


def _alike(a: str, b: str) -> bool:
    return _LooksLike(b)(a)


class _LooksLike:
    """Does a name look like `name` (equal once normalised, or a difflib ratio of at least
    SIMILAR_NAME)? For many names against one: `name` is normalised once, and difflib's cheap
    upper bounds of the ratio (real_quick_ratio >= quick_ratio >= ratio) turn most names away
    before the ratio itself is computed; the answers are those of the ratio alone."""

    def __init__(self, name: str) -> None:
        self._key = normalise(name)
        self._matcher = difflib.SequenceMatcher(None, "", self._key)  # difflib caches the second

    def __call__(self, other: str) -> bool:
        key = normalise(other)
        if key == self._key:
            return True
        matcher = self._matcher
        matcher.set_seq1(key)
        return (
            matcher.real_quick_ratio() >= SIMILAR_NAME
            and matcher.quick_ratio() >= SIMILAR_NAME
            and matcher.ratio() >= SIMILAR_NAME
        )


def _rows(result: object) -> list[dict[str, object]]:
    assert isinstance(result, ox.QuerySolutions)
    variables = [v.value for v in result.variables]
    return [{name: solution[name] for name in variables if solution[name] is not None} for solution in result]


def _shown(term: Node) -> str:
    return str(term)
