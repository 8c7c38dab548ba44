"""Many real sessions opening hostile links at once against one live server.

Starts `streamlit run app.py`, opens N sessions (browser contexts in one headless Chromium; a plain
HTTP GET runs no script, sessions live on the WebSocket) on hostile links over every page: costly and
malformed workbench scenarios, NaN, infinities and 5,000-digit numbers in lesson parameters, Markdown
and HTML in titles. Meanwhile it polls the health check; it prints how long the health check took,
the server's memory before, at its peak and after, and whether any session showed a crash.

Run: .venv/bin/python -m benchmarks.hostile_soak [--sessions 20]
"""

from __future__ import annotations

import argparse
import asyncio
import threading
import time
import urllib.request
from urllib.parse import quote

from benchmarks.load_test import ARGS, CHROMIUM, rss_mb, start_server
from corpora.links import WORKBENCH

BIG = "9" * 5_000
LINKS = [f"workbench?wb_s={link}" for link in WORKBENCH[:6]] + [
    "mechanism?mech_dose_mg=nan&mech_t_h=inf&mech_gap_h=" + BIG,
    "alcohol?alc_grams=nan&alc_drinks=1e400&alc_every_h=-inf",
    "naloxone?nlx_fentanyl_mg=nan&nlx_at_min=" + BIG + "&nlx_methadone_mg=inf",
    "overcoming?over_hours=" + BIG + "&over_big_mg=nan",
    "regimens?reg_days=inf&reg_band=1&reg_implant_mg=nan",
    "cravings?crv_weeks=-inf&crv_band=1&crv_every_days=nan",
    "stopping?stop_day=1e400&stop_threshold_pct=nan",
    "home?home_gap_h=nan&home_band=1&home_ntx_mg=" + BIG,
    "compare?cmp_factor=nan&cmp_ntx_level=inf",
    "validation?val_heroin_mg=inf&val_group=" + quote("<img src=x>"),
]
MEMORY_BOUND_MB = 1024.0


class Health(threading.Thread):
    """Polls /_stcore/health and samples the server's RSS until stopped."""

    def __init__(self, url: str, pid: int) -> None:
        super().__init__(daemon=True)
        self.url, self.pid, self.times, self.when, self.rss, self.failures = url, pid, [], [], [], 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            t0 = time.perf_counter()
            try:
                urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=5).read()
                self.times.append(time.perf_counter() - t0)
                self.when.append(t0)
            except OSError:
                self.failures += 1
            self.rss.append(rss_mb(self.pid))
            self.done.wait(0.25)


async def session(browser, url: str, link: str, outcomes: list[str]) -> None:
    from playwright.async_api import expect

    ctx = await browser.new_context(viewport={"width": 1280, "height": 1200})
    page = await ctx.new_page()
    try:
        await page.goto(f"{url}/{link}", timeout=120_000)
        app = page.get_by_test_id("stApp")
        await expect(app).to_have_attribute("data-test-script-state", "notRunning", timeout=180_000)
        await page.wait_for_timeout(500)
        crashed = (
            await page.get_by_test_id("stException").count() or await page.get_by_text("Something went wrong").count()
        )
        outcomes.append("crash" if crashed else "ok")
    except Exception as err:  # a session that never finished counts as a hang
        outcomes.append(f"hang: {type(err).__name__}")
    finally:
        await ctx.close()


async def open_sessions(url: str, n: int) -> list[str]:
    from playwright.async_api import async_playwright

    outcomes: list[str] = []
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        await asyncio.gather(*(session(browser, url, LINKS[i % len(LINKS)], outcomes) for i in range(n)))
        await browser.close()
    return outcomes


def soak(n: int, settle_s: float = 5.0) -> dict:
    """Run the soak; returns its figures."""
    server, url = start_server()
    try:
        urllib.request.urlopen(url, timeout=10).read()
        rss0 = rss_mb(server.pid)
        health = Health(url, server.pid)
        health.start()
        t0 = time.perf_counter()
        outcomes = asyncio.run(open_sessions(url, n))
        wall = time.perf_counter() - t0
        time.sleep(settle_s)
        health.done.set()
        health.join()
        alive = server.poll() is None
        rss1 = rss_mb(server.pid) if alive else float("nan")
    finally:
        server.terminate()
        server.wait(timeout=20)
    return {
        "sessions": n,
        "wall_s": wall,
        "ok": outcomes.count("ok"),
        "crashes": outcomes.count("crash"),
        "hangs": sum(o.startswith("hang") for o in outcomes),
        "health_max_s": max(health.times, default=float("inf")),
        "health_n": len(health.times),
        "health_p95_s": sorted(health.times)[int(0.95 * (len(health.times) - 1))],
        "slow_at_s": [round(w - t0, 1) for w, x in zip(health.when, health.times) if x > 0.5],
        "health_failures": health.failures,
        "rss_start_mb": rss0,
        "rss_peak_mb": max(health.rss, default=rss0),
        "rss_end_mb": rss1,
        "alive": alive,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sessions", type=int, default=20)
    args = ap.parse_args()
    r = soak(args.sessions)
    print(
        f"{r['sessions']} sessions with hostile links on {len(LINKS)} links over every page ({r['wall_s']:.1f} s wall): "
        f"{r['ok']} finished cleanly, crashes {r['crashes']}, hangs {r['hangs']}"
    )
    print(
        f"health check: {r['health_n']} polls, p95 {r['health_p95_s'] * 1e3:.0f} ms, slowest "
        f"{r['health_max_s'] * 1e3:.0f} ms, failures {r['health_failures']}; over 0.5 s at {r['slow_at_s']} s"
    )
    print(
        f"server RSS: {r['rss_start_mb']:.0f} MB at start, peak {r['rss_peak_mb']:.0f} MB, "
        f"{r['rss_end_mb']:.0f} MB after (bound {MEMORY_BOUND_MB:.0f} MB); server alive: {r['alive']}"
    )


if __name__ == "__main__":
    main()
