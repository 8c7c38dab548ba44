"""Sensitivity of a summary metric to the model's parameters: local (one at a time) and global (SALib).

Local: each parameter that is not a fixed constant is moved ``step`` up and down (relative,
kept inside its bounds) and the elasticity ``(dY / Y) / (dp / p)`` is the central difference.
Global: Morris screening or Sobol indices over the plausible ranges of ``data/plausible_ranges.toml``
(not the input guards), with the design and seed stated there or given. Runs are pure tasks of
(scenario, overrides), run by :mod:`model.engine`; each is one budgeted simulation of one person.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from . import engine
from .budget import check_study, run_cost
from .drugs import molecules
from .forward import FIXED, overrides, plausible_ranges, single_person, with_parameters
from .ligands import ANTAGONIST_ROLES
from .scenario import Scenario, ScenarioError, dose_events, loads_scenario, scenario_to_toml, whole_day
from .simulation import Result, simulate

#: Summary metrics; ``blockade_ratio:D`` is the increment ratio of the first agonist challenge on day D.
METRICS = ("peak_reward", "blockade_ratio:D", "days_protected", "lowest_breathing")


def check_metric(name: str, s: Scenario) -> None:
    """Refuse an unknown metric, or a blockade day outside the run or without an agonist dose, naming it."""
    if name in ("peak_reward", "days_protected", "lowest_breathing"):
        return
    if not name.startswith("blockade_ratio:"):
        raise ScenarioError(f"--metric {name[:40]!r}: use one of {', '.join(METRICS)}")
    day = whole_day(name.split(":", 1)[1], f"--metric {name[:40]!r}", s.duration_h)
    mols = molecules()
    if not any(
        mols[e.species].role not in ANTAGONIST_ROLES and 24.0 * (day - 1) <= e.at_h < 24.0 * day for e in dose_events(s)
    ):
        raise ScenarioError(f"--metric {name}: the scenario has no agonist dose on day {day}")


def metric(r: Result, name: str) -> float:
    """Value of a summary metric for one run (units: 1, or days for days_protected)."""
    if name == "peak_reward":  # on the solver's grid: peaks minutes after an injection are not missed
        return float(r.curves.reward[0].max())
    if name == "lowest_breathing":
        return float(r.curves.responses.respiratory_drive.min())
    if name == "days_protected":
        from .lessons import days_protected

        return float(days_protected(r)["protected"].sum())
    day = int(name.split(":", 1)[1])
    c = r.challenges
    on = c[(c.at_h >= 24.0 * (day - 1)) & (c.at_h < 24.0 * day)]
    if on.empty:
        raise ScenarioError(f"--metric {name}: the scenario has no agonist dose on day {day}")
    return float(on.iloc[0]["ratio"])


def evaluate(task: tuple[str, dict[str, dict[str, float]], str]) -> float:
    """Metric of the scenario (TOML) with parameter overrides {species: {name: value}}: one budgeted run."""
    toml, over, name = task
    return metric(simulate(with_parameters(loads_scenario(toml), over)), name)


def varied_parameters(s: Scenario) -> list[tuple[str, str]]:
    """(species, parameter) of every molecule in the run whose parameter is not a fixed constant."""
    r = simulate(single_person(s))
    species = set(r.curves.plasma_ng_per_ml) | set(r.curves.ligands)
    if r.curves.ethanol_blood_mg_per_dl.any():
        species |= {"ethanol", "endorphin"}
    out = []
    for sp in sorted(species):
        for n, p in r.molecules[sp].parameters.items():
            if n not in FIXED and p.min < p.max and p.value != 0:
                out.append((sp, n))
    return out


def local(
    s: Scenario,
    name: str,
    step: float = 0.1,
    workers: int | None = 1,
    scheduler: str | None = None,
    progress: Callable[[float], None] | None = None,
    allow_long: bool = False,
) -> pd.DataFrame:
    """One-at-a-time elasticities of metric ``name`` to every non-fixed parameter, largest first.

    ``progress``: called with the share of runs done (0..1); the runs then stay in this process.
    A study predicted over the study budget is refused unless ``allow_long``.
    """
    if not 0.001 <= step <= 0.5:
        raise ScenarioError("--step: give a relative step between 0.001 and 0.5")
    s = single_person(s)
    check_metric(name, s)
    toml = scenario_to_toml(s)
    mols = {k: m.with_overrides(s.parameters.get(k, {})) for k, m in molecules().items()}
    pars = varied_parameters(s)
    tasks: list[Any] = [(toml, {}, name)]
    for sp, n in pars:
        p = mols[sp].parameters[n]
        for f in (1 - step, 1 + step):
            tasks.append((toml, {sp: {n: min(max(p.value * f, p.min), p.max)}}, name))
    check_study("sensitivity", len(tasks), run_cost(s).seconds, allow_long)
    if progress is None:
        ys = engine.map_tasks(evaluate, tasks, workers, scheduler)
    else:
        ys = []
        for i, task in enumerate(tasks):
            ys.append(evaluate(task))
            progress((i + 1) / len(tasks))
    y0, rows = ys[0], []
    for j, (sp, n) in enumerate(pars):
        p = mols[sp].parameters[n]
        lo, hi = tasks[1 + 2 * j][1][sp][n], tasks[2 + 2 * j][1][sp][n]
        ylo, yhi = ys[1 + 2 * j], ys[2 + 2 * j]
        el = (yhi - ylo) / (hi - lo) * p.value / y0 if y0 != 0 and hi > lo else math.nan
        rows.append(
            {
                "species": sp,
                "parameter": n,
                "unit": p.unit,
                "value": p.value,
                "low_value": lo,
                "high_value": hi,
                "metric_low": ylo,
                "metric_base": y0,
                "metric_high": yhi,
                "elasticity": el,
            }
        )
    df = pd.DataFrame(rows)
    return df.reindex(df["elasticity"].abs().sort_values(ascending=False, na_position="last").index).reset_index(
        drop=True
    )


def _problem() -> tuple[dict[str, Any], list[bool]]:
    par = plausible_ranges()["parameters"]
    logs = [v.get("scale") == "log" for v in par.values()]
    bounds = [
        [math.log(v["low"]), math.log(v["high"])] if lg else [v["low"], v["high"]] for v, lg in zip(par.values(), logs)
    ]
    return {"num_vars": len(par), "names": list(par), "bounds": bounds}, logs


def global_sensitivity(
    s: Scenario,
    name: str,
    method: str = "morris",
    trajectories: int | None = None,
    levels: int | None = None,
    n: int | None = None,
    seed: int | None = None,
    workers: int | None = 1,
    scheduler: str | None = None,
    allow_long: bool = False,
) -> pd.DataFrame:
    """Morris (mu*, sigma) or first/total Sobol indices of metric ``name`` over the plausible ranges.

    A design predicted over the study budget is refused unless ``allow_long``.
    """
    design = plausible_ranges()["design"]
    seed = design["seed"] if seed is None else seed
    if not 0 <= seed < 2**32:
        raise ScenarioError("--seed: a whole number from 0 to 4294967295")
    s = single_person(s)
    check_metric(name, s)
    problem, logs = _problem()
    if method == "morris":
        from SALib.analyze import morris as analyze
        from SALib.sample import morris as sample

        r = design["trajectories"] if trajectories is None else trajectories
        lv = design["levels"] if levels is None else levels
        if not 2 <= r <= 1000 or lv not in (4, 6, 8, 10):
            raise ScenarioError("--trajectories: 2..1000; --levels: 4, 6, 8 or 10")
        x = sample.sample(problem, r, num_levels=lv, seed=seed)
    elif method == "sobol":
        from SALib.analyze import sobol as analyze
        from SALib.sample import sobol as sample

        nn = design["sobol_n"] if n is None else n
        if nn < 8 or nn > 65536 or nn & (nn - 1):
            raise ScenarioError("--n: a power of 2 between 8 and 65536")
        x = sample.sample(problem, nn, calc_second_order=False, seed=seed)
    else:
        raise ScenarioError(f"--method {method[:20]!r}: use morris or sobol")
    check_study(f"gsa {method}", len(x), run_cost(s).seconds, allow_long)
    values = np.where(logs, np.exp(x), x)
    toml = scenario_to_toml(s)
    tasks = []
    for row in values:
        tasks.append((toml, overrides(problem["names"], row), name))
    y = np.array(engine.map_tasks(evaluate, tasks, workers, scheduler))
    if method == "morris":
        res = analyze.analyze(problem, x, y, num_levels=lv, seed=seed)
        df = pd.DataFrame(
            {
                "parameter": problem["names"],
                "mu_star": res["mu_star"],
                "mu_star_conf": res["mu_star_conf"],
                "sigma": res["sigma"],
                "mu": res["mu"],
            }
        ).sort_values("mu_star", ascending=False)
    else:
        res = analyze.analyze(problem, y, calc_second_order=False, seed=seed)
        df = pd.DataFrame(
            {
                "parameter": problem["names"],
                "S1": res["S1"],
                "S1_conf": res["S1_conf"],
                "ST": res["ST"],
                "ST_conf": res["ST_conf"],
            }
        ).sort_values("ST", ascending=False)
    df.attrs["runs"] = len(y)
    return df.reset_index(drop=True)
