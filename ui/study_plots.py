"""Figures for research outputs: a tornado of local sensitivities, measurements over the model."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from .theme import colour


def tornado(table: pd.DataFrame, top: int = 12, title: str = "", metric: str = "metric") -> Figure:
    """Bars from the metric at each parameter's low to its high value, largest elasticity at the top."""
    t = table.dropna(subset=["elasticity"]).head(top).iloc[::-1]
    base = float(table.metric_base.iloc[0])
    fig = Figure(figsize=(10, 0.4 * len(t) + 1.8), layout="constrained")
    ax = fig.add_subplot()
    labels = [f"{s}.{p}" for s, p in zip(t.species, t.parameter)]
    ax.barh(labels, t.metric_low - base, left=base, color=colour("with"), label="parameter -step")
    ax.barh(labels, t.metric_high - base, left=base, color=colour("without"), label="parameter +step")
    ax.axvline(base, color="black", lw=0.8)
    ax.set_xlabel(metric)
    fig.suptitle(title, fontsize=10)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncols=2, fontsize=8, frameon=False)
    return fig


def observed_overlay(table: pd.DataFrame, res: pd.DataFrame, title: str = "") -> Figure:
    """Each measured column: the model's curve and the measurements (error bars = SD where given)."""
    cols = list(dict.fromkeys(res["column"]))
    fig = Figure(figsize=(9, 2.8 * len(cols) + 0.6), layout="constrained")
    axes = fig.subplots(len(cols), 1, squeeze=False)[:, 0]
    for ax, col in zip(axes, cols):
        ax.plot(table.time_h, table[col], color=colour("with"), label="model")
        for study, g in res[res["column"] == col].groupby("study", sort=False):
            ax.errorbar(g.time_h, g.value, yerr=g.sd.fillna(0).to_numpy(), fmt="o", capsize=3, label=study)
        ax.set_ylabel(col, fontsize=8)
        ax.legend(fontsize=8)
    axes[-1].set_xlabel("time (h)")
    fig.suptitle(title, fontsize=10)
    return fig
