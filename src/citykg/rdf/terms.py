"""Namespaces, in one place. Term lists live in ontology/ and vocabularies, not here."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SH, SKOS, VOID, XSD
from rdflib.term import Node

DEFAULT_BASE = "https://w3id.org/citykg/"

CKG = Namespace("https://w3id.org/citykg/ontology#")
VOCAB = Namespace("https://w3id.org/citykg/vocab/")
SCHEMA = Namespace("https://schema.org/")

ONTOLOGY_IRI = "https://w3id.org/citykg/ontology"

PREFIXES: dict[str, str] = {
    "ckg": str(CKG),
    "vocab": str(VOCAB),
    "schema": str(SCHEMA),
    "foaf": str(FOAF),
    "org": str(ORG),
    "skos": str(SKOS),
    "prov": str(PROV),
    "dcterms": str(DCTERMS),
    "dcat": str(DCAT),
    "void": str(VOID),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "sh": str(SH),
}

__all__ = [
    "CKG",
    "DCAT",
    "DCTERMS",
    "DEFAULT_BASE",
    "FOAF",
    "ONTOLOGY_IRI",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SH",
    "SKOS",
    "VOCAB",
    "VOID",
    "XSD",
]


def curie(term: Node) -> str:
    """`ckg:mayor` for a term of a known namespace, else `<iri>`."""
    text = str(term)
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(item[1])):
        if text.startswith(namespace) and len(text) > len(namespace):
            return f"{prefix}:{text[len(namespace) :]}"
    return f"<{text}>"
