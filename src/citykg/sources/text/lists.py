"""Lists inside sentences (`A, B (e.g. x, y), C and D`), targets (`carbon neutral by 2035`)
and initiative names in spotlight paragraphs."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from citykg.model.vocabulary import Scheme
from citykg.sources.text.common import Sent, V, known


@dataclass
class Item:
    """One list item, with the items of the parenthesis that follows it."""

    label: V
    inner: list[V] = field(default_factory=list)


def top_level_chunks(text: str, start: int, end: int, separators: str = ",;") -> list[tuple[int, int]]:
    """Split [start, end) at top-level separators (not inside parentheses)."""
    out: list[tuple[int, int]] = []
    depth, begin = 0, start
    for i in range(start, end):
        ch = text[i]
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif ch in separators and depth == 0:
            out.append((begin, i))
            begin = i + 1
    out.append((begin, end))
    return out


# What may open a list item and is no part of it: a conjunction, `with`, an article.
_LEAD = re.compile(r"\s*(?:(?:and|or|as well as|plus)\s+)?(?:with\s+)?(?-i:the\s+)?", re.I)
_AFTER_PAREN = re.compile(r"(?<=\))\s+(?:and|as well as)\s+(?:with\s+)?", re.I)
_JOIN = re.compile(r"\s+(?:and|as well as)\s+(?:with\s+)?", re.I)
_PAREN = re.compile(r"\s*\(\s*(?:(?:e\.g\.|eg\.?|i\.e\.|such as|including|incl\.)\s*,?\s*)?([^()]*)\)\s*$")


def _split_and(sent: Sent, start: int, end: int, scheme: Scheme | None) -> list[tuple[int, int]]:
    """`academia and think tanks` -> two items when the whole is no label but both parts are."""
    text = sent.text[start:end]
    joins = list(_JOIN.finditer(text))
    if not joins:
        return [(start, end)]
    if any("with" in m.group(0).lower() for m in joins):
        bounds, last = [], 0
        for m in joins:
            if "with" in m.group(0).lower():
                bounds.append((start + last, start + m.start()))
                last = m.end()
        bounds.append((start + last, end))
        return [b for part in bounds for b in _split_and(sent, *part, scheme)]
    if scheme is None:
        bounds, last = [], 0
        for m in joins:
            if sent.text[start + m.end() : start + m.end() + 1].islower():
                bounds.append((start + last, start + m.start()))
                last = m.end()
        return [*bounds, (start + last, end)]
    if known(scheme, text):
        return [(start, end)]
    parts, last = [], 0
    for m in joins:
        parts.append((start + last, start + m.start()))
        last = m.end()
    parts.append((start + last, end))
    if all(known(scheme, sent.text[a:b]) for a, b in parts):
        return parts
    # keep a known prefix label and split the rest at lowercase 'and'
    lower = [p for p in parts[1:] if sent.text[p[0] : p[0] + 1].islower()]
    if len(lower) == len(parts) - 1 and not any(sent.text[a:b].istitle() for a, b in parts):
        return parts
    return [(start, end)]


def split_list(sent: Sent, start: int, end: int, scheme: Scheme | None) -> list[Item]:
    """The items of the list at [start, end) of `sent`, with parenthesised sub-items."""
    items: list[Item] = []
    chunks: list[tuple[int, int]] = []
    for a, b in top_level_chunks(sent.text, start, end):
        last = a  # `x (e.g. y) and z`: a parenthesis closes an item
        for m in _AFTER_PAREN.finditer(sent.text, a, b):
            chunks.append((last, m.start()))
            last = m.end()
        chunks.append((last, b))
    for a, b in chunks:
        if scheme is not None and sent.cut and b >= len(sent.text.rstrip()):
            continue  # the page ends inside this item: `training staff and building cap` is no label
        lead = _LEAD.match(sent.text, a, b)
        if lead:
            a = lead.end()
        paren = _PAREN.search(sent.text, a, b)
        inner: list[V] = []
        label_end = b
        if paren and paren.start() > a:
            label_end = paren.start()
            for ia, ib in top_level_chunks(sent.text, paren.start(1), paren.end(1)):
                il = _LEAD.match(sent.text, ia, ib)
                ia = il.end() if il else ia
                for pa, pb in _split_and(sent, ia, ib, Scheme.PARTNER_TYPE):
                    v = sent.piece(pa, pb)
                    if v is not None:
                        inner.append(v)
            if sent.cut and paren.end() >= len(sent.text.rstrip()):
                inner = []
        parts = _split_and(sent, a, label_end, scheme)
        for i, (pa, pb) in enumerate(parts):
            v = sent.piece(pa, pb)
            if v is None:
                continue
            items.append(Item(v, inner if i == len(parts) - 1 else []))
    return items


# ---------------------------------------------------------------- targets

_TARGET = re.compile(
    r"(?P<verb>\b[a-z]+ing|\b(?:aims?|plans?|wants?|intends?|commit(?:s|ted)?|goal is|will|"
    r"seeks?|hopes?|expects?)\b)\s+(?:(?:to|itself to|for)\s+)?(?:(?:become|be|reach|achieve|get|"
    r"have|make|go|attain|create)\s+)?(?:(?:a|an|the)\s+)?(?P<what>(?:[^.;:,]|,(?=\d))*?)\s+by\s+"
    r"(?:the\s+end\s+of\s+|the\s+year\s+)?(?P<year>(?:19|20)\d\d)\b"
)
_CLAUSE = re.compile(r"(?:[^,;:]|,(?=\d))*\bby\s+(?:the\s+end\s+of\s+|the\s+year\s+)?(?:19|20)\d\d\b")


def find_targets(sent: Sent) -> list[tuple[V, V]]:
    """`... is striving to become carbon neutral by 2035` -> (carbon neutral, 2035)."""
    found: list[tuple[V, V]] = []
    for clause in _CLAUSE.finditer(sent.text):
        text = clause.group(0)
        best: re.Match[str] | None = None
        for m in _TARGET.finditer(text):
            if m.group("verb"):
                best = m
        if best is None:
            continue
        # the object starts after the last verb group before 'by YEAR'
        what = sent.piece(clause.start() + best.start("what"), clause.start() + best.end("what"))
        year = sent.piece(clause.start() + best.start("year"), clause.start() + best.end("year"))
        if what is None or year is None or len(str(what.value).split()) > 12:
            continue
        found.append((what, V(int(year.value), year.span)))
    return found


# ---------------------------------------------------------------- initiatives

_NAME = r"(?P<name>[A-Z0-9][\w'&.\-]*(?:\s+(?:[A-Z0-9][\w'&.\-]*|of|for|and|the|de|la|du|in|on|\d+))*)"
_KIND = r"(?:pilot\s+|flagship\s+|innovation\s+|new\s+)*(?:project|programme|program|initiative|platform|lab|laboratory|hub|scheme|challenge|strategy)"  # noqa: E501
_INITIATIVE = [
    re.compile(rf"\b[\w .'-]+?'s?\s+{_KIND}\s+{_NAME}"),
    re.compile(rf"'s?\s+(?:[a-z-]+\s+){{0,2}}{_KIND},\s+{_NAME},"),
    re.compile(rf"\b{_KIND}\s+(?:called|named|known as|dubbed)\s+\"?{_NAME}"),
    re.compile(rf"\b{_NAME}\s+\((?P<acr>[A-Z][A-Za-z0-9]{{1,9}})\),\s+an?\s+(?:[\w-]+\s+){{0,3}}?{_KIND}\b"),
    re.compile(rf"\blaunched\s+(?:the\s+)?{_NAME},\s+an?\s+(?:[\w-]+\s+){{0,3}}?{_KIND}\b"),
]


def find_initiatives(sent: Sent) -> list[V]:
    """Names of initiatives a spotlight paragraph names, in page order."""
    found: dict[int, V] = {}
    for pattern in _INITIATIVE:
        for m in pattern.finditer(sent.text):
            start, end = m.start("name"), m.end("name")
            name = re.sub(r"(?:\s+(?:of|for|and|the|de|la|du|in|on))+$", "", sent.text[start:end])
            end = start + len(name)
            words = name.split()
            if m.groupdict().get("acr"):
                end = m.end("acr") + 1
            if len(words) < 1 or sent.text[start:end] in {"The", "A", "An", "This", "It"}:
                continue
            v = sent.piece(start, end, strip=' ,;:.*"')
            if v is not None and not any(s.span == v.span for s in found.values()):
                found.setdefault(start, v)
    return [found[k] for k in sorted(found)]
