"""The browser of the web-app tests works here: headless Chromium opens a page of a running
server, reads it and saves a screenshot, and no page may reach off the machine."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, Page

from browser_support import browser, guard, page, phone, screenshot
from serve_support import running

__all__ = ["browser", "page"]


def test_a_city_iri_opens_as_a_page_in_the_browser(page: Page, built_store: Path, tmp_path: Path) -> None:
    with running(built_store) as served:
        page.goto(served.url + "id/city/finland/helsinki")
        assert "Helsinki" in page.title() + page.inner_text("body")
        shot = screenshot(page, tmp_path, "helsinki")
    assert shot.read_bytes().startswith(b"\x89PNG")


def test_a_request_off_the_machine_is_caught_and_loopback_is_not(browser: Browser, built_store: Path) -> None:
    context = browser.new_context()
    elsewhere = guard(context)
    try:
        tab = context.new_page()
        with running(built_store) as served:
            tab.goto(served.url + "id/city/finland/helsinki")
            tab.set_content(f'<img src="http://example.org/x.png"><img src="{served.url}sparql">')
    finally:
        context.close()
    assert elsewhere == ["http://example.org/x.png"]


def test_a_phone_sized_context(browser: Browser, built_store: Path) -> None:
    context = phone(browser)
    try:
        tab = context.new_page()
        with running(built_store) as served:
            tab.goto(served.url + "id/city/finland/helsinki")
            width = tab.evaluate("document.documentElement.clientWidth")
        assert width == 390
    finally:
        context.close()
