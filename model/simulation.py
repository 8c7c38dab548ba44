"""Run a scenario: doses -> PK -> competitive binding -> reward, with and without naltrexone."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from . import core, response
from .budget import check_budget
from .cohort import Cohort
from .core import check_finite, scenario_molecules
from .drugs import NALTREXONE_SPECIES, Molecule, response_parameters
from .ligands import ANTAGONIST_ROLES, antagonist_mask, held_share
from .population import simulate_population
from .scenario import DoseEvent, Scenario, checked, dose_events


@dataclass(frozen=True)
class Curves:
    """Everything computed on the internal (refined) grid; `table` samples it at output times."""

    t_h: np.ndarray
    ligands: tuple[str, ...]
    bound: np.ndarray  # [2, time, ligand]: with, without naltrexone (per baseline receptor pool)
    receptor_density: np.ndarray  # [2, time] (1 = baseline)
    plasma_ng_per_ml: Mapping[str, np.ndarray]
    brain_nm: Mapping[str, np.ndarray]
    ethanol_blood_mg_per_dl: np.ndarray
    responses: response.Responses  # reward [2, time], breathing, tolerance, dependence, withdrawal
    craving: np.ndarray | None  # [2, time]: expected reward learnt from use episodes

    @property
    def reward(self) -> np.ndarray:
        return self.responses.reward


@dataclass(frozen=True)
class Result:
    """Output of :func:`simulate`: the table (one row per output time), challenges, and internals."""

    scenario: Scenario
    table: pd.DataFrame
    challenges: pd.DataFrame
    curves: Curves
    molecules: Mapping[str, Molecule]
    events: tuple[DoseEvent, ...]
    population: Any = None  # PopulationResult when options.population > 0


def simulate(s: Scenario) -> Result:
    """Simulate a scenario and its counterfactual without naltrexone (docs/model.md)."""
    s = checked(s)
    check_budget(s)
    mols = scenario_molecules(s)
    events = dose_events(s)
    p = core.plan(s, events, mols)
    r = core.run(p, Cohort.alike(mols), np.ones((1, len(events)), dtype=bool), counterfactual=True)
    t, resp = p.t_h, r.response.person(0)
    agonist_events = [e for e in events if mols[e.species].role not in ANTAGONIST_ROLES]
    rp = core.response_values()
    challenges = response.challenges_table(
        t,
        resp.reward[0],
        resp.reward[1],
        [
            (mols[e.species].drug or e.species, e.route, e.at_h, e.amount, mols[e.species].routes[e.route].dose_unit)
            for e in agonist_events
        ],
        rp["blocked_ratio"],
    )
    craving = None
    if len(challenges):
        v0 = rp["craving_initial_tolerant"] if s.patient.opioid_tolerant else 0.0
        episodes = challenges["at_h"].to_numpy()
        craving = np.stack(
            [
                response.craving_curve(t, episodes, challenges[col].to_numpy(), v0, rp["craving_learning_rate"])
                for col in ("increment_with", "increment_without")
            ]
        )
    curves = Curves(
        t,
        p.ligands,
        r.bound[0],
        r.density[0],
        {k: v[0] for k, v in r.plasma_ng_per_ml.items()},
        {k: v[0] for k, v in r.brain_nm.items()},
        p.ethanol_blood_mg_per_dl,
        resp,
        craving,
    )
    _freeze(curves)
    table = _table(curves, mols, p.out_idx)
    check_finite(table, may_be_empty=("blockade_fraction",))
    population = None
    if s.options.population > 0:
        population = simulate_population(s)
        table = pd.concat([table, population.bands.drop(columns="time_h")], axis=1)
    return Result(s, table, challenges, curves, mols, events, population)


def _freeze(c: Curves) -> None:
    """Make every array of a result read-only: results may be shared (cached) between users."""
    arrays = [
        c.t_h,
        c.bound,
        c.receptor_density,
        c.ethanol_blood_mg_per_dl,
        *c.plasma_ng_per_ml.values(),
        *c.brain_nm.values(),
        *(v for v in vars(c.responses).values()),
        *([] if c.craving is None else [c.craving]),
    ]
    for a in arrays:
        a.flags.writeable = False


def _table(c: Curves, mols: Mapping[str, Molecule], idx: np.ndarray) -> pd.DataFrame:
    cols: dict[str, np.ndarray] = {"time_h": c.t_h[idx]}
    for sp in NALTREXONE_SPECIES:
        cols[f"{sp}_plasma_ng_per_ml"] = c.plasma_ng_per_ml.get(sp, np.zeros(c.t_h.size))[idx]
    for sp, v in c.plasma_ng_per_ml.items():
        if sp not in NALTREXONE_SPECIES:
            cols[f"{sp}_plasma_ng_per_ml"] = v[idx]
    if c.ethanol_blood_mg_per_dl.any():
        cols["ethanol_blood_mg_per_dl"] = c.ethanol_blood_mg_per_dl[idx]
    antagonist = antagonist_mask(c.ligands, mols)
    b = c.bound[0][idx]
    dens = c.receptor_density[0][idx]
    cols["occupancy_antagonist"] = held_share(b, dens, antagonist)
    cols["occupancy_agonist"] = held_share(b, dens, ~antagonist)
    for j, n in enumerate(c.ligands):
        cols[f"occupancy_{n}"] = b[:, j] / dens
    cols["receptor_density"] = dens
    r = c.responses
    cols["reward"] = r.reward[0][idx]
    cols["reward_opioid"] = r.reward_opioid[0][idx]
    cols["reward_without_naltrexone"] = r.reward[1][idx]
    cols["blockade_fraction"] = response.blockade_fraction(r.reward[0][idx], r.reward[1][idx])
    cols["respiratory_drive"] = r.respiratory_drive[idx]
    cols["respiratory_drive_isohypercapnic"] = r.respiratory_drive_isohypercapnic[idx]
    rp = {k: v.value for k, v in response_parameters().items()}
    cols["opioid_tolerance"] = response.relative_tolerance(r.opioid_tolerance[idx], "resp_tolerance", rp)
    cols["reward_tolerance"] = response.relative_tolerance(r.reward_tolerance[idx], "reward_tolerance", rp)
    cols["physical_dependence"] = r.physical_dependence[idx]
    cols["precipitated_withdrawal"] = r.precipitated_withdrawal[idx]
    if c.craving is not None:
        cols["craving"] = c.craving[0][idx]
        cols["craving_without_naltrexone"] = c.craving[1][idx]
    values = np.empty((idx.size, len(cols)))  # one block of floats: cheap to build, copy and slice
    for j, v in enumerate(cols.values()):
        values[:, j] = v
    return pd.DataFrame(values, columns=list(cols))
