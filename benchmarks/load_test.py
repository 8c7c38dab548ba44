"""Many students at once: N concurrent real browser sessions against one local server.

Starts `streamlit run app.py` on a free port, opens N sessions (browser contexts in one headless
Debian Chromium), each on its own scenario (a different ``home_gap_h`` in its link), and has each
move a slider a few times. Prints p50/p95 of the time from key press to redrawn plot, the server's
memory and CPU before and after, what the load generator (Chromium) itself used, and checks that
no session sees another's state. ``--soak`` then reruns one page many times in-process (AppTest)
and prints the memory growth.

Run: .venv/bin/python -m benchmarks.load_test [--sessions 20] [--moves 3] [--soak 300]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import time
import urllib.request
from pathlib import Path

from benchmarks.protocol_load import FIGURE, FINGERPRINT, POLL_MS
from scripts.serve import serving

ROOT = Path(__file__).resolve().parents[1]
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
CLK = os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK


def chromium_pids() -> list[int]:
    out = []
    for p in Path("/proc").iterdir():
        if p.name.isdigit():
            try:
                if "chromium" in (p / "cmdline").read_bytes().decode(errors="ignore"):
                    out.append(int(p.name))
            except OSError:
                pass
    return out


async def session(browser, url: str, i: int, moves: int, latencies: list[float], problems: list[str]) -> None:
    from playwright.async_api import expect

    ctx = await browser.new_context(viewport={"width": 1280, "height": 1400})
    page = await ctx.new_page()
    start = 10 + i
    await page.goto(f"{url}/?home_gap_h={start}")
    app = page.get_by_test_id("stApp")
    await expect(app).to_have_attribute("data-test-script-state", "notRunning", timeout=120_000)
    slider = page.get_by_role("slider", name=re.compile("hours after the tablet"))
    await expect(slider).to_have_value(str(start), timeout=120_000)
    img = page.locator(FIGURE).first
    await expect(img).to_be_visible(timeout=120_000)
    for k in range(moves):
        old = await page.evaluate(FINGERPRINT)
        await slider.focus()
        t0 = time.perf_counter()
        await page.keyboard.press("ArrowRight")
        await page.wait_for_function(f"old => ({FINGERPRINT})() !== old", arg=old, timeout=120_000, polling=POLL_MS)
        await expect(app).to_have_attribute("data-test-script-state", "notRunning", timeout=120_000)
        latencies.append(time.perf_counter() - t0)
        want = str(start + k + 1)
        if await slider.input_value() != want or f"home_gap_h={want}" not in page.url:
            problems.append(f"session {i}: expected {want}, saw {await slider.input_value()} / {page.url}")
    await ctx.close()


async def run_load(url: str, n: int, moves: int) -> tuple[list[float], list[str], float]:
    from playwright.async_api import async_playwright

    latencies: list[float] = []
    problems: list[str] = []
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        t0 = time.perf_counter()
        await asyncio.gather(*(session(browser, url, i, moves, latencies, problems) for i in range(n)))
        wall = time.perf_counter() - t0
        pids = chromium_pids()
        gen_rss = sum(rss_mb(x) for x in pids if Path(f"/proc/{x}").exists())
        gen_cpu = sum(cpu_s(x) for x in pids if Path(f"/proc/{x}").exists())
        print(
            f"load generator (Chromium, {len(pids)} processes): RSS sum {gen_rss:.0f} MB (shared pages counted "
            f"more than once), CPU {gen_cpu:.1f} s"
        )
        await browser.close()
    return latencies, problems, wall


def soak(reruns: int) -> None:
    import resource

    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    before = rss_mb(os.getpid())
    for k in range(reruns):
        at.slider(key="home_gap_h").set_value(1 + k % 100).run()
        if k == reruns // 2:
            mid = rss_mb(os.getpid())
    after = rss_mb(os.getpid())
    print(
        f"soak: {reruns} reruns of the home page, 100 distinct scenarios: RSS {before:.0f} -> {mid:.0f} (half-way) "
        f"-> {after:.0f} MB (peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB)"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--moves", type=int, default=3)
    ap.add_argument("--soak", type=int, default=0, help="also rerun the home page this many times in-process")
    args = ap.parse_args()
    with serving() as server:
        urllib.request.urlopen(server.url, timeout=10).read()
        rss0, cpu0 = rss_mb(server.pid), cpu_s(server.pid)
        latencies, problems, wall = asyncio.run(run_load(server.url, args.sessions, args.moves))
        rss1, cpu1 = rss_mb(server.pid), cpu_s(server.pid)
    q = statistics.quantiles(latencies, n=20)
    print(f"{args.sessions} concurrent sessions x {args.moves} slider moves on the home page ({wall:.1f} s wall)")
    print(
        f"input -> redrawn plot: p50 {statistics.median(latencies) * 1e3:.0f} ms, p95 {q[18] * 1e3:.0f} ms, "
        f"max {max(latencies) * 1e3:.0f} ms (n={len(latencies)})"
    )
    print(f"server: RSS {rss0:.0f} -> {rss1:.0f} MB, CPU {cpu1 - cpu0:.1f} s")
    print(
        "isolation: "
        + ("every session saw only its own state" if not problems else f"{len(problems)} problems: {problems[:3]}")
    )
    if args.soak:
        soak(args.soak)


if __name__ == "__main__":
    main()
