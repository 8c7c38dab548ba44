"""Sentences computed from the run a page shows: numbers and comparison words chosen at run time.

A :class:`Claim` is one model-derived statement: its text, the number behind it and, when its
wording rests on a comparison ("blocked", "lowest", "twice"), the threshold it is compared with.
Within :data:`BAND` (relative) of the threshold the word alone would overstate the model, so the
sentence states both numbers instead. Pages render ``Claim.text``; the teaching tests recompute
each claim from the data the page shows, at the defaults and at every preset, and name the claim
that no longer holds. Cited facts (labels, glossary, sources) are typed text, not claims.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..challenge import blocked_ratio

BAND = 0.10  # a comparison within 10 % of its threshold is stated with its numbers


@dataclass(frozen=True)
class Claim:
    """One statement on a page: ``text`` says ``value`` (and how it compares with ``threshold``)."""

    id: str
    text: str
    value: float
    threshold: float | None = None

    @property
    def margin(self) -> float:
        """Relative distance of the value from its threshold (inf for a claim without one)."""
        if self.threshold is None:
            return math.inf
        return abs(self.value - self.threshold) / abs(self.threshold) if self.threshold else abs(self.value)


def close(value: float, threshold: float) -> bool:
    """Whether a comparison sits inside the dead band, where the sentence gives both numbers."""
    return Claim("", "", value, threshold).margin < BAND


def blocked_phrase(ratio: float, threshold: float | None = None) -> str:
    """'blocked (ratio 0.13)' / 'not blocked (ratio 0.46)' / 'just past being blocked (0.27 against 0.25)'."""
    limit = blocked_ratio() if threshold is None else threshold
    if close(ratio, limit):
        side = "just blocked" if ratio <= limit else "just past being blocked"
        return f"{side} (ratio {ratio:.2f} against the threshold {limit:.2f})"
    return f"{'blocked' if ratio <= limit else 'not blocked'} (ratio {ratio:.2f})"


def challenge(cid: str, row: pd.Series) -> Claim:
    """An agonist challenge (a row of ``Result.challenges``): blocked or not, with both effects."""
    text = (
        f"{blocked_phrase(row.ratio)}: {row.increment_with:.2f} against {row.increment_without:.2f} without naltrexone"
    )
    return Claim(cid, text, float(row.ratio), blocked_ratio())


def times_phrase(factor: float) -> str:
    """'about twice', 'about 3.4 times' or 'about as much' for a ratio of two amounts."""
    if abs(factor - 1.0) < BAND:
        return "about as much"
    if abs(factor - 2.0) < 2 * BAND:
        return "about twice as much"
    return f"about {factor:.1f} times as much"


def kd_doubling(before: pd.DataFrame, after: pd.DataFrame) -> list[Claim]:
    """What doubling naltrexone's Kd does to a scenario's agonist challenges (challenge tables, same doses).

    Claims: the first challenge's increment ratio grows by a factor; every challenge whose blocked
    state changes is named with both ratios.
    """
    first = Claim(
        "kd_doubling.first_challenge_factor",
        f"every challenge gets through more (at {before.at_h.iloc[0]:g} h "
        f"{times_phrase(after.ratio.iloc[0] / before.ratio.iloc[0])})",
        float(after.ratio.iloc[0] / before.ratio.iloc[0]),
    )
    limit = blocked_ratio()
    flips = [
        Claim(
            f"kd_doubling.flip_{t:g}h",
            f"the {t:g} h dose goes from {blocked_phrase(b)} to {blocked_phrase(a)}",
            float(a),
            limit,
        )
        for t, b, a in zip(before.at_h, before.ratio, after.ratio)
        if (b <= limit) != (a <= limit)
    ]
    return [first, *flips]


def joined(claims: list[Claim]) -> str:
    """The claims' texts as one clause list: 'a', 'a and b', 'a, b and c'."""
    texts = [c.text for c in claims]
    return texts[0] if len(texts) == 1 else ", ".join(texts[:-1]) + " and " + texts[-1]


def share_word(share: float) -> str:
    """'almost none' (< 15 %), 'about half' (35-65 %), 'most' (> 65 %), else 'a minority' / 'a majority'."""
    if share < 0.15:
        return "almost none"
    if share < 0.35:
        return "a minority"
    if share <= 0.65:
        return "about half"
    return "most"


def receptors_for_half_reward(eq: pd.DataFrame, agonist: str) -> Claim:
    """Share of receptors an agonist must hold for a reward of 0.5 (equilibrium curve without naltrexone)."""
    alone = eq[eq.naltrexone_nm == 0].sort_values("agonist_nm")
    occupancy = float(np.interp(0.5, alone.reward.to_numpy(), alone.occupancy_agonist.to_numpy()))
    few = "only " if occupancy < 0.1 else ""
    return Claim(
        "mechanism.receptors_for_half_reward",
        f"{agonist} reaches a reward of 0.5 (half the scale) while holding {few}{100 * occupancy:.0f} % of the receptors",
        occupancy,
    )


def naltrexone_family_share(table: pd.DataFrame, t_h: float) -> Claim:
    """Receptors held by naltrexone and 6-beta-naltrexol at ``t_h`` (output table), with the metabolite's part."""
    row = table.iloc[int(np.argmin(np.abs(table.time_h.to_numpy() - t_h)))]
    parent, metabolite = float(row.get("occupancy_naltrexone", 0.0)), float(row.get("occupancy_naltrexol", 0.0))
    return Claim(
        "mechanism.naltrexone_family_share",
        f"{100 * (parent + metabolite):.0f} % of the receptors ({100 * metabolite:.0f} % by 6-beta-naltrexol)",
        parent + metabolite,
    )


def tablets_to_lose_blockade(gaps: pd.DataFrame) -> Claim:
    """How many tablets missed in a row let 25 mg IV heroin through (a ``missed_tablets_table``).

    Where the ratio after one tablet fewer, or at the count itself, lies within the dead band of
    the threshold, the sentence says so with its number.
    """
    limit = blocked_ratio()
    lost = gaps[~gaps.blocked.astype(bool)]
    if lost.empty:
        last = float(gaps.heroin_ratio.iloc[-1])
        return Claim("regimens.tablets_to_lose_blockade", "a week of missed tablets", last, limit)
    i = int(lost.index[0])
    n, ratio = int(gaps.missed_tablets[i]), float(gaps.heroin_ratio[i])
    text = f"{n} missed tablets in a row"
    nearest = ratio
    if i > 0 and close(float(gaps.heroin_ratio[i - 1]), limit):
        nearest = float(gaps.heroin_ratio[i - 1])
        text += f" (after {n - 1} the heroin ratio is already {nearest:.2f}, just under the threshold {limit:.2f})"
    elif close(ratio, limit):
        text += f" (heroin ratio {ratio:.2f}, just over the threshold {limit:.2f})"
    return Claim("regimens.tablets_to_lose_blockade", text, nearest, limit)


def episodes_through(episodes: pd.DataFrame, plan: str) -> Claim:
    """What the episodes that got through did to craving under ``plan`` (an ``episode_table``).

    The climb is the largest rise of craving from its lowest point before an episode that got
    through to its highest point after it (craving starts at 0.5).
    """
    through = episodes[~episodes.blocked.astype(bool)]
    if through.empty:
        return Claim("cravings.episodes_through", f"with {plan} every episode was blocked, so craving only fell", 0.0)
    craving = np.concatenate([[0.5], episodes.craving_after.to_numpy(float)])  # before episode 1, after each
    climbs = [
        (craving[: i + 1].min(), craving[i + 1 :].max()) for i in (episodes.index.get_loc(j) for j in through.index)
    ]
    low, high = max(climbs, key=lambda c: c[1] - c[0])
    head = (
        f"with {plan}, {len(through)} of {len(episodes)} episodes got through, with highs of "
        f"{through.reward_with.mean():.2f} on average against {through.reward_without.mean():.2f} without naltrexone"
    )
    if high - low < 0.02:
        end = float(craving[-1])
        return Claim("cravings.episodes_through", f"{head}; too few to stop craving falling (to {end:.2f})", 0.0)
    return Claim(
        "cravings.episodes_through", f"{head}, and craving climbed back from {low:.2f} to {high:.2f}", high - low
    )


def stopping_split(
    day: float, before: float, now: float, tolerance_part: float, receptor_part: float, held: float
) -> Claim:
    """Why the usual dose's lowest breathing on ``day`` after stopping differs from before treatment.

    ``tolerance_part``: the run without extra receptors minus before treatment; ``receptor_part``: the
    rest. While naltrexone still holds receptors (``held``, a fraction) the first part also carries
    what it still blocks, and the sentence says so.
    """
    verb = "drops further" if now < before else "is not lower yet"
    first = (
        "lost tolerance"
        if held < 0.1
        else f"lost tolerance and the naltrexone still holding {100 * held:.0f} % of the receptors"
    )
    return Claim(
        "stopping.split",
        f"**Why breathing {verb} on day {day:g}** ({before:.2f} before treatment, {now:.2f} now): {first} "
        f"**{tolerance_part:+.2f}**, extra receptors **{receptor_part:+.2f}**",
        now,
        before,
    )


def steady_level(table: pd.DataFrame, name: str, from_day: float, to_day: float) -> Claim:
    """The range of plasma naltrexone (ng/mL) a regimen's ``table`` holds between two days."""
    t = table.time_h.to_numpy() / 24.0
    level = table.naltrexone_plasma_ng_per_ml.to_numpy()[(t >= from_day) & (t <= to_day)]
    low, high = float(level.min()), float(level.max())
    return Claim(
        f"regimens.level_{name.replace(' ', '_')}",
        f"{name} {low:.1f}-{high:.1f} ng/mL from day {from_day:g} to {to_day:g}",
        low,
    )


_UNITS = (
    ("_ng_per_ml", " (ng/mL)"),
    ("_mg_per_dl", " (mg/dL)"),
    ("_min", " (min)"),
    ("_mg", " (mg)"),
    ("_nm", " (nM)"),
    ("_h", " (h)"),
)


def _name(column: str) -> str:
    """A column name read aloud: words, with its unit in brackets."""
    for suffix, unit in _UNITS:
        if column.endswith(suffix):
            return column[: -len(suffix)].replace("_", " ") + unit
    return column.replace("_", " ")


def _value(v: float) -> str:
    return "0" if abs(v) < 5e-4 else f"{v:.3g}"


def _long(x: np.ndarray, table: pd.DataFrame, numeric: dict[str, np.ndarray]) -> bool:
    """Whether ``table`` is long: its first column ``x`` repeats its values along a numeric second column."""
    return (
        x.dtype.kind in "iuf"
        and len(table.columns) > 2
        and str(table.columns[1]) in numeric
        and len(np.unique(x)) < len(x)
    )


def describe_chart(key: str, title: str, table: pd.DataFrame, focus: tuple[str, ...] = (), most: int = 5) -> Claim:
    """A chart's text alternative computed from its data: what is plotted against what, and each series' range.

    For data along an increasing x (time, dose): each series' lowest and highest value and where it
    peaks; otherwise (one row per item) each numeric column's highest and lowest item. ``focus``:
    the columns the chart draws, described first.
    """
    x_name = str(table.columns[0])
    x = table[x_name].to_numpy()
    along = x.dtype.kind in "if" and len(x) > 1 and bool(np.all(np.diff(x) > 0))
    numeric = {  # numpy arrays: a table of one row per hour can have dozens of columns
        str(c): table[c].to_numpy(dtype=float, na_value=np.nan)
        for c, kind in zip(table.columns, (d.kind for d in table.dtypes))
        if kind in "iuf" and c != x_name
    }
    labels = [c for c, d in zip(table.columns, table.dtypes) if d.kind not in "iufc"]
    # a long table without names (each value of its first column repeated across a second): its rows are
    # named by those two columns, which are then not described as series
    keys = [x_name, str(table.columns[1])] if not (along or labels) and _long(x, table, numeric) else []
    present = [c for c, y in numeric.items() if not np.isnan(y).all() and c not in keys]
    series = [c for c in focus if c in present] + [c for c in present if c not in focus]

    def who(i: int) -> str:  # what row i is, for tables of items
        if keys:
            return "at " + ", ".join(f"{_name(k)} {float(table[k].iloc[i]):.4g}" for k in keys)
        return f"for {table[labels[0]].iloc[i] if labels else table.index[i]}"

    parts = []
    for c in series[:most]:
        y = numeric[c]
        lo, hi = float(np.nanmin(y)), float(np.nanmax(y))
        if along:
            at = float(x[np.nanargmax(y)])
            parts.append(
                f"{_name(c)} stays at {_value(lo)}"
                if hi - lo <= 1e-3 * max(abs(hi), 1e-12)
                else f"{_name(c)} from {_value(lo)} to {_value(hi)} (highest at {_name(x_name)} {at:.4g})"
            )
        elif len(table) == 1:  # one set of values (a picture of one moment): each value as it is
            parts.append(f"{_name(c)} {_value(hi)}")
        else:
            parts.append(
                f"{_name(c)} highest {who(int(np.nanargmax(y)))} ({_value(hi)}), "
                f"lowest {who(int(np.nanargmin(y)))} ({_value(lo)})"
            )
    span = (
        f" over {_name(x_name)} {float(x[0]):.4g} to {float(x[-1]):.4g}"
        if along
        else ""
        if len(table) == 1
        else f" for {len(table)} rows"
    )
    more = f"; {len(series) - most} more series in the table of values" if len(series) > most else ""
    text = f"{title}{span}: " + "; ".join(parts) + more if parts else f"{title}: no numeric values"
    return Claim(f"chart.{key}", text, float(len(series)))
