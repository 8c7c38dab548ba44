"""Many simulated people: between-person variability, their own missed doses, and bands.

Each person gets log-normal multipliers on clearance, volume, absorption, brain equilibration,
brain penetration and affinity (sizes in ``data/variability.toml``) and their own draw of which
doses with ``taken_probability < 1`` they take. Everyone shares one time grid and one PK
structure, so the exact PK is solved for all people at once in their eigenbases and the binding
loop runs over people in one compiled call. Counterfactuals are not simulated here.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from . import pk, receptor, response
from .budget import check_budget
from .drugs import DATA_DIR, Molecule, Parameter, parse_parameter, response_parameters
from .scenario import DoseEvent, Scenario, ScenarioError
from .simulation import ANTAGONIST_ROLES, check_finite, scenario_molecules, time_grid

BAND_QUANTILES = (0.05, 0.5, 0.95)
#: Bands summarise spread far wider than the binding step error, so people get coarser steps.
POPULATION_SUBSTEPS = 1
CHUNK = 100
#: People per chunk are also limited so that one chunk's arrays hold at most this many values each.
CHUNK_CELLS = 2_000_000


@cache
def variability() -> dict[str, Parameter]:
    """Omega (log-normal SD) per parameter kind."""
    raw = tomllib.loads((DATA_DIR / "variability.toml").read_text(encoding="utf-8"))
    return {n: parse_parameter("variability.toml", n, v) for n, v in raw["parameters"].items()}


def _omega(name: str) -> float:
    om = variability()
    if name.endswith("_ka_per_h"):
        return om["ka_per_h"].value
    return om[name].value if name in om else 0.0


def person_molecules(base: dict[str, Molecule], rng: np.random.Generator) -> dict[str, Molecule]:
    """One person's molecules: each varied parameter times exp(eta), clipped to its bounds."""
    out = {}
    for sid, m in base.items():
        over = {}
        for name, p in m.parameters.items():
            w = _omega(name)
            if w > 0:
                over[name] = min(max(p.value * math.exp(rng.normal(0.0, w)), p.min), p.max)
        out[sid] = m.with_overrides(over)
    return out


@dataclass(frozen=True)
class PopulationResult:
    """Bands (5th, 50th, 95th percentiles per output time) and one row per person."""

    scenario: Scenario
    bands: pd.DataFrame
    people: pd.DataFrame




def simulate_population(s: Scenario, n: int | None = None) -> PopulationResult:
    """Simulate ``n`` people (default ``options.population``) and summarise them."""
    n = s.options.population if n is None else n
    if n < 1:
        raise ScenarioError("options.population: give at least 1 person for a population run")
    check_budget(s, n)
    rng = np.random.default_rng(s.options.seed)
    base = scenario_molecules(s)
    full, taken = _scheduled_and_taken(s, n, rng)
    t, out_idx = time_grid(s, full, base)
    linear = [e for e in full if base[e.species].routes[e.route].kind != "alcohol"]
    species = pk.species_closure(sorted({e.species for e in linear}, key=list(base).index), base)
    ligands = [x for x in species if base[x].binds]
    bac, endo = pk.solve_alcohol(base["ethanol"], base["endorphin"], full, s.patient, t)
    if endo.any():
        ligands.append("endorphin")
    rp = {k: p.value for k, p in response_parameters().items()}
    adaptation = (rp["upregulation_gain"], rp["downregulation_gain"], rp["receptor_turnover_per_h"]) if s.options.adaptation else None
    is_antagonist = np.array([base[x].role in ANTAGONIST_ROLES for x in ligands], dtype=bool)
    tau = np.array([base[x]["tau"] for x in ligands])
    times = np.array(sorted({e.at_h for e in linear}))
    agonist_events = [e for e in full if base[e.species].role not in ANTAGONIST_ROLES]
    ep_t = np.array([e.at_h for e in agonist_events])
    ep_w = np.array([response.challenge_window_h(e.route) for e in agonist_events])

    people_rows, cols_out = [], {k: [] for k in ("reward", "occupancy_antagonist", "naltrexone_plasma_ng_per_ml",
                                                  "respiratory_drive", "craving")}
    v0 = rp["craving_initial_tolerant"] if s.patient.opioid_tolerant else 0.0
    # One PK structure for everyone: bolus vectors per scheduled dose, then who took it.
    sysm, _, inputs = pk.build_system(base, linear, s.patient.weight_kg)
    routes_used = list({(e.species, e.route, e.release_months): e for e in linear}.values())
    n_states = len(sysm.names)
    dose_vectors = np.zeros((len(linear), n_states))
    for j, (e, inp) in enumerate(zip(linear, inputs)):
        for state, frac in inp:
            dose_vectors[j, state] += frac * e.amount
    time_of_event = np.searchsorted(times, [e.at_h for e in linear])
    is_linear = np.array([base[e.species].routes[e.route].kind != "alcohol" for e in full], dtype=bool)
    taken_linear = taken[:, is_linear]
    rows = np.array([sysm.names.index(f"{x_sp}.effect") for x_sp in species if base[x_sp].binds]
                    + ([sysm.names.index("naltrexone.central")] if "naltrexone" in species else []), dtype=int)
    chunk = max(1, min(CHUNK, CHUNK_CELLS // (t.size * (n_states + len(ligands)))))
    for start in range(0, n, chunk):
        size = min(chunk, n - start)
        mols_p = [person_molecules(base, rng) for _ in range(size)]
        mats = []
        for mols in mols_p:
            # routes_used wires the same depots in the same order; bolus vectors are shared (dose_vectors)
            mats.append(pk.build_system(mols, routes_used, s.patient.weight_kg)[0].matrix())
        bolus = np.zeros((size, times.size, n_states))
        np.add.at(bolus, (slice(None), time_of_event), taken_linear[start:start + size, :, None] * dose_vectors[None])
        x = pk.propagate(np.stack(mats), t, times, bolus, rows) if times.size else np.zeros((size, t.size, 0))
        n_bind = len([y for y in species if base[y].binds])
        conc = np.zeros((size, t.size, len(ligands)))
        conc[:, :, :n_bind] = x[:, :, :n_bind]
        if "endorphin" in ligands:
            conc[:, :, -1] = endo
        kd = np.array([[m[y]["kd_nm"] for y in ligands] for m in mols_p])
        kon = np.array([[m[y]["kon_per_nm_per_h"] for y in ligands] for m in mols_p])
        bound, density = receptor.bind(t, conc, kd, kon, 1.0, adaptation, is_antagonist, max_substeps=POPULATION_SUBSTEPS)
        stim = response.stimulus(bound, tau)
        reward = response.reward_from_stimulus(stim, rp["hill_n"])
        occ = bound[:, :, is_antagonist].sum(axis=-1) / density
        plasma = (x[:, :, -1] * 1000.0 / np.array([m["naltrexone"]["v_central_l_per_kg"] * s.patient.weight_kg for m in mols_p])[:, None]
                  if "naltrexone" in species else np.zeros((size, t.size)))
        drive = np.empty_like(reward)
        t0 = 1.0 if s.patient.opioid_tolerant else 0.0
        for p in range(size):
            tol = response.opioid_tolerance(t, stim[p], t0, rp)
            drive[p] = response.respiratory_drive(stim[p], tol, base["fentanyl"], rp)
        inc = _increments(t, reward, ep_t, ep_w)
        took = taken[start:start + size][:, [full.index(e) for e in agonist_events]] if agonist_events else np.zeros((size, 0), bool)
        craving = _craving(t[out_idx], ep_t, inc, took, v0, rp["craving_learning_rate"])
        for key, arr in (("reward", reward[:, out_idx]), ("occupancy_antagonist", occ[:, out_idx]),
                         ("naltrexone_plasma_ng_per_ml", plasma[:, out_idx]), ("respiratory_drive", drive[:, out_idx]),
                         ("craving", craving)):
            cols_out[key].append(arr)
        for p in range(size):
            people_rows.append({
                "person": start + p,
                "doses_taken": int(taken[start + p].sum()),
                "peak_reward": float(reward[p].max()),
                "min_respiratory_drive": float(drive[p].min()),
                "mean_occupancy_antagonist": float(occ[p].mean()),
                "naltrexone_cl_l_per_h": mols_p[p]["naltrexone"]["cl_l_per_h"],
            })
    bands = {"time_h": t[out_idx]}
    for key, parts in cols_out.items():
        if key == "craving" and not agonist_events:
            continue
        arr = np.concatenate(parts)
        q = np.quantile(arr, BAND_QUANTILES, axis=0)
        for name, row in zip(("p05", "p50", "p95"), q):
            bands[f"{key}_{name}"] = row
    bands = pd.DataFrame(bands)
    check_finite(bands)
    return PopulationResult(s, bands, pd.DataFrame(people_rows))


def _scheduled_and_taken(s: Scenario, n: int, rng: np.random.Generator) -> tuple[list[DoseEvent], np.ndarray]:
    """Every scheduled dose (sorted by time) and, per person, whether it is taken: [people, doses]."""
    entries = []
    for d in s.doses:
        times = d.times_h()
        draws = rng.random((n, times.size)) < d.taken_probability if d.taken_probability < 1 else np.ones((n, times.size), bool)
        entries += [(DoseEvent(d.species, d.route, float(tt), d.amount, d.release_months), draws[:, j])
                    for j, tt in enumerate(times)]
    entries.sort(key=lambda x: x[0].at_h)
    taken = np.stack([m for _, m in entries], axis=1) if entries else np.zeros((n, 0), dtype=bool)
    return [e for e, _ in entries], taken


def _increments(t: np.ndarray, reward: np.ndarray, at_h: np.ndarray, window_h: np.ndarray) -> np.ndarray:
    """Peak reward increment of each episode for every person: [people, episodes]."""
    out = np.zeros((reward.shape[0], at_h.size))
    for e, (t0, w) in enumerate(zip(at_h, window_h)):
        i0 = int(np.searchsorted(t, t0 - 1e-9))
        i1 = int(np.searchsorted(t, t0 + w + 1e-9))
        seg = reward[:, i0:i1]
        out[:, e] = np.maximum(seg - seg[:, :1], 0.0).max(axis=1) if seg.shape[1] > 1 else 0.0
    return out


def _craving(t_out: np.ndarray, at_h: np.ndarray, inc: np.ndarray, took: np.ndarray, v0: float, alpha: float) -> np.ndarray:
    """Rescorla-Wagner expected reward per person on the output grid; skipped episodes do not teach."""
    values = np.empty((inc.shape[0], at_h.size + 1))
    values[:, 0] = v0
    for e in range(at_h.size):
        v = values[:, e]
        values[:, e + 1] = np.where(took[:, e], v + alpha * (inc[:, e] - v), v)
    return values[:, np.searchsorted(at_h, t_out, side="right")]  # episodes are sorted by time
