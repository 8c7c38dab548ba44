"""The screen renderer: a figure description as Vega-Lite charts, one per panel, drawn in the browser.

The server ships each panel's table; the browser draws it, so a change of a control costs no drawing
on the server, text keeps its size on a phone, and pointing at a chart shows every series at that x
with its unit.
"""

from __future__ import annotations

import json
import textwrap
from typing import Any

import numpy as np
import pandas as pd

from ..theme import GREYS
from .spec import Axis, Band, Bars, Figure, Lines, Panel, Points, Ranges, Rule, Spans, Text, steadied

#: matplotlib line styles as Vega-Lite stroke dashes.
DASHES = {"-": [1, 0], "--": [6, 3], ":": [2, 2], "-.": [6, 2, 2, 2]}
SHAPES = {"o": "circle", "s": "square", "x": "cross", "_": "stroke"}
PANEL_HEIGHT = {False: 170, True: 230}  # px per standard panel: desk, presentation
MAX_POINTS = 400  # rows sent per layer at most: a panel is ~1000 px wide


def thin(n: int, *series: np.ndarray) -> np.ndarray:
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


def _num(v: float) -> float | None:
    """A number for JSON: None where it is not finite (a gap)."""
    return round(float(v), 6) if np.isfinite(v) else None


def _scale(axis: Axis) -> dict[str, Any]:
    return {
        "type": "log" if axis.log else "linear",
        **({"domain": [float(axis.domain[0]), float(axis.domain[1])]} if axis.domain else {}),
        "nice": False,
    }


def _enc(axis: Axis, field: str, title: bool = True) -> dict[str, Any]:
    """A quantitative position encoding on ``axis`` (its title only on the layer that owns it)."""
    if axis.categories:  # the domain itself: layers of different data keep the order (a union drops a sort)
        cats = list(axis.categories)
        return {"field": field, "type": "nominal", "sort": cats, "scale": {"domain": cats}, "title": axis.title or None}
    enc: dict[str, Any] = {"field": field, "type": "quantitative", "scale": _scale(axis)}
    if title:
        enc["title"] = axis.title
    if axis.hidden:
        enc["axis"] = None
    return enc


class _Legend:
    """The panel's one colour scale: every labelled layer's label and colour, in drawing order."""

    def __init__(self, panel: Panel) -> None:
        self.names: list[str] = []
        self.colours: list[str] = []
        for layer in panel.layers:
            entries = (
                [(s.label, s.colour) for s in layer.series]
                if isinstance(layer, Lines)
                else [(layer.label, layer.colours[0] if isinstance(layer, Bars) else layer.colour)]
                if isinstance(layer, (Points, Bars, Ranges)) and layer.label
                else []
            )
            for name, colour in entries:
                if name not in self.names:
                    self.names.append(name)
                    self.colours.append(colour)
        self.title = panel.legend_title or None

    def encoding(self) -> dict[str, Any]:
        return {
            "field": "series",
            "type": "nominal",
            "sort": self.names,
            "scale": {"domain": self.names, "range": self.colours},
            # two columns of short labels, or one of long ones: fits a phone (390 px)
            "legend": {
                "title": self.title,
                "orient": "bottom",
                "columns": 2 if sum(sorted(map(len, self.names))[-2:]) <= 36 else 1,
                "labelLimit": 360,
            },
        }


def _lines(layer: Lines, panel: Panel, legend: _Legend, present: bool, top: dict[str, Any]) -> list[dict[str, Any]]:
    """The curves (or stacked areas) and a pointer rule with every series' value at the nearest x.

    The first table of a panel becomes the chart's top-level data (``top``), which Streamlit sends as
    Arrow; a second one is sent as records.
    """
    values = layer.frame.to_numpy(dtype=float)  # one block of floats: x, then every column
    where = {str(c): i for i, c in enumerate(layer.frame.columns)}
    keep = thin(len(values), *(values[:, where[s.column]] for s in layer.series))
    data = pd.DataFrame(values[keep].round(6), columns=layer.frame.columns)
    names = [s.label for s in layer.series]
    fold = {"fold": [s.column for s in layer.series], "as": ["column", "value"]}
    lookup = {
        "calculate": " : ".join(f"datum.column === {s.column!r} ? {s.label!r}" for s in layer.series) + " : ''",
        "as": "series",
    }
    y = _enc(panel.y, "value")
    x = _enc(panel.x, "x")
    if layer.stacked:
        y["stack"] = "zero"
        order = {
            "calculate": " : ".join(f"datum.column === {s.column!r} ? {i}" for i, s in enumerate(layer.series))
            + " : 99",
            "as": "order",
        }
        marks: dict[str, Any] = {
            "mark": {"type": "area", "opacity": 0.9},
            "encoding": {
                "x": x,
                "y": y,
                "color": legend.encoding(),
                "order": {"field": "order", "type": "quantitative"},
            },
            "transform": [fold, lookup, order],
        }
    else:
        floor = float(panel.y.domain[0]) if (panel.y.log and panel.y.domain) else 1e-300
        marks = {
            # on a log axis a value below the axis (or rounded to 0) has no place: a gap, never a bridge
            "mark": {
                "type": "line",
                "strokeWidth": 2.5 if present else 2,
                "clip": True,
                "point": layer.points,
                **({"invalid": "break-paths-filter-domains"} if panel.y.log else {}),
            },
            "encoding": {
                "x": x,
                "y": y,
                "color": legend.encoding(),
                "strokeDash": {
                    "field": "series",
                    "type": "nominal",
                    "sort": names,
                    "legend": None,
                    "scale": {"domain": names, "range": [DASHES[s.dash] for s in layer.series]},
                },
            },
            "transform": [
                fold,
                lookup,
                *(
                    [{"calculate": f"datum.value >= {floor!r} ? datum.value : null", "as": "value"}]
                    if panel.y.log
                    else []
                ),
            ],
        }
    unit = f" ({layer.unit})" if layer.unit else ""
    tip = [{"field": "x", "type": "quantitative", "title": panel.x.title, "format": ".4~g"}] + [
        {"field": s.column, "type": "quantitative", "title": f"{s.label}{unit}", "format": ".4~g"} for s in layer.series
    ]
    nearest = {"type": "point", "fields": ["x"], "nearest": True}
    hover = {
        "mark": {"type": "rule", "color": GREYS["outline"]},
        "params": [
            # a pointer shows every series at the nearest x; a tap (or click) pins them, a double tap clears
            {"name": "at", "select": {**nearest, "on": "pointerover", "clear": "pointerout"}},
            {"name": "tap", "select": {**nearest, "on": "pointerdown", "clear": "dblclick"}},
        ],
        "encoding": {
            "x": {"field": "x", "type": "quantitative"},
            "opacity": {
                "condition": [
                    {"param": "at", "empty": False, "value": 0.6},
                    {"param": "tap", "empty": False, "value": 0.9},
                ],
                "value": 0,
            },
            "tooltip": tip,
        },
    }
    # the tapped values written on the chart, one line each: a phone shows no tooltip on a tap
    lines = [f"{json.dumps(panel.x.title + ' ')} + format(datum.x, '.4~g')"] + [
        f"{json.dumps(s.label + ': ')} + (isValid(datum[{json.dumps(s.column)}]) ? "
        f"format(datum[{json.dumps(s.column)}], '.3~g') : 'n/a') + {json.dumps(layer.unit and ' ' + layer.unit)}"
        for s in layer.series
    ]
    readout = {
        "transform": [
            {"filter": {"param": "tap", "empty": False}},
            {"calculate": " + '\\n' + ".join(lines), "as": "readout"},
        ],
        "mark": {"type": "text", "align": "left", "baseline": "top", "lineBreak": "\n", "x": 4, "y": 4},
        "encoding": {"text": {"field": "readout"}, "color": {"value": GREYS["band"]}},
    }
    # a top-level table is sent as Arrow (NaN arrives as null: a gap in a line)
    if "data" not in top:
        top["data"] = {"values": data}
        return [{"layer": [marks, hover, readout]}]
    return [{"data": {"values": records(data)}, "layer": [marks, hover, readout]}]


def _band(layer: Band, panel: Panel) -> list[dict[str, Any]]:
    keep = thin(len(layer.x), layer.lo, layer.hi, layer.mid)
    values = [
        {"x": _num(a), "lo": _num(b), "hi": _num(c), "mid": _num(d)}
        for a, b, c, d in zip(layer.x[keep], layer.lo[keep], layer.hi[keep], layer.mid[keep])
    ]
    x = _enc(panel.x, "x", title=False)
    return [
        {
            "data": {"values": values},
            "mark": {"type": "area", "opacity": 0.18, "color": layer.colour},
            "encoding": {"x": x, "y": _enc(panel.y, "lo", title=False), "y2": {"field": "hi"}},
        },
        {
            "data": {"values": values},
            "mark": {"type": "line", "strokeDash": DASHES[":"], "color": layer.colour},
            "encoding": {
                "x": x,
                "y": _enc(panel.y, "mid", title=False),
                "tooltip": [{"field": "mid", "title": f"{layer.label}: median", "format": ".4~g"}],
            },
        },
    ]


def _rule(layer: Rule, panel: Panel) -> list[dict[str, Any]]:
    axis = panel.x if layer.axis == "x" else panel.y
    pos = {layer.axis: _enc(axis, "at", title=False)}
    out: list[dict[str, Any]] = [
        {
            "data": {"values": [{"at": float(layer.at), "text": layer.text}]},
            "mark": {"type": "rule", "strokeDash": DASHES[layer.dash], "color": layer.colour, "strokeWidth": 1.5},
            "encoding": pos,
        }
    ]
    if layer.text:
        where = (
            {"align": "right", "baseline": "bottom", "x": "width", "dy": -2}
            if layer.axis == "y"
            else {"align": "left", "baseline": "top", "y": 0, "dx": 3}
        )
        out.append(
            {
                "data": {"values": [{"at": float(layer.at), "text": layer.text}]},
                "mark": {"type": "text", "color": layer.colour, **where},
                "encoding": {**pos, "text": {"field": "text"}},
            }
        )
    return out


def _spans(layer: Spans, panel: Panel) -> list[dict[str, Any]]:
    axis = panel.x if layer.axis == "x" else panel.y
    return [
        {
            "data": {"values": [{"a": float(a), "b": float(b)} for a, b in zip(layer.starts, layer.ends)]},
            "mark": {"type": "rect", "color": layer.colour, "opacity": layer.opacity},
            "encoding": {
                layer.axis: _enc(axis, "a", title=False),
                f"{layer.axis}2": {"field": "b"},
                **({"tooltip": {"value": layer.label}} if layer.label else {}),
            },
        }
    ]


def _points(layer: Points, panel: Panel, legend: _Legend, present: bool) -> list[dict[str, Any]]:
    values = [{"x": _num(a), "y": _num(b)} for a, b in zip(layer.x, layer.y)]
    values = [v for v in values if v["x"] is not None and v["y"] is not None]
    cats = panel.y.categories
    if cats:  # on a category axis y is the category's index (as in the files)
        values = [{**v, "y": cats[int(round(v["y"]))]} for v in values if 0 <= round(v["y"]) < len(cats)]
    if not values:  # nothing to draw: an empty mark group would be an unlabelled image to a screen reader
        return []  # (its legend entry stays: the panel's colour scale names every series)
    # a labelled layer names its series in every row (in the Vega-Lite schema a datum takes no scale nor legend)
    values = [{**v, "series": layer.label} for v in values] if layer.label else values
    colour = legend.encoding() if layer.label else {"value": layer.colour}
    tip = [
        {"field": "x", "title": panel.x.title, "format": ".4~g"},
        {"field": "y", "title": f"{layer.label or panel.y.title}", **({} if cats else {"format": ".4~g"})},
    ]
    return [
        {
            "data": {"values": values},
            "mark": {
                "type": "point",
                "shape": SHAPES[layer.shape],
                "filled": layer.filled,
                "opacity": 1,
                "strokeWidth": 2,
                "size": (110 if present else 70) * layer.size,
                **({"stroke": GREYS["outline"], "strokeWidth": 0.8} if layer.filled and layer.size > 2 else {}),
            },
            "encoding": {
                # titled: a panel of points alone has its axis titles (the same title of other layers is merged)
                "x": _enc(panel.x, "x"),
                "y": _enc(panel.y, "y"),
                "color": colour,
                "tooltip": [] if panel.x.hidden else tip,
            },
        }
    ]


def _ranges(layer: Ranges, panel: Panel, legend: _Legend) -> list[dict[str, Any]]:
    values = [{"x": float(a), "lo": float(b), "hi": float(c)} for a, b, c in zip(layer.x, layer.lo, layer.hi)]
    x = _enc(panel.x, "x", title=False)
    values = [{**v, "series": layer.label} for v in values]  # its series in every row (as in _points)
    colour = legend.encoding()
    return [
        {
            "data": {"values": values},
            "layer": [
                {
                    "mark": {"type": "rule", "strokeWidth": 2},
                    "encoding": {
                        "x": x,
                        "y": _enc(panel.y, "lo", title=False),
                        "y2": {"field": "hi"},
                        "color": colour,
                        "tooltip": [
                            {"field": "x", "title": panel.x.title},
                            {"field": "lo", "title": f"{layer.label}, low"},
                            {"field": "hi", "title": f"{layer.label}, high"},
                        ],
                    },
                },
                *(
                    {
                        "mark": {"type": "tick", "thickness": 2, "orient": "horizontal", "color": layer.colour},
                        "encoding": {"x": x, "y": _enc(panel.y, end, title=False)},
                    }
                    for end in ("lo", "hi")
                ),
            ],
        }
    ]


def _bars(layer: Bars, panel: Panel, legend: _Legend, groups: list[float]) -> list[dict[str, Any]]:
    n = len(layer.categories)
    texts = layer.texts or ("",) * n
    faded = layer.faded or (False,) * n
    values = [
        {"category": c, "start": _num(a), "end": _num(b), "colour": k, "text": t, "faded": f, "group": layer.offset}
        for c, a, b, k, t, f in zip(layer.categories, layer.start, layer.end, layer.colours, texts, faded)
    ]
    y = _enc(panel.y, "category")
    offset = {"yOffset": {"field": "group", "type": "nominal", "sort": groups, "scale": {"domain": groups}}}
    values = [{**v, "series": layer.label} for v in values]  # its series in every row (as in _points)
    colour = legend.encoding() if layer.label else {"field": "colour", "type": "nominal", "scale": None, "legend": None}
    tip = [{"field": "category", "title": panel.y.title or "row"}]
    if layer.texts:
        tip.append({"field": "text", "title": layer.label or panel.x.title})
    out: list[dict[str, Any]] = [
        {
            "data": {"values": values},
            "mark": {"type": "bar", "stroke": "white", "strokeWidth": 0.3},
            "transform": [{"filter": "isValid(datum.end)"}],
            "encoding": {
                "x": _enc(panel.x, "start"),
                "x2": {"field": "end"},
                "y": y,
                **(offset if len(groups) > 1 else {}),
                # unlabelled bars paint their own colours as fill: the panel's colour scale (and its legend of
                # the other layers) stays whole
                ("color" if layer.label else "fill"): colour,
                "opacity": {"condition": {"test": "datum.faded", "value": 0.35}, "value": 1.0},
                "tooltip": tip,
            },
        }
    ]
    if layer.texts:
        out.append(
            {
                "data": {"values": values},
                "mark": {"type": "text", "align": "left", "dx": 4, "color": "black"},
                "transform": [{"calculate": "isValid(datum.end) ? datum.end : datum.start", "as": "at"}],
                "encoding": {
                    "x": _enc(panel.x, "at", title=False),
                    "y": y,
                    **(offset if len(groups) > 1 else {}),
                    "text": {"field": "text"},
                },
            }
        )
    return out


def _text(layer: Text, panel: Panel) -> list[dict[str, Any]]:
    at_top = layer.y is None
    return [
        {
            "data": {"values": [{"x": float(layer.x), "y": 0.0 if at_top else float(layer.y), "t": layer.text}]},
            "mark": {
                "type": "text",
                "baseline": "bottom",
                "dy": -2,
                "color": layer.colour,
                **({"y": 0} if at_top else {}),
            },
            "encoding": {
                "x": _enc(panel.x, "x", title=False),
                **({} if at_top else {"y": _enc(panel.y, "y", title=False)}),
                "text": {"field": "t"},
            },
        }
    ]


def panel_spec(panel: Panel, present: bool, scale: float = 1.0) -> dict[str, Any]:
    """One panel as a layered Vega-Lite spec (without the chart-level settings)."""
    legend = _Legend(panel)
    groups = sorted({la.offset for la in panel.layers if isinstance(la, Bars)})
    layers: list[dict[str, Any]] = []
    top: dict[str, Any] = {}
    for layer in panel.layers:
        if isinstance(layer, Lines):
            layers += _lines(layer, panel, legend, present, top)
        elif isinstance(layer, Band):
            layers += _band(layer, panel)
        elif isinstance(layer, Rule):
            layers += _rule(layer, panel)
        elif isinstance(layer, Spans):
            layers += _spans(layer, panel)
        elif isinstance(layer, Points):
            layers += _points(layer, panel, legend, present)
        elif isinstance(layer, Ranges):
            layers += _ranges(layer, panel, legend)
        elif isinstance(layer, Bars):
            layers += _bars(layer, panel, legend, groups)
        elif isinstance(layer, Text):
            layers += _text(layer, panel)
        else:
            raise TypeError(f"unknown layer {type(layer).__name__}")
    # layers that draw their own axes first, so every axis gets the title of the layer that owns it
    spec: dict[str, Any] = {
        "height": round(PANEL_HEIGHT[present] * panel.height * scale),
        "width": "container",
        **top,
        "layer": layers,
    }
    if panel.x.categories or panel.y.hidden or panel.x.hidden:
        spec["resolve"] = {"scale": {"x": "shared", "y": "shared"}}
    return spec


def chart(spec: dict[str, Any], present: bool, title: str = "", subtitle: str = "") -> dict[str, Any]:
    """A panel as a stand-alone chart that fits the width of its container (desk, projector or phone).

    Titles are wrapped into lines short enough for a phone.
    """
    font = 18 if present else 13
    head: dict[str, Any] = {}
    if title or subtitle:
        head = {
            "title": {
                "text": textwrap.wrap(title or subtitle, 38) or [""],
                **({"subtitle": textwrap.wrap(subtitle, 48)} if title and subtitle else {}),
                "anchor": "start",
                "fontSize": font + 1,
                "subtitleFontSize": font,
            }
        }
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        **spec,
        **head,
        "autosize": {"type": "fit-x", "contains": "padding"},
        "config": {
            # tick labels that would touch are left out (a phone's narrow axis), never drawn over each other
            "axis": {
                "labelFontSize": font,
                "titleFontSize": font,
                "grid": True,
                "gridOpacity": 0.4,
                "labelOverlap": "greedy",
                "labelSeparation": 4,
            },
            "axisY": {"minExtent": 4 * font},  # panels of one page line up
            # a tick every ~60 px (~90 px for a projector's large labels): every label kept, evenly spaced
            "axisX": {"tickCount": {"expr": f"ceil(width / {90 if present else 60})"}},
            "legend": {"labelFontSize": font, "titleFontSize": font, "symbolStrokeWidth": 3},
            "text": {"fontSize": font},  # labels on the chart: rules, bars, notes (>= 18 px on a projector)
            "view": {"stroke": None},
            "font": "sans-serif",
        },
    }


def render(fig: Figure, present: bool) -> list[dict[str, Any]]:
    """The figure as Vega-Lite charts, one per panel; the figure's title heads the first.

    In presentation mode every axis keeps its steady range.
    """
    fig = steadied(fig) if present else fig
    # on a 1280x720 projector the panels of one figure share the screen's height with the headline
    scale = (1.0, 1.0, 0.75)[min(len(fig.panels), 2)] if present else 1.0
    scale = 0.7 if present and len(fig.panels) >= 3 else scale
    return [
        chart(panel_spec(p, present, scale), present, fig.title, p.title)
        if i == 0 and fig.title
        else chart(panel_spec(p, present, scale), present, p.title)
        for i, p in enumerate(fig.panels)
    ]


def records(values: Any) -> list[dict[str, Any]]:
    """A layer's data as records (a table as the browser receives it: NaN as null)."""
    if isinstance(values, pd.DataFrame):
        return values.astype(object).where(values.notna(), None).to_dict("records")
    return list(values)
