"""In a real browser: run `cities-with-data-partner` from its form and find Helsinki in the
table, download the answer as CSV, open Helsinki's page and read its sections and a fact's
evidence, and ask the SPARQL page. Screenshots go under the test's tmp_path."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page

from browser_support import browser, page, screenshot
from citykg import Store
from serve_support import Running, running

__all__ = ["browser", "page"]

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    location = tmp_path_factory.mktemp("browser-city") / "store"
    Store(location).build([ROOT / "data" / "submissions", ROOT / "tests" / "fixtures" / "catalog"])
    with running(location) as started:
        yield started


def test_run_a_catalog_query_from_its_form_and_download_the_csv(
    page: Page, served: Running, tmp_path: Path
) -> None:
    page.goto(served.url + "queries")
    page.get_by_role("link", name="cities-with-data-partner").click()
    page.get_by_label("partner").select_option("academia")
    page.get_by_role("button", name="Run the query").click()
    assert "partner=academia" in page.url
    page.get_by_label("partner").select_option("hospitals")
    page.get_by_role("button", name="Run the query").click()
    table = page.locator("table.results")
    assert "Helsinki" in table.inner_text() and "Northport" in table.inner_text()
    screenshot(page, tmp_path, "query")
    with page.expect_download() as started:
        page.get_by_role("link", name="CSV").click()
    saved = tmp_path / started.value.suggested_filename
    started.value.save_as(saved)
    assert saved.name == "cities-with-data-partner.csv"
    rows = list(csv.DictReader(saved.read_text(encoding="utf-8").splitlines()))
    cities = {row["city"] for row in rows}
    assert {"Helsinki", "Northport"} <= cities
    assert all(row["partnerType"] == "hospitals" for row in rows if row["city"] == "Helsinki")


def test_open_helsinkis_page_and_read_a_facts_evidence(page: Page, served: Running, tmp_path: Path) -> None:
    page.goto(served.url + "id/city/finland/helsinki")
    assert page.get_by_role("heading", level=1).inner_text() == "Helsinki"
    for section in ("Goals", "Teams", "Funding and its uses", "Data partnerships", "Initiatives"):
        assert page.get_by_role("heading", name=section).is_visible()
    mayor = page.locator('li[data-value="Jan Vapaavuori"]')
    evidence = mayor.locator("details.evidence")
    assert not evidence.locator("li").first.is_visible()
    evidence.locator("summary").click()
    assert "city.mayor" in evidence.locator("li").first.inner_text()
    assert "line 6" in evidence.inner_text()
    screenshot(page, tmp_path, "city-page")


def test_two_waves_side_by_side_on_a_phone_and_the_sparql_page(
    page: Page, served: Running, tmp_path: Path
) -> None:
    page.goto(served.url + "id/city/freedonia/northport")
    assert page.locator("li.change-added", has_text="Bea Storm").is_visible()
    assert page.locator("li.change-removed", has_text="Ada Brook").is_visible()
    screenshot(page, tmp_path, "two-waves")
    page.goto(served.url + "sparql")
    page.get_by_label("Query").fill(
        "PREFIX schema: <https://schema.org/> PREFIX ckg: <https://w3id.org/citykg/ontology#> "
        "SELECT ?name WHERE { ?c a ckg:City ; schema:name ?name } ORDER BY ?name"
    )
    page.get_by_role("button", name="Run the query").click()
    assert page.locator("table.results td").all_inner_texts()[:2] == ["Amsterdam", "Atlanta"]
    page.get_by_label("Query").fill("SELECT nonsense")
    page.get_by_role("button", name="Run the query").click()
    assert "Error 400" in page.locator("[role=alert]").inner_text()
    screenshot(page, tmp_path, "sparql")
