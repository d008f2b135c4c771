"""What an RDF submission may state facts about: its own city, nothing else (docs/security.md).

A submission's own resources are its city, its profile (and the parts minted under it: teams,
funding, partnerships, policy areas and their targets), and the people, population figures and
initiatives (with their targets) minted under its city (`IRIs.minted_under`). The resources
every submission shares (its country, the survey and its wave, a free-text answer it proposes)
it may state only what citykg's own mapping of a document states about them. Any other triple,
about another city, another city's profile or people, a shared concept's labels, is refused,
and so is a link from its own resources to another city's. (Terms of the ontology and its
vocabularies, and IRIs outside `<base>id/`, are refused before, by `refused_content`.)
"""

from __future__ import annotations

from collections.abc import Callable

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from citykg.mapping.document import map_document
from citykg.model.document import Document
from citykg.model.vocabulary import Scheme, load_vocabulary
from citykg.rdf.iris import IRIs
from citykg.rdf.terms import CKG, RDF, SKOS, curie
from citykg.sources.rdf import Identity, RdfProblem

Triple = tuple[Node, Node, Node]

RULE = (
    "a submission states facts only about its own city, its profile and the people, teams, "
    "initiatives and targets minted under them"
)


def out_of_scope(graph: Graph, *, identity: Identity, iris: IRIs) -> list[RdfProblem]:
    """The triples of `graph` (the submission of `identity`'s city and wave) about anything but
    its own resources, and the links from its own resources to anything but those and the shared
    resources it may use, each with a message naming the triple's subject."""
    minted = iris.base + "id/"
    own = _own(identity, iris)
    shared = _shared_facts(graph, identity, iris, own)
    usable = {s for s, _, _ in shared}
    city = f"{identity.name} ({identity.country})"
    problems = []
    for s, p, o in sorted(graph, key=lambda t: (str(t[0]), str(t[1]), str(t[2]))):
        if not str(s).startswith(minted) or (s, p, o) in shared:
            continue  # outside <base>id/: refused_content says why
        field = f"{str(s)[len(iris.base) :]} {curie(p)}"
        if not own(s):
            problems.append(RdfProblem(field, None, _about_other(s, city, usable)))
        elif isinstance(o, URIRef) and str(o).startswith(minted) and not own(o) and o not in usable:
            problems.append(
                RdfProblem(
                    field,
                    None,
                    f"<{s}> links to <{o}>, which is not one of {city}'s resources: {RULE}",
                )
            )
    return problems


def _about_other(subject: Node, city: str, usable: set[Node]) -> str:
    if subject in usable:
        return (
            f"<{subject}> is shared by every submission: {city}'s may state about it only what "
            "citykg's own mapping does (a country's name; a free-text answer's scheme and one "
            "preferred label, minted into its IRI)"
        )
    return f"<{subject}> is not {city}'s to describe: {RULE}"


def _own(identity: Identity, iris: IRIs) -> Callable[[Node], bool]:
    exact = {identity.city, identity.profile}
    prefixes = iris.minted_under(identity.name, identity.country, identity.wave)

    def own(node: Node) -> bool:
        return isinstance(node, URIRef) and (node in exact or str(node).startswith(prefixes))

    return own


def _shared_facts(graph: Graph, identity: Identity, iris: IRIs, own: Callable[[Node], bool]) -> set[Triple]:
    """What the submission may state about shared resources: what the mapping of a document of
    the same city and wave states about its country, survey and wave, and, for each free-text
    concept one of its own resources uses, the facts the mapping states for a free-text answer."""
    document = Document(
        data={
            "city": {"name": identity.name, "country": identity.country},
            "survey": {"wave": identity.wave},
        },
        source="",
    )
    mapped = map_document(document, vocabulary=load_vocabulary(), iris=iris)
    allowed = {(s, p, o) for s, p, o in mapped.facts if not own(s)}
    used = sorted({o for s, _, o in graph if own(s) and isinstance(o, URIRef)}, key=str)
    for concept in used:
        allowed |= _free_concept_facts(graph, concept, iris)
    return allowed


def _free_concept_facts(graph: Graph, concept: URIRef, iris: IRIs) -> set[Triple]:
    """The facts of a free-text answer, if `concept` is one: the IRI minted from its scheme and
    its preferred label (the first in code-point order, if it gives several)."""
    schemes: dict[Node, Scheme] = {scheme.iri: scheme for scheme in Scheme}
    for proposed in sorted(graph.objects(concept, CKG.proposedFor), key=str):
        scheme = schemes.get(proposed)
        if scheme is None:
            continue
        labels = sorted(
            (label for label in graph.objects(concept, SKOS.prefLabel) if isinstance(label, Literal)), key=str
        )
        for label in labels:
            if iris.free_concept(scheme.value, str(label)) == concept:
                return {
                    (concept, RDF.type, SKOS.Concept),
                    (concept, SKOS.prefLabel, label),
                    (concept, CKG.freeText, Literal(True)),
                    (concept, CKG.proposedFor, proposed),
                }
    return set()
