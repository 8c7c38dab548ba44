"""Speed of a population run: 1,000 people for 90 days (no counterfactuals).

Scenario: oral naltrexone 50 mg daily taken with probability 0.8, heroin 25 mg IV daily.
Prints the median wall time over a few repeats and the time per person, and, in the same run, a
plain loop of single ``simulate`` calls over the same people (their drawn parameters as overrides,
their taken doses as explicit times; each call also runs its no-naltrexone counterfactual).

Run: .venv/bin/python -m benchmarks.population_speed [--people N] [--repeats R]
"""

from __future__ import annotations

import argparse
import statistics
import time
from dataclasses import replace

from model import parse_scenario, simulate
from model.budget import affordable_people
from model.drugs import molecules
from model.population import simulate_population


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--people", type=int, default=1000)
    ap.add_argument("--days", type=int, default=90)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--loop", type=int, default=100, help="people timed in the plain loop (scaled to all)")
    args = ap.parse_args()
    s = parse_scenario(
        {
            "title": "population benchmark",
            "duration_h": 24 * args.days,
            "output_step_h": 1.0,
            "dose": [
                {
                    "drug": "naltrexone",
                    "route": "oral",
                    "amount_mg": 50,
                    "every_h": 24,
                    "count": args.days,
                    "start_h": 0,
                    "taken_probability": 0.8,
                },
                {
                    "drug": "heroin",
                    "route": "iv",
                    "amount_mg": 25,
                    "every_h": 24,
                    "count": args.days - 1,
                    "start_h": 20,
                },
            ],
            "patient": {"opioid_tolerant": True},
            "options": {"population": args.people, "seed": 1},
        }
    )
    simulate_population(s, 10)  # warm-up: imports and compiled kernels
    simulate(replace(s, duration_h=48.0, options=replace(s.options, population=0)))
    per_run = affordable_people(s, args.people)  # a study of many people is many budgeted runs
    runs = [replace(s, options=replace(s.options, seed=s.options.seed + i)) for i in range(-(-args.people // per_run))]
    times = []
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        for i, r in enumerate(runs):
            simulate_population(r, min(per_run, args.people - i * per_run))
        times.append(time.perf_counter() - t0)
    med = statistics.median(times)
    print(
        f"population: {args.people} people x {args.days} days, no counterfactuals, in {len(runs)} budgeted run(s) "
        f"of up to {per_run} people"
    )
    print(f"median {med:.2f} s over {args.repeats} runs ({med / args.people * 1e3:.2f} ms per person); goal <= 1 s")
    pop = simulate_population(s, per_run)
    k = min(args.loop, per_run)
    t0 = time.perf_counter()
    for i in range(k):
        simulate(_person_scenario(s, pop, i))
    loop = (time.perf_counter() - t0) / k
    print(
        f"plain loop of simulate(): {loop * 1e3:.1f} ms per person ({k} timed) -> {loop * args.people:.1f} s for "
        f"{args.people}; population core {loop * args.people / med:.0f}x faster"
    )


def _person_scenario(s, pop, i: int):
    """Person ``i`` as a single scenario: their parameters as overrides, their taken doses at explicit times."""
    row = pop.people.iloc[i]
    params: dict[str, dict[str, float]] = {}
    for col in pop.people.columns:
        if "." in col:
            sp, name = col.split(".", 1)
            params.setdefault(sp, {})[name] = float(row[col])
    doses = [
        {"drug": molecules()[e.species].drug, "route": e.route, "amount_mg": e.amount, "at_h": [e.at_h]}
        for e, took in zip(pop.events, pop.taken[i])
        if took
    ]
    return parse_scenario(
        {
            "title": f"person {i}",
            "duration_h": s.duration_h,
            "output_step_h": s.output_step_h,
            "dose": doses,
            "patient": {"opioid_tolerant": True},
            "parameters": params,
        }
    )


if __name__ == "__main__":
    main()
