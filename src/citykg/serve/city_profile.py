"""A city's profile as people read it: one `Wave` per survey wave the city answered, each with
the sections of the submission format (header, goals, success factors, strategy, policy areas
with targets, teams, funding, partnerships, data partnerships, initiatives) and every fact's
evidence (the ckg:Evidence records of its submission graph: source file, line, column, field).

Everything is read by index lookups from the city's named submission graphs (never from the
default graph, whose content is a choice of the build); the labels of the concepts and
properties from the named graphs holding them. Items carry a `key` ((aspect, value), as the
catalog query `city-changes` words them) so that two waves can be compared (`mark_changes`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from citykg.rdf.iris import IRIs
from citykg.rdf.terms import CKG, DCTERMS, PROV, RDF, SCHEMA
from citykg.serve.describe import labels_in, store_base
from citykg.store import subjects
from citykg.store.graphs import OxigraphStore

Term = ox.NamedNode | ox.BlankNode | ox.Literal

_TYPE, _SUBJECT, _PREDICATE, _OBJECT = (str(RDF.type), str(RDF.subject), str(RDF.predicate), str(RDF.object))
_C = {
    name: str(CKG[name])
    for name in [
        "city",
        "country",
        "profile",
        "wave",
        "year",
        "population",
        "populationValue",
        "mayor",
        "innovationOfficer",
        "goal",
        "successFactor",
        "hasExplicitStrategy",
        "approach",
        "prioritisesPolicyAreas",
        "hasDedicatedTeam",
        "innovationDistributed",
        "innovationInternalOnly",
        "policyAreaFocus",
        "policyArea",
        "target",
        "targetYear",
        "team",
        "situatedIn",
        "staffCount",
        "staffMin",
        "staffMax",
        "funding",
        "dedicated",
        "fundingUse",
        "partnership",
        "purpose",
        "partnerType",
        "includesPartnerType",
        "example",
        "dataPurpose",
        "initiative",
        "Evidence",
        "field",
        "sourceLine",
        "sourceColumn",
        "sourceText",
        "evidenceSource",
        "CityProfile",
        "populationOf",
    ]
}
_NAME, _DESCRIPTION = str(SCHEMA.name), str(DCTERMS.description)
_DERIVED, _LOCATION = str(PROV.wasDerivedFrom), str(PROV.atLocation)
#: the partnership purposes, by the last part of their concept IRI
DATA_PURPOSE = "data"


@dataclass(frozen=True)
class Evidence:
    """Where one fact was stated: a field of the submission, at a line (and column) of a file."""

    field: str
    source: str
    line: int | None = None
    column: int | None = None
    text: str | None = None


@dataclass
class Item:
    """One fact (or a group of facts about one thing: a team) of a profile, as shown."""

    aspect: str
    text: str
    key: tuple[str, str] | None = None
    url_iri: str | None = None
    note: str = ""
    evidence: list[Evidence] = field(default_factory=list)
    parts: list[Item] = field(default_factory=list)
    #: "added" (not in the wave before) or "removed" (not in the wave after), set by mark_changes
    change: str = ""


@dataclass
class Section:
    title: str
    anchor: str
    items: list[Item] = field(default_factory=list)


@dataclass
class Wave:
    year: str
    profile: str
    graph: str
    sources: list[str]
    sections: list[Section]

    def items(self) -> list[Item]:
        return [item for section in self.sections for item in section.items]


@dataclass
class City:
    iri: str
    name: str
    country: str
    waves: list[Wave]


def city_profile(store: OxigraphStore, iri: str) -> City | None:
    """The profile of the city `iri` in every wave it answered, or None when it is no city."""
    inferred = [str(IRIs(store_base(store)).inferred_graph)]
    profiles = subjects.subjects_with(store, _C["city"], iri, leave_out=inferred)
    waves: list[Wave] = []
    name = country = ""
    for profile in profiles:
        for graph_name in subjects.graphs_holding(store, profile, leave_out=inferred):
            graph = _Graph(store, graph_name)
            if _C["CityProfile"] not in [t.value for t in graph.all(profile, _TYPE)]:
                continue
            graph.label(store, inferred)
            name = graph.text(iri, _NAME) or name
            country = graph.name_of(graph.one(iri, _C["country"])) or country
            waves.append(_wave(graph, iri, profile))
    if not waves:
        return None
    waves.sort(key=lambda w: (w.year, w.graph))
    mark_changes(waves)
    return City(iri, name or iri, country, waves)


def mark_changes(waves: list[Wave]) -> None:
    """Mark each item that is not in the wave before it as added, and each that is not in the
    wave after it as removed (what `city-changes` calls the changes of a city)."""
    keys = [{item.key for item in _walk(wave.items()) if item.key} for wave in waves]
    for index, wave in enumerate(waves):
        for item in _walk(wave.items()):
            if item.key is None:
                continue
            if index > 0 and item.key not in keys[index - 1]:
                item.change = "added"
            elif index + 1 < len(waves) and item.key not in keys[index + 1]:
                item.change = "removed"


def _walk(items: list[Item]) -> list[Item]:
    return [x for item in items for x in (item, *_walk(item.parts))]


class _Graph:
    """One submission graph, indexed by subject, with its evidence and the labels it needs."""

    def __init__(self, store: OxigraphStore, name: str) -> None:
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
            if _C["Evidence"] not in [t.value for t in facts.get(_TYPE, [])]:
                continue
            s, p, o = (self.one(node, t) for t in (_SUBJECT, _PREDICATE, _OBJECT))
            if s is None or p is None or o is None:
                continue
            source = self.one(node, _C["evidenceSource"])
            self.evidence[(s.value, p.value, o)].append(
                Evidence(
                    field=self.text(node, _C["field"]) or "",
                    source=self.sources.get(source.value, source.value) if source else "",
                    line=_int(self.one(node, _C["sourceLine"])),
                    column=_int(self.one(node, _C["sourceColumn"])),
                    text=self.text(node, _C["sourceText"]),
                )
            )
        self.labels: dict[str, str] = {}

    def label(self, store: OxigraphStore, leave_out: list[str]) -> None:
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
        return self.labels.get(term.value) or self.text(term.value, _NAME) or term.value

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


def _yes(term: Term | None) -> str:
    return "yes" if term is not None and term.value == "true" else "no"


def _wave(graph: _Graph, city: str, profile: str) -> Wave:
    wave = graph.one(profile, _C["wave"])
    year = graph.text(wave.value, _C["year"]) if wave is not None else ""
    build = _Builder(graph, profile)
    return Wave(
        year=year or "",
        profile=profile,
        graph=graph.name,
        sources=sorted(graph.sources.values()),
        sections=build.sections(city, year or ""),
    )


class _Builder:
    """The sections of one profile."""

    def __init__(self, graph: _Graph, profile: str) -> None:
        self.g = graph
        self.profile = profile
        self.used: set[str] = {
            _TYPE,
            _C["city"],
            _C["wave"],
            str(RDF.type),
            "http://www.w3.org/2000/01/rdf-schema#label",
        }

    def concept(self, predicate: str, aspect: str, subject: str | None = None) -> list[Item]:
        subject = subject or self.profile
        self.used.add(predicate)
        items = []
        for value in self.g.all(subject, predicate):
            text = self.g.name_of(value)
            items.append(
                Item(
                    aspect,
                    text,
                    (aspect, text),
                    _iri(value),
                    evidence=self.g.evidence_of(subject, predicate, value),
                )
            )
        return sorted(items, key=lambda i: i.text.lower())

    def flag(self, predicate: str, aspect: str, subject: str | None = None) -> list[Item]:
        subject = subject or self.profile
        self.used.add(predicate)
        value = self.g.one(subject, predicate)
        if value is None:
            return []
        text = _yes(value)
        return [Item(aspect, text, (aspect, text), evidence=self.g.evidence_of(subject, predicate, value))]

    def sections(self, city: str, year: str) -> list[Section]:
        g, p = self.g, self.profile
        wave, country = g.one(p, _C["wave"]), g.one(city, _C["country"])
        header = [
            Item(
                "wave",
                year,
                None,
                _iri(wave),
                evidence=g.evidence_of(p, _C["wave"], wave, own=False) if wave else [],
            ),
            Item(
                "country",
                g.name_of(country),
                None,
                _iri(country),
                evidence=g.evidence_of(city, _C["country"], country, own=False) if country else [],
            ),
        ]
        for obs in g.all(p, _C["population"]):
            n, when = g.text(obs.value, _C["populationValue"]), g.text(obs.value, _C["year"])
            shown = f"{int(n):,} ({when})" if n and n.isdigit() else f"{n} ({when})"
            header.append(
                Item(
                    "population",
                    shown,
                    ("population", f"{n} ({when})"),
                    obs.value,
                    evidence=g.evidence_of(p, _C["population"], obs),
                )
            )
        self.used.add(_C["population"])
        header += self.people(_C["mayor"], "mayor") + self.people(
            _C["innovationOfficer"], "innovation officer"
        )
        strategy = self.flag(_C["hasExplicitStrategy"], "explicit strategy")
        strategy += self.concept(_C["approach"], "approach")
        strategy += self.flag(_C["prioritisesPolicyAreas"], "prioritises policy areas")
        strategy += self.flag(_C["hasDedicatedTeam"], "dedicated team")
        strategy += self.flag(_C["innovationDistributed"], "innovation distributed across the administration")
        funding: list[Item] = []
        for node in g.all(p, _C["funding"]):
            funding += self.flag(_C["dedicated"], "dedicated funding", node.value)
            funding += self.concept(_C["fundingUse"], "funding use", node.value)
            funding += self.rest(node.value, skip={_C["dedicated"], _C["fundingUse"]})
        self.used.add(_C["funding"])
        partners, data = self.partnerships()
        partners = (
            self.flag(_C["innovationInternalOnly"], "innovation partners inside the city only") + partners
        )
        data += self.concept(_C["dataPurpose"], "data purpose")
        sections = [
            Section("Who and when", "header", header),
            Section("Goals", "goals", self.concept(_C["goal"], "goal")),
            Section(
                "Success factors", "success-factors", self.concept(_C["successFactor"], "success factor")
            ),
            Section("Strategy and organisation", "strategy", strategy),
            Section("Policy areas and targets", "policy-areas", self.policy_areas()),
            Section("Teams", "teams", self.teams()),
            Section("Funding and its uses", "funding", funding),
            Section("Partnerships for innovation", "partnerships", partners),
            Section("Data partnerships", "data-partnerships", data),
            Section("Initiatives", "initiatives", self.initiatives()),
        ]
        other = self.rest(p)
        if other:
            sections.append(Section("Other answers", "other", other))
        return sections

    def people(self, predicate: str, aspect: str) -> list[Item]:
        self.used.add(predicate)
        items = []
        for person in self.g.all(self.profile, predicate):
            name = self.g.name_of(person)
            item = Item(
                aspect,
                name,
                (aspect, name),
                person.value,
                evidence=self.g.evidence_of(self.profile, predicate, person),
            )
            item.parts = self.rest(person.value, skip={_NAME})
            items.append(item)
        return items

    def named_parts(self, predicate: str, aspect: str) -> list[tuple[ox.NamedNode, Item]]:
        self.used.add(predicate)
        found = []
        for node in self.g.all(self.profile, predicate):
            if isinstance(node, ox.NamedNode):
                item = Item(
                    aspect,
                    self.g.name_of(node),
                    None,
                    node.value,
                    evidence=self.g.evidence_of(self.profile, predicate, node, own=False),
                )
                found.append((node, item))
        return sorted(found, key=lambda pair: pair[1].text.lower())

    def targets(self, node: str) -> list[Item]:
        items = []
        for target in self.g.all(node, _C["target"]):
            description, year = (
                self.g.text(target.value, _DESCRIPTION),
                self.g.text(target.value, _C["targetYear"]),
            )
            text = f"{description} by {year}"
            items.append(
                Item(
                    "target",
                    text,
                    ("target", text),
                    target.value,
                    evidence=self.g.evidence_of(node, _C["target"], target),
                )
            )
        return items

    def policy_areas(self) -> list[Item]:
        items = []
        for node, item in self.named_parts(_C["policyAreaFocus"], "policy area"):
            area = self.g.one(node.value, _C["policyArea"])
            item.text = self.g.name_of(area)
            item.key = ("policy area", item.text)
            described = self.g.one(node.value, _DESCRIPTION)
            item.note = described.value if described is not None else ""
            item.evidence += self.g.evidence_of(node.value, _C["policyArea"], area) if area else []
            item.evidence += self.g.evidence_of(node.value, _DESCRIPTION, described) if described else []
            item.parts = self.targets(node.value) + self.rest(
                node.value, skip={_C["policyArea"], _DESCRIPTION, _C["target"]}
            )
            items.append(item)
        return sorted(items, key=lambda i: i.text.lower())

    def teams(self) -> list[Item]:
        items = []
        for node, item in self.named_parts(_C["team"], "team"):
            where = self.g.text(node.value, _C["situatedIn"])
            staff, low, high = (
                self.g.text(node.value, _C[k]) for k in ("staffCount", "staffMin", "staffMax")
            )
            size = f"{staff} staff" if staff else (f"{low}-{high} staff" if low and high else "")
            item.text = ", ".join(x for x in (self.g.text(node.value, _NAME), where, size) if x)
            item.key = ("team", item.text)
            item.evidence = self.g.evidence_of(self.profile, _C["team"], node)
            item.parts = self.rest(
                node.value, skip={_NAME, _C["situatedIn"], _C["staffCount"], _C["staffMin"], _C["staffMax"]}
            )
            items.append(item)
        return items

    def partnerships(self) -> tuple[list[Item], list[Item]]:
        innovation: list[Item] = []
        data: list[Item] = []
        for node, item in self.named_parts(_C["partnership"], "partner"):
            purpose = self.g.one(node.value, _C["purpose"])
            aspect = f"{self.g.name_of(purpose)} partner"
            kind = self.g.one(node.value, _C["partnerType"])
            item.aspect, item.text = aspect, self.g.name_of(kind)
            item.key = (aspect, item.text)
            item.url_iri = _iri(kind) or item.url_iri
            item.evidence += self.g.evidence_of(node.value, _C["partnerType"], kind) if kind else []
            narrower = [
                Item(
                    aspect,
                    self.g.name_of(t),
                    (aspect, self.g.name_of(t)),
                    _iri(t),
                    note="a narrower kind",
                    evidence=self.g.evidence_of(node.value, _C["includesPartnerType"], t),
                )
                for t in self.g.all(node.value, _C["includesPartnerType"])
            ]
            examples = [
                Item("example", e.value, None, evidence=self.g.evidence_of(node.value, _C["example"], e))
                for e in self.g.all(node.value, _C["example"])
            ]
            item.parts = (
                narrower
                + examples
                + self.rest(
                    node.value,
                    skip={_C["purpose"], _C["partnerType"], _C["includesPartnerType"], _C["example"]},
                )
            )
            is_data = purpose is not None and purpose.value.rsplit("/", 1)[-1] == DATA_PURPOSE
            (data if is_data else innovation).append(item)
        return innovation, data

    def initiatives(self) -> list[Item]:
        items = []
        for node, item in self.named_parts(_C["initiative"], "initiative"):
            item.key = ("initiative", item.text)
            item.note = self.g.text(node.value, _DESCRIPTION) or ""
            item.evidence = self.g.evidence_of(self.profile, _C["initiative"], node)
            item.parts = self.targets(node.value) + self.rest(
                node.value, skip={_NAME, _DESCRIPTION, _C["target"]}
            )
            items.append(item)
        return items

    def rest(self, subject: str, skip: set[str] | None = None) -> list[Item]:
        """The facts about `subject` no section shows (so that nothing submitted is left out)."""
        skip = (skip or set()) | (self.used if subject == self.profile else {_TYPE})
        items = []
        for predicate, values in sorted(self.g.by_subject.get(subject, {}).items()):
            if predicate in skip:
                continue
            aspect = self.g.labels.get(predicate) or predicate.rsplit("#", 1)[-1]
            for value in sorted(values, key=str):
                text = self.g.name_of(value)
                items.append(
                    Item(
                        aspect,
                        text,
                        (aspect, text),
                        _iri(value),
                        evidence=self.g.evidence_of(subject, predicate, value),
                    )
                )
        return items


def _iri(term: Term | None) -> str | None:
    return term.value if isinstance(term, ox.NamedNode) else None
