"""The cost budget: predicted before a run, enforced for every entry point, close to what a run costs."""

from __future__ import annotations

import time

import numpy as np
import pytest

from corpora.budget import sampled_scenarios
from model import ScenarioError, parse_scenario, simulate
from model.budget import MAX_SECONDS, check_budget, run_cost
from model.cli import main
from model.population import simulate_population

ATTACK = (
    'duration_h = 17520\noutput_step_h = 0.1752\n[[dose]]\ndrug = "naltrexone"\nroute = "oral"\n'
    "amount_mg = 50\nat_h = [0]\n[options]\npopulation = 5000\n"
)


@pytest.mark.slow
def test_predicted_and_measured_time_agree_within_a_factor_of_two():
    """Within 2x both ways of the machine's current speed; the stepwise (matrix exponential) path is only bounded above: its cost per
    distinct step depends on the step's size, so the prediction assumes the dearest."""
    simulate(
        parse_scenario(
            {
                "duration_h": 4,
                "options": {"population": 2},  # warm-up: imports, compiled code
                "dose": [{"drug": "naltrexone", "route": "im_xr", "amount_mg": 1, "at_h": [1]}],
            }
        )
    )
    ratios, stepwise = [], []
    for raw in sampled_scenarios(8):
        s = parse_scenario(raw)
        took = []
        for _ in range(2):  # the better of two: the machine is shared
            t0 = time.perf_counter()
            simulate(s)
            took.append(time.perf_counter() - t0)
        (stepwise if run_cost(s).stepwise else ratios).append(min(took) / run_cost(s).seconds)
    speed = float(np.exp(np.mean(np.log(ratios))))  # how much slower than the reference machine right now
    assert 0.33 <= speed <= 3, speed
    assert 0.5 <= min(ratios) / speed and max(ratios + stepwise) / speed <= 2.0, (speed, ratios, stepwise)


@pytest.mark.parametrize("entry", ["simulate", "population", "cli"])
def test_a_run_over_the_budget_is_refused_at_once_with_one_line(entry, tmp_path, capsys):
    s = parse_scenario(__import__("tomllib").loads(ATTACK))
    t0 = time.perf_counter()
    if entry == "cli":
        (tmp_path / "a.toml").write_text(ATTACK)
        assert main(["run", str(tmp_path / "a.toml"), "--out", str(tmp_path / "a.csv")]) == 2
        msg = capsys.readouterr().err
        assert msg.count("\n") == 1 and not (tmp_path / "a.csv").exists()
    else:
        with pytest.raises(ScenarioError) as info:
            (simulate if entry == "simulate" else simulate_population)(s)
        msg = str(info.value)
    assert time.perf_counter() - t0 < 2
    assert "too costly" in msg and "5,000 people" in msg and f"limit is {MAX_SECONDS:g} s" in msg, msg


def test_a_study_of_many_runs_budgets_each_run():
    s = parse_scenario(
        {
            "duration_h": 96,
            "dose": [{"drug": "heroin", "route": "iv", "amount_mg": 25, "at_h": [24]}],
            "options": {"population": 5000},
        }
    )
    check_budget(s, 100)
    with pytest.raises(ScenarioError, match="too costly"):
        check_budget(s, 10**6)
