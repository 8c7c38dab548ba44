"""Virtual trials: arms (scenarios) given to simulated people, one endpoint per person, a CI per arm.

Person ``i`` of arm ``a`` draws their parameters and missed doses from their own generator,
seeded with ``(seed, a, i)``, so a result does not depend on how the people are cut into chunks or
on which engine runs them (:mod:`model.engine`). Each chunk is one budgeted run: at most
``CHUNK`` people through the scenario's validated limits.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import core, engine, population
from .budget import check_study, run_cost
from .challenge import days_protected, protection_occupancy
from .scenario import Scenario, ScenarioError, loads_scenario, scenario_to_toml, whole_day

CHUNK = population.CHUNK
MAX_PEOPLE = 10_000_000
#: Per-person endpoints; ``blocked_on_day:D`` is 1 when the person's lowest antagonist occupancy on
#: day D stays at or above the level that blocks 25 mg IV heroin (challenge.protection_occupancy).
ENDPOINTS = ("days_protected", "blocked_on_day:D", "peak_reward", "lowest_breathing")


def check_endpoint(endpoint: str, duration_h: float) -> None:
    """Refuse an unknown endpoint or a day outside the run, naming it."""
    if endpoint in ("days_protected", "peak_reward", "lowest_breathing"):
        return
    if endpoint.startswith("blocked_on_day:"):
        whole_day(endpoint.split(":", 1)[1], f"--endpoint {endpoint[:40]!r}", duration_h)
        return
    raise ScenarioError(f"--endpoint {endpoint[:40]!r}: use one of {', '.join(ENDPOINTS)}")


def people_chunk(task: tuple[str, int, int, int, int, str]) -> np.ndarray:
    """Endpoint values of people ``start..stop-1`` of arm ``arm`` (scenario TOML text), seeded per person."""
    toml, seed, arm, start, stop, endpoint = task
    s = loads_scenario(toml)
    base = core.scenario_molecules(s)
    rngs = [np.random.default_rng([seed, arm, i]) for i in range(start, stop)]
    drawn = [population._scheduled_and_taken(s, 1, g) for g in rngs]
    events = drawn[0][0]
    taken = np.concatenate([t for _, t in drawn], axis=0)
    p = population.plan_people(s, events, base)
    r = population.run_people(p, population.draw_cohort(base, rngs, len(rngs), population.varied_species(p)), taken)
    t = p.t_h
    if endpoint == "peak_reward":
        return r.response.reward[:, 0].max(axis=1)
    if endpoint == "lowest_breathing":
        return r.response.respiratory_drive.min(axis=1)
    occ = r.occupancy_antagonist()
    if endpoint == "days_protected":
        return days_protected(t, occ).astype(float)
    day = int(endpoint.split(":", 1)[1])
    m = (t >= 24.0 * (day - 1)) & (t <= 24.0 * day)
    return (occ[:, m].min(axis=1) >= protection_occupancy()).astype(float)


def tasks(arms: list[Scenario], people: int, endpoint: str, seed: int, chunk: int = CHUNK) -> list[tuple]:
    """The chunks of a trial: (TOML, seed, arm, start, stop, endpoint), at most ``chunk`` people each."""
    if not 1 <= people <= MAX_PEOPLE:
        raise ScenarioError(f"--people: give 1..{MAX_PEOPLE:,} people per arm")
    if not 1 <= chunk <= CHUNK:
        raise ScenarioError(f"--chunk: give 1..{CHUNK} people per task (the per-run budget)")
    for s in arms:
        check_endpoint(endpoint, s.duration_h)
    return [
        (scenario_to_toml(s), seed, a, i, min(i + chunk, people), endpoint)
        for a, s in enumerate(arms)
        for i in range(0, people, chunk)
    ]


@dataclass(frozen=True)
class Trial:
    """Per-person values and a summary per arm (mean, 95 % CI across people), with timing."""

    values: list[np.ndarray]
    summary: pd.DataFrame
    seconds: float

    @property
    def runs_per_s(self) -> float:
        """Simulated people per second."""
        return sum(v.size for v in self.values) / self.seconds


def endpoint_range(endpoint: str, duration_h: float) -> tuple[float, float]:
    """The values an endpoint can take: a share or a 0-1 signal, or 0..days for days_protected."""
    return (0.0, float(math.ceil(duration_h / 24 - 1e-9))) if endpoint == "days_protected" else (0.0, 1.0)


def summarise(arms: list[Scenario], values: list[np.ndarray], endpoint: str) -> pd.DataFrame:
    """Mean and 95 % CI per arm: Wilson interval for a share (blocked_on_day), normal interval for means."""
    rows = []
    for s, v in zip(arms, values):
        n, m = v.size, float(v.mean())
        if endpoint.startswith("blocked_on_day:"):
            z = 1.959964
            centre = (m + z * z / (2 * n)) / (1 + z * z / n)
            half = z * math.sqrt(m * (1 - m) / n + z * z / (4 * n * n)) / (1 + z * z / n)
            lo, hi = max(centre - half, 0.0), min(centre + half, 1.0)
        else:  # normal interval, kept inside the endpoint's own range; none from one person
            se = float(v.std(ddof=1)) / math.sqrt(n) if n > 1 else float("nan")
            low_end, high_end = endpoint_range(endpoint, s.duration_h)
            lo, hi = max(m - 1.959964 * se, low_end), min(m + 1.959964 * se, high_end)
        rows.append({"arm": s.title, "people": n, "endpoint": endpoint, "mean": m, "ci95_low": lo, "ci95_high": hi})
    return pd.DataFrame(rows)


def run_trial(
    arms: list[Scenario],
    people: int,
    endpoint: str,
    seed: int = 0,
    chunk: int = CHUNK,
    workers: int | None = None,
    scheduler: str | None = None,
    allow_long: bool = False,
) -> Trial:
    """Run every arm on ``people`` simulated people through the engine; identical results whatever the engine.

    A trial predicted over the study budget is refused unless ``allow_long``.
    """
    if not 0 <= seed < 2**32:
        raise ScenarioError("--seed: a whole number from 0 to 4294967295")
    work = tasks(arms, people, endpoint, seed, chunk)
    each = max(run_cost(s, min(chunk, people)).seconds for s in arms)
    check_study("trial", len(work), each, allow_long)
    t0 = time.perf_counter()
    parts = engine.map_tasks(people_chunk, work, workers, scheduler)
    secs = time.perf_counter() - t0
    values = [np.concatenate([p for w, p in zip(work, parts) if w[2] == a]) for a in range(len(arms))]
    return Trial(values, summarise(arms, values, endpoint), secs)
