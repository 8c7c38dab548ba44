"""The forward-model contract, the least-squares fit and the validation checks' parameter overrides."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from model import validation
from model.cli import main
from model.fit import fit
from model.forward import ForwardModel, bounds
from model.observed import parse_observed
from model.scenario import ScenarioError, parse_scenario

ROOT = Path(__file__).resolve().parents[1]
ORAL_5MG = parse_scenario(
    {
        "title": "5 mg",
        "duration_h": 12,
        "output_step_h": 0.25,
        "dose": [{"drug": "naltrexone", "route": "oral", "amount_mg": 5, "at_h": [0]}],
    }
)
OUTPUTS = ("occupancy_antagonist", "naltrexone_plasma_ng_per_ml")


def test_the_contract_has_the_shapes_and_values_of_a_plain_run():
    m = ForwardModel(ORAL_5MG, ("naltrexone.kd_nm", "naltrexone.kp_uu"), OUTPUTS)
    assert m.n_parameters() == 2 and m.parameters() == ["naltrexone.kd_nm", "naltrexone.kp_uu"]
    assert m.n_outputs() == 2 and m.outputs() == list(OUTPUTS)
    times = [1.0, 3.0, 6.5]
    y = m.simulate(m.values(), times)
    assert y.shape == (3, 2)
    table = m.run(m.values()).table.set_index("time_h")
    assert y[1, 0] == pytest.approx(table.occupancy_antagonist[3.0], rel=1e-12)
    assert y[2, 1] == pytest.approx(table.naltrexone_plasma_ng_per_ml[6.5], rel=1e-12)


def test_a_weaker_antagonist_occupies_less_and_plasma_does_not_move():
    m = ForwardModel(ORAL_5MG, ("naltrexone.kd_nm",), OUTPUTS)
    low, high = m.simulate([1.5], [3.0])[0], m.simulate([3.0], [3.0])[0]
    assert high[0] < low[0]
    assert high[1] == pytest.approx(low[1], rel=1e-12)


@pytest.mark.parametrize(
    ("names", "outputs", "message"),
    [
        (("naltrexone.nothing",), ("reward",), "no such parameter"),
        (("nobody.kd_nm",), ("reward",), "unknown species"),
        (("naltrexone.molar_mass_g_per_mol",), ("reward",), "physical constant"),
        (("naltrexone.kd_nm", "naltrexone.kd_nm"), ("reward",), "named twice"),
        (("naltrexone.kd_nm",), ("not_a_column",), "not an output column"),
    ],
)
def test_bad_names_are_refused_with_a_message(names, outputs, message):
    with pytest.raises(ScenarioError, match=message):
        ForwardModel(ORAL_5MG, names, outputs)


def test_values_outside_the_guard_and_times_outside_the_run_are_refused():
    m = ForwardModel(ORAL_5MG, ("naltrexone.kd_nm",), OUTPUTS)
    with pytest.raises(ScenarioError, match="allowed"):
        m.simulate([-1.0], [1.0])
    with pytest.raises(ScenarioError, match="allowed"):
        m.simulate([float("nan")], [1.0])
    with pytest.raises(ScenarioError, match="within the run"):
        m.simulate([2.2], [13.0])


def _observed_from_model(kd: float, times: list[float]) -> str:
    y = ForwardModel(ORAL_5MG, ("naltrexone.kd_nm",), ("occupancy_antagonist",)).simulate([kd], times)[:, 0]
    rows = [f"{t},occupancy_antagonist,{v:.10f},0.05,,synthetic" for t, v in zip(times, y)]
    return "time_h,column,value,sd,n,study\n" + "\n".join(rows) + "\n"


def test_the_fit_recovers_a_known_parameter_with_a_standard_error():
    obs = parse_observed(_observed_from_model(3.0, [1.0, 2.0, 4.0, 8.0]))
    f = fit(ORAL_5MG, obs, ["naltrexone.kd_nm"])
    row = f.estimates.iloc[0]
    assert row.start == pytest.approx(2.2)
    assert row.estimate == pytest.approx(3.0, rel=0.01)
    assert np.isfinite(row.se) and 0 <= row.se < 0.5
    assert np.abs(f.residuals.residual).max() < 1e-3
    lo, hi = bounds(["naltrexone.kd_nm"])
    assert lo[0] <= row.estimate <= hi[0]


def test_the_fit_command_prints_estimates_and_refuses_bad_input(tmp_path, capsys):
    scenario = ROOT / "examples" / "observed" / "rabiner2011_5mg.toml"
    observed = ROOT / "examples" / "observed" / "rabiner2011_5mg.csv"
    assert main(["fit", str(scenario), "--observed", str(observed), "--parameters", "naltrexone.kd_nm"]) == 0
    out = capsys.readouterr().out
    assert "naltrexone.kd_nm" in out and "residuals" in out
    assert main(["fit", str(scenario), "--observed", str(observed), "--parameters", "naltrexone.bogus"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error:") and err.count("\n") == 1 and "Traceback" not in err
    assert main(["fit", str(scenario), "--observed", str(observed), "--parameters", "a", "--out", str(observed)]) == 2
    assert "is an input" in capsys.readouterr().err


def test_validation_checks_take_overrides_and_forget_them_afterwards():
    check = next(c for c in validation.CHECKS if c.id == "pet_5mg")
    before = check.compute()
    with validation.parameters({"naltrexone": {"kd_nm": 3.4}}):
        weaker = check.compute()
    assert weaker < before
    assert check.compute() == pytest.approx(before, rel=1e-12)
