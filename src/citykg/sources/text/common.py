"""Shared pieces of the profile-page reader: spans, collected values and the collector.

The reader works on a *normalised* copy of each line (curly apostrophes and non-breaking
spaces replaced one character for one character), so every offset found in the normalised
line is also an offset in the line as given, and each value's evidence is an exact substring
of the input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from rdflib import URIRef

from citykg.model.document import Note, Origin
from citykg.model.vocabulary import Scheme, Vocabulary, load_vocabulary, normalise
from citykg.rdf.terms import SKOS

# One character for one character, so offsets stay valid.
_CHAR_MAP = str.maketrans(
    {
        "\u00a0": " ",
        "\u2007": " ",
        "\u202f": " ",
        "\t": " ",
        "\u2009": " ",
        "\u2019": "'",
        "\u2018": "'",
        "\u02bc": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2010": "-",
        "\u2011": "-",
    }
)


def normalise_line(line: str) -> str:
    """The line with curly quotes, NBSP and tabs replaced; same length as `line`."""
    return line.translate(_CHAR_MAP)


# How a complete line or sentence ends: a full stop (also before a closing quote) or a bracket.
ENDS_WHOLE = re.compile(r"(?:[.!?)*]|[.!?][\"'])$")


def clean_value(text: str) -> str:
    """A value as stored: whitespace collapsed (offsets are kept separately)."""
    return " ".join(text.split())


@dataclass(frozen=True)
class Span:
    """A stretch of one input line: 1-based line number, 0-based [start, end) offsets."""

    line: int
    start: int
    end: int


@dataclass
class V:
    """One collected value and where it came from."""

    value: Any
    span: Span | None


@dataclass
class Sent:
    """A sentence (or a whole line) in normalised text, placed in its line."""

    text: str
    line: int
    offset: int = 0
    cut: bool = False  # the page was cut inside this sentence

    def piece(self, start: int, end: int, *, strip: str = " ,;:.*") -> V | None:
        """The value at [start, end) of this sentence, trimmed; None when empty or cut."""
        reaches_cut = self.cut and end >= len(self.text.rstrip())
        while start < end and self.text[start] in strip:
            start += 1
        while end > start and self.text[end - 1] in strip:
            end -= 1
        if start >= end:
            return None
        if reaches_cut:
            return None  # touches the place the page was cut: not known to be whole
        span = Span(self.line, self.offset + start, self.offset + end)
        return V(clean_value(self.text[start:end]), span)

    def group(self, match: re.Match[str], name: str, **kw: Any) -> V | None:
        if match.group(name) is None:
            return None
        return self.piece(match.start(name), match.end(name), **kw)

    def whole(self, match: re.Match[str], name: str | int = 0) -> Span:
        return Span(self.line, self.offset + match.start(name), self.offset + match.end(name))


@dataclass
class WaveEvidence:
    wave: int
    strength: int
    span: Span
    why: str


@dataclass
class Collector:
    """Everything read from a page so far, as nested dicts/lists with `V` leaves."""

    source: str
    lines: list[str]
    data: dict[str, Any] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)
    kinds: dict[int, str] = field(default_factory=dict)
    leftovers: dict[int, list[str]] = field(default_factory=dict)
    waves: list[WaveEvidence] = field(default_factory=list)
    cities: list[V] = field(default_factory=list)
    whole: set[int] = field(default_factory=set)  # last lines found whole though the page ends there

    @property
    def vocabulary(self) -> Vocabulary:
        return load_vocabulary()

    def origin(self, span: Span | None) -> Origin | None:
        if span is None:
            return None
        text = self.lines[span.line - 1][span.start : span.end]
        return Origin(self.source, line=span.line, column=span.start + 1, text=text)

    def note(
        self, message: str, span: Span | None = None, field_path: str | None = None, *, kind: str = "reading"
    ) -> None:
        self.notes.append(Note(message, self.origin(span), field_path, kind=kind))

    def kind(self, line: int, kind: str) -> None:
        self.kinds.setdefault(line, kind)

    def node(self, *keys: str) -> dict[str, Any]:
        node = self.data
        for key in keys:
            node = node.setdefault(key, {})
        return node

    def put(self, keys: tuple[str, ...], v: V | None, *, overwrite: bool = False) -> None:
        if v is None:
            return
        node = self.node(*keys[:-1])
        if overwrite or keys[-1] not in node:
            node[keys[-1]] = v

    def items(self, *keys: str) -> list[Any]:
        node = self.node(*keys[:-1])
        found: list[Any] = node.setdefault(keys[-1], [])
        return found

    def label(self, scheme: Scheme, v: V, where: str) -> V:
        """`v` as the page words it (the mapping finds its concept), or noted as unknown.

        The document keeps the page's own words (`private philanthropy`, `Human-centred
        design`): they are the evidence, and they name the same concept as its preferred label.
        """
        match = self.vocabulary.match(scheme, v.value)
        if match.concept is not None:
            only = _only_in_wave(match.concept.iri)
            if only is not None and v.span is not None:
                self.wave(
                    only,
                    2,
                    v.span,
                    f"names {match.concept.label!r}, an option of the {only} survey only",
                )
            return v
        hint = f" (did you mean {match.suggestion.label!r}?)" if match.suggestion else ""
        self.note(
            f"{where}: {v.value!r} is not in the vocabulary; kept as free text{hint}", v.span, kind="label"
        )
        return v

    def add_label(self, keys: tuple[str, ...], scheme: Scheme, v: V | None, where: str) -> bool:
        """Append a label to a list unless it is there already; False for a repeat."""
        if v is None:
            return False
        v = self.label(scheme, v, where)
        items = self.items(*keys)
        if any(self.same_label(scheme, old.value, v.value) for old in items):
            return False
        items.append(v)
        return True

    def option(self, scheme: Scheme, v: V, where: str) -> V:
        """A fixed option the site words in a sentence (`from a holistic/macro level`): its
        preferred label, as a submission gives it."""
        match = self.vocabulary.match(scheme, v.value)
        return V(match.concept.label, v.span) if match.concept is not None else self.label(scheme, v, where)

    def same_label(self, scheme: Scheme, a: object, b: object) -> bool:
        """Do two labels name one concept (or, both unknown, read the same)?"""
        if normalise(str(a)) == normalise(str(b)):
            return True
        ca, cb = (self.vocabulary.match(scheme, str(x)).concept for x in (a, b))
        return ca is not None and cb is not None and ca.iri == cb.iri

    def wave(self, wave: int, strength: int, span: Span, why: str) -> None:
        self.waves.append(WaveEvidence(wave, strength, span, why))


@cache
def _only_in_wave(iri: URIRef) -> int | None:
    """The wave a concept's scope note says it belongs to only ('... of the 2018 survey only')."""
    for note in load_vocabulary().graph.objects(iri, SKOS.scopeNote):
        found = re.search(r"\b((?:19|20)\d\d) survey only", str(note))
        if found:
            return int(found.group(1))
    return None


def known(scheme: Scheme, label: str) -> bool:
    return load_vocabulary().match(scheme, label).concept is not None


@cache
def countries() -> frozenset[str]:
    path = Path(__file__).with_name("countries.txt")
    names = path.read_text(encoding="utf-8").splitlines()
    return frozenset(normalise(n) for n in names if n.strip() and not n.startswith("#"))


def is_country(text: str) -> bool:
    return normalise(text) in countries()


# A note on a person's role after the name: `(current)`, `(at time of 2018 survey)`.
QUALIFIER = re.compile(r"\s*\((?P<note>[^()]{1,60})\)(?=\s*(?:,|;|&|\band\b|$))")
_NAME_WORD = re.compile(r"^(?:[A-Z\u00c0-\u024f][\w'.\-]*|[a-z]{1,4}|[A-Z]\.)$")


def looks_like_people(text: str) -> bool:
    """`Santtu von Bruun, Mikko Rusama` yes (also `Dana Lind (current)`, a name with a note on
    the role); `Improve service delivery.` or `653,867` no."""
    text = QUALIFIER.sub("", text)
    parts = [p for p in re.split(r",\s*|\s+and\s+|\s*&\s*|\s*;\s*", text.strip()) if p]
    if not parts or text.strip().endswith((".", ":")) or re.search(r"\d", text):
        return False
    for part in parts:
        words = part.split()
        if not 1 <= len(words) <= 6 or not words[0][:1].isupper() or not words[-1][:1].isupper():
            return False
        if not all(_NAME_WORD.match(w) for w in words):
            return False
    return True
