"""Real headless-Chromium test: start the app, open two pages, move a slider by keyboard, screenshot."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's /usr/bin/chromium (apt-get install chromium)"),
]


def naltrexone_held_at_pointer(page) -> tuple[str, float]:
    """Point at the middle of the occupancy chart; its tooltip's time and naltrexone share (%) there."""
    from playwright.sync_api import expect

    chart = page.get_by_test_id("stVegaLiteChart").first
    expect(chart.locator(".marks").first).to_be_visible(timeout=30_000)
    tip = page.locator("#vg-tooltip-element")
    for _ in range(5):  # the charts below may still be growing into place: measure again until the tip is this chart's
        box = chart.bounding_box()
        page.mouse.move(0, 0)
        for dx in (0.45, 0.5):  # a move inside the chart fires the pointer events
            page.mouse.move(box["x"] + box["width"] * dx, box["y"] + box["height"] * 0.4)
        page.wait_for_timeout(300)
        if "naltrexone (%)" in (tip.inner_text() if tip.count() else ""):
            break
    expect(tip).to_contain_text("naltrexone (%)", timeout=10_000)
    text = tip.inner_text()
    time = re.search(r"time \(h\)\s+([-\d.]+)", text)
    share = re.search(r"^naltrexone \(%\)\s+([\d.]+)", text, re.M)
    assert time and share, text
    return time.group(1), float(share.group(1))


def test_home_and_mechanism_pages_respond_to_the_keyboard(app_url, page, settled):
    from playwright.sync_api import expect

    page.goto(app_url)
    expect(page.get_by_role("heading", name=re.compile("Naltrexone vs opioids"))).to_be_visible(timeout=60_000)
    settled(page)
    body = page.get_by_test_id("stMainBlockContainer")
    expect(body).to_contain_text("not for clinical decisions")
    expect(body).to_contain_text("What to notice")

    slider = page.get_by_role("slider", name=re.compile("Naltrexone tablet"))
    expect(slider).to_have_value("50")
    before = naltrexone_held_at_pointer(page)
    slider.focus()
    for _ in range(2):
        page.keyboard.press("ArrowRight")
    expect(slider).to_have_value("100")
    expect(page).to_have_url(re.compile("home_ntx_mg=100"))
    settled(page)
    after = naltrexone_held_at_pointer(page)
    assert before[0] == after[0] and after[1] > before[1] + 1, (before, after)  # same time, more receptors held
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


def test_direct_link_opens_the_page_with_navigation(app_url, page, settled):
    from playwright.sync_api import expect

    page.goto(f"{app_url}/alcohol?alc_drinks=6")
    expect(page.get_by_role("heading", name="Alcohol", exact=True)).to_be_visible(timeout=60_000)
    settled(page)
    expect(page.get_by_role("slider", name=re.compile("^Drinks"))).to_have_value("6")
    expect(page.get_by_test_id("stSidebarNav")).to_contain_text("10 Does the model match people?")
    expect(page.get_by_test_id("stSidebar")).to_contain_text("Presentation mode")


def _steady_box(page, element) -> dict:
    """The element's box once it is on screen and has stopped moving (a chart is re-laid out as
    Streamlit measures its column and fonts arrive)."""
    element.scroll_into_view_if_needed()
    box, before = element.bounding_box(), None
    for _ in range(40):
        if box == before:
            return box
        page.wait_for_timeout(250)
        before, box = box, element.bounding_box()
    return box


def test_a_tap_on_a_phone_writes_the_values_on_the_chart(app_url, browser, settled):
    """A phone shows no tooltip on a tap: the tapped values are written on the chart instead."""
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 390, "height": 2400}, has_touch=True, is_mobile=True)
    try:
        page = context.new_page()
        page.goto(app_url)
        settled(page)
        chart = page.get_by_test_id("stVegaLiteChart").nth(1)  # Home's reward panel
        expect(chart.locator(".marks").first).to_be_visible(timeout=30_000)
        readout = chart.locator("text", has_text="with naltrexone:")
        box = _steady_box(page, chart)
        page.touchscreen.tap(box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.4)
        expect(readout).to_be_visible(timeout=10_000)
        assert re.search(r"with naltrexone: [\d.]+", readout.text_content())
    finally:
        context.close()
