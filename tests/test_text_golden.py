"""Golden documents: the five dev pages (third-party text, read from the shared folder, never
copied here) and the project's own fixture pages, each against a document written from a
careful reading of the page. `CITYKG_REGENERATE=1 pytest tests/test_text_golden.py` rewrites
the goldens; review the diff before committing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from citykg.cli.extract import render_data
from citykg.sources.text.extract import read_text_bytes

TESTS = Path(__file__).resolve().parent
GOLDEN = TESTS / "golden" / "extract"
FIXTURES = TESTS / "fixtures" / "pages"
REGENERATE = os.environ.get("CITYKG_REGENERATE") == "1"


def shared_dev_profiles() -> Path | None:
    """`shared/domain/dev-profiles` beside the checkout (CI), or under /work/shared."""
    for root in (TESTS.parents[1] / "shared", Path("/work/shared")):
        folder = root / "domain" / "dev-profiles"
        if folder.is_dir():
            return folder
    return None


DEV = shared_dev_profiles()
DEV_PAGES = ["helsinki", "amsterdam", "atlanta", "cape-town-2018", "durham"]
FIXTURE_PAGES = [
    "lindqvist-flat-2018",
    "marrow-headed-2020",
    "quillon-flat-cut",
    # one page per layout rule of the site's page generator (PROFILES.md, issue 11)
    "brannock-from-mayor-2020",  # starts at the mayor's name: no city, country or labels
    "corvale-headed-labels",  # labels; population without a year; "Foresight, scenario planning"
    "dunmore-from-vision",  # begins at "Vision and approach ..."; no blank lines; cut in a word
    "fenwick-older-2018",  # the older (2018-era) text: 44%, "over one-third", indented legend
    "fenwick-2020-update",  # the 2020 text: 50%, the 2020 survey, two named teams with counts
    "gilmour-officer-notes",  # starts at the country; officers with qualifiers; a staff range
    "ilsworth-terms-before-legend",  # terms ending in "Human-centered design" before the legend
    "kestrel-flat-malformed-population",  # flat; population line "27,4410"; two unnamed teams
    "ossery-fragment",  # only the goal/factor block: no city anywhere
]
# pages read with a city name given (`citykg extract --city`), against their own golden documents
FIXTURE_PAGES_WITH_CITY = [("ossery-fragment", "Ossery")]


def check(page: Path, name: str, city: str | None = None) -> None:
    extraction = read_text_bytes(page.read_bytes(), source=page.name, city=city)
    golden = GOLDEN / f"{name}.yaml"
    if REGENERATE:
        golden.write_text(render_data(extraction.document.data, "yaml"), encoding="utf-8")
    expected = yaml.safe_load(golden.read_text(encoding="utf-8"))
    assert extraction.document.data == expected
    assert extraction.unexplained == [], [r.text for r in extraction.unexplained]


@pytest.mark.parametrize("name", DEV_PAGES)
def test_dev_page_matches_its_golden_document(name: str) -> None:
    if DEV is None:
        pytest.skip("the shared dev-profiles folder (../shared/domain/dev-profiles) is absent")
    check(DEV / f"{name}.txt", name)


@pytest.mark.parametrize("name", FIXTURE_PAGES)
def test_fixture_page_matches_its_golden_document(name: str) -> None:
    check(FIXTURES / f"{name}.txt", name)


@pytest.mark.parametrize(("name", "city"), FIXTURE_PAGES_WITH_CITY)
def test_fixture_page_with_a_city_given_matches_its_golden_document(name: str, city: str) -> None:
    check(FIXTURES / f"{name}.txt", f"{name}--city", city)


def test_a_page_that_names_no_city_is_read_with_a_warning_about_the_city() -> None:
    page = FIXTURES / "ossery-fragment.txt"
    extraction = read_text_bytes(page.read_bytes(), source=page.name)
    assert "name" not in extraction.document.data.get("city", {})
    warnings = [n for n in extraction.document.notes if n.field == "city.name" and n.severity == "warning"]
    assert warnings, [n.message for n in extraction.document.notes]
    assert "--city" in warnings[0].message
