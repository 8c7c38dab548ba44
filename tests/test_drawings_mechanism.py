"""The mechanism figures (receptor picture, equilibrium, dose-response, Schild) described once, drawn both ways.

Each description is built from real model output, then drawn for the screen (Vega-Lite) and for the
files (matplotlib); both must show the same series, colours, axes and values as the description and
its source table.
"""

import json
from functools import cache
from typing import Any

import altair as alt
import jsonschema
import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PathCollection
from matplotlib.colors import to_hex

from model import lessons, parse_scenario, simulate
from model.drugs import molecules
from ui import pictures
from ui.drawings import mechanism, mpl, vega
from ui.drawings.spec import Figure, Lines, Points, series_of
from ui.theme import narrow_layout

SCHEMA = jsonschema.Draft7Validator(alt.vegalite.v6.schema.core.load_schema())


@cache
def run():
    """The mechanism page's default run: naltrexone 50 mg, heroin 25 mg IV 24 h later."""
    raw = {
        "title": "heroin 25 mg IV 24 h after naltrexone 50 mg",
        "duration_h": 36.0,
        "output_step_h": 0.05,
        "dose": [
            {"drug": "naltrexone", "route": "oral", "amount_mg": 50.0, "at_h": [0.0]},
            {"drug": "heroin", "route": "iv", "amount_mg": 25.0, "at_h": [24.0]},
        ],
    }
    return simulate(parse_scenario(raw))


@cache
def labels() -> np.ndarray:
    return pictures.receptor_grid(lessons.occupancy_at(run(), 24.5))


@cache
def equilibrium_table() -> pd.DataFrame:
    kd = molecules()["naltrexone"]["kd_nm"]
    return lessons.equilibrium_curves("heroin", (0.0, kd, 10 * kd, 100 * kd))


@cache
def dose_table() -> pd.DataFrame:
    return lessons.dose_response("heroin", "iv", (5, 25, 100, 500), 50.0, (24.0, 72.0))


@cache
def schild_table() -> tuple[pd.DataFrame, float, float]:
    return lessons.schild("heroin")


def figures() -> dict[str, Figure]:
    return {
        "receptors": mechanism.receptor_picture(labels()),
        "equilibrium": mechanism.equilibrium(equilibrium_table(), "heroin"),
        "dose_response": mechanism.dose_response(dose_table(), "heroin"),
        "schild": mechanism.schild(*schild_table()),
    }


NAMES = ("receptors", "equilibrium", "dose_response", "schild")


def plain(o: Any) -> Any:
    """A Vega spec as the browser receives it: tables as records."""
    if isinstance(o, pd.DataFrame):
        return vega.records(o)
    if isinstance(o, dict):
        return {k: plain(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)):
        return [plain(v) for v in o]
    return o


def walk(o: Any):
    """Every dict inside a spec."""
    if isinstance(o, dict):
        yield o
        for v in o.values():
            yield from walk(v)
    elif isinstance(o, list):
        for v in o:
            yield from walk(v)


def colour_scales(chart: dict) -> dict[str, str]:
    """label -> colour of every colour scale of a chart."""
    out = {}
    for d in walk(chart):
        scale = d.get("color", {}).get("scale") if isinstance(d.get("color"), dict) else None
        if scale and "domain" in scale:
            out.update(zip(scale["domain"], scale["range"]))
    return out


def encodings(chart: dict, channel: str) -> list[dict]:
    """Every encoding of ``channel`` in a chart."""
    return [d["encoding"][channel] for d in walk(chart) if channel in d.get("encoding", {})]


def domains(chart: dict, channel: str) -> list[list[float]]:
    """Every scale domain given on ``channel`` in a chart."""
    return [e["scale"]["domain"] for e in encodings(chart, channel) if "domain" in e.get("scale", {})]


def positions(chart: dict, label: str | None = None) -> list[tuple[float, float]]:
    """(x, y) of every point-mark row of a chart (of one series when ``label`` is given)."""
    out = []
    for d in walk(chart):
        if isinstance(d.get("mark"), dict) and d["mark"].get("type") == "point":
            out += [(r["x"], r["y"]) for r in d["data"]["values"] if label is None or r.get("series") == label]
    return out


def mpl_artists(fig) -> dict[str, str]:
    """label -> colour of every labelled line and dot collection of a matplotlib figure."""
    out = {}
    for ax in fig.axes:
        for line in ax.get_lines():
            if not line.get_label().startswith("_"):
                out[line.get_label()] = to_hex(line.get_color())
        for c in ax.collections:
            if isinstance(c, PathCollection) and not c.get_label().startswith("_"):
                out[c.get_label()] = to_hex(c.get_facecolor()[0]) if len(c.get_facecolor()) else ""
    return out


def legend_texts(fig) -> list[str]:
    return [t.get_text() for ax in fig.axes if ax.get_legend() for t in ax.get_legend().texts]


@pytest.mark.parametrize("present", [False, True], ids=["desk", "present"])
@pytest.mark.parametrize("name", NAMES)
def test_vega_spec_is_valid_json_and_vega_lite(name, present):
    fig = figures()[name]
    charts = [plain(c) for c in vega.render(fig, present)]
    assert len(charts) == len(fig.panels)
    for chart in charts:
        json.dumps(chart, allow_nan=False)  # no NaN, no numpy types
        errors = [f"{e.json_path}: {e.message[:200]}" for e in SCHEMA.iter_errors(chart)]
        assert not errors, errors


@pytest.mark.parametrize("name", NAMES)
def test_every_series_has_its_label_and_colour_on_screen_and_in_the_file(name):
    fig = figures()[name]
    expected = dict(series_of(fig))
    assert expected
    on_screen: dict[str, str] = {}
    for chart in vega.render(fig, False):
        on_screen.update(colour_scales(plain(chart)))
    drawn = mpl.render(fig, False)
    FigureCanvasAgg(drawn).draw()
    in_file, legends = mpl_artists(drawn), legend_texts(drawn)
    for label, colour in expected.items():
        assert on_screen.get(label) == colour, label
        assert label in legends, label
        if name != "receptors" or in_file.get(label):  # a holder with no receptor has no dot to colour
            assert in_file.get(label, "").lower() == colour.lower(), label


@pytest.mark.parametrize("name", NAMES)
def test_axis_ranges_and_titles_are_the_descriptions(name):
    fig = figures()[name]
    drawn = mpl.render(fig, False)
    for panel, chart, ax in zip(fig.panels, vega.render(fig, False), drawn.axes):
        chart = plain(chart)
        for channel, axis, lim in (("x", panel.x, ax.get_xlim()), ("y", panel.y, ax.get_ylim())):
            assert axis.domain is not None
            assert domains(chart, channel), channel
            for d in domains(chart, channel):
                assert d == pytest.approx(list(axis.domain)), channel
            if axis.hidden:
                assert not (ax.xaxis if channel == "x" else ax.yaxis).get_visible()
            else:
                assert lim == pytest.approx(axis.domain), channel
                assert (ax.get_xscale() if channel == "x" else ax.get_yscale()) == ("log" if axis.log else "linear")
                assert (ax.get_xlabel() if channel == "x" else ax.get_ylabel()).replace("\n", " ") == axis.title
                titles = [e["title"] for e in encodings(chart, channel) if "title" in e]
                assert titles == [axis.title] * len(titles) and titles, channel
        if panel.title:
            shown = chart.get("title", {}).get("text", [])
            assert " ".join(shown) == panel.title
            assert ax.get_title("left") == panel.title  # the style puts titles on the left


def test_receptor_picture_counts_sum_to_100_and_every_dot_is_placed_once():
    lab = labels()
    fig = mechanism.receptor_picture(lab)
    (panel,) = fig.panels
    assert panel.equal and panel.x.hidden and panel.y.hidden and panel.legend_title == "100 receptors"
    counts = {k: int((lab == k).sum()) for k in mechanism.HOLDERS}
    assert sum(counts.values()) == 100
    assert counts["naltrexone"] > 50  # 24.5 h after a 50 mg tablet most receptors are still held
    names = [layer.label for layer in panel.layers]
    assert [int(n.rsplit(": ", 1)[1]) for n in names] == [counts[k] for k in mechanism.HOLDERS]
    chart = plain(vega.render(fig, False)[0])
    assert chart["layer"][0]["encoding"]["color"]["legend"]["title"] == "100 receptors"
    spots = positions(chart)
    assert len(spots) == len(set(spots)) == 100
    assert {x for x, _ in spots} == {y for _, y in spots} == set(range(10))
    for layer, k in zip(panel.layers, mechanism.HOLDERS):
        assert len(positions(chart, layer.label)) == counts[k]
    # the first row of the grid (labels 0..9) is on top, as in the old picture
    for i, k in enumerate(lab[:10]):
        assert (float(i), 9.0) in positions(chart, names[mechanism.HOLDERS.index(k)])
    drawn = mpl.render(fig, False)
    (ax,) = drawn.axes
    dots = {c.get_label(): c.get_offsets() for c in ax.collections}
    assert sum(len(v) for v in dots.values()) == 100
    assert ax.get_legend().get_title().get_text() == "100 receptors"
    assert legend_texts(drawn) == names


def test_receptor_picture_legend_sits_below_the_picture_on_a_phone():
    with narrow_layout(True):
        drawn = mpl.render(mechanism.receptor_picture(labels()), False)
    FigureCanvasAgg(drawn).draw()
    (ax,) = drawn.axes
    legend, picture = ax.get_legend().get_window_extent(), ax.get_window_extent()
    assert legend.y1 <= picture.y0 + 1  # never over the dots


def test_equilibrium_curves_are_the_table_in_both_renderings():
    eq = equilibrium_table()
    fig = mechanism.equilibrium(eq, "heroin")
    assert fig.columns == 2 and [p.title for p in fig.panels] == ["Occupancy", "Reward"]
    levels = sorted(eq.naltrexone_nm.unique())
    drawn = mpl.render(fig, False)
    for panel, chart, ax, column, scale in zip(
        fig.panels, vega.render(fig, False), drawn.axes, ("occupancy_agonist", "reward"), (100, 1)
    ):
        (lines,) = panel.layers
        assert isinstance(lines, Lines)
        data = chart["data"]["values"]  # the top-level table, sent as Arrow
        assert [s.label for s in lines.series] == ["no naltrexone", *(f"naltrexone {lv:g} nM" for lv in levels[1:])]
        for s, lv in zip(lines.series, levels):
            d = eq[eq.naltrexone_nm == lv].sort_values("agonist_nm")
            np.testing.assert_allclose(data.x, d.agonist_nm, rtol=1e-6)
            np.testing.assert_allclose(data[s.column], scale * d[column].to_numpy(), atol=1e-6)
            (line,) = [x for x in ax.get_lines() if x.get_label() == s.label]
            np.testing.assert_allclose(line.get_ydata(), scale * d[column].to_numpy())
    # side by side in the file, the legend once, right of the second panel; tick labels short (no '1e+06')
    FigureCanvasAgg(drawn).draw()
    assert [ax.get_legend() is not None for ax in drawn.axes] == [False, True]
    ticks = [t.get_text() for ax in drawn.axes for t in ax.get_xticklabels() if t.get_text()]
    assert ticks and not any("e+" in t or "e-" in t for t in ticks), ticks
    assert "10⁶" in ticks
    with narrow_layout(True):  # a phone stacks the panels: each keeps its legend
        stacked = mpl.render(fig, False)
    assert [ax.get_legend() is not None for ax in stacked.axes] == [True, True]


def test_dose_response_points_are_the_table():
    dr = dose_table()
    fig = mechanism.dose_response(dr, "heroin")
    (panel,) = fig.panels
    (lines,) = panel.layers
    assert lines.points and panel.x.log and panel.x.domain == (5.0, 500.0) and panel.y.domain == (0, 1)
    assert panel.title == "The dose-response curve shifts to the right"
    assert [(s.label, s.dash) for s in lines.series] == [
        ("no naltrexone", "--"),
        ("24 h after naltrexone", "-"),
        ("72 h after naltrexone", "-."),
    ]
    chart = vega.render(fig, False)[0]
    data = chart["data"]["values"]
    line_mark = chart["layer"][0]["layer"][0]
    assert line_mark["mark"]["point"] is True
    assert line_mark["encoding"]["strokeDash"]["scale"]["range"][0] == vega.DASHES["--"]
    drawn = mpl.render(fig, False)
    (ax,) = drawn.axes
    by_label = {x.get_label(): x for x in ax.get_lines()}
    first = dr[dr.hours_after_naltrexone == 24.0].sort_values("dose_mg")
    np.testing.assert_allclose(data.without, first.increment_without, atol=1e-6)
    assert by_label["no naltrexone"].get_linestyle() == "--" and by_label["no naltrexone"].get_marker() == "o"
    for s, h in zip(lines.series[1:], (24.0, 72.0)):
        d = dr[dr.hours_after_naltrexone == h].sort_values("dose_mg")
        np.testing.assert_allclose(data.x, d.dose_mg)
        np.testing.assert_allclose(data[s.column], d.increment_with, atol=1e-6)
        np.testing.assert_allclose(by_label[s.label].get_xydata(), d[["dose_mg", "increment_with"]].to_numpy())
    # the blockade shifts the curve right: at 100 mg, 24 h after the tablet, the effect is well below without it
    assert data.h0[2] < 0.6 * data.without[2]


def test_schild_points_fit_and_zero_line_are_the_table():
    sch, slope, pa2 = schild_table()
    fig = mechanism.schild(sch, slope, pa2)
    (panel,) = fig.panels
    points = next(layer for layer in panel.layers if isinstance(layer, Points))
    fit = next(layer for layer in panel.layers if isinstance(layer, Lines))
    np.testing.assert_array_equal(points.x, sch.log10_naltrexone_nm)
    np.testing.assert_array_equal(points.y, sch.log10_dose_ratio_minus_1)
    (series,) = fit.series
    assert series.label == f"fit: slope {slope:.2f}, pA2 {pa2:.2f}" == "fit: slope 1.00, pA2 8.66"
    assert series.dash == "--"
    chart = plain(vega.render(fig, False)[0])
    spots = positions(chart, "model")
    np.testing.assert_allclose(spots, sch[["log10_naltrexone_nm", "log10_dose_ratio_minus_1"]].to_numpy(), atol=1e-6)
    # the fitted line has slope ~1 and every point within 0.01 of it; the line y = 0 is drawn
    xy = np.array([(r["x"], r["fit"]) for r in chart["data"]["values"]])
    assert np.polyfit(xy[:, 0], xy[:, 1], 1)[0] == pytest.approx(slope, abs=1e-4)
    assert np.abs(np.interp(points.x, xy[:, 0], xy[:, 1]) - points.y).max() < 0.01
    rules = [d for d in walk(chart) if isinstance(d.get("mark"), dict) and d["mark"].get("type") == "rule"]
    assert any(r.get("data", {}).get("values", [{}])[0].get("at") == 0.0 for r in rules)
    # every point and the whole fitted line inside the axes
    assert panel.x.domain[0] <= xy[:, 0].min() and xy[:, 0].max() <= panel.x.domain[1]
    assert panel.y.domain[0] < min(xy[:, 1].min(), points.y.min())
    assert max(xy[:, 1].max(), points.y.max()) < panel.y.domain[1]
    drawn = mpl.render(fig, False)
    (ax,) = drawn.axes
    (dots,) = [c for c in ax.collections if c.get_label() == "model"]
    np.testing.assert_allclose(dots.get_offsets(), sch[["log10_naltrexone_nm", "log10_dose_ratio_minus_1"]].to_numpy())
    assert any(np.allclose(x.get_ydata(), 0.0) for x in ax.get_lines())  # the y = 0 line
    assert "dose ratio 2" in [t.get_text() for t in ax.texts]


def test_receptor_picture_before_the_tablet_lists_every_holder_even_with_none():
    fig = mechanism.receptor_picture(pictures.receptor_grid({"naltrexone": 0.0, "naltrexol": 0.0, "agonist": 0.0}))
    names = ["free receptor: 100", "naltrexone: 0", "6-beta-naltrexol: 0", "agonist (opioid): 0"]
    assert [layer.label for layer in fig.panels[0].layers] == names
    chart = plain(vega.render(fig, True)[0])
    assert not list(SCHEMA.iter_errors(chart))
    assert list(colour_scales(chart)) == names
    assert len(positions(chart, names[0])) == 100
    assert legend_texts(mpl.render(fig, True)) == names


def test_a_long_table_on_its_grid_matches_a_pivot_table():
    from ui.drawings.spec import grid

    rng = np.random.default_rng(3)
    df = pd.DataFrame(
        {"h": rng.choice([6.0, 24.0, 72.0], 40), "mg": rng.choice([5.0, 25.0, 100.0, 250.0], 40), "v": rng.random(40)}
    )
    df = df[~((df.h == 72.0) & (df.mg == 5.0))]  # a missing pair
    rows, cols, values = grid(df.h, df.mg, df.v)
    pivot = df.pivot_table(index="h", columns="mg", values="v").reindex(index=rows, columns=cols)
    np.testing.assert_allclose(values, pivot.to_numpy(), equal_nan=True)
    assert np.isnan(values[-1, 0])
