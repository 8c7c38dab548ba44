"""Figures over time of one run: plasma, blood alcohol, receptors, reward and breathing panels."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view

from model.drugs import molecules
from model.ligands import ANTAGONIST_ROLES

from ..theme import GREYS, colour, contrast, label, line_style
from .spec import Axis, Band, Figure, Layer, Lines, Panel, Rule, Series, Text, frame

#: The columns each time-course panel draws first (its text alternative describes them first).
PANEL_COLUMNS = {
    "plasma": ("naltrexone_plasma_ng_per_ml", "naltrexol_plasma_ng_per_ml"),
    "occupancy": ("occupancy_antagonist", "occupancy_agonist"),
    "reward": ("reward", "reward_without_naltrexone"),
    "breathing": ("respiratory_drive",),
}


def time_axis(table: pd.DataFrame) -> tuple[np.ndarray, str]:
    """Time in hours for up to 4 days, in days beyond."""
    t = table["time_h"].to_numpy()
    return (t / 24.0, "time (days)") if t[-1] > 96 else (t, "time (h)")


def binding_species() -> list[str]:
    """Every molecule that binds the receptor, antagonists first, in palette order (from the data files)."""
    ms = sorted(molecules().values(), key=lambda m: (m.role not in ANTAGONIST_ROLES, m.palette))
    return [m.id for m in ms if m.binds]


def present_species(table: pd.DataFrame, suffix: str, names: Sequence[str]) -> list[str]:
    """The ``names`` whose column ``name + suffix`` is in ``table`` and ever above 1e-6."""
    return [n for n in names if f"{n}{suffix}" in table and table[f"{n}{suffix}"].max() > 1e-6]


def occupancy_lines(table: pd.DataFrame, x: np.ndarray) -> Lines:
    """Every molecule holding receptors in ``table`` as stacked areas (percent), antagonists first."""
    names = present_species(table, "", [f"occupancy_{n}" for n in binding_species()])
    data = frame(x, **{c: 100 * table[c].to_numpy() for c in names})
    species = [c.removeprefix("occupancy_") for c in names]
    return Lines(data, tuple(Series(c, label(s), colour(s)) for c, s in zip(names, species)), stacked=True, unit="%")


#: An area at least this thick (% of receptors) across a quarter of the panel carries its name inside it.
AREA_LABEL_MIN = 20.0
AREA_WINDOW = 50  # points of an even 201-point grid: a quarter of the panel


def _ink_on(fill: str) -> str:
    """White or black text, whichever has the higher contrast on ``fill``."""
    return "#FFFFFF" if contrast(fill, "#FFFFFF") >= contrast(fill, "#000000") else "#000000"


def area_labels(lines: Lines) -> list[Text]:
    """Each stacked area's name inside it, centred on the quarter of the panel where it stays thickest.

    Only areas at least :data:`AREA_LABEL_MIN` thick across that whole quarter (room for the word on a
    phone too): the name, not only the colour, tells them apart.
    """
    x = lines.frame["x"].to_numpy()
    even = np.linspace(x[0], x[-1], 4 * AREA_WINDOW + 1)  # the curves on an even grid, a window a quarter of it
    base, out = np.zeros(even.size), []
    for s in lines.series:
        v = np.interp(even, x, np.nan_to_num(lines.frame[s.column].to_numpy()))
        thinnest = sliding_window_view(v, AREA_WINDOW + 1).min(axis=1)
        k = int(np.argmax(thinnest))
        if thinnest[k] >= AREA_LABEL_MIN:
            floor = float(base[k : k + AREA_WINDOW + 1].max())
            out.append(
                Text(float(even[k + AREA_WINDOW // 2]), floor + 0.25 * float(thinnest[k]), s.label, _ink_on(s.colour))
            )
        base = base + v
    return out


def band(bands: pd.DataFrame | None, col: str, scale: float, x_div: float, name: str, fill: str) -> list[Band]:
    """The 5-95 % band and median of a population column (``<col>_p05/_p50/_p95``), if ``bands`` has it."""
    if bands is None or f"{col}_p50" not in bands:
        return []
    q = {k: scale * bands[f"{col}_{k}"].to_numpy() for k in ("p05", "p50", "p95")}
    return [Band(bands.time_h.to_numpy() / x_div, q["p05"], q["p95"], q["p50"], name, fill)]


def _panel(
    p: str,
    table: pd.DataFrame,
    t: np.ndarray,
    x: Axis,
    x_div: float,
    plasma_lines: Sequence[float],
    bands: pd.DataFrame | None,
    reward_zoom: bool,
) -> Panel:
    extra: list[Layer] = []
    if p == "plasma":
        names = present_species(table, "_plasma_ng_per_ml", binding_species())
        data = frame(t, **{n: table[f"{n}_plasma_ng_per_ml"].to_numpy() for n in names})
        lines = Lines(data, tuple(Series(n, label(n), colour(n), line_style(n)) for n in names), unit="ng/mL")
        extra = [Rule("y", v, f"{v:g} ng/mL", colour("threshold")) for v in plasma_lines]
        top = max([float(data[n].max()) for n in names] + [0.5])
        y = Axis("plasma (ng/mL, log)", (0.01, 2 * top), log=True, steady=(0.01, 1e4))
    elif p == "alcohol":
        bac = table.get("ethanol_blood_mg_per_dl", pd.Series(np.zeros(len(t)))).to_numpy()
        lines = Lines(
            frame(t, ethanol_blood_mg_per_dl=bac),
            (Series("ethanol_blood_mg_per_dl", "blood alcohol", colour("ethanol")),),
            unit="mg/dL",
        )
        extra = [Rule("y", 80.0, "80 mg/dL (UK driving limit)", colour("threshold"))]
        y = Axis("blood alcohol (mg/dL)", (0, max(100.0, float(bac.max()) * 1.15)), steady=(0, 250))
    elif p == "occupancy":
        lines = occupancy_lines(table, t)
        extra = [
            *area_labels(lines),
            *band(bands, "occupancy_antagonist", 100.0, x_div, "naltrexone-held, population", GREYS["band"]),
        ]
        y = Axis("receptors occupied (%)", (0, 100))
    elif p == "reward":
        cols = ("reward_without_naltrexone", "reward")
        lines = Lines(
            frame(t, **{c: table[c].to_numpy() for c in cols}),
            (
                Series("reward_without_naltrexone", "without naltrexone", colour("without"), "--"),
                Series("reward", "with naltrexone", colour("with")),
            ),
        )
        extra = band(bands, "reward", 1.0, x_div, "with naltrexone, population", GREYS["band"])
        top = min(1.0, max(0.05, 1.3 * float(table.reward_without_naltrexone.max()))) if reward_zoom else 1.0
        y = Axis("reward (0-1)", (0, top), steady=(0, 1))
    elif p == "breathing":
        lines = Lines(
            frame(t, respiratory_drive=table["respiratory_drive"].to_numpy()),
            (Series("respiratory_drive", "breathing", colour("fentanyl")),),
        )
        extra = [Rule("y", 0.5, "breathing halved (0.5)", colour("threshold"))]
        y = Axis("respiratory drive (1 = normal)", (0, 1.05))
    else:
        raise ValueError(f"unknown panel {p!r}")
    return Panel((lines, *extra), x, y)


def timecourse(
    table: pd.DataFrame,
    panels: Sequence[str] = ("occupancy", "reward"),
    title: str = "",
    plasma_lines: Sequence[float] = (),
    marker_h: float | None = None,
    bands: pd.DataFrame | None = None,
    reward_zoom: bool = False,
) -> Figure:
    """Panels on one shared time axis: 'plasma', 'alcohol' (blood alcohol), 'occupancy', 'reward', 'breathing'.

    ``bands``: population 5-95 % bands under occupancy and reward; ``marker_h`` a vertical line (h);
    ``reward_zoom``: the reward axis ends a little above the highest reward (for small rewards).
    """
    t, x_title = time_axis(table)
    x_div = 24.0 if x_title == "time (days)" else 1.0
    x = Axis(x_title, (float(t[0]), float(t[-1])))
    built = [_panel(p, table, t, x, x_div, plasma_lines, bands, reward_zoom) for p in panels]
    if marker_h is not None:
        built = [Panel((*b.layers, Rule("x", marker_h / x_div, colour="black", dash="-")), b.x, b.y) for b in built]
    return Figure(tuple(built), title=title, shared_x=True)


def alcohol(table: pd.DataFrame, bands: pd.DataFrame | None = None) -> Figure:
    """Blood alcohol -> receptor occupancy -> reward, with and without naltrexone (optional population bands)."""
    return timecourse(table, ("alcohol", "occupancy", "reward"), bands=bands, reward_zoom=True)


def rescue(course: pd.DataFrame, rescue_h: float, bands: pd.DataFrame | None = None) -> Figure:
    """Breathing with and without naloxone (and on monthly naltrexone), and who holds the receptors."""
    t = course.time_h.to_numpy()
    x = Axis("time after the overdose starts (h)", (float(t[0]), float(t[-1])))
    series = [
        Series("drive_no_rescue", "no naloxone", colour("threshold"), "--"),
        Series("drive_rescue", "naloxone", colour("naloxone")),
    ]
    if "drive_on_naltrexone" in course:
        series.append(
            Series("drive_on_naltrexone", "on monthly naltrexone (injected a week before)", colour("naltrexol"), "-.")
        )
    drive = Lines(frame(t, **{s.column: course[s.column].to_numpy() for s in series}), tuple(series))
    marker = Rule("x", rescue_h, colour="black", dash="-")
    return Figure(
        (
            Panel(
                (
                    drive,
                    *band(bands, "respiratory_drive", 1.0, 1.0, "population", GREYS["band"]),
                    Rule("y", 0.5, "breathing halved (0.5)", colour("threshold")),
                    marker,
                ),
                x,
                Axis("breathing (1 = normal)", (0, 1.05)),
            ),
            Panel(
                (held := occupancy_lines(course, t), *area_labels(held), marker),
                x,
                Axis("receptors occupied (%)", (0, 100)),
            ),
        ),
        shared_x=True,
    )


def _on(t: np.ndarray, table: pd.DataFrame, col: str) -> np.ndarray:
    """``table[col]`` read at times ``t`` (linear between output times; NaN after the table ends)."""
    own = table.time_h.to_numpy()
    return np.where(t <= own[-1] + 1e-9, np.interp(t, own, table[col].to_numpy()), np.nan)


def overlay(a: pd.DataFrame, b: pd.DataFrame | None, name_a: str, name_b: str) -> Figure:
    """Receptors and reward of scenario A (solid) and B (dashed).

    Both are read on the union of their output times (each exact at its own times, linear between;
    a gap where a scenario has ended).
    """
    tables = [(tab, n, d) for tab, n, d in ((a, name_a, "-"), (b, name_b, "--")) if tab is not None]
    t = np.unique(np.concatenate([tab.time_h.to_numpy() for tab, _, _ in tables]))
    days = t[-1] > 96
    xs = t / 24 if days else t
    occ, rew, occ_series, rew_series = {}, {}, [], []
    for i, (tab, name, dash) in enumerate(tables):
        occ[f"ant{i}"] = 100 * _on(t, tab, "occupancy_antagonist")
        occ[f"ago{i}"] = 100 * _on(t, tab, "occupancy_agonist")
        rew[f"r{i}"] = _on(t, tab, "reward")
        occ_series += [
            Series(f"ant{i}", f"antagonist: {name}", colour("antagonist"), dash),
            Series(f"ago{i}", f"agonist: {name}", colour("agonist"), dash),
        ]
        rew_series.append(Series(f"r{i}", name, "#000000", dash))
    x = Axis("time (days)" if days else "time (h)", (float(xs[0]), float(xs[-1])))
    return Figure(
        (
            Panel((Lines(frame(xs, **occ), tuple(occ_series), unit="%"),), x, Axis("receptors (%)", (0, 100))),
            Panel((Lines(frame(xs, **rew), tuple(rew_series)),), x, Axis("reward (0-1)", (0, 1))),
        ),
        shared_x=True,
    )
