"""At 1280 x 720 in presentation mode, in Chromium: every tick label of a bottom axis is drawn (none left out)."""

from pathlib import Path

import pytest

from ui.registry import PAGES

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's /usr/bin/chromium (apt-get install chromium)"),
]

#: Per chart: its bottom axis's tick labels, and how many of them Vega left out because they would overlap.
BOTTOM_AXIS = """
() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')].flatMap((chart, ci) =>
  [...chart.querySelectorAll('.role-axis')].filter(a => a.getAttribute('aria-label')?.startsWith('X-axis')).map(axis => {
    const labels = [...axis.querySelectorAll('.role-axis-label text')].filter(t => t.textContent.trim());
    return {chart: ci, labels: labels.length, dropped: labels.filter(t => t.getAttribute('opacity') === '0').length};
  }))
"""


def test_time_axes_keep_every_label_on_a_projector(app_url, browser, settled):
    page = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
    found, axes = {}, 0
    for entry in PAGES:
        page.goto(f"{app_url}/{'' if entry.url == 'home' else entry.url}?present=1")
        settled(page)
        page.wait_for_timeout(800)
        for axis in page.evaluate(BOTTOM_AXIS):
            axes += axis["labels"] > 0
            if axis["dropped"]:
                found.setdefault(entry.url, []).append(f"chart {axis['chart']}: {axis['dropped']} labels left out")
    page.context.close()
    assert axes >= 2 * len(PAGES), axes  # the charts were there to be read
    assert not found, found
