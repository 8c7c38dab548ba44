"""Time-course figures on the screen: the same series, colours and values as the table; every series on hover."""

import json
import math

import numpy as np
import pytest

from model import parse_scenario, simulate
from ui.drawings import mpl, time, vega
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
    """A chart's top-level table as records (sent as Arrow, where NaN becomes null)."""
    return vega.records(spec["data"]["values"])


def plain(specs: object) -> str:
    """The specs as the browser receives them: JSON, with tables as records; fails on NaN or infinity."""
    return json.dumps(specs, allow_nan=False, default=lambda x: vega.records(x))


def layers(spec: dict) -> list[dict]:
    out = []
    for layer in spec.get("layer", []):
        out += layers(layer) if "layer" in layer else [layer]
    return out


def hover(spec: dict) -> dict:
    return next(lay for lay in layers(spec) if "params" in lay)


def test_each_panel_is_a_chart_with_finite_data_and_a_tooltip_for_every_series(result):
    fig = time.timecourse(result.table, ("plasma", "occupancy", "reward", "breathing"), title="t", marker_h=24.5)
    specs = vega.render(fig, False)
    assert len(specs) == 4 and specs[0]["title"]["text"] == ["t"] and "title" not in specs[1]
    assert "NaN" not in plain(specs)  # no NaN or infinity reaches the browser
    for spec in specs:
        rows = records(spec)
        assert rows and all(math.isfinite(v) for r in rows for v in r.values())
        h = hover(spec)
        assert h["params"][0]["select"]["nearest"] is True
        assert {t["field"] for t in h["encoding"]["tooltip"]} == set(rows[0])  # time and every series


def test_series_keep_their_molecule_colours_labels_and_values(result):
    plasma, occupancy, reward = vega.render(time.timecourse(result.table, ("plasma", "occupancy", "reward")), False)
    scale = layers(occupancy)[0]["encoding"]["color"]["scale"]
    assert dict(zip(scale["domain"], scale["range"]))[label("naltrexone")] == colour("naltrexone")
    rows = records(occupancy)
    t = result.table.time_h.to_numpy()
    k = int(np.argmin(np.abs(t - rows[100]["x"])))
    assert rows[100]["occupancy_naltrexone"] == pytest.approx(100 * result.table.occupancy_naltrexone.iloc[k], rel=1e-5)


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
    (spec,) = vega.render(time.timecourse(r.table, ("occupancy",)), True)
    xs = [row["x"] for row in records(spec)]
    assert len(xs) <= vega.MAX_POINTS < len(r.table)
    assert xs[0] == 0.0 and xs[-1] == pytest.approx(90.0)  # days beyond 4 days, as the exported figure
    assert spec["height"] == vega.PANEL_HEIGHT[True]


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
    bac, _, reward = vega.render(time.alcohol(r.table), False)
    rows = records(bac)
    assert max(row["ethanol_blood_mg_per_dl"] for row in rows) == pytest.approx(r.table.ethanol_blood_mg_per_dl.max())
    assert "80 mg/dL (UK driving limit)" in plain(bac)
    top = layers(reward)[0]["encoding"]["y"]["scale"]["domain"][1]
    assert r.table.reward_without_naltrexone.max() < top <= 1.0


def test_the_rescue_chart_carries_every_series_with_a_tooltip():
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
    drive, occupancy = vega.render(time.rescue(course, 0.25), False)
    assert {"drive_rescue", "drive_no_rescue"} <= set(records(drive)[0])
    assert "occupancy_naloxone" in records(occupancy)[0]
    assert {t["title"] for t in hover(drive)["encoding"]["tooltip"]} >= {"naloxone", "no naloxone"}


def test_the_overlay_reads_both_scenarios_on_their_common_times_with_a_gap_after_the_shorter(result):
    short = result.table[result.table.time_h <= 30.0]
    top, bottom = vega.render(time.overlay(result.table, short, "A", "B"), False)
    last = records(bottom)[-1]
    assert last["r1"] is None and last["r0"] == pytest.approx(result.table.reward.iloc[-1], abs=1e-6)
    plain([top, bottom])


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
    (reward,) = vega.render(time.timecourse(r.table, ("reward",)), False)
    rows = records(reward)
    assert len(rows) <= vega.MAX_POINTS < len(r.table)
    assert max(row["reward"] for row in rows) == pytest.approx(r.table.reward.max(), rel=1e-5)


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
    (spec,) = vega.render(time.timecourse(r.table, ("plasma",), title="t"), False)
    line = next(lay for lay in layers(spec) if lay.get("mark", {}).get("type") == "line")
    floor = line["encoding"]["y"]["scale"]["domain"][0]
    calc = next(t for t in line["transform"] if t.get("as") == "value")
    assert calc["calculate"] == f"datum.value >= {float(floor)!r} ? datum.value : null"
    assert line["mark"]["invalid"] == "break-paths-filter-domains"
    assert not any("filter" in t for t in line["transform"])
    heroin = [row["heroin"] for row in records(spec)]
    assert max(heroin) > floor and sum(v < floor for v in heroin) > 10  # the gaps are in the data the chart gets


def test_the_file_draws_the_same_panels_series_and_axes(result):
    fig = time.timecourse(result.table, ("plasma", "occupancy", "reward", "breathing"), title="t", marker_h=24.5)
    drawn = mpl.render(fig, False)
    assert len(drawn.axes) == 4 and drawn.axes[0].get_title("left").startswith("t")
    for panel, ax in zip(fig.panels, drawn.axes):
        assert ax.get_ylim() == pytest.approx(panel.y.domain)
        assert ax.get_xlim() == pytest.approx(panel.x.domain)
        legend = [t.get_text() for t in ax.get_legend().get_texts()]
        assert [s.label for s in panel.layers[0].series] == legend[: len(panel.layers[0].series)]


def test_a_thick_stacked_area_carries_its_name_inside_it_and_a_thin_one_does_not(result):
    """Colour is not the only cue for the occupancy areas: the thick ones are named where they are thickest."""
    fig = time.timecourse(result.table, ("occupancy",))
    (lines,) = [layer for layer in fig.panels[0].layers if isinstance(layer, time.Lines)]
    names = {t.text: t for t in fig.panels[0].layers if isinstance(t, time.Text)}
    thick = [s for s in lines.series if lines.frame[s.column].max() >= time.AREA_LABEL_MIN]
    assert thick and set(names) == {s.label for s in thick}
    naltrexone = names[label("naltrexone")]
    assert naltrexone.colour == "#FFFFFF"  # white on the dark blue (5:1), as `_ink_on` picks
    x = lines.frame["x"].to_numpy()
    i = int(np.argmin(abs(x - naltrexone.x)))
    assert 0 < naltrexone.y < lines.frame[lines.series[0].column].iloc[i]  # inside its own area, the lowest
    drawn = mpl.render(fig, False)
    assert label("naltrexone") in {t.get_text() for t in drawn.axes[0].texts}
    chart = json.dumps(vega.render(fig, False)[0], default=lambda table: None)  # the data table aside
    assert f'"t": "{label("naltrexone")}"' in chart
