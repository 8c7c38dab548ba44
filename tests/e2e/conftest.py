"""Shared browser fixtures: one Streamlit server and one headless Chromium page per test module."""

from pathlib import Path

import pytest

from scripts.serve import serving

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def app_url():
    with serving() as server:
        yield server.url


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for the module, for tests that open pages at several sizes."""
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def page(browser):
    """A desktop page in the module's Chromium (one Playwright per module: a second one in the same thread fails)."""
    context = browser.new_context(viewport={"width": 1280, "height": 2000})
    yield context.new_page()
    context.close()


def _settled(page) -> None:
    from playwright.sync_api import expect

    expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning", timeout=60_000)
    page.wait_for_function("() => [...document.images].every(i => i.complete && i.naturalWidth > 0)")


@pytest.fixture
def settled():
    """Wait until the script run has finished and every image has loaded."""
    return _settled
