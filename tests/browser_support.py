"""A real browser for tests: Debian's Chromium, headless, driven by Playwright for Python.

Playwright's own browser download is never used: the browser is the system's
(`/usr/bin/chromium`, or `$CITYKG_CHROMIUM`), which `make test` installs when it is missing
(`.ci/ensure-chromium`). Chromium is started with the flags that keep it off the network
(no background networking, no component updates, no sync) and a new empty profile.

Fixtures (import them into a test module: `from browser_support import browser, page`):
- `browser`: one headless Chromium for the test module;
- `page`: a new page (its own context: cookies, storage) per test, closed afterwards.
A test serves a store with `serve_support.running(store)` and opens `served.url` in `page`.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, sync_playwright

#: where the browser is looked for when $CITYKG_CHROMIUM is not set
SYSTEM_CHROMIUM = ("/usr/bin/chromium", "/usr/bin/chromium-browser")

#: the hosts a page may load from: the test's own server
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})

#: flags of a browser that makes no connection of its own
QUIET_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
]


def chromium_path() -> str:
    """The system Chromium's path; a clear failure (never a skip) when there is none."""
    wanted = os.environ.get("CITYKG_CHROMIUM")
    candidates = [wanted] if wanted else list(SYSTEM_CHROMIUM)
    for candidate in candidates:
        found = shutil.which(candidate) if candidate else None
        if found:
            return found
    pytest.fail(
        "no Chromium for the browser tests: install Debian's package (apt-get install chromium; "
        "`make test` does it when run as root) or set CITYKG_CHROMIUM to a Chromium binary",
        pytrace=False,
    )


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """A headless Chromium (a new empty profile: Playwright makes one per launch)."""
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=QUIET_FLAGS
        )
        try:
            yield launched
        finally:
            launched.close()


def guard(context: BrowserContext) -> list[str]:
    """Abort every request of `context` to a host other than loopback; the list it returns
    fills with the URLs asked for (a page must work with no network, no CDN)."""
    elsewhere: list[str] = []

    def only_loopback(route: Route) -> None:
        url = route.request.url
        if url.startswith(("data:", "blob:", "about:")) or urlsplit(url).hostname in LOOPBACK:
            route.continue_()
        else:
            elsewhere.append(url)
            route.abort()

    context.route("**/*", only_loopback)
    return elsewhere


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A page in a new context; the test fails at its end if a page asked for anything off the
    machine (`guard`)."""
    context = browser.new_context(viewport={"width": 1100, "height": 900}, service_workers="block")
    elsewhere = guard(context)
    opened = context.new_page()
    opened.set_default_timeout(30_000)
    try:
        yield opened
    finally:
        context.close()
    assert not elsewhere, f"a page asked for something off this machine: {elsewhere}"


def phone(browser: Browser) -> BrowserContext:
    """A guarded context the size of a phone's screen (close it when done)."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    guard(context)
    return context


def screenshot(page: Page, folder: Path, name: str) -> Path:
    """Save the whole page as `folder/name.png` and return its path."""
    target = folder / f"{name}.png"
    page.screenshot(path=str(target), full_page=True)
    return target
