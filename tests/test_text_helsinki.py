"""The founding example: the Helsinki page reads into the hand-written Helsinki submission."""

from __future__ import annotations

from pathlib import Path

import yaml

from citykg.sources.text.extract import read_text_bytes

ROOT = Path(__file__).resolve().parents[1]


def test_helsinki_page_reads_into_the_hand_written_submission() -> None:
    page = ROOT / "data" / "profiles" / "helsinki.txt"
    extraction = read_text_bytes(page.read_bytes(), source="helsinki.txt")
    expected = yaml.safe_load((ROOT / "data" / "submissions" / "helsinki-2020.yaml").read_text())
    assert extraction.document.data == expected


def test_helsinki_every_line_is_accounted_for() -> None:
    page = ROOT / "data" / "profiles" / "helsinki.txt"
    extraction = read_text_bytes(page.read_bytes(), source="helsinki.txt")
    assert extraction.unexplained == []
    legend = [r.number for r in extraction.lines if r.kind == "legend"]
    assert legend == list(range(26, 33))
    origin = extraction.document.origins["city.population.value"]
    assert (origin.line, origin.column, origin.text) == (11, 1, "653,867")
    wave = extraction.document.origins["survey.wave"]
    assert wave.line == 34 and wave.text == "2020"
