"""What the server answers for one IRI of the store: its description, read from the asserted
named graphs (never from the default graph, whatever the build puts there).

- a resource: its triples (with the blank nodes they reach) plus the labels of what it links to;
- the ontology (`https://w3id.org/citykg/ontology`): the ontology and every term of its hash
  namespace (`#City` is a part of the ontology's document);
- a vocabulary (a `skos:ConceptScheme`): the scheme and its concepts;
- a named graph that is described nowhere (the ontology graph, the inferred graph): its triples;
- a version IRI (`owl:versionIRI`): the description of what it is the version of.
Descriptions leave the inferred graph out (they say what was asserted); its own IRI serves it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

import pyoxigraph as ox

from citykg.rdf.iris import IRIs
from citykg.rdf.terms import ONTOLOGY_IRI, OWL, RDF, SKOS
from citykg.store import subjects
from citykg.store.graphs import base_of
from citykg.store.remote.reading import RemoteStore
from citykg.store.subjects import Readable

RDF_TYPE = str(RDF.type)
SCHEME = str(SKOS.ConceptScheme)


class Kind(StrEnum):
    RESOURCE = "resource"
    ONTOLOGY = "ontology"
    VOCABULARY = "vocabulary"
    GRAPH = "graph"


@dataclass(frozen=True)
class Description:
    """The triples served for `iri`: about `iri` (and its `parts`: the ontology's terms, a
    scheme's concepts), the labels of what they link to; `graphs`: the named graphs holding
    `iri`; `labels`: IRI -> the label to show people (also of the properties used)."""

    iri: str
    kind: Kind
    triples: list[ox.Triple]
    graphs: tuple[str, ...]
    parts: tuple[str, ...] = ()
    labels: dict[str, str] = field(default_factory=dict)


def store_base(store: Readable) -> str:
    """The base IRI the store was built with (citykg's default when it does not say)."""
    stated = store.base if isinstance(store, RemoteStore) else base_of(store)
    return stated or IRIs().base


def describe(store: Readable, iri: str) -> Description | None:
    """The description of `iri`, or None when the store holds nothing about it."""
    inferred = [str(IRIs(store_base(store)).inferred_graph)]
    graphs = subjects.graphs_holding(store, iri, leave_out=inferred)
    if not graphs:
        if subjects.is_named_graph(store, iri):
            content = [q.triple for q in subjects.graph_triples(store, iri)]
            return Description(iri, Kind.GRAPH, content, (iri,))
        versioned = subjects.subjects_with(store, str(OWL.versionIRI), iri, leave_out=inferred)
        return describe(store, versioned[0]) if versioned else None
    triples = subjects.about(store, [iri], leave_out=inferred)
    kind, parts = Kind.RESOURCE, []
    if iri == ONTOLOGY_IRI:
        kind, parts = Kind.ONTOLOGY, subjects.subjects_under(store, iri + "#", graphs)
    elif ox.Triple(ox.NamedNode(iri), ox.NamedNode(RDF_TYPE), ox.NamedNode(SCHEME)) in triples:
        kind, parts = (
            Kind.VOCABULARY,
            subjects.subjects_with(store, str(SKOS.inScheme), iri, leave_out=inferred),
        )
    if parts:
        triples = list(dict.fromkeys([*triples, *subjects.about(store, parts, leave_out=inferred)]))
    described = {iri, *parts}
    linked = [
        t.object.value
        for t in triples
        if isinstance(t.object, ox.NamedNode) and t.object.value not in described
    ]
    named = subjects.labels(store, linked, leave_out=inferred)
    own = [t for t in triples if t.predicate.value in subjects.LABELS]
    shown = subjects.labels(store, {t.predicate.value for t in triples}, leave_out=inferred)
    return Description(
        iri,
        kind,
        list(dict.fromkeys([*triples, *named])),
        tuple(graphs),
        tuple(parts),
        labels=labels_in([*own, *named, *shown]),
    )


def labels_in(triples: list[ox.Triple]) -> dict[str, str]:
    """IRI -> the label to show: by LABELS' order, English or untagged first, then the smallest."""
    rank = {p: i for i, p in enumerate(subjects.LABELS)}
    best: dict[str, tuple[int, int, str]] = {}
    for t in triples:
        if t.predicate.value not in rank or not isinstance(t.subject, ox.NamedNode):
            continue
        if not isinstance(t.object, ox.Literal):
            continue
        language = t.object.language or ""
        key = (rank[t.predicate.value], 0 if language in ("", "en") else 1, t.object.value)
        if t.subject.value not in best or key < best[t.subject.value]:
            best[t.subject.value] = key
    return {iri: key[2] for iri, key in best.items()}
