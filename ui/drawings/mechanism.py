"""Figures of the receptor mechanism: the 100-receptor picture, equilibrium curves, dose-response, Schild."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..theme import BLUES, colour, label
from .spec import Axis, Figure, Lines, Panel, Points, Rule, Series, frame, grid, ramp_style

#: What can hold a receptor in the picture, in legend order.
HOLDERS = ("free", "naltrexone", "naltrexol", "agonist")
#: The naltrexone levels of the equilibrium curves: none (as "without"), then darker blues.
LEVEL_SHADES = (colour("without"), BLUES[0], *BLUES[2:])
#: Times after naltrexone in the dose-response figure: the earliest (strongest blockade) darkest.
HOUR_SHADES = (BLUES[5], BLUES[3], BLUES[1], BLUES[0])


def receptor_picture(labels: np.ndarray) -> Figure:
    """A square grid of receptors (10 x 10 for 100), one dot each, coloured by what holds it.

    Every holder is in the legend with its count, a holder with none as well (``naltrexol: 0``).
    """
    n = int(np.sqrt(labels.size))
    cells = np.asarray(labels).reshape(n, n)
    rows, cols = np.indices((n, n))
    dots = tuple(
        Points(
            cols[cells == k].astype(float),
            (n - 1 - rows[cells == k]).astype(float),  # the first row on top
            f"{label(k)}: {int((cells == k).sum())}",
            colour(k),
            size=3.7,
        )
        for k in HOLDERS
    )
    side = Axis("", (-0.7, n - 0.3), hidden=True)
    return Figure((Panel(dots, side, side, height=1.75, legend_title=f"{labels.size} receptors", equal=True),))


def _level(nm: float) -> str:
    return "no naltrexone" if nm == 0 else f"naltrexone {nm:g} nM"


def equilibrium(df: pd.DataFrame, agonist: str = "heroin") -> Figure:
    """Occupancy and reward vs agonist level at the receptor, one curve per naltrexone level.

    ``df``: :func:`model.lessons.equilibrium_curves` (every level on the same agonist grid).
    """
    x, levels, occ = grid(df.agonist_nm, df.naltrexone_nm, df.occupancy_agonist)
    rew = grid(df.agonist_nm, df.naltrexone_nm, df.reward)[2]
    series = tuple(  # no naltrexone dashed, as "without" is everywhere; each level its shade and style
        Series(f"l{i}", _level(lv), LEVEL_SHADES[min(i, 5)], "--" if lv == 0 else ramp_style(i - 1))
        for i, lv in enumerate(levels)
    )
    x_axis = Axis(f"{label(agonist)} at the receptor (nM, log)", (float(x[0]), float(x[-1])), log=True)
    return Figure(
        (
            Panel(
                (Lines(frame(x, **{f"l{i}": 100 * occ[:, i] for i in range(len(levels))}), series, unit="%"),),
                x_axis,
                Axis(f"receptors holding {label(agonist)} (%)", (0, 100)),
                title="Occupancy",
            ),
            Panel(
                (Lines(frame(x, **{f"l{i}": rew[:, i] for i in range(len(levels))}), series),),
                x_axis,
                Axis("reward at equilibrium (0-1)", (0, 1)),
                title="Reward",
            ),
        ),
        columns=2,
    )


def dose_response(df: pd.DataFrame, agonist: str = "heroin") -> Figure:
    """Peak reward increase vs agonist dose without naltrexone and at each time after the tablet.

    ``df``: :func:`model.lessons.dose_response` (every time on the same doses).
    """
    hours, doses, with_ = grid(df.hours_after_naltrexone, df.dose_mg, df.increment_with)
    _, _, without = grid(df.hours_after_naltrexone, df.dose_mg, df.increment_without)
    data = frame(doses, without=without[0], **{f"h{i}": with_[i] for i in range(len(hours))})
    series = (
        Series("without", "no naltrexone", colour("without"), "--"),
        *(
            Series(f"h{i}", f"{h:g} h after naltrexone", HOUR_SHADES[min(i, 3)], ramp_style(i))
            for i, h in enumerate(hours)
        ),
    )
    return Figure(
        (
            Panel(
                (Lines(data, series, points=True),),
                Axis(f"{label(agonist)} dose (mg, log)", (float(doses[0]), float(doses[-1])), log=True),
                Axis("peak reward increase (0-1)", (0, 1)),
                title="The dose-response curve shifts to the right",
                height=1.35,  # room for the y title at presentation size
            ),
        )
    )


def schild(df: pd.DataFrame, slope: float, pa2: float) -> Figure:
    """Schild plot: log10(dose ratio - 1) vs log10 naltrexone, the model's points and their fitted line.

    ``df``, ``slope``, ``pa2``: :func:`model.lessons.schild`. The line y = 0 is a dose ratio of 2: it
    crosses the fit where naltrexone is at its Kd (the pA2).
    """
    x, y = df.log10_naltrexone_nm.to_numpy(float), df.log10_dose_ratio_minus_1.to_numpy(float)
    xx = np.linspace(x.min() - 0.3, x.max() + 0.3, 20)
    fit = np.polyval(np.polyfit(x, y, 1), xx)
    lo, hi = min(fit.min(), y.min(), 0.0), max(fit.max(), y.max(), 0.0)
    y_axis = Axis(
        "log10 (dose ratio\u00a0-\u00a01)", (float(np.floor(2 * lo - 0.2) / 2), float(np.ceil(2 * hi + 0.2) / 2))
    )
    return Figure(
        (
            Panel(
                (
                    Lines(
                        frame(xx, fit=fit),
                        (Series("fit", f"fit: slope {slope:.2f}, pA2 {pa2:.2f}", colour("threshold"), "--"),),
                    ),
                    Rule("y", 0.0, "dose ratio 2", colour="#000000", dash="-"),
                    Points(x, y, "model", colour("naltrexone"), size=1.7),
                ),
                Axis("log10 naltrexone at the receptor (nM)", (float(xx[0]), float(xx[-1]))),
                y_axis,
                title="Schild plot: competitive antagonism gives slope 1",
                height=1.35,
            ),
        )
    )
