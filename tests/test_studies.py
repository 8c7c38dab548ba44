import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from model import ScenarioError, load_scenario, simulate
from model.cli import main
from model.drugs import molecules
from model.events import event_dataset, with_people
from model.export import scenario_of
from model.population import simulate_population
from model.scenario import parse_scenario
from model.sensitivity import global_sensitivity, local, plausible_ranges
from model.trials import run_trial, tasks

ROOT = Path(__file__).resolve().parents[1]
ARM = {
    "title": "tablets 60%",
    "duration_h": 14 * 24,
    "output_step_h": 2,
    "patient": {"opioid_tolerant": True},
    "options": {"seed": 4},
    "dose": [
        {
            "drug": "naltrexone",
            "route": "oral",
            "amount_mg": 50,
            "every_h": 24,
            "count": 14,
            "start_h": 0,
            "taken_probability": 0.6,
        },
        {"drug": "heroin", "route": "iv", "amount_mg": 25, "every_h": 48, "count": 7, "start_h": 12},
    ],
}


def arms():
    a = parse_scenario(ARM)
    b = parse_scenario(
        {**ARM, "title": "tablets 95%", "dose": [{**ARM["dose"][0], "taken_probability": 0.95}, ARM["dose"][1]]}
    )
    return [a, b]


@pytest.fixture(scope="module")
def dask_address():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, host="127.0.0.1", dashboard_address=None
    ) as cluster:
        yield cluster.scheduler_address


def test_trial_is_identical_whatever_the_engine_and_the_chunks(dask_address):
    ref = run_trial(arms(), 30, "days_protected", seed=7, chunk=30, workers=1)
    pool = run_trial(arms(), 30, "days_protected", seed=7, chunk=7, workers=2)
    dask = run_trial(arms(), 30, "days_protected", seed=7, chunk=4, scheduler=dask_address)
    for a in range(2):
        assert np.array_equal(ref.values[a], pool.values[a]) and np.array_equal(ref.values[a], dask.values[a])
    pd.testing.assert_frame_equal(ref.summary, dask.summary)
    s = ref.summary.set_index("arm")
    assert s.loc["tablets 95%", "mean"] > s.loc["tablets 60%", "mean"]  # better adherence, more days protected
    assert (s.ci95_low <= s["mean"]).all() and (s["mean"] <= s.ci95_high).all()


def test_global_sensitivity_is_identical_locally_and_on_dask(dask_address):
    s = load_scenario(ROOT / "examples" / "heroin_after_naltrexone.toml")
    a = global_sensitivity(s, "blockade_ratio:2", trajectories=2, workers=1)
    b = global_sensitivity(s, "blockade_ratio:2", trajectories=2, scheduler=dask_address)
    pd.testing.assert_frame_equal(a, b)
    assert a.attrs["runs"] == 2 * (len(plausible_ranges()["parameters"]) + 1)
    assert a.iloc[0].parameter.startswith("naltrexone.") and a.mu_star.iloc[0] > 0


def test_share_blocked_uses_a_wilson_interval_inside_0_1():
    t = run_trial(arms()[1:], 20, "blocked_on_day:10", seed=1, workers=1)
    row = t.summary.iloc[0]
    assert 0 <= row.ci95_low <= row["mean"] <= row.ci95_high <= 1
    assert set(np.unique(t.values[0])) <= {0.0, 1.0}


@pytest.mark.parametrize(
    "endpoint,people,chunk,fragment",
    [
        ("blocked_on_day:99", 10, 10, "inside the run"),
        ("mood", 10, 10, "use one of"),
        ("peak_reward", 0, 10, "--people"),
        ("peak_reward", 10, 101, "--chunk"),
    ],
)
def test_bad_trials_are_refused(endpoint, people, chunk, fragment):
    with pytest.raises(ScenarioError, match=fragment):
        tasks(arms(), people, endpoint, 0, chunk)


def test_local_sensitivity_elasticities_by_hand():
    s = load_scenario(ROOT / "examples" / "heroin_after_naltrexone.toml")
    t = local(s, "peak_reward", step=0.1)
    fixed = t[t.parameter == "molar_mass_g_per_mol"]
    assert fixed.empty and (t.parameter != "tau").any()
    row = t[(t.species == "naltrexone") & (t.parameter == "kd_nm")].iloc[0]
    hi = simulate(
        parse_scenario({**json.loads(json.dumps(_raw(s))), "parameters": {"naltrexone": {"kd_nm": row.high_value}}})
    )
    assert np.isclose(hi.curves.reward[0].max(), row.metric_high)  # the peak on the solver's grid
    el = (row.metric_high - row.metric_low) / (row.high_value - row.low_value) * row.value / row.metric_base
    assert np.isclose(el, row.elasticity)
    assert t.elasticity.abs().iloc[0] >= t.elasticity.abs().iloc[-1] or np.isnan(t.elasticity.iloc[-1])


def _raw(s):
    from model.scenario import scenario_to_dict

    return scenario_to_dict(s)


def test_plausible_ranges_are_inside_the_guards_and_have_reasons():
    raw = plausible_ranges()
    assert raw["design"]["seed"] == 0 and raw["design"]["method"] in ("morris", "sobol")
    for key, v in raw["parameters"].items():
        sp, n = key.split(".")
        p = molecules()[sp].parameters[n]
        assert p.min <= v["low"] < v["high"] <= p.max and len(v["reason"]) > 20
        assert v["low"] <= p.value <= v["high"], key  # the model's value is plausible


def test_event_dataset_reads_back_as_the_scenarios_doses(tmp_path):
    out = tmp_path / "events.csv"
    assert (
        main(["events", str(ROOT / "examples" / "population_adherence.toml"), "--out", str(out), "--people", "12"]) == 0
    )
    ev = pd.read_csv(out, keep_default_na=False)
    desc = json.loads((tmp_path / "events.datapackage.json").read_text())
    assert scenario_of(desc).options.population == 12
    pop = simulate_population(scenario_of(desc))
    assert sorted(ev.ID.unique()) == list(range(1, 13))
    doses = ev[ev.EVID == 1]
    assert (doses.MDV == 1).all() and (ev[ev.EVID == 0].MDV == 0).all()
    for i in range(12):
        mine = doses[doses.ID == i + 1]
        expect = [(e.at_h, e.amount) for e, took in zip(pop.events, pop.taken[i]) if took]
        np.testing.assert_allclose(mine[["TIME", "AMT"]].to_numpy(float), np.array(expect, float).reshape(-1, 2))
    assert (pop.people.doses_taken.to_numpy() == doses.groupby("ID").size().to_numpy()).all()
    assert ev.groupby("ID").TIME.apply(lambda t: t.is_monotonic_increasing).all()
    one = event_dataset(parse_scenario({**ARM, "dose": [{**ARM["dose"][0], "taken_probability": 1.0}]}), 1)
    assert (one.EVID == 1).sum() == 14 and one.DV.max() > 5  # every tablet, plasma naltrexone in ng/mL


def test_cli_trial_sensitivity_gsa_and_people(tmp_path, capsys):
    a = tmp_path / "a.toml"
    from model.scenario import scenario_to_toml

    a.write_text(scenario_to_toml(arms()[0]))
    assert (
        main(
            [
                "trial",
                str(a),
                "--people",
                "10",
                "--endpoint",
                "days_protected",
                "--workers",
                "1",
                "--out",
                str(tmp_path / "trial.csv"),
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "runs/s" in out and "ci95_low" in out and (tmp_path / "trial.datapackage.json").exists()
    assert (
        main(
            [
                "sensitivity",
                str(ROOT / "examples" / "heroin_after_naltrexone.toml"),
                "--metric",
                "blockade_ratio:2",
                "--workers",
                "1",
                "--out",
                str(tmp_path / "oat.csv"),
            ]
        )
        == 0
    )
    assert "elasticity" in capsys.readouterr().out
    assert (
        json.loads((tmp_path / "oat.datapackage.json").read_text())["resources"][0]["schema"]["fields"][-1]["unit"]
        == "1"
    )
    assert (
        main(
            [
                "gsa",
                str(ROOT / "examples" / "heroin_after_naltrexone.toml"),
                "--metric",
                "peak_reward",
                "--trajectories",
                "2",
                "--workers",
                "1",
            ]
        )
        == 0
    )
    assert "mu_star" in capsys.readouterr().out
    assert (
        main(
            [
                "run",
                str(ROOT / "examples" / "population_adherence.toml"),
                "--out",
                str(tmp_path / "c.csv"),
                "--people",
                str(tmp_path / "people.csv"),
            ]
        )
        == 0
    )
    people = pd.read_csv(tmp_path / "people.csv")
    assert len(people) == 100 and "days_protected" in people and "naltrexone.kd_nm" in people
    assert (
        main(["sensitivity", str(a), "--metric", "blockade_ratio:2", "--workers", "1"]) == 2
    )  # heroin at 12, 60, 108 h: none on day 2
    assert main(["gsa", str(a), "--metric", "nonsense"]) == 2


def test_event_dataset_follows_the_nonmem_rules_and_replays_to_its_dv():
    from model.columns import drug_codes, route_codes

    raw = {
        "title": "naltrexone then heroin and alcohol",
        "duration_h": 72,
        "output_step_h": 1,
        "options": {"seed": 3},
        "dose": [
            {"drug": "naltrexone", "route": "oral", "amount_mg": 50, "at_h": [0, 24]},
            {"drug": "heroin", "route": "iv", "amount_mg": 25, "at_h": [30]},
            {"drug": "alcohol", "route": "oral", "amount_g": 14, "at_h": [40]},
        ],
    }
    s = parse_scenario(raw)
    ev = event_dataset(s, 3)
    assert (ev.groupby("ID").TIME.apply(lambda t: t.is_monotonic_increasing)).all()
    assert ((ev.EVID == 1) == (ev.MDV == 1)).all() and set(ev.EVID) == {0, 1}
    drugn, routen = drug_codes(), route_codes()
    doses, obs = ev[ev.EVID == 1], ev[ev.EVID == 0]
    # each drug's doses go only into its own compartments: depot 2n-1, or central 2n for iv
    want = 2 * doses.DRUG.map(drugn) - (doses.ROUTE != "iv")
    assert (doses.CMT == want).all() and (doses.DRUGN == doses.DRUG.map(drugn)).all()
    assert (doses.ROUTEN == doses.ROUTE.map(routen)).all()
    assert set(doses[doses.DRUG == "heroin"].CMT) == {2 * drugn["heroin"]}
    assert (obs.CMT == 2 * drugn["naltrexone"]).all() and (obs.UNIT == "ng/mL").all()
    # each person's doses, replayed through the model with their own parameters, give their DV
    pop = simulate_population(with_people(s, 3), 3)
    for i in range(3):
        mine = obs[obs.ID == i + 1]
        table = simulate(pop.person_scenario(i)).table.set_index("time_h")
        replay = table.naltrexone_plasma_ng_per_ml.reindex(mine.TIME.to_numpy()).to_numpy()
        np.testing.assert_allclose(mine.DV.to_numpy(), replay, rtol=0.05, atol=0.05)


def test_a_study_reports_its_progress_and_time_left_as_its_runs_finish(monkeypatch):
    import io

    from model import cli, engine

    calls = []
    with engine.reporting(lambda done, total: calls.append((done, total))):
        assert engine.map_tasks(abs, [-1, -2, -3], workers=1) == [1, 2, 3]
        assert engine.map_tasks(abs, [-4, -5], workers=2) == [4, 5]  # results in order, progress as they finish
    assert calls[:3] == [(1, 3), (2, 3), (3, 3)] and sorted(calls[3:]) == [(1, 2), (2, 2)]

    monkeypatch.setattr(cli.Progress, "AFTER_S", 0.0)
    out = io.StringIO()  # not a terminal: a line at each tenth
    report = cli.Progress("gsa", out)
    for done in range(1, 101):
        report(done, 100)
    lines = out.getvalue().splitlines()
    assert len(lines) == 11 and lines[-1].startswith("gsa: 100/100 runs (100 %), about 0 s left")
    assert all("runs (" in line and "left" in line for line in lines)
