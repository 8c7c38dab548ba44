"""One colour-blind-safe palette (Okabe-Ito based) and the matplotlib style, with presentation mode."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.style  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

STYLE = Path(__file__).with_name("teaching.mplstyle")

#: Naltrexone family in blues, agonists in oranges/reds, alcohol in green/purple.
COLOURS = {
    "naltrexone": "#0072B2",
    "naltrexol": "#56B4E9",
    "naloxone": "#1B3A6B",
    "antagonist": "#0072B2",
    "agonist": "#D55E00",
    "heroin": "#D55E00",
    "monoacetylmorphine": "#E69F00",
    "morphine": "#B35806",
    "fentanyl": "#A50026",
    "oxycodone": "#E69F00",
    "methadone": "#7F3B08",
    "buprenorphine": "#CC79A7",
    "ethanol": "#009E73",
    "endorphin": "#CC79A7",
    "free": "#D9D9D9",
    "with": "#0072B2",
    "without": "#D55E00",
    "threshold": "#555555",
}
LABELS = {
    "naltrexone": "naltrexone",
    "naltrexol": "6-beta-naltrexol",
    "naloxone": "naloxone",
    "heroin": "heroin",
    "monoacetylmorphine": "6-MAM",
    "morphine": "morphine",
    "fentanyl": "fentanyl",
    "oxycodone": "oxycodone",
    "methadone": "methadone",
    "buprenorphine": "buprenorphine",
    "ethanol": "ethanol",
    "endorphin": "beta-endorphin",
    "agonist": "agonist (opioid)",
    "free": "free receptor",
}
PRESENTATION_RC = {
    "font.size": 18,
    "axes.titlesize": 20,
    "axes.labelsize": 18,
    "xtick.labelsize": 16,
    "ytick.labelsize": 16,
    "legend.fontsize": 16,
    "lines.linewidth": 4.0,
    "figure.figsize": (12, 5.2),
}


def colour(name: str) -> str:
    """Colour of a species or role (grey when unknown)."""
    return COLOURS.get(name, "#666666")


def label(name: str) -> str:
    """Readable name of a species or role."""
    return LABELS.get(name, name)


@contextmanager
def styled(present: bool = False) -> Iterator[None]:
    """Apply the teaching style (and the larger presentation settings) while drawing."""
    with matplotlib.style.context([str(STYLE), PRESENTATION_RC if present else {}]):
        yield


def figure(present: bool, rows: int = 1, cols: int = 1, height: float | None = None, **kw: object) -> tuple[Figure, object]:
    """A Figure (no pyplot state, safe in threads) with subplots; height per row in inches."""
    with styled(present):
        w, h = matplotlib.rcParams["figure.figsize"]
        fig = Figure(figsize=(w, (height or h) * rows))
        axes = fig.subplots(rows, cols, squeeze=True, **kw)
    return fig, axes
