"""On a 390 px phone, in Chromium: no tick labels drawn over each other, no axis title or legend label cut off."""

from pathlib import Path

import pytest

from ui.registry import PAGES

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's /usr/bin/chromium (apt-get install chromium)"),
]

#: Per chart and axis: pairs of visible tick labels whose boxes overlap, and axis titles outside the screen.
CLASHES = """
() => {
  const out = [];
  document.querySelectorAll('[data-testid="stVegaLiteChart"]').forEach((chart, ci) => {
    chart.querySelectorAll('.role-axis').forEach((axis, ai) => {
      const boxes = [...axis.querySelectorAll('.role-axis-label text')]
        .filter(t => t.textContent.trim() && t.getAttribute('opacity') !== '0')
        .map(t => [t.textContent, t.getBoundingClientRect()]);
      for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i][1], b = boxes[j][1];
        const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (w > 1 && h > 1) out.push(`chart ${ci} axis ${ai}: '${boxes[i][0]}' over '${boxes[j][0]}'`);
      }
      axis.querySelectorAll('.role-axis-title text').forEach(t => {
        const r = t.getBoundingClientRect();
        if (r.left < 0 || r.right > window.innerWidth) out.push(`chart ${ci}: axis title '${t.textContent}' off the screen`);
      });
    });
    const right = chart.getBoundingClientRect().right;
    chart.querySelectorAll('.role-legend-label text').forEach(t => {
      if (t.getBoundingClientRect().right > right + 1) out.push(`chart ${ci}: legend label '${t.textContent}' cut off`);
    });
  });
  return out;
}
"""


def test_no_tick_labels_collide_and_no_axis_title_is_cut_on_a_phone(app_url, browser, settled):
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    found = {}
    for entry in PAGES:
        page.goto(f"{app_url}/{'' if entry.url == 'home' else entry.url}")
        settled(page)
        page.wait_for_timeout(800)
        charts = page.get_by_test_id("stVegaLiteChart")
        if charts.count():
            charts.last.scroll_into_view_if_needed()
        if clashes := page.evaluate(CLASHES):
            found[entry.url] = clashes
    page.context.close()
    assert not found, found
