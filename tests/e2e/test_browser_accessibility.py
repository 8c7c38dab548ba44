"""WCAG 2.1 AA in a real browser: axe-core finds no serious or critical violation on any page.

axe-core comes from the npm registry (package.json, installed into node_modules by ``npm ci`` the
first time these tests run). Every page is checked at desktop (1440x900) and phone (390x844) size.
"""

import shutil
import subprocess
from pathlib import Path

import pytest

from ui.registry import PAGES

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SIZES = {"desktop": (1440, 900), "phone": (390, 844)}
WCAG = "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's /usr/bin/chromium (apt-get install chromium)"),
]


@pytest.fixture(scope="module")
def axe_source() -> str:
    """axe-core's script, installed from package-lock.json with npm when it is not there yet."""
    if not AXE.exists():
        if shutil.which("npm") is None:
            pytest.skip("needs npm to install axe-core (apt-get install npm)")
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=ROOT, check=True, timeout=300)
    return AXE.read_text(encoding="utf-8")


@pytest.mark.parametrize("size", list(SIZES))
def test_no_serious_accessibility_violation_on_any_page(app_url, browser, settled, axe_source, size):
    width, height = SIZES[size]
    page = browser.new_context(viewport={"width": width, "height": height}).new_page()
    found = {}
    for entry in PAGES:
        page.goto(f"{app_url}/{'' if entry.url == 'home' else entry.url}")
        settled(page)
        page.wait_for_timeout(800)  # Streamlit's fade-in of elements redrawn by the run
        page.add_script_tag(content=axe_source)
        violations = page.evaluate(
            f"async () => (await axe.run(document, {{runOnly: {{type: 'tag', values: {WCAG}}}}})).violations"
            ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
            ".map(v => v.id + ': ' + v.nodes.slice(0, 2).map(n => (n.any[0] || {}).message || n.html).join(' | '))"
        )
        if violations:
            found[entry.url] = violations
    page.context.close()
    assert not found, found
