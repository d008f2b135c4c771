"""A readable diff between two versions of a submission graph: facts added, removed, changed.

Facts are shown as `field: value` in the terms of the submission format (`city.mayor: 'Jan
Vapaavuori'`, `teams[Digital Innovation].staff: 20`), not as triples. Field paths come from
the mapping (new version) or from the stored ckg:Evidence (stored version); facts without one
(RDF submissions) are labelled with their property (`ckg:mayor`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from citykg.rdf.terms import CKG, DCTERMS, FOAF, PROV, RDF, RDFS, SCHEMA, SKOS, curie

Triple = tuple[Node, Node, Node]

# Nodes shown through the fact that links to them (a person through city.mayor), not on their own.
_SHOWN_BY_LINK = {FOAF.Person, CKG.Country, SKOS.Concept, CKG.SurveyWave, CKG.Survey}
# Facts every submission has that say nothing the submitter wrote beyond city and wave.
_STRUCTURAL = {CKG.city, CKG.wave, CKG.profile, RDFS.label, CKG.population, CKG.populationOf, CKG.purpose}
_INDEX = re.compile(r"\[\d+\]")


class ChangeKind(StrEnum):
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
    """What changes when `new` replaces `old`, as field-level changes in a stable order.

    Facts are compared as statements (the same fact is never a change, whatever its label);
    a fact replaced by another for the same resource and property is one `changed` line.
    """
    before, after = _statements(old), _statements(new)
    fallback = _by_subject_property(old_fields) | _by_subject_property(new_fields)
    old_links, new_links = _links(old, old_fields), _links(new, new_fields)
    removed = {
        t: (_label(old, t, old_fields, fallback, old_links, labels), _show(old, t[2], labels))
        for t in before - after
    }
    added = {
        t: (_label(new, t, new_fields, fallback, new_links, labels), _show(new, t[2], labels))
        for t in after - before
    }
    changes: list[Change] = []
    by_key: dict[tuple[Node, Node], tuple[list[Triple], list[Triple]]] = {}
    for triple in removed:
        by_key.setdefault(triple[:2], ([], []))[0].append(triple)
    for triple in added:
        by_key.setdefault(triple[:2], ([], []))[1].append(triple)
    for gone, came in by_key.values():
        if len(gone) == 1 and len(came) == 1:
            label, new_value = added[came[0]]
            changes.append(Change(ChangeKind.CHANGED, label, removed[gone[0]][1], new_value))
            continue
        changes.extend(Change(ChangeKind.REMOVED, *removed[t][:1], old=removed[t][1]) for t in gone)
        changes.extend(Change(ChangeKind.ADDED, *added[t][:1], new=added[t][1]) for t in came)
    order = {ChangeKind.CHANGED: 0, ChangeKind.REMOVED: 1, ChangeKind.ADDED: 2}
    return sorted(changes, key=lambda c: (c.field, order[c.kind], c.old or "", c.new or ""))


def _by_subject_property(fields: dict[Triple, str]) -> dict[tuple[Node, Node], str]:
    out: dict[tuple[Node, Node], str] = {}
    for (s, p, _), path in sorted(fields.items(), key=lambda item: item[1]):
        out.setdefault((s, p), path)
    return out


def _statements(graph: Graph) -> set[Triple]:
    """The facts a diff shows: not types, not the structure every submission has, not the
    descriptions of people, countries and concepts (they show through the fact linking them)."""
    shown_by_link = {s for t in _SHOWN_BY_LINK for s in graph.subjects(RDF.type, t)}
    out: set[Triple] = set()
    for s, p, o in graph:
        if p == RDF.type or p in _STRUCTURAL or s in shown_by_link:
            continue
        if p in (CKG.freeText, CKG.proposedFor):
            continue
        linked_part = isinstance(o, URIRef) and (o, None, None) in graph and o not in shown_by_link
        if linked_part and _name_of(graph, o, None) is None:
            continue  # a link to a part without a name (funding): its own facts say it all
        out.add((s, p, o))
    return out


def _label(
    graph: Graph,
    triple: Triple,
    fields: dict[Triple, str],
    fallback: dict[tuple[Node, Node], str],
    links: dict[Node, str],
    labels: Graph | None,
) -> str:
    s, p, _ = triple
    context = _name_of(graph, s, labels)
    path = fields.get(triple) or fallback.get((s, p))
    if path is None:
        return f"{curie(p)} [{context}]" if context else curie(p)
    link = links.get(s)
    if context and link and path.startswith(link) and _INDEX.search(link):
        last = list(_INDEX.finditer(link))[-1]
        head = _INDEX.sub("", link[: last.start()])
        return f"{head}[{context}]" + _INDEX.sub("", path[len(link) :])
    return _INDEX.sub("", path)


def _links(graph: Graph, fields: dict[Triple, str]) -> dict[Node, str]:
    """For each part of a profile (a team...), the field path of the fact that links it to its
    owner (the first in code-point order, should there be several)."""
    links: dict[Node, str] = {}
    for (s, p, o), path in fields.items():
        if o != s and (o not in links or path < links[o]) and (s, p, o) in graph:
            links[o] = path
    return links


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
        for predicate in (SKOS.prefLabel, SKOS.altLabel, SCHEMA.name):
            value = source.value(term, predicate)
            if value is not None:
                return str(value)
    named = _name_of(graph, term, labels)
    return named if named is not None else str(term)
