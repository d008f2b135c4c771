"""One preferred label for a free-text answer that several submissions give.

A free-text concept's IRI is minted from its text (`IRIs.free_concept`), so answers differing
only in case, accents or punctuation (`Help develop a vibrant economy`, `HELP develop a VIBRANT
economy!`) name one concept. SKOS allows it one skos:prefLabel per language: the first spelling
met keeps it, and a later submission's other spelling becomes a skos:altLabel of the concept.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from rdflib import Graph, Literal, URIRef

from citykg.mapping.document import Mapped, Triple
from citykg.rdf.terms import CKG, RDF, SKOS


def free_text_labels(mapped: Mapped) -> dict[URIRef, Literal]:
    """The preferred label of each free-text concept the submission proposes."""
    found: dict[URIRef, Literal] = {}
    for concept, _, label in sorted(mapped.facts.triples((None, SKOS.prefLabel, None))):
        if (
            isinstance(concept, URIRef)
            and isinstance(label, Literal)
            and (concept, CKG.freeText, Literal(True)) in mapped.facts
        ):
            found.setdefault(concept, label)
    return found


@dataclass(frozen=True)
class Demoted:
    """A free-text answer whose spelling became an alternative label of the concept."""

    field: str
    label: Literal
    preferred: Literal


def keep_first_labels(mapped: Mapped, preferred: dict[URIRef, Literal]) -> tuple[Mapped, list[Demoted]]:
    """`mapped` with each free-text concept's preferred label as `preferred` records it (the
    first met); a concept not in `preferred` yet is recorded with this submission's label.
    Another spelling becomes a skos:altLabel, keeping the field it came from."""
    demoted = [
        (concept, label, first)
        for concept, label in free_text_labels(mapped).items()
        if (first := preferred.setdefault(concept, label)) != label
    ]
    if not demoted:
        return mapped, []
    facts = Graph()
    for triple in mapped.facts:
        facts.add(triple)
    fields = dict(mapped.fields)
    notes = []
    for concept, label, first in demoted:
        old: Triple = (concept, SKOS.prefLabel, label)
        new: Triple = (concept, SKOS.altLabel, label)
        facts.remove(old)
        facts.add(new)
        fields[new] = fields.pop(old)
        notes.append(Demoted(fields[new], label, first))
    return replace(mapped, facts=facts, fields=fields), notes


def promote_label(graph: Graph, concept: URIRef, label: Literal) -> Graph:
    """A stored submission graph in which `label`, an alternative label of `concept` there, is
    its preferred label (and its evidence says so): for when the submission that held the
    preferred label no longer gives the answer."""
    out = Graph()
    for s, p, o in graph:
        if (s, p, o) == (concept, SKOS.altLabel, label):
            p = SKOS.prefLabel
        elif (
            p == RDF.predicate
            and o == SKOS.altLabel
            and (s, RDF.subject, concept) in graph
            and (s, RDF.object, label) in graph
        ):
            o = SKOS.prefLabel
        out.add((s, p, o))
    return out
