"""Figures for the 'beyond the blockade' pages: craving, stopping and starting, naloxone rescue."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .plots import band, occupancy_panel
from .theme import GREYS, PLAN_COLOURS, colour, figure, is_narrow, label, outside, styled

#: One colour per naltrexone plan (blues for naltrexone, orange for none).
PLAN_STYLES = {
    "no naltrexone": "--",
    "monthly injection kept": "-",
    "second injection missed": "-.",
    "daily tablets": ":",
}
RISK = colour("without")


def craving(
    tables: Mapping[str, pd.DataFrame],
    episodes: pd.DataFrame,
    shown: str,
    present: bool,
    bands: pd.DataFrame | None = None,
) -> Figure:
    """Craving (expected reward) over weeks per plan, and the reward of each use episode of one plan."""
    fig, (a1, a2) = figure(present, rows=2, height=3.3, sharex=True)
    with styled(present):
        band(
            a1,
            bands,
            "craving",
            x_div=24 * 7,
            colour_=PLAN_COLOURS.get(shown, GREYS["muted"]),
            name=f"{shown}, population 5-95 %",
        )
        for plan, t in tables.items():
            a1.plot(
                t.time_h / (24 * 7),
                t.craving,
                color=PLAN_COLOURS.get(plan, GREYS["muted"]),
                ls=PLAN_STYLES.get(plan, "-"),
                label=plan,
                lw=None if plan == shown else 1.6,
            )
        a1.set_ylim(0, max(0.6, float(max(t.craving.max() for t in tables.values())) * 1.1))
        a1.set_ylabel("craving\n(expected reward, 0-1)")
        a1.set_title("Craving: the reward the person has learnt to expect (illustrative)", fontsize="medium")
        a1.legend(**outside())
        w = episodes.day / 7
        a2.vlines(w, 0, episodes.reward_without, color=GREYS["faint"], lw=1.0)
        a2.plot(
            w, episodes.reward_without, "_", color=colour("without"), ms=12, mew=2, label="reward without naltrexone"
        )
        blocked = episodes.blocked.to_numpy(dtype=bool)
        a2.plot(
            w[blocked],
            episodes.reward_with[blocked],
            "o",
            color=colour("with"),
            mfc="white",
            mew=2,
            label="blocked episode",
        )
        a2.plot(
            w[~blocked], episodes.reward_with[~blocked], "X", color=RISK, ms=10, label="not blocked (felt the high)"
        )
        a2.set_ylim(0, 1)
        a2.set_ylabel("reward of\neach episode (0-1)")
        a2.set_title(f"Each use episode with {shown}", fontsize="medium")
        a2.set_xlabel("time (weeks)")
        a2.legend(**outside())
        last = max(t.time_h.iloc[-1] for t in tables.values()) / (24 * 7)
        a2.set_xlim(0, last)
        a2.set_xticks(np.arange(0, np.floor(last) + 1))
    return fig


def _shade_days(ax: object, days: np.ndarray, mask: np.ndarray, step: float) -> None:
    for d, m in zip(days, mask):
        if m:
            ax.axvspan(d - step / 2, d + step / 2, color=RISK, alpha=0.12, lw=0)


def stopping(
    after: pd.DataFrame, before: Mapping[str, float], risk: np.ndarray, day: float, dose_label: str, present: bool
) -> Figure:
    """The usual dose vs days after the last naltrexone: effect, respiratory drive, and why."""
    fig, axes = figure(present, rows=3, height=2.8, sharex=True)
    d = after.days_after_last_naltrexone.to_numpy()
    step = float(np.diff(d).min()) if d.size > 1 else 1.0
    with styled(present):
        for ax in axes:
            _shade_days(ax, d, risk, step)
            ax.axvline(day, color="black", lw=1.2)
        a1, a2, a3 = axes
        a1.plot(d, after.effect, "-o", color=colour("agonist"), ms=4, label=f"{dose_label} after stopping")
        a1.axhline(before["effect"], color=colour("threshold"), ls="--", lw=1.5, label="same dose before treatment")
        a1.set_ylim(0, 1)
        a1.set_ylabel("peak effect\n(reward rise, 0-1)")
        a1.legend(**outside())
        a2.plot(d, after.min_respiratory_drive, "-o", color=colour("fentanyl"), ms=4, label="after stopping")
        a2.axhline(before["min_drive"], color=colour("threshold"), ls="--", lw=1.5, label="before treatment")
        a2.axhline(0.5, color=RISK, ls=":", lw=1.5, label="breathing halved (0.5)")
        a2.fill_between([], [], color=RISK, alpha=0.12, label="overdose-risk window")
        a2.set_ylim(0, 1.05)
        a2.set_ylabel("lowest breathing\n(1 = normal)")
        a2.legend(**outside())
        a3.plot(d, after.receptor_density, color=colour("naltrexone"), label="receptor density (1 = before)")
        a3.plot(
            d, after.opioid_tolerance, color=colour("methadone"), ls="--", label="opioid tolerance (1 = chronic user)"
        )
        a3.plot(d, after.occupancy_antagonist, color=colour("naltrexol"), ls="-.", label="receptors held by naltrexone")
        a3.set_ylim(0, max(2.0, float(after.receptor_density.max()) * 1.05))
        a3.set_ylabel("why\n(fractions)")
        a3.legend(**outside())
        a3.set_xlabel("days after the last naltrexone dose")
        a3.set_xlim(d[0] - step / 2, d[-1] + step / 2)
        a1.annotate(f"day {day:g}", (day, 0.97), xytext=(4, 0), textcoords="offset points", va="top")
        a1.set_title(
            "Shaded: overdose-risk window (breathing lower\nthan before treatment, or below 0.5)", fontsize="medium"
        )
    return fig


def displacement(course: pd.DataFrame, drug: str, tablet_h: float, present: bool) -> Figure:
    """Agonist occupancy and effect with and without a naltrexone tablet taken during chronic use."""
    fig, (a1, a2) = figure(present, rows=2, height=3.0, sharex=True)
    x = (course.time_h - tablet_h).to_numpy()
    with styled(present):
        a1.plot(
            x, 100 * course.occupancy_agonist_without, color=colour(drug), ls="--", label=f"{label(drug)}, no tablet"
        )
        a1.plot(x, 100 * course.occupancy_agonist_with, color=colour(drug), label=f"{label(drug)}, after the tablet")
        a1.plot(x, 100 * course.occupancy_antagonist_with, color=colour("naltrexone"), label="naltrexone family")
        a1.set_ylim(0, 100)
        a1.set_ylabel("receptors held (%)")
        a1.legend(**outside())
        a2.plot(x, course.reward_without, color=colour("without"), ls="--", label="no tablet")
        a2.plot(x, course.reward_with, color=colour("with"), label="after the tablet")
        a2.fill_between(
            x,
            course.reward_with,
            course.reward_without,
            where=x >= 0,
            color=RISK,
            alpha=0.15,
            label="opioid effect lost\n(precipitated withdrawal)",
        )
        a2.set_ylim(0, 1)
        a2.set_ylabel("opioid effect (0-1)")
        a2.set_xlabel("hours from the naltrexone tablet")
        a2.legend(**outside())
        for ax in (a1, a2):
            ax.axvline(0, color="black", lw=1.2)
        a1.set_xlim(x[0], x[-1])
    return fig


def intervals(table: pd.DataFrame, present: bool, threshold_pct: float) -> Figure:
    """Opioid-free days each agonist needs before a naltrexone tablet (dependence), with receptor displacement as dots."""
    fig, ax = figure(present, height=3.4)
    with styled(present):
        y = np.arange(len(table))
        days = table.days_opioid_free.to_numpy()
        ax.axvspan(7, 10, color=GREYS["span"], zorder=0, label="labels: 7-10 days (short-acting)")
        ax.axvline(
            14, color=GREYS["mark"], ls=":", lw=1.5, zorder=0, label="labels: 14 days (methadone, buprenorphine)"
        )
        ax.barh(y, np.nan_to_num(days, nan=40.0), color=[colour(d) for d in table.drug])
        ax.plot(
            table.days_receptors_free,
            y,
            "o",
            color="black",
            ms=5,
            label=f"tablet displaces at most {threshold_pct:g} % of receptors",
        )
        for yy, v in zip(y, days):
            ax.annotate(
                "> 40 days" if not np.isfinite(v) else f"{v:.1f} days",
                (np.nan_to_num(v, nan=40.0), yy),
                xytext=(4, 0),
                textcoords="offset points",
                va="center",
            )
        ax.set_yticks(
            y, [label(d) if is_narrow() else f"{label(d)} ({u})" for d, u in zip(table.drug, table.chronic_use)]
        )
        ax.invert_yaxis()
        ax.set_xlabel("days without opioids before the tablet (model)")
        top = float(np.nanmax(np.concatenate([days, table.days_receptors_free.to_numpy(), [14.0]])))
        ax.set_xlim(0, top * (1.7 if is_narrow() else 1.25) + 0.5)
        ax.set_title("Wait until physical dependence has faded", fontsize="medium")
        fig.legend(
            *ax.get_legend_handles_labels(), loc="outside lower center", ncols=1 if is_narrow() else 2, fontsize="small"
        )
        if is_narrow():
            fig.set_figheight(7.5)
    return fig


def rescue(course: pd.DataFrame, rescue_h: float, present: bool, bands: pd.DataFrame | None = None) -> Figure:
    """Breathing with and without naloxone (and on naltrexone), and who holds the receptors."""
    fig, (a1, a2) = figure(present, rows=2, height=3.1, sharex=True)
    t = course.time_h.to_numpy()
    with styled(present):
        band(a1, bands, "respiratory_drive", name="population 5-95 %")
        a1.plot(t, course.drive_no_rescue, color=colour("threshold"), ls="--", label="no naloxone")
        a1.plot(t, course.drive_rescue, color=colour("naloxone"), label="naloxone")
        if "drive_on_naltrexone" in course:
            a1.plot(
                t,
                course.drive_on_naltrexone,
                color=colour("naltrexol"),
                ls="-.",
                label="on monthly naltrexone\n(injected a week before)",
            )
        a1.axhline(0.5, color=RISK, ls=":", lw=1.5, label="breathing halved (0.5)")
        below = course.drive_rescue.to_numpy() < 0.5
        a1.fill_between(
            t, 0, 1.05, where=below & (t > rescue_h), color=RISK, alpha=0.10, lw=0, label="still or again in danger"
        )
        a1.set_ylim(0, 1.05)
        a1.set_ylabel("breathing\n(1 = normal)")
        a1.legend(**outside())
        occupancy_panel(a2, course.rename(columns=lambda c: c.removeprefix("rescue_")))
        for ax in (a1, a2):
            ax.axvline(rescue_h, color="black", lw=1.2)
        a1.annotate("naloxone", (rescue_h, 1.02), xytext=(4, 0), textcoords="offset points", va="top")
        a2.set_xlabel("time after the overdose starts (h)")
        a1.set_xlim(t[0], t[-1])
    return fig
