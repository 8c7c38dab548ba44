"""Real headless-Chromium test: start the app, open two pages, move a slider by keyboard, screenshot."""

import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's /usr/bin/chromium (apt-get install chromium)"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def app_url():
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.address",
         "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("the Streamlit server did not become healthy")
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


@pytest.fixture(scope="module")
def page():
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 2000})
        yield context.new_page()
        browser.close()


def settled(page):
    from playwright.sync_api import expect

    expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning", timeout=60_000)
    page.wait_for_function("() => [...document.images].every(i => i.complete && i.naturalWidth > 0)")


def test_home_and_mechanism_pages_respond_to_the_keyboard(app_url, page):
    from playwright.sync_api import expect

    page.goto(app_url)
    expect(page.get_by_role("heading", name=re.compile("Naltrexone vs opioids"))).to_be_visible(timeout=60_000)
    settled(page)
    body = page.get_by_test_id("stMainBlockContainer")
    expect(body).to_contain_text("not for clinical decisions")
    expect(body).to_contain_text("What to notice")

    slider = page.get_by_role("slider", name=re.compile("Naltrexone tablet"))
    expect(slider).to_have_value("50")
    img = page.get_by_test_id("stImage").locator("img").first
    old_src = img.get_attribute("src")
    slider.focus()
    for _ in range(2):
        page.keyboard.press("ArrowRight")
    expect(slider).to_have_value("100")
    expect(page).to_have_url(re.compile("home_ntx_mg=100"))
    expect(img).not_to_have_attribute("src", old_src, timeout=30_000)
    settled(page)
    (ROOT / "artifacts").mkdir(exist_ok=True)
    page.screenshot(path=str(ROOT / "artifacts" / "e2e_home.png"))

    page.get_by_test_id("stSidebarNav").get_by_text("1 Mechanism").click()
    expect(page.get_by_role("heading", name=re.compile("Mechanism"))).to_be_visible(timeout=60_000)
    settled(page)
    gap = page.get_by_role("slider", name=re.compile("Opioid given after the tablet"))
    expect(gap).to_have_value("24")
    gap.focus()
    page.keyboard.press("ArrowRight")
    expect(gap).to_have_value("25")
    expect(page).to_have_url(re.compile("mech_gap_h=25"))
    settled(page)
    expect(page.get_by_test_id("stMainBlockContainer")).to_contain_text("100 receptors at")
    page.screenshot(path=str(ROOT / "artifacts" / "e2e_mechanism.png"))


def test_direct_link_opens_the_page_with_navigation(app_url, page):
    from playwright.sync_api import expect

    page.goto(f"{app_url}/alcohol?alc_drinks=6")
    expect(page.get_by_role("heading", name="Alcohol", exact=True)).to_be_visible(timeout=60_000)
    settled(page)
    expect(page.get_by_role("slider", name=re.compile("^Drinks"))).to_have_value("6")
    expect(page.get_by_test_id("stSidebarNav")).to_contain_text("10 Does the model match people?")
    expect(page.get_by_test_id("stSidebar")).to_contain_text("Presentation mode")
