"""A readable diff between two versions of a submission graph: facts added, removed, changed.

Facts are shown as `field: value` in the terms of the submission format (`city.mayor: 'Jan
Vapaavuori'`, `teams[Digital Innovation].staff: 20`), not as triples. Field paths come from
the mapping (new version) or from the stored ckg:Evidence (stored version); facts without one
(RDF submissions) are labelled with their property (`ckg:mayor`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from citykg.terms import CKG, DCTERMS, FOAF, PROV, RDF, RDFS, SCHEMA, SKOS

Triple = tuple[Node, Node, Node]

# Nodes shown through the fact that links to them (a person through city.mayor), not on their own.
_SHOWN_BY_LINK = {FOAF.Person, CKG.Country, SKOS.Concept, CKG.SurveyWave, CKG.Survey}
# Facts every submission has that say nothing the submitter wrote beyond city and wave.
_STRUCTURAL = {CKG.city, CKG.wave, CKG.profile, RDFS.label, CKG.population, CKG.populationOf, CKG.purpose}
_INDEX = re.compile(r"\[\d+\]")


class ChangeKind(str, Enum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


@dataclass(frozen=True)
class Change:
    kind: ChangeKind
    field: str
    old: str | None = None
    new: str | None = None

    def render(self) -> str:
        if self.kind is ChangeKind.CHANGED:
            return f"changed  {self.field}: {self.old!r} -> {self.new!r}"
        value = self.new if self.kind is ChangeKind.ADDED else self.old
        return f"{self.kind.value:<8} {self.field}: {value!r}"

    def as_json(self) -> dict[str, str | None]:
        return {"change": self.kind.value, "field": self.field, "old": self.old, "new": self.new}


def facts_of(graph: Graph, graph_iri: URIRef) -> Graph:
    """The submitted facts of a stored submission graph, without its provenance and evidence."""
    skip = {graph_iri}
    skip |= {s for s in graph.subjects(RDF.type, CKG.Evidence) if isinstance(s, URIRef)}
    skip |= {s for s in graph.subjects(RDF.type, CKG.SourceFile) if isinstance(s, URIRef)}
    facts = Graph()
    for s, p, o in graph:
        if s not in skip and not (p == PROV.wasDerivedFrom and s == graph_iri):
            facts.add((s, p, o))
    return facts


def evidence_fields(graph: Graph) -> dict[Triple, str]:
    """The field path of each fact, from the ckg:Evidence a stored graph carries."""
    fields: dict[Triple, str] = {}
    for node in graph.subjects(RDF.type, CKG.Evidence):
        s, p, o = (graph.value(node, t) for t in (RDF.subject, RDF.predicate, RDF.object))
        path = graph.value(node, CKG.field)
        if s is not None and p is not None and o is not None and path is not None:
            fields[(s, p, o)] = str(path)
    return fields


def diff(
    old: Graph,
    old_fields: dict[Triple, str],
    new: Graph,
    new_fields: dict[Triple, str],
    *,
    labels: Graph | None = None,
) -> list[Change]:
    """What changes when `new` replaces `old`, as field-level changes in a stable order."""
    before = _statements(old, old_fields, labels)
    after = _statements(new, new_fields, labels)
    removed = sorted(before - after)
    added = sorted(after - before)
    changes: list[Change] = []
    removed_by_field: dict[str, list[str]] = {}
    added_by_field: dict[str, list[str]] = {}
    for field, value in removed:
        removed_by_field.setdefault(field, []).append(value)
    for field, value in added:
        added_by_field.setdefault(field, []).append(value)
    for field in sorted(set(removed_by_field) | set(added_by_field)):
        gone, came = removed_by_field.get(field, []), added_by_field.get(field, [])
        if len(gone) == 1 and len(came) == 1:
            changes.append(Change(ChangeKind.CHANGED, field, gone[0], came[0]))
            continue
        changes.extend(Change(ChangeKind.REMOVED, field, old=value) for value in gone)
        changes.extend(Change(ChangeKind.ADDED, field, new=value) for value in came)
    return changes


def _statements(graph: Graph, fields: dict[Triple, str], labels: Graph | None) -> set[tuple[str, str]]:
    shown_by_link = {s for t in _SHOWN_BY_LINK for s in graph.subjects(RDF.type, t)}
    out: set[tuple[str, str]] = set()
    for s, p, o in graph:
        if p == RDF.type or p in _STRUCTURAL or s in shown_by_link:
            continue
        if p in (CKG.freeText, CKG.proposedFor):
            continue
        linked_part = isinstance(o, URIRef) and (o, None, None) in graph and o not in shown_by_link
        if linked_part and _name_of(graph, o, labels) is None:
            continue  # a link to a part without a name (funding): its own facts say it all
        out.add((_label(graph, (s, p, o), fields, labels), _show(graph, o, labels)))
    return out


def _label(graph: Graph, triple: Triple, fields: dict[Triple, str], labels: Graph | None) -> str:
    s, p, _ = triple
    context = _name_of(graph, s, labels)
    path = fields.get(triple)
    if path is None:
        from citykg.sources.rdf import curie

        return f"{curie(p)} [{context}]" if context else curie(p)
    link = _link_path(graph, s, fields)
    if context and link and path.startswith(link) and _INDEX.search(link):
        last = list(_INDEX.finditer(link))[-1]
        head = _INDEX.sub("", link[: last.start()])
        return f"{head}[{context}]" + _INDEX.sub("", path[len(link) :])
    return _INDEX.sub("", path)


def _link_path(graph: Graph, node: Node, fields: dict[Triple, str]) -> str | None:
    """The field path of the fact that links a part of a profile (a team...) to its owner."""
    paths = sorted(
        path for (s, _, o), path in fields.items() if o == node and s != node and (s, _, o) in graph
    )
    return paths[0] if paths else None


def _name_of(graph: Graph, node: Node, labels: Graph | None) -> str | None:
    """A short name for a part of a profile (a team, a partnership, a target), if it has one."""
    if not isinstance(node, URIRef) or (node, RDF.type, CKG.CityProfile) in graph:
        return None
    if (node, RDF.type, CKG.City) in graph:
        return None
    for predicate in (SCHEMA.name, CKG.policyArea, CKG.partnerType, DCTERMS.description, CKG.year):
        value = graph.value(node, predicate)
        if value is not None:
            text = _show(graph, value, labels)
            return text if len(text) <= 40 else text[:39] + "…"
    return None


def _show(graph: Graph, term: Node, labels: Graph | None) -> str:
    if isinstance(term, Literal):
        return str(term)
    for source in (graph, labels):
        if source is None:
            continue
        for predicate in (SKOS.prefLabel, SCHEMA.name):
            value = source.value(term, predicate)
            if value is not None:
                return str(value)
    named = _name_of(graph, term, labels)
    return named if named is not None else str(term)
