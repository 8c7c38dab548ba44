"""Runs per second of a virtual trial on 1 and 2 local worker processes and on a local Dask cluster.

Scenario: 90 days of oral naltrexone 50 mg daily taken with probability 0.8 and heroin 25 mg IV
daily; endpoint days protected. Every engine must give identical per-person values.

Run: .venv/bin/python -m benchmarks.study_speed [--people N]
"""

from __future__ import annotations

import argparse

import numpy as np

from model import parse_scenario
from model.trials import people_chunk, run_trial, tasks


def scenario(days: int = 90):
    return parse_scenario(
        {
            "title": "trial benchmark",
            "duration_h": 24 * days,
            "output_step_h": 1.0,
            "dose": [
                {
                    "drug": "naltrexone",
                    "route": "oral",
                    "amount_mg": 50,
                    "every_h": 24,
                    "count": days,
                    "start_h": 0,
                    "taken_probability": 0.8,
                },
                {"drug": "heroin", "route": "iv", "amount_mg": 25, "every_h": 24, "count": days - 1, "start_h": 20},
            ],
            "patient": {"opioid_tolerant": True},
            "options": {"seed": 1},
        }
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--people", type=int, default=1000)
    args = ap.parse_args()
    s = scenario()
    people_chunk(tasks([s], 10, "days_protected", 1)[0])  # warm-up: imports and compiled kernels
    print(f"virtual trial: {args.people} people x 90 days, endpoint days_protected, 100 people per task")
    results = {}
    for label, kw in (("1 local worker", {"workers": 1}), ("2 local workers", {"workers": 2})):
        t = run_trial([s], args.people, "days_protected", seed=1, **kw)
        results[label] = t.values[0]
        print(f"{label:<28} {t.seconds:6.2f} s  {t.runs_per_s:7.0f} runs/s")
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, host="127.0.0.1", dashboard_address=None) as c:
        run_trial([s], 20, "days_protected", seed=1, scheduler=c.scheduler_address)  # warm the workers
        t = run_trial([s], args.people, "days_protected", seed=1, scheduler=c.scheduler_address)
        results["dask, 2 workers"] = t.values[0]
        print(f"{'dask, 2 workers (loopback)':<28} {t.seconds:6.2f} s  {t.runs_per_s:7.0f} runs/s")
    ref = results["1 local worker"]
    same = all(np.array_equal(ref, v) for v in results.values())
    print(f"identical per-person results on every engine: {same}; mean days protected {ref.mean():.2f}")


if __name__ == "__main__":
    main()
