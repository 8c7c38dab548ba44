"""Many simulated people: between-person variability, their own missed doses, and bands.

Each person gets log-normal multipliers on clearance, volume, absorption, brain equilibration,
brain penetration and affinity (sizes in ``data/variability.toml``) and their own draw of which
doses with ``taken_probability < 1`` they take. Everyone shares one time grid and one PK
structure (:func:`model.core.plan`); each chunk of people is one cohort (:func:`draw_cohort`)
whose exact PK, binding and responses :func:`model.core.run` computes in whole-array steps.
Counterfactuals are not simulated here.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from . import core, response
from .budget import CHUNK, CHUNK_CELLS, check_budget
from .challenge import days_protected
from .cohort import Cohort
from .drugs import DATA_DIR, Molecule, Parameter, parse_parameter
from .ligands import ANTAGONIST_ROLES
from .scenario import MAX_POPULATION, DoseEvent, Scenario, ScenarioError, checked, parse_scenario, scenario_to_dict

BAND_QUANTILES = (0.05, 0.5, 0.95)
#: Bands summarise spread far wider than the binding step error, so people get coarser steps: one
#: binding step per grid step, and every other refinement point after a dose (core.COARSE_STRIDE).
#: Against single runs of the same people this moves peak reward and lowest breathing by < 0.01
#: and mean occupancy by < 0.001 (tests/test_population.py); it halves the time of a population.
POPULATION_SUBSTEPS = 1
POPULATION_REFINE_STRIDE = core.COARSE_STRIDE
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


def plan_people(s: Scenario, events: Sequence[DoseEvent], base: Mapping[str, Molecule]) -> core.Plan:
    """The shared structure of a population run, on the population's coarser grid."""
    return core.plan(s, events, base, POPULATION_REFINE_STRIDE)


def run_people(p: core.Plan, people: Cohort, taken: np.ndarray, plasma_of: Sequence[str] = ()) -> core.Run:
    """A chunk of people through the core at the population's step: reward and breathing only, no counterfactual."""
    return core.run(
        p, people, taken, counterfactual=False, max_substeps=POPULATION_SUBSTEPS, everything=False, plasma_of=plasma_of
    )


def varied_species(p: core.Plan) -> set[str]:
    """The molecules whose parameters differ between people: the linear species and the binders.

    Everyone shares the alcohol kinetics (the plan's, solved once).
    """
    return set(p.species) | set(p.ligands)


def draw_cohort(
    base: Mapping[str, Molecule],
    rngs: np.random.Generator | Sequence[np.random.Generator],
    size: int,
    species: set[str] | None = None,
) -> Cohort:
    """``size`` people: each varied parameter times exp(eta), eta ~ N(0, omega^2), clipped to its bounds.

    Only the molecules in ``species`` (default: all) are varied. With one generator the people draw
    in turn from it; with one generator per person (``rngs``), each person draws from their own.
    """
    varied = tuple(
        (sp, k) for sp, m in base.items() if species is None or sp in species for k in m.parameters if _omega(k) > 0
    )
    omega = np.array([_omega(k) for _, k in varied])
    if isinstance(rngs, np.random.Generator):
        eta = rngs.standard_normal((size, len(varied))) * omega
    else:
        eta = np.stack([g.standard_normal(len(varied)) for g in rngs]).reshape(size, len(varied)) * omega
    p = [base[sp].parameters[k] for sp, k in varied]
    values = np.clip(np.array([x.value for x in p]) * np.exp(eta), [x.min for x in p], [x.max for x in p])
    return Cohort(base, size, varied, values)


@dataclass(frozen=True)
class PopulationResult:
    """Bands (5th, 50th, 95th percentiles per output time) and one row per person."""

    scenario: Scenario
    bands: pd.DataFrame
    people: pd.DataFrame
    events: tuple[DoseEvent, ...] = ()  # every scheduled dose, sorted by time
    taken: np.ndarray | None = None  # [person, scheduled dose] bool
    observed: np.ndarray | None = None  # [person, observation] plasma naltrexone (ng/mL) at the asked output rows

    def person_scenario(self, i: int) -> Scenario:
        """Person ``i`` alone: their drawn parameters as overrides and the doses they took at explicit times.

        ``simulate`` of it gives that person's curves (on a finer binding step than a population's).
        """
        raw = scenario_to_dict(self.scenario)
        params = {sp: dict(v) for sp, v in raw.get("parameters", {}).items()}
        row = self.people.iloc[i]
        for col in self.people.columns:
            if "." in col:
                sp, name = col.split(".", 1)
                params.setdefault(sp, {})[name] = float(row[col])
        mols = core.scenario_molecules(self.scenario)
        doses = []
        for e, took in zip(self.events, self.taken[i]):
            if took:
                drug = mols[e.species].drug
                dose = {
                    "drug": drug,
                    "route": e.route,
                    "amount_g" if drug == "alcohol" else "amount_mg": e.amount,
                    "at_h": [e.at_h],
                }
                doses.append({**dose, "release_months": e.release_months} if e.route == "implant" else dose)
        return parse_scenario(
            {
                **raw,
                "title": f"{self.scenario.title}: person {i}",
                "dose": doses,
                "parameters": params,
                "options": {**raw["options"], "population": 0},
            }
        )


def simulate_population(s: Scenario, n: int | None = None, observe: np.ndarray | None = None) -> PopulationResult:
    """Simulate ``n`` people (default ``options.population``) through the core and summarise them.

    ``observe``: output-row indices at which each person's plasma naltrexone is kept (``observed``).
    """
    s = checked(s)
    n = s.options.population if n is None else n
    if not isinstance(n, int) or not 1 <= n <= MAX_POPULATION:
        raise ScenarioError(f"options.population: give 1 to {MAX_POPULATION:,} people for a population run")
    check_budget(s, n)
    rng = np.random.default_rng(s.options.seed)
    base = core.scenario_molecules(s)
    full, taken = _scheduled_and_taken(s, n, rng)
    p = plan_people(s, full, base)
    t, out_idx = p.t_h, p.out_idx
    rp = core.response_values()
    agonist = [i for i, e in enumerate(full) if base[e.species].role not in ANTAGONIST_ROLES]
    ep_t = np.array([full[i].at_h for i in agonist])
    ep_w = np.array([response.challenge_window_h(full[i].route) for i in agonist])
    v0 = rp["craving_initial_tolerant"] if s.patient.opioid_tolerant else 0.0
    people_cols: dict[str, list[np.ndarray]] = {}
    kept = []
    series = {k: np.empty((out_idx.size, n)) for k in OUTPUTS if k != "craving" or agonist}  # [time, person]
    used = varied_species(p)
    chunk = max(1, min(CHUNK, CHUNK_CELLS // (t.size * (len(p.system.names) + len(p.ligands)))))
    for start in range(0, n, chunk):
        size = min(chunk, n - start)
        cohort = draw_cohort(base, rng, size, used)
        r = run_people(p, cohort, taken[start : start + size], plasma_of=("naltrexone",))
        occ = r.occupancy_antagonist()
        reward, drive = r.response.reward[:, 0], r.response.respiratory_drive
        plasma = r.plasma_ng_per_ml.get("naltrexone", np.zeros((size, t.size)))
        inc = response.increments(t, reward, ep_t, ep_w)
        craving = response.craving_curve(
            t[out_idx], ep_t, inc, v0, rp["craving_learning_rate"], taken[start : start + size][:, agonist]
        )
        for key, arr in (
            ("reward", reward[:, out_idx]),
            ("occupancy_antagonist", occ[:, out_idx]),
            ("naltrexone_plasma_ng_per_ml", plasma[:, out_idx]),
            ("respiratory_drive", drive[:, out_idx]),
            ("craving", craving),
        ):
            if key in series:
                series[key][:, start : start + size] = arr.T
        if observe is not None:
            kept.append(plasma[:, out_idx[observe]])
        for key, col in {
            "person": np.arange(start, start + size),
            "doses_scheduled": np.full(size, len(full)),
            "doses_taken": taken[start : start + size].sum(axis=1),
            "peak_reward": reward.max(axis=1),
            "min_respiratory_drive": drive.min(axis=1),
            "mean_occupancy_antagonist": np.trapezoid(occ, t, axis=1) / (t[-1] - t[0]),
            "days_protected": days_protected(t, occ).astype(int),
            **{f"{sp}.{k}": cohort.values[:, j] for j, (sp, k) in enumerate(cohort.varied)},
        }.items():
            people_cols.setdefault(key, []).append(col)
    bands = {"time_h": t[out_idx]}
    for key, x in series.items():
        for name, row in zip(("p05", "p50", "p95"), _quantiles(x, BAND_QUANTILES)):
            bands[f"{key}_{name}"] = row
    bands = pd.DataFrame(bands)
    core.check_finite(bands)
    people = pd.DataFrame({key: np.concatenate(parts) for key, parts in people_cols.items()})
    return PopulationResult(s, bands, people, tuple(full), taken, np.concatenate(kept) if observe is not None else None)


def _quantiles(x: np.ndarray, q: Sequence[float]) -> np.ndarray:
    """Quantiles [q, time] across people of x [time, person], as ``np.quantile`` (linear); sorts x in place.

    Each time is sorted once; a time whose values repeat the previous time's (craving between use
    episodes, anything before the first dose) reuses its quantiles.
    """
    new = np.ones(x.shape[0], dtype=bool)
    new[1:] = np.any(x[1:] != x[:-1], axis=1)
    s = x if new.all() else x[new]
    s.sort(axis=1)
    pos = np.asarray(q) * (s.shape[1] - 1)
    lo = np.floor(pos).astype(int)
    frac = pos - lo
    a, b = s[:, lo], s[:, np.minimum(lo + 1, s.shape[1] - 1)]
    return np.where(frac >= 0.5, b - (b - a) * (1 - frac), a + (b - a) * frac)[np.cumsum(new) - 1].T


def _scheduled_and_taken(s: Scenario, n: int, rng: np.random.Generator) -> tuple[list[DoseEvent], np.ndarray]:
    """Every scheduled dose (sorted by time) and, per person, whether it is taken: [people, doses]."""
    entries = []
    for d in s.doses:
        times = d.times_h()
        draws = (
            rng.random((n, times.size)) < d.taken_probability
            if d.taken_probability < 1
            else np.ones((n, times.size), bool)
        )
        entries += [
            (DoseEvent(d.species, d.route, float(tt), d.amount, d.release_months), draws[:, j])
            for j, tt in enumerate(times)
        ]
    entries.sort(key=lambda x: x[0].at_h)
    taken = np.stack([m for _, m in entries], axis=1) if entries else np.zeros((n, 0), dtype=bool)
    return [e for e, _ in entries], taken
