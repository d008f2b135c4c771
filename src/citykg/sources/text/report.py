"""What the reading of a profile page found, told for a person checking pages: per field a page
can state, its short value or why it was left out (`citykg extract --report`); per line, the
facts it produced (`--explain`); and one summary line per page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from citykg.model.document import Note
from citykg.sources.text.extract import TextExtraction

__all__ = ["PAGE_FIELDS", "FieldReport", "field_reports", "render_explanation", "render_report", "summary"]

#: The fields a profile page can state, in the order the site's pages state them (the header,
#: the goal and factor lists, then the narrative sections). survey.wave has no place of its own.
PAGE_FIELDS: tuple[str, ...] = (
    "city.name",
    "city.country",
    "city.mayor",
    "city.population",
    "city.innovation_officers",
    "goals",
    "success_factors",
    "strategy.explicit",
    "strategy.approach",
    "policy_areas",
    "roles",
    "teams",
    "terms",
    "activities",
    "funding.dedicated",
    "funding.uses",
    "partnerships.innovation",
    "partnerships.data",
    "survey.wave",
)
_PLACELESS = {"survey.wave"}
#: the last section of a page: a page that reached it and is not cut off ended where pages end
_CLOSING = {"partnerships.innovation", "partnerships.data"}
_SHORT = 40
_LONG_QUOTE = re.compile(r"""(['"])((?:(?!\1).){41,})\1""")  # a quoted text over _SHORT


@dataclass(frozen=True)
class FieldReport:
    """One field of one page: found (with a short value or a count) or left out (with why)."""

    path: str
    found: bool
    text: str  # found: the short value or count; left out: the reason
    lines: tuple[int, ...] = ()  # the page lines the value came from
    notes: tuple[str, ...] = ()  # what the reading noted about a found field

    def render(self) -> str:
        if not self.found:
            return f"left out  {self.path}: {self.text}"
        where = f" ({_lines(self.lines)})" if self.lines else " (not from the page)"
        said = f"; {'; '.join(self.notes)}" if self.notes else ""
        return f"found     {self.path}: {self.text}{where}{said}"


def field_reports(extraction: TextExtraction) -> list[FieldReport]:
    """A report for each of PAGE_FIELDS, in that order."""
    document = extraction.document
    present = {path for path in PAGE_FIELDS if _value(document.data, path) is not None}
    placed = [path for path in PAGE_FIELDS if path not in _PLACELESS]
    last = max((placed.index(path) for path in present if path in placed), default=-1)
    cut = next((r.number for r in extraction.lines if r.kind == "truncated"), None)
    ends_early = cut is not None or (last >= 0 and placed[last] not in _CLOSING)
    last_line = max((r.number for r in extraction.lines if r.text.strip()), default=0)
    reports: list[FieldReport] = []
    for path in PAGE_FIELDS:
        notes = [n for n in document.notes if n.field is not None and _within(n.field, path)]
        notes.sort(key=lambda n: n.origin is None or n.origin.line is None)  # lines first
        if path in present:
            lines = sorted(
                {o.line for p, o in document.origins.items() if _within(p, path) and o.line is not None}
            )
            value = _value(document.data, path)
            reports.append(FieldReport(path, True, _show(path, value), tuple(lines), _said(notes)))
        elif notes:
            reports.append(FieldReport(path, False, "; ".join(_said(notes))))
        elif ends_early and path in placed and placed.index(path) > last:
            if cut is not None:
                reason = f"the page is cut off at line {cut}, before it states this"
            else:
                reason = f"the page ends at line {last_line}, before it states this"
            reports.append(FieldReport(path, False, reason))
        else:
            reports.append(FieldReport(path, False, "the page does not state it"))
    return reports


def render_report(extraction: TextExtraction) -> str:
    """`PAGE: N of M fields found`, then one line per field: found (value) or left out (why)."""
    reports = field_reports(extraction)
    found = sum(r.found for r in reports)
    out = [f"{extraction.document.source}: {found} of {len(reports)} fields found"]
    out.extend("  " + r.render() for r in reports)
    return "\n".join(out) + "\n"


def summary(extraction: TextExtraction) -> str:
    """`page.txt: 17 of 19 fields found; 2 lines produced no fact (0 not understood)`."""
    found = sum(r.found for r in field_reports(extraction))
    quiet = extraction.without_facts
    plural = "s" if len(quiet) != 1 else ""
    return (
        f"{extraction.document.source}: {found} of {len(PAGE_FIELDS)} fields found; "
        f"{len(quiet)} line{plural} produced no fact ({len(extraction.unexplained)} not understood)"
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
            out.append(f"     .. no fact: {report.kind}" if report.kind else "     ?? not understood")
        for rest in report.leftovers:
            out.append(f"     ?? sentence not understood: {rest}")
    notes: list[Note] = data.notes
    if notes:
        out.append("# notes")
        out.extend(f"- {n.origin.describe() + ': ' if n.origin else ''}{n.message}" for n in notes)
    out.append("# " + summary(extraction))
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- helpers


def _within(path: str, field: str) -> bool:
    """`goals[2]` and `city.population.year` are within `goals` and `city.population`."""
    return path == field or path.startswith((field + ".", field + "["))


def _value(data: dict[str, Any], path: str) -> Any:
    node: Any = data
    for key in path.split("."):
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return None if node in ([], {}, "") else node


def _value_at(data: Any, path: str) -> Any:
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", path):
        data = data[int(part[1:-1])] if part.startswith("[") else data[part]
    return data


def _show(path: str, value: Any) -> str:
    """A short form of a found value: the text, yes/no, a population, a count."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if path == "city.population" and isinstance(value, dict):
        figure = f"{value['value']:,}" if isinstance(value.get("value"), int) else "no figure"
        return figure + (f" ({value['year']})" if "year" in value else "")
    if path == "teams" and isinstance(value, list):
        return f"{len(value)}, staff " + ", ".join(_staff(team) for team in value)
    if isinstance(value, list):
        return str(len(value))
    text = " ".join(str(value).split())
    return text if len(text) <= _SHORT else text[: _SHORT - 3] + "..."


def _staff(team: dict[str, Any]) -> str:
    if "staff" in team:
        return str(team["staff"])
    if "staff_min" in team or "staff_max" in team:
        return f"{team.get('staff_min', '?')}-{team.get('staff_max', '?')}"
    return "not stated"


def _said(notes: list[Note]) -> tuple[str, ...]:
    """Each note as `line N: message` (or the message alone when it points at no line), a long
    quoted line in it shortened: the line number points at the whole of it."""
    return tuple(
        f"line {n.origin.line}: {_shorten_quotes(n.message)}"
        if n.origin and n.origin.line
        else _shorten_quotes(n.message)
        for n in notes
    )


def _shorten_quotes(message: str) -> str:
    """`'Gothenburg's innovation work is sprinkled ... institutes.'` -> `'Gothenburg's innov...'`."""
    quote = "{0}{1}...{0}"
    return _LONG_QUOTE.sub(lambda m: quote.format(m.group(1), m.group(2)[: _SHORT - 3].rstrip()), message)


def _lines(numbers: tuple[int, ...]) -> str:
    """`line 4`, `lines 1-5`, `lines 13, 25-26`."""
    runs: list[list[int]] = []
    for number in numbers:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    parts = [str(r[0]) if len(r) == 1 else f"{r[0]}-{r[-1]}" for r in runs]
    return ("line " if len(numbers) == 1 else "lines ") + ", ".join(parts)
