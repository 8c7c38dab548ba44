"""Refit the antagonists' brain exchange to the human checks (the calibration behind naltrexone.toml).

Run: .venv/bin/python -m scripts.fit_antagonists [--fit]
Without --fit it prints the checks at the current values. The objective asks every check in
FIT_CHECKS to sit inside its range with a margin (log distance to the range's centre), so the
fit does not settle on a boundary.
"""

from __future__ import annotations

import sys

import numpy as np
from scipy.optimize import minimize

from model import validation
from model.forward import overrides, parameter

FREE = [
    "naltrexone.ke0_per_h",
    "naltrexone.kp_uu",
    "naltrexone.retention_efflux_per_h",
    "naltrexone.retention_kp_uu",
]
#: (check id, wanted value) - the centre the fit aims at, inside each check's range.
FIT_CHECKS = {
    "pet_2mg": 30,
    "pet_5mg": 52,
    "pet_15mg": 70,
    "pet_50mg": 93,
    "pet_half_time": 90,
    "pet_trough": 95,
    "block_50_24": 0.1,
    "block_100_48": 0.1,
    "block_150_72": 0.12,
    "free_50_72": 0.45,
    "free_100_96": 0.45,
    "free_150_120": 0.5,
    "xr_block_28": 0.15,
    "xr_free_45": 0.5,
}


def evaluate(values: np.ndarray) -> dict[str, float]:
    """The fitted checks with the FREE parameters at ``values``."""
    validation._CACHE.clear()
    checks = {c.id: c for c in validation.CHECKS}
    with validation.parameters(overrides(FREE, values)):
        return {k: float(checks[k].compute()) for k in FIT_CHECKS}


def loss(logv: np.ndarray) -> float:
    """Log distance to each aim plus a steep penalty for leaving a check's range."""
    got = evaluate(np.exp(logv))
    ranges = {c.id: (c.low, c.high) for c in validation.CHECKS}
    total = 0.0
    for k, w in FIT_CHECKS.items():
        v, (lo, hi) = max(got[k], 1e-6), ranges[k]
        total += (
            np.log(v / w) ** 2 + 100 * (max(0.0, np.log(lo / v) if lo > 0 else 0.0) + max(0.0, np.log(v / hi))) ** 2
        )
    return float(total)


if __name__ == "__main__":
    x0 = np.log([parameter(n).value for n in FREE])
    if "--fit" in sys.argv:
        res = minimize(loss, x0, method="Nelder-Mead", options={"maxfev": 400, "xatol": 1e-3, "fatol": 1e-4})
        x0 = res.x
        print("fitted:", {n: round(float(np.exp(v)), 4) for n, v in zip(FREE, x0)})
    for k, v in evaluate(np.exp(x0)).items():
        print(f"{k:14s} {v:8.3f}   (aim {FIT_CHECKS[k]})")
