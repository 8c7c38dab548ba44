"""Figures of stopping and starting naltrexone: the risk after it ends, and displacing an opioid when it starts."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..theme import GREYS, colour, label
from .spec import Axis, Bars, Figure, Lines, Panel, Points, Rule, Series, Spans, Text, frame

#: The shading of the overdose-risk window and the line where breathing is halved.
RISK = colour("without")
#: The labels' opioid-free intervals (days): 7-10 after short-acting opioids, 14 after methadone or buprenorphine.
LABEL_SHORT_DAYS = (7.0, 10.0)
LABEL_LONG_DAYS = 14.0
#: A bar's length (days) when dependence never fades within the search.
NEVER_DAYS = 40.0


def day_spans(days: np.ndarray, mask: np.ndarray) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """The [start, end] of each run of marked days; each day reaches halfway to its neighbours.

    The sweep's days are not evenly spaced (daily, then every other day), so a day's share of the axis
    ends midway to the next day tried; the first and last reach half the smallest step outwards.
    """
    d = np.asarray(days, dtype=float)
    mask = np.asarray(mask, dtype=bool)
    step = float(np.diff(d).min()) if d.size > 1 else 1.0
    mids = (d[1:] + d[:-1]) / 2
    lo = np.concatenate([[d[0] - step / 2], mids]) if d.size else d
    hi = np.concatenate([mids, [d[-1] + step / 2]]) if d.size else d
    starts: list[float] = []
    ends: list[float] = []
    for i in np.flatnonzero(mask):
        if ends and i > 0 and mask[i - 1]:
            ends[-1] = float(hi[i])  # a run of days: one span
        else:
            starts.append(float(lo[i]))
            ends.append(float(hi[i]))
    return tuple(starts), tuple(ends)


def stopping(after: pd.DataFrame, before: Mapping[str, float], risk: np.ndarray, day: float, dose_label: str) -> Figure:
    """The usual dose on each day after the last naltrexone: its effect, the lowest breathing, and why.

    ``after``: :func:`model.lessons.usual_dose_after_stopping`; ``before``: the same dose before treatment
    (:func:`model.lessons.usual_dose_before_treatment`); ``risk``: the days in the overdose-risk window
    (:func:`model.lessons.risk_window`), shaded; ``day``: the chosen day, a vertical line.
    """
    d = after.days_after_last_naltrexone.to_numpy(dtype=float)
    step = float(np.diff(d).min()) if d.size > 1 else 1.0
    x = Axis("days after the last naltrexone dose", (float(d[0] - step / 2), float(d[-1] + step / 2)))
    starts, ends = day_spans(d, risk)
    shade = Spans("x", starts, ends, RISK)
    chosen = Rule("x", float(day), colour="black", dash="-")
    effect = after.effect.to_numpy(dtype=float)
    drive = after.min_respiratory_drive.to_numpy(dtype=float)
    density = after.receptor_density.to_numpy(dtype=float)
    data = frame(
        d,
        effect=effect,
        effect_before=np.full(d.size, float(before["effect"])),
        drive=drive,
        drive_before=np.full(d.size, float(before["min_drive"])),
        density=density,
        tolerance=after.opioid_tolerance.to_numpy(dtype=float),
        held=after.occupancy_antagonist.to_numpy(dtype=float),
    )
    effect_panel = Panel(
        (
            shade,
            Lines(
                data[["x", "effect", "effect_before"]],
                (
                    Series("effect", f"{dose_label} after stopping", colour("agonist")),
                    Series("effect_before", "same dose before treatment", colour("threshold"), "--"),
                ),
            ),
            Points(d, effect, "", colour("agonist"), size=0.5),  # the days tried
            Rule("x", float(day), f"day {day:g}", "black", "-"),
        ),
        x,
        Axis("peak effect (reward rise, 0-1)", (0, 1)),
        # two lines in a file (the screen wraps its titles itself)
        title="Shaded: overdose-risk window (breathing lower\nthan before treatment, or below 0.5)",
    )
    drive_panel = Panel(
        (
            Spans("x", starts, ends, RISK, label="overdose-risk window"),
            Lines(
                data[["x", "drive", "drive_before"]],
                (
                    Series("drive", "after stopping", colour("fentanyl")),
                    Series("drive_before", "before treatment", colour("threshold"), "--"),
                ),
            ),
            Points(d, drive, "", colour("fentanyl"), size=0.5),
            Rule("y", 0.5, "breathing halved (0.5)", RISK),
            chosen,
        ),
        x,
        Axis("lowest breathing (1 = normal)", (0, 1.05)),
    )
    why_panel = Panel(
        (
            shade,
            Lines(
                data[["x", "density", "tolerance", "held"]],
                (
                    Series("density", "receptor density (1 = before)", colour("naltrexone")),
                    Series("tolerance", "opioid tolerance (1 = chronic user)", colour("methadone"), "--"),
                    Series("held", "receptors held by naltrexone", colour("naltrexol"), "-."),
                ),
            ),
            chosen,
        ),
        x,
        Axis("why (fractions)", (0, max(2.0, float(np.nanmax(density)) * 1.05)), steady=(0, 3)),
    )
    return Figure((effect_panel, drive_panel, why_panel), shared_x=True)


def displacement(course: pd.DataFrame, drug: str, tablet_h: float) -> Figure:
    """Who holds the receptors, and the opioid's effect, with and without a naltrexone tablet during regular use.

    ``course``: the hours around the tablet (``time_h``, ``occupancy_agonist_with/_without``,
    ``occupancy_antagonist_with``, ``reward_with/_without``); ``tablet_h``: when the tablet is taken.
    """
    t = (course.time_h - tablet_h).to_numpy(dtype=float)
    x = Axis("hours from the naltrexone tablet", (float(t[0]), float(t[-1])))
    tablet = Rule("x", 0.0, colour="black", dash="-")
    held = Lines(
        frame(
            t,
            without=100 * course.occupancy_agonist_without.to_numpy(),
            with_=100 * course.occupancy_agonist_with.to_numpy(),
            antagonist=100 * course.occupancy_antagonist_with.to_numpy(),
        ),
        (
            Series("without", f"{label(drug)}, no tablet", colour(drug), "--"),
            Series("with_", f"{label(drug)}, after the tablet", colour(drug)),
            Series("antagonist", "naltrexone family", colour("naltrexone"), "-."),
        ),
        unit="%",
    )
    effect = Lines(
        frame(t, without=course.reward_without.to_numpy(), with_=course.reward_with.to_numpy()),
        (
            Series("without", "no tablet", colour("without"), "--"),
            Series("with_", "after the tablet", colour("with")),
        ),
    )
    return Figure(
        (
            Panel((held, tablet), x, Axis("receptors held (%)", (0, 100))),
            Panel(
                (effect, tablet),
                x,
                Axis("opioid effect (0-1)", (0, 1)),
                title="Gap after the tablet: precipitated withdrawal",
            ),
        ),
        shared_x=True,
    )


def intervals(table: pd.DataFrame, threshold_pct: float) -> Figure:
    """Opioid-free days each opioid needs before a naltrexone tablet, with the labels' intervals.

    ``table``: one row per opioid (``drug``, ``days_opioid_free``: until physical dependence has faded,
    NaN beyond the search; ``days_receptors_free``: until the tablet would take at most ``threshold_pct``
    % of the receptors from it, drawn as black dots).
    """
    names = tuple(label(d) for d in table.drug)
    days = table.days_opioid_free.to_numpy(dtype=float)
    free = table.days_receptors_free.to_numpy(dtype=float)
    top = float(np.nanmax(np.concatenate([days, free, [LABEL_LONG_DAYS]])))
    rows = np.arange(len(names), dtype=float)
    known = np.isfinite(free)
    lo, hi = LABEL_SHORT_DAYS
    right = top * 1.3 + 0.5
    # no panel title: the labels' intervals are named above the bars (a title would run into them in a file);
    # the axis starts a little left of 0 so that a dot at day 0 shows whole beside its bar
    return Figure(
        (
            Panel(
                (
                    Spans(
                        "x",
                        (lo,),
                        (hi,),
                        GREYS["span"],
                        opacity=1.0,
                        label=f"labels: {lo:g}-{hi:g} days (short-acting)",
                    ),
                    Rule("x", LABEL_LONG_DAYS, colour=GREYS["mark"]),
                    Text((lo + hi) / 2, None, f"labels: {lo:g}-{hi:g} d", GREYS["outline"]),
                    # beside its line, clear of the 7-10 words on a phone
                    Text(LABEL_LONG_DAYS + 0.06 * right, None, f"{LABEL_LONG_DAYS:g} d", GREYS["outline"]),
                    Bars(
                        names,
                        np.zeros(len(names)),
                        np.nan_to_num(days, nan=NEVER_DAYS),
                        tuple(colour(d) for d in table.drug),
                        texts=tuple(f"{v:.1f} days" if np.isfinite(v) else f"> {NEVER_DAYS:g} days" for v in days),
                    ),
                    Points(
                        free[known],
                        rows[known],
                        f"tablet displaces at most {threshold_pct:g} % of receptors",
                        "#000000",
                    ),
                ),
                Axis("days without opioids before the tablet (model)", (-0.025 * right, right)),
                Axis("", categories=names),
                height=(34 * len(names) + 20) / 170,
            ),
        )
    )
