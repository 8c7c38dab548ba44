"""Screenshots of every page at desktop, projector (presentation mode) and phone sizes, into artifacts/screens/.

.venv/bin/python -m scripts.screenshots                 # all pages, all three sizes
.venv/bin/python -m scripts.screenshots --pages home compare
"""

from __future__ import annotations

import argparse
from pathlib import Path

from benchmarks.protocol_load import FIGURE
from scripts.serve import serving
from ui.registry import URLS

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "artifacts" / "screens"
CHROMIUM = "/usr/bin/chromium"
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
PAGES = list(URLS)
#: name: (viewport width, height, link parameters, device scale)
SIZES = {
    "desktop": (1440, 900, "", 1),
    "projector": (1280, 720, "present=1", 1),
    "phone": (390, 844, "narrow=1", 2),
    "phone-long": (390, 4000, "narrow=1", 1),
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", nargs="*", default=PAGES)
    ap.add_argument("--sizes", nargs="*", default=list(SIZES))
    args = ap.parse_args()
    from playwright.sync_api import expect, sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    with serving() as server:
        url = server.url
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for size in args.sizes:
                w, h, query, scale = SIZES[size]
                ctx = browser.new_context(viewport={"width": w, "height": h}, device_scale_factor=scale)
                page = ctx.new_page()
                for name in args.pages:
                    page.goto(f"{url}/{'' if name == 'home' else name}?{query}")
                    expect(page.get_by_test_id("stApp")).to_have_attribute(
                        "data-test-script-state", "notRunning", timeout=120_000
                    )
                    page.locator(FIGURE).first.wait_for(timeout=120_000)
                    page.wait_for_function("() => [...document.images].every(i => i.complete && i.naturalWidth > 0)")
                    page.wait_for_timeout(500)
                    page.screenshot(path=str(OUT / f"{size}_{name}.png"))
                    print(f"{size:9s} {name}", flush=True)
                ctx.close()
            browser.close()
    print(f"screenshots in {OUT}")


if __name__ == "__main__":
    main()
