"""Properties of the page reader on any text: it never crashes (a text that is no profile
page is refused with InputError) and every piece of evidence lies inside the input."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from citykg.errors import InputError
from citykg.sources.text.extract import extract_text, split_lines

PAGES = Path(__file__).resolve().parent / "fixtures" / "pages"
REAL_LINES = [
    line
    for page in sorted(PAGES.glob("*.txt"))
    for line in split_lines(page.read_text(encoding="utf-8-sig"))
    if line.strip()
]


@st.composite
def page_like(draw: st.DrawFn) -> str:
    lines = draw(st.lists(st.one_of(st.text(max_size=60), st.sampled_from(REAL_LINES)), max_size=40))
    ending = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    return ending.join(lines)


def check(text: str) -> None:
    try:
        extraction = extract_text(text, source="any.txt")
    except InputError:
        return
    lines = split_lines(text.removeprefix("\ufeff"))
    assert [r.text for r in extraction.lines] == lines
    for path, origin in extraction.document.origins.items():
        assert origin.line is not None and origin.column is not None and origin.text, path
        line = lines[origin.line - 1]
        start = origin.column - 1
        assert line[start : start + len(origin.text)] == origin.text, path
    for report in extraction.lines:
        for path in report.fields:
            assert extraction.document.origins[path].line == report.number


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_never_raises_on_arbitrary_text(text: str) -> None:
    check(text)


@settings(max_examples=300, deadline=None)
@given(page_like(), st.data())
def test_evidence_spans_lie_inside_page_like_input(text: str, data: st.DataObject) -> None:
    check(text)
    cut = text[: data.draw(st.integers(0, len(text)))]
    check(cut)


def test_the_fixture_lines_do_produce_evidence() -> None:
    """Guard: the page-like strategy really exercises evidence (not only refusals)."""
    text = "\n".join(REAL_LINES)
    extraction = extract_text(text, source="all.txt")
    assert len(extraction.document.origins) > 30
    assert not re.search(r"\s$", extraction.document.origins["city.name"].text or " ")
