"""Event dataset in the NONMEM / nlmixr2 convention: one row per dose taken and per observation.

Columns ID, TIME (h), AMT (mg; g for alcohol), EVID (1 dose, 0 observation), CMT (each drug its
own depot 2 x DRUGN - 1 and central 2 x DRUGN; naltrexone 1 and 2), DV (plasma naltrexone, ng/mL,
simulated), MDV, then DRUG, ROUTE, UNIT, their numeric codes DRUGN and ROUTEN (legend in the
descriptor and ``python -m model columns``) and the covariates WT (kg), SEXF and TOL. People, their missed doses and their parameters are those of
the scenario's population run (same seed), so the dataset matches ``run --people``.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from .columns import drug_codes, route_codes
from .drugs import molecules
from .population import simulate_population
from .scenario import MAX_POPULATION, Scenario, ScenarioError

#: Observation records per person at most: every k-th output time, k as small as this allows.
MAX_OBSERVATIONS = 200
#: Rows of one event dataset at most (about 100 MB of CSV), checked before anything is simulated.
MAX_ROWS = 2_000_000
COLUMNS = (
    "ID",
    "TIME",
    "AMT",
    "EVID",
    "CMT",
    "DV",
    "MDV",
    "DRUG",
    "ROUTE",
    "UNIT",
    "DRUGN",
    "ROUTEN",
    "WT",
    "SEXF",
    "TOL",
)


def with_people(s: Scenario, people: int | None = None) -> Scenario:
    """The scenario with ``people`` in its population (default: its own population, at least 1)."""
    n = people if people is not None else max(s.options.population, 1)
    if not 1 <= n <= MAX_POPULATION:
        raise ScenarioError(f"--people: give 1..{MAX_POPULATION} people")
    return replace(s, options=replace(s.options, population=n))


def event_dataset(s: Scenario, people: int | None = None) -> pd.DataFrame:
    """The scenario's people as an event table sorted by ID, TIME, EVID (doses before observations)."""
    s = with_people(s, people)
    n = s.options.population
    rows_out = int(np.ceil(s.duration_h / s.step_h)) + 1
    obs_rows = np.arange(0, rows_out, -(-rows_out // MAX_OBSERVATIONS))
    rows = n * (sum(len(d.at_h) or d.count for d in s.doses) + obs_rows.size)
    if rows > MAX_ROWS:
        raise ScenarioError(
            f"events: {n:,} people would make {rows:,} rows (at most {MAX_ROWS:,}); ask for fewer people or doses"
        )
    pop = simulate_population(s, n, observe=obs_rows)
    t_out = pop.bands["time_h"].to_numpy()[obs_rows]
    cov = {"WT": s.patient.weight_kg, "SEXF": int(s.patient.sex == "female"), "TOL": int(s.patient.opioid_tolerant)}
    ev = pop.events
    drugn, routen = drug_codes(), route_codes()
    drug_of = [molecules()[e.species].drug for e in ev]
    observed = drugn["naltrexone"]
    parts = []
    for i in range(n):
        took = np.nonzero(pop.taken[i])[0]
        doses = pd.DataFrame(
            {
                "ID": i + 1,
                "TIME": [ev[j].at_h for j in took],
                "AMT": [ev[j].amount for j in took],
                "EVID": 1,
                "CMT": [2 * drugn[drug_of[j]] - (ev[j].route != "iv") for j in took],
                "DV": 0.0,
                "MDV": 1,
                "DRUG": [drug_of[j] for j in took],
                "ROUTE": [ev[j].route for j in took],
                "UNIT": ["g" if ev[j].species == "ethanol" else "mg" for j in took],
                "DRUGN": [drugn[drug_of[j]] for j in took],
                "ROUTEN": [routen[ev[j].route] for j in took],
            }
        )
        obs = pd.DataFrame(
            {
                "ID": i + 1,
                "TIME": t_out,
                "AMT": 0.0,
                "EVID": 0,
                "CMT": 2 * observed,
                "DV": pop.observed[i],
                "MDV": 0,
                "DRUG": "naltrexone",
                "ROUTE": "",
                "UNIT": "ng/mL",
                "DRUGN": observed,
                "ROUTEN": 0,
            }
        )
        parts += [doses, obs]
    table = pd.concat(parts, ignore_index=True).assign(**cov)
    table = table.sort_values(["ID", "TIME", "EVID"], ascending=[True, True, False], kind="stable")
    return table[list(COLUMNS)].reset_index(drop=True)
