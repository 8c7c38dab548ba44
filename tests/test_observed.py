import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from model import ScenarioError, load_scenario, simulate
from model.cli import main
from model.observed import MAX_BYTES, parse_observed, residuals, summary

ROOT = Path(__file__).resolve().parents[1]
OBS = ROOT / "examples" / "observed"
PAIRS = [(OBS / f"rabiner2011_{d}mg.csv", OBS / f"rabiner2011_{d}mg.toml") for d in (2, 5, 15, 50)] + [
    (OBS / "hulse2004_implant_1700mg.csv", ROOT / "examples" / "implant.toml")
]
HEAD = "time_h,column,value,sd,n,study\n"


@pytest.mark.parametrize("csv,toml", PAIRS, ids=[p[0].stem for p in PAIRS])
def test_every_example_dataset_is_cited_and_lies_over_its_scenario(csv, toml):
    obs = parse_observed(csv.read_bytes())
    assert (obs.citation.str.len() > 10).all() and (obs.location.str.len() > 10).all()
    res = residuals(simulate(load_scenario(toml)).table, obs)
    assert np.isfinite(res.model).all()
    assert (res.residual.abs() < 0.5 * res.value.abs().max() + 0.2).all()  # same scale: right column, right unit


def test_residuals_and_summary_by_hand():
    r = simulate(load_scenario(OBS / "rabiner2011_50mg.toml"))
    obs = parse_observed(HEAD + "3,occupancy_antagonist,0.9,0.05,4,a\n3,occupancy_antagonist,1.0,0.05,4,a\n")
    res = residuals(r.table, obs)
    model = float(r.table.set_index("time_h").loc[3.0, "occupancy_antagonist"])
    np.testing.assert_allclose(res.model, model)
    np.testing.assert_allclose(res.z, (obs.value - model) / 0.05)
    s = summary(res).iloc[0]
    assert s.points == 2 and np.isclose(s.mean_residual, 0.95 - model)


def test_cli_prints_the_residual_summary(tmp_path, capsys):
    assert main(["run", str(PAIRS[1][1]), "--out", str(tmp_path / "o.csv"), "--observed", str(PAIRS[1][0])]) == 0
    out = capsys.readouterr().out
    assert "Rabiner 2011 5 mg" in out and "rmse" in out and "3 measurements" in out


@pytest.mark.parametrize(
    "text,fragment",
    [
        (b"", "empty"),
        (b"time_h,column,value,study\n1,reward,0.1,caf\xe9\n", "UTF-8"),
        (HEAD.encode() + b"1,reward,0.1,,,a\x00\n", "NUL"),
        (b"time_h,column,value\n1,reward,1\n", "study"),
        (b"time_h,column,value,study,colour\n", "colour"),
        (b"time_h,column,value,study,study\n", "repeated"),
        ((HEAD + "1,reward,nan,,,a\n").encode(), "finite"),
        ((HEAD + "1,reward,inf,,,a\n").encode(), "finite"),
        ((HEAD + "1,reward,1e400,,,a\n").encode(), "finite"),
        ((HEAD + "-1,reward,0.1,,,a\n").encode(), ">= 0"),
        ((HEAD + "1,reward,0.1,-2,,a\n").encode(), ">= 0"),
        ((HEAD + "1,reward,0.1,,2.5,a\n").encode(), "whole"),
        ((HEAD + "1,reward,x,,,a\n").encode(), "not a number"),
        ((HEAD + "1,reward,0.1,,,\n").encode(), "study"),
        ((HEAD + "1,mood,0.1,,,a\n").encode(), "not an output column"),
        ((HEAD + "1,time_h,0.1,,,a\n").encode(), "not an output column"),
        ((HEAD + "1,reward,0.1,,a\n").encode(), "fields"),
        ((HEAD + '1,reward,"0.1,,,a\n').encode(), "not a valid CSV"),
        ((HEAD + "1,reward,0.1,,,a" + "b" * 600 + "\n").encode(), "longer"),
        ((HEAD + "1,reward,0.1,,,a\n" * 20_000).encode(), "rows"),
        (b"x" * (MAX_BYTES + 1), "larger"),
        (HEAD.encode(), "no measurements"),
    ],
)
def test_hostile_measurement_files_are_refused_naming_the_problem(text, fragment):
    with pytest.raises(ScenarioError, match=fragment):
        parse_observed(text)


def test_measurements_outside_the_run_or_not_in_it_are_refused():
    r = simulate(load_scenario(OBS / "rabiner2011_2mg.toml"))
    with pytest.raises(ScenarioError, match="outside the run"):
        residuals(r.table, parse_observed(HEAD + "100,reward,0.1,,,a\n"))
    with pytest.raises(ScenarioError, match="not in this run"):
        residuals(r.table, parse_observed(HEAD + "1,ethanol_blood_mg_per_dl,10,,,a\n"))


@pytest.mark.slow
def test_cli_bad_observed_file_exits_2_with_one_line(tmp_path):
    bad = tmp_path / "obs.csv"
    bad.write_text(HEAD + "1,reward,nan,,,a\n")
    p = subprocess.run(
        [
            sys.executable,
            "-m",
            "model",
            "run",
            str(PAIRS[0][1]),
            "--out",
            str(tmp_path / "o.csv"),
            "--observed",
            str(bad),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert p.returncode == 2 and p.stderr.startswith("error: observed row 2") and p.stderr.count("\n") == 1
    p = subprocess.run(
        [
            sys.executable,
            "-m",
            "model",
            "run",
            str(PAIRS[0][1]),
            "--out",
            str(tmp_path / "o.csv"),
            "--observed",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert p.returncode == 2 and "not a regular file" in p.stderr
