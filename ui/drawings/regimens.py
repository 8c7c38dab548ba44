"""Figures of the regimens page: naltrexone and blockade per regimen, protected days, days per measure."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..theme import GREYS, PLAN_COLOURS, RISK_FILL, colour
from .spec import Axis, Bars, Figure, Layer, Lines, Panel, Rule, Series, frame
from .time import band

#: Protected and unprotected days: one colour each, for every regimen (the row names the regimen).
DAY_STATES = (("protected", colour("naltrexone")), ("not protected", RISK_FILL))
#: The two measures of :func:`protection_bars`: summary column, legend label, colour, place within its row.
MEASURES = (
    ("days_protected", "blocks 25 mg IV heroin", colour("naltrexone"), -0.2),
    ("days_occupancy_ge_90", "occupancy >= 90 %", colour("naltrexol"), 0.2),
)
#: One line style per regimen: their colours (:data:`ui.theme.PLAN_COLOURS`) are three blues.
REGIMEN_STYLES = {"oral daily": "-", "monthly injection": "--", "implant": "-."}
PANEL_PX = 170  # a standard screen panel's height (px), to size bar panels by their rows


def _height(rows: int, px_per_row: float) -> float:
    """A bar panel's height, relative to a standard panel, for ``rows`` rows of ``px_per_row`` px."""
    return round((px_per_row * rows + 20) / PANEL_PX, 2)


def day_bars(protected: Mapping[str, pd.DataFrame]) -> list[Bars]:
    """Protected days and unprotected days of each regimen as bars on its row, a run of days as one bar.

    Day ``d`` spans d - 1 to d; unprotected days are left out when there are none.
    """
    runs: dict[bool, list[tuple[str, float, float]]] = {True: [], False: []}
    for name, p in protected.items():
        days, ok = p.day.to_numpy(dtype=float), p.protected.to_numpy(dtype=bool)
        breaks = np.flatnonzero((np.diff(ok.astype(int)) != 0) | (np.diff(days) != 1)) + 1  # a new state, a gap
        for part in np.split(np.arange(len(days)), breaks):
            if part.size:
                runs[bool(ok[part[0]])].append((name, days[part[0]] - 1, days[part[-1]]))
    return [
        Bars(
            tuple(r[0] for r in runs[state]),
            np.array([r[1] for r in runs[state]], dtype=float),
            np.array([r[2] for r in runs[state]], dtype=float),
            (fill,) * len(runs[state]),
            label=name,
        )
        for (name, fill), state in zip(DAY_STATES, (True, False))
        if runs[state] or state
    ]


def regimens(
    tables: Mapping[str, pd.DataFrame],
    protected: Mapping[str, pd.DataFrame],
    bands: pd.DataFrame | None = None,
    band_for: str = "",
) -> Figure:
    """Plasma naltrexone (log, 1 and 2 ng/mL lines), receptors blocked (90 % line), protected days per regimen.

    ``tables`` share one time grid (same duration and output step); ``bands`` is the population of
    regimen ``band_for``, drawn as a grey 5-95 % band and median in the first two panels.
    """
    names = list(tables)
    x = tables[names[0]].time_h.to_numpy() / 24.0
    series = tuple(
        Series(f"r{i}", n, PLAN_COLOURS.get(n, GREYS["muted"]), REGIMEN_STYLES.get(n, "-")) for i, n in enumerate(names)
    )
    plasma = frame(x, **{f"r{i}": tables[n].naltrexone_plasma_ng_per_ml.to_numpy() for i, n in enumerate(names)})
    held = frame(x, **{f"r{i}": 100 * tables[n].occupancy_antagonist.to_numpy() for i, n in enumerate(names)})
    time = Axis("time (days)", (float(x[0]), float(x[-1])))
    who = f"{band_for}, people"  # the band's legend entry still fits a phone's panel
    plasma_layers: list[Layer] = [
        Lines(plasma, series, unit="ng/mL"),
        *band(bands, "naltrexone_plasma_ng_per_ml", 1.0, 24.0, who, GREYS["band"]),
        *(Rule("y", v, f"{v:g} ng/mL", colour("threshold")) for v in (1.0, 2.0)),
    ]
    held_layers: list[Layer] = [
        Lines(held, series, unit="%"),
        *band(bands, "occupancy_antagonist", 100.0, 24.0, who, GREYS["band"]),
        Rule("y", 90.0, "90 %", colour("threshold")),
    ]
    return Figure(
        (
            Panel(tuple(plasma_layers), time, Axis("naltrexone (ng/mL, log)", (0.1, 100.0), log=True)),
            Panel(tuple(held_layers), time, Axis("receptors blocked (%)", (0.0, 100.0))),
            Panel(
                tuple(day_bars({n: protected[n] for n in names if n in protected})),
                time,
                Axis("", categories=tuple(names)),
                title="Protected days and unprotected days",
                height=_height(len(names), 40),
            ),
        ),
        shared_x=True,
    )


def protection_bars(summary: pd.DataFrame) -> Figure:
    """Days protected against 25 mg IV heroin beside days with >= 90 % occupancy, per regimen (counts written)."""
    rows = tuple(str(r) for r in summary.regimen)
    bars = tuple(
        Bars(
            rows,
            np.zeros(len(rows)),
            summary[col].to_numpy(dtype=float),
            (fill,) * len(rows),
            label=name,
            texts=tuple(f"{v:g}" for v in summary[col]),
            offset=offset,
            thickness=0.38,
        )
        for col, name, fill, offset in MEASURES
    )
    top = max(1.0, float(summary.days.max())) * 1.1
    return Figure((Panel(bars, Axis("days", (0.0, top)), Axis("", categories=rows), height=_height(len(rows), 60)),))
