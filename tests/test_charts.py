"""Browser charts: the same series, colours and values as the table; every series readable on hover."""

import json
import math

import numpy as np
import pandas as pd
import pytest

from model import parse_scenario, simulate
from ui import charts
from ui.theme import colour, label


@pytest.fixture(scope="module")
def result():
    return simulate(
        parse_scenario(
            {
                "title": "t",
                "duration_h": 40.0,
                "output_step_h": 0.05,
                "dose": [
                    {"drug": "naltrexone", "route": "oral", "amount_mg": 50.0, "at_h": [0.0]},
                    {"drug": "heroin", "route": "iv", "amount_mg": 25.0, "at_h": [24.0]},
                ],
            }
        )
    )


def records(spec: dict) -> list[dict]:
    """A chart's top-level data as records (a table is sent as Arrow, where NaN becomes null)."""
    values = spec["data"]["values"]
    if isinstance(values, pd.DataFrame):
        return values.astype(object).where(values.notna(), None).to_dict("records")
    return values


def plain(specs: object) -> str:
    """The specs as the browser receives them: JSON, with tables as records; fails on NaN or infinity."""

    def default(x: object) -> object:
        if isinstance(x, pd.DataFrame):
            return records({"data": {"values": x}})
        raise TypeError(type(x))

    return json.dumps(specs, allow_nan=False, default=default)


def layers(spec: dict) -> list[dict]:
    out = []
    for layer in spec.get("layer", []):
        out += layers(layer) if "layer" in layer else [layer]
    return out


def test_each_panel_is_a_chart_with_finite_data_and_a_tooltip_for_every_series(result):
    specs = charts.timecourse(
        result.table, False, ("plasma", "occupancy", "reward", "breathing"), title="t", marker_h=24.5
    )
    assert len(specs) == 4 and specs[0]["title"]["text"] == ["t"] and "title" not in specs[1]
    text = plain(specs)  # no NaN or infinity reaches the browser
    assert "NaN" not in text
    for spec in specs:
        rows = records(spec)
        assert rows and all(math.isfinite(v) for r in rows for v in r.values())
        hover = layers(spec)[-1]
        assert hover["params"][0]["select"]["nearest"] is True
        shown = {t["field"] for t in hover["encoding"]["tooltip"]}
        assert shown == set(rows[0])  # time and every series of the panel


def test_series_keep_their_molecule_colours_labels_and_values(result):
    plasma, occupancy, reward = charts.timecourse(result.table, False, ("plasma", "occupancy", "reward"))
    scale = layers(occupancy)[0]["encoding"]["color"]["scale"]
    assert dict(zip(scale["domain"], scale["range"]))[label("naltrexone")] == colour("naltrexone")
    rows = records(occupancy)
    t = result.table.time_h.to_numpy()
    k = int(np.argmin(np.abs(t - rows[100]["x"])))
    assert rows[100]["occupancy_naltrexone"] == pytest.approx(100 * result.table.occupancy_naltrexone.iloc[k], rel=1e-5)
    assert {r["x"] for r in records(reward)} == {r["x"] for r in records(plasma)}


def test_long_runs_are_thinned_for_the_screen_but_keep_both_ends():
    r = simulate(
        parse_scenario(
            {
                "title": "t",
                "duration_h": 24.0 * 90,
                "output_step_h": 0.25,
                "dose": [{"drug": "naltrexone", "route": "oral", "amount_mg": 50.0, "every_h": 24.0, "count": 90}],
            }
        )
    )
    (spec,) = charts.timecourse(r.table, True, ("occupancy",))
    xs = [row["x"] for row in records(spec)]
    assert len(xs) <= charts.MAX_POINTS < len(r.table)
    assert xs[0] == 0.0 and xs[-1] == pytest.approx(90.0)  # days beyond 4 days, as the exported figure
    assert spec["height"] == charts.PANEL_HEIGHT[True]


def test_the_alcohol_chart_shows_blood_alcohol_with_the_driving_limit():
    r = simulate(
        parse_scenario(
            {
                "title": "t",
                "duration_h": 12.0,
                "output_step_h": 0.05,
                "dose": [
                    {"drug": "alcohol", "route": "oral", "amount_g": 14.0, "every_h": 1.0, "count": 4, "start_h": 1.0}
                ],
            }
        )
    )
    bac, _, reward = charts.alcohol(r.table, False)
    rows = records(bac)
    assert max(row["ethanol_blood_mg_per_dl"] for row in rows) == pytest.approx(r.table.ethanol_blood_mg_per_dl.max())
    assert "80 mg/dL (UK driving limit)" in plain(bac)
    top = layers(reward)[0]["encoding"]["y"]["scale"]["domain"][1]
    assert r.table.reward_without_naltrexone.max() < top <= 1.0


def test_the_rescue_and_regimen_charts_carry_every_series_with_a_tooltip():
    from model import lessons

    course = simulate(
        parse_scenario(
            {
                "title": "t",
                "duration_h": 8.0,
                "output_step_h": 0.05,
                "dose": lessons.overdose_doses("fentanyl", 0.25, "iv", 0.4, 0.5),
            }
        )
    ).table
    course = course.assign(drive_rescue=course.respiratory_drive, drive_no_rescue=course.respiratory_drive)
    drive, occupancy = charts.rescue(course, 0.25, False)
    assert {"drive_rescue", "drive_no_rescue"} <= set(records(drive)[0])
    assert "occupancy_naloxone" in records(occupancy)[0]
    days = 30
    tables, protected = {}, {}
    for name, kind in (("oral daily", "oral"), ("monthly injection", "im_xr")):
        r = simulate(
            parse_scenario(
                {
                    "title": name,
                    "duration_h": 24.0 * days,
                    "output_step_h": 1.0,
                    "dose": lessons.regimen_doses(kind, days),
                }
            )
        )
        tables[name], protected[name] = r.table, lessons.days_protected(r)
    plasma, occ, bars = charts.regimens(tables, protected, False)
    for spec in (plasma, occ):
        hover = layers(spec)[-1]
        assert {t["title"] for t in hover["encoding"]["tooltip"]} >= {
            "oral daily (ng/mL)",
            "monthly injection (ng/mL)",
        } or {t["title"] for t in hover["encoding"]["tooltip"]} >= {"oral daily (%)", "monthly injection (%)"}
    assert len(records(bars)) == sum(len(p) for p in protected.values())
    plain([plasma, occ, bars])


def test_the_craving_chart_has_one_point_per_episode_and_kind():

    t = pd.DataFrame({"time_h": np.arange(0, 24 * 14 + 1, 2.0)})
    tables = {"no naltrexone": t.assign(craving=0.5), "daily tablets": t.assign(craving=np.linspace(0.5, 0.1, len(t)))}
    episodes = pd.DataFrame(
        {"day": [1.0, 3.0], "reward_with": [0.05, 0.4], "reward_without": [0.5, 0.5], "blocked": [True, False]}
    )
    lines, dots = charts.craving(tables, episodes, "daily tablets", False)
    kinds = [p["kind"] for p in records(dots)]
    assert kinds.count("reward without naltrexone") == 2 and kinds.count("blocked episode") == 1
    assert kinds.count("not blocked (felt the high)") == 1
    assert layers(lines)[0]["encoding"]["y"]["scale"]["domain"] == [0, 0.6]


def test_dose_response_equilibrium_and_schild_charts_match_their_tables():
    from model import lessons

    dr = lessons.dose_response("heroin", "iv", (10, 100), 50.0, (24.0, 72.0))
    (spec,) = charts.dose_response(dr, False)
    rows = records(spec)
    assert [r["x"] for r in rows] == [10.0, 100.0]
    assert rows[1]["h0"] == pytest.approx(
        dr[(dr.hours_after_naltrexone == 24) & (dr.dose_mg == 100)].increment_with.iloc[0], abs=1e-6
    )
    assert layers(spec)[0]["encoding"]["x"]["scale"]["type"] == "log"
    eq = lessons.equilibrium_curves("heroin", (0.0, 2.2))
    occ, rew = charts.equilibrium(eq, True)
    assert max(r["l0"] for r in records(occ)) <= 100.0
    sch, slope, pa2 = lessons.schild("heroin")
    (plot,) = charts.schild(sch, slope, pa2, False)
    plain(plot)  # the gaps between model points and fitted line are nulls, not NaN
    assert sum(r["model"] is not None for r in records(plot)) == len(sch)


def test_the_stopping_charts_shade_exactly_the_risk_days():
    from model import lessons

    after = lessons.usual_dose_after_stopping("heroin", "iv", 20, "daily tablets", 4, (0, 1, 2, 3, 5, 7, 9))
    before = lessons.usual_dose_before_treatment("heroin", "iv", 20)
    risk = lessons.risk_window(after, before).to_numpy()
    effect, drive, why = charts.stopping(after, before, risk, 7, "heroin 20 mg IV", False)
    spans = layers(effect)[1]["data"]["values"]
    assert len(spans) == int(risk.sum()) > 0
    first = after.days_after_last_naltrexone[risk].iloc[0]
    assert spans[0]["x0"] < first < spans[0]["x1"]
    assert [r["drive"] for r in records(drive)] == pytest.approx(list(after.min_respiratory_drive), abs=1e-6)
    table = lessons.opioid_free_interval(50, 0.02, ("heroin", "methadone"))  # as the page builds it
    table = table.rename(columns={"days_opioid_free": "days_receptors_free"}).assign(
        days_opioid_free=[7.2, float("nan")]
    )
    (bars,) = charts.intervals(table, False, 2.0)
    assert [r["drug"] for r in records(bars)] == [label("heroin"), label("methadone")]
    assert [r["text"] for r in records(bars)] == ["7.2 days", "> 40 days"]
    plain(bars)


def test_the_compare_chart_fades_what_the_chosen_level_does_not_block():

    t = pd.DataFrame({"time_h": np.arange(0, 12.05, 0.05)})
    curves = {"heroin": t.assign(reward_without_naltrexone=0.5), "methadone": t.assign(reward_without_naltrexone=0.8)}
    table = pd.DataFrame(
        {
            "drug": ["heroin", "methadone"],
            "dose_mg": [25.0, 60.0],
            "route": ["iv", "oral"],
            "naltrexone_plasma_ng_per_ml_to_block": [0.8, float("nan")],
        }
    )
    reward, bars = charts.compare(table, curves, False, level=2.0)
    rows = records(bars)
    assert [r["blocked"] for r in rows] == [True, False] and rows[1]["text"] == "not blocked"
    plain(bars)


def test_the_overlay_reads_both_scenarios_on_their_common_times_with_a_gap_after_the_shorter(result):
    short = result.table[result.table.time_h <= 30.0]
    top, bottom = charts.overlay(result.table, short, False, "A", "B")
    rows = records(bottom)
    last = rows[-1]
    assert last["r1"] is None and last["r0"] == pytest.approx(result.table.reward.iloc[-1], abs=1e-6)
    plain([top, bottom])


def test_the_validation_charts_show_the_human_ranges_beside_the_model():

    pet = pd.DataFrame({"dose_mg": [1.0, 2.0, 5.0, 15.0, 50.0], "occupancy_percent": [17.0, 29.0, 50.5, 75.4, 91.0]})
    targets = pd.DataFrame({"dose_mg": [2.0, 15.0], "low": [12.0, 46.0], "high": [42.0, 76.0]})
    (spec,) = charts.pet(pet, targets, False)
    ranges = layers(spec)[1]["data"]["values"] if "data" in layers(spec)[1] else spec["layer"][1]["data"]["values"]
    assert ranges == [{"x": 2.0, "low": 12.0, "high": 42.0}, {"x": 15.0, "low": 46.0, "high": 76.0}]
    t = pd.DataFrame({"time_h": np.arange(0, 48.1, 0.1)})
    oral = t.assign(
        naltrexone_plasma_ng_per_ml=10 * np.exp(-t.time_h / 4), naltrexol_plasma_ng_per_ml=50 * np.exp(-t.time_h / 13)
    )
    xr = pd.DataFrame({"time_h": np.arange(0, 24 * 42 + 1, 1.0)}).assign(naltrexone_plasma_ng_per_ml=1.5)
    a, b = charts.plasma_reference(oral, xr, False)
    assert records(b)[-1]["x"] == pytest.approx(42.0)
    plain([spec, a, b])


def test_thinning_keeps_a_peak_lasting_minutes_in_a_run_of_weeks():
    r = simulate(
        parse_scenario(
            {
                "title": "t",
                "duration_h": 24.0 * 40,
                "output_step_h": 0.05,
                "dose": [{"drug": "heroin", "route": "iv", "amount_mg": 25.0, "at_h": [24.0 * 20 + 0.3]}],
            }
        )
    )
    occupancy, reward = charts.timecourse(r.table, False, ("occupancy", "reward"))
    rows = records(reward)
    assert len(rows) <= charts.MAX_POINTS < len(r.table)
    assert max(row["reward"] for row in rows) == pytest.approx(r.table.reward.max(), rel=1e-5)
    assert [row["x"] for row in records(occupancy)] == [row["x"] for row in rows]  # one time axis


def test_a_log_scale_series_never_bridges_zeros_or_values_below_the_axis():
    """Repeated heroin doses: between them heroin's plasma level is 0 (or below the axis), and the line stops there."""
    r = simulate(
        parse_scenario(
            {
                "title": "t",
                "duration_h": 60.0,
                "output_step_h": 0.25,
                "dose": [{"drug": "heroin", "route": "iv", "amount_mg": 25.0, "every_h": 24, "count": 3}],
            }
        )
    )
    (spec,) = charts.timecourse(r.table, False, ("plasma",), title="t")
    line = next(lay for lay in layers(spec) if lay.get("mark", {}).get("type") == "line")
    # values below the axis become null (no filter drops them) and a null breaks the path
    floor = line["encoding"]["y"]["scale"]["domain"][0]
    calc = next(t for t in line["transform"] if t.get("as") == "value")
    assert calc["calculate"] == f"datum.value >= {float(floor)!r} ? datum.value : null"
    assert line["mark"]["invalid"] == "break-paths-filter-domains"
    assert not any("filter" in t for t in line["transform"])
    heroin = [row["heroin"] for row in records(spec)]
    assert max(heroin) > floor and sum(v < floor for v in heroin) > 10  # the gaps are in the data the chart gets
