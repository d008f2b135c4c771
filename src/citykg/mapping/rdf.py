"""RDF submissions (Turtle, JSON-LD) as mapped submissions: what they may not say, and their facts
with a field path per triple.
"""

from __future__ import annotations

from rdflib import BNode, Graph
from rdflib.term import Node

from citykg.mapping.document import Mapped
from citykg.model.document import Document
from citykg.rdf.iris import IRIs
from citykg.rdf.terms import CKG, OWL, RDF, RDFS, SH, SKOS, VOCAB, curie
from citykg.sources.rdf import Identity, RdfProblem

# Namespaces whose terms a submission may use as predicates or types, never redefine.
_TERM_NAMESPACES = (str(CKG), str(RDF), str(RDFS), str(OWL), str(SH), str(SKOS), str(VOCAB))


# Predicates that would change what other data means; refused anywhere in a submission.
_REFUSED_NAMESPACES = (str(OWL), str(SH))


_ALLOWED_RDFS = {RDFS.label}


_REFUSED_TYPE_NAMESPACES = (str(RDF), str(RDFS), str(OWL), str(SH))


def refused_content(graph: Graph, *, iris: IRIs) -> list[RdfProblem]:
    """What a submission may not say: redefinitions, owl:sameAs and the like, blank nodes,
    statements about things outside the submission's own resources."""
    own = iris.base + "id/"
    ordered = sorted(graph, key=lambda t: (str(t[0]), str(t[1]), str(t[2])))
    return [problem for s, p, o in ordered if (problem := _refusal(s, p, o, own)) is not None]


def _refusal(s: Node, p: Node, o: Node, own: str) -> RdfProblem | None:
    """Why one statement is refused, or None."""
    if isinstance(s, BNode) or isinstance(o, BNode):
        return RdfProblem(
            curie(p), None, 'blank nodes are not accepted: give every resource an IRI (JSON-LD: an "id")'
        )
    if str(p).startswith(_REFUSED_NAMESPACES) or (str(p).startswith(str(RDFS)) and p not in _ALLOWED_RDFS):
        why = f"{curie(p)} is not accepted in a submission: it would change what other data means"
    elif str(s).startswith(_TERM_NAMESPACES):
        why = (
            f"{curie(s)} is a term of the ontology or its vocabularies; a submission may use "
            "it but not describe it"
        )
    elif not str(s).startswith(own):
        why = (
            f"statements about {curie(s)} are not accepted: a submission describes resources under {own} only"
        )
    elif p == RDF.type and str(o).startswith(_REFUSED_TYPE_NAMESPACES):
        return RdfProblem("rdf:type", curie(o), f"{curie(s)} may not be declared a {curie(o)}")
    else:
        return None
    return RdfProblem(curie(p), curie(s), why)


def map_graph(graph: Graph, *, document: Document, identity: Identity, iris: IRIs) -> Mapped:
    """An RDF submission as the same `Mapped` value a mapped document gives.

    Field paths are the subject and property (`id/city/fi/helsinki schema:name`).
    """
    own = iris.base
    fields: dict[tuple[Node, Node, Node], str] = {}
    for s, p, o in graph:
        subject = str(s)[len(own) :] if str(s).startswith(own) else curie(s)
        fields[(s, p, o)] = f"{subject} {curie(p)}"
    return Mapped(
        document=document,
        graph_iri=iris.graph(identity.name, identity.country, identity.wave),
        profile=identity.profile,
        city=identity.city,
        wave=identity.wave,
        facts=graph,
        fields=fields,
        labels=[],
    )
