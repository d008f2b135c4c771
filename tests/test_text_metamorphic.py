"""Metamorphic tests of the page reader on the project's own fixture pages (issue 11): edits a
copy of a page undergoes (its first lines lost, blank lines dropped or doubled, CRLF line ends,
the page cut off at any character) keep every fact whose evidence is still in the text, and
bring in none that the text no longer supports. Hypothesis picks the edits and the cut points.

A *fact* is a value of the extracted document with its origin (`Document.origins`), compared
by its field path without list positions (`goals[]`, `teams[].staff`) and its value: a copy
that lost lines may list the same goals in another order (flat pages repeat their goal block).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citykg.errors import InputError
from citykg.model.document import Origin
from citykg.model.fields import FieldType, submission_format
from citykg.sources.text.extract import TextExtraction, extract_text, split_lines

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "pages"
PAGES = sorted(p.stem for p in FIXTURES.glob("*.txt") if p.stem != "not-a-page")
# the fields of the header: a flat page's header is anchored by its population line
HEADER = ("city.country", "city.mayor", "city.population.", "city.innovation_officers", "city.website")
NARRATIVE = {f.path for f in submission_format().fields if f.type is FieldType.NARRATIVE}

Fact = tuple[str, str]


@cache
def page_text(name: str) -> str:
    return (FIXTURES / f"{name}.txt").read_text(encoding="utf-8").removeprefix("\ufeff")


def read(text: str, name: str) -> TextExtraction | None:
    """The page's extraction, or None when the reader refuses the text as no profile page."""
    try:
        return extract_text(text, source=f"{name}.txt")
    except InputError:
        return None


@cache
def whole(name: str) -> TextExtraction:
    return extract_text(page_text(name), source=f"{name}.txt")


def with_mayor() -> list[str]:
    """The pages whose whole reading has a mayor (a page the reader refuses has none here; the
    guard test below reports it)."""
    found = []
    for name in PAGES:
        try:
            if "city.mayor" in whole(name).document.origins:
                found.append(name)
        except InputError:
            pass
    return found


def value_at(data: Any, path: str) -> Any:
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", path):
        data = data[int(part[1:-1])] if part.startswith("[") else data[part]
    return data


def general(path: str) -> str:
    """`teams[1].staff` -> `teams[].staff`."""
    return re.sub(r"\[\d+\]", "[]", path)


def values(extraction: TextExtraction | None) -> dict[str, tuple[Any, Origin]]:
    """Each value the page stated (it has an origin in the text), by its field path."""
    if extraction is None:
        return {}
    data = extraction.document.data
    return {
        path: (value_at(data, path), origin)
        for path, origin in extraction.document.origins.items()
        if origin.line is not None
    }


def facts(extraction: TextExtraction | None) -> set[Fact]:
    return {(general(path), repr(value)) for path, (value, _) in values(extraction).items()}


def show(found: set[Fact]) -> list[str]:
    return sorted(f"{path} = {value}" for path, value in found)


def names_city(line: str, city: str) -> bool:
    """The line is one of the headings or narrative sentences that name the city (PROFILES.md)."""
    c = re.escape(city)
    return bool(
        re.search(
            rf"^Spotlight on innovation in {c}\s*$|^Policy areas that {c} is focused on|^{c} utilizes \d+|"
            rf"^Terms {c} most associates|(?:^|, ){c} (?:has|does not have) an explicit innovation strategy|"
            rf"(?:^|, ){c} approaches innovation capacity",
            line.replace("\u2019", "'"),
        )
    )


def complete_lines(text: str) -> list[str]:
    """The lines of `text` that certainly end where the page's line ends: a later line follows.

    A page cut off inside its last line looks like a whole page ending in a half word, so the
    last line of a copy is never taken as complete (a final line end is no proof either).
    """
    lines = split_lines(text)
    last = max((i for i, line in enumerate(lines) if line.strip()), default=-1)
    return lines[:last]


def evidence_kept(name: str, path: str, origin: Origin, kept: int) -> bool:
    """Whether a fact of the whole page has all its evidence in the first `kept` lines that are
    complete: its own line and the next non-blank line (whether a label line is a goal or a
    factor, a term or the start of the legend, can depend on its neighbour); header fields also
    need the population line that anchors the header, with its neighbour."""
    lines = split_lines(page_text(name))
    assert origin.line is not None

    def with_neighbour(number: int) -> int:
        after = [i + 1 for i in range(number, len(lines)) if lines[i].strip()]
        return after[0] if after else number

    needed = with_neighbour(origin.line)
    if path.startswith(HEADER):
        anchor = whole(name).document.origins.get("city.population.value")
        if anchor is not None and anchor.line is not None:
            needed = max(needed, with_neighbour(anchor.line))
    return needed <= kept


def city_still_named(name: str, text: str) -> str | None:
    """The whole page's city, when a complete line of `text` names it in a heading or sentence."""
    city = whole(name).document.data.get("city", {}).get("name")
    if city is None:
        return None
    return city if any(names_city(line, city) for line in complete_lines(text)) else None


def assert_nothing_unsupported(edited: TextExtraction | None, name: str) -> None:
    """Every fact found in the edited page was found in the whole page, with the same value."""
    invented = facts(edited) - facts(whole(name))
    assert not invented, ["not read from the whole page: " + fact for fact in show(invented)]


def assert_still_found(edited: TextExtraction | None, name: str, must: set[Fact]) -> None:
    missing = must - facts(edited)
    refused = " (the reader refused the edited text)" if edited is None else ""
    assert not missing, [f"still on the page{refused}, not found: " + fact for fact in show(missing)]


# ---------------------------------------------------------------- the fixture pages themselves


@pytest.mark.parametrize("name", PAGES)
def test_every_fixture_page_is_read(name: str) -> None:
    """Guard: the edits below start from a page the reader accepts, with facts to keep."""
    assert len(values(whole(name))) >= 5


# ---------------------------------------------------------------- (i) the first lines lost


@settings(max_examples=20, deadline=None)
@given(data=st.data())
@pytest.mark.parametrize("name", with_mayor())
def test_dropping_lines_before_the_mayor_keeps_the_facts_that_remain(name: str, data: st.DataObject) -> None:
    """A copy that starts later (at the country, at the `Mayor` label, at the mayor's name, as
    about half of the real headed pages do) still gives every fact of the lines it kept, and
    the city's name from its headings and sentences; it invents no country or city."""
    mayor = whole(name).document.origins["city.mayor"].line
    assert mayor is not None
    dropped = data.draw(st.integers(0, mayor - 1), label="lines dropped")
    lines = split_lines(page_text(name))
    text = "\n".join(lines[dropped:]) + "\n"
    edited = read(text, name)
    assert_nothing_unsupported(edited, name)
    kept = {
        (general(path), repr(value))
        for path, (value, origin) in values(whole(name)).items()
        if path != "city.name" and origin.line is not None and origin.line > dropped
    }
    city = city_still_named(name, text)
    if city is not None:
        kept.add(("city.name", repr(city)))
    assert_still_found(edited, name, kept)


@pytest.mark.parametrize("name", with_mayor())
def test_a_copy_starting_at_the_mayors_name_gives_the_mayor_and_the_city(name: str) -> None:
    mayor = whole(name).document.origins["city.mayor"].line
    assert mayor is not None
    text = "\n".join(split_lines(page_text(name))[mayor - 1 :]) + "\n"
    edited = read(text, name)
    assert edited is not None
    city = edited.document.data["city"]
    assert city.get("mayor") == whole(name).document.data["city"]["mayor"]
    assert city.get("name") == city_still_named(name, text)
    assert "country" not in city


# ---------------------------------------------------------------- (ii) blank lines, (iii) line ends


@st.composite
def blank_lines_changed(draw: st.DrawFn, name: str) -> tuple[str, list[int]]:
    """The page with each run of blank lines replaced by 0 to 2 blank lines; and, for each line
    of the new text, the number of the line it is in the page (0 for a blank line)."""
    out: list[str] = []
    origin: list[int] = []
    lines = split_lines(page_text(name))
    i = 0
    while i < len(lines):
        if lines[i].strip():
            out.append(lines[i])
            origin.append(i + 1)
            i += 1
            continue
        while i < len(lines) and not lines[i].strip():
            i += 1
        blanks = draw(st.integers(0, 2))
        out.extend([""] * blanks)
        origin.extend([0] * blanks)
    return "\n".join(out) + "\n", origin


def assert_same_reading(edited: TextExtraction | None, name: str, line_of: list[int] | None) -> None:
    """The same document, each value from the same text (at the same column of the same line)."""
    assert edited is not None
    assert edited.document.data == whole(name).document.data
    before = values(whole(name))
    after = values(edited)
    assert after.keys() == before.keys()
    for path, (_, origin) in after.items():
        old = before[path][1]
        assert origin.line is not None
        line = origin.line if line_of is None else line_of[origin.line - 1]
        assert (line, origin.column, origin.text) == (old.line, old.column, old.text), path


@settings(max_examples=15, deadline=None)
@given(data=st.data())
@pytest.mark.parametrize("name", PAGES)
def test_removing_or_adding_blank_lines_changes_nothing(name: str, data: st.DataObject) -> None:
    text, line_of = data.draw(blank_lines_changed(name), label="page")
    assert_same_reading(read(text, name), name, line_of)


@pytest.mark.parametrize("name", PAGES)
def test_a_page_with_crlf_line_ends_reads_the_same(name: str) -> None:
    text = "\r\n".join(split_lines(page_text(name))) + "\r\n"
    assert_same_reading(read(text, name), name, None)


@settings(max_examples=10, deadline=None)
@given(data=st.data())
@pytest.mark.parametrize("name", PAGES)
def test_mixed_line_ends_read_the_same(name: str, data: st.DataObject) -> None:
    lines = split_lines(page_text(name))
    ends = data.draw(st.lists(st.sampled_from(["\n", "\r\n"]), min_size=len(lines), max_size=len(lines)))
    text = "".join(line + end for line, end in zip(lines, ends, strict=True))
    assert_same_reading(read(text, name), name, None)


# ---------------------------------------------------------------- (iv) the page cut off


def check_cut(name: str, at: int) -> None:
    text = page_text(name)[:at]
    edited = read(text, name)
    kept_lines = split_lines(text)
    full = values(whole(name))
    for path, (value, origin) in values(edited).items():
        # the value's evidence lies in the kept text, and the whole page read it there too
        assert origin.line is not None and origin.column is not None and origin.text is not None
        assert origin.line <= len(kept_lines), path
        line = kept_lines[origin.line - 1]
        assert line[origin.column - 1 : origin.column - 1 + len(origin.text)] == origin.text, path
        assert path in full, f"{path} = {value!r} is not on the whole page"
        old_value, old_origin = full[path]
        # the same evidence, or the part of it before the cut (a line-long note cut after its year)
        where = f"{path} = {value!r} read at {origin.line}:{origin.column} {origin.text!r}"
        assert (origin.line, origin.column) == (old_origin.line, old_origin.column), (
            f"{where}; the whole page has {old_value!r} from {old_origin.line}:{old_origin.column}"
        )
        assert old_origin.text is not None and old_origin.text.startswith(origin.text), where
        if general(path) in NARRATIVE:  # the complete sentences before the cut
            assert old_value.startswith(value), path
        else:
            assert value == old_value, f"{path}: {value!r}, the whole page says {old_value!r}"
    complete = len(complete_lines(text))
    must = {
        (general(path), repr(value))
        for path, (value, origin) in full.items()
        if path != "city.name" and evidence_kept(name, path, origin, complete)
    }
    city = city_still_named(name, text)
    if city is not None:
        must.add(("city.name", repr(city)))
    narrative = {fact for fact in must if fact[0] in NARRATIVE}
    assert_still_found(edited, name, must - narrative)
    if narrative:  # found, possibly shorter: a later sentence of its paragraph may be cut
        found = {path for path, _ in facts(edited)}
        assert {path for path, _ in narrative} <= found


def cut_points(name: str) -> st.SearchStrategy[int]:
    """Any character of the page; half of the draws pick a line first, so that the short lines
    (labels, list items) are cut as often as the long sentences."""
    text = page_text(name)
    starts = [0] + [m.end() for m in re.finditer(r"\n", text)]
    ends = [*(s - 1 for s in starts[1:]), len(text)]
    in_a_line = st.sampled_from(list(zip(starts, ends, strict=True))).flatmap(
        lambda span: st.integers(span[0], max(span[0], span[1]))
    )
    return st.one_of(st.integers(0, len(text)), in_a_line)


@pytest.mark.slow  # two readings per example, every fixture page
@settings(max_examples=60, deadline=None)
@given(data=st.data())
@pytest.mark.parametrize("name", PAGES)
def test_a_page_cut_at_any_character_keeps_what_remains_and_invents_nothing(
    name: str, data: st.DataObject
) -> None:
    check_cut(name, data.draw(cut_points(name), label="cut at"))


@pytest.mark.slow  # two readings per line of every fixture page
@pytest.mark.parametrize("name", PAGES)
def test_a_page_cut_inside_its_last_word_drops_only_that_word(name: str) -> None:
    """The deterministic case of the cut: one character short of each line's end, for every line."""
    assert_every_cut_holds(name, [m.start() for m in re.finditer(r"\S(?=\r?\n|$)", page_text(name))])


@pytest.mark.slow  # two readings per word of every fixture page
@pytest.mark.parametrize("name", PAGES)
def test_a_page_cut_after_any_word_keeps_what_remains_and_invents_nothing(name: str) -> None:
    """Cut right after each word (`start-up` of `start-up (pre-)incubation`, `(e.g` of a partner's
    examples): a list item or a label cut short there is a whole word, not a half one, yet the
    page did not say it."""
    text = page_text(name)
    assert_every_cut_holds(name, [m.end() for m in re.finditer(r"\w(?=\W)", text)])


def assert_every_cut_holds(name: str, points: list[int]) -> None:
    """check_cut at each point; the failures are reported together, one per kind of mistake."""
    text = page_text(name)
    problems: dict[str, str] = {}
    for at in points:
        try:
            check_cut(name, at)
        except AssertionError as failure:
            message = str(failure).splitlines()[0]
            kind = re.sub(r"\d+", "N", message)
            problems.setdefault(kind, f"cut after {text[max(0, at - 40) : at]!r}: {message}")
    assert not problems, list(problems.values())
