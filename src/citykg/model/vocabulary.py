"""The controlled lists (SKOS concept schemes in ontology/vocabularies.ttl) and label matching.

Labels match ignoring case, punctuation, accents and the known variants (skos:altLabel).
A label that matches nothing is either a typo of a known label (close enough to suggest it)
or a new free-text answer.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from enum import Enum
from functools import cache

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection

from citykg.model.ontology import vocabularies_graph
from citykg.rdf.terms import SKOS, VOCAB

TYPO_CUTOFF = 0.85
ACTIVITY_LEGEND = VOCAB["activity-legend"]  # the chart legend of profile pages (an ordered collection)


class Scheme(str, Enum):
    """Every controlled list of the submission format; the value is the scheme's IRI slug."""

    GOAL = "goal"
    SUCCESS_FACTOR = "success-factor"
    APPROACH = "approach"
    INNOVATION_TERM = "innovation-term"
    ACTIVITY = "activity"
    POLICY_AREA = "policy-area"
    INNOVATION_ROLE = "innovation-role"
    FUNDING_USE = "funding-use"
    PARTNER_TYPE = "partner-type"
    PARTNERSHIP_PURPOSE = "partnership-purpose"
    DATA_PURPOSE = "data-purpose"

    @property
    def iri(self) -> URIRef:
        return VOCAB[self.value]


def normalise(label: str) -> str:
    """The matching key of a label: 'Human-Centred  design!' -> 'human centred design'."""
    text = unicodedata.normalize("NFKD", label)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = text.replace("&", " and ")
    text = re.sub(r"[^\w]+", " ", text).replace("_", " ")
    text = " ".join(text.split())
    return text.removeprefix("the ")


@dataclass(frozen=True)
class Concept:
    iri: URIRef
    label: str  # the preferred label
    scheme: Scheme


@dataclass(frozen=True)
class Match:
    """The outcome of matching one label: a concept, or a suggestion, or neither."""

    label: str
    concept: Concept | None
    suggestion: Concept | None = None

    @property
    def known(self) -> bool:
        return self.concept is not None


class Vocabulary:
    """All concept schemes, indexed by normalised label."""

    def __init__(self, graph: Graph):
        self.graph = graph
        self._index: dict[Scheme, dict[str, Concept]] = {s: {} for s in Scheme}
        self._concepts: dict[URIRef, Concept] = {}
        self.broader: dict[URIRef, set[URIRef]] = {}
        for scheme in Scheme:
            for iri in sorted(graph.subjects(SKOS.inScheme, scheme.iri), key=str):
                assert isinstance(iri, URIRef)
                pref = _english(graph, iri, SKOS.prefLabel)
                concept = Concept(iri, pref, scheme)
                self._concepts[iri] = concept
                for label in [pref, *_all(graph, iri, SKOS.altLabel)]:
                    self._index[scheme].setdefault(normalise(label), concept)
                self._index[scheme].setdefault(normalise(iri.rsplit("/", 1)[1]), concept)
        for narrower, broader in graph.subject_objects(SKOS.broader):
            assert isinstance(narrower, URIRef) and isinstance(broader, URIRef)
            self.broader.setdefault(narrower, set()).add(broader)

    def match(self, scheme: Scheme, label: str) -> Match:
        key = normalise(label)
        index = self._index[scheme]
        if key in index:
            return Match(label, index[key])
        close = difflib.get_close_matches(key, list(index), n=1, cutoff=TYPO_CUTOFF)
        return Match(label, None, index[close[0]] if close else None)

    def longer_label(self, scheme: Scheme, label: str) -> bool:
        """Does some label of `scheme` begin with `label` and go on (`Save costs and improve
        efficiency` -> `... within the public sector`)? A cut-off line may have lost the rest."""
        key = normalise(label) + " "
        return any(other.startswith(key) for other in self._index[scheme])

    def concept(self, iri: URIRef) -> Concept | None:
        return self._concepts.get(iri)

    def concepts(self, scheme: Scheme) -> list[Concept]:
        return sorted({c.iri: c for c in self._index[scheme].values()}.values(), key=lambda c: c.iri)

    def members(self, collection: URIRef) -> list[Concept]:
        """The concepts of an ordered collection (skos:memberList), in its order."""
        head = self.graph.value(collection, SKOS.memberList)
        if head is None:
            return []
        return [self._concepts[iri] for iri in Collection(self.graph, head) if isinstance(iri, URIRef)]

    def resolve(self, label_or_iri: str, schemes: list[Scheme] | None = None) -> Concept | None:
        """A concept named by IRI or by label in any of `schemes` (all when None)."""
        by_iri = next((c for iri, c in self._concepts.items() if str(iri) == label_or_iri), None)
        if by_iri is not None:
            return by_iri if schemes is None or by_iri.scheme in schemes else None
        for scheme in schemes or list(Scheme):
            found = self.match(scheme, label_or_iri)
            if found.concept:
                return found.concept
        return None


def _english(graph: Graph, subject: URIRef, predicate: URIRef) -> str:
    labels = _all(graph, subject, predicate)
    return labels[0] if labels else str(subject)


def _all(graph: Graph, subject: URIRef, predicate: URIRef) -> list[str]:
    return sorted(str(o) for o in graph.objects(subject, predicate) if isinstance(o, Literal))


@cache
def load_vocabulary() -> Vocabulary:
    """The controlled lists of ontology/vocabularies.ttl."""
    return Vocabulary(vocabularies_graph())
