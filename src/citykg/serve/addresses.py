"""Which IRI a request path names, and at which URL an IRI is served.

The server answers for the IRIs under the store's base IRI (`https://w3id.org/citykg/` unless
the store was built with `--base`): the path after the server's URL is the path after the base
(`<url>id/city/finland/helsinki` is `<base>id/city/finland/helsinki`). Served at its base (a
reverse proxy at the real base IRI), URLs and IRIs are the same; with `--base-url`, the base IRI
is mapped to that URL. citykg's own terms (the ontology, the vocabularies, the JSON-LD
context) live under `https://w3id.org/citykg/` whatever the store's base, and are served at
their paths under the server's URL too.
"""

from __future__ import annotations

from dataclasses import dataclass

from citykg.rdf.jsonld import ALIAS_PATH, CONTEXT_PATH
from citykg.rdf.terms import DEFAULT_BASE, ONTOLOGY_IRI, VOCAB

OWN_TERMS = (ONTOLOGY_IRI, str(VOCAB), DEFAULT_BASE + CONTEXT_PATH, DEFAULT_BASE + ALIAS_PATH)
"""citykg's own IRIs (prefixes), under https://w3id.org/citykg/ whatever the store's base."""


@dataclass(frozen=True)
class Addresses:
    """The store's base IRI and the URL the server is reached at (both end in '/')."""

    base: str
    url: str

    def iris(self, path: str) -> list[str]:
        """The IRIs a path (after the server's URL, without a leading '/') may name, most
        likely first: under the store's base, then under citykg's own base for its terms."""
        found = [self.base + path]
        own = DEFAULT_BASE + path
        if own != found[0] and own.startswith(OWN_TERMS):
            found.append(own)
        return found

    def url_of(self, iri: str) -> str | None:
        """The URL this server answers `iri` at, or None when it is not one of its IRIs."""
        if iri.startswith(self.base):
            return self.url + iri[len(self.base) :]
        if iri.startswith(OWN_TERMS):
            return self.url + iri[len(DEFAULT_BASE) :]
        return None

    def iri_of(self, given: str) -> str:
        """An IRI given by a client as the IRI itself or as its URL on this server."""
        if given.startswith(self.url) and not given.startswith(self.base):
            return self.base + given[len(self.url) :]
        return given
