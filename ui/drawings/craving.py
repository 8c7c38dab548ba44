"""Figure of craving and relapse: the expected reward under each naltrexone plan, and each use episode."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..theme import GREYS, PLAN_COLOURS, colour
from .spec import Axis, Figure, Lines, Panel, Points, Series, frame
from .time import band

#: One line style per naltrexone plan (their colours: :data:`ui.theme.PLAN_COLOURS`).
PLAN_STYLES = {
    "no naltrexone": "--",
    "monthly injection kept": "-",
    "second injection missed": "-.",
    "daily tablets": ":",
}
WEEK_H = 24.0 * 7
#: The kinds of points of the episode panel, in legend order.
KINDS = ("reward without naltrexone", "blocked episode", "not blocked (felt the high)")


def craving(
    tables: Mapping[str, pd.DataFrame],
    episodes: pd.DataFrame,
    shown: str,
    bands: pd.DataFrame | None = None,
) -> Figure:
    """Craving (expected reward) over weeks under each plan, and the reward of each use episode of one plan.

    ``tables``: each plan's run (``time_h``, ``craving``); ``episodes``: :func:`model.lessons.episode_table`
    of the plan ``shown`` (``day``, ``reward_with``, ``reward_without``, ``blocked``); ``bands``: that plan's
    population percentiles (``craving_p05/_p50/_p95``), drawn as a grey band.
    """
    names = list(tables)
    t = tables[names[0]].time_h.to_numpy(dtype=float)
    weeks = t / WEEK_H
    # the plans share one time grid; a plan on another grid is read at the first plan's times
    data = frame(
        weeks,
        **{
            f"p{i}": np.interp(t, tab.time_h.to_numpy(dtype=float), tab.craving.to_numpy(dtype=float))
            for i, tab in enumerate(tables.values())
        },
    )
    series = tuple(
        Series(f"p{i}", name, PLAN_COLOURS.get(name, GREYS["muted"]), PLAN_STYLES.get(name, "-"))
        for i, name in enumerate(names)
    )
    top = max(0.6, float(max(tab.craving.max() for tab in tables.values())) * 1.1)
    last = max(float(tab.time_h.iloc[-1]) for tab in tables.values()) / WEEK_H
    x = Axis("time (weeks)", (0.0, last))
    w = episodes.day.to_numpy(dtype=float) / 7
    blocked = episodes.blocked.to_numpy(dtype=bool)
    with_ = episodes.reward_with.to_numpy(dtype=float)
    return Figure(
        (
            Panel(
                (
                    Lines(data, series),
                    *band(bands, "craving", 1.0, WEEK_H, f"{shown}, population", GREYS["band"]),
                ),
                x,
                Axis("craving (expected reward, 0-1)", (0, top), steady=(0, 1)),
                title="Craving: the reward the person has learnt to expect (illustrative)",
            ),
            Panel(
                (
                    Points(w, episodes.reward_without.to_numpy(dtype=float), KINDS[0], colour("without"), "_", False),
                    Points(w[blocked], with_[blocked], KINDS[1], colour("with"), "o", filled=False),
                    Points(w[~blocked], with_[~blocked], KINDS[2], colour("without"), "x"),
                ),
                x,
                Axis("reward of each episode (0-1)", (0, 1)),
                title=f"Each use episode with {shown}",
            ),
        ),
        shared_x=True,
    )
