"""Random legal scenarios of moderate cost, for the budget's calibration (tests and benchmarks)."""

from __future__ import annotations

import numpy as np

from model.budget import run_cost
from model.scenario import parse_scenario


def sampled_scenarios(n: int, seed: int = 7) -> list[dict]:
    """Random legal scenarios of moderate size (0.25-1 s predicted), mixing every cost path."""
    rng = np.random.default_rng(seed)
    plans = [
        lambda: [
            {"drug": "naltrexone", "route": "oral", "amount_mg": 50, "every_h": 24, "count": days, "start_h": 0},
            {"drug": "heroin", "route": "iv", "amount_mg": 25, "every_h": 24, "count": days - 1, "start_h": 20},
        ],
        lambda: [
            {"drug": "naltrexone", "route": "im_xr", "amount_mg": 380, "every_h": 720, "count": max(1, days // 30)}
        ],
        lambda: [
            {"drug": "fentanyl", "route": "iv", "amount_mg": 0.1, "every_h": 12, "count": 2 * days - 1, "start_h": 1}
        ],
        lambda: [
            {"drug": "alcohol", "route": "oral", "amount_g": 14, "every_h": 6, "count": 4 * days - 1, "start_h": 1},
            {"drug": "naltrexone", "route": "oral", "amount_mg": 50, "every_h": 24, "count": days, "start_h": 0},
        ],
    ]
    out = []
    for i in range(n):
        days = int(rng.integers(20, 120))
        raw = {
            "duration_h": 24.0 * days,
            "dose": plans[i % len(plans)](),
            "output_step_h": float(rng.choice([0.25, 0.5, 1.0])),
            "options": {"population": int(rng.choice([0, 0, 50, 200]))},
        }
        for _ in range(6):  # people halved or doubled until the run is timeable (>= 0.25 s) and quick (<= 1 s)
            cost, people = run_cost(parse_scenario(raw)).seconds, raw["options"]["population"]
            if 0.25 <= cost <= 1.0:
                break
            raw["options"]["population"] = max(10, 2 * people) if cost < 0.25 else people // 2
        out.append(raw)
    return out
