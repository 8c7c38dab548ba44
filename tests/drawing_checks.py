"""Reading a drawing back, for the figure tests: the charts as the browser gets them, their legends and axes."""

import json

import altair as alt
import jsonschema
import numpy as np
import pandas as pd
from matplotlib.colors import to_hex
from matplotlib.figure import Figure as MplFigure

from ui.drawings import vega
from ui.drawings.spec import Figure

SCHEMA = jsonschema.Draft7Validator(alt.vegalite.v6.schema.core.load_schema())


def as_json(value):
    """A Vega-Lite spec as the browser receives it: every table as records (NaN as null)."""
    if isinstance(value, pd.DataFrame):
        return vega.records(value)
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    return value


def walk(node):
    """Every dict inside a spec."""
    if isinstance(node, dict):
        yield node
        for v in node.values():
            yield from walk(v)
    elif isinstance(node, list):
        for v in node:
            yield from walk(v)


def screen(fig: Figure, present: bool = False) -> list[dict]:
    """The figure's Vega-Lite charts, valid JSON without NaN and valid against the Vega-Lite schema."""
    charts = [as_json(c) for c in vega.render(fig, present)]
    assert len(charts) == len(fig.panels)
    for c in charts:
        json.dumps(c, allow_nan=False)
        errors = [f"{list(e.absolute_path)}: {e.message[:200]}" for e in SCHEMA.iter_errors(c)]
        assert not errors, errors
    return charts


def legend_colours(chart: dict) -> dict[str, str]:
    """label -> colour of every colour scale in a chart."""
    out = {}
    for node in walk(chart):
        scale = node.get("scale") if node.get("field") == "series" else None
        if isinstance(scale, dict) and "range" in scale:
            out.update({n: c.lower() for n, c in zip(scale["domain"], scale["range"]) if isinstance(c, str)})
    return out


def marks(chart: dict, kind: str) -> list[dict]:
    """The layers of a chart drawing ``kind`` marks."""
    return [n for n in walk(chart) if isinstance(n.get("mark"), dict) and n["mark"].get("type") == kind]


def domains(chart: dict, channel: str) -> list[list[float]]:
    """Every explicit scale domain of a position channel in a chart."""
    return [
        n[channel]["scale"]["domain"]
        for n in walk(chart)
        if isinstance(n.get(channel), dict) and isinstance(n[channel].get("scale"), dict)
        if "domain" in n[channel]["scale"]
    ]


def legends(fig: MplFigure) -> dict[str, set[str]]:
    """label -> colours of its handle, over every legend of a matplotlib figure."""
    out: dict[str, set[str]] = {}
    found = [ax.get_legend() for ax in fig.axes if ax.get_legend()] + list(fig.legends)
    for leg in found:
        for handle, text in zip(leg.legend_handles, leg.texts):
            cs = set()
            for get in ("get_color", "get_facecolor", "get_edgecolor", "get_markeredgecolor"):
                if hasattr(handle, get):
                    c = np.atleast_2d(np.asarray(getattr(handle, get)(), dtype=object))
                    for row in c:
                        try:
                            cs.add(to_hex(tuple(row) if len(row) > 1 else row[0], keep_alpha=False))
                        except (ValueError, TypeError):
                            pass
            out.setdefault(text.get_text(), set()).update(cs)
    return out
