"""The mystery opioid's figure: one run of drug X over time, as a laboratory would record it.

Drug X is drawn in one neutral colour whatever it is (no molecule's palette colour, label or line style),
so a figure tells nothing of the template behind the unknown.
"""

from __future__ import annotations

import pandas as pd

from model.lessons import mystery

from ..theme import GREYS, PALETTE
from .spec import Axis, Figure, Lines, Panel, Rule, Series, frame

#: Colours: drug X a neutral dark grey (no molecule's colour); the responses colours of their own.
DRUG_X = GREYS["outline"]
REWARD, WITHDRAWAL, BREATHING = PALETTE[3], PALETTE[5], PALETTE[0]
TOOLS = {
    "naltrexone tablet before": "naltrexone tablet",
    "naloxone before": "naloxone",
    "naloxone after": "naloxone",
}
#: The table behind the figure: its columns as the chart's words read them (units in the names).
WORDS = {
    "time_h": "time_h",
    "plasma_ng_per_ml": "drug_X_plasma_ng_per_ml",
    "reward": "reward",
    "withdrawal": "withdrawal_score",
    "respiratory_drive": "breathing",
}


def shown(table: pd.DataFrame, drug: str = "drug X") -> pd.DataFrame:
    """A run's table with the columns named as the page shows them (the drug, reward, withdrawal, breathing)."""
    return table[list(WORDS)].rename(
        columns={**WORDS, "plasma_ng_per_ml": f"{drug.replace(' ', '_')}_plasma_ng_per_ml"}
    )


def run_figure(run: mystery.Run, title: str = "", drug: str = "drug X") -> Figure:
    """The drug in plasma (log scale), reward and withdrawal (0-1), breathing (1 = normal), with the doses marked.

    ``drug`` names the drug given (the reference opioid's figure names it; drug X's never has a name).
    """
    tab = run.table
    e = run.experiment
    t = tab.time_h.to_numpy()
    x = Axis(f"time after the first dose of {drug} (h)", (float(t[0]), float(t[-1])))
    marks = [Rule("x", d, drug if k == 0 else "", "#000000", "-") for k, d in enumerate(e.dose_times_h)]
    tool = mystery.ANTIDOTES[e.antidote]
    if tool:
        marks.append(Rule("x", tool[3], TOOLS[e.antidote], GREYS["outline"], "--"))
    plasma = tab.plasma_ng_per_ml.to_numpy()
    top = max(float(plasma.max()) * 2.0, 1.0)
    rules = mystery.RULES
    return Figure(
        (
            Panel(
                (
                    Lines(frame(t, drug=plasma), (Series("drug", f"{drug} in plasma", DRUG_X),), unit="ng/mL"),
                    *marks,
                ),
                x,
                Axis(f"{drug} in plasma (ng/mL, log)", (top / 1e4, top), log=True),
                title=title,
            ),
            Panel(
                (
                    Lines(
                        frame(t, reward=tab.reward.to_numpy(), withdrawal=tab.withdrawal.to_numpy()),
                        (
                            Series("reward", "reward", REWARD),
                            Series("withdrawal", "withdrawal (model score)", WITHDRAWAL, "--"),
                        ),
                    ),
                    Rule(
                        "y", rules.full_reward, f"{rules.full_reward:.2f}: only full agonists above", GREYS["outline"]
                    ),
                    *marks,
                ),
                x,
                Axis("reward, withdrawal (0-1)", (0.0, 1.0)),
            ),
            Panel(
                (
                    Lines(
                        frame(t, breathing=tab.respiratory_drive.to_numpy()),
                        (Series("breathing", "breathing", BREATHING),),
                    ),
                    Rule("y", 0.5, "breathing halved (0.5)", GREYS["outline"]),
                    *marks,
                ),
                x,
                Axis("breathing (1 = normal)", (0.0, 1.05)),
            ),
        ),
        shared_x=True,
    )
