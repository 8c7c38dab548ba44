"""In Chromium: every download on every page, controls kept across pages, link values snapped."""

import re
from pathlib import Path

import pytest

from ui.registry import PAGES as REG
from ui.registry import URLS

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
PAGES = ["", *URLS[1:]]  # the root is Home
MAGIC = {"csv": b"", "json": b"{", "png": b"\x89PNG", "svg": b"<?xml", "pdf": b"%PDF", "toml": b""}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's /usr/bin/chromium (apt-get install chromium)"),
]


def check_download(page, button) -> str:
    with page.expect_download(timeout=60_000) as info:
        button.click()
    d = info.value
    data = Path(d.path()).read_bytes()
    ext = d.suggested_filename.rsplit(".", 1)[-1]
    assert len(data) > 20 and data.startswith(MAGIC[ext]), (d.suggested_filename, data[:20])
    return d.suggested_filename


@pytest.mark.parametrize("name", [n for n, p in zip(PAGES, REG) if p.downloads])
def test_every_download_on_the_page_works(app_url, page, settled, name):
    page.goto(f"{app_url}/{name}")
    settled(page)
    got = []
    popovers = page.get_by_test_id("stPopover").get_by_role("button", name=re.compile("^Download this"))
    body = page.locator('[data-testid="stPopoverBody"]:visible')
    for i in range(popovers.count()):
        j, n = 0, 1
        while j < n:  # a download may close the popover: open it again for the next one
            if not body.count():
                popovers.nth(i).click()
                body.get_by_test_id("stDownloadButton").first.wait_for()
            buttons = body.get_by_test_id("stDownloadButton").locator("button:visible")
            n = buttons.count()
            got.append(check_download(page, buttons.nth(j)))
            j += 1
        if body.count():
            page.keyboard.press("Escape")
            body.wait_for(state="detached")
    main = page.get_by_test_id("stMainBlockContainer")
    others = main.get_by_test_id("stDownloadButton").locator("button:visible")
    for j in range(others.count()):
        if others.nth(j).is_visible():
            got.append(check_download(page, others.nth(j)))
    assert got and len(got) == len(set(got)), got


def test_controls_keep_their_values_across_pages(app_url, page, settled):
    from playwright.sync_api import expect

    page.goto(app_url)
    settled(page)
    slider = page.get_by_role("slider", name=re.compile("Naltrexone tablet"))
    slider.focus()
    page.keyboard.press("ArrowRight")
    expect(slider).to_have_value("75")
    settled(page)
    page.get_by_test_id("stSidebarNav").get_by_text("4 Alcohol").click()
    expect(page.get_by_role("heading", name="Alcohol", exact=True)).to_be_visible(timeout=60_000)
    settled(page)
    drinks = page.get_by_role("slider", name=re.compile("^Drinks"))
    drinks.focus()
    page.keyboard.press("ArrowRight")
    expect(drinks).to_have_value("5")
    settled(page)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Home", exact=True).click()
    expect(page.get_by_role("heading", name=re.compile("^Naltrexone vs opioids"))).to_be_visible(timeout=60_000)
    settled(page)
    expect(page.get_by_role("slider", name=re.compile("Naltrexone tablet"))).to_have_value("75", timeout=30_000)
    expect(page).to_have_url(re.compile("home_ntx_mg=75"), timeout=30_000)
    page.get_by_test_id("stSidebarNav").get_by_text("4 Alcohol").click()
    expect(page.get_by_role("heading", name="Alcohol", exact=True)).to_be_visible(timeout=60_000)
    settled(page)
    expect(page.get_by_role("slider", name=re.compile("^Drinks"))).to_have_value("5", timeout=30_000)


def test_link_values_snap_to_the_nearest_option_and_say_so(app_url, page, settled):
    from playwright.sync_api import expect

    page.goto(f"{app_url}/alcohol?alc_ntx_mg=30&alc_drinks=nan")
    settled(page)
    main = page.get_by_test_id("stMainBlockContainer")
    expect(main).to_contain_text("alc_ntx_mg='30' is not an allowed value; the nearest, 25, is used")
    expect(main).to_contain_text("alc_drinks='nan' could not be read; the default 4 is used")
    expect(page.get_by_role("slider", name=re.compile("^Drinks"))).to_have_value("4")
    expect(page).to_have_url(re.compile("alc_ntx_mg=25"))
    page.goto(f"{app_url}/compare?cmp_factor=3.5")
    settled(page)
    expect(page.get_by_test_id("stMainBlockContainer")).to_contain_text("the nearest, 4, is used")
    expect(page).to_have_url(re.compile("cmp_factor=4"))
