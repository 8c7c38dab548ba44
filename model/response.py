"""From receptor occupancy to reward, respiratory drive and craving; blockade per agonist challenge.

Black & Leff operational model with several ligands: the stimulus is S = sum_i tau_i B_i
(tau = 0 for antagonists) and reward = S^n / (1 + S^n) on a 0..1 scale.
Black JW, Leff P 1983 Proc R Soc Lond B 220:141-162, doi:10.1098/rspb.1983.0093.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from numba import njit

from .drugs import Molecule

CHALLENGE_WINDOW_H = {"iv": 3.0, "intranasal": 3.0}
DEFAULT_WINDOW_H = 12.0
MEANINGFUL_REWARD = 0.01


def stimulus(bound: np.ndarray, tau: np.ndarray) -> np.ndarray:
    """S = sum_i tau_i B_i over the last (ligand) axis."""
    return bound @ np.asarray(tau, dtype=float)


def reward_from_stimulus(s: np.ndarray, hill_n: float) -> np.ndarray:
    """Reward = S^n / (1 + S^n), in [0, 1)."""
    sn = np.power(np.maximum(s, 0.0), hill_n)
    return sn / (1.0 + sn)


def blockade_fraction(reward_with: np.ndarray, reward_without: np.ndarray) -> np.ndarray:
    """1 - reward_with / reward_without; NaN where the counterfactual reward is below 0.01."""
    out = np.full(np.shape(reward_with), np.nan)
    ok = reward_without >= MEANINGFUL_REWARD
    out[ok] = 1.0 - reward_with[ok] / reward_without[ok]
    return out


def challenge_window_h(route: str) -> float:
    """Window after a dose in which its peak reward is looked for (h)."""
    return CHALLENGE_WINDOW_H.get(route, DEFAULT_WINDOW_H)


def increment_and_area(t_h: np.ndarray, reward: np.ndarray, at_h: float, window_h: float) -> tuple[float, float]:
    """Peak reward in (at_h, at_h + window] minus the reward at at_h; area above that level (h)."""
    i0 = int(np.searchsorted(t_h, at_h - 1e-9))
    i1 = int(np.searchsorted(t_h, at_h + window_h + 1e-9))
    base = reward[i0]
    seg = reward[i0:i1]
    if seg.size < 2:
        return 0.0, 0.0
    rise = np.maximum(seg - base, 0.0)
    return float(rise.max()), float(np.trapezoid(rise, t_h[i0:i1]))


def challenges_table(t_h: np.ndarray, reward_with: np.ndarray, reward_without: np.ndarray,
                     challenges: list[tuple[str, str, float, float, str]], blocked_ratio: float) -> pd.DataFrame:
    """One row per agonist dose: increments and areas with and without naltrexone, ratio, blocked."""
    rows = []
    for drug, route, at_h, amount, unit in challenges:
        w = challenge_window_h(route)
        inc_w, area_w = increment_and_area(t_h, reward_with, at_h, w)
        inc_wo, area_wo = increment_and_area(t_h, reward_without, at_h, w)
        ratio = inc_w / inc_wo if inc_wo > 1e-9 else np.nan
        rows.append({
            "drug": drug, "route": route, "at_h": at_h, "amount": amount, "amount_unit": unit,
            "increment_with": inc_w, "increment_without": inc_wo, "ratio": ratio,
            "blocked": bool(ratio <= blocked_ratio) if np.isfinite(ratio) else False,
            "area_with": area_w, "area_without": area_wo,
        })
    cols = ["drug", "route", "at_h", "amount", "amount_unit", "increment_with", "increment_without",
            "ratio", "blocked", "area_with", "area_without"]
    return pd.DataFrame(rows, columns=cols)


def fentanyl_stimulus(c_ng_per_ml: float, fentanyl: Molecule) -> float:
    """Stimulus S of fentanyl alone at a steady effect-site (plasma-equivalent) level in ng/mL."""
    c_nm = c_ng_per_ml * fentanyl["fraction_unbound"] * fentanyl["kp_uu"] * 1000.0 / fentanyl["molar_mass_g_per_mol"]
    return fentanyl["tau"] * c_nm / (c_nm + fentanyl["kd_nm"])


@njit(cache=True, nogil=True)
def _tolerance(h, s, t0, gain, loss):  # pragma: no cover - compiled
    out = np.empty(s.size)
    x = t0
    out[0] = x
    for k in range(h.size):
        rate = gain * s[k + 1] + loss
        target = gain * s[k + 1] / rate
        x = target + (x - target) * np.exp(-rate * h[k])
        out[k + 1] = x
    return out


def opioid_tolerance(t_h: np.ndarray, s_agonist: np.ndarray, initial: float, params: Mapping[str, float]) -> np.ndarray:
    """Tolerance state T in [0, 1]: dT/dt = k_gain S (1 - T) - k_loss T (illustrative)."""
    return _tolerance(np.diff(t_h), np.ascontiguousarray(s_agonist, dtype=float), float(initial),
                      params["tolerance_gain_per_h"], params["tolerance_loss_per_h"])


def respiratory_drive(s: np.ndarray, tolerance: np.ndarray, fentanyl: Molecule, params: Mapping[str, float]) -> np.ndarray:
    """Respiratory drive = 1 - Imax S^g / (S^g + S50^g), S50 moving from naive to tolerant with T.

    S50 is the stimulus of fentanyl at the effect-site levels that halve ventilation in naive
    (0.42 ng/mL) and in chronic users (1.82 ng/mL) (Algera MH et al. 2021 Clin Pharmacol Ther
    109:637); S50(T) = S50_naive (S50_tolerant / S50_naive)^T.
    """
    # An agonist-free fentanyl (tau overridden to 0) leaves no anchor: keep S50 tiny but finite.
    naive = max(fentanyl_stimulus(params["resp_fentanyl_c50_naive_ng_per_ml"], fentanyl), 1e-12)
    tolerant = max(fentanyl_stimulus(params["resp_fentanyl_c50_tolerant_ng_per_ml"], fentanyl), 1e-12)
    s50 = naive * (tolerant / naive) ** tolerance
    g = params["resp_hill"]
    sg = np.power(np.maximum(s, 0.0), g)
    return 1.0 - params["resp_imax"] * sg / (sg + s50**g)


def craving_curve(t_h: np.ndarray, episodes_h: np.ndarray, rewards: np.ndarray, initial: float, alpha: float) -> np.ndarray:
    """Expected reward V(t): V <- V + alpha (r - V) at each use episode (Rescorla-Wagner; illustrative)."""
    values = np.empty(len(episodes_h) + 1)
    values[0] = initial
    for i, r in enumerate(rewards):
        values[i + 1] = values[i] + alpha * (r - values[i])
    order = np.searchsorted(np.asarray(episodes_h, dtype=float), t_h, side="right")
    return values[order]
