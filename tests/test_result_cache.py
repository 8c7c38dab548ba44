"""The results shared between sessions: one run per distinct simulation, each caller with its own scenario."""

from __future__ import annotations

from model import parse_scenario, simulate
from ui import runs

DOSES = [
    {"drug": "naltrexone", "route": "oral", "amount_mg": 50.0, "at_h": [0.0]},
    {"drug": "heroin", "route": "iv", "amount_mg": 25.0, "at_h": [24.0]},
]


def scenario(seed: int, **extra) -> dict:
    return {
        "title": "seed test",
        "duration_h": 30.0,
        "output_step_h": 0.5,
        "options": {"seed": seed},
        "dose": DOSES,
        **extra,
    }


def test_a_seed_that_draws_nothing_shares_one_run_and_each_caller_keeps_its_own_scenario(monkeypatch):
    calls = []
    monkeypatch.setattr(runs, "RESULTS", runs.ByteCache(50_000_000))
    monkeypatch.setattr(runs, "simulate", lambda s: calls.append(s) or simulate(s))
    a, b = runs.run(scenario(1)), runs.run(scenario(7))
    assert len(calls) == 1  # nothing is left to chance: the seed cannot change the run
    assert (a.scenario.options.seed, b.scenario.options.seed) == (1, 7)  # exports name the scenario asked for
    assert a.table.equals(b.table)


def test_a_seed_that_draws_missed_doses_or_people_keeps_its_own_run():
    missed = [{**DOSES[0], "taken_probability": 0.5}, DOSES[1]]
    for raw in (
        lambda seed: scenario(seed, dose=missed),
        lambda seed: scenario(seed, options={"seed": seed, "population": 5}),
    ):
        assert runs.cache_key(parse_scenario(raw(1))) != runs.cache_key(parse_scenario(raw(2)))
