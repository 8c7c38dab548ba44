"""A class under attack: hostile sessions run the heaviest allowed work while a student opens pages.

Starts `streamlit run app.py` and drives it at the protocol level (the WebSocket messages a browser
sends, :mod:`benchmarks.protocol_load`), so the load is the server's, not the browsers'. ``--hostile``
sessions each open, over and over, links to the heaviest work the app allows: Workbench scenarios at
the edge of the per-run budget (people as many as it affords, a different dose each time so no cache
helps), lesson pages with population bands and their largest settings, and hostile values (NaN,
5,000 digits, Markdown) in lesson links. Meanwhile a student opens a lesson page in a fresh session
every second (Home, then the next page); each open is timed from the request to the end of the
page's script. Prints the student's page-open times (median, p95, slowest), the server's memory at
its peak, crashes seen, and whether the server lived.

Run: .venv/bin/python -m benchmarks.hostile_soak [--hostile 10] [--seconds 60]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import threading
import time
import urllib.parse
import urllib.request

from benchmarks.load_test import rss_mb
from benchmarks.protocol_load import back, get, read_run, stream
from corpora.links import _link
from model.budget import affordable_people
from model.scenario import parse_scenario, scenario_to_toml
from scripts.serve import serving

MEMORY_BOUND_MB = 1024.0
P95_BOUND_S = 2.0
BIG = "9" * 5_000
#: Lesson links with population bands and their largest settings, and hostile values.
LESSON_LINKS = [
    "regimens?reg_band=1&reg_days=84",
    "cravings?crv_band=1&crv_weeks=26",
    "home?home_band=1&home_gap_h=72",
    "mechanism?mech_band=1&mech_gap_h=96",
    "alcohol?alc_band=1",
    "naloxone?nlx_band=1",
    "mechanism?mech_dose_mg=nan&mech_t_h=inf&mech_gap_h=" + BIG,
    "overcoming?over_hours=" + BIG + "&over_big_mg=nan",
    "validation?val_heroin_mg=inf&val_group=" + urllib.parse.quote("[x](http://example.org) <b>"),
]
STUDENT_PAGES = ["", "mechanism", "regimens", "overcoming", "alcohol", "compare", "stopping"]


def heavy_workbench_link(rng: random.Random) -> str:
    """A Workbench link to a scenario at the edge of the per-run budget, different every time."""
    raw = {
        "title": f"heavy {rng.random():.6f}",
        "duration_h": 24.0 * 56,
        "output_step_h": 0.5,
        "dose": [
            {"drug": "naltrexone", "route": "oral", "amount_mg": rng.uniform(25, 100), "every_h": 24, "count": 56},
            {"drug": "heroin", "route": "iv", "amount_mg": 25, "every_h": 24, "count": 55, "start_h": 20},
        ],
    }
    people = affordable_people(parse_scenario(raw), 5000)
    raw["options"] = {"population": people}
    return "workbench?wb_s=" + _link(scenario_to_toml(parse_scenario(raw)))


async def open_page(base: str, link: str, timeout_s: float = 180.0) -> tuple[float, str]:
    """Open ``link`` in a new session; (seconds from the request to the script's end, its exception text)."""
    page, _, query = link.partition("?")
    url = f"{base}/{link}"
    t0 = time.perf_counter()
    _, cookie = await asyncio.to_thread(get, url)
    async with stream(base, cookie) as ws:
        await ws.send(back(page, "", query, url, {}))
        run = await asyncio.wait_for(read_run(ws), timeout_s)
    return time.perf_counter() - t0, run.exception


async def attacker(i: int, base: str, end: float, outcomes: list[str]) -> None:
    rng = random.Random(i)
    while time.monotonic() < end:
        link = heavy_workbench_link(rng) if i % 2 == 0 or rng.random() < 0.3 else rng.choice(LESSON_LINKS)
        try:
            _, exc = await open_page(base, link)
            outcomes.append("crash" if exc else "ok")
        except Exception as err:  # noqa: BLE001 - every failure is counted
            outcomes.append(f"hang: {type(err).__name__}")


async def student(base: str, end: float, times: list[float], failures: list[str]) -> None:
    k = 0
    while time.monotonic() < end:
        t0 = time.monotonic()
        page = STUDENT_PAGES[k % len(STUDENT_PAGES)]
        k += 1
        try:
            took, exc = await open_page(base, page, timeout_s=60)
            times.append(took)
            if exc:
                failures.append(f"{page or 'home'}: {exc[:80]}")
        except Exception as err:  # noqa: BLE001
            failures.append(f"{page or 'home'}: {type(err).__name__}")
        await asyncio.sleep(max(0.0, 1.0 - (time.monotonic() - t0)))


class Memory(threading.Thread):
    """Samples the server's resident memory every 0.25 s until stopped."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.rss, self.done = pid, [], threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            try:
                self.rss.append(rss_mb(self.pid))
            except OSError:
                return
            self.done.wait(0.25)


async def run_all(base: str, hostile: int, seconds: float) -> dict:
    end = time.monotonic() + seconds
    outcomes: list[str] = []
    times: list[float] = []
    failures: list[str] = []

    async def late_student() -> None:
        await asyncio.sleep(3.0)  # the attack under way before the student arrives
        await student(base, end, times, failures)

    await asyncio.gather(*(attacker(i, base, end, outcomes) for i in range(hostile)), late_student())
    return {"outcomes": outcomes, "times": times, "failures": failures}


def soak(hostile: int, seconds: float) -> dict:
    """Run the soak; returns its figures."""
    with serving() as server:
        url = server.url
        urllib.request.urlopen(url, timeout=30).read()
        asyncio.run(open_page(url, ""))  # warm: the first open compiles and imports
        rss0 = rss_mb(server.pid)
        mem = Memory(server.pid)
        mem.start()
        r = asyncio.run(run_all(url, hostile, seconds))
        mem.done.set()
        mem.join()
        alive = server.process.poll() is None
    t = sorted(r["times"])
    return {
        "hostile": hostile,
        "seconds": seconds,
        "opens": len(t),
        "median_s": statistics.median(t) if t else float("nan"),
        "p95_s": t[int(0.95 * (len(t) - 1))] if t else float("nan"),
        "max_s": t[-1] if t else float("nan"),
        "student_failures": r["failures"],
        "attacks": len(r["outcomes"]),
        "crashes": r["outcomes"].count("crash"),
        "hangs": sum(o.startswith("hang") for o in r["outcomes"]),
        "rss_start_mb": rss0,
        "rss_peak_mb": max(mem.rss, default=rss0),
        "alive": alive,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--hostile", type=int, default=10, help="hostile sessions at once")
    ap.add_argument("--seconds", type=float, default=60.0)
    args = ap.parse_args()
    r = soak(args.hostile, args.seconds)
    print(
        f"{r['hostile']} hostile sessions for {r['seconds']:g} s: {r['attacks']} heavy or hostile page runs, "
        f"crashes {r['crashes']}, hangs {r['hangs']}"
    )
    print(
        f"student page opens: {r['opens']}, median {r['median_s']:.2f} s, p95 {r['p95_s']:.2f} s "
        f"(bound {P95_BOUND_S:g} s), slowest {r['max_s']:.2f} s; failures {len(r['student_failures'])} "
        f"{r['student_failures'][:3]}"
    )
    print(
        f"server RSS: {r['rss_start_mb']:.0f} MB at start, peak {r['rss_peak_mb']:.0f} MB "
        f"(bound {MEMORY_BOUND_MB:.0f} MB); server alive: {r['alive']}"
    )


if __name__ == "__main__":
    main()
