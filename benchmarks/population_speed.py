"""Speed of a population run: 1,000 people for 90 days (no counterfactuals).

Scenario: oral naltrexone 50 mg daily taken with probability 0.8, heroin 25 mg IV daily.
Prints the median wall time over a few repeats and the time per person.

Run: .venv/bin/python -m benchmarks.population_speed [--people N] [--repeats R]
"""

from __future__ import annotations

import argparse
import statistics
import time

from model import parse_scenario
from model.population import simulate_population


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--people", type=int, default=1000)
    ap.add_argument("--days", type=int, default=90)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    s = parse_scenario({
        "title": "population benchmark", "duration_h": 24 * args.days, "output_step_h": 1.0,
        "dose": [{"drug": "naltrexone", "route": "oral", "amount_mg": 50, "every_h": 24, "count": args.days,
                  "start_h": 0, "taken_probability": 0.8},
                 {"drug": "heroin", "route": "iv", "amount_mg": 25, "every_h": 24, "count": args.days - 1, "start_h": 20}],
        "patient": {"opioid_tolerant": True}, "options": {"population": args.people, "seed": 1}})
    simulate_population(s, 10)  # warm-up: imports and compiled kernels
    times = []
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        simulate_population(s)
        times.append(time.perf_counter() - t0)
    med = statistics.median(times)
    print(f"population: {args.people} people x {args.days} days, no counterfactuals")
    print(f"median {med:.2f} s over {args.repeats} runs ({med / args.people * 1e3:.2f} ms per person); goal <= 3 s")


if __name__ == "__main__":
    main()
