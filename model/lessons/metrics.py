"""Summaries of simulation results that the lessons show: blocked or not, episodes, risk, rescue."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..challenge import blocked_ratio  # noqa: F401  (re-exported)
from ..drugs import Molecule, molecules, response_parameters
from ..simulation import Result


def dissociation_half_life_min(m: Molecule) -> float:
    """Receptor dissociation half-life ln2 / koff in minutes (koff = Kd kon)."""
    return float(np.log(2) / (m["kd_nm"] * m["kon_per_nm_per_h"]) * 60.0)


def occupancy_at(r: Result, t_h: float) -> dict[str, float]:
    """Occupancy by naltrexone, 6-beta-naltrexol and all agonists at time ``t_h`` (output table)."""
    tab = r.table
    i = int(np.argmin(np.abs(tab.time_h.to_numpy() - t_h)))
    row = tab.iloc[i]
    return {
        "naltrexone": float(row.get("occupancy_naltrexone", 0.0)),
        "naltrexol": float(row.get("occupancy_naltrexol", 0.0)),
        "agonist": float(row.occupancy_agonist),
    }


def drug_of_species(species: str) -> str:
    """The user-facing drug that puts ``species`` into the body (or the species itself)."""
    m = molecules().get(species)
    return m.drug if m and m.drug else species


def episode_table(r: Result) -> pd.DataFrame:
    """One row per use episode: day, reward with and without naltrexone, blocked, craving just after."""
    c = r.challenges
    if c.empty:
        return pd.DataFrame(columns=["episode", "day", "reward_with", "reward_without", "blocked", "craving_after"])
    tab = r.table
    after = np.searchsorted(tab.time_h.to_numpy(), c.at_h.to_numpy() + 1e-6)
    after = np.minimum(after, len(tab) - 1)
    crav = tab["craving"].to_numpy() if "craving" in tab else np.full(len(tab), np.nan)
    return pd.DataFrame(
        {
            "episode": np.arange(1, len(c) + 1),
            "day": c.at_h.to_numpy() / 24.0,
            "reward_with": c.increment_with.to_numpy(),
            "reward_without": c.increment_without.to_numpy(),
            "blocked": c.blocked.fillna(False).to_numpy(dtype=bool),  # an episode at the run's end: not blocked
            "craving_after": crav[after],
        }
    )


def risk_window(after: pd.DataFrame, before: Mapping[str, float], drive_limit: float = 0.5) -> pd.Series:
    """Days on which the usual dose is riskier than before treatment (lower drive) or drops drive below the limit."""
    d = after.min_respiratory_drive
    return (d < before["min_drive"] - 0.02) | (d < drive_limit)


def rescue_summary(table: pd.DataFrame, rescue_h: float, limit: float = 0.5) -> dict[str, float]:
    """Lowest drive before the rescue, best drive in the 2 h after it, and re-narcotisation after that.

    ``renarcotised_h`` is the first time after the best recovery at which drive falls below
    ``limit`` again (NaN when it does not); ``hours_below_limit`` counts all time below the limit.
    """
    t, d = table.time_h.to_numpy(), table.respiratory_drive.to_numpy()
    before = d[t <= rescue_h]
    soon = (t > rescue_h) & (t <= rescue_h + 2.0)
    if not soon.any():
        return {
            "min_before": float(before.min()),
            "best_after": float("nan"),
            "min_later": float("nan"),
            "renarcotised_h": float("nan"),
            "hours_below_limit": float(np.sum((d < limit)[1:] * np.diff(t))),
        }
    i = int(np.nonzero(soon)[0][np.argmax(d[soon])])
    later = np.nonzero((t > t[i]) & (d < limit))[0]
    recovered = d[i] >= limit
    return {
        "min_before": float(before.min()),
        "best_after": float(d[i]),
        "min_later": float(d[i:].min()),
        "renarcotised_h": float(t[later[0]]) if (recovered and later.size) else float("nan"),
        "hours_below_limit": float(np.sum((d < limit)[1:] * np.diff(t))),
    }


def rescue_window_h(table: pd.DataFrame, rescue_h: float, limit: float = 0.5) -> float:
    """Hours from a naloxone rescue until breathing falls below ``limit`` again (the re-narcotisation window).

    NaN when the rescue does not lift breathing above the limit; ``inf`` when breathing stays above
    it for the rest of the run.
    """
    s = rescue_summary(table, rescue_h, limit)
    if not s["best_after"] >= limit:
        return float("nan")
    return float(s["renarcotised_h"] - rescue_h) if np.isfinite(s["renarcotised_h"]) else float("inf")


def breathing_tolerance_half_life_days() -> float:
    """Half-life of breathing tolerance without opioids (days), from ``resp_tolerance_loss_per_h``."""
    return float(np.log(2) / response_parameters()["resp_tolerance_loss_per_h"].value / 24.0)
