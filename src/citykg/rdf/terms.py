"""Namespaces and prefixes, in one place, and the one way to write an IRI as `prefix:local`.

Term lists live in ontology/ and the vocabularies, not here. Each audience gets its view of
one prefix table: `PREFIXES` (citykg's and the standard namespaces), `turtle_prefixes()` (those
plus the ontology files' own short prefixes, for Turtle and TriG files), `display_prefixes()`
(for tables: each vocabulary by its full name, `id:` for resources) and `CATALOG_PREFIXES`
(the DCAT catalog and VoID files).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path

from rdflib import Namespace
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SH, SKOS, VOID, XSD
from rdflib.term import Node

from citykg.resources import ontology_dir, ontology_files

DEFAULT_BASE = "https://w3id.org/citykg/"

CKG = Namespace("https://w3id.org/citykg/ontology#")
VOCAB = Namespace("https://w3id.org/citykg/vocab/")
SCHEMA = Namespace("https://schema.org/")

ONTOLOGY_IRI = "https://w3id.org/citykg/ontology"

SPDX = Namespace("http://spdx.org/rdf/terms#")
FILE_TYPE = Namespace("http://publications.europa.eu/resource/authority/file-type/")
LICENCE = Namespace("http://publications.europa.eu/resource/authority/licence/")


class PrefixMap(Mapping[str, str]):
    """Prefix -> namespace, and the one way to write an IRI under it as `prefix:local`."""

    def __init__(self, names: Mapping[str, str]):
        self._names = dict(names)
        self._longest_first = sorted(
            ((namespace, prefix) for prefix, namespace in self._names.items()), key=lambda item: -len(item[0])
        )

    def __getitem__(self, prefix: str) -> str:
        return self._names[prefix]

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def __repr__(self) -> str:
        return f"PrefixMap({self._names!r})"

    def compact(self, iri: str) -> str | None:
        """`prefix:local` under the longest namespace `iri` starts with, else None.

        The local part is never empty, and never starts with `//` (which would read as an
        absolute IRI; JSON-LD does not take it for a compact IRI).
        """
        for namespace, prefix in self._longest_first:
            if (
                iri.startswith(namespace)
                and len(iri) > len(namespace)
                and not iri.startswith("//", len(namespace))
            ):
                return f"{prefix}:{iri[len(namespace) :]}"
        return None


PREFIXES = PrefixMap(
    {
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
)
"""citykg's namespaces and the standard ones it uses."""

CATALOG_PREFIXES = PrefixMap(
    {
        **{name: PREFIXES[name] for name in ("dcat", "dcterms", "foaf", "skos")},
        "spdx": str(SPDX),
        "void": PREFIXES["void"],
        "xsd": PREFIXES["xsd"],
        "ckg": PREFIXES["ckg"],
        "schema": PREFIXES["schema"],
        "filetype": str(FILE_TYPE),
        "licence": str(LICENCE),
    }
)
"""Prefixes of the catalog and VoID files (their vocabularies, and the EU authority tables)."""

_PREFIX_LINE = re.compile(r"^@prefix\s+([A-Za-z][\w-]*):\s*<([^>]+)>\s*\.", re.MULTILINE)


def _declared(path: Path) -> list[tuple[str, str]]:
    """The `@prefix` lines of one ontology file."""
    return _PREFIX_LINE.findall(path.read_text(encoding="utf-8"))


@cache
def turtle_prefixes() -> PrefixMap:
    """Prefixes of Turtle and TriG output: `PREFIXES` plus those the ontology files declare.

    The vocabularies' own prefixes (`goal:`, `pt:`, ...) keep concept IRIs short and readable.
    """
    found = dict(PREFIXES)
    for path in ontology_files():
        for name, namespace in _declared(path):
            if namespace not in found.values():
                found.setdefault(name, namespace)
    return PrefixMap(dict(sorted(found.items())))


@cache
def display_prefixes() -> PrefixMap:
    """Prefixes of tables: `PREFIXES`, each vocabulary of ontology/vocabularies.ttl by its own
    name (`partner-type:hospitals`), and `id:` for resources under the default base."""
    found = dict(PREFIXES)
    for _, namespace in _declared(ontology_dir() / "vocabularies.ttl"):
        name = namespace.removeprefix(str(VOCAB)).removesuffix("/")
        if namespace.startswith(str(VOCAB)) and namespace.endswith("/") and name and "/" not in name:
            found[name] = namespace
    found["id"] = DEFAULT_BASE + "id/"
    return PrefixMap(found)


def curie(term: Node) -> str:
    """`ckg:mayor` for a term of a known namespace, else `<iri>`: terms in messages."""
    text = str(term)
    return PREFIXES.compact(text) or f"<{text}>"


__all__ = [
    "CATALOG_PREFIXES",
    "CKG",
    "DCAT",
    "DCTERMS",
    "DEFAULT_BASE",
    "FILE_TYPE",
    "FOAF",
    "LICENCE",
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
    "SPDX",
    "VOCAB",
    "VOID",
    "XSD",
    "PrefixMap",
    "curie",
    "display_prefixes",
    "turtle_prefixes",
]
