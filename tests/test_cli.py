import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from model import load_scenario, simulate
from model.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_every_example_runs_and_matches_its_golden_csv(path, tmp_path, capsys):
    out = tmp_path / "curves.csv"
    assert main(["run", str(path), "--out", str(out)]) == 0
    got = pd.read_csv(out)
    golden = pd.read_csv(ROOT / "tests" / "golden" / f"{path.stem}.csv")
    assert list(got.columns) == list(golden.columns)
    assert got.columns[0] == "time_h"
    np.testing.assert_allclose(got.to_numpy(float), golden.to_numpy(float), rtol=1e-4, atol=1e-7, equal_nan=True)


def test_json_export_carries_scenario_parameters_and_version(tmp_path):
    out = tmp_path / "r.json"
    assert main(["run", str(ROOT / "examples" / "heroin_after_naltrexone.toml"), "--out", str(out)]) == 0
    doc = json.loads(out.read_text())
    assert doc["version"] and doc["scenario"]["title"].startswith("Heroin")
    assert doc["parameters"]["naltrexone"]["kd_nm"]["source"]
    assert len(doc["columns"]["time_h"]) == len(doc["columns"]["reward"])
    assert load_scenario(doc["scenario_toml"]) == load_scenario(ROOT / "examples" / "heroin_after_naltrexone.toml")


@pytest.mark.parametrize(
    "text,fragment",
    [
        ("title = 'x'\nduration_h = -1\n", "duration_h"),
        ("duration_h = 10\n[[dose]]\ndrug = 'naltrexone'\nroute = 'oral'\namount_mg = nan\nat_h = [0]\n", "amount_mg"),
        ("this is not toml", "not valid TOML"),
    ],
)
def test_bad_scenario_exits_2_with_one_line_and_no_traceback(tmp_path, text, fragment):
    bad = tmp_path / "bad.toml"
    bad.write_text(text)
    p = subprocess.run(
        [sys.executable, "-m", "model", "run", str(bad), "--out", str(tmp_path / "o.csv")],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert p.returncode == 2
    assert p.stderr.startswith("error: ") and fragment in p.stderr
    assert p.stderr.count("\n") == 1 and "Traceback" not in p.stderr


@pytest.mark.parametrize("args", [["run"], ["run", "missing.toml", "--out", "x.csv"], ["fly"]])
def test_usage_errors_are_one_line(args, capsys):
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1


def test_drugs_lists_every_parameter_with_source(capsys):
    assert main(["drugs"]) == 0
    text = capsys.readouterr().out
    assert "naltrexone" in text and "kd_nm" in text and "Rabiner" in text


def test_simulated_table_has_the_design_columns():
    r = simulate(load_scenario(ROOT / "examples" / "heroin_after_naltrexone.toml"))
    for col in (
        "time_h",
        "naltrexone_plasma_ng_per_ml",
        "naltrexol_plasma_ng_per_ml",
        "heroin_plasma_ng_per_ml",
        "occupancy_antagonist",
        "occupancy_agonist",
        "receptor_density",
        "reward",
        "reward_without_naltrexone",
        "blockade_fraction",
    ):
        assert col in r.table
    assert list(r.challenges.columns[:4]) == ["drug", "route", "at_h", "amount"]


def test_a_reader_that_stops_early_gets_no_traceback():
    """`python -m model drugs | head -1`: the closed pipe ends the program quietly."""
    p = subprocess.Popen(
        [sys.executable, "-m", "model", "drugs"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    p.stdout.close()  # the reader is gone before the first line
    err = p.stderr.read().decode()
    p.stderr.close()
    assert p.wait(timeout=60) == 1
    assert "Traceback" not in err and "BrokenPipeError" not in err, err
