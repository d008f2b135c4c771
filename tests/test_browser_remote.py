"""In a real browser, a server over a remote store (a real Oxigraph server): find Northport with
the city list's search box, open its page, read the two waves side by side with the changes
marked and a fact's evidence. Screenshots go under the test's tmp_path."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

from browser_support import browser, page, screenshot
from citykg import Store
from serve_support import running
from triplestores import StoreUnderTest, oxigraph_store

__all__ = ["browser", "oxigraph_store", "page"]

ROOT = Path(__file__).resolve().parents[1]


def test_a_city_found_and_read_on_a_remote_store(
    page: Page, oxigraph_store: StoreUnderTest, tmp_path: Path
) -> None:
    Store(oxigraph_store.location).build(
        [ROOT / "data" / "submissions", ROOT / "tests" / "fixtures" / "catalog"]
    )
    with running(oxigraph_store.location) as served:
        page.goto(served.url + "cities")
        page.get_by_label("Name or country").fill("northport")
        page.get_by_role("button", name="Show cities").click()
        page.get_by_role("link", name="Northport").click()
        assert page.url == served.url + "id/city/freedonia/northport"
        assert page.get_by_role("heading", level=1).inner_text() == "Northport"
        assert page.locator("li.change-added", has_text="Bea Storm").is_visible()
        assert page.locator("li.change-removed", has_text="Ada Brook").is_visible()
        evidence = page.locator('li[data-value="Bea Storm"]').locator("details.evidence")
        evidence.locator("summary").click()
        assert "northport-2020.yaml" in evidence.inner_text()
        screenshot(page, tmp_path, "remote-city")
