"""The file renderer: a figure description drawn by matplotlib, for the PNG, SVG and PDF downloads."""

from __future__ import annotations

import textwrap

import matplotlib
import numpy as np
from matplotlib.figure import Figure as MplFigure
from matplotlib.ticker import FuncFormatter, NullFormatter

from ..theme import GREYS, figure, is_narrow, styled
from .spec import Axis, Band, Bars, Figure, Lines, Panel, Points, Ranges, Rule, Spans, Text, steadied

MARKERS = {"o": "o", "s": "s", "x": "x", "_": "_"}
PANEL_HEIGHT_IN = 3.0  # inches per standard panel in a column of panels


_SUPERSCRIPT = str.maketrans("-0123456789", "\u207b\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079")


def _log_tick(v: float, wide: bool) -> str:
    """A log axis' tick: plain from 0.001 to 1000, else (or on a ``wide`` axis) a power of ten as 10\u2076.

    Short labels, never '1e+06', so the ticks of many decades do not run into each other.
    """
    e = round(float(np.log10(v))) if v > 0 else 0
    plain = 1e-3 <= v < 1e4 and not (wide and not 0 <= e <= 1)  # on a wide axis 1 and 10, then 10², 10³...
    if v <= 0 or plain or not np.isclose(v, 10.0**e):
        return f"{v:g}"
    return "10" + str(e).translate(_SUPERSCRIPT)


def _log_formatter(axis: object) -> FuncFormatter:
    """Ticks of a log axis: powers of ten written 10\u207f where it spans more than four decades."""

    def tick(v: float, _: object) -> str:
        lo, hi = sorted(axis.get_view_interval())
        return _log_tick(v, lo > 0 and hi / lo > 1e4)

    return FuncFormatter(tick)


def _two_lines(name: str, width: int = 16) -> str:
    """A category longer than ``width`` on two lines of nearly equal length (a phone keeps its panel's width)."""
    spaces = [i for i, ch in enumerate(name) if ch == " "]
    if len(name) <= width or not spaces:
        return name
    at = min(spaces, key=lambda i: max(i, len(name) - i - 1))
    return f"{name[:at]}\n{name[at + 1 :]}"


def _axis(ax: object, axis: Axis, which: str) -> None:
    set_label, set_scale, set_lim = (
        (ax.set_xlabel, ax.set_xscale, ax.set_xlim) if which == "x" else (ax.set_ylabel, ax.set_yscale, ax.set_ylim)
    )
    if axis.hidden:
        (ax.xaxis if which == "x" else ax.yaxis).set_visible(False)
        return
    if axis.categories:
        if which == "y":
            names = [_two_lines(c) if is_narrow() else c for c in axis.categories]
            ax.set_yticks(range(len(axis.categories)), names)
            ax.set_ylim(len(axis.categories) - 0.5, -0.5)  # the first category on top, as on the screen
            ax.grid(False, axis="y")
        set_label(axis.title)
        return
    # a y title on two lines fits a panel's height at presentation size
    set_label(axis.title if which == "x" else "\n".join(textwrap.wrap(axis.title, 20)))
    if axis.log:
        set_scale("log")
        fmt = ax.xaxis if which == "x" else ax.yaxis
        fmt.set_major_formatter(_log_formatter(fmt))
        fmt.set_minor_formatter(NullFormatter())
    if axis.domain:
        set_lim(*axis.domain)


def _lines(ax: object, layer: Lines, present: bool) -> None:
    x = layer.frame["x"].to_numpy()
    if layer.stacked:
        ax.stackplot(
            x,
            [layer.frame[s.column].to_numpy() for s in layer.series],
            colors=[s.colour for s in layer.series],
            labels=[s.label for s in layer.series],
            alpha=0.9,
        )
        return
    for s in layer.series:
        ax.plot(
            x,
            layer.frame[s.column].to_numpy(),
            color=s.colour,
            ls=s.dash,
            label=s.label,
            marker="o" if layer.points else None,
        )


def _band(ax: object, layer: Band) -> None:
    ax.fill_between(layer.x, layer.lo, layer.hi, color=layer.colour, alpha=0.18, lw=0, label=f"{layer.label}: 5-95 %")
    ax.plot(layer.x, layer.mid, color=layer.colour, lw=1.2, ls=":", label=f"{layer.label}: median")


def _rule(ax: object, layer: Rule) -> None:
    line = ax.axhline if layer.axis == "y" else ax.axvline
    # a phone's panel has no room for a label at the line's end, over the curves: it goes in the legend
    in_legend = bool(layer.text) and layer.axis == "y" and is_narrow()
    line(layer.at, color=layer.colour, ls=layer.dash, lw=1.5, label=layer.text if in_legend else None)
    if in_legend:
        return
    if layer.text and layer.axis == "y":
        ax.annotate(
            layer.text,
            (0.995, layer.at),
            xycoords=("axes fraction", "data"),
            ha="right",
            va="bottom",
            color=layer.colour,
        )
    elif layer.text:
        ax.annotate(
            layer.text, (layer.at, 0.99), xycoords=("data", "axes fraction"), ha="left", va="top", color=layer.colour
        )


def _spans(ax: object, layer: Spans) -> None:
    span = ax.axvspan if layer.axis == "x" else ax.axhspan
    for i, (a, b) in enumerate(zip(layer.starts, layer.ends)):
        span(a, b, color=layer.colour, alpha=layer.opacity, lw=0, label=layer.label if i == 0 and layer.label else None)


def _points(ax: object, layer: Points, present: bool) -> None:
    size = (90 if present else 55) * layer.size
    filled = layer.filled or layer.shape in ("x", "_")
    ax.scatter(
        layer.x,
        layer.y,
        s=size,
        marker=MARKERS[layer.shape],
        color=layer.colour if filled else "none",
        edgecolors=(GREYS["outline"] if layer.size > 2 else layer.colour) if layer.shape not in ("x", "_") else None,
        linewidths=0.8 if layer.size > 2 else 2,
        label=layer.label or None,
        zorder=3,
    )


def _ranges(ax: object, layer: Ranges) -> None:
    mid = (layer.lo + layer.hi) / 2
    ax.errorbar(layer.x, mid, yerr=[mid - layer.lo, layer.hi - mid], fmt="none", color=layer.colour, capsize=6, lw=2)
    ax.plot([], [], "s", color=layer.colour, label=layer.label)


def _bars(ax: object, layer: Bars, order: tuple[str, ...] = ()) -> None:
    # each bar on the row of its category on the axis (as on the screen), several bars on one row allowed
    row = {c: i for i, c in enumerate(order)}
    y = np.array([row.get(c, i) for i, c in enumerate(layer.categories)], dtype=float) + layer.offset
    start = np.nan_to_num(np.asarray(layer.start, float))
    end = np.asarray(layer.end, float)
    ok = np.isfinite(end)
    faded = np.asarray(layer.faded or (False,) * len(y), bool)
    for i in np.flatnonzero(ok):
        ax.barh(
            y[i],
            end[i] - start[i],
            left=start[i],
            height=layer.thickness,
            color=layer.colours[i],
            alpha=0.35 if faded[i] else 1.0,
            hatch="//" if faded[i] else None,
            edgecolor="white",
            lw=0.3,
            label=layer.label if layer.label and i == np.flatnonzero(ok)[0] else None,
        )
    for i, t in enumerate(layer.texts):
        at = end[i] if ok[i] else start[i]
        ax.annotate(t, (at, y[i]), xytext=(4, 0), textcoords="offset points", va="center")


def _text(ax: object, layer: Text) -> None:
    if layer.y is None:
        ax.annotate(
            layer.text, (layer.x, 1.0), xycoords=("data", "axes fraction"), ha="center", va="bottom", color=layer.colour
        )
    else:
        ax.annotate(layer.text, (layer.x, layer.y), ha="center", va="bottom", color=layer.colour)


def _legend_above(ax: object, panel: Panel) -> bool:
    """Whether the panel's legend goes above it, with its title: on a phone, where no corner of a panel is free.

    A picture keeps its legend below it, and a figure of bars alone puts its legend under the figure.
    """
    return (
        is_narrow()
        and bool(ax.get_legend_handles_labels()[1])
        and not panel.equal
        and not (panel.y.categories and len(ax.figure.axes) == 1)
    )


def draw_panel(ax: object, panel: Panel, present: bool) -> None:
    """Every layer of ``panel`` on ``ax``, then its axes, title and legend."""
    for layer in panel.layers:
        if isinstance(layer, Lines):
            _lines(ax, layer, present)
        elif isinstance(layer, Band):
            _band(ax, layer)
        elif isinstance(layer, Rule):
            _rule(ax, layer)
        elif isinstance(layer, Spans):
            _spans(ax, layer)
        elif isinstance(layer, Points):
            _points(ax, layer, present)
        elif isinstance(layer, Ranges):
            _ranges(ax, layer)
        elif isinstance(layer, Bars):
            _bars(ax, layer, panel.y.categories)
        elif isinstance(layer, Text):
            _text(ax, layer)
        else:
            raise TypeError(f"unknown layer {type(layer).__name__}")
    _axis(ax, panel.x, "x")
    _axis(ax, panel.y, "y")
    if panel.x.hidden and panel.y.hidden:
        ax.axis("off")
    if panel.equal:
        ax.set_aspect("equal")
    labels = ax.get_legend_handles_labels()[1]
    above = _legend_above(ax, panel)
    if panel.title and not above:
        ax.set_title(panel.title, fontsize="medium")
    if not labels:
        return
    if above:  # a phone's panel has no free corner: the legend goes above it, under the panel's title
        ax.legend(
            title="\n".join(t for t in (panel.title, panel.legend_title) if t) or None,
            loc="lower left",
            bbox_to_anchor=(0.0, 1.02),
            ncols=2 if max(map(len, labels)) <= 12 else 1,
            fontsize="small",
            title_fontproperties={"weight": matplotlib.rcParams["axes.titleweight"], "size": "medium"},
            alignment="left",
            frameon=False,
            borderaxespad=0.0,
        )
    elif panel.equal and is_narrow():  # a picture on a phone: its legend goes below it
        ax.legend(title=panel.legend_title or None, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncols=2)
    elif panel.y.categories and is_narrow():  # bars alone fill a phone's figure: the legend goes under it
        ax.figure.legend(
            *ax.get_legend_handles_labels(),
            title=panel.legend_title or None,
            loc="outside lower center",
            fontsize="small",
        )
    else:  # right of the axes: it never hides a curve
        ax.legend(title=panel.legend_title or None, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0)


def render(fig: Figure, present: bool) -> MplFigure:
    """The figure as a matplotlib Figure (no pyplot state): panels in a column, or side by side in ``columns``.

    In presentation mode every axis keeps its steady range, as on the screen.
    """
    fig = steadied(fig) if present else fig
    n = len(fig.panels)
    cols = min(fig.columns, n)
    rows = -(-n // cols)
    heights = [p.height for p in fig.panels]
    height = PANEL_HEIGHT_IN * max(heights) if cols > 1 else PANEL_HEIGHT_IN * sum(heights) / n
    out, axes = figure(
        present,
        rows=rows,
        cols=cols,
        height=height,
        sharex=fig.shared_x,
        **({"gridspec_kw": {"height_ratios": heights}} if cols == 1 and n > 1 else {}),
    )
    if cols == 1 and n > 1 and is_narrow():  # a phone caps each panel's height: taller panels make the figure taller
        out.set_figheight(out.get_figheight() * max(1.0, sum(heights) / n))
    axes = np.atleast_1d(axes).ravel()
    with styled(present):
        for ax, panel in zip(axes, fig.panels):
            draw_panel(ax, panel, present)
        for ax in axes[n:]:
            ax.set_visible(False)
        if cols > 1 and not is_narrow():  # side by side: a legend the panel on its right repeats is dropped
            for i in range(n - 1):
                left, right = axes[i].get_legend(), axes[i + 1].get_legend()
                same = left and right and [t.get_text() for t in left.texts] == [t.get_text() for t in right.texts]
                if (i + 1) % cols and same:
                    left.remove()
        if fig.shared_x and cols == 1:
            for ax in axes[: n - 1]:
                ax.set_xlabel("")
        if fig.title:  # on the first panel, where a phone's layout wraps it
            first, heading = axes[0], "\n".join(t for t in (fig.title, fig.panels[0].title) if t)
            if _legend_above(first, fig.panels[0]):
                first.get_legend().set_title("\n".join(t for t in (heading, fig.panels[0].legend_title) if t))
            else:
                first.set_title(heading)
    return out
