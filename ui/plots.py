"""Matplotlib figures for the pages; each takes plain tables and returns a Figure (no pyplot state)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, NullFormatter

from model.drugs import molecules
from model.ligands import ANTAGONIST_ROLES

from .theme import BLUES, GREYS, PLAN_COLOURS, RISK_FILL, colour, figure, is_narrow, label, line_style, outside, styled


def time_axis(table: pd.DataFrame) -> tuple[np.ndarray, str]:
    """Time in hours for up to 4 days, in days beyond."""
    t = table["time_h"].to_numpy()
    return (t / 24.0, "time (days)") if t[-1] > 96 else (t, "time (h)")


def binding_species() -> list[str]:
    """Every molecule that binds the receptor, antagonists first, in palette order (from the data files)."""
    ms = sorted(molecules().values(), key=lambda m: (m.role not in ANTAGONIST_ROLES, m.palette))
    return [m.id for m in ms if m.binds]


def _species(table: pd.DataFrame, suffix: str, names: Sequence[str]) -> list[str]:
    return [n for n in names if f"{n}{suffix}" in table and table[f"{n}{suffix}"].max() > 1e-6]


def plasma_panel(
    ax: object,
    table: pd.DataFrame,
    species: Sequence[str] | None = None,
    log: bool = True,
    lines_ng_per_ml: Sequence[float] = (),
) -> None:
    """Plasma concentrations (ng/mL), each molecule in its own colour and line style."""
    t, xl = time_axis(table)
    names = species or _species(table, "_plasma_ng_per_ml", binding_species())
    top = 0.0
    for n in names:
        y = table[f"{n}_plasma_ng_per_ml"].to_numpy()
        top = max(top, float(y.max()))
        ax.plot(t, y, color=colour(n), label=label(n), ls=line_style(n))
    for level in lines_ng_per_ml:
        ax.axhline(level, color=colour("threshold"), ls=":", lw=1.5)
        ax.annotate(
            f"{level:g} ng/mL",
            (1.0, level),
            xycoords=("axes fraction", "data"),
            ha="right",
            va="bottom",
            color=colour("threshold"),
        )
    if log:
        ax.set_yscale("log")
        ax.set_ylim(0.01, max(top * 2, 1.0))
    ax.set_ylabel("plasma\n(ng/mL" + (", log)" if log else ")"))
    ax.set_xlabel(xl)
    if names:
        ax.legend(**outside())


def occupancy_panel(ax: object, table: pd.DataFrame) -> None:
    """Receptor occupancy stacked by occupant (percent of receptors)."""
    t, xl = time_axis(table)
    names = _species(table, "", [f"occupancy_{n}" for n in binding_species()])
    ys = [100 * table[n].to_numpy() for n in names]
    sp = [n.removeprefix("occupancy_") for n in names]
    if ys:
        ax.stackplot(t, ys, colors=[colour(s) for s in sp], labels=[label(s) for s in sp], alpha=0.9)
    ax.set_ylim(0, 100)
    ax.set_ylabel("receptors\noccupied (%)")
    ax.set_xlabel(xl)
    if ys:
        ax.legend(**outside())


def reward_panel(
    ax: object, table: pd.DataFrame, with_label: str = "with naltrexone", without_label: str = "without naltrexone"
) -> None:
    """Reward (0..1) with and without naltrexone."""
    t, xl = time_axis(table)
    ax.plot(t, table["reward_without_naltrexone"], color=colour("without"), ls="--", label=without_label)
    ax.plot(t, table["reward"], color=colour("with"), label=with_label)
    ax.set_ylim(0, 1)
    ax.set_ylabel("reward (0-1)")
    ax.set_xlabel(xl)
    ax.legend(**outside())


def breathing_panel(ax: object, table: pd.DataFrame) -> None:
    """Respiratory drive (1 = normal breathing, 0 = apnoea) with the halved-breathing line."""
    t, xl = time_axis(table)
    ax.plot(t, table["respiratory_drive"], color=colour("fentanyl"), label="breathing")
    ax.axhline(0.5, color=colour("threshold"), ls=":", lw=1.5, label="breathing halved (0.5)")
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("respiratory\ndrive")
    ax.set_xlabel(xl)
    ax.legend(**outside())


def band(
    ax: object,
    bands: pd.DataFrame | None,
    col: str,
    scale: float = 1.0,
    x_div: float = 1.0,
    colour_: str = GREYS["muted"],
    name: str = "population",
) -> None:
    """5-95 % band and median of a population column (``<col>_p05/_p50/_p95``) under a curve."""
    if bands is None or f"{col}_p50" not in bands:
        return
    x = bands.time_h.to_numpy() / x_div
    ax.fill_between(
        x,
        scale * bands[f"{col}_p05"],
        scale * bands[f"{col}_p95"],
        color=colour_,
        alpha=0.18,
        lw=0,
        label=f"{name}: 5-95 %",
    )
    ax.plot(x, scale * bands[f"{col}_p50"], color=colour_, lw=1.2, ls=":", label=f"{name}: median")


def timecourse(
    table: pd.DataFrame,
    present: bool,
    panels: Sequence[str] = ("occupancy", "reward"),
    title: str = "",
    plasma_lines: Sequence[float] = (),
    marker_h: float | None = None,
    bands: pd.DataFrame | None = None,
) -> Figure:
    """Panels on one shared time axis: 'plasma', 'occupancy', 'reward', 'breathing' (optional population bands)."""
    fig, axes = figure(present, rows=len(panels), height=3.0 if len(panels) > 1 else None, sharex=True)
    axes = np.atleast_1d(axes)
    with styled(present):
        for ax, p in zip(axes, panels):
            {
                "plasma": lambda a: plasma_panel(a, table, lines_ng_per_ml=plasma_lines),
                "occupancy": lambda a: occupancy_panel(a, table),
                "reward": lambda a: reward_panel(a, table),
                "breathing": lambda a: breathing_panel(a, table),
            }[p](ax)
            if bands is not None and p in ("occupancy", "reward"):
                col, scale = ("occupancy_antagonist", 100.0) if p == "occupancy" else ("reward", 1.0)
                band(
                    ax,
                    bands,
                    col,
                    scale,
                    24.0 if table["time_h"].iloc[-1] > 96 else 1.0,
                    GREYS["band"],
                    "naltrexone-held, population 5-95 %" if p == "occupancy" else "with naltrexone, population 5-95 %",
                )
                ax.legend(**outside())
            if marker_h is not None:
                x = marker_h / 24.0 if table["time_h"].iloc[-1] > 96 else marker_h
                ax.axvline(x, color="black", lw=1.2)
        for ax in axes[:-1]:
            ax.set_xlabel("")
        if title:
            axes[0].set_title(title)
        t = time_axis(table)[0]
        axes[-1].set_xlim(t[0], t[-1])
    return fig


def receptor_picture(labels: np.ndarray, present: bool, title: str = "") -> Figure:
    """A 10 x 10 grid of receptors coloured by what occupies each one."""
    n = int(np.sqrt(labels.size))
    fig, ax = figure(present, height=4.6 if not present else 5.6)
    if is_narrow():
        fig.set_figheight(5.2)
    else:
        fig.set_figwidth(fig.get_figheight() * 2.2)
    with styled(present):
        xs, ys = np.meshgrid(np.arange(n), np.arange(n)[::-1])
        for name in ("free", "naltrexone", "naltrexol", "agonist"):
            m = labels.reshape(n, n) == name
            ax.scatter(
                xs[m],
                ys[m],
                s=(420 if present else 300),
                color=colour(name),
                edgecolor=GREYS["outline"],
                linewidth=0.8,
                label=f"{label(name)}: {int(m.sum())}",
            )
        ax.set_aspect("equal")
        ax.set_xlim(-0.7, n - 0.3)
        ax.set_ylim(-0.7, n - 0.3)
        ax.axis("off")
        ax.legend(
            title="100 receptors",
            **(
                {"loc": "upper center", "bbox_to_anchor": (0.5, 0.0), "ncols": 2}
                if is_narrow()
                else {"loc": "center left", "bbox_to_anchor": (1.02, 0.5)}
            ),
        )
        if title:
            ax.set_title(title)
    return fig


def equilibrium(df: pd.DataFrame, present: bool, agonist: str = "heroin") -> Figure:
    """Occupancy and reward vs agonist brain concentration, one curve per naltrexone level."""
    fig, (a1, a2) = figure(present, cols=2, sharex=True)
    levels = sorted(df.naltrexone_nm.unique())
    shades = [colour("without"), BLUES[0], *BLUES[2:]]
    with styled(present):
        for i, lv in enumerate(levels):
            d = df[df.naltrexone_nm == lv]
            lab = "no naltrexone" if lv == 0 else f"naltrexone {lv:g} nM"
            a1.plot(d.agonist_nm, 100 * d.occupancy_agonist, color=shades[min(i, 5)], label=lab)
            a2.plot(d.agonist_nm, d.reward, color=shades[min(i, 5)], label=lab)
        for a in (a1, a2):
            a.set_xscale("log")
            a.set_xlabel(f"{label(agonist)} at the receptor (nM, log)")
        a1.set_ylabel(f"receptors holding {label(agonist)} (%)")
        a1.set_ylim(0, 100)
        a2.set_ylabel("reward at equilibrium (0-1)")
        a2.set_ylim(0, 1)
        a1.set_title("Occupancy")
        a2.set_title("Reward")
        a2.legend(**outside())
    return fig


def dose_response(df: pd.DataFrame, present: bool, agonist: str = "heroin") -> Figure:
    """Reward increment vs agonist dose at several times after naltrexone, and without it."""
    fig, ax = figure(present)
    hours = sorted(df.hours_after_naltrexone.unique())
    blues = [BLUES[5], BLUES[3], BLUES[1], BLUES[0]]
    with styled(present):
        base = df[df.hours_after_naltrexone == hours[0]]
        ax.plot(
            base.dose_mg, base.increment_without, color=colour("without"), ls="--", marker="o", label="no naltrexone"
        )
        for i, h in enumerate(hours):
            d = df[df.hours_after_naltrexone == h]
            ax.plot(d.dose_mg, d.increment_with, color=blues[min(i, 3)], marker="o", label=f"{h:g} h after naltrexone")
        ax.set_xscale("log")
        ax.set_xlabel(f"{label(agonist)} dose (mg, log)")
        ax.set_ylabel("peak reward increase (0-1)")
        ax.set_ylim(0, 1)
        ax.legend(**outside())
        ax.set_title("The dose-response curve shifts to the right")
    return fig


def schild(df: pd.DataFrame, slope: float, pa2: float, present: bool) -> Figure:
    """Schild plot: log10(dose ratio - 1) vs log10 naltrexone concentration."""
    fig, ax = figure(present)
    with styled(present):
        x, y = df.log10_naltrexone_nm.to_numpy(), df.log10_dose_ratio_minus_1.to_numpy()
        ax.plot(x, y, "o", color=colour("naltrexone"), ms=10, label="model")
        xx = np.linspace(x.min() - 0.3, x.max() + 0.3, 20)
        b = np.polyfit(x, y, 1)
        ax.plot(
            xx, np.polyval(b, xx), color=colour("threshold"), ls="--", label=f"fit: slope {slope:.2f}, pA2 {pa2:.2f}"
        )
        ax.axhline(0, color="black", lw=0.8)
        ax.set_xlabel("log10 naltrexone at the receptor (nM)")
        ax.set_ylabel("log10 (dose ratio - 1)")
        ax.set_title("Schild plot: competitive antagonism gives slope 1")
        ax.legend(loc="upper left")
    return fig


def regimens(
    tables: Mapping[str, pd.DataFrame],
    protected: Mapping[str, pd.DataFrame],
    present: bool,
    bands: pd.DataFrame | None = None,
    band_for: str = "",
) -> Figure:
    """Plasma naltrexone (1 and 2 ng/mL lines), antagonist occupancy, protected days (optional band of one regimen)."""
    fig, axes = figure(present, rows=3, height=3.0, sharex=True)
    styles = {"oral daily": "-", "monthly injection": "-", "implant": "-"}
    cols = PLAN_COLOURS
    with styled(present):
        for name, t in tables.items():
            d = t.time_h / 24.0
            axes[0].plot(d, t.naltrexone_plasma_ng_per_ml, color=cols.get(name), ls=styles.get(name, "-"), label=name)
            axes[1].plot(d, 100 * t.occupancy_antagonist, color=cols.get(name), label=name)
        if bands is not None:
            name = f"{band_for}, population 5-95 %"
            band(
                axes[0],
                bands,
                "naltrexone_plasma_ng_per_ml",
                x_div=24.0,
                colour_=cols.get(band_for, GREYS["muted"]),
                name=name,
            )
            band(axes[1], bands, "occupancy_antagonist", 100.0, 24.0, cols.get(band_for, GREYS["muted"]), name)
            axes[1].legend(**outside())
        for lv in (1.0, 2.0):
            axes[0].axhline(lv, color=colour("threshold"), ls=":", lw=1.5)
            axes[0].annotate(
                f"{lv:g} ng/mL",
                (0.995, lv),
                xycoords=("axes fraction", "data"),
                ha="right",
                va="bottom",
                color=colour("threshold"),
            )
        axes[0].set_yscale("log")
        axes[0].set_ylim(0.1, 100)
        axes[0].set_ylabel("naltrexone\n(ng/mL, log)")
        axes[0].legend(**outside())
        axes[1].axhline(90, color=colour("threshold"), ls=":", lw=1.5)
        axes[1].set_ylim(0, 100)
        axes[1].set_ylabel("receptors\nblocked (%)")
        names = list(protected)
        for i, name in enumerate(names):
            p = protected[name]
            if p.empty:
                continue
            axes[2].broken_barh(
                [(day - 1, 1) for day in p.day[p.protected]], (i - 0.35, 0.7), color=cols.get(name), label=name
            )
            axes[2].broken_barh(
                [(day - 1, 1) for day in p.day[~p.protected]],
                (i - 0.35, 0.7),
                color=RISK_FILL,
                hatch="//",
                edgecolor=colour("without"),
            )
        axes[2].set_yticks(range(len(names)), names)
        axes[2].set_ylim(-0.6, len(names) - 0.4)
        axes[2].grid(False)
        axes[2].set_title("Protected days (blue) and unprotected days (hatched)", fontsize="medium")
        axes[2].set_xlabel("time (days)")
        last = max(t.time_h.iloc[-1] for t in tables.values()) / 24.0
        axes[2].set_xlim(0, last)
    return fig


def protection_bars(summary: pd.DataFrame, present: bool) -> Figure:
    """Days protected against 25 mg heroin beside days with >= 90 % occupancy, per regimen."""
    fig, ax = figure(present, height=3.2)
    with styled(present):
        y = np.arange(len(summary))
        ax.barh(
            y + 0.2, summary.days_protected, height=0.38, color=colour("naltrexone"), label="blocks 25 mg IV heroin"
        )
        ax.barh(
            y - 0.2, summary.days_occupancy_ge_90, height=0.38, color=colour("naltrexol"), label="occupancy >= 90 %"
        )
        for yy, a, b in zip(y, summary.days_protected, summary.days_occupancy_ge_90):
            ax.annotate(f"{a:g}", (a, yy + 0.2), xytext=(4, 0), textcoords="offset points", va="center")
            ax.annotate(f"{b:g}", (b, yy - 0.2), xytext=(4, 0), textcoords="offset points", va="center")
        ax.set_yticks(y, summary.regimen)
        ax.set_xlabel("days")
        ax.set_xlim(0, max(1.0, float(summary.days.max())) * 1.1)
        fig.legend(*ax.get_legend_handles_labels(), loc="outside lower center", ncols=1 if is_narrow() else 2)
    return fig


def alcohol(table: pd.DataFrame, present: bool, bands: pd.DataFrame | None = None) -> Figure:
    """Blood alcohol -> endorphin occupancy -> reward, with and without naltrexone (optional population bands)."""
    fig, axes = figure(present, rows=3, height=2.8, sharex=True)
    t, xl = time_axis(table)
    with styled(present):
        bac = table.get("ethanol_blood_mg_per_dl", pd.Series(np.zeros(len(t))))
        axes[0].plot(t, bac, color=colour("ethanol"), label="blood alcohol")
        axes[0].axhline(80, color=colour("threshold"), ls=":", lw=1.5)
        axes[0].annotate(
            "80 mg/dL (UK driving limit)",
            (0.995, 80),
            xycoords=("axes fraction", "data"),
            ha="right",
            va="bottom",
            color=colour("threshold"),
        )
        axes[0].set_ylabel("blood alcohol\n(mg/dL)")
        axes[0].set_ylim(0, max(100.0, float(bac.max()) * 1.15))
        occupancy_panel(axes[1], table)
        reward_panel(axes[2], table)
        top = max(0.05, float(table.reward_without_naltrexone.max()) * 1.3)
        axes[2].set_ylim(0, min(1.0, top))
        if bands is not None:
            x_div = 24.0 if table["time_h"].iloc[-1] > 96 else 1.0
            band(
                axes[1],
                bands,
                "occupancy_antagonist",
                100.0,
                x_div,
                GREYS["band"],
                "naltrexone-held, population 5-95 %",
            )
            band(axes[2], bands, "reward", 1.0, x_div, GREYS["band"], "with naltrexone, population 5-95 %")
            for ax in axes[1:]:
                ax.legend(**outside())
        for ax in axes[:-1]:
            ax.set_xlabel("")
        axes[-1].set_xlabel(xl)
        axes[-1].set_xlim(0, t[-1])
    return fig


def compare(
    table: pd.DataFrame, curves: Mapping[str, pd.DataFrame], present: bool, level: float | None = None
) -> Figure:
    """Reward over time of each agonist alone, and the naltrexone level each needs (the chosen level as a line)."""
    fig, (a1, a2) = figure(present, cols=2, gridspec_kw={"width_ratios": [1.0, 1.15]})
    with styled(present):
        for drug, t in curves.items():
            a1.plot(t.time_h, t.reward_without_naltrexone, color=colour(drug), label=label(drug), ls=line_style(drug))
        a1.set_ylim(0, 1)
        a1.set_xlabel("time after the dose (h)")
        a1.set_ylabel("reward without\nnaltrexone (0-1)")
        a1.set_title("Full vs partial agonists")
        y = np.arange(len(table))
        vals = table.naltrexone_plasma_ng_per_ml_to_block.to_numpy()
        blocked = np.isfinite(vals) & (vals <= level) if level is not None else np.ones(len(vals), bool)
        a2.barh(
            y,
            np.nan_to_num(vals, nan=0.0),
            color=[colour(d) for d in table.drug],
            hatch=["" if b else "//" for b in blocked],
            edgecolor="white",
        )
        for yy, v in zip(y, vals):
            a2.annotate(
                "not blocked" if not np.isfinite(v) else f"{v:.2g}",
                (np.nan_to_num(v), yy),
                xytext=(4, 0),
                textcoords="offset points",
                va="center",
            )
        sep = "\n" if is_narrow() else " "
        a2.set_yticks(y, [f"{d}{sep}{m:g} mg {r}" for d, m, r in zip(table.drug, table.dose_mg, table.route)])
        a2.set_xscale("log")
        a2.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
        a2.xaxis.set_minor_formatter(NullFormatter())
        top = float(np.nanmax(np.append(vals, level or 1.0)))
        a2.set_xlim(right=top * 6)
        if level is not None:
            a2.axvline(level, color="black", lw=2, ls="--")
        a2.set_xlabel(
            "naltrexone needed to block\n(ng/mL plasma, log)"
            + (f"\ndashed: chosen level {level:g} ng/mL" if level is not None else "")
        )
        a2.set_title("Naltrexone needed (hatched: not blocked)" if not blocked.all() else "Naltrexone needed")
        a2.invert_yaxis()
        fig.legend(*a1.get_legend_handles_labels(), loc="outside lower center", ncols=2 if is_narrow() else 4)
        if is_narrow():
            fig.set_figheight(9.0)
    return fig


def pet(df: pd.DataFrame, targets: pd.DataFrame, present: bool) -> Figure:
    """PET occupancy 3 h after oral naltrexone vs dose, model curve and human ranges."""
    fig, ax = figure(present)
    with styled(present):
        ax.plot(df.dose_mg, df.occupancy_percent, "-o", color=colour("naltrexone"), label="model")
        for _, r in targets.iterrows():
            ax.errorbar(
                [r.dose_mg],
                [(r.low + r.high) / 2],
                yerr=[[(r.high - r.low) / 2]],
                fmt="s",
                color="black",
                capsize=6,
                ms=8,
            )
        ax.plot([], [], "s", color="black", label="human PET range (Rabiner 2011)")
        ax.set_xscale("log")
        ax.set_xlabel("oral naltrexone dose (mg, log)")
        ax.set_ylabel("receptors blocked at 3 h (%)")
        ax.set_ylim(0, 100)
        ax.legend(loc="lower right")
        ax.set_title("PET receptor occupancy vs dose")
    return fig


def plasma_reference(oral: pd.DataFrame, xr: pd.DataFrame, present: bool) -> Figure:
    """Naltrexone plasma after one 50 mg tablet (hours) and after XR 380 mg (days)."""
    fig, (a1, a2) = figure(present, cols=2)
    with styled(present):
        a1.plot(oral.time_h, oral.naltrexone_plasma_ng_per_ml, color=colour("naltrexone"), label="naltrexone")
        a1.plot(oral.time_h, oral.naltrexol_plasma_ng_per_ml, color=colour("naltrexol"), label="6-beta-naltrexol")
        a1.axhspan(6.5, 26, color=colour("naltrexone"), alpha=0.12, label="human Cmax range")
        a1.set_yscale("log")
        a1.set_ylim(0.05, 300)
        a1.set_xlabel("time after 50 mg tablet (h)")
        a1.set_ylabel("plasma (ng/mL, log)")
        a1.legend(loc="upper right")
        a1.set_title("Oral 50 mg")
        a2.plot(xr.time_h / 24, xr.naltrexone_plasma_ng_per_ml, color=colour("naltrexone"), label="naltrexone")
        a2.axhspan(1, 2, xmin=0, xmax=1, color=colour("threshold"), alpha=0.15, label="1-2 ng/mL (day 28)")
        a2.axvline(28, color=colour("threshold"), ls=":")
        a2.set_xlabel("time after injection (days)")
        a2.set_ylabel("plasma (ng/mL)")
        a2.legend(loc="upper right")
        a2.set_title("XR injection 380 mg")
    return fig


def blockade_vs_time(df: pd.DataFrame, present: bool, ratio_limit: float) -> Figure:
    """Heroin 25 mg increment ratio vs time after 50/100/150 mg naltrexone, with the label's claims."""
    fig, ax = figure(present)
    blues = {50.0: BLUES[0], 100.0: BLUES[3], 150.0: BLUES[5]}
    with styled(present):
        for mg, d in df.groupby("naltrexone_mg"):
            ax.plot(d.hours_after, d.ratio, "-o", color=blues.get(mg, colour("naltrexone")), label=f"{mg:g} mg")
            claim = {50.0: 24, 100.0: 48, 150.0: 72}.get(mg)
            if claim:
                ax.axvline(claim, color=blues.get(mg), ls=":", lw=1.5)
        ax.axhline(ratio_limit, color=colour("without"), ls="--", lw=1.5)
        ax.annotate(
            f"blocked below {ratio_limit:g}",
            (0.01, ratio_limit),
            xycoords=("axes fraction", "data"),
            va="bottom",
            color=colour("without"),
        )
        ax.set_ylim(0, 1)
        ax.set_xlabel("hours after the naltrexone tablet")
        ax.set_ylabel("heroin effect with / without")
        ax.legend(loc="lower right", title="naltrexone")
        ax.set_title("Label: 50/100/150 mg block 25 mg heroin for 24/48/72 h (dotted)")
    return fig


def overlay(a: pd.DataFrame, b: pd.DataFrame | None, present: bool, name_a: str, name_b: str) -> Figure:
    """Two scenarios overlaid: receptor occupancy and reward."""
    fig, axes = figure(present, rows=2, height=3.0, sharex=True)
    last = max(a.time_h.iloc[-1], b.time_h.iloc[-1] if b is not None else 0)
    days = last > 96
    with styled(present):
        for t, name, ls in ((a, name_a, "-"), (b, name_b, "--")):
            if t is None:
                continue
            x = t.time_h / 24 if days else t.time_h
            axes[0].plot(
                x, 100 * t.occupancy_antagonist, color=colour("antagonist"), ls=ls, label=f"antagonist: {name}"
            )
            axes[0].plot(x, 100 * t.occupancy_agonist, color=colour("agonist"), ls=ls, label=f"agonist: {name}")
            axes[1].plot(x, t.reward, color="black", ls=ls, label=name)
        axes[0].set_ylim(0, 100)
        axes[0].set_ylabel("receptors (%)")
        axes[0].legend(**outside())
        axes[1].set_ylim(0, 1)
        axes[1].set_ylabel("reward (0-1)")
        axes[1].legend(**outside())
        axes[1].set_xlabel("time (days)" if days else "time (h)")
    return fig
