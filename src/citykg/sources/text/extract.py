"""Read a city's profile page (the text a person copies from the site) into a submission
document, with the line, column and exact text every value came from.

Two layouts exist (PROFILES.md): *headed* pages with `Mayor` / `Population` / ... labels and
section headings, and *flat* pages whose header is anchored by the population line. Both end
in the same narrative sentences. Lines that carry no fact (chart captions, the activities
legend, notes) are classified, and everything not understood is reported, never dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from citykg.errors import InputError
from citykg.model.document import Document, join_path
from citykg.model.schema import resolve, submission_schema
from citykg.model.vocabulary import normalise
from citykg.sources.common import decode_utf8
from citykg.sources.text import layout as lay
from citykg.sources.text.common import ENDS_WHOLE, Collector, Span, V, normalise_line
from citykg.sources.text.pages import city_name, prescan_cities, read_flat, read_headed

__all__ = [
    "LineReport",
    "TextExtraction",
    "extract_text",
    "read_text_bytes",
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


def read_text_bytes(
    data: bytes, *, source: str, wave: int | None = None, city: str | None = None
) -> TextExtraction:
    """Decode a page file (UTF-8, optional BOM) and read it."""
    return extract_text(decode_utf8(data, source), source=source, wave=wave, city=city)


def split_lines(text: str) -> list[str]:
    """The lines of a page: split at CRLF, CR or LF; a final line end opens no new line."""
    lines = re.split(r"\r\n|\r|\n", text)
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()
    return lines


def extract_text(
    text: str, *, source: str, wave: int | None = None, city: str | None = None
) -> TextExtraction:
    """Read one profile page; raises InputError when the text is not a profile page.

    `city` names the city when the page does not (a fragment holding only goals and factors).
    """
    text = text.removeprefix("\ufeff")
    raw = split_lines(text)
    norms = [normalise_line(line) for line in raw]
    nonblank = [i for i, n in enumerate(norms) if n.strip()]
    cut_line = None
    # Pages are often cut off (PROFILES.md): a last line without final punctuation may
    # have lost its end, so nothing reaching its end is taken unless it is a known label.
    if nonblank and not ENDS_WHOLE.search(norms[nonblank[-1]].rstrip()):
        cut_line = nonblank[-1] + 1
    page = lay.Page(norms, cut_line)
    c = Collector(source, raw)
    c.cities.extend(prescan_cities(page, source, raw))
    if any(lay.is_heading(page.text(i)) for i in nonblank):
        read_headed(page, nonblank, c)
    else:
        read_flat(page, nonblank, c)
    for i in nonblank:
        if i + 1 == cut_line and i + 1 not in c.kinds and i + 1 not in c.whole:
            c.kinds[i + 1] = "truncated"
            c.note("the page ends inside this line; its cut-off end was not read", Span(i + 1, 0, 0))
    for i, n in enumerate(norms):
        if not n.strip():
            c.kinds[i + 1] = "blank"
    _wave(c, wave)
    return _finish(c, raw, source, city)


# ---------------------------------------------------------------- assembling


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


def _materialise(node: Any, schema: dict[str, Any], path: str, c: Collector, out: dict[str, Any]) -> Any:
    schema = resolve(schema)
    if isinstance(node, V):
        origin = c.origin(node.span)
        if origin is not None:
            out["origins"][path] = origin
            out["fields"].setdefault(origin.line, []).append(path)
        return node.value
    if isinstance(node, list):
        items = schema.get("items", {})
        return [_materialise(item, items, join_path(path, i), c, out) for i, item in enumerate(node)]
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


def _finish(c: Collector, raw: list[str], source: str, given: str | None = None) -> TextExtraction:
    city = city_name(c)
    if given is not None and given.strip():
        if city is not None and normalise(city) != normalise(given):
            c.note(
                f"the page names the city {city!r}; kept {given.strip()!r} as --city asked", None, "city.name"
            )
        c.data.setdefault("city", {})["name"] = V(" ".join(given.split()), None)
        city = None
    if city is None and "name" not in c.data.get("city", {}):
        if not set(c.data) - {"survey"}:
            raise InputError(
                "does not look like a city profile page: no city name, header, goal, success factor "
                "or narrative sentence found",
                where=source,
                hint="give the text of a city's innovation profile page, as copied from the site",
            )
        c.note(
            "the page does not name its city (no header, heading or sentence with the name); "
            "name it with `citykg extract PAGE --city NAME`",
            None,
            "city.name",
        )
    if city is not None:
        spans = [v.span for v in c.cities if v.span and normalise(str(v.value)) == normalise(city)]
        first = min(spans, key=lambda s: (s.line, s.start)) if spans else None
        c.put(("city", "name"), V(city, first))
    if "country" not in c.data.get("city", {}):
        c.note("the page does not give the city's country", None, "city.country")
    _merge_partners(c)
    out: dict[str, Any] = {"origins": {}, "fields": {}}
    data = _materialise(c.data, submission_schema(), "", c, out)
    notes = sorted(c.notes, key=lambda n: (n.origin.line or 0) if n.origin else 0)
    document = Document(data=data, source=source, origins=out["origins"], notes=list(notes))
    reports = [
        LineReport(i + 1, line, out["fields"].get(i + 1, []), None, c.leftovers.get(i + 1, []))
        for i, line in enumerate(raw)
    ]
    for report in reports:
        report.kind = c.kinds.get(report.number)
    return TextExtraction(document, reports)
