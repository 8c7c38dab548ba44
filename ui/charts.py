"""Screen charts drawn in the browser (Vega-Lite): the server ships a table, the browser draws it.

A change of a control then costs no figure drawing on the server, text keeps its size on a phone,
and pointing at a chart shows every series at that time with its unit. The same panels as
:mod:`ui.plots` (whose matplotlib figures remain the downloads), in the same colours and styles.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .beyond_plots import PLAN_STYLES
from .plots import _species, binding_species, time_axis
from .theme import BLUES, GREYS, PLAN_COLOURS, RISK_FILL, colour, label, line_style

#: matplotlib line styles as Vega-Lite stroke dashes.
DASHES = {
    "-": [1, 0],
    "solid": [1, 0],
    "--": [6, 3],
    "dashed": [6, 3],
    ":": [2, 2],
    "dotted": [2, 2],
    "-.": [6, 2, 2, 2],
    "dashdot": [6, 2, 2, 2],
}
PANEL_HEIGHT = {False: 170, True: 230}  # px per panel: desk, presentation
MAX_POINTS = 400  # rows sent per panel at most: a panel is ~1000 px wide (the cursor below reads every output step)


def _thin(n: int, *series: np.ndarray) -> np.ndarray:
    """Row indices kept for the screen (at most MAX_POINTS).

    All of them up to MAX_POINTS, else evenly spread rows (ends kept) plus, between each two of them,
    the rows where each of ``series`` is highest and lowest, so that a peak lasting minutes in a run
    of weeks is still drawn. The browser draws and interprets every row, so fewer rows answer a
    control sooner.
    """
    if n <= MAX_POINTS:
        return np.arange(n)
    buckets = MAX_POINTS // 2
    while True:
        size = -(-n // buckets)
        base = np.arange(buckets) * size
        keep = [np.arange(0, n, size), np.array([n - 1])]
        for y in series:
            v = np.full(buckets * size, np.nan)
            v[:n] = np.asarray(y, dtype=float)
            v = v.reshape(buckets, size)
            missing = np.isnan(v)
            keep += [
                base + np.argmax(np.where(missing, -np.inf, v), axis=1),
                base + np.argmin(np.where(missing, np.inf, v), axis=1),
            ]
        rows = np.unique(np.concatenate(keep))
        rows = rows[rows < n]
        if rows.size <= MAX_POINTS or buckets <= 8:
            return rows
        buckets //= 2


def _keep(*frames: pd.DataFrame) -> np.ndarray:
    """:func:`_thin` for panels whose data frames (same rows) hold x and the plotted columns."""
    return _thin(len(frames[0]), *(f[c].to_numpy() for f in frames for c in f.columns if c != "x"))


def _panel(
    data: pd.DataFrame,
    series: Sequence[tuple[str, str, str, str]],
    y_title: str,
    x_title: str,
    present: bool,
    *,
    log: bool = False,
    stacked: bool = False,
    y_domain: Sequence[float] | None = None,
    extra: Sequence[dict] = (),
    unit: str = "",
    log_x: bool = False,
    points: bool = False,
) -> dict[str, Any]:
    """One panel: ``series`` are (column, legend label, colour, matplotlib line style) drawn against column x.

    A pointer over the panel shows a rule at the nearest time and a tooltip with every series there.
    """
    names = [s[1] for s in series]
    floor = float(y_domain[0]) if (log and y_domain) else 1e-300  # log axis: lower values are gaps
    fold = {"fold": [s[0] for s in series], "as": ["column", "value"]}
    lookup = (
        {"calculate": " : ".join(f"datum.column === '{c}' ? '{n}'" for c, n, _, _ in series) + " : ''", "as": "series"}
        if series
        else {"calculate": "''", "as": "series"}
    )
    colours = {
        "field": "series",
        "type": "nominal",
        "sort": names,
        "scale": {"domain": names, "range": [s[2] for s in series]},
        # two columns of short labels, or one of long ones: fits a phone
        "legend": {
            "title": None,
            "orient": "bottom",
            "columns": 2 if max(map(len, names), default=0) <= 24 else 1,
            "labelLimit": 360,
        },
    }
    y: dict[str, Any] = {
        "field": "value",
        "type": "quantitative",
        "title": y_title,
        "scale": {"type": "log" if log else "linear", **({"domain": list(y_domain)} if y_domain else {})},
    }
    x = {
        "field": "x",
        "type": "quantitative",
        "title": x_title,
        "scale": {
            "type": "log" if log_x else "linear",
            "domain": [float(data.x.iloc[0]), float(data.x.iloc[-1])],
            "nice": False,
        },
    }
    if stacked:
        y["stack"] = "zero"
        marks: dict[str, Any] = {
            "mark": {"type": "area", "opacity": 0.9},
            "encoding": {"x": x, "y": y, "color": colours, "order": {"field": "order", "type": "quantitative"}},
        }
        order = {
            "calculate": " : ".join(f"datum.column === '{c}' ? {i}" for i, (c, *_) in enumerate(series)) + " : 99",
            "as": "order",
        }
        marks["transform"] = [fold, lookup, order]
    else:
        marks = {
            # on a log axis a value below the axis (or rounded to 0) has no place: a gap, never a bridge
            "mark": {
                "type": "line",
                "strokeWidth": 2.5 if present else 2,
                "clip": True,
                "point": points,
                **({"invalid": "break-paths-filter-domains"} if log else {}),
            },
            "encoding": {
                "x": x,
                "y": y,
                "color": colours,
                "strokeDash": {
                    "field": "series",
                    "type": "nominal",
                    "sort": names,
                    "legend": None,
                    "scale": {"domain": names, "range": [DASHES.get(s[3], [1, 0]) for s in series]},
                },
            },
            "transform": [
                fold,
                lookup,
                *([{"calculate": f"datum.value >= {floor!r} ? datum.value : null", "as": "value"}] if log else []),
            ],
        }
    tip = [{"field": "x", "type": "quantitative", "title": x_title, "format": ".4~g"}] + [
        {"field": c, "type": "quantitative", "title": f"{n}{f' ({unit})' if unit else ''}", "format": ".4~g"}
        for c, n, _, _ in series
    ]
    hover = {
        "mark": {"type": "rule", "color": GREYS["outline"]},
        "params": [
            {
                "name": "at",
                "select": {
                    "type": "point",
                    "fields": ["x"],
                    "nearest": True,
                    "on": "pointerover",
                    "clear": "pointerout",
                },
            }
        ],
        "encoding": {
            "x": {"field": "x", "type": "quantitative"},
            "opacity": {"condition": {"param": "at", "empty": False, "value": 0.6}, "value": 0},
            "tooltip": tip,
        },
    }
    # The table itself: Streamlit sends a chart's top-level data as Arrow (NaN arrives as null: a gap in a line).
    return {
        "height": PANEL_HEIGHT[present],
        "width": "container",
        "data": {"values": data.reset_index(drop=True)},
        "layer": [marks, *extra, hover],
    }


def _rule_y(value: float, text: str) -> dict[str, Any]:
    """A dotted horizontal reference line with its label."""
    return {
        "data": {"values": [{"y": value, "text": text}]},
        "layer": [
            {
                "mark": {"type": "rule", "strokeDash": [2, 2], "color": colour("threshold")},
                "encoding": {"y": {"field": "y", "type": "quantitative"}},
            },
            {
                "mark": {
                    "type": "text",
                    "align": "right",
                    "baseline": "bottom",
                    "x": "width",
                    "dy": -2,
                    "color": colour("threshold"),
                },
                "encoding": {"y": {"field": "y", "type": "quantitative"}, "text": {"field": "text"}},
            },
        ],
    }


def _rule_x(x: float) -> dict[str, Any]:
    return {
        "data": {"values": [{"x": x}]},
        "mark": {"type": "rule", "color": "black", "strokeWidth": 1.5},
        "encoding": {"x": {"field": "x", "type": "quantitative"}},
    }


def _band(bands: pd.DataFrame | None, col: str, scale: float, x_div: float, name: str, keep: np.ndarray) -> list[dict]:
    """5-95 % area and dotted median of a population column, as extra layers."""
    if bands is None or f"{col}_p50" not in bands:
        return []
    d = pd.DataFrame(
        {
            "x": bands.time_h.to_numpy() / x_div,
            **{q: scale * bands[f"{col}_{q}"].to_numpy() for q in ("p05", "p50", "p95")},
        }
    ).iloc[keep]
    values = d.round(5).to_dict("records")
    x = {"field": "x", "type": "quantitative"}
    return [
        {
            "data": {"values": values},
            "mark": {"type": "area", "opacity": 0.18, "color": GREYS["band"]},
            "encoding": {"x": x, "y": {"field": "p05", "type": "quantitative"}, "y2": {"field": "p95"}},
        },
        {
            "data": {"values": values},
            "mark": {"type": "line", "strokeDash": [2, 2], "color": GREYS["band"]},
            "encoding": {
                "x": x,
                "y": {"field": "p50", "type": "quantitative"},
                "tooltip": [{"field": "p50", "title": f"{name}: median", "format": ".4~g"}],
            },
        },
    ]


def timecourse(
    table: pd.DataFrame,
    present: bool,
    panels: Sequence[str] = ("occupancy", "reward"),
    title: str = "",
    plasma_lines: Sequence[float] = (),
    marker_h: float | None = None,
    bands: pd.DataFrame | None = None,
    reward_zoom: bool = False,
) -> list[dict[str, Any]]:
    """The panels of :func:`ui.plots.timecourse` as Vega-Lite charts, one per panel, on the same time axis.

    Panels: 'plasma', 'alcohol' (blood alcohol), 'occupancy', 'reward' (``reward_zoom``: the axis ends
    a little above the highest reward, for small rewards) and 'breathing'.
    """
    t, x_title = time_axis(table)
    x_div = 24.0 if x_title == "time (days)" else 1.0
    built = []
    for p in panels:
        data = pd.DataFrame({"x": t})
        extra: list[dict] = []
        if p == "plasma":
            names = _species(table, "_plasma_ng_per_ml", binding_species())
            series = [(n, label(n), colour(n), line_style(n)) for n in names]
            for n in names:
                data[n] = table[f"{n}_plasma_ng_per_ml"].to_numpy()
            extra = [_rule_y(v, f"{v:g} ng/mL") for v in plasma_lines]
            top = max([float(data[n].max()) for n in names] + [0.5])
            spec = dict(y_title="plasma (ng/mL, log)", log=True, unit="ng/mL", y_domain=(0.01, 2 * top))
        elif p == "alcohol":
            series = [("ethanol_blood_mg_per_dl", "blood alcohol", colour("ethanol"), "-")]
            bac = table.get("ethanol_blood_mg_per_dl", pd.Series(np.zeros(len(t))))
            data["ethanol_blood_mg_per_dl"] = bac.to_numpy()
            extra = [_rule_y(80.0, "80 mg/dL (UK driving limit)")]
            spec = dict(
                y_title="blood alcohol (mg/dL)", y_domain=(0, max(100.0, float(bac.max()) * 1.15)), unit="mg/dL"
            )
        elif p == "occupancy":
            series = _occupancy_series(table, data)
            spec = dict(y_title="receptors occupied (%)", stacked=True, y_domain=(0, 100), unit="%")
        elif p == "reward":
            series = [
                ("reward_without_naltrexone", "without naltrexone", colour("without"), "--"),
                ("reward", "with naltrexone", colour("with"), "-"),
            ]
            for c, *_ in series:
                data[c] = table[c].to_numpy()
            top = min(1.0, max(0.05, 1.3 * float(table.reward_without_naltrexone.max()))) if reward_zoom else 1.0
            spec = dict(y_title="reward (0-1)", y_domain=(0, top))
        elif p == "breathing":
            series = [("respiratory_drive", "breathing", colour("fentanyl"), "-")]
            data["respiratory_drive"] = table["respiratory_drive"].to_numpy()
            extra = [_rule_y(0.5, "breathing halved (0.5)")]
            spec = dict(y_title="respiratory drive (1 = normal)", y_domain=(0, 1.05))
        else:
            raise ValueError(f"unknown panel {p!r}")
        built.append((p, data, series, extra, spec))
    keep = _keep(*(b[1] for b in built))  # the same rows in every panel: one time axis
    rows: list[dict[str, Any]] = []
    for p, data, series, extra, spec in built:
        if p in ("occupancy", "reward"):
            col, scale, name = (
                ("occupancy_antagonist", 100.0, "naltrexone-held, population")
                if p == "occupancy"
                else ("reward", 1.0, "with naltrexone, population")
            )
            extra = _band(bands, col, scale, x_div, name, keep)
        if marker_h is not None:
            extra = [*extra, _rule_x(marker_h / x_div)]
        rows.append(
            _panel(
                data.iloc[keep].astype(float).round(6),
                series,
                spec.pop("y_title"),
                x_title,
                present,
                extra=extra,
                **spec,
            )
        )
    return [_chart(r, present, title if i == 0 else "") for i, r in enumerate(rows)]


def _chart(panel: dict[str, Any], present: bool, title: str = "") -> dict[str, Any]:
    """A panel as a stand-alone chart that fits the width of its container (desk, projector or phone).

    Titles are wrapped into lines short enough for a phone.
    """
    font = 18 if present else 13
    text = title or panel.get("title", {}).get("text", "")
    head = {"title": {"text": textwrap.wrap(text, 38) or [""], "anchor": "start", "fontSize": font + 1}} if text else {}
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        **panel,
        **head,
        "autosize": {"type": "fit-x", "contains": "padding"},
        "config": {
            "axis": {"labelFontSize": font, "titleFontSize": font, "grid": True, "gridOpacity": 0.4},
            "axisY": {"minExtent": 4 * font},  # panels of one page line up
            "legend": {"labelFontSize": font, "symbolStrokeWidth": 3},
            "view": {"stroke": None},
            "font": "sans-serif",
        },
    }


def alcohol(table: pd.DataFrame, present: bool, bands: pd.DataFrame | None = None) -> list[dict[str, Any]]:
    """The panels of :func:`ui.plots.alcohol`: blood alcohol -> receptor occupancy -> reward."""
    return timecourse(table, present, ("alcohol", "occupancy", "reward"), bands=bands, reward_zoom=True)


def _occupancy_series(table: pd.DataFrame, data: pd.DataFrame) -> list[tuple[str, str, str, str]]:
    """Every molecule holding receptors in ``table`` (percent columns added to ``data``), antagonists first."""
    cols = _species(table, "", [f"occupancy_{n}" for n in binding_species()])
    for c in cols:
        data[c] = 100 * table[c].to_numpy()
    return [(c, label(c.removeprefix("occupancy_")), colour(c.removeprefix("occupancy_")), "-") for c in cols]


def rescue(
    course: pd.DataFrame, rescue_h: float, present: bool, bands: pd.DataFrame | None = None
) -> list[dict[str, Any]]:
    """The panels of :func:`ui.beyond_plots.rescue`: breathing with and without naloxone, and who holds the receptors."""
    x_title = "time after the overdose starts (h)"
    data = pd.DataFrame({"x": course.time_h.to_numpy()})
    series = [
        ("drive_no_rescue", "no naloxone", colour("threshold"), "--"),
        ("drive_rescue", "naloxone", colour("naloxone"), "-"),
    ]
    if "drive_on_naltrexone" in course:
        series.append(
            ("drive_on_naltrexone", "on monthly naltrexone (injected a week before)", colour("naltrexol"), "-.")
        )
    for c, *_ in series:
        data[c] = course[c].to_numpy()
    occ = pd.DataFrame({"x": course.time_h.to_numpy()})
    occ_series = _occupancy_series(course, occ)
    keep = _keep(data, occ)
    extra = [
        *_band(bands, "respiratory_drive", 1.0, 1.0, "population", keep),
        _rule_y(0.5, "breathing halved (0.5)"),
        _rule_x(rescue_h),
    ]
    drive = _panel(
        data.iloc[keep].round(6), series, "breathing (1 = normal)", x_title, present, y_domain=(0, 1.05), extra=extra
    )
    occupancy = _panel(
        occ.iloc[keep].round(6),
        occ_series,
        "receptors occupied (%)",
        x_title,
        present,
        stacked=True,
        y_domain=(0, 100),
        unit="%",
        extra=[_rule_x(rescue_h)],
    )
    return [_chart(drive, present), _chart(occupancy, present)]


def regimens(
    tables: dict[str, pd.DataFrame],
    protected: dict[str, pd.DataFrame],
    present: bool,
    bands: pd.DataFrame | None = None,
    band_for: str = "",
) -> list[dict[str, Any]]:
    """The panels of :func:`ui.plots.regimens`: plasma naltrexone, receptors blocked, protected days."""
    names = list(tables)
    first = tables[names[0]]
    x = first.time_h.to_numpy() / 24.0
    plasma, occ = pd.DataFrame({"x": x}), pd.DataFrame({"x": x})
    series = []
    for i, name in enumerate(names):  # the regimens share one time grid (same duration and output step)
        plasma[f"r{i}"] = tables[name].naltrexone_plasma_ng_per_ml.to_numpy()
        occ[f"r{i}"] = 100 * tables[name].occupancy_antagonist.to_numpy()
        series.append((f"r{i}", name, PLAN_COLOURS.get(name, GREYS["muted"]), "-"))
    keep = _keep(plasma, occ)
    band_name = f"{band_for}, population"
    top = _panel(
        plasma.iloc[keep].round(6),
        series,
        "naltrexone (ng/mL, log)",
        "time (days)",
        present,
        log=True,
        y_domain=(0.1, 100),
        unit="ng/mL",
        extra=[
            *_band(bands, "naltrexone_plasma_ng_per_ml", 1.0, 24.0, band_name, keep),
            _rule_y(1.0, "1 ng/mL"),
            _rule_y(2.0, "2 ng/mL"),
        ],
    )
    middle = _panel(
        occ.iloc[keep].round(6),
        series,
        "receptors blocked (%)",
        "time (days)",
        present,
        y_domain=(0, 100),
        unit="%",
        extra=[*_band(bands, "occupancy_antagonist", 100.0, 24.0, band_name, keep), _rule_y(90.0, "90 %")],
    )
    days = [
        {"regimen": name, "day": int(d), "start": int(d) - 1, "state": "protected" if ok else "not protected"}
        for name, p in protected.items()
        for d, ok in zip(p.day, p.protected)
    ]
    bars = {
        "height": 40 * len(names) + 20,
        "width": "container",
        "data": {"values": days},
        "title": {"text": "Protected days and unprotected days", "fontSize": 18 if present else 13, "anchor": "start"},
        "mark": {"type": "rect", "stroke": "white", "strokeWidth": 0.3},
        "encoding": {
            "x": {
                "field": "start",
                "type": "quantitative",
                "title": "time (days)",
                "scale": {"domain": [0, float(x[-1])], "nice": False},
            },
            "x2": {"field": "day"},
            "y": {"field": "regimen", "type": "nominal", "sort": names, "title": None},
            "color": {
                "field": "state",
                "type": "nominal",
                "title": None,
                "scale": {"domain": ["protected", "not protected"], "range": [colour("naltrexone"), RISK_FILL]},
                "legend": {"orient": "bottom"},
            },
            "tooltip": [{"field": "regimen"}, {"field": "day", "title": "day"}, {"field": "state"}],
        },
    }
    return [_chart(top, present), _chart(middle, present), _chart(bars, present)]


def protection_bars(summary: pd.DataFrame, present: bool) -> list[dict[str, Any]]:
    """The bars of :func:`ui.plots.protection_bars`: days protected beside days with >= 90 % occupancy."""
    kinds = {"days_protected": "blocks 25 mg IV heroin", "days_occupancy_ge_90": "occupancy >= 90 %"}
    rows = [
        {"regimen": r.regimen, "measure": kinds[k], "days": int(getattr(r, k))}
        for r in summary.itertuples()
        for k in kinds
    ]
    colour_of = {
        "field": "measure",
        "type": "nominal",
        "title": None,
        "sort": list(kinds.values()),
        "scale": {"domain": list(kinds.values()), "range": [colour("naltrexone"), colour("naltrexol")]},
        "legend": {"orient": "bottom"},
    }
    y = {"field": "regimen", "type": "nominal", "sort": list(summary.regimen), "title": None}
    x = {
        "field": "days",
        "type": "quantitative",
        "title": "days",
        "scale": {"domain": [0, max(1.0, float(summary.days.max())) * 1.1], "nice": False},
    }
    bars = {
        "height": 60 * len(summary) + 20,
        "width": "container",
        "data": {"values": rows},
        "encoding": {
            "y": y,
            "yOffset": {"field": "measure", "sort": list(kinds.values())},
            "x": x,
            "color": colour_of,
            "tooltip": [{"field": "regimen"}, {"field": "measure"}, {"field": "days"}],
        },
        "layer": [
            {"mark": "bar"},
            {
                "mark": {"type": "text", "align": "left", "dx": 4},
                "encoding": {"text": {"field": "days"}, "color": {"value": "black"}},
            },
        ],
    }
    return [_chart(bars, present)]


def craving(
    tables: dict[str, pd.DataFrame],
    episodes: pd.DataFrame,
    shown: str,
    present: bool,
    bands: pd.DataFrame | None = None,
) -> list[dict[str, Any]]:
    """The panels of :func:`ui.beyond_plots.craving`: craving per plan over weeks, and each use episode of one plan."""
    names = list(tables)
    first = tables[names[0]]
    data = pd.DataFrame({"x": first.time_h.to_numpy() / (24 * 7)})
    series = []
    for i, name in enumerate(names):  # the plans share one time grid
        data[f"p{i}"] = tables[name].craving.to_numpy()
        series.append((f"p{i}", name, PLAN_COLOURS.get(name, GREYS["muted"]), PLAN_STYLES.get(name, "-")))
    keep = _keep(data)
    top = max(0.6, float(max(t.craving.max() for t in tables.values())) * 1.1)
    lines = _panel(
        data.iloc[keep].round(6),
        series,
        "craving (expected reward, 0-1)",
        "time (weeks)",
        present,
        y_domain=(0, top),
        extra=_band(bands, "craving", 1.0, 24 * 7, f"{shown}, population", keep),
    )
    lines["title"] = {"text": "Craving: the reward the person has learnt to expect (illustrative)", "anchor": "start"}
    kinds = ["reward without naltrexone", "blocked episode", "not blocked (felt the high)"]
    points = [
        {"week": float(e.day) / 7, "day": float(e.day), "reward": float(v), "kind": k}
        for e in episodes.itertuples()
        for v, k in ((e.reward_without, kinds[0]), (e.reward_with, kinds[1] if e.blocked else kinds[2]))
    ]
    dots = {
        "height": PANEL_HEIGHT[present],
        "width": "container",
        "data": {"values": points},
        "title": {"text": f"Each use episode with {shown}", "anchor": "start"},
        "mark": {"type": "point", "filled": False, "strokeWidth": 2, "size": 110 if present else 70},
        "encoding": {
            "x": {
                "field": "week",
                "type": "quantitative",
                "title": "time (weeks)",
                "scale": {"domain": [0, float(data.x.iloc[-1])], "nice": False},
            },
            "y": {
                "field": "reward",
                "type": "quantitative",
                "title": "reward of each episode (0-1)",
                "scale": {"domain": [0, 1]},
            },
            "color": {
                "field": "kind",
                "type": "nominal",
                "title": None,
                "sort": kinds,
                "scale": {"domain": kinds, "range": [colour("without"), colour("with"), colour("without")]},
                "legend": {"orient": "bottom", "columns": 2, "labelLimit": 200},
            },
            "shape": {
                "field": "kind",
                "type": "nominal",
                "sort": kinds,
                "legend": None,
                "scale": {"domain": kinds, "range": ["stroke", "circle", "cross"]},
            },
            "tooltip": [
                {"field": "day", "title": "day"},
                {"field": "kind", "title": "episode"},
                {"field": "reward", "format": ".3f"},
            ],
        },
    }
    return [_chart(lines, present), _chart(dots, present)]


def dose_response(df: pd.DataFrame, present: bool, agonist: str = "heroin") -> list[dict[str, Any]]:
    """The curves of :func:`ui.plots.dose_response`: peak reward rise vs agonist dose, per time after naltrexone."""
    hours = sorted(df.hours_after_naltrexone.unique())
    base = df[df.hours_after_naltrexone == hours[0]].sort_values("dose_mg")
    data = pd.DataFrame({"x": base.dose_mg.to_numpy(), "without": base.increment_without.to_numpy()})
    series = [("without", "no naltrexone", colour("without"), "--")]
    blues = [BLUES[5], BLUES[3], BLUES[1], BLUES[0]]
    for i, h in enumerate(hours):
        d = df[df.hours_after_naltrexone == h].sort_values("dose_mg")
        data[f"h{i}"] = d.increment_with.to_numpy()
        series.append((f"h{i}", f"{h:g} h after naltrexone", blues[min(i, 3)], "-"))
    panel = _panel(
        data.round(6),
        series,
        "peak reward increase (0-1)",
        f"{label(agonist)} dose (mg, log)",
        present,
        y_domain=(0, 1),
        log_x=True,
        points=True,
    )
    return [_chart(panel, present)]


def equilibrium(df: pd.DataFrame, present: bool, agonist: str = "heroin") -> list[dict[str, Any]]:
    """The panels of :func:`ui.plots.equilibrium`: occupancy and reward vs agonist level, per naltrexone level."""
    levels = sorted(df.naltrexone_nm.unique())
    shades = [colour("without"), BLUES[0], *BLUES[2:]]
    first = df[df.naltrexone_nm == levels[0]]
    occ, rew = pd.DataFrame({"x": first.agonist_nm.to_numpy()}), pd.DataFrame({"x": first.agonist_nm.to_numpy()})
    series = []
    for i, lv in enumerate(levels):  # every level shares the agonist grid
        d = df[df.naltrexone_nm == lv]
        occ[f"l{i}"] = 100 * d.occupancy_agonist.to_numpy()
        rew[f"l{i}"] = d.reward.to_numpy()
        series.append((f"l{i}", "no naltrexone" if lv == 0 else f"naltrexone {lv:g} nM", shades[min(i, 5)], "-"))
    x_title = f"{label(agonist)} at the receptor (nM, log)"
    a = _panel(
        occ.round(6),
        series,
        f"receptors holding {label(agonist)} (%)",
        x_title,
        present,
        y_domain=(0, 100),
        unit="%",
        log_x=True,
    )
    b = _panel(rew.round(6), series, "reward at equilibrium (0-1)", x_title, present, y_domain=(0, 1), log_x=True)
    return [_chart(a, present, "Occupancy"), _chart(b, present, "Reward")]


def schild(df: pd.DataFrame, slope: float, pa2: float, present: bool) -> list[dict[str, Any]]:
    """The Schild plot of :func:`ui.plots.schild`: log10(dose ratio - 1) vs log10 naltrexone, with its fitted line."""
    x, y = df.log10_naltrexone_nm.to_numpy(), df.log10_dose_ratio_minus_1.to_numpy()
    b = np.polyfit(x, y, 1)
    xx = np.linspace(x.min() - 0.3, x.max() + 0.3, 20)
    data = pd.DataFrame(
        {
            "x": np.concatenate([x, xx]),
            "model": np.concatenate([y, np.full(xx.size, np.nan)]),
            "fit": np.concatenate([np.full(x.size, np.nan), np.polyval(b, xx)]),
        }
    ).sort_values("x")
    enc_x = {"field": "x", "type": "quantitative", "title": "log10 naltrexone at the receptor (nM)"}
    values = [
        {k: (None if isinstance(v, float) and not np.isfinite(v) else round(float(v), 6)) for k, v in r.items()}
        for r in data.to_dict("records")
    ]
    fit_label = f"fit: slope {slope:.2f}, pA2 {pa2:.2f}"
    spec = {
        "height": PANEL_HEIGHT[present] + 60,
        "width": "container",
        "data": {"values": values},
        "title": {"text": "Schild plot: competitive antagonism gives slope 1", "anchor": "start"},
        "layer": [
            {
                "mark": {"type": "line", "strokeDash": [6, 3], "color": colour("threshold")},
                "transform": [{"filter": "isValid(datum.fit)"}],
                "encoding": {
                    "x": enc_x,
                    "y": {"field": "fit", "type": "quantitative", "title": "log10 (dose ratio - 1)"},
                    "tooltip": [{"field": "x", "format": ".3f"}, {"field": "fit", "title": fit_label, "format": ".3f"}],
                },
            },
            {
                "mark": {"type": "point", "filled": True, "size": 120, "color": colour("naltrexone")},
                "transform": [{"filter": "isValid(datum.model)"}],
                "encoding": {
                    "x": enc_x,
                    "y": {"field": "model", "type": "quantitative"},
                    "tooltip": [
                        {"field": "x", "title": "log10 naltrexone (nM)", "format": ".3f"},
                        {"field": "model", "title": "log10 (dose ratio - 1)", "format": ".3f"},
                    ],
                },
            },
        ],
    }
    return [_chart(spec, present)]


def receptor_picture(labels: np.ndarray, present: bool) -> list[dict[str, Any]]:
    """The grid of :func:`ui.plots.receptor_picture`: one dot per receptor, coloured by what holds it."""
    n = int(np.sqrt(labels.size))
    kinds = ["free", "naltrexone", "naltrexol", "agonist"]
    counts = {k: int((labels == k).sum()) for k in kinds}
    names = [f"{label(k)}: {counts[k]}" for k in kinds]
    rows = [{"col": i % n, "row": i // n, "holder": names[kinds.index(str(lab))]} for i, lab in enumerate(labels)]
    axis = {"type": "quantitative", "axis": None, "scale": {"domain": [-0.7, n - 0.3]}}
    spec = {
        "height": 300 if not present else 380,
        "width": "container",
        "data": {"values": rows},
        "mark": {
            "type": "circle",
            "size": 260 if not present else 380,
            "opacity": 1,
            "stroke": GREYS["outline"],
            "strokeWidth": 0.8,
        },
        "encoding": {
            "x": {"field": "col", **axis},
            "y": {"field": "row", **axis, "sort": "descending"},
            "color": {
                "field": "holder",
                "type": "nominal",
                "sort": names,
                "scale": {"domain": names, "range": [colour(k) for k in kinds]},
                "legend": {"title": "100 receptors", "orient": "bottom", "columns": 2},
            },
            "tooltip": [{"field": "holder", "title": "held by"}],
        },
    }
    return [_chart(spec, present)]


def _spans(x0: Sequence[float], x1: Sequence[float], fill: str, opacity: float = 0.12) -> dict[str, Any]:
    """Shaded vertical spans [x0, x1] across a panel's whole height."""
    return {
        "data": {"values": [{"x0": float(a), "x1": float(b)} for a, b in zip(x0, x1)]},
        "mark": {"type": "rect", "color": fill, "opacity": opacity},
        "encoding": {"x": {"field": "x0", "type": "quantitative"}, "x2": {"field": "x1"}},
    }


def stopping(
    after: pd.DataFrame, before: dict[str, float], risk: np.ndarray, day: float, dose_label: str, present: bool
) -> list[dict[str, Any]]:
    """The panels of :func:`ui.beyond_plots.stopping`: effect, lowest breathing and why, per day after stopping."""
    d = after.days_after_last_naltrexone.to_numpy()
    step = float(np.diff(d).min()) if d.size > 1 else 1.0
    data = pd.DataFrame(
        {
            "x": d,
            "effect": after.effect.to_numpy(),
            "effect_before": before["effect"],
            "drive": after.min_respiratory_drive.to_numpy(),
            "drive_before": before["min_drive"],
            "density": after.receptor_density.to_numpy(),
            "tolerance": after.opioid_tolerance.to_numpy(),
            "held": after.occupancy_antagonist.to_numpy(),
        }
    ).round(6)
    mids = (d[1:] + d[:-1]) / 2  # each day's span reaches halfway to its neighbours (the sweep's steps vary)
    lo, hi = np.concatenate([[d[0] - step / 2], mids]), np.concatenate([mids, [d[-1] + step / 2]])
    marks = [_spans(lo[risk], hi[risk], colour("without")), _rule_x(day)]
    x_title = "days after the last naltrexone dose"
    effect = _panel(
        data,
        [
            ("effect", f"{dose_label} after stopping", colour("agonist"), "-"),
            ("effect_before", "same dose before treatment", colour("threshold"), "--"),
        ],
        "peak effect (reward rise, 0-1)",
        x_title,
        present,
        y_domain=(0, 1),
        extra=marks,
        points=True,
    )
    effect["title"] = {
        "text": "Shaded: overdose-risk window (breathing lower than before treatment, or below 0.5)",
        "anchor": "start",
    }
    drive = _panel(
        data,
        [
            ("drive", "after stopping", colour("fentanyl"), "-"),
            ("drive_before", "before treatment", colour("threshold"), "--"),
        ],
        "lowest breathing (1 = normal)",
        x_title,
        present,
        y_domain=(0, 1.05),
        extra=[*marks, _rule_y(0.5, "breathing halved (0.5)")],
        points=True,
    )
    why = _panel(
        data,
        [
            ("density", "receptor density (1 = before)", colour("naltrexone"), "-"),
            ("tolerance", "opioid tolerance (1 = chronic user)", colour("methadone"), "--"),
            ("held", "receptors held by naltrexone", colour("naltrexol"), "-."),
        ],
        "why (fractions)",
        x_title,
        present,
        y_domain=(0, max(2.0, float(data.density.max()) * 1.05)),
        extra=marks,
    )
    return [_chart(effect, present), _chart(drive, present), _chart(why, present)]


def displacement(course: pd.DataFrame, drug: str, tablet_h: float, present: bool) -> list[dict[str, Any]]:
    """The panels of :func:`ui.beyond_plots.displacement`: who holds the receptors, and the opioid effect lost."""
    x = (course.time_h - tablet_h).to_numpy()
    occ = pd.DataFrame(
        {
            "x": x,
            "without": 100 * course.occupancy_agonist_without.to_numpy(),
            "with": 100 * course.occupancy_agonist_with.to_numpy(),
            "antagonist": 100 * course.occupancy_antagonist_with.to_numpy(),
        }
    )
    effect = pd.DataFrame({"x": x, "without": course.reward_without.to_numpy(), "with": course.reward_with.to_numpy()})
    keep = _keep(occ, effect)
    occ, effect = occ.iloc[keep].round(6), effect.iloc[keep].round(6)
    x_title = "hours from the naltrexone tablet"
    a = _panel(
        occ,
        [
            ("without", f"{label(drug)}, no tablet", colour(drug), "--"),
            ("with", f"{label(drug)}, after the tablet", colour(drug), "-"),
            ("antagonist", "naltrexone family", colour("naltrexone"), "-"),
        ],
        "receptors held (%)",
        x_title,
        present,
        y_domain=(0, 100),
        unit="%",
        extra=[_rule_x(0.0)],
    )
    b = _panel(
        effect,
        [("without", "no tablet", colour("without"), "--"), ("with", "after the tablet", colour("with"), "-")],
        "opioid effect (0-1)",
        x_title,
        present,
        y_domain=(0, 1),
        extra=[_rule_x(0.0)],
    )
    return [_chart(a, present), _chart(b, present)]


def intervals(table: pd.DataFrame, present: bool, threshold_pct: float) -> list[dict[str, Any]]:
    """The bars of :func:`ui.beyond_plots.intervals`: opioid-free days before a tablet, per agonist."""
    rows = [
        {
            "drug": label(r.drug),
            "use": r.chronic_use,
            "days": float(np.nan_to_num(r.days_opioid_free, nan=40.0)),
            "text": "> 40 days" if not np.isfinite(r.days_opioid_free) else f"{r.days_opioid_free:.1f} days",
            "free": None if not np.isfinite(r.days_receptors_free) else float(r.days_receptors_free),
        }
        for r in table.itertuples()
    ]
    order = [r["drug"] for r in rows]
    top = float(np.nanmax(np.concatenate([table.days_opioid_free, table.days_receptors_free, [14.0]])))
    x = {"type": "quantitative", "scale": {"domain": [0, top * 1.3 + 0.5], "nice": False}}
    y = {"field": "drug", "type": "nominal", "sort": order, "title": None}
    spec = {
        "height": 34 * len(rows) + 20,
        "width": "container",
        "data": {"values": rows},
        "title": {"text": "Wait until physical dependence has faded", "anchor": "start"},
        "layer": [
            {
                "data": {"values": [{"a": 7, "b": 10}]},
                "mark": {"type": "rect", "color": GREYS["span"]},
                "encoding": {"x": {"field": "a", **x}, "x2": {"field": "b"}},
            },
            {
                "data": {"values": [{"a": 14}]},
                "mark": {"type": "rule", "strokeDash": [2, 2], "color": GREYS["mark"]},
                "encoding": {"x": {"field": "a", **x}},
            },
            {
                "data": {"values": [{"a": 8.5, "t": "labels: 7-10 d"}, {"a": 14, "t": "labels: 14 d"}]},
                "mark": {"type": "text", "baseline": "bottom", "dy": -2, "y": 0, "color": GREYS["outline"]},
                "encoding": {"x": {"field": "a", **x}, "text": {"field": "t"}},
            },
            {
                "mark": "bar",
                "encoding": {
                    "x": {"field": "days", **x, "title": "days without opioids before the tablet (model)"},
                    "y": y,
                    "color": {
                        "field": "drug",
                        "type": "nominal",
                        "legend": None,
                        "scale": {"domain": order, "range": [colour(d) for d in table.drug]},
                    },
                    "tooltip": [
                        {"field": "drug"},
                        {"field": "use", "title": "usual use"},
                        {"field": "text", "title": "opioid-free"},
                        {
                            "field": "free",
                            "title": f"displaces at most {threshold_pct:g} % of receptors after (days)",
                            "format": ".1f",
                        },
                    ],
                },
            },
            {
                "mark": {"type": "text", "align": "left", "dx": 4},
                "encoding": {"x": {"field": "days", **x}, "y": y, "text": {"field": "text"}},
            },
            {
                "mark": {"type": "point", "filled": True, "color": "black"},
                "transform": [{"filter": "isValid(datum.free)"}],
                "encoding": {"x": {"field": "free", **x}, "y": y},
            },
        ],
    }
    return [_chart(spec, present)]


def compare(
    table: pd.DataFrame, curves: dict[str, pd.DataFrame], present: bool, level: float | None = None
) -> list[dict[str, Any]]:
    """The panels of :func:`ui.plots.compare`: each agonist's reward alone, and the naltrexone level each needs."""
    drugs = list(curves)
    data = pd.DataFrame({"x": curves[drugs[0]].time_h.to_numpy()})
    for i, d in enumerate(drugs):  # one time grid: every run is 12 h at the same output step
        data[f"d{i}"] = curves[d].reward_without_naltrexone.to_numpy()
    reward = _panel(
        data.round(6),
        [(f"d{i}", label(d), colour(d), line_style(d)) for i, d in enumerate(drugs)],
        "reward without naltrexone (0-1)",
        "time after the dose (h)",
        present,
        y_domain=(0, 1),
    )
    reward["title"] = {"text": "Full vs partial agonists"}
    vals = table.naltrexone_plasma_ng_per_ml_to_block.to_numpy(dtype=float)
    rows = [
        {
            "agonist": f"{d} {m:g} mg {r}",
            "drug": d,
            "need": float(v) if np.isfinite(v) else None,
            "text": f"{v:.2g}" if np.isfinite(v) else "not blocked",
            "blocked": bool(np.isfinite(v) and (level is None or v <= level)),
        }
        for d, m, r, v in zip(table.drug, table.dose_mg, table.route, vals)
    ]
    finite = vals[np.isfinite(vals)]
    lo = float(min(finite.min(initial=1.0), level or 1.0)) / 3
    hi = float(max(finite.max(initial=1.0), level or 1.0)) * 6
    x = {"type": "quantitative", "scale": {"type": "log", "domain": [lo, hi], "nice": False}}
    y = {"field": "agonist", "type": "nominal", "sort": [r["agonist"] for r in rows], "title": None}
    bars = {
        "height": 32 * len(rows) + 20,
        "width": "container",
        "data": {"values": rows},
        "title": {"text": "Naltrexone needed to block (faint: not blocked at the chosen level)"},
        "layer": [
            {
                "mark": "bar",
                "transform": [{"filter": "isValid(datum.need)"}],
                "encoding": {
                    "x": {"field": "need", **x, "title": "naltrexone needed (ng/mL plasma, log)"},
                    "x2": {"datum": lo},
                    "y": y,
                    "color": {
                        "field": "drug",
                        "type": "nominal",
                        "legend": None,
                        "scale": {"domain": list(table.drug), "range": [colour(d) for d in table.drug]},
                    },
                    "opacity": {"condition": {"test": "datum.blocked", "value": 1.0}, "value": 0.35},
                    "tooltip": [
                        {"field": "agonist"},
                        {"field": "text", "title": "naltrexone needed (ng/mL)"},
                        {"field": "blocked", "title": "blocked at the chosen level"},
                    ],
                },
            },
            {
                "mark": {"type": "text", "align": "left", "dx": 4},
                "transform": [{"calculate": f"isValid(datum.need) ? datum.need : {lo}", "as": "at"}],
                "encoding": {"x": {"field": "at", **x}, "y": y, "text": {"field": "text"}},
            },
            *(
                [
                    {
                        "data": {"values": [{"level": level}]},
                        "mark": {"type": "rule", "strokeDash": [6, 3], "strokeWidth": 2},
                        "encoding": {"x": {"field": "level", **x}},
                    }
                ]
                if level is not None
                else []
            ),
        ],
    }
    return [_chart(reward, present), _chart(bars, present)]


def blockade_vs_time(df: pd.DataFrame, present: bool, ratio_limit: float) -> list[dict[str, Any]]:
    """The curves of :func:`ui.plots.blockade_vs_time`: heroin's effect ratio vs hours after 50/100/150 mg."""
    blues = {50.0: BLUES[0], 100.0: BLUES[3], 150.0: BLUES[5]}
    doses = sorted(df.naltrexone_mg.unique())
    first = df[df.naltrexone_mg == doses[0]].sort_values("hours_after")
    data = pd.DataFrame({"x": first.hours_after.to_numpy()})
    series = []
    for i, mg in enumerate(doses):  # every dose is challenged at the same hours
        data[f"m{i}"] = df[df.naltrexone_mg == mg].sort_values("hours_after").ratio.to_numpy()
        series.append((f"m{i}", f"naltrexone {mg:g} mg", blues.get(float(mg), colour("naltrexone")), "-"))
    claims = [
        {"x": float(h), "c": blues.get(mg, colour("naltrexone"))}
        for mg, h in ((50.0, 24), (100.0, 48), (150.0, 72))
        if mg in doses
    ]
    extra = [
        _rule_y(ratio_limit, f"blocked below {ratio_limit:g}"),
        {
            "data": {"values": claims},
            "mark": {"type": "rule", "strokeDash": [2, 2]},
            "encoding": {
                "x": {"field": "x", "type": "quantitative"},
                "color": {"field": "c", "type": "nominal", "scale": None, "legend": None},
            },
        },
    ]
    panel = _panel(
        data.round(6),
        series,
        "heroin effect with / without",
        "hours after the naltrexone tablet",
        present,
        y_domain=(0, 1),
        extra=extra,
        points=True,
    )
    panel["title"] = {"text": "Label: 50/100/150 mg block 25 mg heroin for 24/48/72 h (dotted)"}
    return [_chart(panel, present)]


def _on(t: np.ndarray, table: pd.DataFrame, col: str) -> np.ndarray:
    """``table[col]`` read at times ``t`` (linear between output times; NaN after the table ends)."""
    own = table.time_h.to_numpy()
    return np.where(t <= own[-1] + 1e-9, np.interp(t, own, table[col].to_numpy()), np.nan)


def overlay(a: pd.DataFrame, b: pd.DataFrame | None, present: bool, name_a: str, name_b: str) -> list[dict[str, Any]]:
    """The panels of :func:`ui.plots.overlay`: receptors and reward of scenario A (solid) and B (dashed).

    Both are read on the union of their output times (each exact at its own times, linear between;
    a gap where a scenario has ended).
    """
    tables = [(t, n, d) for t, n, d in ((a, name_a, "-"), (b, name_b, "--")) if t is not None]
    t = np.unique(np.concatenate([x.time_h.to_numpy() for x, _, _ in tables]))
    days = t[-1] > 96
    occ, rew = pd.DataFrame({"x": t / 24 if days else t}), pd.DataFrame({"x": t / 24 if days else t})
    occ_series, rew_series = [], []
    for i, (tab, name, dash) in enumerate(tables):
        occ[f"ant{i}"], occ[f"ago{i}"] = (
            100 * _on(t, tab, "occupancy_antagonist"),
            100 * _on(t, tab, "occupancy_agonist"),
        )
        rew[f"r{i}"] = _on(t, tab, "reward")
        occ_series += [
            (f"ant{i}", f"antagonist: {name}", colour("antagonist"), dash),
            (f"ago{i}", f"agonist: {name}", colour("agonist"), dash),
        ]
        rew_series.append((f"r{i}", name, "#000000", dash))
    keep = _keep(occ, rew)
    x_title = "time (days)" if days else "time (h)"
    top = _panel(occ.iloc[keep].round(6), occ_series, "receptors (%)", x_title, present, y_domain=(0, 100), unit="%")
    bottom = _panel(rew.iloc[keep].round(6), rew_series, "reward (0-1)", x_title, present, y_domain=(0, 1))
    return [_chart(top, present), _chart(bottom, present)]


def pet(df: pd.DataFrame, targets: pd.DataFrame, present: bool) -> list[dict[str, Any]]:
    """The plot of :func:`ui.plots.pet`: occupancy 3 h after oral naltrexone vs dose, with the human PET ranges."""
    data = pd.DataFrame({"x": df.dose_mg.to_numpy(), "model": df.occupancy_percent.to_numpy()})
    ranges = [{"x": float(r.dose_mg), "low": float(r.low), "high": float(r.high)} for r in targets.itertuples()]
    x = {"field": "x", "type": "quantitative"}
    extra = [
        {
            "data": {"values": ranges},
            "layer": [
                {
                    "mark": {"type": "rule", "strokeWidth": 2, "color": "black"},
                    "encoding": {
                        "x": x,
                        "y": {"field": "low", "type": "quantitative"},
                        "y2": {"field": "high"},
                        "tooltip": [
                            {"field": "x", "title": "dose (mg)"},
                            {"field": "low", "title": "human PET, low (%)"},
                            {"field": "high", "title": "human PET, high (%)"},
                        ],
                    },
                },
                {
                    "mark": {"type": "tick", "thickness": 2, "color": "black", "orient": "horizontal"},
                    "encoding": {"x": x, "y": {"field": "low", "type": "quantitative"}},
                },
                {
                    "mark": {"type": "tick", "thickness": 2, "color": "black", "orient": "horizontal"},
                    "encoding": {"x": x, "y": {"field": "high", "type": "quantitative"}},
                },
            ],
        }
    ]
    panel = _panel(
        data.round(6),
        [("model", "model", colour("naltrexone"), "-")],
        "receptors blocked at 3 h (%)",
        "oral naltrexone dose (mg, log)",
        present,
        y_domain=(0, 100),
        unit="%",
        log_x=True,
        points=True,
        extra=extra,
    )
    panel["title"] = {"text": "PET receptor occupancy vs dose (black bars: human ranges, Rabiner 2011)"}
    return [_chart(panel, present)]


def plasma_reference(oral: pd.DataFrame, xr: pd.DataFrame, present: bool) -> list[dict[str, Any]]:
    """The panels of :func:`ui.plots.plasma_reference`: plasma after a 50 mg tablet (h) and after XR 380 mg (days)."""
    a = pd.DataFrame(
        {
            "x": oral.time_h.to_numpy(),
            "ntx": oral.naltrexone_plasma_ng_per_ml.to_numpy(),
            "nol": oral.naltrexol_plasma_ng_per_ml.to_numpy(),
        }
    )
    a = a.iloc[_keep(a)].round(6)
    band = lambda lo, hi, fill: {  # noqa: E731
        "data": {"values": [{"lo": lo, "hi": hi}]},
        "mark": {"type": "rect", "color": fill, "opacity": 0.15},
        "encoding": {"y": {"field": "lo", "type": "quantitative"}, "y2": {"field": "hi"}},
    }
    oral_panel = _panel(
        a,
        [
            ("ntx", label("naltrexone"), colour("naltrexone"), "-"),
            ("nol", label("naltrexol"), colour("naltrexol"), "-"),
        ],
        "plasma (ng/mL, log)",
        "time after 50 mg tablet (h)",
        present,
        log=True,
        y_domain=(0.05, 300),
        unit="ng/mL",
        extra=[band(6.5, 26.0, colour("naltrexone"))],
    )
    oral_panel["title"] = {"text": "Oral 50 mg (shaded: human Cmax range)"}
    b = pd.DataFrame({"x": xr.time_h.to_numpy() / 24, "ntx": xr.naltrexone_plasma_ng_per_ml.to_numpy()})
    b = b.iloc[_keep(b)].round(6)
    xr_panel = _panel(
        b,
        [("ntx", label("naltrexone"), colour("naltrexone"), "-")],
        "plasma (ng/mL)",
        "time after injection (days)",
        present,
        unit="ng/mL",
        extra=[band(1.0, 2.0, colour("threshold")), _rule_x(28.0)],
    )
    xr_panel["title"] = {"text": "XR injection 380 mg (shaded: 1-2 ng/mL; day 28 marked)"}
    return [_chart(oral_panel, present), _chart(xr_panel, present)]
