"""Submission document -> RDF, with deterministic IRIs. No I/O.

Every triple is recorded with the field path it came from, so validation results and
evidence can point back at the submitted field, line and text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from citykg.model.document import Document
from citykg.model.vocabulary import Match, Scheme, Vocabulary
from citykg.rdf.iris import IRIs, key, slug
from citykg.rdf.terms import CKG, DCTERMS, FOAF, RDF, RDFS, SCHEMA, SKOS, XSD

Triple = tuple[Node, Node, Node]


@dataclass(frozen=True)
class LabelUse:
    """A label the submission gave for a controlled list, and how it matched."""

    field: str
    scheme: Scheme
    match: Match
    iri: URIRef


@dataclass
class Mapped:
    """One submission as RDF: the facts, where each came from, and the labels it used."""

    document: Document
    graph_iri: URIRef
    profile: URIRef
    city: URIRef
    wave: int
    facts: Graph
    fields: dict[Triple, str] = field(default_factory=dict)
    labels: list[LabelUse] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (entry, earlier entry)

    @property
    def key(self) -> tuple[URIRef, int]:
        return (self.city, self.wave)


def whole(value: Any) -> int | None:
    """A whole number as submitted: 25, or 25.0 from JSON (the schema's integer); else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


class _Builder:
    def __init__(self, document: Document, vocabulary: Vocabulary, iris: IRIs):
        self.doc = document
        self.vocabulary = vocabulary
        self.iris = iris
        self.graph = Graph()
        self.fields: dict[Triple, str] = {}
        self.labels: list[LabelUse] = []
        self.minted: dict[URIRef, tuple[str, str | None]] = {}
        self.duplicates: list[tuple[str, str]] = []

    def mint(self, iri: URIRef, path: str, *, name: str | None = None) -> URIRef:
        """Note that the entry at `path` is `iri`. A second entry that is the same thing (names
        differing only in case, accents or punctuation) is a duplicate; for people only when
        spelled differently, since a mayor may also be an innovation officer."""
        earlier, earlier_name = self.minted.setdefault(iri, (path, name))
        if earlier != path and (name is None or name != earlier_name):
            self.duplicates.append((path, earlier))
        return iri

    def add(self, s: Node, p: Node, o: Node, path: str) -> None:
        triple = (s, p, o)
        self.graph.add(triple)
        self.fields.setdefault(triple, path)

    def text(self, s: Node, p: Node, value: Any, path: str) -> None:
        """A text value without surrounding white space (so '  ' is empty, and fails the shapes)."""
        if value is not None:
            self.add(s, p, Literal(str(value).strip()), path)

    def boolean(self, s: Node, p: Node, value: Any, path: str) -> None:
        if isinstance(value, bool):
            self.add(s, p, Literal(value), path)

    def integer(self, s: Node, p: Node, value: Any, path: str) -> None:
        number = whole(value)
        if number is not None:
            self.add(s, p, Literal(number, datatype=XSD.integer), path)

    def year(self, s: Node, p: Node, value: Any, path: str) -> None:
        number = whole(value)
        if number is not None:
            self.add(s, p, Literal(f"{number:04d}" if number >= 0 else str(number), datatype=XSD.gYear), path)

    def label_key(self, label: Any, scheme: Scheme) -> str:
        """What an IRI minted for a label is made from: the concept's preferred label when the
        label names a concept (`the private sector` and `private sector` give one IRI)."""
        match = self.vocabulary.match(scheme, str(label or ""))
        return match.concept.label if match.concept is not None else str(label or "")

    def concept(self, s: Node, p: Node, label: Any, scheme: Scheme, path: str) -> URIRef | None:
        if not isinstance(label, str):
            return None
        match = self.vocabulary.match(scheme, label)
        if match.concept is not None:
            iri = match.concept.iri
        else:
            iri = self.iris.free_concept(scheme.value, label)
            self.add(iri, RDF.type, SKOS.Concept, path)
            if (iri, SKOS.prefLabel, None) not in self.graph:  # SKOS: one prefLabel per language
                self.add(iri, SKOS.prefLabel, Literal(label.strip(), lang="en"), path)
            self.add(iri, CKG.freeText, Literal(True), path)
            self.add(iri, CKG.proposedFor, scheme.iri, path)
        self.labels.append(LabelUse(path, scheme, match, iri))
        self.add(s, p, iri, path)
        return iri

    def concepts(self, s: Node, p: Node, labels: Any, scheme: Scheme, path: str) -> None:
        for index, label in enumerate(labels or []):
            self.concept(s, p, label, scheme, f"{path}[{index}]")


def map_document(document: Document, *, vocabulary: Vocabulary, iris: IRIs) -> Mapped:
    """The facts of one structurally valid submission document (see schema.structure_errors)."""
    data = document.data
    b = _Builder(document, vocabulary, iris)
    city_data = data.get("city") or {}
    name = str(city_data.get("name", "")).strip()
    country = str(city_data.get("country", "")).strip()
    wave = whole((data.get("survey") or {}).get("wave")) or 0
    city = iris.city(name, country)
    profile = iris.profile(name, country, wave)
    country_iri = iris.country(country)

    b.add(city, RDF.type, CKG.City, "city")
    b.text(city, SCHEMA.name, city_data.get("name"), "city.name")
    b.add(city, CKG.country, country_iri, "city.country")
    b.add(country_iri, RDF.type, CKG.Country, "city.country")
    b.text(country_iri, SCHEMA.name, city_data.get("country"), "city.country")
    b.add(city, CKG.profile, profile, "survey.wave")

    wave_iri = iris.wave(wave)
    b.add(wave_iri, RDF.type, CKG.SurveyWave, "survey.wave")
    b.year(wave_iri, CKG.year, wave, "survey.wave")
    b.add(wave_iri, CKG.survey, iris.survey(), "survey.wave")
    b.add(iris.survey(), RDF.type, CKG.Survey, "survey.wave")
    b.add(
        iris.survey(),
        RDFS.label,
        Literal("OECD / Bloomberg Philanthropies city innovation capacity survey", lang="en"),
        "survey.wave",
    )

    b.add(profile, RDF.type, CKG.CityProfile, "city")
    b.add(profile, RDFS.label, Literal(f"{name}, {wave} survey wave", lang="en"), "city.name")
    b.add(profile, CKG.city, city, "city.name")
    b.add(profile, CKG.wave, wave_iri, "survey.wave")

    _people(b, profile, city_data, name, country)
    _population(b, profile, city, city_data, name, country)
    b.text(profile, SCHEMA.url, city_data.get("website"), "city.website")

    b.concepts(profile, CKG.goal, data.get("goals"), Scheme.GOAL, "goals")
    b.concepts(
        profile, CKG.successFactor, data.get("success_factors"), Scheme.SUCCESS_FACTOR, "success_factors"
    )
    strategy = data.get("strategy") or {}
    b.boolean(profile, CKG.hasExplicitStrategy, strategy.get("explicit"), "strategy.explicit")
    b.concept(profile, CKG.approach, strategy.get("approach"), Scheme.APPROACH, "strategy.approach")
    b.boolean(
        profile,
        CKG.prioritisesPolicyAreas,
        strategy.get("prioritises_policy_areas"),
        "strategy.prioritises_policy_areas",
    )
    _policy_areas(b, profile, data.get("policy_areas") or [])

    organisation = data.get("organisation") or {}
    b.boolean(
        profile, CKG.hasDedicatedTeam, organisation.get("dedicated_team"), "organisation.dedicated_team"
    )
    b.boolean(profile, CKG.innovationDistributed, organisation.get("distributed"), "organisation.distributed")
    _teams(b, profile, data.get("teams") or [])

    b.concepts(profile, CKG.innovationRole, data.get("roles"), Scheme.INNOVATION_ROLE, "roles")
    b.integer(profile, CKG.roleCount, data.get("roles_count"), "roles_count")
    b.concepts(profile, CKG.innovationTerm, data.get("terms"), Scheme.INNOVATION_TERM, "terms")
    b.concepts(profile, CKG.activity, data.get("activities"), Scheme.ACTIVITY, "activities")

    funding = data.get("funding")
    if funding:
        funding_iri = iris.child(profile, "funding")
        b.add(profile, CKG.funding, funding_iri, "funding")
        b.add(funding_iri, RDF.type, CKG.Funding, "funding")
        b.boolean(funding_iri, CKG.dedicated, funding.get("dedicated"), "funding.dedicated")
        b.concepts(funding_iri, CKG.fundingUse, funding.get("uses"), Scheme.FUNDING_USE, "funding.uses")

    _partnerships(b, profile, data.get("partnerships") or {})
    _initiatives(b, profile, data.get("initiatives") or [], name, country)

    return Mapped(
        document,
        iris.graph(name, country, wave),
        profile,
        city,
        wave,
        b.graph,
        b.fields,
        b.labels,
        b.duplicates,
    )


def _people(b: _Builder, profile: URIRef, city_data: dict[str, Any], name: str, country: str) -> None:
    mayor = city_data.get("mayor")
    if isinstance(mayor, str):
        person = b.mint(b.iris.person(mayor, name, country), "city.mayor", name=mayor)
        b.add(profile, CKG.mayor, person, "city.mayor")
        b.add(person, RDF.type, FOAF.Person, "city.mayor")
        b.text(person, SCHEMA.name, mayor, "city.mayor")
    for index, officer in enumerate(city_data.get("innovation_officers") or []):
        path = f"city.innovation_officers[{index}]"
        if isinstance(officer, str):
            person = b.mint(b.iris.person(officer, name, country), path, name=officer)
            b.add(profile, CKG.innovationOfficer, person, path)
            b.add(person, RDF.type, FOAF.Person, path)
            b.text(person, SCHEMA.name, officer, path)
    for index, noted in enumerate(city_data.get("officer_notes") or []):
        path = f"city.officer_notes[{index}]"
        if isinstance(noted, dict) and isinstance(noted.get("name"), str):
            person = b.iris.person(noted["name"], name, country)
            b.add(person, RDF.type, FOAF.Person, path)
            b.text(person, SCHEMA.name, noted["name"], f"{path}.name")
            b.text(person, CKG.roleNote, noted.get("note"), f"{path}.note")
    for index, contact in enumerate(city_data.get("contacts") or []):
        path = f"city.contacts[{index}]"
        if not isinstance(contact, dict) or not isinstance(contact.get("name"), str):
            continue
        person = b.iris.person(contact["name"], name, country)
        b.add(person, RDF.type, FOAF.Person, path)
        b.text(person, SCHEMA.name, contact["name"], f"{path}.name")
        b.text(person, SCHEMA.email, contact.get("email"), f"{path}.email")
        b.text(person, SCHEMA.telephone, contact.get("phone"), f"{path}.phone")


def _population(
    b: _Builder, profile: URIRef, city: URIRef, city_data: dict[str, Any], name: str, country: str
) -> None:
    population = city_data.get("population")
    if not population:
        return
    year = whole(population.get("year"))
    # a figure without its year is the profile's own (two waves may give two undated figures)
    observation = b.iris.population(name, country, year) if year else b.iris.child(profile, "population")
    b.add(profile, CKG.population, observation, "city.population")
    b.add(observation, RDF.type, CKG.PopulationObservation, "city.population")
    b.add(observation, CKG.populationOf, city, "city.population")
    b.integer(observation, CKG.populationValue, population.get("value"), "city.population.value")
    b.year(observation, CKG.year, year, "city.population.year")


def _targets(b: _Builder, owner: URIRef, targets: list[Any], path: str) -> None:
    for index, target in enumerate(targets):
        here = f"{path}[{index}]"
        year = whole(target.get("year"))
        description = str(target.get("description", ""))
        text = description if slug(description) else key(description)  # '!!!' and '???' differ
        iri = b.mint(b.iris.child(owner, "target", f"{year}-{text}"), here)
        b.add(owner, CKG.target, iri, here)
        b.add(iri, RDF.type, CKG.Target, here)
        b.text(iri, DCTERMS.description, target.get("description"), f"{here}.description")
        b.year(iri, CKG.targetYear, year, f"{here}.year")


def _policy_areas(b: _Builder, profile: URIRef, areas: list[Any]) -> None:
    for index, area in enumerate(areas):
        path = f"policy_areas[{index}]"
        name = area.get("name")
        key = b.label_key(name, Scheme.POLICY_AREA) if name is not None else str(index)
        focus = b.mint(b.iris.child(profile, "policy-area", key), path)
        b.add(profile, CKG.policyAreaFocus, focus, path)
        b.add(focus, RDF.type, CKG.PolicyAreaFocus, path)
        b.concept(focus, CKG.policyArea, area.get("name"), Scheme.POLICY_AREA, f"{path}.name")
        b.text(focus, DCTERMS.description, area.get("description"), f"{path}.description")
        _targets(b, focus, area.get("targets") or [], f"{path}.targets")


def _teams(b: _Builder, profile: URIRef, teams: list[Any]) -> None:
    for index, team in enumerate(teams):
        path = f"teams[{index}]"
        team_iri = b.mint(b.iris.child(profile, "team", str(team.get("name") or f"team-{index + 1}")), path)
        b.add(profile, CKG.team, team_iri, path)
        b.add(team_iri, RDF.type, CKG.InnovationTeam, path)
        b.text(team_iri, SCHEMA.name, team.get("name"), f"{path}.name")
        b.text(team_iri, CKG.situatedIn, team.get("location"), f"{path}.location")
        b.integer(team_iri, CKG.staffCount, team.get("staff"), f"{path}.staff")
        b.integer(team_iri, CKG.staffMin, team.get("staff_min"), f"{path}.staff_min")
        b.integer(team_iri, CKG.staffMax, team.get("staff_max"), f"{path}.staff_max")
        b.integer(team_iri, CKG.subTeamCount, team.get("sub_teams"), f"{path}.sub_teams")
        b.text(team_iri, CKG.leaderRole, team.get("led_by"), f"{path}.led_by")
        b.boolean(team_iri, CKG.independent, team.get("independent"), f"{path}.independent")


def _partnerships(b: _Builder, profile: URIRef, partnerships: dict[str, Any]) -> None:
    b.boolean(
        profile,
        CKG.innovationInternalOnly,
        partnerships.get("innovation_internal_only"),
        "partnerships.innovation_internal_only",
    )
    purposes = {"innovation": "innovation-capacity", "data": "data"}
    for kind, purpose_slug in purposes.items():
        purpose = URIRef(str(Scheme.PARTNERSHIP_PURPOSE.iri) + "/" + purpose_slug)
        for index, item in enumerate(partnerships.get(kind) or []):
            path = f"partnerships.{kind}[{index}]"
            iri = b.iris.child(
                profile, "partnership", kind, b.label_key(item.get("partner"), Scheme.PARTNER_TYPE)
            )
            b.add(profile, CKG.partnership, iri, path)
            b.add(iri, RDF.type, CKG.Partnership, path)
            b.add(iri, CKG.purpose, purpose, path)
            b.concept(iri, CKG.partnerType, item.get("partner"), Scheme.PARTNER_TYPE, f"{path}.partner")
            b.concepts(
                iri, CKG.includesPartnerType, item.get("includes"), Scheme.PARTNER_TYPE, f"{path}.includes"
            )
            for ex_index, example in enumerate(item.get("examples") or []):
                b.text(iri, CKG.example, example, f"{path}.examples[{ex_index}]")
    b.concepts(
        profile,
        CKG.dataPurpose,
        partnerships.get("data_purposes"),
        Scheme.DATA_PURPOSE,
        "partnerships.data_purposes",
    )


def _initiatives(b: _Builder, profile: URIRef, initiatives: list[Any], name: str, country: str) -> None:
    for index, initiative in enumerate(initiatives):
        path = f"initiatives[{index}]"
        iri = b.mint(b.iris.initiative(str(initiative.get("name", index)), name, country), path)
        b.add(profile, CKG.initiative, iri, path)
        b.add(iri, RDF.type, CKG.Initiative, path)
        b.text(iri, SCHEMA.name, initiative.get("name"), f"{path}.name")
        b.text(iri, DCTERMS.description, initiative.get("description"), f"{path}.description")
        _targets(b, iri, initiative.get("targets") or [], f"{path}.targets")


# ------------------------------------------------------------------ provenance and evidence
