"""Figures of the model against people: PET occupancy, plasma levels, and the label's heroin blockade."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..theme import BLUES, colour, label, line_style
from .spec import Axis, Figure, Lines, Panel, Ranges, Rule, Series, Spans, frame, grid, ramp_style

#: Human plasma ranges (ng/mL): naltrexone's peak after a 50 mg tablet, and its level at day 28 of XR 380 mg.
ORAL_CMAX = (6.5, 26.0)
XR_DAY_28 = (1.0, 2.0)
#: The label's claim: each tablet (mg) blocks 25 mg IV heroin for this many hours, and the dose's colour.
LABEL_HOURS = {50.0: 24.0, 100.0: 48.0, 150.0: 72.0}
DOSE_BLUES = {50.0: BLUES[0], 100.0: BLUES[3], 150.0: BLUES[5]}


def pet(df: pd.DataFrame, targets: pd.DataFrame) -> Figure:
    """Receptors blocked 3 h after oral naltrexone vs dose: the model's curve and the human PET ranges.

    ``df``: :func:`model.lessons.pet_occupancy_vs_dose` (``dose_mg``, ``occupancy_percent``); ``targets``:
    one row per measured dose (``dose_mg``, ``low``, ``high``, %).
    """
    dose = df.dose_mg.to_numpy(dtype=float)
    lo, hi = float(np.min(dose)), float(np.max(dose))
    return Figure(
        (
            Panel(
                (
                    Lines(
                        frame(dose, model=df.occupancy_percent.to_numpy(dtype=float)),
                        (Series("model", "model", colour("naltrexone")),),
                        points=True,
                        unit="%",
                    ),
                    Ranges(
                        targets.dose_mg.to_numpy(dtype=float),
                        targets.low.to_numpy(dtype=float),
                        targets.high.to_numpy(dtype=float),
                        "human PET range",
                        "#000000",
                    ),
                ),
                # a quarter beyond the first and last doses: their points are not cut by the frame
                Axis("oral naltrexone dose (mg, log)", (lo / 1.25, hi * 1.25), log=True),
                Axis("receptors blocked at 3 h (%)", (0, 100)),
                title="PET receptor occupancy vs dose (human: Rabiner 2011)",
            ),
        )
    )


def plasma_reference(oral: pd.DataFrame, xr: pd.DataFrame) -> Figure:
    """Naltrexone in plasma after one 50 mg tablet (hours) and after the 380 mg injection (days).

    Shaded: the human ranges (peak after the tablet; level at day 28 of the injection, marked).
    """
    t = oral.time_h.to_numpy(dtype=float)
    names = ("naltrexone", "naltrexol")
    tablet = Panel(
        (
            Lines(
                frame(t, **{n: oral[f"{n}_plasma_ng_per_ml"].to_numpy(dtype=float) for n in names}),
                tuple(Series(n, label(n), colour(n), line_style(n)) for n in names),
                unit="ng/mL",
            ),
            Spans("y", (ORAL_CMAX[0],), (ORAL_CMAX[1],), colour("naltrexone"), 0.15),
        ),
        Axis("time after 50 mg tablet (h)", (float(t[0]), float(t[-1]))),
        Axis("plasma (ng/mL, log)", (0.05, 300), log=True),
        # two lines in a file (panels side by side); the screen joins them (its titles are wrapped to fit)
        title="Oral 50 mg\n(shaded: human Cmax range)",
    )
    days = xr.time_h.to_numpy(dtype=float) / 24
    level = xr.naltrexone_plasma_ng_per_ml.to_numpy(dtype=float)
    injection = Panel(
        (
            Lines(
                frame(days, naltrexone=level),
                (Series("naltrexone", label("naltrexone"), colour("naltrexone"), line_style("naltrexone")),),
                unit="ng/mL",
            ),
            Spans("y", (XR_DAY_28[0],), (XR_DAY_28[1],), colour("threshold"), 0.15),
            Rule("x", 28.0, "day 28", colour("threshold")),
        ),
        Axis("time after injection (days)", (float(days[0]), float(days[-1]))),
        Axis("plasma (ng/mL)", (0, max(XR_DAY_28[1], float(np.nanmax(level))) * 1.05)),
        title="XR injection 380 mg\n(shaded: human range)",
    )
    return Figure((tablet, injection), columns=2)


def blockade_vs_time(df: pd.DataFrame, ratio_limit: float) -> Figure:
    """Heroin's effect with / without naltrexone vs hours after the tablet, per naltrexone dose.

    ``df``: :func:`model.lessons.blockade_ratio_vs_time` (``naltrexone_mg``, ``hours_after``, ``ratio``; every
    dose challenged at the same hours); ``ratio_limit``: below it the dose counts as blocked. Dotted: the
    label's hours for each dose, in the dose's colour.
    """
    doses, hours, ratio = grid(df.naltrexone_mg, df.hours_after, df.ratio)
    shade = {mg: DOSE_BLUES.get(mg, colour("naltrexone")) for mg in doses}
    lines = Lines(
        frame(hours, **{f"m{i}": ratio[i] for i in range(len(doses))}),
        tuple(Series(f"m{i}", f"{mg:g} mg", shade[mg], ramp_style(i)) for i, mg in enumerate(doses)),
        points=True,
    )
    claims = tuple(Rule("x", LABEL_HOURS[mg], colour=shade[mg]) for mg in doses if mg in LABEL_HOURS)
    return Figure(
        (
            Panel(
                (lines, Rule("y", ratio_limit, f"blocked below {ratio_limit:g}", colour("threshold"), "--"), *claims),
                Axis("hours after the naltrexone tablet", (0.0, float(hours[-1]) * 1.04)),
                Axis("heroin effect with / without", (0, 1)),
                title="Label: 50/100/150 mg block 25 mg heroin for 24/48/72 h (dotted)",
                legend_title="naltrexone",  # short labels: the legend fits above the curves on a phone
            ),
        )
    )
