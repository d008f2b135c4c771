"""The web app's pages in a real browser (headless Chromium): the home page's counts, finding
Helsinki by search on the city list and opening its page, the ontology's links, the keyboard
(a skip link first, a visible focus) and a phone's screen. Screenshots of the home, city list
and ontology pages are saved under the test's tmp_path."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from browser_support import browser, page, phone, screenshot
from citykg import Store
from serve_support import Running, running

__all__ = ["browser", "page"]

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def store(submissions_store: Path) -> Path:
    return submissions_store


@pytest.fixture(scope="module")
def served(store: Path) -> Iterator[Running]:
    with running(store, workers=1) as started:
        yield started


def test_the_home_page_shows_the_counts(page: Page, store: Path, served: Running, tmp_path: Path) -> None:
    cities = Store(store).query("surveyed-cities").rows
    page.goto(served.url)
    assert page.get_by_role("heading", level=1).inner_text() == "City innovation profiles"
    assert page.locator("#count-cities").inner_text() == str(len(cities))
    assert page.locator("#count-countries").inner_text() == str(len({str(c["country"]) for c in cities}))
    waves = page.get_by_role("table", name="Cities per survey wave: the figures")
    assert waves.locator("tbody tr").count() == len(
        {str(c["firstWave"]) for c in cities} | {str(c["lastWave"]) for c in cities}
    )
    assert page.get_by_role("img", name="Survey shares, wave 2018: computed vs stated").is_visible()
    assert screenshot(page, tmp_path, "home").read_bytes().startswith(b"\x89PNG")


def test_find_helsinki_by_search_and_open_its_page(
    page: Page, store: Path, served: Running, tmp_path: Path
) -> None:
    total = len(Store(store).query("surveyed-cities").rows)
    page.goto(served.url)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Cities").click()
    assert page.url == served.url + "cities"
    page.get_by_label("Name or country").fill("helsinki")
    page.get_by_label("Name or country").press("Enter")  # a plain form: no script submits it
    page.wait_for_url("**/cities?q=helsinki*")
    rows = page.locator("table#cities tbody tr")
    assert rows.count() == 1
    assert page.get_by_role("heading", level=2).first.inner_text() == f"1 of {total} cities match"
    screenshot(page, tmp_path, "cities")
    rows.get_by_role("link", name="Helsinki").click()
    assert page.url == served.url + "id/city/finland/helsinki"
    assert page.get_by_role("heading", level=1).inner_text() == "Helsinki"


def test_a_filter_chosen_from_a_list_finds_the_cities_of_narrower_partner_types(
    page: Page, served: Running
) -> None:
    page.goto(served.url + "cities")
    page.get_by_label("Partner type").select_option("regional institutions")
    page.get_by_role("button", name="Show cities").click()
    page.wait_for_url("**partner=regional+institutions*")
    assert page.locator("table#cities tbody tr th").all_inner_texts() == [
        "Helsinki"
    ]  # it partners with hospitals


def test_the_ontology_page_links_its_terms(page: Page, served: Running, tmp_path: Path) -> None:
    page.goto(served.url)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Ontology").click()
    assert page.get_by_role("heading", level=1).inner_text() == "citykg ontology"
    city = page.locator("section", has=page.locator("h3#City"))
    assert "A city whose administration answered the survey" in city.inner_text()
    city.get_by_role("link", name="Surveyed city").click()
    assert page.url.endswith("ontology#SurveyedCity")
    screenshot(page, tmp_path, "ontology")
    page.get_by_role("link", name="Partner types").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Partner types"
    page.get_by_role("link", name="regional institutions").first.click()
    narrower = page.locator("dl.facts").inner_text()
    assert "hospitals" in narrower


def test_the_keyboard_reaches_a_skip_link_first_and_the_focus_is_visible(page: Page, served: Running) -> None:
    page.goto(served.url + "cities")
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "[document.activeElement.textContent, getComputedStyle(document.activeElement).outlineStyle]"
    )
    assert focused == ["Skip to content", "solid"]
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "f-q"  # the first field of the form, in <main>


def test_the_home_page_fits_a_phone_screen(browser: Browser, served: Running, tmp_path: Path) -> None:
    context = phone(browser)
    try:
        tab = context.new_page()
        tab.goto(served.url)
        assert tab.evaluate("document.documentElement.scrollWidth") <= 390
        screenshot(tab, tmp_path, "home-phone")
        tab.goto(served.url + "cities")
        assert tab.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()
