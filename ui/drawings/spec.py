"""What a figure shows, described once: panels of layers on axes, with labels, colours and units.

A description holds plain numbers and words (no Streamlit, no matplotlib, no Vega). It is drawn by
:mod:`ui.drawings.vega` on the screen (the browser draws it) and by :mod:`ui.drawings.mpl` into the
PNG, SVG and PDF downloads, so the two cannot disagree on series, colours, axes or titles.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
import pandas as pd

Dash = Literal["-", "--", ":", "-."]
#: Line styles for series told apart by shades of one colour (a ramp of levels, hours or doses), in order:
#: the shade is never the only cue (dotted stays for reference lines).
RAMP_STYLES: tuple[Dash, ...] = ("-", "-.", "--")


def ramp_style(i: int) -> Dash:
    """The line style of the ``i``-th series of a ramp of shades."""
    return RAMP_STYLES[i % len(RAMP_STYLES)]


@dataclass(frozen=True)
class Series:
    """One column of a :class:`Lines` frame: its legend label, colour (hex) and matplotlib line style."""

    column: str
    label: str
    colour: str
    dash: Dash = "-"


@dataclass(frozen=True)
class Lines:
    """Curves of ``frame`` (column ``x`` and one column per series) against x, or their stacked areas.

    ``unit`` is added to each series' name where its values are read (tooltips); ``points`` marks each row.
    """

    frame: pd.DataFrame
    series: tuple[Series, ...]
    stacked: bool = False
    points: bool = False
    unit: str = ""


@dataclass(frozen=True)
class Band:
    """A population's 5-95 % range (``lo``-``hi``) and its dotted median (``mid``) at times ``x``."""

    x: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    mid: np.ndarray
    label: str
    colour: str


@dataclass(frozen=True)
class Rule:
    """A reference line across the panel at ``at`` on the ``axis`` axis, with an optional label."""

    axis: Literal["x", "y"]
    at: float
    text: str = ""
    colour: str = "#555555"
    dash: Dash = ":"


@dataclass(frozen=True)
class Spans:
    """Shaded ranges [starts, ends] on the ``axis`` axis, across the whole panel."""

    axis: Literal["x", "y"]
    starts: tuple[float, ...]
    ends: tuple[float, ...]
    colour: str
    opacity: float = 0.12
    label: str = ""


@dataclass(frozen=True)
class Points:
    """Markers at (x, y): ``shape`` 'o' (circle), 's' (square), 'x' (cross) or '_' (dash), filled or open.

    On a category axis (``Axis.categories``) y is the index of the category.
    """

    x: np.ndarray
    y: np.ndarray
    label: str
    colour: str
    shape: Literal["o", "s", "x", "_"] = "o"
    filled: bool = True
    size: float = 1.0  # relative to the renderer's standard marker


@dataclass(frozen=True)
class Ranges:
    """Vertical ranges [lo, hi] at x (measured ranges, drawn as capped bars)."""

    x: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    label: str
    colour: str = "#000000"


@dataclass(frozen=True)
class Bars:
    """Horizontal bars from ``start`` to ``end`` on the category axis (y), one per row.

    ``colours`` one per bar; ``texts`` written after each bar's end; ``faded`` bars are drawn pale
    (and hatched in files); ``offset`` shifts the bars within their category (-0.5..0.5) for groups;
    ``label`` names the layer in the legend (empty: no legend entry).
    """

    categories: tuple[str, ...]
    start: np.ndarray
    end: np.ndarray
    colours: tuple[str, ...]
    label: str = ""
    texts: tuple[str, ...] = ()
    faded: tuple[bool, ...] = ()
    offset: float = 0.0
    thickness: float = 0.7


@dataclass(frozen=True)
class Text:
    """Words at (x, y) in data coordinates (y None: the top of the panel)."""

    x: float
    y: float | None
    text: str
    colour: str = "#444444"


Layer = Lines | Band | Rule | Spans | Points | Ranges | Bars | Text


@dataclass(frozen=True)
class Axis:
    """An axis: its title (with the unit), range (None: from the data), log scale, or categories in order.

    ``steady`` is the range used in presentation mode where ``domain`` follows the data: an axis
    that stays put while a lecturer moves a control, so the class sees the curve move, not the axis.
    """

    title: str
    domain: tuple[float, float] | None = None
    log: bool = False
    categories: tuple[str, ...] = ()
    hidden: bool = False
    steady: tuple[float, float] | None = None


@dataclass(frozen=True)
class Panel:
    """One chart: layers drawn in order on shared axes, a title, and a height relative to the standard."""

    layers: tuple[Layer, ...]
    x: Axis
    y: Axis
    title: str = ""
    height: float = 1.0
    legend_title: str = ""
    equal: bool = False  # one unit of x as long as one of y (pictures)


@dataclass(frozen=True)
class Figure:
    """Panels shown one under another on a screen; in a file side by side in ``columns`` (a phone: stacked)."""

    panels: tuple[Panel, ...]
    title: str = ""
    columns: int = 1
    shared_x: bool = False


def steadied(fig: Figure) -> Figure:
    """The figure with every axis at its steady range (presentation mode)."""

    def axis(a: Axis) -> Axis:
        return replace(a, domain=a.steady) if a.steady else a

    return replace(fig, panels=tuple(replace(p, x=axis(p.x), y=axis(p.y)) for p in fig.panels))


def frame(x: Sequence[float] | np.ndarray, **columns: Sequence[float] | np.ndarray) -> pd.DataFrame:
    """A :class:`Lines` frame: column ``x`` and the given columns (floats)."""
    xs = np.asarray(x, dtype=float)
    values = np.empty((xs.size, 1 + len(columns)))  # one block of floats: cheap to build and to slice
    values[:, 0] = xs
    for i, v in enumerate(columns.values(), start=1):
        values[:, i] = np.asarray(v, dtype=float)
    return pd.DataFrame(values, columns=["x", *columns])


def grid(
    rows: Sequence[float] | pd.Series, cols: Sequence[float] | pd.Series, values: Sequence[float] | pd.Series
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A long table's values on its grid: sorted row keys, sorted column keys, values [row, column].

    A missing pair is NaN; a repeated one is the mean (as a pivot table would give).
    """
    r, c = np.asarray(rows, dtype=float), np.asarray(cols, dtype=float)
    rk, ri = np.unique(r, return_inverse=True)
    ck, ci = np.unique(c, return_inverse=True)
    total, count = np.zeros((rk.size, ck.size)), np.zeros((rk.size, ck.size))
    np.add.at(total, (ri, ci), np.asarray(values, dtype=float))
    np.add.at(count, (ri, ci), 1.0)
    with np.errstate(invalid="ignore"):
        return rk, ck, np.where(count > 0, total / np.maximum(count, 1.0), np.nan)


def series_of(fig: Figure) -> list[tuple[str, str]]:
    """Every legend entry of a figure as (label, colour), panel by panel, in drawing order."""
    out: list[tuple[str, str]] = []
    for p in fig.panels:
        for layer in p.layers:
            if isinstance(layer, Lines):
                out += [(s.label, s.colour) for s in layer.series]
            elif isinstance(layer, (Band, Points, Ranges, Spans, Bars)) and layer.label:
                colour = layer.colours[0] if isinstance(layer, Bars) else layer.colour
                out.append((layer.label, colour))
    return out
