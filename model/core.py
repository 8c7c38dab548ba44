"""One simulation core over a people axis: doses -> exact PK -> kinetic binding -> responses.

A single run is one person, with the counterfactual run without naltrexone; a population is
many people, each with their own molecules and their own taken doses (:mod:`model.population`).
The core knows nothing of populations: it is handed a cohort (the molecules of each person,
:mod:`model.cohort`) and which of the scheduled doses each person took. Equations: docs/model.md.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import pk, receptor, response
from .cohort import Cohort
from .drugs import NALTREXONE_SPECIES, Molecule, molecules, response_parameters
from .ligands import LigandSet, held_share
from .scenario import DoseEvent, Scenario, ScenarioError

#: Grid refinement after a dose, by how fast the route delivers (offsets in h).
_ONSET = np.array([10, 20, 40]) / 3600  # the first minute after a dose
_FAST = np.concatenate((_ONSET, (1 / 60) * 1.3 ** np.arange(21)))  # .. ~3 h
_ORAL = np.concatenate((_ONSET, (1 / 60) * 1.3 ** np.arange(26)))  # .. ~12 h
_SLOW = (10 / 60) * 1.5 ** np.arange(12)  # 10 min .. ~14 h
REFINE = {"iv": _FAST, "first_order": _ORAL, "alcohol": _ORAL, "xr_microspheres": _SLOW, "implant": _SLOW}


def scenario_molecules(s: Scenario) -> dict[str, Molecule]:
    """All molecules with the scenario's parameter overrides applied (the registry's own where none are)."""
    return {k: m.with_overrides(s.parameters[k]) if s.parameters.get(k) else m for k, m in molecules().items()}


def response_values() -> dict[str, float]:
    """Values of the shared response parameters (data/response.toml) by name."""
    return {k: p.value for k, p in response_parameters().items()}


COARSE_STRIDE = 2  # the refinement of runs that summarise many people (model.population)
DENSE_IV_H = 1.0  # ... which keep every point this long after an intravenous dose


def refinement(kind: str, stride: int = 1) -> np.ndarray:
    """Grid offsets (h) after a dose of route ``kind``.

    ``stride`` 2 keeps every other one, except in the first hour after an intravenous dose, whose
    peak effects come within minutes.
    """
    r = REFINE[kind]
    return r[(np.arange(r.size) % stride == 0) | (r <= (DENSE_IV_H if kind == "iv" else 0.0))]


def time_grid(
    s: Scenario, events: Sequence[DoseEvent], mols: Mapping[str, Molecule], refine_stride: int = 1
) -> tuple[np.ndarray, np.ndarray]:
    """Internal grid (output times, dose times and refinement after each dose) and output indices.

    ``refine_stride``: see :func:`refinement`.
    """
    out_t = np.arange(0.0, s.duration_h, s.step_h)
    out_t = np.round(np.append(out_t[out_t < s.duration_h - 1e-9], s.duration_h), 9)  # ends at duration_h
    parts = [out_t]
    for e in events:
        kind = mols[e.species].routes[e.route].kind
        parts.append(e.at_h + np.concatenate(([0.0], refinement(kind, refine_stride))))
    t = np.unique(np.round(np.concatenate(parts), 9))
    t = t[t <= out_t[-1]]
    return t, np.searchsorted(t, out_t)


@dataclass(frozen=True)
class Plan:
    """What everyone in a run shares: doses, time grid, PK structure, ligands, and alcohol."""

    scenario: Scenario
    events: tuple[DoseEvent, ...]  # every scheduled dose, sorted by time
    t_h: np.ndarray
    out_idx: np.ndarray
    species: tuple[str, ...]  # linear species, metabolites included
    ligands: tuple[str, ...]  # species that bind (+ endorphin when alcohol releases it)
    system: pk.LinearPK  # state names of the shared PK structure
    wiring: tuple[DoseEvent, ...]  # one dose per distinct depot wiring, in the system's order
    linear: np.ndarray  # indices of the events solved by linear PK (all but alcohol)
    dose_vectors: np.ndarray  # [linear event, state] amount each dose puts into each state
    dose_times: np.ndarray  # distinct times of linear doses (h)
    event_time_index: np.ndarray  # [linear event] index into dose_times
    ethanol_blood_mg_per_dl: np.ndarray
    endorphin_nm: np.ndarray


def plan(s: Scenario, events: Sequence[DoseEvent], mols: Mapping[str, Molecule], refine_stride: int = 1) -> Plan:
    """The shared structure of a run of ``events`` (sorted by time) with molecules ``mols``."""
    events = tuple(events)
    t, out_idx = time_grid(s, events, mols, refine_stride)
    linear = np.array([i for i, e in enumerate(events) if mols[e.species].routes[e.route].kind != "alcohol"], dtype=int)
    lin_events = [events[i] for i in linear]
    system, species, inputs = pk.build_system(mols, lin_events, s.patient.weight_kg)
    vectors = np.zeros((len(lin_events), len(system.names)))
    for j, inp in enumerate(inputs):
        for state, frac in inp:
            vectors[j, state] += frac * lin_events[j].amount
    times = np.array(sorted({e.at_h for e in lin_events}))
    bac, endo = pk.solve_alcohol(mols["ethanol"], mols["endorphin"], events, s.patient, t)
    ligands = [x for x in species if mols[x].binds] + (["endorphin"] if endo.any() else [])
    wiring = tuple({(e.species, e.route, e.release_months): e for e in lin_events}.values())
    return Plan(
        s,
        events,
        t,
        out_idx,
        tuple(species),
        tuple(ligands),
        system,
        wiring,
        linear,
        vectors,
        times,
        np.searchsorted(times, [e.at_h for e in lin_events]).astype(int),
        bac,
        endo,
    )


@dataclass(frozen=True)
class Run:
    """Outputs for P people; R runs each (with naltrexone, and without it when asked)."""

    plasma_ng_per_ml: Mapping[str, np.ndarray]  # species -> [P, time]
    brain_nm: Mapping[str, np.ndarray]  # ligand -> [P, time], unbound brain level
    ligands: LigandSet  # per-person constants [P, ligand]
    bound: np.ndarray  # [P, R, time, ligand] per baseline receptor pool
    density: np.ndarray  # [P, R, time]
    response: response.Responses  # [P, ...]

    def occupancy_antagonist(self) -> np.ndarray:
        """Share of the receptors held by the antagonists in the run with naltrexone [P, time]."""
        return held_share(self.bound[:, 0], self.density[:, 0], self.ligands.is_antagonist)


def run(
    p: Plan,
    people: Cohort,
    taken: np.ndarray,
    counterfactual: bool,
    max_substeps: int = receptor.MAX_SUBSTEPS,
    everything: bool = True,
    plasma_of: Collection[str] | None = None,
    until_h: np.ndarray | None = None,
) -> Run:
    """Simulate everyone in ``people`` given ``taken`` [person, event] (bool).

    ``everything`` False leaves out the responses that are neither reward nor breathing;
    ``plasma_of`` names the species whose plasma levels are kept (default: all); ``until_h``
    [person] the time up to which each person's receptors and responses are needed (later: NaN).
    """
    s, t = p.scenario, p.t_h
    n = len(people)
    w = s.patient.weight_kg
    view = people.view()
    system = p.system if not people.varied and people.base is p.system.mols else pk.build_system(view, p.wiring, w)[0]
    mats = np.broadcast_to(system.matrix(), (n,) + (len(p.system.names),) * 2)
    taken_amounts = np.asarray(taken, dtype=float)[:, p.linear, None] * p.dose_vectors[None]  # [P, dose, state]
    bolus = (
        np.add.reduceat(taken_amounts, np.flatnonzero(np.diff(p.event_time_index, prepend=-1)), axis=1)
        if p.dose_times.size
        else np.zeros((n, 0, len(p.system.names)))
    )  # summed per dose time
    binders = [x for x in p.ligands if x != "endorphin"]  # endorphin, when released, is the last ligand
    kept = [x for x in p.species if plasma_of is None or x in plasma_of]
    rows, columns = pk.read_rows(p.system, binders, kept)
    width = len(binders) + len(kept)
    x = (
        pk.propagate(mats, t, p.dose_times, bolus, rows, columns, width)
        if p.dose_times.size
        else np.zeros((n, t.size, width))
    )  # [P, time, binder brain levels then plasma amounts]
    brain = {name: x[:, :, k] for k, name in enumerate(binders)}
    plasma = {
        sp: x[:, :, len(binders) + j] * 1000.0 / np.broadcast_to(view[sp]["v_central_l_per_kg"] * w, (n,))[:, None]
        for j, sp in enumerate(kept)
    }
    if "endorphin" in p.ligands:
        brain["endorphin"] = np.broadcast_to(p.endorphin_nm, (n, t.size))
    lig = LigandSet.of(p.ligands, people)
    # [run, person, time, ligand]: each run's people side by side, so that people who take the same
    # doses until one of their own share the binding steps until then (receptor.bind)
    if counterfactual or "endorphin" in p.ligands:
        conc = np.zeros((2 if counterfactual else 1, n, t.size, len(p.ligands)))
        for j, name in enumerate(p.ligands):
            conc[0, :, :, j] = brain[name]
            if counterfactual and name not in NALTREXONE_SPECIES:
                conc[1, :, :, j] = brain[name]
    else:
        conc = x[None, :, :, : len(binders)]  # the brain levels as they are, without a copy
    rp = response_values()
    if p.ligands:
        adapt = (
            (rp["upregulation_gain"], rp["downregulation_gain"], rp["receptor_turnover_per_h"])
            if s.options.adaptation
            else None
        )
        bound, density = receptor.bind(
            t,
            conc,
            lig.kd_nm[None],
            lig.kon_per_nm_per_h[None],
            1.0,
            adapt,
            lig.is_antagonist,
            max_substeps=max_substeps,
            until_index=None
            if until_h is None
            else np.minimum(np.searchsorted(t, np.asarray(until_h, dtype=float) - 1e-9), t.size - 1)[None],
        )
    else:
        bound, density = np.zeros(conc.shape), np.ones(conc.shape[:-1])
    bound, density = bound.swapaxes(0, 1), density.swapaxes(0, 1)  # [person, run, ...]
    endo = p.endorphin_nm if "endorphin" in p.ligands else None
    return Run(
        plasma,
        brain,
        lig,
        bound,
        density,
        response.respond(
            t,
            bound,
            density,
            lig,
            rp,
            s.patient.opioid_tolerant,
            endo,
            people,
            everything,
            p.ethanol_blood_mg_per_dl if p.ethanol_blood_mg_per_dl.any() else None,
        ),
    )


def check_finite(table: pd.DataFrame, may_be_empty: tuple[str, ...] = ()) -> None:
    """Refuse a result with NaN or infinite values, except in the columns ``may_be_empty`` by definition."""
    finite = np.isfinite(table.to_numpy(dtype=float)).all(axis=0)  # one pass over the whole table
    bad = [c for c, ok in zip(table.columns, finite) if not ok and c not in may_be_empty]
    if bad:
        raise ScenarioError(
            f"scenario: the run gave non-finite values in {', '.join(bad[:3])}"
            f"{' and more' if len(bad) > 3 else ''}; check very small or very large amounts and parameters"
        )
