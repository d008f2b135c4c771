"""Read a city's profile page (the text a person copies from the site) into a submission
document, with the line, column and exact text every value came from.

Two layouts exist (PROFILES.md): *headed* pages with `Mayor` / `Population` / ... labels and
section headings, and *flat* pages whose header is anchored by the population line. Both end
in the same narrative sentences. Lines that carry no fact (chart captions, the activities
legend, notes) are classified, and everything not understood is reported, never dropped.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from citykg.document import Document, Note, join_path
from citykg.errors import InputError
from citykg.resources import shapes_dir
from citykg.sources import text_layout as lay
from citykg.sources.text_common import Collector, Span, V, known, looks_like_people, normalise_line
from citykg.vocabulary import Scheme, normalise

__all__ = [
    "LineReport",
    "TextExtraction",
    "extract_text",
    "read_text_bytes",
    "render_explanation",
    "summary",
]


@dataclass
class LineReport:
    """What one input line produced."""

    number: int  # 1-based line number in the input
    text: str  # the line as in the input (without its line end)
    fields: list[str] = field(default_factory=list)  # field paths this line produced
    kind: str | None = None  # what a line without facts is; None = not understood
    leftovers: list[str] = field(default_factory=list)  # sentences of this line not understood


@dataclass
class TextExtraction:
    """A submission document read from a page, and the per-line account of the reading."""

    document: Document
    lines: list[LineReport]

    @property
    def unexplained(self) -> list[LineReport]:
        """Non-empty lines that produced no fact and are of no known no-fact kind."""
        return [r for r in self.lines if r.text.strip() and not r.fields and r.kind is None]

    @property
    def without_facts(self) -> list[LineReport]:
        return [r for r in self.lines if r.text.strip() and not r.fields]


def read_text_bytes(data: bytes, *, source: str, wave: int | None = None) -> TextExtraction:
    """Decode a page file (UTF-8, optional BOM) and read it."""
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InputError(
            f"contains a NUL byte at byte offset {nul}; this is not a text page",
            where=source,
            hint="save the page as plain UTF-8 text",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"is not valid UTF-8 (byte offset {exc.start})",
            where=source,
            hint="save the page as UTF-8 text (in an editor: 'Save as', encoding UTF-8)",
        ) from exc
    return extract_text(text, source=source, wave=wave)


def split_lines(text: str) -> list[str]:
    """The lines of a page: split at CRLF, CR or LF; a final line end opens no new line."""
    lines = re.split(r"\r\n|\r|\n", text)
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()
    return lines


def extract_text(text: str, *, source: str, wave: int | None = None) -> TextExtraction:
    """Read one profile page; raises InputError when the text is not a profile page."""
    text = text.removeprefix("\ufeff")
    raw = split_lines(text)
    norms = [normalise_line(line) for line in raw]
    nonblank = [i for i, n in enumerate(norms) if n.strip()]
    cut_line = None
    # Pages are often cut off (PROFILES.md): a last line without final punctuation may
    # have lost its end, so nothing reaching its end is taken unless it is a known label.
    if nonblank and not re.search(r"[.!?)*\"']$", norms[nonblank[-1]].rstrip()):
        cut_line = nonblank[-1] + 1
    page = lay.Page(norms, cut_line)
    c = Collector(source, raw)
    c.cities.extend(_prescan_cities(page, source, raw))
    if any(
        lay.HEADER_LABELS[k].match(page.text(i)) for k in lay.HEADER_LABELS for i in nonblank
    ) or any(p.match(page.text(i)) for _, p in lay.SECTIONS[:3] for i in nonblank):
        _headed(page, nonblank, c)
    else:
        _flat(page, nonblank, c)
    for i in nonblank:
        if i + 1 == cut_line and i + 1 not in c.kinds:
            c.kinds[i + 1] = "truncated"
            c.note(
                "the page ends inside this line; its cut-off end was not read", Span(i + 1, 0, 0)
            )
    for i, n in enumerate(norms):
        if not n.strip():
            c.kinds[i + 1] = "blank"
    _wave(c, wave)
    return _finish(c, raw, source)


# ---------------------------------------------------------------- headed layout


def _headed(page: lay.Page, nonblank: list[int], c: Collector) -> None:
    section: str | None = None
    pending: str | None = None
    first_label: str | None = None
    pre: list[int] = []
    after_numbering = False
    for idx in nonblank:
        text, line = page.text(idx), idx + 1
        label = next((k for k, p in lay.HEADER_LABELS.items() if p.match(text)), None)
        if label:
            c.kind(line, "heading")
            pending, section = label, None
            first_label = first_label or label
            continue
        if pending:
            slot, pending = pending, None
            if lay.header_value(page, idx, slot, c):
                continue
        heading = next(((name, m) for name, p in lay.SECTIONS if (m := p.match(text))), None)
        if heading:
            section, m = heading
            c.kind(line, "heading")
            if "city" in m.groupdict():
                sent = page.sent(idx)
                city = sent.group(m, "city")
                if city is not None:
                    c.cities.append(V(re.sub(r"'s?$", "", str(city.value)), city.span))
            if section == "roles" and (n := page.sent(idx).group(m, "n")) is not None:
                c.put(("roles_count",), V(int(n.value), n.span))
                c.kinds.pop(line)
            continue
        if (
            section == "activities"
            and not lay.EXAMPLE.match(text)
            and not lay.NUMBERING.match(text)
        ):
            if lay.CAPTION.match(text) or not lay._short(text):
                section = None
            elif after_numbering:
                c.kind(line, "legend")
                after_numbering = False
                continue
            else:
                lay.label_line(
                    page, idx, c, ("activities",), Scheme.ACTIVITY, "innovation activity"
                )
                continue
        fixed = lay.fixed_kind(text, c, line)
        if fixed:
            if fixed == "caption":
                section = None
            after_numbering = fixed == "legend" and bool(lay.NUMBERING.match(text))
            c.kind(line, fixed)
            continue
        if first_label is None and section is None:
            pre.append(idx)
            continue
        if section in ("goals", "factors") and lay.BULLET.match(text):
            keys, scheme = (
                (("goals",), Scheme.GOAL)
                if section == "goals"
                else (("success_factors",), Scheme.SUCCESS_FACTOR)
            )
            lay.label_line(
                page, idx, c, keys, scheme, "goal" if section == "goals" else "success factor"
            )
            continue
        if section == "spotlight" and not lay.narrative(page, idx, c):
            lay.spotlight(page, idx, c)
            continue
        if section == "policy" and not lay.narrative(page, idx, c):
            if not lay.area_paragraph(page, idx, c) and lay._short(text):
                lay.label_line(page, idx, c, ("policy_areas",), Scheme.POLICY_AREA, "policy area")
            continue
        if section in ("roles", "terms") and lay._short(text):
            keys, scheme = (
                (("roles",), Scheme.INNOVATION_ROLE)
                if section == "roles"
                else (("terms",), Scheme.INNOVATION_TERM)
            )
            lay.label_line(
                page,
                idx,
                c,
                keys,
                scheme,
                "innovation role" if section == "roles" else "innovation term",
            )
            continue
        after_numbering = False
        if not lay.narrative(page, idx, c):
            lay.area_paragraph(page, idx, c)
    _header_lines(page, pre, first_label, c)


def _header_lines(page: lay.Page, pre: list[int], first_label: str | None, c: Collector) -> None:
    """Lines before the first header label: the city and country (or what is left of them)."""
    slots = ["name", "country", "mayor"] if first_label == "population" else ["name", "country"]
    taken = pre[-len(slots) :] if pre else []
    assigned = list(zip(slots[-len(taken) :] if taken else [], taken, strict=True))
    city = _city_name(c)
    for slot, idx in assigned:
        text = page.text(idx)
        if city and normalise(text) == normalise(city):
            slot = "name"
        elif slot == "name" and len(assigned) == 1:
            slot = "country"  # one line before 'Mayor' that is not the city: the country
        elif slot == "mayor" and lay.people_or_country(text) == "country":
            slot = "country"
        if slot == "name":
            v = page.sent(idx).piece(0, len(page.text(idx)))
            if v is not None:
                c.put(("city", "name"), v, overwrite=True)
            c.kind(idx + 1, "heading")
        else:
            lay.header_value(page, idx, slot, c)


# ---------------------------------------------------------------- flat layout


def _flat(page: lay.Page, nonblank: list[int], c: Collector) -> None:
    pop = next((i for i in nonblank if lay.POPULATION.match(page.text(i))), None)
    body = nonblank
    if pop is not None:
        before = [i for i in nonblank if i < pop]
        after = [i for i in nonblank if i > pop]
        pre_texts = {normalise(page.text(i)) for i in before}
        officer = None
        if (
            after
            and not lay.is_block_label(page.text(after[0]))
            and normalise(page.text(after[0])) not in pre_texts
            and looks_like_people(page.text(after[0]))
        ):
            officer = after.pop(0)
        repeat: list[int] = []
        for i in after:
            if lay.is_block_label(page.text(i)) or normalise(page.text(i)) in pre_texts:
                repeat.append(i)
            else:
                break
        repeat_texts = {normalise(page.text(i)) for i in repeat}
        header: list[int] = []
        for i in reversed(before):
            if (
                len(header) < 2
                and normalise(page.text(i)) not in repeat_texts
                and not lay.is_block_label(page.text(i))
            ):
                header.insert(0, i)
            else:
                break
        slots = ["country", "mayor"][: len(header)]
        for slot, i in zip(slots, header, strict=True):
            lay.header_value(page, i, slot, c)
        lay.header_value(page, pop, "population", c)
        if officer is not None:
            lay.header_value(page, officer, "officers", c)
        block = [i for i in before if i not in header]
        _block(page, block, repeat, c)
        body = [i for i in after if i not in repeat]
    started = False
    for idx in body:
        text, line = page.text(idx), idx + 1
        fixed = lay.fixed_kind(text, c, line)
        if fixed:
            c.kind(line, fixed)
            continue
        if lay.area_paragraph(page, idx, c):
            started = True
            continue
        if lay.narrative(page, idx, c):
            started = True
            continue
        if not started and len(text) > 100:
            lay.spotlight(page, idx, c)


def _block(page: lay.Page, block: list[int], repeat: list[int], c: Collector) -> None:
    """The goal and success-factor lines (and their repetition): vocabulary, then position."""
    city = _city_name(c)
    if block and city and normalise(page.text(block[0])) == normalise(city):
        v = page.sent(block[0]).piece(0, len(page.text(block[0])))
        c.put(("city", "name"), v)
        c.kind(block[0] + 1, "heading")
        block = block[1:]
    seen = {normalise(page.text(i)) for i in block}
    for lines in (block, [i for i in repeat if normalise(page.text(i)) not in seen]):
        in_factors = False
        for i in lines:
            text = page.text(i)
            if known(Scheme.SUCCESS_FACTOR, text) and not known(Scheme.GOAL, text):
                in_factors = True
            elif known(Scheme.GOAL, text):
                in_factors = False
            if in_factors:
                lay.label_line(
                    page, i, c, ("success_factors",), Scheme.SUCCESS_FACTOR, "success factor"
                )
            else:
                lay.label_line(page, i, c, ("goals",), Scheme.GOAL, "goal")
    for i in repeat:
        if normalise(page.text(i)) in seen:
            c.kind(i + 1, "repeat")


# ---------------------------------------------------------------- assembling


def _prescan_cities(page: lay.Page, source: str, raw: list[str]) -> list[V]:
    """The subjects of the narrative sentences and headings, read before the header is."""
    scratch = Collector(source, raw)
    for idx, norm in enumerate(page.norms):
        text = norm.strip()
        heading = next((m for _, p in lay.SECTIONS if (m := p.match(text))), None)
        if heading is not None and heading.groupdict().get("city"):
            scratch.cities.append(V(re.sub(r"'s?$", "", heading.group("city")), None))
        elif text:
            lay.narrative(page, idx, scratch)
    return [V(v.value, None) for v in scratch.cities]


def _city_name(c: Collector) -> str | None:
    names = Counter(normalise(str(v.value)) for v in c.cities if v.value)
    if not names:
        return None
    best = names.most_common(1)[0][0]
    return next(str(v.value) for v in c.cities if normalise(str(v.value)) == best)


def _wave(c: Collector, wave: int | None) -> None:
    if wave is not None:
        c.put(("survey", "wave"), V(wave, None), overwrite=True)
        return
    if not c.waves:
        c.put(("survey", "wave"), V(2018, None))
        c.note(
            "nothing on the page tells the survey wave; assumed 2018 (use --wave to set it)",
            None,
            "survey.wave",
        )
        return
    best = max(c.waves, key=lambda e: e.strength)  # the first of the strongest
    c.put(("survey", "wave"), V(best.wave, best.span))
    for other in c.waves:
        if other.wave != best.wave:
            c.note(
                f"the page also suggests the {other.wave} wave ({other.why}); kept {best.wave}",
                other.span,
                "survey.wave",
            )


@cache
def _schema() -> dict[str, Any]:
    with (shapes_dir() / "submission.schema.json").open(encoding="utf-8") as handle:
        schema: dict[str, Any] = json.load(handle)
    return schema


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if isinstance(ref, str):
        resolved: dict[str, Any] = _schema()["$defs"][ref.rsplit("/", 1)[1]]
        return resolved
    return node


def _materialise(
    node: Any, schema: dict[str, Any], path: str, c: Collector, out: dict[str, Any]
) -> Any:
    schema = _resolve(schema)
    if isinstance(node, V):
        origin = c.origin(node.span)
        if origin is not None:
            out["origins"][path] = origin
            out["fields"].setdefault(origin.line, []).append(path)
        return node.value
    if isinstance(node, list):
        items = schema.get("items", {})
        return [
            _materialise(item, items, join_path(path, i), c, out) for i, item in enumerate(node)
        ]
    props: dict[str, Any] = schema.get("properties", {})
    order = [k for k in props if k in node] + [k for k in node if k not in props]
    result: dict[str, Any] = {}
    for key in order:
        value = node[key]
        if value in ([], {}):
            continue
        result[key] = _materialise(value, props.get(key, {}), join_path(path, key), c, out)
    return result


def _merge_partners(c: Collector) -> None:
    for kind in ("innovation", "data"):
        entries = c.data.get("partnerships", {}).get(kind, [])
        merged: dict[str, dict[str, Any]] = {}
        for entry in entries:
            key = normalise(str(entry["partner"].value))
            if key in merged:
                for sub in ("includes", "examples"):
                    merged[key].setdefault(sub, []).extend(entry.get(sub, []))
            else:
                merged[key] = entry
        if entries:
            c.data["partnerships"][kind] = list(merged.values())


def _finish(c: Collector, raw: list[str], source: str) -> TextExtraction:
    city = _city_name(c)
    if city is None and "name" not in c.data.get("city", {}):
        raise InputError(
            "does not look like a city profile page: "
            "no city name, header or narrative sentence found",
            where=source,
            hint="give the text of a city's innovation profile page, as copied from the site",
        )
    if city is not None:
        spans = [v.span for v in c.cities if v.span and normalise(str(v.value)) == normalise(city)]
        first = min(spans, key=lambda s: (s.line, s.start)) if spans else None
        c.put(("city", "name"), V(city, first))
    if "country" not in c.data.get("city", {}):
        c.note("the page does not give the city's country", None, "city.country")
    _merge_partners(c)
    out: dict[str, Any] = {"origins": {}, "fields": {}}
    data = _materialise(c.data, _schema(), "", c, out)
    notes = sorted(c.notes, key=lambda n: (n.origin.line or 0) if n.origin else 0)
    document = Document(data=data, source=source, origins=out["origins"], notes=list(notes))
    reports = [
        LineReport(i + 1, line, out["fields"].get(i + 1, []), None, c.leftovers.get(i + 1, []))
        for i, line in enumerate(raw)
    ]
    for report in reports:
        report.kind = c.kinds.get(report.number)
    return TextExtraction(document, reports)


def summary(extraction: TextExtraction) -> str:
    """`page.txt: 2 lines produced no fact (0 not understood); see --explain`."""
    quiet = extraction.without_facts
    plural = "s" if len(quiet) != 1 else ""
    return (
        f"{extraction.document.source}: {len(quiet)} line{plural} produced no fact "
        f"({len(extraction.unexplained)} not understood); see --explain"
    )


def render_explanation(extraction: TextExtraction) -> str:
    """Per line of the page: the facts it produced, or what kind of line it is."""
    data = extraction.document
    out: list[str] = [f"# {data.source}"]
    for report in extraction.lines:
        if not report.text.strip():
            continue
        shown = report.text.strip()
        shown = shown if len(shown) <= 72 else shown[:69] + "..."
        out.append(f"{report.number:>4} | {shown}")
        for path in report.fields:
            out.append(f"     -> {path} = {_value_at(data.data, path)!r}")
        if not report.fields:
            out.append(
                f"     .. no fact: {report.kind}" if report.kind else "     ?? not understood"
            )
        for rest in report.leftovers:
            out.append(f"     ?? sentence not understood: {rest}")
    notes: list[Note] = data.notes
    if notes:
        out.append("# notes")
        out.extend(f"- {n.origin.describe() + ': ' if n.origin else ''}{n.message}" for n in notes)
    out.append("# " + summary(extraction))
    return "\n".join(out) + "\n"


def _value_at(data: Any, path: str) -> Any:
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", path):
        data = data[int(part[1:-1])] if part.startswith("[") else data[part]
    return data
