"""One submission graph as the pages read it: its triples by subject, its sources, and its
ckg:Evidence records (mapping/provenance.py) by the fact each is about, read from the named
graph itself (never from the default graph, which may lose the evidence records)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pyoxigraph as ox

from citykg.rdf.terms import CKG, PROV, RDF, SCHEMA
from citykg.serve.describe import labels_in
from citykg.store import subjects
from citykg.store.subjects import Readable

Term = ox.NamedNode | ox.BlankNode | ox.Literal

TYPE = str(RDF.type)
NAME = str(SCHEMA.name)
_STATEMENT = (str(RDF.subject), str(RDF.predicate), str(RDF.object))
_EVIDENCE = {
    n: str(CKG[n])
    for n in ("Evidence", "field", "sourceLine", "sourceColumn", "sourceText", "evidenceSource")
}
_DERIVED, _LOCATION = str(PROV.wasDerivedFrom), str(PROV.atLocation)


@dataclass(frozen=True)
class Evidence:
    """Where one fact was stated: a field of the submission, at a line (and column) of a file."""

    field: str
    source: str
    line: int | None = None
    column: int | None = None
    text: str | None = None


class SubmissionGraph:
    """One named submission graph read by index lookups, indexed by subject, with its
    evidence records by the fact they are about and (`label`) the labels of what it names."""

    def __init__(self, store: Readable, name: str) -> None:
        self.name = name
        self.by_subject: dict[str, dict[str, list[Term]]] = defaultdict(lambda: defaultdict(list))
        for quad in subjects.graph_triples(store, name):
            if isinstance(quad.subject, ox.NamedNode | ox.BlankNode) and not isinstance(
                quad.object, ox.Triple
            ):
                self.by_subject[quad.subject.value][quad.predicate.value].append(quad.object)
        self.sources = {s.value: (self.text(s.value, _LOCATION) or s.value) for s in self.all(name, _DERIVED)}
        self.evidence: dict[tuple[str, str, Term], list[Evidence]] = defaultdict(list)
        for node, facts in list(self.by_subject.items()):
            if _EVIDENCE["Evidence"] not in [t.value for t in facts.get(TYPE, [])]:
                continue
            s, p, o = (self.one(node, t) for t in _STATEMENT)
            if s is None or p is None or o is None:
                continue
            source = self.one(node, _EVIDENCE["evidenceSource"])
            self.evidence[(s.value, p.value, o)].append(
                Evidence(
                    field=self.text(node, _EVIDENCE["field"]) or "",
                    source=self.sources.get(source.value, source.value) if source else "",
                    line=_int(self.one(node, _EVIDENCE["sourceLine"])),
                    column=_int(self.one(node, _EVIDENCE["sourceColumn"])),
                    text=self.text(node, _EVIDENCE["sourceText"]),
                )
            )
        self.labels: dict[str, str] = {}

    def label(self, store: Readable, leave_out: list[str]) -> None:
        """Read the labels of every IRI the graph links to, and of its properties."""
        linked = {
            o.value
            for facts in self.by_subject.values()
            for values in facts.values()
            for o in values
            if isinstance(o, ox.NamedNode)
        }
        linked |= {p for facts in self.by_subject.values() for p in facts}
        self.labels = labels_in(subjects.labels(store, sorted(linked), leave_out=leave_out))

    def all(self, subject: str, predicate: str) -> list[Term]:
        return sorted(self.by_subject.get(subject, {}).get(predicate, []), key=str)

    def one(self, subject: str, predicate: str) -> Term | None:
        found = self.all(subject, predicate)
        return found[0] if found else None

    def text(self, subject: str, predicate: str) -> str | None:
        value = self.one(subject, predicate)
        return value.value if value is not None else None

    def name_of(self, term: Term | None) -> str:
        if term is None:
            return ""
        if isinstance(term, ox.Literal):
            return term.value
        return self.labels.get(term.value) or self.text(term.value, NAME) or term.value

    def evidence_of(self, subject: str, predicate: str, value: Term, *, own: bool = True) -> list[Evidence]:
        """The evidence of one fact, and (`own`) of the facts about its value (a team's name...)."""
        found = list(self.evidence.get((subject, predicate, value), []))
        if own and isinstance(value, ox.NamedNode):
            for p, objects in sorted(self.by_subject.get(value.value, {}).items()):
                for o in objects:
                    found += self.evidence.get((value.value, p, o), [])
        return sorted(set(found), key=lambda e: (e.source, e.line or 0, e.column or 0, e.field))


def _int(term: Term | None) -> int | None:
    return int(term.value) if isinstance(term, ox.Literal) and term.value.lstrip("-").isdigit() else None
