"""The most expensive legal runs: each family of scenarios grown to the edge of the budget, then timed.

For each family (many people, long windows, stepwise depot PK, many doses, many drinks, large
outputs) the size knob is raised by bisection to the largest value the budget accepts; that run is
timed in a fresh process and its peak memory (RSS, interpreter and libraries included) measured.
With ``--sample N`` it also prints predicted against measured time for N random legal scenarios
(run in this process after a warm-up).

Run: .venv/bin/python -m benchmarks.budget_worst [--sample 20]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from model import ScenarioError, parse_scenario
from model.budget import MAX_MEGABYTES, MAX_SECONDS, check_budget, run_cost
from model.scenario import MAX_DOSE_EVENTS, MAX_DURATION_H, MAX_POPULATION, scenario_to_toml

ROOT = Path(__file__).resolve().parents[1]
CHILD = """
import json, resource, sys, time
from model import simulate
from model.scenario import loads_scenario
s = loads_scenario(sys.stdin.read())
t0 = time.perf_counter()
simulate(s)
dt = time.perf_counter() - t0
print(json.dumps({"s": dt, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def dose(drug: str, route: str, amount: float, every: float, count: int, start: float = 0.0, p: float = 1.0) -> dict:
    unit = "amount_g" if drug == "alcohol" else "amount_mg"
    d = {"drug": drug, "route": route, unit: amount, "every_h": every, "count": count, "start_h": start}
    return d | ({"taken_probability": p} if p < 1 else {})


def pop(people: int, duration: float, doses: list[dict], step: float | None = None) -> dict:
    raw = {"title": "worst case", "duration_h": duration, "dose": doses, "options": {"population": people}}
    return raw | ({"output_step_h": step} if step else {})


FAMILIES: dict[str, tuple[Callable[[int], dict], int, int]] = {  # knob -> scenario, knob range
    "people, 4 days": (
        lambda n: pop(n, 96, [dose("naltrexone", "oral", 50, 24, 1), dose("heroin", "iv", 25, 24, 3, 24)]),
        1,
        MAX_POPULATION,
    ),
    "people, monthly injection, 2 years": (
        lambda n: pop(n, MAX_DURATION_H, [dose("naltrexone", "im_xr", 380, 720, 24)]),
        1,
        MAX_POPULATION,
    ),
    "people, daily tablets and heroin": (
        lambda d: pop(
            50, 24 * d, [dose("naltrexone", "oral", 50, 24, d, 0, 0.8), dose("heroin", "iv", 25, 24, d - 1, 20)], 1.0
        ),
        2,
        730,
    ),
    "people, fentanyl, fine output": (
        lambda n: pop(n, 720, [dose("fentanyl", "iv", 0.1, 24, 30, 1)], 0.25),
        1,
        MAX_POPULATION,
    ),
    "one patient, 5,000 doses, 100,000 rows": (
        lambda c: pop(
            0,
            MAX_DURATION_H,
            [dose("heroin", "iv", 25, 3.5, c // 2), dose("naltrexone", "oral", 50, 3.5, c - c // 2, 1)],
            0.1752,
        ),
        2,
        MAX_DOSE_EVENTS,
    ),
    "one patient, drinks": (
        lambda c: pop(
            0, MAX_DURATION_H, [dose("alcohol", "oral", 14, 3.5, c), dose("naltrexone", "oral", 50, 24, 700)], 0.1752
        ),
        1,
        MAX_DOSE_EVENTS - 700,
    ),
    "people, drinks": (
        lambda n: pop(n, 240, [dose("alcohol", "oral", 14, 2, 100), dose("naltrexone", "oral", 50, 24, 10)]),
        1,
        MAX_POPULATION,
    ),
}


def legal(raw: dict) -> bool:
    try:
        check_budget(parse_scenario(raw))
        return True
    except ScenarioError:
        return False


def edge(make: Callable[[int], dict], lo: int, hi: int) -> int | None:
    """The largest knob in [lo, hi] whose scenario the budget accepts (cost grows with the knob)."""
    if not legal(make(lo)):
        return None
    while lo < hi:
        mid = (lo + hi + 1) // 2
        lo, hi = (mid, hi) if legal(make(mid)) else (lo, mid - 1)
    return lo


def measure(toml_text: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", CHILD], input=toml_text, capture_output=True, text=True, cwd=ROOT, timeout=600
    )
    if out.returncode:
        raise RuntimeError(out.stderr.strip().splitlines()[-1])
    return json.loads(out.stdout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--sample", type=int, default=0, help="also compare predicted and measured time on N random scenarios"
    )
    args = ap.parse_args()
    print(f"budget per run: predicted <= {MAX_SECONDS:g} s and <= {MAX_MEGABYTES:g} MB")
    worst_s = worst_mb = 0.0
    for name, (make, lo, hi) in FAMILIES.items():
        knob = edge(make, lo, hi)
        if knob is None:
            print(f"{name}: smallest run is over the budget")
            continue
        s = parse_scenario(make(knob))
        cost = run_cost(s)
        got = measure(scenario_to_toml(s))
        worst_s, worst_mb = max(worst_s, got["s"]), max(worst_mb, got["peak_mb"])
        print(f"{name} (knob {knob}): {cost}; measured {got['s']:.2f} s, peak RSS {got['peak_mb']:.0f} MB")
    print(f"worst legal run: {worst_s:.2f} s, peak RSS {worst_mb:.0f} MB")
    if args.sample:
        from corpora.budget import sampled_scenarios
        from model import simulate

        simulate(
            parse_scenario(
                {
                    "duration_h": 4,
                    "options": {"population": 2},  # warm-up in this process
                    "dose": [{"drug": "naltrexone", "route": "im_xr", "amount_mg": 1, "at_h": [1]}],
                }
            )
        )
        ratios = []
        for raw in sampled_scenarios(args.sample):
            s = parse_scenario(raw)
            t0 = time.perf_counter()
            simulate(s)
            ratios.append((time.perf_counter() - t0) / run_cost(s).seconds)
            print(f"  {run_cost(s)}: measured {time.perf_counter() - t0:.2f} s (ratio {ratios[-1]:.2f})")
        print(
            f"measured / predicted time over {len(ratios)} sampled scenarios (in this process, warm): "
            f"{min(ratios):.2f} .. {max(ratios):.2f}"
        )


if __name__ == "__main__":
    main()
