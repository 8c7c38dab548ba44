"""Equilibrium receptor theory for the lessons: occupancy and reward curves, EC50, Schild analysis.

With agonist A and antagonists B_j at equilibrium (docs/model.md, section 2)::

    occ_A = (A/K_A) / (1 + A/K_A + sum_j B_j/K_j),   reward = S^n / (1 + S^n),  S = tau_A occ_A

so an antagonist multiplies the agonist concentration needed for any effect by the dose ratio
``DR = 1 + sum_j B_j/K_j`` and ``log(DR - 1) = log B - log K_B`` (Schild slope 1).

References:
1. Arunlakshana O, Schild HO 1959 Br J Pharmacol 14:48, doi:10.1111/j.1476-5381.1959.tb00928.x.
2. Black JW, Leff P 1983 Proc R Soc Lond B 220:141, doi:10.1098/rspb.1983.0093.

"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from .. import pk, receptor, response
from ..drugs import Molecule, molecules, response_parameters


def _hill() -> float:
    return response_parameters()["hill_n"].value


def ng_per_ml_to_nm(ng_per_ml: float | np.ndarray, molar_mass_g_per_mol: float) -> np.ndarray:
    """Convert a plasma concentration from ng/mL to nM."""
    return np.asarray(ng_per_ml, dtype=float) * 1000.0 / molar_mass_g_per_mol


def brain_nm_to_plasma_ng_per_ml(brain_nm: float | np.ndarray, m: Molecule) -> np.ndarray:
    """Total plasma level (ng/mL) that is in equilibrium with an unbound brain level (nM)."""
    return np.asarray(brain_nm, dtype=float) / pk.brain_to_plasma_nm_ratio(m) * m["molar_mass_g_per_mol"] / 1000.0


def equilibrium_curves(
    agonist: str = "heroin",
    naltrexone_nm: Sequence[float] = (0.0, 0.3, 3.0, 30.0),
    agonist_nm: np.ndarray | None = None,
    mols: Mapping[str, Molecule] | None = None,
) -> pd.DataFrame:
    """Equilibrium occupancy and reward vs agonist brain concentration at several naltrexone levels.

    Returns one row per (naltrexone level, agonist concentration) with columns ``naltrexone_nm``,
    ``agonist_nm``, ``occupancy_agonist``, ``occupancy_naltrexone``, ``reward``.
    """
    mols = molecules() if mols is None else mols
    a, b = mols[agonist], mols["naltrexone"]
    if agonist_nm is None:
        agonist_nm = np.logspace(np.log10(a["kd_nm"]) - 4, np.log10(a["kd_nm"]) + 3, 200)
    x = np.asarray(agonist_nm, dtype=float)
    levels = np.repeat(np.asarray(naltrexone_nm, dtype=float), x.size)  # every level on the same agonist grid
    conc = np.stack([np.tile(x, len(naltrexone_nm)), levels], axis=-1)
    occ = receptor.equilibrium_occupancy(conc, np.array([a["kd_nm"], b["kd_nm"]]))
    return pd.DataFrame(
        {
            "naltrexone_nm": levels,
            "agonist_nm": conc[:, 0],
            "occupancy_agonist": occ[:, 0],
            "occupancy_naltrexone": occ[:, 1],
            "reward": response.reward_from_stimulus(a["tau"] * occ[:, 0], _hill()),
        }
    )


def ec50_nm(agonist_nm: np.ndarray, reward: np.ndarray, level: float) -> float:
    """Agonist concentration giving ``level`` reward (log-interpolated); NaN if never reached."""
    reward = np.asarray(reward, dtype=float)
    if reward.max() < level:
        return float("nan")
    i = int(np.argmax(reward >= level))
    if i == 0:
        return float(agonist_nm[0])
    x0, x1 = np.log(agonist_nm[i - 1]), np.log(agonist_nm[i])
    f = (level - reward[i - 1]) / (reward[i] - reward[i - 1])
    return float(np.exp(x0 + f * (x1 - x0)))


def schild(
    agonist: str = "heroin",
    naltrexone_nm: Sequence[float] = (0.1, 0.3, 1.0, 3.0, 10.0, 30.0),
    mols: Mapping[str, Molecule] | None = None,
) -> tuple[pd.DataFrame, float, float]:
    """Schild analysis at equilibrium: dose ratios of the half-maximal reward.

    Returns (table with ``naltrexone_nm``, ``dose_ratio``, ``log10_naltrexone_nm``,
    ``log10_dose_ratio_minus_1``), the fitted slope, and the fitted pA2 (-log10 K_B in M).
    """
    mols = molecules() if mols is None else mols
    a = mols[agonist]
    grid = np.logspace(np.log10(a["kd_nm"]) - 6, np.log10(a["kd_nm"]) + 6, 4000)
    curves = equilibrium_curves(agonist, (0.0, *naltrexone_nm), grid, mols)
    base = curves[curves.naltrexone_nm == 0.0]
    half = 0.5 * float(base.reward.max())
    ec0 = ec50_nm(grid, base.reward.to_numpy(), half)
    rows = []
    for level in naltrexone_nm:
        c = curves[curves.naltrexone_nm == float(level)]
        dr = ec50_nm(grid, c.reward.to_numpy(), half) / ec0
        rows.append({"naltrexone_nm": float(level), "dose_ratio": dr})
    t = pd.DataFrame(rows)
    t["log10_naltrexone_nm"] = np.log10(t.naltrexone_nm)
    t["log10_dose_ratio_minus_1"] = np.log10(np.maximum(t.dose_ratio - 1.0, 1e-12))
    slope, intercept = np.polyfit(t.log10_naltrexone_nm, t.log10_dose_ratio_minus_1, 1)
    # log(DR-1) = log[B] - log K_B with [B] in nM; pA2 = -log10(K_B in M) = 9 - log10(K_B in nM).
    pa2 = 9.0 + intercept / slope
    return t, float(slope), float(pa2)
