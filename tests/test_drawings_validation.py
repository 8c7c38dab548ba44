"""The validation page's figures (PET, plasma, blockade): described once, drawn the same both ways.

Each description is built from the model's own output and the human targets (as pages/validation.py
builds them), drawn for the screen (Vega-Lite, checked against the schema) and the files (matplotlib),
and read back.
"""

import numpy as np
import pandas as pd
import pytest
from drawing_checks import domains, legend_colours, legends, marks, screen, walk
from matplotlib.colors import to_hex
from matplotlib.figure import Figure as MplFigure

from model import lessons
from model.scenario import parse_scenario
from model.simulation import simulate
from model.validation import CHECKS
from ui.drawings import mpl
from ui.drawings import validation as drawings
from ui.drawings.spec import Figure, Lines, Ranges, Rule, Spans
from ui.theme import colour, label, line_style, narrow_layout


def check_both(fig: Figure, narrow: bool = False) -> tuple[list[dict], MplFigure]:
    """Every series in the screen's colour scale and the file's legends, with its colour; every axis range
    as described, on both."""
    charts = screen(fig)
    with narrow_layout(narrow):
        drawn = mpl.render(fig, False)
    keys = legends(drawn)
    for p, chart in zip(fig.panels, charts):
        scale = legend_colours(chart)
        for layer in p.layers:
            entries = (
                [(s.label, s.colour) for s in layer.series]
                if isinstance(layer, Lines)
                else [(layer.label, layer.colour)]
                if isinstance(layer, Ranges)
                else []
            )
            for name, c in entries:
                assert scale[name] == c.lower(), (name, scale)
                assert c.lower() in keys[name], (name, keys.get(name))
        for axis, which in ((p.x, "x"), (p.y, "y")):
            assert axis.domain
            assert domains(chart, which)
            assert all(d == pytest.approx(list(axis.domain)) for d in domains(chart, which))
            scales = {
                n[which]["scale"]["type"] for n in walk(chart) if isinstance(n.get(which), dict) and "scale" in n[which]
            }
            assert scales == {"log" if axis.log else "linear"}
    for ax, p in zip(drawn.axes, fig.panels):
        assert ax.get_xlim() == pytest.approx(p.x.domain)
        assert ax.get_ylim() == pytest.approx(p.y.domain)
        assert ax.get_xscale() == ("log" if p.x.log else "linear")
        assert ax.get_yscale() == ("log" if p.y.log else "linear")
    return charts, drawn


def layers(fig: Figure, panel: int, kind: type) -> list:
    return [la for la in fig.panels[panel].layers if isinstance(la, kind)]


def run(raw: dict) -> pd.DataFrame:
    return simulate(parse_scenario(raw)).table


# --- PET -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pet_inputs():
    checks = {c.id: c for c in CHECKS}
    targets = pd.DataFrame(
        [
            {"dose_mg": mg, "low": checks[i].low, "high": checks[i].high}
            for i, mg in (("pet_2mg", 2), ("pet_5mg", 5), ("pet_15mg", 15))
        ]
    )
    return lessons.pet_occupancy_vs_dose((1, 2, 5, 10, 15, 25, 50, 100)), targets


def test_pet_curve_and_the_human_ranges(pet_inputs):
    curve, targets = pet_inputs
    fig = drawings.pet(curve, targets)
    charts, drawn = check_both(fig)
    (lines,) = layers(fig, 0, Lines)
    assert lines.points and lines.frame.model.to_numpy() == pytest.approx(curve.occupancy_percent.to_numpy())
    assert fig.panels[0].x.log and fig.panels[0].x.domain == pytest.approx((1 / 1.25, 125))
    # the human PET ranges are the checks' tolerances, on the screen and in the file
    (ranges,) = layers(fig, 0, Ranges)
    assert ranges.x == pytest.approx(targets.dose_mg.to_numpy())
    assert ranges.lo == pytest.approx(targets.low.to_numpy())
    assert ranges.hi == pytest.approx(targets.high.to_numpy())
    shown = next(
        n["data"]["values"]
        for n in walk(charts[0])
        if "data" in n and n["data"]["values"] and "lo" in n["data"]["values"][0]
    )
    assert [(v["x"], v["lo"], v["hi"]) for v in shown] == [(r.dose_mg, r.low, r.high) for r in targets.itertuples()]
    ax = drawn.axes[0]
    bars = [c for c in ax.collections if c.get_segments() and len(c.get_segments()) == len(targets)]
    (segments,) = [c.get_segments() for c in bars]
    found = sorted((float(s[0][0]), float(min(s[:, 1])), float(max(s[:, 1]))) for s in segments)
    want = sorted(zip(targets.dose_mg.astype(float), targets.low, targets.high))
    assert np.array(found) == pytest.approx(np.array(want))
    # the model meets the 5 mg range (the point the figure is for): its curve passes inside the bar
    five = curve.set_index("dose_mg").occupancy_percent[5.0]
    assert targets.low[1] <= five <= targets.high[1]


# --- plasma ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def plasma_inputs():
    oral = run(
        {
            "title": "naltrexone 50 mg oral",
            "duration_h": 48.0,
            "output_step_h": 0.1,
            "dose": [{"drug": "naltrexone", "route": "oral", "amount_mg": 50.0, "at_h": [0.0]}],
        }
    )
    xr = run(
        {
            "title": "naltrexone XR 380 mg",
            "duration_h": 24.0 * 42,
            "output_step_h": 1.0,
            "dose": [{"drug": "naltrexone", "route": "im_xr", "amount_mg": 380.0, "at_h": [0.0]}],
        }
    )
    return oral, xr


def test_plasma_panels_side_by_side_with_the_human_ranges(plasma_inputs):
    oral, xr = plasma_inputs
    fig = drawings.plasma_reference(oral, xr)
    assert fig.columns == 2
    charts, drawn = check_both(fig)
    a, b = drawn.axes
    assert a.get_position().y0 == pytest.approx(b.get_position().y0, abs=0.05)  # side by side in a file
    assert a.get_position().x1 < b.get_position().x0
    (tablet,) = layers(fig, 0, Lines)
    assert [(s.label, s.colour, s.dash) for s in tablet.series] == [
        (label(n), colour(n), line_style(n)) for n in ("naltrexone", "naltrexol")
    ]
    assert tablet.frame.naltrexone.to_numpy() == pytest.approx(oral.naltrexone_plasma_ng_per_ml.to_numpy())
    (injection,) = layers(fig, 1, Lines)
    assert injection.frame.x.to_numpy() == pytest.approx(xr.time_h.to_numpy() / 24)
    # shaded human ranges: 6.5-26 ng/mL at the tablet's peak, 1-2 ng/mL at day 28 (marked), on both
    for i, (lo, hi) in enumerate((drawings.ORAL_CMAX, drawings.XR_DAY_28)):
        (span,) = layers(fig, i, Spans)
        assert (span.axis, span.starts, span.ends) == ("y", (lo,), (hi,))
        (rect,) = marks(charts[i], "rect")
        assert rect["data"]["values"] == [{"a": lo, "b": hi}]
        assert rect["mark"]["color"] == span.colour
        patches = [
            pt for pt in drawn.axes[i].patches if to_hex(pt.get_facecolor(), keep_alpha=False) == span.colour.lower()
        ]
        assert [(pt.get_y(), pt.get_y() + pt.get_height()) for pt in patches] == [pytest.approx((lo, hi))]
    assert [(r.axis, r.at, r.text) for r in layers(fig, 1, Rule)] == [("x", 28.0, "day 28")]
    assert any(tuple(line.get_xdata()) == (28, 28) for line in b.lines)
    assert "day 28" in {t.get_text() for t in b.texts}
    # the injection's level crosses the day-28 range near day 28 (what the marks are for)
    at_28 = float(np.interp(28 * 24, xr.time_h, xr.naltrexone_plasma_ng_per_ml))
    assert 0.5 < at_28 < 3
    # titles: two lines in a file, one wrapped text on the screen
    assert charts[0]["title"]["text"] == ["Oral 50 mg (shaded: human Cmax range)"]
    assert a.get_title(loc="left") == "Oral 50 mg\n(shaded: human Cmax range)"


def test_plasma_on_a_phone_stacks_the_panels(plasma_inputs):
    fig = drawings.plasma_reference(*plasma_inputs)
    with narrow_layout(True):
        a, b = mpl.render(fig, False).axes
    assert a.get_position().y0 > b.get_position().y1


# --- blockade ----------------------------------------------------------------------------------------


def test_blockade_ratios_limit_and_the_labels_hours(pet_inputs):
    df = lessons.blockade_ratio_vs_time(heroin_mg=25.0)
    limit = lessons.blocked_ratio()
    fig = drawings.blockade_vs_time(df, limit)
    charts, drawn = check_both(fig)
    (lines,) = layers(fig, 0, Lines)
    doses = sorted(df.naltrexone_mg.unique())
    assert [s.label for s in lines.series] == [f"{mg:g} mg" for mg in doses]
    assert fig.panels[0].legend_title == "naltrexone"
    assert charts[0]["layer"][0]["layer"][0]["encoding"]["color"]["legend"]["title"] == "naltrexone"
    assert drawn.axes[0].get_legend().get_title().get_text() == "naltrexone"
    for i, mg in enumerate(doses):
        d = df[df.naltrexone_mg == mg].sort_values("hours_after")
        assert lines.frame[f"m{i}"].to_numpy() == pytest.approx(d.ratio.to_numpy())
    # the limit, and a dotted line at each dose's hours in the dose's colour, on both
    rules = layers(fig, 0, Rule)
    assert [(r.axis, r.at) for r in rules if r.axis == "y"] == [("y", limit)]
    claims = [(r.at, r.colour, r.dash) for r in rules if r.axis == "x"]
    assert claims == [
        (24.0, drawings.DOSE_BLUES[50.0], ":"),
        (48.0, drawings.DOSE_BLUES[100.0], ":"),
        (72.0, drawings.DOSE_BLUES[150.0], ":"),
    ]
    assert [s.colour for s in lines.series] == [c for _, c, _ in claims]
    shown = sorted((n["data"]["values"][0]["at"], n["mark"]["color"]) for n in marks(charts[0], "rule") if "data" in n)
    assert shown == sorted([(limit, colour("threshold")), *((a, c) for a, c, _ in claims)])
    drawn_x = sorted(
        (line.get_xdata()[0], to_hex(line.get_color())) for line in drawn.axes[0].lines if line.get_linestyle() == ":"
    )
    assert drawn_x == [(a, c.lower()) for a, c, _ in claims]
    assert f"blocked below {limit:g}" in {t.get_text() for t in drawn.axes[0].texts}
    # 50 mg blocks at 24 h and no longer at 72 h in the model: the rule sits between
    ratio_50 = lines.frame.set_index("x").m0
    assert ratio_50[24.0] < limit < ratio_50[72.0]
