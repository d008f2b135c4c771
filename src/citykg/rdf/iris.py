"""Deterministic IRIs minted from natural keys (slug of name + country, wave, ...).

No I/O, no randomness, no blank nodes for things users link to. The base is configurable.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

import pyoxigraph
from rdflib import URIRef

from citykg.rdf.terms import DEFAULT_BASE

_NOT_WORD = re.compile(r"[^\w]+", re.UNICODE)
MAX_SLUG = 80


def rfc3987_iri(text: str) -> bool:
    """Whether `text` is an absolute IRI the store accepts (pyoxigraph's own check)."""
    try:
        pyoxigraph.NamedNode(text)
    except ValueError:
        return False
    return True


def slug(text: str) -> str:
    """Lower-case words joined by '-': accents folded, anything but letters and digits dropped.

    `slug("Cape Town")` -> `cape-town`; `slug("Zürich")` -> `zurich`; non-Latin letters stay.
    Returns "" when nothing usable remains; long slugs are cut and given a short digest.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    folded = unicodedata.normalize("NFKC", folded).casefold().replace("&", " and ")
    result = _NOT_WORD.sub("-", folded).replace("_", "-")
    result = re.sub("-+", "-", result).strip("-")
    if len(result) > MAX_SLUG:
        digest = hashlib.sha256(result.encode()).hexdigest()[:8]
        result = result[: MAX_SLUG - 9].rstrip("-") + "-" + digest
    return result


def key(text: str) -> str:
    """The IRI segment of a natural key: its slug, or when nothing usable remains ('!!!', ''),
    a digest of the text, so that distinct keys never share an IRI."""
    return slug(text) or "x-" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:12]


@dataclass(frozen=True)
class IRIs:
    """Mints every instance IRI under one base (default https://w3id.org/citykg/)."""

    base: str = DEFAULT_BASE

    def __post_init__(self) -> None:
        if not re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+/", self.base):
            raise ValueError(f"base IRI must be an http(s) IRI ending in '/': {self.base!r}")
        if re.search(r"%(?![0-9A-Fa-f]{2})", self.base):
            raise ValueError(f"base IRI has a '%' not followed by two hex digits: {self.base!r}")
        if not rfc3987_iri(self.base):
            raise ValueError(f"base IRI is not a valid IRI: {self.base!r}")

    def _iri(self, *parts: str) -> URIRef:
        return URIRef(self.base + "/".join(parts))

    def country(self, country: str) -> URIRef:
        return self._iri("id", "country", key(country))

    def city(self, name: str, country: str) -> URIRef:
        return self._iri("id", "city", key(country), key(name))

    def person(self, name: str, city: str, country: str) -> URIRef:
        return URIRef(self._under_city("person", city, country) + key(name))

    def profile(self, city: str, country: str, wave: int) -> URIRef:
        return self._iri("id", "profile", key(country), key(city), str(wave))

    def graph(self, city: str, country: str, wave: int) -> URIRef:
        return self._iri("graph", key(country), key(city), str(wave))

    def survey(self) -> URIRef:
        return self._iri("id", "survey", "city-innovation")

    def wave(self, wave: int) -> URIRef:
        return self._iri("id", "survey", "city-innovation", str(wave))

    def population(self, city: str, country: str, year: int) -> URIRef:
        return URIRef(self._under_city("population", city, country) + str(year))

    def initiative(self, name: str, city: str, country: str) -> URIRef:
        return URIRef(self._under_city("initiative", city, country) + key(name))

    _CITY_KINDS = ("person", "population", "initiative")

    def _under_city(self, kind: str, city: str, country: str) -> str:
        """The prefix of one kind of resource minted under a city: `<base>id/person/fi/tampere/`."""
        return self.base + "/".join(("id", kind, key(country), key(city), ""))

    def minted_under(self, city: str, country: str, wave: int) -> tuple[str, ...]:
        """The IRI prefixes of what one city's submission mints besides its city and profile:
        the parts of its profile (teams, funding, partnerships, policy areas, their targets) and
        the city's people, population figures and initiatives (with their targets)."""
        parts = str(self.profile(city, country, wave)) + "/"
        return (parts, *(self._under_city(kind, city, country) for kind in self._CITY_KINDS))

    def free_concept(self, scheme: str, label: str) -> URIRef:
        return self._iri("id", "concept", scheme, key(label))

    def source(self, sha256: str) -> URIRef:
        return self._iri("source", sha256)

    def evidence(self, graph: URIRef, key: str) -> URIRef:
        digest = hashlib.sha256(f"{graph}\n{key}".encode()).hexdigest()[:20]
        return URIRef(f"{graph}/evidence/{digest}")

    def child(self, parent: URIRef, kind: str, *keys: str) -> URIRef:
        """A part of a profile: `<profile>/team/economic-development`."""
        return URIRef("/".join([str(parent), kind, *(key(k) for k in keys)]))

    @property
    def inferred_graph(self) -> URIRef:
        return self._iri("graph", "inferred")

    @property
    def ontology_graph(self) -> URIRef:
        return self._iri("graph", "ontology")
