"""Submitting a city from the web app, in a real browser: a file with a typo in a goal shows
the problem with its line, field and suggestion; a good file with the operator's token is
committed and the city is then served; without the token it is refused and nothing lands."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page

from _submit_support import HELSINKI, variant
from browser_support import browser, page, screenshot
from citykg import Store
from serve_support import Running, running

__all__ = ["browser", "page"]

ROOT = Path(__file__).resolve().parents[1]
AMSTERDAM = ROOT / "data" / "submissions" / "amsterdam-2018.yaml"
TOKEN = "the-operators-token-for-the-browser-0123"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Running]:
    """A server over a store holding Helsinki, submitting allowed with TOKEN."""
    location = tmp_path / "store"
    Store(location).build([HELSINKI])
    token = tmp_path / "token"
    token.write_text(TOKEN + "\n", encoding="utf-8")
    token.chmod(0o600)
    with running(location, allow_submit=True, token_file=token) as started:
        yield started


def open_form(page: Page, served: Running) -> None:
    page.goto(served.url + "submit")
    assert page.get_by_role("heading", name="Submit a city").is_visible()


def test_a_typo_in_a_goal_is_shown_with_its_line_field_and_suggestion(
    page: Page, served: Running, tmp_path: Path
) -> None:
    typo = variant(
        HELSINKI,
        tmp_path / "helsinki-typo.yaml",
        ("Improve internal government operations", "Improve internal goverment operations"),
    )
    line = (
        typo.read_text(encoding="utf-8").splitlines().index("  - Improve internal goverment operations") + 1
    )
    open_form(page, served)
    page.get_by_label("Submission file").set_input_files(str(typo))
    page.get_by_role("button", name="Check (changes nothing)").click()
    row = page.locator("table.problems tbody tr").first
    cells = row.locator("td").all_inner_texts()
    screenshot(page, tmp_path, "submit-typo")
    assert cells[0] == str(line) and cells[1] == "goals[1]"
    assert cells[2].startswith("error: 'Improve internal goverment operations' is not a label of the goal")
    assert cells[2].endswith(
        f"(did you mean 'Improve internal government operations'?)\nat helsinki-typo.yaml:{line}:5"
    )
    assert "Nothing was committed" in page.inner_text("body")


def test_a_good_file_with_the_token_is_committed_and_the_city_is_served(
    page: Page, served: Running, tmp_path: Path
) -> None:
    open_form(page, served)
    page.get_by_label("Submission file").set_input_files(str(AMSTERDAM))
    page.get_by_label("Operator's token").fill(TOKEN)
    page.get_by_role("button", name="Check and commit").click()
    page.wait_for_url("**/cities/the-netherlands/amsterdam/history?committed=1")
    status = page.get_by_role("status").inner_text()
    screenshot(page, tmp_path, "history")
    assert status == "Committed: version 1 of the 2018 wave is now the current one."
    assert "amsterdam-2018.yaml" in page.locator("table tbody tr").first.inner_text()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Cities").click()
    page.get_by_label("Name or country").fill("amsterdam")
    page.get_by_label("Name or country").press("Enter")
    page.wait_for_url("**/cities?q=amsterdam*")
    screenshot(page, tmp_path, "committed-in-list")
    page.locator("table#cities tbody tr").get_by_role("link", name="Amsterdam").click()
    screenshot(page, tmp_path, "committed-city")
    assert "Amsterdam" in page.title()
    page.get_by_role("link", name="Every version of this city's submissions").click()
    assert page.url == served.url + "cities/the-netherlands/amsterdam/history"


def test_without_the_token_a_commit_is_refused_and_nothing_lands(
    page: Page, served: Running, tmp_path: Path
) -> None:
    before = Store(served.store).query("surveyed-cities").column("city")
    open_form(page, served)
    page.get_by_label("Submission file").set_input_files(str(AMSTERDAM))
    page.get_by_label("Operator's token").fill("not-the-token-at-all-000000")
    page.get_by_role("button", name="Check and commit").click()
    alert = page.get_by_role("alert").inner_text()
    screenshot(page, tmp_path, "refused")
    assert alert == "not committed: the operator's token is missing or wrong; nothing was written"
    page.goto(served.url + "cities/the-netherlands/amsterdam/history")
    assert "no submission for the city the-netherlands/amsterdam" in page.inner_text("body")
    page.goto(served.url + "cities?q=amsterdam")
    assert page.locator("table#cities tbody tr").count() == 0
    assert Store(served.store).query("surveyed-cities").column("city") == before == ["Helsinki"]
