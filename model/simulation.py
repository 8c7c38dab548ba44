"""Run a scenario: doses -> PK -> competitive binding -> reward, with and without naltrexone."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import pk, receptor, response
from .drugs import DRUG_SPECIES, NALTREXONE_SPECIES, Molecule, molecules, response_parameters
from .scenario import DoseEvent, Scenario, dose_events

SPECIES_DRUG = {v: k for k, v in DRUG_SPECIES.items()}
ANTAGONIST_ROLES = ("antagonist",)
#: Grid refinement after a dose, by how fast the route delivers (offsets in h).
_FAST = (1 / 60) * 1.3 ** np.arange(21)            # 1 min .. ~3 h
_ORAL = (1 / 60) * 1.3 ** np.arange(26)            # 1 min .. ~12 h
_SLOW = (10 / 60) * 1.5 ** np.arange(12)           # 10 min .. ~14 h
REFINE = {"iv": _FAST, "first_order": _ORAL, "alcohol": _ORAL, "xr_microspheres": _SLOW, "implant": _SLOW}


@dataclass(frozen=True)
class Curves:
    """Everything computed on the internal (refined) grid; `table` samples it at output times."""

    t_h: np.ndarray
    ligands: tuple[str, ...]
    bound: np.ndarray            # [2, time, ligand]: with, without naltrexone
    receptor_density: np.ndarray  # [time]
    reward: np.ndarray           # [2, time]
    plasma_ng_per_ml: Mapping[str, np.ndarray]
    brain_nm: Mapping[str, np.ndarray]
    ethanol_blood_mg_per_dl: np.ndarray


@dataclass(frozen=True)
class Result:
    """Output of :func:`simulate`: the table (one row per output time), challenges, and internals."""

    scenario: Scenario
    table: pd.DataFrame
    challenges: pd.DataFrame
    curves: Curves
    molecules: Mapping[str, Molecule]
    events: tuple[DoseEvent, ...]


def scenario_molecules(s: Scenario) -> dict[str, Molecule]:
    """All molecules with the scenario's parameter overrides applied."""
    return {k: m.with_overrides(s.parameters.get(k, {})) for k, m in molecules().items()}


def time_grid(s: Scenario, events: tuple[DoseEvent, ...], mols: Mapping[str, Molecule]) -> tuple[np.ndarray, np.ndarray]:
    """Internal grid (output times, dose times and refinement after each dose) and output indices."""
    n_out = int(round(s.duration_h / s.step_h))
    out_t = np.round(np.linspace(0.0, n_out * s.step_h, n_out + 1), 9)
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
    density = np.ones(t.size)
    bound = receptor.bind(t, conc, kd, kon, density) if ligands else np.zeros((2, t.size, 0))
    hill = response_parameters()["hill_n"].value
    reward = response.reward_from_stimulus(response.stimulus(bound, tau), hill)
    curves = Curves(t, tuple(ligands), bound, density, reward, sol.plasma_ng_per_ml, brain, bac)
    table = _table(curves, mols, out_idx)
    challenges = response.challenges_table(
        t, reward[0], reward[1],
        [(SPECIES_DRUG[e.species], e.route, e.at_h, e.amount, mols[e.species].routes[e.route].dose_unit)
         for e in events if e.species not in NALTREXONE_SPECIES and mols[e.species].role != "antagonist"],
        response_parameters()["blocked_ratio"].value,
    )
    return Result(s, table, challenges, curves, mols, events)


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
    cols["occupancy_antagonist"] = b[:, antagonist].sum(axis=1) / c.receptor_density[idx]
    cols["occupancy_agonist"] = b[:, agonist].sum(axis=1) / c.receptor_density[idx]
    for j, n in enumerate(c.ligands):
        cols[f"occupancy_{n}"] = b[:, j] / c.receptor_density[idx]
    cols["receptor_density"] = c.receptor_density[idx]
    cols["reward"] = c.reward[0][idx]
    cols["reward_without_naltrexone"] = c.reward[1][idx]
    cols["blockade_fraction"] = response.blockade_fraction(c.reward[0][idx], c.reward[1][idx])
    return pd.DataFrame(cols)
