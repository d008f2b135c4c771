"""What an export covers: asserted or inferred, the whole graph or some cities, full or public.

A selection resolves to a sorted list of quads from the store. The same selection gives the
same quads, so every format written from it says the same thing, and tests can compare a file
read back with the store's content for that selection.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import URIRef

from citykg.errors import InputError
from citykg.rdf.canonical import canonical_order
from citykg.rdf.formats import Profile, Terms
from citykg.rdf.iris import IRIs, slug
from citykg.rdf.terms import CKG, DCTERMS, FOAF, RDF, SCHEMA, SKOS
from citykg.store.graphs import GraphReader

CONTACT_PREDICATES = frozenset(str(p) for p in (SCHEMA.email, SCHEMA.telephone, FOAF.mbox, FOAF.phone))
"""Contact details of people: left out of public exports."""

_CITIES = f"""
SELECT ?city ?name ?country WHERE {{
  ?city a <{CKG.City}> ; <{SCHEMA.name}> ?name .
  OPTIONAL {{ ?city <{CKG.country}>/<{SCHEMA.name}> ?country }}
}}"""

_CITY_GRAPHS = f"""
SELECT DISTINCT ?g ?city WHERE {{
  GRAPH ?g {{ ?g <{DCTERMS.subject}> ?profile . ?profile <{CKG.city}> ?city }}
}}"""


@dataclass(frozen=True)
class Selection:
    """What to export. `cities` are names ("Helsinki", "Helsinki, Finland") or city IRIs."""

    inferred: bool = False
    cities: tuple[str, ...] = ()
    terms: Terms | None = None  # None: ALL for the whole graph, USED when cities are chosen
    profile: Profile = Profile.FULL

    @classmethod
    def of(
        cls,
        *,
        inferred: bool = False,
        ontology: bool | None = None,
        cities: Iterable[str] = (),
        profile: Profile = Profile.FULL,
    ) -> Selection:
        """A selection from command-line style parts (`ontology=None`: the default terms)."""
        terms = None if ontology is None else (Terms.ALL if ontology else Terms.NONE)
        return cls(inferred=inferred, cities=tuple(cities), terms=terms, profile=profile)

    @property
    def effective_terms(self) -> Terms:
        if self.terms is not None:
            return self.terms
        return Terms.USED if self.cities else Terms.ALL


@dataclass(frozen=True)
class City:
    iri: URIRef
    name: str
    country: str

    @property
    def label(self) -> str:
        return f"{self.name}, {self.country}" if self.country else self.name


def cities(store: GraphReader) -> list[City]:
    """Every city in the store, sorted by IRI."""
    found: dict[URIRef, City] = {}
    for row in store.query(_CITIES):  # type: ignore[attr-defined]
        iri = URIRef(row["city"].value)
        country = row["country"].value if row["country"] is not None else ""
        found.setdefault(iri, City(iri, row["name"].value, country))
    return [found[k] for k in sorted(found)]


def find_cities(store: GraphReader, names: Iterable[str]) -> list[City]:
    """The cities named (by name, "name, country", slug or IRI); unknown or ambiguous names refuse."""
    known = cities(store)
    chosen: dict[URIRef, City] = {}
    for given in names:
        wanted = given.strip()
        key = wanted.casefold()
        matches = [
            c
            for c in known
            if str(c.iri) == wanted
            or c.name.casefold() == key
            or c.label.casefold() == key
            or slug(c.name) == key
            or f"{slug(c.name)}-{slug(c.country)}" == key
        ]
        if not matches:
            by_name = {c.name.casefold(): c.label for c in known}
            close = [by_name[n] for n in difflib.get_close_matches(key, list(by_name), n=3, cutoff=0.6)]
            raise InputError(
                f"no city called {wanted!r} in the store",
                where="--city",
                hint=(f"did you mean {', '.join(close)}?" if close else "list the cities with: citykg query")
                + " (give a name, 'name, country' or a city IRI)",
            )
        if len({c.iri for c in matches}) > 1:
            options = "; ".join(sorted(c.label for c in matches))
            raise InputError(
                f"{wanted!r} names more than one city: {options}",
                where="--city",
                hint="add the country, as in 'name, country', or give the city IRI",
            )
        chosen[matches[0].iri] = matches[0]
    return [chosen[k] for k in sorted(chosen)]


def graphs_by_city(store: GraphReader) -> dict[URIRef, list[URIRef]]:
    """Every city's submission graphs (one per survey wave)."""
    found: dict[URIRef, set[URIRef]] = defaultdict(set)
    for row in store.query(_CITY_GRAPHS):  # type: ignore[attr-defined]
        found[URIRef(row["city"].value)].add(URIRef(row["g"].value))
    return {city: sorted(graphs) for city, graphs in found.items()}


def city_graphs(store: GraphReader, chosen: Iterable[City]) -> list[URIRef]:
    """The submission graphs (one per survey wave) of the chosen cities."""
    by_city = graphs_by_city(store)
    return sorted({g for c in chosen for g in by_city.get(c.iri, [])})


def selected_quads(
    store: GraphReader,
    selection: Selection,
    *,
    iris: IRIs,
    graphs: list[URIRef] | None = None,
    present: set[URIRef] | None = None,
) -> list[ox.Quad]:
    """The quads of a selection, with canonical blank-node labels, sorted (graph, s, p, o).

    Callers that select city after city may pass what they already know: `graphs`, the
    submission graphs of `selection.cities`, and `present`, the store's named graphs.
    """
    special = {iris.ontology_graph, iris.inferred_graph}
    present = present if present is not None else set(store.named_graphs())
    if graphs is not None:
        pass
    elif selection.cities:
        graphs = city_graphs(store, find_cities(store, selection.cities))
    else:
        graphs = sorted(g for g in present if g not in special)
    quads = list(store.quads(graphs))
    terms = selection.effective_terms
    if terms is Terms.ALL and iris.ontology_graph in present:
        quads.extend(store.quads([iris.ontology_graph]))
    elif terms is Terms.USED:
        quads.extend(_used_concepts(store, quads, iris.ontology_graph))
    if selection.inferred and iris.inferred_graph in present:
        if selection.cities:
            quads.extend(_inferred_about(store, quads, iris.inferred_graph))
        else:
            quads.extend(store.quads([iris.inferred_graph]))
    if selection.profile is Profile.PUBLIC:
        quads = public(quads)
    return canonical_order(quads)


def _store_of(store: GraphReader) -> ox.Store:
    inner = getattr(store, "store", None)
    if not isinstance(inner, ox.Store):
        raise TypeError("selection needs an Oxigraph-backed store")
    return inner


def _used_concepts(store: GraphReader, quads: list[ox.Quad], ontology: URIRef) -> list[ox.Quad]:
    """The ontology graph's description of every SKOS concept the quads point at."""
    inner = _store_of(store)
    graph = ox.NamedNode(str(ontology))
    concept = ox.NamedNode(str(SKOS.Concept))
    kind = ox.NamedNode(str(RDF.type))
    out: list[ox.Quad] = []
    for node in sorted({q.object for q in quads if isinstance(q.object, ox.NamedNode)}, key=str):
        if next(iter(inner.quads_for_pattern(node, kind, concept, graph)), None) is not None:
            out.extend(inner.quads_for_pattern(node, None, None, graph))
    return out


def _inferred_about(store: GraphReader, quads: list[ox.Quad], inferred: URIRef) -> list[ox.Quad]:
    """Inferred quads whose subject the selected submission graphs describe."""
    inner = _store_of(store)
    graph = ox.NamedNode(str(inferred))
    out: list[ox.Quad] = []
    for subject in sorted({q.subject for q in quads if q.graph_name != graph}, key=str):
        out.extend(inner.quads_for_pattern(subject, None, None, graph))
    return out


def public(quads: list[ox.Quad]) -> list[ox.Quad]:
    """The quads without people's contact details: the values, and evidence records about them.

    Evidence that repeats a contact value (`rdf:object`, `ckg:sourceText`) goes too, whatever
    predicate it is recorded for.
    """
    contact_values = set()
    evidence_about: set[ox.NamedNode | ox.BlankNode] = set()
    rdf_predicate = str(RDF.predicate)
    echoes = {str(RDF.object), str(CKG.sourceText)}
    for quad in quads:
        predicate = quad.predicate.value
        if predicate in CONTACT_PREDICATES:
            contact_values.add(quad.object)
        elif (
            predicate == rdf_predicate
            and isinstance(quad.object, ox.NamedNode)
            and quad.object.value in CONTACT_PREDICATES
        ):
            evidence_about.add(quad.subject)  # type: ignore[arg-type]
    if not contact_values and not evidence_about:
        return quads
    return [
        q
        for q in quads
        if q.predicate.value not in CONTACT_PREDICATES
        and q.subject not in evidence_about
        and not (q.predicate.value in echoes and q.object in contact_values)
    ]
