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
FIXTURE_PAGES = ["lindqvist-flat-2018", "marrow-headed-2020", "quillon-flat-cut"]


def check(page: Path, name: str) -> None:
    extraction = read_text_bytes(page.read_bytes(), source=page.name)
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
