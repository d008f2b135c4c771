"""Line-level reading of a profile page: the header, the headed sections, the flat blocks,
the lines that carry no fact (captions, the activities legend, notes), and paragraphs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from citykg.model.vocabulary import ACTIVITY_LEGEND, Scheme, load_vocabulary, normalise
from citykg.sources.text.common import (
    QUALIFIER,
    Collector,
    Sent,
    Span,
    V,
    known,
)
from citykg.sources.text.lists import find_initiatives, find_targets, top_level_chunks
from citykg.sources.text.sentences import parse_sentence, split_sentences

# A population line as the site prints it (`653,867 (2019)`), and as it sometimes misprints it
# (`39,6990`, no year): either way a figure, never a name or a country.
POPULATION = re.compile(
    r"^(?P<value>\d{1,3}(?:[,. ]\d{3})+|\d+(?=\s*\())\s*(?:\((?P<year>(?:1[89]|20)\d\d)\))?$"
)
# (each separator opens one group of 3 or 4 digits, so a long run of digits cannot backtrack)
POPULATION_LOOSE = re.compile(
    r"^(?P<value>\d{1,3}(?:[,. ]\d{3,4}){0,4}|\d{1,12})\s*(?:\((?P<year>(?:1[89]|20)\d\d)\))?$"
)
HEADER_LABELS = {
    "mayor": re.compile(r"^Mayor$", re.I),
    "population": re.compile(r"^Population$", re.I),
    "officers": re.compile(r"^(?:Lead\s+|Chief\s+)?Innovation\s+Officers?$", re.I),
    "website": re.compile(r"^(?:Innovation\s+)?Website$", re.I),
}
SECTIONS = [
    ("goals", re.compile(r"^Innovation is helping (?:the city )?to:?$", re.I)),
    ("factors", re.compile(r"^Critical success factors:?$", re.I)),
    ("spotlight", re.compile(r"^Spotlight on innovation in (?P<city>.+)$", re.I)),
    ("vision", re.compile(r"^Vision and approach to innovation capacity$", re.I)),
    ("policy", re.compile(r"^Policy areas that (?P<city>.+?) (?:is|are) focused on:?$", re.I)),
    (
        "roles",
        re.compile(
            r"^(?P<city>.+?) utili[sz]es (?P<n>\d+) (?:different )?innovation skills? or roles?\.?$", re.I
        ),
    ),
    ("terms", re.compile(r"^Terms (?P<city>.+?) most associates? with innovation:?$", re.I)),
    ("activities", re.compile(r"^(?P<city>.+?)'s? most common innovation activities:?$", re.I)),
]
CAPTION = re.compile(r"^.{3,80}\bby number of cities$", re.I)
# The legend's numbering (`2. 2`), or what a cut left of it (`2.`, `2`).
NUMBERING = re.compile(r"^\d{1,2}(?:\.\s*\d{0,2})?$")
EXAMPLE = re.compile(r"^(?:e\.g\.|eg\.|for example)", re.I)
SNAPSHOT = re.compile(
    r"^(?:Note:\s*)?The City Innovation Snapshot \(PDF version\) was produced in (?P<year>\d{4})",
    re.I,
)
FOOTNOTE = re.compile(r"^\*")
BULLET = re.compile(r"^[•·●▪‣◦\-*]\s*(?P<label>\S.*)$")
AREA = re.compile(r"^(?P<name>[A-Z][^.:;!?]{1,70}?):\s+(?P<desc>\S.*)$")


def is_heading(text: str) -> bool:
    """A header label (`Mayor`) or a section heading (`Spotlight on innovation in X`)."""
    return any(p.match(text) for p in HEADER_LABELS.values()) or any(p.match(text) for _, p in SECTIONS)


def population_line(text: str) -> bool:
    """A line that anchors a flat header: a population figure, also misprinted (`27,4410`),
    but not a bare number."""
    if POPULATION.match(text):
        return True
    m = POPULATION_LOOSE.match(text)
    return m is not None and (m.group("year") is not None or bool(re.search(r"\d[,. ]\d", m.group("value"))))


@cache
def legend() -> tuple[str, ...]:
    """The lines of the activities chart legend (normalised), in the vocabulary's order."""
    return tuple(normalise(concept.label) for concept in load_vocabulary().members(ACTIVITY_LEGEND))


@dataclass
class Page:
    """The page's lines and what is known about its end."""

    norms: list[str]
    cut_line: int | None  # 1-based number of a last line the page was cut inside
    legend_lines: frozenset[int] = frozenset()  # 0-based indexes of the activities legend

    def __post_init__(self) -> None:
        self.legend_lines = find_legend(self)

    def text(self, idx: int) -> str:
        return self.norms[idx].strip()

    def sent(self, idx: int) -> Sent:
        raw = self.norms[idx]
        lead = len(raw) - len(raw.lstrip())
        return Sent(raw.strip(), idx + 1, lead, self.cut_line == idx + 1)


def find_legend(page: Page) -> frozenset[int]:
    """The lines of the activities chart's legend: its seven labels in their fixed order (each
    may follow a `1. 1` numbering line), all seven, or as many as the page has before it ends.
    A legend label anywhere else (a term `Human-centered design`) is the city's answer."""
    labels = legend()
    lines = [i for i, n in enumerate(page.norms) if n.strip()]
    found: set[int] = set()
    k = 0
    while k < len(lines):
        if normalise(page.norms[lines[k]]) != labels[0]:
            k += 1
            continue
        run, j, want = [], k, 0
        while j < len(lines) and want < len(labels):
            text = page.norms[lines[j]].strip()
            if NUMBERING.match(text):
                j += 1
                continue
            if normalise(text) == labels[want]:
                run.append(lines[j])
            elif _cut_inside(page, lines, j, labels[want]):
                run.append(lines[j])  # the page was cut inside the next label
                want = len(labels) - 1
            else:
                break
            want += 1
            j += 1
        if want == len(labels) or j == len(lines):
            found.update(run)
        k = max(j, k + 1)
    return frozenset(found)


def _cut_inside(page: Page, lines: list[int], j: int, label: str) -> bool:
    """Is line `j` the page's last, cut inside `label`?"""
    last = j == len(lines) - 1 and page.cut_line == lines[j] + 1
    return last and label.startswith(normalise(page.norms[lines[j]]))


def _short(text: str) -> bool:
    return 0 < len(text) <= 100 and not text.endswith((".", ":")) and len(text.split()) <= 12


def label_line(page: Page, idx: int, c: Collector, keys: tuple[str, ...], scheme: Scheme, where: str) -> None:
    """A line holding one label (a bullet item, a role, a term, a policy area)."""
    sent = page.sent(idx)
    bullet = BULLET.match(sent.text)
    start = bullet.start("label") if bullet else 0
    text = sent.text[start:]
    if sent.cut and known(scheme, text) and not load_vocabulary().longer_label(scheme, text):
        sent.cut = False  # a complete known label: not cut inside
        c.whole.add(idx + 1)
    if scheme is Scheme.INNOVATION_TERM and not known(scheme, text) and "," in text:
        parts = [(m.start(), m.end()) for m in re.finditer(r"[^,]+", text)]
        if all(known(scheme, text[a:b]) for a, b in parts):
            added = [c.add_label(keys, scheme, sent.piece(start + a, start + b), where) for a, b in parts]
            _mark(c, idx, any(added))
            return
    v = sent.piece(start, len(sent.text), strip=" ,;*")
    if v is None:
        c.kind(idx + 1, "truncated")
        return
    if keys == ("policy_areas",):
        add_area(c, c.label(scheme, v, where), None)
        return
    _mark(c, idx, c.add_label(keys, scheme, v, where))


def _mark(c: Collector, idx: int, added: bool) -> None:
    if not added:
        c.kind(idx + 1, "repeat")


def add_area(c: Collector, name: V, description: Sent | None) -> None:
    areas = c.items("policy_areas")
    same = [a for a in areas if c.same_label(Scheme.POLICY_AREA, a["name"].value, name.value)]
    if same and (description is None or "description" in same[0]):
        return
    area: dict[str, object] = same[0] if same else {"name": name}
    if description is not None:
        desc = description.piece(0, len(description.text), strip=" ")
        if desc is not None:
            area["description"] = desc
        targets = [{"description": w, "year": y} for w, y in find_targets(description)]
        if targets:
            area["targets"] = targets
    if not same:
        areas.append(area)


def area_paragraph(page: Page, idx: int, c: Collector) -> bool:
    """`Environment and climate change: Helsinki is striving ...`."""
    sent = page.sent(idx)
    m = AREA.match(sent.text)
    if m is None or m.group("name").lower().startswith("note") or len(m.group("name").split()) > 8:
        return False
    name = sent.piece(m.start("name"), m.end("name"))
    if name is None:
        return False
    desc = Sent(sent.text[m.start("desc") :], sent.line, sent.offset + m.start("desc"), sent.cut)
    add_area(c, c.label(Scheme.POLICY_AREA, name, "policy area"), desc)
    return True


def spotlight(page: Page, idx: int, c: Collector) -> None:
    """A spotlight paragraph: initiatives it names, with its targets."""
    sent = page.sent(idx)
    names = find_initiatives(sent)
    targets = find_targets(sent)
    if not names:
        c.kind(idx + 1, "spotlight")
        for what, _year in targets:
            c.note(
                f"a target ({what.value!r}) in a spotlight paragraph that names no initiative",
                what.span,
            )
        return
    description = sent.piece(0, len(sent.text), strip=" ")
    for i, name in enumerate(names):
        initiative: dict[str, object] = {"name": name}
        if description is not None:
            initiative["description"] = description
        mine = [
            {"description": w, "year": y}
            for w, y in targets
            if i == 0 or (w.span is not None and str(name.value) in page.norms[idx][: w.span.start])
        ]
        if i == 0 and len(names) > 1:
            mine = [t for t in mine if not _later_name(page, idx, names[1:], t)]
        if mine:
            initiative["targets"] = mine
        c.items("initiatives").append(initiative)


def _later_name(page: Page, idx: int, names: list[V], target: dict[str, V]) -> bool:
    span = target["description"].span
    if span is None:
        return False
    sentence_start = page.norms[idx].rfind(". ", 0, span.start)
    before = page.norms[idx][max(0, sentence_start) : span.start]
    return any(str(n.value) in before for n in names)


def fixed_kind(page: Page, idx: int, c: Collector) -> str | None:
    """Lines that never carry a fact about the city."""
    text, line = page.text(idx), idx + 1
    if CAPTION.match(text):
        return "caption"
    if NUMBERING.match(text):
        return "legend"
    if EXAMPLE.match(text):
        return "example"
    snap = SNAPSHOT.match(text)
    if snap:
        if snap.group("year") == "2019":
            c.wave(2018, 3, Span(line, 0, len(text)), "carries the note of 2018-wave pages")
        return "snapshot-note"
    if FOOTNOTE.match(text):
        if "training staff and building capacity" in text.lower():
            c.wave(2020, 1, Span(line, 0, len(text)), "carries the training-staff footnote")
        return "footnote"
    if idx in page.legend_lines:
        return "legend"
    return None


def narrative(page: Page, idx: int, c: Collector) -> bool:
    """Parse the sentences of a line; True when at least one was recognised."""
    sents = split_sentences(page.norms[idx], idx + 1, cut_at_end=page.cut_line == idx + 1)
    results = [parse_sentence(s, c) for s in sents]
    if not any(results):
        return False
    rest = [s.text for s, ok in zip(sents, results, strict=True) if not ok]
    if rest:
        c.leftovers[idx + 1] = rest
        for text in rest:
            c.note(f"sentence not understood: {text!r}", Span(idx + 1, 0, 0))
    return True


def header_value(page: Page, idx: int, slot: str, c: Collector) -> bool:
    """A labelled header value other than the city's own: the officers or the website."""
    sent = page.sent(idx)
    if slot == "officers":
        return officers(sent, c)
    last = slot == "website" and not any(n.strip() for n in page.norms[idx + 1 :])
    if last and (sent.cut or sent.text.endswith(".")):
        # an address never ends with a full stop: the page ends inside it
        c.kind(idx + 1, "truncated")
        c.note(
            "the page ends inside the website's address; it was not read", Span(idx + 1, 0, 0), "city.website"
        )
        return True
    v = sent.piece(0, len(sent.text), strip=" ,;")
    if v is None:
        return False
    c.put(("city", slot), v)
    return True


def officers(sent: Sent, c: Collector) -> bool:
    """`A, B` or `A and B` are two people; `Name (current)` is a name with a note on the role."""
    found = False
    for a, b in _people_parts(sent.text):
        part = sent.text[a:b]
        qualifier = QUALIFIER.search(part)
        end = a + qualifier.start() if qualifier else b
        v = sent.piece(a, end)
        if v is None:
            continue
        c.items("city", "innovation_officers").append(v)
        found = True
        if qualifier is not None:
            note = sent.piece(a + qualifier.start("note"), a + qualifier.end("note"))
            if note is not None:
                c.items("city", "officer_notes").append({"name": V(v.value, v.span), "note": note})
    return found


def _people_parts(text: str) -> list[tuple[int, int]]:
    """Offsets of the names in a list of people: split at `,` `;` `&` and ` and `, not inside (...)."""
    out: list[tuple[int, int]] = []
    for a, b in top_level_chunks(text, 0, len(text), ",;&"):
        bounds = [a]
        for m in re.finditer(r"(?:^|\s)and\s", text[a:b]):
            head = text[a : a + m.start()]
            if head.count("(") == head.count(")"):  # not inside a note on the role
                bounds += [a + m.start(), a + m.end()]
        bounds.append(b)
        for start, end in zip(bounds[::2], bounds[1::2], strict=True):
            part = text[start:end]
            start, end = start + len(part) - len(part.lstrip()), end - (len(part) - len(part.rstrip()))
            if start < end:
                out.append((start, end))
    return out


def is_block_label(text: str) -> bool:
    return known(Scheme.GOAL, text) or known(Scheme.SUCCESS_FACTOR, text)
