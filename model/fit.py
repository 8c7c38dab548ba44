"""Least-squares fit of named parameters to measurements (``python -m model fit``).

The measurements are an observed CSV (:mod:`model.observed`). Each residual is ``(observed -
model) / sd``; a row without an sd is scaled by the mean observed value of its column, so columns
in different units weigh alike. Parameters are searched on a log scale (all are positive) inside
their plausible ranges (data/plausible_ranges.toml) or, where none is registered, their input
guards. Standard errors come from the Jacobian at the estimate, ``cov = s^2 (J'J)^-1`` with
``s^2`` the residual variance; they are reported only when there are more points than parameters.
Each model evaluation is one budgeted run; the search stops after about ``MAX_EVALUATIONS`` runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import least_squares

from .forward import ForwardModel, bounds, parameter
from .scenario import Scenario, ScenarioError

MAX_EVALUATIONS = 200


@dataclass(frozen=True)
class Fit:
    """Estimates (one row per parameter), residuals (one row per measurement) and the search's summary."""

    estimates: pd.DataFrame
    residuals: pd.DataFrame
    evaluations: int
    converged: bool
    message: str


def _scales(obs: pd.DataFrame) -> np.ndarray:
    mean_by_column = obs.groupby("column")["value"].transform(lambda v: max(float(np.mean(np.abs(v))), 1e-12))
    sd = obs["sd"].to_numpy(float)
    return np.where(np.isfinite(sd) & (sd > 0), sd, mean_by_column.to_numpy(float))


def fit(s: Scenario, obs: pd.DataFrame, names: Sequence[str], max_evaluations: int = MAX_EVALUATIONS) -> Fit:
    """Fit parameters ``names`` of scenario ``s`` to the measurements ``obs``."""
    outputs = tuple(dict.fromkeys(obs["column"]))
    model = ForwardModel(s, tuple(names), outputs)
    times = obs["time_h"].to_numpy(float)
    if times.max() > model.scenario.duration_h:
        raise ScenarioError(f"observed: a time is after the end of the run ({model.scenario.duration_h:g} h)")
    which = np.array([outputs.index(c) for c in obs["column"]])
    observed, scale = obs["value"].to_numpy(float), _scales(obs)
    lo, hi = bounds(names)
    start = np.clip(model.values(), lo, hi)
    if np.any(lo <= 0):
        bad = names[int(np.argmax(lo <= 0))]
        raise ScenarioError(f"parameter {bad}: can be 0 or negative; only positive parameters can be fitted")

    def predicted(logv: np.ndarray) -> np.ndarray:
        return model.simulate(np.exp(logv), times)[np.arange(times.size), which]

    def weighted(logv: np.ndarray) -> np.ndarray:
        return (observed - predicted(logv)) / scale

    res = least_squares(
        weighted,
        np.log(start),
        bounds=(np.log(lo), np.log(hi)),
        x_scale=1.0,
        diff_step=1e-3,
        max_nfev=max(1, max_evaluations // (len(names) + 1)),  # each Jacobian costs one run per parameter
    )
    est = np.exp(res.x)
    n, p = times.size, len(names)
    se = np.full(p, np.nan)
    if n > p:
        s2 = float(res.fun @ res.fun) / (n - p)
        jtj = res.jac.T @ res.jac
        if np.linalg.cond(jtj) < 1e12:
            se = est * np.sqrt(np.diag(np.linalg.inv(jtj)) * s2)  # delta method from the log scale
    estimates = pd.DataFrame(
        {
            "parameter": list(names),
            "unit": [parameter(x).unit for x in names],
            "start": start,
            "estimate": est,
            "se": se,
            "low": lo,
            "high": hi,
            "at_bound": np.isclose(est, lo, rtol=1e-6) | np.isclose(est, hi, rtol=1e-6),
        }
    )
    model_values = predicted(res.x)
    residuals = pd.DataFrame(
        {
            "time_h": times,
            "column": obs["column"].to_numpy(),
            "study": obs["study"].to_numpy(),
            "observed": observed,
            "model": model_values,
            "residual": observed - model_values,
            "weighted": (observed - model_values) / scale,
        }
    )
    return Fit(estimates, residuals, int(res.nfev), bool(res.success), str(res.message))
