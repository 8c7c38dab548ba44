"""Run a scenario: doses -> PK -> competitive binding -> reward, with and without naltrexone."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from . import pk, receptor, response
from .budget import check_budget
from .drugs import DRUG_SPECIES, NALTREXONE_SPECIES, Molecule, molecules, response_parameters
from .scenario import DoseEvent, Scenario, ScenarioError, dose_events

SPECIES_DRUG = {v: k for k, v in DRUG_SPECIES.items()}
ANTAGONIST_ROLES = ("antagonist",)
#: Grid refinement after a dose, by how fast the route delivers (offsets in h).
_ONSET = np.array([10, 20, 40]) / 3600              # the first minute after a dose
_FAST = np.concatenate((_ONSET, (1 / 60) * 1.3 ** np.arange(21)))   # .. ~3 h
_ORAL = np.concatenate((_ONSET, (1 / 60) * 1.3 ** np.arange(26)))   # .. ~12 h
_SLOW = (10 / 60) * 1.5 ** np.arange(12)           # 10 min .. ~14 h
REFINE = {"iv": _FAST, "first_order": _ORAL, "alcohol": _ORAL, "xr_microspheres": _SLOW, "implant": _SLOW}


@dataclass(frozen=True)
class Curves:
    """Everything computed on the internal (refined) grid; `table` samples it at output times."""

    t_h: np.ndarray
    ligands: tuple[str, ...]
    bound: np.ndarray            # [2, time, ligand]: with, without naltrexone (per baseline receptor pool)
    receptor_density: np.ndarray  # [2, time] (1 = baseline)
    reward: np.ndarray           # [2, time]
    plasma_ng_per_ml: Mapping[str, np.ndarray]
    brain_nm: Mapping[str, np.ndarray]
    ethanol_blood_mg_per_dl: np.ndarray
    respiratory_drive: np.ndarray  # [time], with naltrexone (1 = normal breathing)
    opioid_tolerance: np.ndarray   # [time], 0 = naive .. 1 = chronic user
    craving: np.ndarray | None     # [2, time]: expected reward learnt from use episodes


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


def scenario_molecules(s: Scenario) -> dict[str, Molecule]:
    """All molecules with the scenario's parameter overrides applied."""
    return {k: m.with_overrides(s.parameters.get(k, {})) for k, m in molecules().items()}


def time_grid(s: Scenario, events: tuple[DoseEvent, ...], mols: Mapping[str, Molecule]) -> tuple[np.ndarray, np.ndarray]:
    """Internal grid (output times, dose times and refinement after each dose) and output indices."""
    out_t = np.arange(0.0, s.duration_h, s.step_h)
    out_t = np.round(np.append(out_t[out_t < s.duration_h - 1e-9], s.duration_h), 9)  # ends at duration_h
    parts = [out_t]
    for e in events:
        kind = mols[e.species].routes[e.route].kind
        parts.append(e.at_h + np.concatenate(([0.0], REFINE[kind])))
    t = np.unique(np.round(np.concatenate(parts), 9))
    t = t[t <= out_t[-1]]
    return t, np.searchsorted(t, out_t)


def binding_ligands(mols: Mapping[str, Molecule], brain: Mapping[str, np.ndarray], endorphin: np.ndarray) -> list[str]:
    names = [s for s in brain if mols[s].binds]
    if endorphin.any():
        names.append("endorphin")
    return names


def simulate(s: Scenario) -> Result:
    """Simulate a scenario and its counterfactual without naltrexone (DESIGN sections 2-4)."""
    check_budget(s)
    mols = scenario_molecules(s)
    events = dose_events(s)
    t, out_idx = time_grid(s, events, mols)
    sol = pk.solve_linear_pk(mols, events, s.patient, t)
    bac, endo = pk.solve_alcohol(mols["ethanol"], mols["endorphin"], events, s.patient, t)
    brain = dict(sol.brain_nm)
    ligands = binding_ligands(mols, brain, endo)
    if "endorphin" in ligands:
        brain["endorphin"] = endo
    conc = np.zeros((2, t.size, len(ligands)))
    for j, name in enumerate(ligands):
        conc[0, :, j] = brain[name]
        if name not in NALTREXONE_SPECIES:
            conc[1, :, j] = brain[name]
    kd = np.array([mols[n]["kd_nm"] for n in ligands])
    kon = np.array([mols[n]["kon_per_nm_per_h"] for n in ligands])
    tau = np.array([mols[n]["tau"] for n in ligands])
    rp = {k: p.value for k, p in response_parameters().items()}
    adaptation = (rp["upregulation_gain"], rp["downregulation_gain"], rp["receptor_turnover_per_h"]) if s.options.adaptation else None
    is_antagonist = np.array([mols[n].role in ANTAGONIST_ROLES for n in ligands], dtype=bool)
    if ligands:
        bound, density = receptor.bind(t, conc, kd, kon, 1.0, adaptation, is_antagonist)
    else:
        bound, density = np.zeros((2, t.size, 0)), np.ones((2, t.size))
    stim = response.stimulus(bound, tau)
    reward = response.reward_from_stimulus(stim, rp["hill_n"])
    tolerance = response.opioid_tolerance(t, stim[0], 1.0 if s.patient.opioid_tolerant else 0.0, rp)
    drive = response.respiratory_drive(stim[0], tolerance, mols["fentanyl"], rp)
    agonist_events = [e for e in events if mols[e.species].role not in ANTAGONIST_ROLES]
    challenges = response.challenges_table(
        t, reward[0], reward[1],
        [(SPECIES_DRUG[e.species], e.route, e.at_h, e.amount, mols[e.species].routes[e.route].dose_unit)
         for e in agonist_events],
        rp["blocked_ratio"],
    )
    craving = None
    if len(challenges):
        v0 = rp["craving_initial_tolerant"] if s.patient.opioid_tolerant else 0.0
        episodes = challenges["at_h"].to_numpy()
        craving = np.stack([response.craving_curve(t, episodes, challenges[col].to_numpy(), v0, rp["craving_learning_rate"])
                            for col in ("increment_with", "increment_without")])
    curves = Curves(t, tuple(ligands), bound, density, reward, sol.plasma_ng_per_ml, brain, bac, drive, tolerance, craving)
    table = _table(curves, mols, out_idx)
    check_finite(table.drop(columns="blockade_fraction"))
    population = None
    if s.options.population > 0:
        from .population import simulate_population  # population builds on this module

        population = simulate_population(s)
        table = pd.concat([table, population.bands.drop(columns="time_h")], axis=1)
    return Result(s, table, challenges, curves, mols, events, population)


def check_finite(table: pd.DataFrame) -> None:
    """Refuse a result with NaN or infinite values (blockade_fraction may be empty by definition)."""
    bad = [c for c in table if not np.isfinite(table[c].to_numpy(dtype=float)).all()]
    if bad:
        raise ScenarioError(f"scenario: the run gave non-finite values in {', '.join(bad[:3])}"
                            f"{' and more' if len(bad) > 3 else ''}; check very small or very large amounts and parameters")


def _table(c: Curves, mols: Mapping[str, Molecule], idx: np.ndarray) -> pd.DataFrame:
    cols: dict[str, np.ndarray] = {"time_h": c.t_h[idx]}
    for sp in NALTREXONE_SPECIES:
        cols[f"{sp}_plasma_ng_per_ml"] = c.plasma_ng_per_ml.get(sp, np.zeros(c.t_h.size))[idx]
    for sp, v in c.plasma_ng_per_ml.items():
        if sp not in NALTREXONE_SPECIES:
            cols[f"{sp}_plasma_ng_per_ml"] = v[idx]
    if c.ethanol_blood_mg_per_dl.any():
        cols["ethanol_blood_mg_per_dl"] = c.ethanol_blood_mg_per_dl[idx]
    antagonist = [j for j, n in enumerate(c.ligands) if mols[n].role in ANTAGONIST_ROLES]
    agonist = [j for j, n in enumerate(c.ligands) if mols[n].role not in ANTAGONIST_ROLES]
    b = c.bound[0][idx]
    dens = c.receptor_density[0][idx]
    cols["occupancy_antagonist"] = b[:, antagonist].sum(axis=1) / dens
    cols["occupancy_agonist"] = b[:, agonist].sum(axis=1) / dens
    for j, n in enumerate(c.ligands):
        cols[f"occupancy_{n}"] = b[:, j] / dens
    cols["receptor_density"] = dens
    cols["reward"] = c.reward[0][idx]
    cols["reward_without_naltrexone"] = c.reward[1][idx]
    cols["blockade_fraction"] = response.blockade_fraction(c.reward[0][idx], c.reward[1][idx])
    cols["respiratory_drive"] = c.respiratory_drive[idx]
    cols["opioid_tolerance"] = c.opioid_tolerance[idx]
    if c.craving is not None:
        cols["craving"] = c.craving[0][idx]
        cols["craving_without_naltrexone"] = c.craving[1][idx]
    return pd.DataFrame(cols)
