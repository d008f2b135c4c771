"""The pages of the ontology and the vocabularies, for people: the ontology's classes and
properties, a vocabulary's concepts, one concept. Each term is shown by its label, its
comment or definition, and its links to the other terms (subclasses and superclasses, the
properties whose domain or range a class is, a property's domain and range, a concept's
broader and narrower ones), then every statement about it as the generic page shows them.

Read from the same description the RDF answers give (describe.py); only a concept's page
also looks up the concepts narrower than it (`pointing_at`), which are stated on them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pyoxigraph as ox

from citykg.rdf.iris import IRIs
from citykg.rdf.terms import OWL, RDF, RDFS, SKOS, display_prefixes
from citykg.serve.addresses import Addresses
from citykg.serve.describe import Description, Kind, labels_in, store_base
from citykg.store import subjects
from citykg.store.subjects import Readable

TYPE, LABEL, COMMENT = str(RDF.type), str(RDFS.label), str(RDFS.comment)
SUBCLASS, SUBPROPERTY, DOMAIN, RANGE = (
    str(RDFS.subClassOf),
    str(RDFS.subPropertyOf),
    str(RDFS.domain),
    str(RDFS.range),
)
CONCEPT, SCHEME, SCHEME_OF, BROADER, NARROWER = (
    str(SKOS.Concept),
    str(SKOS.ConceptScheme),
    str(SKOS.inScheme),
    str(SKOS.broader),
    str(SKOS.narrower),
)
EXPLAINED = (COMMENT, str(SKOS.definition), str(SKOS.scopeNote))
"""What says what a term means, shown under its name."""

KINDS = (
    (str(OWL.Class), "Classes"),
    (str(OWL.ObjectProperty), "Object properties"),
    (str(OWL.DatatypeProperty), "Datatype properties"),
)

#: the city list's filter for the concepts of a vocabulary (cities_page.py's `goal`, `partner`)
CITY_FILTERS = {
    "https://w3id.org/citykg/vocab/goal": "goal",
    "https://w3id.org/citykg/vocab/partner-type": "partner",
}


@dataclass
class Link:
    text: str
    url: str | None


@dataclass
class Term:
    """A class, property or concept as its page shows it."""

    iri: str
    title: str
    anchor: str
    url: str | None = None
    notes: list[str] = field(default_factory=list)
    alt_labels: list[str] = field(default_factory=list)
    relations: list[tuple[str, list[Link]]] = field(default_factory=list)


class Terms:
    """The terms of one description and how they link to each other."""

    def __init__(
        self, description: Description, addresses: Addresses, pointing: Sequence[ox.Triple] = ()
    ) -> None:
        self.addresses = addresses
        self.labels = {**labels_in(list(pointing)), **description.labels}
        self.main = description.iri
        self.values: dict[str, dict[str, list[ox.NamedNode | ox.BlankNode | ox.Literal]]] = defaultdict(
            lambda: defaultdict(list)
        )
        self.inverse: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for t in [*description.triples, *pointing]:
            if not isinstance(t.subject, ox.NamedNode):
                continue
            self.values[t.subject.value][t.predicate.value].append(t.object)  # type: ignore[arg-type]
            if isinstance(t.object, ox.NamedNode):
                self.inverse[t.object.value][t.predicate.value].append(t.subject.value)
        self.prefixes = display_prefixes()

    def name(self, iri: str) -> str:
        return self.labels.get(iri) or self.prefixes.compact(iri) or iri

    def link(self, iri: str) -> Link:
        return Link(self.name(iri), self.addresses.url_of(iri))

    def links(self, iris: list[str]) -> list[Link]:
        return [self.link(i) for i in sorted(set(iris), key=lambda i: self.name(i).casefold())]

    def objects(self, iri: str, predicate: str) -> list[str]:
        return [o.value for o in self.values[iri][predicate] if isinstance(o, ox.NamedNode)]

    def texts(self, iri: str, predicates: tuple[str, ...]) -> list[str]:
        found = []
        for predicate in predicates:
            found += [o.value for o in self.values[iri][predicate] if isinstance(o, ox.Literal)]
        return list(dict.fromkeys(found))

    def term(self, iri: str, relations: list[tuple[str, list[str]]]) -> Term:
        anchor = iri.rsplit("#", 1)[-1] if "#" in iri else iri.rstrip("/").rsplit("/", 1)[-1]
        return Term(
            iri,
            self.name(iri),
            anchor,
            url=self.addresses.url_of(iri) if iri != self.main else None,
            notes=self.texts(iri, EXPLAINED),
            alt_labels=self.texts(iri, (str(SKOS.altLabel),)),
            relations=[(label, self.links(iris)) for label, iris in relations if iris],
        )

    def ontology_term(self, iri: str) -> Term:
        down = self.inverse[iri]
        return self.term(
            iri,
            [
                ("Subclass of", self.objects(iri, SUBCLASS)),
                ("Subclasses", down[SUBCLASS]),
                ("Equivalent to", self.objects(iri, str(OWL.equivalentClass))),
                ("Disjoint with", self.objects(iri, str(OWL.disjointWith)) + down[str(OWL.disjointWith)]),
                ("Properties of it (domain)", down[DOMAIN]),
                ("Properties leading to it (range)", down[RANGE]),
                ("Domain", self.objects(iri, DOMAIN)),
                ("Range", self.objects(iri, RANGE)),
                ("Sub-property of", self.objects(iri, SUBPROPERTY)),
                ("Sub-properties", down[SUBPROPERTY]),
                ("Inverse of", self.objects(iri, str(OWL.inverseOf)) + down[str(OWL.inverseOf)]),
            ],
        )

    def concept(self, iri: str) -> Term:
        down = self.inverse[iri]
        return self.term(
            iri,
            [
                ("In vocabulary", self.objects(iri, SCHEME_OF) if iri == self.main else []),
                ("Broader", self.objects(iri, BROADER) + down[NARROWER]),
                ("Narrower", self.objects(iri, NARROWER) + down[BROADER]),
                ("Related", self.objects(iri, str(SKOS.related))),
            ],
        )


def ontology_sections(
    description: Description, addresses: Addresses, pointing: Sequence[ox.Triple] = ()
) -> tuple[Term, list[tuple[str, list[Term]]]]:
    """The ontology itself, and its terms grouped as classes, object and datatype properties,
    and the others, each group by label; then the vocabularies (in `pointing`)."""
    terms = Terms(description, addresses, pointing)
    groups: dict[str, list[Term]] = {title: [] for _, title in KINDS}
    groups["Other terms"] = []
    for part in description.parts:
        types = set(terms.objects(part, TYPE))
        title = next((t for kind, t in KINDS if kind in types), "Other terms")
        groups[title].append(terms.ontology_term(part))
    groups["Vocabularies"] = [terms.term(s, []) for s in terms.inverse[SCHEME][TYPE]]
    for vocabulary in groups["Vocabularies"]:
        vocabulary.anchor = "vocabulary-" + vocabulary.anchor  # apart from the terms' fragments
    for found in groups.values():
        found.sort(key=lambda t: t.title.casefold())
    return terms.term(description.iri, []), [(title, found) for title, found in groups.items() if found]


def vocabulary_sections(
    description: Description, addresses: Addresses, pointing: Sequence[ox.Triple] = ()
) -> tuple[Term, list[tuple[str, list[Term]]]]:
    """A vocabulary and its concepts, by label."""
    terms = Terms(description, addresses)
    concepts = sorted((terms.concept(p) for p in description.parts), key=lambda t: t.title.casefold())
    return terms.term(description.iri, []), [("Concepts", concepts)]


def is_concept(description: Description) -> bool:
    wanted = ox.Triple(ox.NamedNode(description.iri), ox.NamedNode(TYPE), ox.NamedNode(CONCEPT))
    return wanted in description.triples


def concept_term(
    description: Description, addresses: Addresses, pointing: Sequence[ox.Triple], cities_url: str
) -> tuple[Term, Link | None]:
    """A concept with its broader and narrower ones, and the city list of its cities (for
    goals and partner types)."""
    terms = Terms(description, addresses, pointing)
    term = terms.concept(description.iri)
    schemes = terms.objects(description.iri, SCHEME_OF)
    facet = next((CITY_FILTERS[s] for s in schemes if s in CITY_FILTERS), None)
    if facet is None:
        return term, None
    return term, Link(f"The cities naming {term.title}", cities_url + "?" + urlencode({facet: term.title}))


def pointing_at(store: Readable, description: Description) -> list[ox.Triple]:
    """What the page of `description` shows beside its own triples, with the labels: for the
    ontology, the vocabularies (`skos:ConceptScheme`s, with their comments); for a concept,
    the concepts stated narrower than it (`skos:broader` it); nothing for the others."""
    inferred = [str(IRIs(store_base(store)).inferred_graph)]
    if description.kind is Kind.ONTOLOGY:
        found = subjects.subjects_with(store, TYPE, SCHEME, leave_out=inferred)
        about = subjects.about(store, found, leave_out=inferred)
        stated = [t for t in about if t.predicate.value in (TYPE, *EXPLAINED)]
    elif is_concept(description):
        found = subjects.subjects_with(store, BROADER, description.iri, leave_out=inferred)
        stated = [
            ox.Triple(ox.NamedNode(f), ox.NamedNode(BROADER), ox.NamedNode(description.iri)) for f in found
        ]
    else:
        return []
    return [*stated, *subjects.labels(store, found, leave_out=inferred)]
