"""Choosing a format by the request's `Accept` header (RFC 9110 12.5.1): each offered media
type gets the quality of the most specific range that matches it; the best quality wins, and
among equals the server's order of preference."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from citykg.rdf.formats import ExportFormat, ResultFormat

T = TypeVar("T")


@dataclass(frozen=True)
class Offer(Generic[T]):
    """A format offered under one or more media types (the first is the one answered with)."""

    value: T
    media_types: tuple[str, ...]

    @property
    def media_type(self) -> str:
        return self.media_types[0]


#: SELECT and ASK answers, in order of preference
ROW_OFFERS: tuple[Offer[ResultFormat], ...] = (
    Offer(ResultFormat.JSON, ("application/sparql-results+json", "application/json")),
    Offer(ResultFormat.XML, ("application/sparql-results+xml", "application/xml", "text/xml")),
    Offer(ResultFormat.CSV, ("text/csv",)),
    Offer(ResultFormat.TSV, ("text/tab-separated-values",)),
)

#: CONSTRUCT and DESCRIBE answers, in order of preference
GRAPH_OFFERS: tuple[Offer[ExportFormat], ...] = (
    Offer(ExportFormat.TURTLE, ("text/turtle", "application/x-turtle")),
    Offer(ExportFormat.NTRIPLES, ("application/n-triples",)),
    Offer(ExportFormat.JSONLD, ("application/ld+json", "application/json")),
)

_TEXT_TYPES = ("text/", "application/n-triples")


def content_type(media_type: str) -> str:
    """The Content-Type header for a media type (text formats say they are UTF-8)."""
    return f"{media_type}; charset=utf-8" if media_type.startswith(_TEXT_TYPES) else media_type


def media_type_of(fmt: ResultFormat | ExportFormat) -> str:
    """The media type an answer in `fmt` is given as."""
    for offers in (ROW_OFFERS, GRAPH_OFFERS):
        for offer in offers:
            if offer.value == fmt:
                return offer.media_type
    raise ValueError(f"no media type for {fmt}")


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """The media ranges of an Accept header with their qualities (`*/*` when there is none)."""
    if header is None or not header.strip():
        return [("*/*", 1.0)]
    ranges = []
    for part in header.split(","):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if "/" not in media:
            continue
        quality = 1.0
        for parameter in pieces[1:]:
            key, _, value = parameter.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    quality = 0.0
        ranges.append((media, quality))
    return ranges


def _quality(media_type: str, ranges: list[tuple[str, float]]) -> float:
    kind = media_type.split("/", 1)[0]
    best: tuple[int, float] | None = None
    for media, quality in ranges:
        if media == media_type:
            specificity = 2
        elif media == f"{kind}/*":
            specificity = 1
        elif media == "*/*":
            specificity = 0
        else:
            continue
        if best is None or specificity > best[0]:
            best = (specificity, quality)
    return best[1] if best is not None else 0.0


def choose(offers: Sequence[Offer[T]], header: str | None) -> Offer[T] | None:
    """The offer the client prefers (None when it accepts none of them)."""
    ranges = parse_accept(header)
    best: tuple[float, int] | None = None
    chosen: Offer[T] | None = None
    for rank, offer in enumerate(offers):
        quality = max(_quality(media, ranges) for media in offer.media_types)
        if quality > 0 and (best is None or (quality, -rank) > best):
            best, chosen = (quality, -rank), offer
    return chosen


def accepts_html(header: str | None) -> bool:
    """Whether the client asks for HTML before the formats for machines (a browser does)."""
    ranges = parse_accept(header)
    html = _quality("text/html", [r for r in ranges if r[0] != "*/*"])
    return html > 0 and html >= max((q for m, q in ranges if m not in ("text/html", "*/*")), default=0.0)
