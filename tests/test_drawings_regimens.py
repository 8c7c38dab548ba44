"""The regimens and compare figures, described once: the screen (Vega-Lite) and the file (matplotlib) agree.

Each description is built from real model output, as the pages build it, and drawn both ways.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import altair as alt
import jsonschema
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex
from matplotlib.patches import Rectangle
from test_figure_text import problems

from model import lessons, parse_scenario, simulate
from model.population import simulate_population
from ui.drawings import mpl, vega
from ui.drawings.compare import agonist_names, compare
from ui.drawings.regimens import DAY_STATES, MEASURES, protection_bars, regimens
from ui.drawings.spec import Bars, Figure, Lines, Panel, Rule
from ui.theme import GREYS, PLAN_COLOURS, RISK_FILL, colour, fit_narrow, label, line_style, narrow_layout

KINDS = {"oral daily": "oral", "monthly injection": "im_xr", "implant": "implant"}
SHARE = {"oral daily": 0.4, "monthly injection": 0.8, "implant": 1.0}  # the page's starting settings
DAYS = 90
BAND_FOR = "monthly injection"


def regimen(name: str, taken: float, people: int = 0) -> dict[str, Any]:
    """The raw scenario of one regimen, as pages/regimens.py builds it (``people``: a population run)."""
    return {
        "title": name,
        "duration_h": 24.0 * DAYS,
        "output_step_h": 1.0,
        "options": {"seed": 1, **({"population": people} if people else {})},
        "dose": lessons.regimen_doses(KINDS[name], DAYS, taken, attendance=taken),
    }


@pytest.fixture(scope="module")
def runs() -> dict[str, Any]:
    tables, protected, rows = {}, {}, []
    for name in KINDS:
        r = simulate(parse_scenario(regimen(name, SHARE[name])))
        tables[name], protected[name] = r.table, lessons.days_protected(r)
        p = protected[name]
        rows.append(
            {
                "regimen": name,
                "days": DAYS,
                "days_protected": int(p.protected.sum()),
                "days_occupancy_ge_90": int(p.occupancy_ge_90.sum()),
            }
        )
    bands = simulate_population(parse_scenario(regimen(BAND_FOR, SHARE[BAND_FOR], people=12))).bands
    return {"tables": tables, "protected": protected, "summary": pd.DataFrame(rows), "bands": bands}


def agonists(factor: float) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    """The compare page's table and 12 h reward curves at ``factor`` x the typical doses."""
    table = lessons.compare_agonists(dose_factor=factor)
    curves = {}
    for drug, (route, mg) in lessons.AGONIST_DOSES.items():
        raw = {
            "title": drug,
            "duration_h": 12.0,
            "output_step_h": 0.05,
            "dose": [{"drug": drug, "route": route, "amount_mg": mg * factor, "at_h": [0.0]}],
        }
        curves[drug] = simulate(parse_scenario(raw)).table
    return table, curves


@pytest.fixture(scope="module")
def typical() -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    return agonists(1.0)


@pytest.fixture(scope="module")
def eightfold() -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    return agonists(8.0)


@pytest.fixture(scope="module")
def figures(runs, typical, eightfold) -> dict[str, Figure]:
    return {
        "regimens": regimens(runs["tables"], runs["protected"], runs["bands"], BAND_FOR),
        "regimens, no band": regimens(runs["tables"], runs["protected"]),
        "protection": protection_bars(runs["summary"]),
        "compare": compare(*typical, 2.0),
        "compare, 8x at 2 ng/mL": compare(*eightfold, 2.0),
        "compare, no level": compare(*typical),
    }


# --- reading the two drawings -----------------------------------------------------------------------


def plain(spec: Any) -> Any:
    """A Vega-Lite spec as the browser receives it: DataFrames as records."""
    if isinstance(spec, dict):
        return {k: plain(v) for k, v in spec.items()}
    if isinstance(spec, list):
        return [plain(v) for v in spec]
    if isinstance(spec, pd.DataFrame):
        return vega.records(spec)
    return spec


def walk(spec: Any) -> Iterator[dict[str, Any]]:
    """Every mapping inside a spec."""
    if isinstance(spec, dict):
        yield spec
        for v in spec.values():
            yield from walk(v)
    elif isinstance(spec, list):
        for v in spec:
            yield from walk(v)


def screen(fig: Figure) -> list[dict[str, Any]]:
    """The figure's charts, one per panel, JSON-ready (refused with NaN or infinity)."""
    charts = [plain(c) for c in vega.render(fig, False)]
    json.dumps(charts, allow_nan=False)
    return charts


def vega_colours(chart: dict[str, Any]) -> set[tuple[str, str]]:
    """(label, colour) of every colour scale of a chart."""
    out = set()
    for d in walk(chart):
        s = d.get("scale")
        if isinstance(s, dict) and isinstance(s.get("range"), list) and all(isinstance(c, str) for c in s["range"]):
            out |= set(zip(s["domain"], s["range"]))
    return out


def vega_domains(chart: dict[str, Any], channel: str) -> list[tuple[float, float, str]]:
    """Every (low, high, scale type) given to the ``channel`` position of a chart's layers."""
    out = []
    for d in walk(chart):
        enc = d.get("encoding", {}).get(channel)
        if isinstance(enc, dict) and "domain" in enc.get("scale", {}):
            lo, hi = enc["scale"]["domain"]
            out.append((lo, hi, enc["scale"]["type"]))
    return out


def layer_values(chart: dict[str, Any], mark: str) -> list[list[dict[str, Any]]]:
    """The data of each layer of a chart drawn with ``mark``."""
    out = []
    for d in walk(chart):
        m = d.get("mark")
        if (m == mark or (isinstance(m, dict) and m.get("type") == mark)) and "values" in d.get("data", {}):
            out.append(d["data"]["values"])
    return out


def hexof(c: Any) -> str:
    """A matplotlib colour as lower-case #rrggbb (alpha dropped)."""
    return to_hex(c, keep_alpha=False)


def entries(panel: Panel) -> set[tuple[str, str]]:
    """(label, colour) of the panel's legend: every line, every labelled group of bars."""
    out = set()
    for layer in panel.layers:
        if isinstance(layer, Lines):
            out |= {(s.label, s.colour) for s in layer.series}
        elif isinstance(layer, Bars) and layer.label:
            out.add((layer.label, layer.colours[0]))
    return out


def legend(ax: Any) -> list[tuple[str, str]]:
    """(label, colour) of every entry of an axes' legend in the file."""
    lg = ax.get_legend()
    if lg is None:
        return []
    out = []
    for text, handle in zip(lg.get_texts(), lg.legend_handles):
        c = handle.get_color() if hasattr(handle, "get_color") and not isinstance(handle, Rectangle) else None
        out.append((text.get_text(), hexof(c if c is not None else handle.get_facecolor())))
    return out


def bars_of(ax: Any) -> list[Rectangle]:
    """The bars drawn on an axes (not the legend's patches nor the background)."""
    return [p for c in ax.containers for p in c.patches]


def file_of(fig: Figure, present: bool = False) -> Any:
    return mpl.render(fig, present)


# --- every figure ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key",
    ["regimens", "regimens, no band", "protection", "compare", "compare, 8x at 2 ng/mL", "compare, no level"],
)
def test_every_series_and_range_on_the_screen_and_in_the_file(figures, key):
    fig = figures[key]
    charts, drawn = screen(fig), file_of(fig)
    assert len(charts) == len(fig.panels) == len(drawn.axes)
    for panel, chart, ax in zip(fig.panels, charts, drawn.axes):
        # each legend entry: its label and colour in the chart's colour scale and in the file's legend
        want = entries(panel)
        assert want <= vega_colours(chart)
        assert {(t, c.lower()) for t, c in want} <= set(legend(ax))
        for which, axis in (("x", panel.x), ("y", panel.y)):
            if axis.categories:
                enc = [d["encoding"][which] for d in walk(chart) if which in d.get("encoding", {})]
                assert {tuple(e["sort"]) for e in enc if "sort" in e} == {axis.categories}
                assert [t.get_text() for t in ax.get_yticklabels()] == list(axis.categories)
                continue
            kind = "log" if axis.log else "linear"
            assert set(vega_domains(chart, which)) == {(*map(float, axis.domain), kind)}
            lim = ax.get_xlim() if which == "x" else ax.get_ylim()
            assert lim == pytest.approx(axis.domain)
            assert (ax.get_xscale() if which == "x" else ax.get_yscale()) == kind
            title = [
                d["encoding"][which]["title"] for d in walk(chart) if "title" in d.get("encoding", {}).get(which, {})
            ]
            assert set(title) == {axis.title}  # on each layer that draws the axis
            label_of = ax.get_xlabel() if which == "x" else ax.get_ylabel()
            assert label_of.replace("\n", " ") == axis.title or which == "x" and label_of == ""  # shared time axis
        if panel.title:
            assert " ".join(chart["title"]["text"]) == panel.title.replace("\n", " ")  # the screen wraps it
            assert ax.get_title(loc="left") == panel.title


@pytest.mark.parametrize("key", ["regimens", "protection", "compare", "compare, 8x at 2 ng/mL", "compare, no level"])
@pytest.mark.parametrize("present", [False, True])
def test_vega_lite_schema_accepts_every_chart(figures, key, present):
    validator = jsonschema.Draft7Validator(alt.vegalite.v6.schema.core.load_schema())
    for chart in vega.render(figures[key], present):
        chart = plain(chart)
        json.dumps(chart, allow_nan=False)
        assert not [e.message for e in validator.iter_errors(chart)]


@pytest.mark.parametrize("key", ["regimens", "protection", "compare", "compare, 8x at 2 ng/mL"])
@pytest.mark.parametrize(
    ("present", "narrow"), [(False, False), (True, False), (False, True)], ids=["desktop", "presentation", "phone"]
)
def test_file_text_inside_the_canvas_and_apart(figures, key, present, narrow):
    with narrow_layout(narrow):
        drawn = mpl.render(figures[key], present)
        if narrow:
            fit_narrow(drawn)
    assert not problems(drawn)


# --- regimens -------------------------------------------------------------------------------------------


def test_regimens_lines_and_rules_come_from_the_runs(runs, figures):
    fig = figures["regimens"]
    tables = runs["tables"]
    plasma, held, days = fig.panels
    lines = plasma.layers[0]
    assert isinstance(lines, Lines)
    assert [(s.label, s.colour) for s in lines.series] == [(n, PLAN_COLOURS[n]) for n in KINDS]
    for s, name in zip(lines.series, KINDS):
        np.testing.assert_array_equal(lines.frame[s.column], tables[name].naltrexone_plasma_ng_per_ml)
        np.testing.assert_allclose(held.layers[0].frame[s.column], 100 * tables[name].occupancy_antagonist)
    np.testing.assert_allclose(lines.frame.x, tables["implant"].time_h / 24)
    assert [(r.at, r.text) for r in plasma.layers if isinstance(r, Rule)] == [(1.0, "1 ng/mL"), (2.0, "2 ng/mL")]
    assert [(r.at, r.text) for r in held.layers if isinstance(r, Rule)] == [(90.0, "90 %")]
    assert plasma.x.domain == held.x.domain == days.x.domain == (0.0, DAYS)

    charts, drawn = screen(fig), file_of(fig)
    # the screen: the same curves (thinned, peaks kept), the band of the monthly injection, the rules
    top = charts[0]["data"]["values"]
    peak = max(r["r0"] for r in top if r["r0"] is not None)
    assert peak == pytest.approx(tables["oral daily"].naltrexone_plasma_ng_per_ml.max(), rel=1e-5)
    rules = [v[0]["at"] for v in layer_values(charts[0], "rule")]
    assert rules == [1.0, 2.0]
    band = [
        d for d in walk(charts[0]) if d.get("mark", {}) == {"type": "area", "opacity": 0.18, "color": GREYS["band"]}
    ]
    assert len(band) == 1
    tips = [t["title"] for d in walk(charts[1]) for t in d.get("encoding", {}).get("tooltip", []) if "title" in t]
    assert f"{BAND_FOR}, people: median" in tips
    # the file: every curve whole, the band in the legend
    ax = drawn.axes[0]
    by_label = {ln.get_label(): ln for ln in ax.lines}
    for name in KINDS:
        np.testing.assert_array_equal(by_label[name].get_ydata(), tables[name].naltrexone_plasma_ng_per_ml)
        assert hexof(by_label[name].get_color()) == PLAN_COLOURS[name].lower()
    assert f"{BAND_FOR}, people: 5-95 %" in [t for t, _ in legend(ax)]
    assert f"{BAND_FOR}, people: median" in [t for t, _ in legend(drawn.axes[1])]


def test_regimens_protected_days_are_the_tables_days(runs, figures):
    protected = runs["protected"]
    panel = figures["regimens"].panels[2]
    assert panel.y.categories == tuple(KINDS)
    layers = [la for la in panel.layers if isinstance(la, Bars)]
    assert [(la.label, la.colours[0]) for la in layers] == list(DAY_STATES)
    assert DAY_STATES == (("protected", colour("naltrexone")), ("not protected", RISK_FILL))
    drawn = file_of(figures["regimens"]).axes[2]
    patches = bars_of(drawn)
    chart = screen(figures["regimens"])[2]
    screen_bars = [v for v in layer_values(chart, "bar")]
    assert len(screen_bars) == len(layers)
    for layer, state, values in zip(layers, (True, False), screen_bars):
        assert set(layer.colours) == {layer.colours[0]}  # one colour for every regimen
        for row, name in enumerate(KINDS):
            p = protected[name]
            mine = [(a, b) for c, a, b in zip(layer.categories, layer.start, layer.end) if c == name]
            # as many days in the bars as the table has days in this state, and each one of them in it
            assert sum(b - a for a, b in mine) == (p.protected == state).sum()
            covered = sorted(int(d) for a, b in mine for d in range(int(a) + 1, int(b) + 1))
            assert covered == sorted(p.day[p.protected == state].astype(int))
            # the screen gets the same bars, the file draws them on the regimen's row in the state's colour
            assert sorted((v["start"], v["end"]) for v in values if v["category"] == name) == sorted(mine)
            drawn_here = [
                q
                for q in patches
                if abs(q.get_y() + q.get_height() / 2 - row) < 1e-9
                and hexof(q.get_facecolor()) == layer.colours[0].lower()
            ]
            drawn_spans = sorted((q.get_x(), q.get_x() + q.get_width()) for q in drawn_here)
            np.testing.assert_allclose(np.reshape(drawn_spans, (-1, 2)), np.reshape(sorted(mine), (-1, 2)))
    # unprotected days exist at the page's starting adherence: both states are on the screen and in the file
    assert sum(len(v) for v in screen_bars) == len(patches) > len(KINDS)


def test_regimens_without_unprotected_days_draws_no_empty_layer(runs):
    every = {n: p.assign(protected=True) for n, p in runs["protected"].items()}
    fig = regimens(runs["tables"], every)
    layers = [la for la in fig.panels[2].layers if isinstance(la, Bars)]
    assert [la.label for la in layers] == ["protected"]
    assert [(la.start.tolist(), la.end.tolist()) for la in layers] == [([0.0] * 3, [float(DAYS)] * 3)]
    assert [t for t, _ in legend(file_of(fig).axes[2])] == ["protected"]
    assert vega_colours(screen(fig)[2]) == {DAY_STATES[0]}


def test_protection_bars_show_the_summary(runs, figures):
    summary = runs["summary"]
    fig = figures["protection"]
    (panel,) = fig.panels
    assert panel.y.categories == tuple(KINDS)
    assert panel.x.domain == pytest.approx((0.0, 1.1 * DAYS))
    chart, ax = screen(fig)[0], file_of(fig).axes[0]
    texts = {t.get_text() for t in ax.texts}
    values = layer_values(chart, "bar")
    assert len(values) == len(MEASURES) == len([la for la in panel.layers if isinstance(la, Bars)])
    for (col, name, fill, offset), layer, rows in zip(MEASURES, panel.layers, values):
        days = summary[col].to_numpy(dtype=float)
        assert (layer.label, layer.colours[0], layer.offset) == (name, fill, offset)
        np.testing.assert_array_equal(layer.end, days)
        assert [r["end"] for r in rows] == days.tolist()
        assert [r["text"] for r in rows] == [f"{d:g}" for d in days]
        assert {f"{d:g}" for d in days} <= texts
        drawn = sorted(
            (q.get_y() + q.get_height() / 2, q.get_width())
            for q in bars_of(ax)
            if hexof(q.get_facecolor()) == fill.lower()
        )
        np.testing.assert_allclose(drawn, [(i + offset, d) for i, d in enumerate(days)])
    # heroin's bar above the 90 % bar in each row: on the screen (group order) and in the file (first row on top)
    groups = [d["encoding"]["yOffset"]["sort"] for d in walk(chart) if "yOffset" in d.get("encoding", {})]
    assert groups and all(g == [MEASURES[0][3], MEASURES[1][3]] for g in groups)
    assert ax.get_ylim()[0] > ax.get_ylim()[1]


# --- compare --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("key", "factor", "level"), [("compare", 1.0, 2.0), ("compare, 8x at 2 ng/mL", 8.0, 2.0)])
def test_compare_fades_exactly_the_doses_the_level_does_not_block(figures, typical, eightfold, key, factor, level):
    table, curves = typical if factor == 1.0 else eightfold
    fig = figures[key]
    reward, need = fig.panels
    lines = reward.layers[0]
    assert [(s.label, s.colour, s.dash) for s in lines.series] == [(label(d), colour(d), line_style(d)) for d in curves]
    for s, d in zip(lines.series, curves):
        np.testing.assert_array_equal(lines.frame[s.column], curves[d].reward_without_naltrexone)
    (bars,) = [la for la in need.layers if isinstance(la, Bars)]
    values = table.naltrexone_plasma_ng_per_ml_to_block.to_numpy(dtype=float)
    expect = ~(np.isfinite(values) & (values <= level))
    assert bars.faded == tuple(expect)
    assert bars.categories == agonist_names(table) == need.y.categories
    np.testing.assert_array_equal(bars.end, values)
    assert bars.texts == tuple(f"{v:.2g}" for v in values)
    assert bars.colours == tuple(colour(d) for d in table.drug)
    lo, hi = need.x.domain
    assert (lo, hi) == pytest.approx((min(values.min(), level, 1.0) / 3, max(values.max(), level, 1.0) * 6))
    assert np.all(bars.start == lo) and need.x.log
    assert [(r.at, r.dash, r.colour) for r in need.layers if isinstance(r, Rule)] == [(level, "--", "#000000")]
    assert f"the chosen {level:g} ng/mL" in need.title

    chart, ax = screen(fig)[1], file_of(fig).axes[1]
    (rows,) = layer_values(chart, "bar")
    assert [r["faded"] for r in rows] == expect.tolist()
    np.testing.assert_allclose([r["end"] for r in rows], values, atol=1e-6)  # rounded to 6 decimals
    assert [r["colour"] for r in rows] == list(bars.colours)
    (rule,) = layer_values(chart, "rule")
    assert rule == [{"at": level, "text": ""}]
    assert any(
        d.get("mark", {}).get("strokeDash") == vega.DASHES["--"] for d in walk(chart) if isinstance(d.get("mark"), dict)
    )
    patches = sorted(bars_of(ax), key=lambda q: q.get_y())
    assert [q.get_hatch() == "//" for q in patches] == expect.tolist()
    assert [q.get_alpha() for q in patches] == [0.35 if f else 1.0 for f in expect]
    assert [hexof(q.get_facecolor()) for q in patches] == [c.lower() for c in bars.colours]
    assert [q.get_x() + q.get_width() for q in patches] == pytest.approx(values.tolist())
    assert [t.get_text() for t in ax.texts] == list(bars.texts)
    level_lines = [ln for ln in ax.lines if list(ln.get_xdata()) == [level, level]]
    assert len(level_lines) == 1 and level_lines[0].get_linestyle() == "--"
    if factor == 8.0:
        assert expect.any() and not expect.all()  # at 8 x, 2 ng/mL blocks some doses, not all
    else:
        assert not expect.any()  # at the typical doses 2 ng/mL blocks every one


def test_compare_a_dose_that_cannot_be_blocked(typical):
    table, curves = typical
    table = table.copy()
    table.loc[0, "naltrexone_plasma_ng_per_ml_to_block"] = np.nan
    fig = compare(table, curves, 2.0)
    (bars,) = [la for la in fig.panels[1].layers if isinstance(la, Bars)]
    assert bars.faded[0] and not any(bars.faded[1:])
    assert bars.texts[0] == "not blocked"
    (rows,) = layer_values(screen(fig)[1], "bar")
    assert rows[0]["end"] is None and rows[0]["text"] == "not blocked"  # JSON null, filtered out on the screen
    ax = file_of(fig).axes[1]
    assert len(bars_of(ax)) == len(table) - 1
    assert ax.texts[0].get_text() == "not blocked"
    assert ax.texts[0].xy[0] == pytest.approx(fig.panels[1].x.domain[0])


def test_compare_without_a_level(figures):
    need = figures["compare, no level"].panels[1]
    assert not [r for r in need.layers if isinstance(r, Rule)]
    assert need.title == "Naltrexone needed to block"
    assert not any(need.layers[0].faded)


def test_phone_file_keeps_long_names_on_two_lines_and_tall_bars(figures):
    with narrow_layout(True):
        drawn = fit_narrow(mpl.render(figures["compare"], False))
    names = [t.get_text() for t in drawn.axes[1].get_yticklabels()]
    assert names[-1] == "buprenorphine\n8 mg sublingual"
    assert all(max(map(len, n.split("\n"))) <= 16 for n in names)
    assert drawn.get_figheight() > 2 * 3.0  # the bar panel keeps its extra height
    a, b = (ax.get_position().height for ax in drawn.axes)
    assert b / a == pytest.approx(figures["compare"].panels[1].height, rel=0.15)
