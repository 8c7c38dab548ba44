"""Figure of the compare page: each agonist's reward alone, and the naltrexone level each dose needs."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..theme import colour, label, line_style
from .spec import Axis, Bars, Figure, Layer, Lines, Panel, Rule, Series, frame

PANEL_PX = 170  # a standard screen panel's height (px), to size the bar panel by its rows


def agonist_names(table: pd.DataFrame) -> tuple[str, ...]:
    """Each row's agonist, dose and route, as the bars' categories ('heroin 25 mg iv')."""
    return tuple(f"{d} {m:g} mg {r}" for d, m, r in zip(table.drug, table.dose_mg, table.route))


def blocked(table: pd.DataFrame, level: float | None) -> np.ndarray:
    """Per row, whether a steady ``level`` (ng/mL plasma) blocks the dose (None: every blockable dose)."""
    need = table.naltrexone_plasma_ng_per_ml_to_block.to_numpy(dtype=float)
    ok = np.isfinite(need)
    return ok if level is None else ok & (np.where(ok, need, np.inf) <= level)


def compare(table: pd.DataFrame, curves: Mapping[str, pd.DataFrame], level: float | None = None) -> Figure:
    """Reward without naltrexone over time per agonist; naltrexone needed to block each dose (log bars).

    ``table``: :func:`model.lessons.compare_agonists`; ``curves``: each agonist's run (one time grid).
    Bars that the chosen ``level`` does not block are faded (hatched in files); the level is a dashed line.
    The panels are stacked in files too: side by side, the dose names and the legend leave each panel
    too narrow for its titles at presentation size.
    """
    drugs = list(curves)
    t = curves[drugs[0]].time_h.to_numpy()
    reward = Lines(
        frame(t, **{f"d{i}": curves[d].reward_without_naltrexone.to_numpy() for i, d in enumerate(drugs)}),
        tuple(Series(f"d{i}", label(d), colour(d), line_style(d)) for i, d in enumerate(drugs)),
    )
    need = table.naltrexone_plasma_ng_per_ml_to_block.to_numpy(dtype=float)
    finite = need[np.isfinite(need)]
    lo = float(min(finite.min(initial=1.0), level or 1.0)) / 3
    hi = float(max(finite.max(initial=1.0), level or 1.0)) * 6
    rows = agonist_names(table)
    bars: list[Layer] = [
        Bars(
            rows,
            np.full(len(rows), lo),
            np.where(np.isfinite(need), need, np.nan),
            tuple(colour(d) for d in table.drug),
            texts=tuple(f"{v:.2g}" if np.isfinite(v) else "not blocked" for v in need),
            faded=tuple(not b for b in blocked(table, level)),
        )
    ]
    title = "Naltrexone needed to block"
    if level is not None:
        bars.append(Rule("x", float(level), colour="#000000", dash="--"))
        # the screen wraps a title to its width; a file keeps these two lines (one would leave the canvas)
        title += f"\n(faint: not blocked at the chosen {level:g} ng/mL, dashed)"
    return Figure(
        (
            Panel(
                (reward,),
                Axis("time after the dose (h)", (float(t[0]), float(t[-1]))),
                Axis("reward without naltrexone (0-1)", (0.0, 1.0)),
                title="Full vs partial agonists",
            ),
            Panel(
                tuple(bars),
                # a phone's file breaks the title before "plasma", never before "log)" alone at the edge
                Axis("naltrexone needed (ng/mL plasma,\u00a0log)", (lo, hi), log=True, steady=(0.03, 300)),
                Axis("", categories=rows),
                title=title,
                height=round((32 * len(rows) + 20) / PANEL_PX, 2),
            ),
        ),
    )
