"""Many simulated people: between-person variability, their own missed doses, and bands.

Each person gets log-normal multipliers on clearance, volume, absorption, brain equilibration,
brain penetration and affinity (sizes in ``data/variability.toml``) and their own draw of which
doses with ``taken_probability < 1`` they take. Everyone shares one time grid and one PK
structure (:func:`model.core.plan`); :func:`model.core.run` solves the exact PK of a chunk of
people at once in their eigenbases and runs their binding loop in one compiled call.
Counterfactuals are not simulated here.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from . import core, response
from .budget import CHUNK, CHUNK_CELLS, check_budget
from .challenge import days_protected
from .drugs import DATA_DIR, Molecule, Parameter, parse_parameter
from .ligands import ANTAGONIST_ROLES
from .scenario import DoseEvent, Scenario, ScenarioError

BAND_QUANTILES = (0.05, 0.5, 0.95)
#: Bands summarise spread far wider than the binding step error, so people get coarser steps.
POPULATION_SUBSTEPS = 1
#: The per-person series that are summarised as bands.
OUTPUTS = ("reward", "occupancy_antagonist", "naltrexone_plasma_ng_per_ml", "respiratory_drive", "craving")


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


def person_molecules(base: dict[str, Molecule], rng: np.random.Generator,
                     species: set[str] | None = None) -> dict[str, Molecule]:
    """One person's molecules: each varied parameter times exp(eta), clipped to its bounds.

    Only the molecules in ``species`` (default: all) are varied; the others are shared unchanged.
    """
    out = {}
    for sid, m in base.items():
        if species is not None and sid not in species:
            out[sid] = m
            continue
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
    events: tuple[DoseEvent, ...] = ()  # every scheduled dose, sorted by time
    taken: np.ndarray | None = None     # [person, scheduled dose] bool
    observed: np.ndarray | None = None  # [person, observation] plasma naltrexone (ng/mL) at the asked output rows




def simulate_population(s: Scenario, n: int | None = None, observe: np.ndarray | None = None) -> PopulationResult:
    """Simulate ``n`` people (default ``options.population``) through the core and summarise them.

    ``observe``: output-row indices at which each person's plasma naltrexone is kept (``observed``).
    """
    n = s.options.population if n is None else n
    if n < 1:
        raise ScenarioError("options.population: give at least 1 person for a population run")
    check_budget(s, n)
    rng = np.random.default_rng(s.options.seed)
    base = core.scenario_molecules(s)
    full, taken = _scheduled_and_taken(s, n, rng)
    p = core.plan(s, full, base)
    t, out_idx = p.t_h, p.out_idx
    rp = core.response_values()
    agonist = [i for i, e in enumerate(full) if base[e.species].role not in ANTAGONIST_ROLES]
    ep_t = np.array([full[i].at_h for i in agonist])
    ep_w = np.array([response.challenge_window_h(full[i].route) for i in agonist])
    v0 = rp["craving_initial_tolerant"] if s.patient.opioid_tolerant else 0.0
    people_rows, cols_out, kept = [], {k: [] for k in OUTPUTS}, []
    used = {e.species for e in full} | set(p.species) | set(p.ligands)
    varied = [(sp, k) for sp in sorted(used) for k in base[sp].parameters if _omega(k) > 0]
    chunk = max(1, min(CHUNK, CHUNK_CELLS // (t.size * (len(p.system.names) + len(p.ligands)))))
    for start in range(0, n, chunk):
        size = min(chunk, n - start)
        mols_p = [person_molecules(base, rng, used) for _ in range(size)]
        r = core.run(p, mols_p, taken[start:start + size], counterfactual=False, max_substeps=POPULATION_SUBSTEPS)
        occ = r.bound[:, 0][:, :, r.ligands.is_antagonist].sum(axis=-1) / r.density[:, 0]
        reward = np.stack([x.reward[0] for x in r.responses])
        drive = np.stack([x.respiratory_drive for x in r.responses])
        plasma = r.plasma_ng_per_ml.get("naltrexone", np.zeros((size, t.size)))
        inc = np.stack([response.increment_and_area(t, reward, t0, w)[0] for t0, w in zip(ep_t, ep_w)], axis=-1) \
            if agonist else np.zeros((size, 0))
        craving = response.craving_curve(t[out_idx], ep_t, inc, v0, rp["craving_learning_rate"],
                                         taken[start:start + size][:, agonist])
        for key, arr in (("reward", reward[:, out_idx]), ("occupancy_antagonist", occ[:, out_idx]),
                         ("naltrexone_plasma_ng_per_ml", plasma[:, out_idx]), ("respiratory_drive", drive[:, out_idx]),
                         ("craving", craving)):
            cols_out[key].append(arr)
        protected = days_protected(t, occ)
        if observe is not None:
            kept.append(plasma[:, out_idx[observe]])
        for i in range(size):
            people_rows.append({
                "person": start + i,
                "doses_scheduled": len(full),
                "doses_taken": int(taken[start + i].sum()),
                "peak_reward": float(reward[i].max()),
                "min_respiratory_drive": float(drive[i].min()),
                "mean_occupancy_antagonist": float(occ[i].mean()),
                "days_protected": int(protected[i]),
                **{f"{sp}.{k}": mols_p[i][sp][k] for sp, k in varied},
            })
    bands = {"time_h": t[out_idx]}
    for key, parts in cols_out.items():
        if key == "craving" and not agonist:
            continue
        q = np.quantile(np.concatenate(parts), BAND_QUANTILES, axis=0)
        for name, row in zip(("p05", "p50", "p95"), q):
            bands[f"{key}_{name}"] = row
    bands = pd.DataFrame(bands)
    core.check_finite(bands)
    return PopulationResult(s, bands, pd.DataFrame(people_rows), tuple(full), taken,
                            np.concatenate(kept) if observe is not None else None)


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
