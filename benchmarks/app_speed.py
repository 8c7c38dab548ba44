"""App speed: page rerun after a control change (AppTest, server side) and cold start (server + Chromium).

    .venv/bin/python -m benchmarks.app_speed                 # both parts
    .venv/bin/python -m benchmarks.app_speed --reruns 15     # more reruns per page
    .venv/bin/python -m benchmarks.app_speed --profile workbench   # cProfile one page's reruns

Goals: p95 rerun <= 300 ms on the heaviest page; cold start (server launch -> first page rendered) <= 5 s.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def pages() -> list[tuple[str, str]]:
    """(file, url name) of every page listed in app.py."""
    import ast

    tree = ast.parse((ROOT / "app.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "PAGES":
            return [(e.elts[0].value, e.elts[3].value) for e in node.value.elts]
    raise SystemExit("PAGES not found in app.py")


def open_page(path: str):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page(path).run()
    if at.exception:
        raise SystemExit(f"{path}: {at.exception[0].value}")
    return at


def mover(at):
    """A function that changes one control to a new value and reruns (a slider if the page has one)."""
    sliders = [s for s in at.slider if not isinstance(s.value, tuple)]
    if sliders:
        s = sliders[0]
        key, lo, hi, step = s.key, s.min, s.max, s.step or 1
        values = [lo + step * k for k in range(int(round((hi - lo) / step)) + 1)]
        values = values[:: max(1, len(values) // 12)] or [lo, hi]

        def move(i: int) -> str:
            at.slider(key=key).set_value(values[i % len(values)]).run()
            return f"slider {key}"
        return move
    nums = list(at.number_input)
    if nums:
        key, v0 = nums[0].key, nums[0].value

        def move(i: int) -> str:
            at.number_input(key=key).set_value(v0 + 12 * (1 + i % 5)).run()
            return f"number_input {key}"
        return move

    def rerun(i: int) -> str:
        at.run()
        return "rerun"
    return rerun


def p95(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(0.95 * (len(xs) - 1))))]


def bench_reruns(n: int) -> list[tuple[str, str, float, float, float]]:
    rows = []
    for path, name in pages():
        t0 = time.perf_counter()
        at = open_page(path)
        first = time.perf_counter() - t0
        move = mover(at)
        what = move(0)  # warm the path once
        times = []
        for i in range(1, n + 1):
            t0 = time.perf_counter()
            move(i)
            times.append(time.perf_counter() - t0)
            if at.exception:
                raise SystemExit(f"{path}: {at.exception[0].value}")
        rows.append((name, what, first, statistics.median(times), p95(times)))
        print(f"  {name:12s} first open {first * 1000:7.0f} ms   rerun median {statistics.median(times) * 1000:6.0f} ms"
              f"   p95 {p95(times) * 1000:6.0f} ms   ({what}, n={n})", flush=True)
    return rows


def profile(page_name: str, n: int) -> None:
    path = dict((u, f) for f, u in pages())[page_name]
    at = open_page(path)
    move = mover(at)
    move(0)
    prof = cProfile.Profile()
    prof.enable()
    for i in range(1, n + 1):
        move(i)
    prof.disable()
    out = io.StringIO()
    stats = pstats.Stats(prof, stream=out).sort_stats("cumulative")
    stats.print_stats(35)
    print(out.getvalue())
    out = io.StringIO()
    pstats.Stats(prof, stream=out).sort_stats("tottime").print_stats(20)
    print(out.getvalue())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cold_start(runs: int) -> None:
    from playwright.sync_api import expect, sync_playwright

    health, rendered = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for _ in range(runs):
            port = free_port()
            url = f"http://127.0.0.1:{port}"
            t0 = time.perf_counter()
            server = subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.address",
                 "127.0.0.1", "--server.port", str(port)], cwd=ROOT, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL)
            try:
                while True:
                    try:
                        if urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).status == 200:
                            break
                    except OSError:
                        time.sleep(0.02)
                    if time.perf_counter() - t0 > 60:
                        raise SystemExit("server did not become healthy in 60 s")
                health.append(time.perf_counter() - t0)
                page = browser.new_page(viewport={"width": 1280, "height": 2000})
                page.goto(url)
                expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning",
                                                                       timeout=60_000)
                page.get_by_test_id("stImage").locator("img").first.wait_for(timeout=60_000)
                page.wait_for_function("() => [...document.images].every(i => i.complete && i.naturalWidth > 0)")
                rendered.append(time.perf_counter() - t0)
                page.close()
            finally:
                server.terminate()
                server.wait(timeout=10)
            print(f"  run {len(health)}: health {health[-1]:.2f} s, first page rendered {rendered[-1]:.2f} s",
                  flush=True)
        browser.close()
    print(f"cold start: health OK median {statistics.median(health):.2f} s (max {max(health):.2f}); "
          f"first page rendered median {statistics.median(rendered):.2f} s (max {max(rendered):.2f}); goal <= 5 s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reruns", type=int, default=10)
    ap.add_argument("--cold", type=int, default=3, help="cold-start runs (0: skip)")
    ap.add_argument("--profile", metavar="PAGE", help="cProfile the reruns of this page (url name) and stop")
    args = ap.parse_args()
    if args.profile:
        profile(args.profile, args.reruns)
        return
    print(f"page rerun after a control change (AppTest, server side), {args.reruns} reruns per page:")
    rows = bench_reruns(args.reruns)
    heavy = max(rows, key=lambda r: r[4])
    light = min(rows, key=lambda r: r[4])
    print(f"heaviest page: {heavy[0]} (p95 {heavy[4] * 1000:.0f} ms, {heavy[4] / light[4]:.1f}x the lightest, "
          f"{light[0]}); goal p95 <= 300 ms: {'met' if heavy[4] <= 0.3 else 'NOT met'}")
    if args.cold:
        print(f"cold start, {args.cold} runs (server launch -> /_stcore/health, -> first page rendered in Chromium):")
        cold_start(args.cold)


if __name__ == "__main__":
    main()
