"""Keyboard only, in Chromium: from the top of a page, Tab reaches the dose control and the arrow keys change it."""

import re
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's /usr/bin/chromium (apt-get install chromium)"),
]

#: page link, the accessible name of its dose control, and the link parameter that must change.
WALKS = [
    ("", r"Naltrexone tablet", "home_ntx_mg"),
    ("alcohol", r"Drinks", "alc_drinks"),
    ("overcoming", r"Naltrexone tablet", "over_ntx_mg"),
    ("naloxone", r"Fentanyl dose", "nlx_fentanyl_mg"),
]
FOCUSED = "() => { const e = document.activeElement; return [e.getAttribute('role') || e.tagName, e.getAttribute('aria-label') || e.getAttribute('aria-valuetext') || e.textContent.slice(0, 40)]; }"


@pytest.mark.parametrize(("link", "name", "param"), WALKS, ids=[w[2] for w in WALKS])
def test_tab_reaches_the_dose_and_the_arrow_keys_change_it(app_url, page, settled, link, name, param):
    from playwright.sync_api import expect

    page.goto(f"{app_url}/{link}")
    settled(page)
    page.evaluate("() => { document.activeElement?.blur(); window.scrollTo(0, 0); }")  # start from the top
    walked = []
    for _ in range(80):
        page.keyboard.press("Tab")
        role, label = page.evaluate(FOCUSED)
        walked.append(f"{role}:{label}")
        if re.match(name, label or "") and page.evaluate(
            "() => !!document.activeElement.closest('[data-testid=stSlider]')"
        ):
            break
    else:
        pytest.fail(f"Tab never reached {name!r}: {walked}")
    value = "() => document.activeElement.getAttribute('aria-valuenow') || document.activeElement.value"
    before = page.evaluate(value)
    page.keyboard.press("ArrowRight")
    expect(page).to_have_url(re.compile(f"{param}="), timeout=20_000)
    after = page.evaluate(value)
    assert after != before, (before, after)
    settled(page)
    assert not page.get_by_test_id("stException").count()
