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

from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from citykg.rdf.iris import IRIs
from citykg.rdf.terms import CKG, DCTERMS, RDFS
from citykg.serve.describe import store_base
from citykg.serve.submission_graph import NAME, TYPE, Evidence, SubmissionGraph, Term
from citykg.store import subjects
from citykg.store.subjects import Readable

_TERMS = """
city country wave year population populationValue mayor innovationOfficer goal successFactor
hasExplicitStrategy approach prioritisesPolicyAreas hasDedicatedTeam innovationDistributed
innovationInternalOnly policyAreaFocus policyArea target targetYear team situatedIn staffCount
staffMin staffMax funding dedicated fundingUse partnership purpose partnerType includesPartnerType
example dataPurpose initiative CityProfile
"""
_C = {name: str(CKG[name]) for name in _TERMS.split()}
_DESCRIPTION = str(DCTERMS.description)
#: the partnership purposes, by the last part of their concept IRI
DATA_PURPOSE = "data"


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
    #: (IRI, label) of the classes it is stated to be an instance of
    types: list[tuple[str, str]] = field(default_factory=list)


def city_profile(store: Readable, iri: str) -> City | None:
    """The profile of the city `iri` in every wave it answered, or None when it is no city."""
    inferred = [str(IRIs(store_base(store)).inferred_graph)]
    profiles = subjects.subjects_with(store, _C["city"], iri, leave_out=inferred)
    waves: list[Wave] = []
    name = country = ""
    types: dict[str, str] = {}
    for profile in profiles:
        for graph_name in subjects.graphs_holding(store, profile, leave_out=inferred):
            graph = SubmissionGraph(store, graph_name)
            if _C["CityProfile"] not in [t.value for t in graph.all(profile, TYPE)]:
                continue
            graph.label(store, inferred)
            name = graph.text(iri, NAME) or name
            country = graph.name_of(graph.one(iri, _C["country"])) or country
            types.update((t.value, graph.name_of(t)) for t in graph.all(iri, TYPE))
            waves.append(_wave(graph, iri, profile))
    if not waves:
        return None
    waves.sort(key=lambda w: (w.year, w.graph))
    mark_changes(waves)
    return City(iri, name or iri, country, waves, sorted(types.items()))


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


def _yes(term: Term | None) -> str:
    return "yes" if term is not None and term.value == "true" else "no"


def _wave(graph: SubmissionGraph, city: str, profile: str) -> Wave:
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

    def __init__(self, graph: SubmissionGraph, profile: str) -> None:
        self.g = graph
        self.profile = profile
        self.used: set[str] = {TYPE, _C["city"], _C["wave"], str(RDFS.label)}

    def fact(
        self, aspect: str, subject: str, predicate: str, value: Term, *, text: str | None = None, **more: Any
    ) -> Item:
        """One fact (`subject` `predicate` `value`) shown as `text` (the value's name), keyed for
        comparing waves, with its evidence (and that of what `value` names: `own`)."""
        own = more.pop("own", True)
        shown = self.g.name_of(value) if text is None else text
        key = more.pop("key", (aspect, shown))
        evidence = self.g.evidence_of(subject, predicate, value, own=own)
        return Item(aspect, shown, key, _iri(value), evidence=evidence, **more)

    def facts(self, predicate: str, aspect: str, subject: str | None = None, **more: Any) -> list[Item]:
        """Every value of `predicate` (of the profile, or of `subject`), by name."""
        subject = subject or self.profile
        self.used.add(predicate)
        found = [self.fact(aspect, subject, predicate, v, **more) for v in self.g.all(subject, predicate)]
        return sorted(found, key=lambda i: i.text.lower())

    def flag(self, predicate: str, aspect: str, subject: str | None = None) -> list[Item]:
        subject = subject or self.profile
        self.used.add(predicate)
        value = self.g.one(subject, predicate)
        return [] if value is None else [self.fact(aspect, subject, predicate, value, text=_yes(value))]

    def sections(self, city: str, year: str) -> list[Section]:
        g, p, c = self.g, self.profile, _C
        header = [
            self.fact("wave", p, c["wave"], v, text=year, own=False, key=None) for v in g.all(p, c["wave"])
        ]
        header += [
            self.fact("country", city, c["country"], v, own=False, key=None)
            for v in g.all(city, c["country"])
        ]
        for obs in g.all(p, c["population"]):
            n, when = g.text(obs.value, c["populationValue"]), g.text(obs.value, c["year"])
            item = self.fact("population", p, c["population"], obs, text=f"{n} ({when})")
            item.text = f"{int(n):,} ({when})" if n and n.isdigit() else item.text
            header.append(item)
        self.used.add(c["population"])
        for predicate, aspect in ((c["mayor"], "mayor"), (c["innovationOfficer"], "innovation officer")):
            header += self.people(predicate, aspect)
        strategy = self.flag(c["hasExplicitStrategy"], "explicit strategy") + self.facts(
            c["approach"], "approach"
        )
        strategy += self.flag(c["prioritisesPolicyAreas"], "prioritises policy areas")
        strategy += self.flag(c["hasDedicatedTeam"], "dedicated team")
        strategy += self.flag(c["innovationDistributed"], "innovation distributed across the administration")
        funding: list[Item] = []
        for node in g.all(p, c["funding"]):
            funding += self.flag(c["dedicated"], "dedicated funding", node.value)
            funding += self.facts(c["fundingUse"], "funding use", node.value)
            funding += self.rest(node.value, skip={c["dedicated"], c["fundingUse"]})
        self.used.add(c["funding"])
        partners, data = self.partnerships()
        partners = (
            self.flag(c["innovationInternalOnly"], "innovation partners inside the city only") + partners
        )
        data += self.facts(c["dataPurpose"], "data purpose")
        sections = [
            Section("Who and when", "header", header),
            Section("Goals", "goals", self.facts(c["goal"], "goal")),
            Section("Success factors", "success-factors", self.facts(c["successFactor"], "success factor")),
            Section("Strategy and organisation", "strategy", strategy),
            Section("Policy areas and targets", "policy-areas", self.policy_areas()),
            Section("Teams", "teams", self.teams()),
            Section("Funding and its uses", "funding", funding),
            Section("Partnerships for innovation", "partnerships", partners),
            Section("Data partnerships", "data-partnerships", data),
            Section("Initiatives", "initiatives", self.initiatives()),
        ]
        other = self.rest(p)
        return sections + ([Section("Other answers", "other", other)] if other else [])

    def people(self, predicate: str, aspect: str) -> list[Item]:
        items = self.facts(predicate, aspect, own=False)
        for item in items:
            item.parts = self.rest(item.url_iri or "", skip={NAME})
        return items

    def parts(self, predicate: str, aspect: str) -> list[tuple[str, Item]]:
        """The parts of the profile `predicate` links to (teams...), each with its link's evidence."""
        self.used.add(predicate)
        nodes = [n for n in self.g.all(self.profile, predicate) if isinstance(n, ox.NamedNode)]
        return [(n.value, self.fact(aspect, self.profile, predicate, n, own=False, key=None)) for n in nodes]

    def targets(self, node: str) -> list[Item]:
        items = []
        for target in self.g.all(node, _C["target"]):
            description, year = (self.g.text(target.value, t) for t in (_DESCRIPTION, _C["targetYear"]))
            items.append(self.fact("target", node, _C["target"], target, text=f"{description} by {year}"))
        return items

    def policy_areas(self) -> list[Item]:
        items = []
        for node, item in self.parts(_C["policyAreaFocus"], "policy area"):
            area = self.g.one(node, _C["policyArea"])
            item.text = self.g.name_of(area)
            item.key = ("policy area", item.text)
            for described in self.g.all(node, _DESCRIPTION):
                item.note = described.value
            for predicate in (_C["policyArea"], _DESCRIPTION):
                item.evidence += [
                    e for v in self.g.all(node, predicate) for e in self.g.evidence_of(node, predicate, v)
                ]
            item.parts = self.targets(node) + self.rest(
                node, skip={_C["policyArea"], _DESCRIPTION, _C["target"]}
            )
            items.append(item)
        return sorted(items, key=lambda i: i.text.lower())

    def teams(self) -> list[Item]:
        items = []
        for node, item in self.parts(_C["team"], "team"):
            name, where, staff, low, high = (
                self.g.text(node, t)
                for t in (NAME, *(_C[k] for k in ("situatedIn", "staffCount", "staffMin", "staffMax")))
            )
            size = f"{staff} staff" if staff else (f"{low}-{high} staff" if low and high else "")
            item.text = ", ".join(x for x in (name, where, size) if x)
            item.key = ("team", item.text)
            item.evidence = self.g.evidence_of(self.profile, _C["team"], ox.NamedNode(node))
            shown = {NAME, _C["situatedIn"], _C["staffCount"], _C["staffMin"], _C["staffMax"]}
            item.parts = self.rest(node, skip=shown)
            items.append(item)
        return sorted(items, key=lambda i: i.text.lower())

    def partnerships(self) -> tuple[list[Item], list[Item]]:
        innovation: list[Item] = []
        data: list[Item] = []
        c = _C
        for node, item in self.parts(c["partnership"], "partner"):
            purpose, kind = self.g.one(node, c["purpose"]), self.g.one(node, c["partnerType"])
            item.aspect, item.text = f"{self.g.name_of(purpose)} partner", self.g.name_of(kind)
            item.key = (item.aspect, item.text)
            item.url_iri = _iri(kind) or item.url_iri
            item.evidence += self.g.evidence_of(node, c["partnerType"], kind) if kind else []
            narrower = self.facts(c["includesPartnerType"], item.aspect, node, note="a narrower kind")
            examples = self.facts(c["example"], "example", node, key=None)
            shown = {c["purpose"], c["partnerType"], c["includesPartnerType"], c["example"]}
            item.parts = narrower + examples + self.rest(node, skip=shown)
            is_data = purpose is not None and purpose.value.rsplit("/", 1)[-1] == DATA_PURPOSE
            (data if is_data else innovation).append(item)
        return sorted(innovation, key=_by_text), sorted(data, key=_by_text)

    def initiatives(self) -> list[Item]:
        items = []
        for node, item in self.parts(_C["initiative"], "initiative"):
            item.key = ("initiative", item.text)
            item.note = self.g.text(node, _DESCRIPTION) or ""
            item.evidence = self.g.evidence_of(self.profile, _C["initiative"], ox.NamedNode(node))
            item.parts = self.targets(node) + self.rest(node, skip={NAME, _DESCRIPTION, _C["target"]})
            items.append(item)
        return sorted(items, key=_by_text)

    def rest(self, subject: str, skip: set[str] | None = None) -> list[Item]:
        """The facts about `subject` no section shows (so that nothing submitted is left out)."""
        skip = (skip or set()) | (self.used if subject == self.profile else {TYPE})
        items = []
        for predicate, values in sorted(self.g.by_subject.get(subject, {}).items()):
            if predicate not in skip:
                aspect = self.g.labels.get(predicate) or predicate.rsplit("#", 1)[-1]
                items += [self.fact(aspect, subject, predicate, v) for v in sorted(values, key=str)]
        return items


def _by_text(item: Item) -> str:
    return item.text.lower()


def _iri(term: Term | None) -> str | None:
    return term.value if isinstance(term, ox.NamedNode) else None
