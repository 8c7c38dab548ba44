"""Speed of the model's solver against a naive solve_ivp(RK45) of the same equations.

Scenario: 90 days of oral naltrexone 50 mg daily + 25 mg IV heroin daily, with its
no-naltrexone counterfactual (both are part of every simulation). Prints median times, the
largest occupancy error against a tight-tolerance (LSODA, rtol 1e-10) reference on the same
grid, and speed ratios. The in-vivo agonist binding is fast (dissociation in seconds), so the
full system is stiff: a naive RK45 needs hours for 90 days. It is therefore timed on the first
``--naive-hours`` of the same scenario and its cost scaled linearly to the whole run (said so
in the output).

Then alcohol: a week of four drinks every evening, the compiled Runge-Kutta march against the
LSODA yardstick (rtol 1e-8) on the same grid, with their largest difference in blood alcohol.

Run: .venv/bin/python -m benchmarks.solver_speed [--repeats N] [--days D]
"""

from __future__ import annotations

import argparse
import statistics
import time
from dataclasses import replace

import numpy as np

from model import pk, simulate
from model.core import scenario_molecules, time_grid
from model.reference import solve_reference
from model.scenario import dose_events
from model.validation import scenario


def daily_scenario(days: int):
    return scenario(
        24.0 * days,
        {"drug": "naltrexone", "route": "oral", "amount_mg": 50, "every_h": 24, "count": days, "start_h": 0},
        {"drug": "heroin", "route": "iv", "amount_mg": 25, "every_h": 24, "count": days - 1, "start_h": 20},
        step_h=1.0,
    )


def timed(fn, repeats: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=15)
    ap.add_argument("--days", type=int, default=90)
    ap.add_argument("--naive-hours", type=float, default=21.0)  # includes the first heroin dose (20 h)
    args = ap.parse_args()
    s = daily_scenario(args.days)
    simulate(s)  # warm-up (imports, caches)
    t_model, r = timed(lambda: simulate(s), args.repeats)
    t_ref, (t, ref, ligands) = timed(lambda: solve_reference(s), 1)
    short = daily_scenario(args.days)
    short = replace(
        short,
        duration_h=args.naive_hours,
        doses=tuple(
            replace(d, count=max(1, int(args.naive_hours // d.every_h) + (d.start_h < args.naive_hours)))
            for d in short.doses
            if d.start_h < args.naive_hours
        ),
    )
    t_naive_short, (ts, naive, _) = timed(lambda: solve_reference(short, method="RK45", rtol=1e-3, atol=1e-6), 1)
    _, ref_short, _ = solve_reference(short)
    t_naive = t_naive_short * s.duration_h / short.duration_h
    occ = lambda b: b.sum(axis=-1)  # noqa: E731 - total occupancy per run and time
    err_model = float(np.abs(r.curves.bound - ref).max())
    err_naive = float(np.abs(naive - ref_short).max())
    print(f"scenario: {args.days} days, oral naltrexone 50 mg daily + heroin 25 mg IV daily, with counterfactual")
    print(f"grid points: {t.size}, ligands: {', '.join(ligands)}")
    print(
        f"model solver      median {t_model * 1e3:9.1f} ms  (n={args.repeats})  max occupancy error {err_model:.2e}"
        f"  (total {float(np.abs(occ(r.curves.bound) - occ(ref)).max()):.2e})"
    )
    print(
        f"naive RK45        {t_naive_short:9.2f} s for the first {args.naive_hours:g} h  max occupancy error {err_naive:.2e}"
        f"  -> {t_naive:.0f} s scaled to {s.duration_h:g} h"
    )
    print(f"reference LSODA          {t_ref * 1e3:9.1f} ms  (rtol 1e-10)")
    print(f"speed-up vs naive RK45 (scaled): {t_naive / t_model:,.0f}x;  vs tight LSODA: {t_ref / t_model:.1f}x")
    alcohol(args.repeats)


def alcohol(repeats: int) -> None:
    """The alcohol march against LSODA: a week of four 14 g drinks an hour apart every evening."""
    s = scenario(
        24.0 * 7,
        *(
            {"drug": "alcohol", "route": "oral", "amount_g": 14, "every_h": 1, "count": 4, "start_h": 24.0 * d + 19}
            for d in range(7)
        ),
        step_h=0.05,
    )
    mols, events = scenario_molecules(s), dose_events(s)
    t, _ = time_grid(s, events, mols)
    args = (mols["ethanol"], mols["endorphin"], events, s.patient, t)
    pk.solve_alcohol(*args)  # warm-up (compiled code)
    t_fast, (bac, _) = timed(lambda: pk.solve_alcohol(*args), repeats)
    t_lsoda, (bac_ref, _) = timed(lambda: pk.solve_alcohol_lsoda(*args), 3)
    print(f"alcohol, 7 evenings of 4 drinks ({t.size} grid points):")
    print(
        f"  Runge-Kutta march median {t_fast * 1e3:7.2f} ms;  LSODA (rtol 1e-8) {t_lsoda * 1e3:7.1f} ms;  "
        f"speed-up {t_lsoda / t_fast:.0f}x;  largest difference {float(np.abs(bac - bac_ref).max()):.1e} mg/dL "
        f"(peak {float(bac_ref.max()):.0f})"
    )


if __name__ == "__main__":
    main()
