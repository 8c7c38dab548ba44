"""One colour-blind-safe palette (Okabe-Ito based) and the matplotlib style, with presentation mode."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.style  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from model.drugs import molecules  # noqa: E402

STYLE = Path(__file__).with_name("teaching.mplstyle")

#: One colour-blind-safe palette: Okabe-Ito's eight colours and four of Paul Tol's "muted" set, the light
#: ones darkened (same hue) to at least 3:1 against the white plot (WCAG 2.1 non-text contrast).
#: Each molecule names its slot and line style in its data file ([display]); where two colours
#: are hard to tell apart for some readers, their line styles differ.
PALETTE = (
    "#0072B2",  # 0 blue
    "#1D96DB",  # 1 sky blue
    "#332288",  # 2 indigo
    "#D55E00",  # 3 vermillion
    "#BD8300",  # 4 orange
    "#882255",  # 5 wine
    "#000000",  # 6 black
    "#939331",  # 7 olive
    "#3F9D8E",  # 8 teal
    "#CA73A3",  # 9 reddish purple
    "#009E73",  # 10 bluish green
    "#CC6677",  # 11 rose
)
#: The word a page uses for each palette colour (the text and the plot name the same colour).
COLOUR_NAMES = (
    "blue",
    "sky blue",
    "indigo",
    "red-orange",
    "orange",
    "wine",
    "black",
    "olive",
    "teal",
    "reddish purple",
    "bluish green",
    "rose",
)
#: Colours of roles and comparisons (not of a molecule).
ROLE_COLOURS = {
    "antagonist": PALETTE[0],
    "agonist": PALETTE[3],
    "free": "#D9D9D9",
    "with": PALETTE[0],
    "without": PALETTE[3],
    "threshold": "#555555",
}
#: Greys for bands, outlines and reference marks.
GREYS = {
    "band": "#333333",
    "outline": "#444444",
    "muted": "#888888",
    "faint": "#BBBBBB",
    "span": "#DDDDDD",
    "mark": "#999999",
}
#: A sequential blue scale, light to dark, for ordered series (doses, levels); the lightest still 3:1 on white.
BLUES = ("#3E93C9", "#2F7FBF", "#2171b5", "#1660A8", "#08519c", "#08306b", "#041a3a")
#: Naltrexone plans and regimens (blues, darker = longer acting) and the danger fill.
PLAN_COLOURS = {
    "no naltrexone": PALETTE[3],
    "monthly injection kept": "#1B3A6B",
    "second injection missed": PALETTE[1],
    "daily tablets": PALETTE[0],
    "oral daily": PALETTE[1],
    "monthly injection": PALETTE[0],
    "implant": "#1B3A6B",
}
RISK_FILL = "#f4c7a1"
ROLE_LABELS = {"agonist": "agonist (opioid)", "antagonist": "antagonist", "free": "free receptor"}
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


def contrast(a: str, b: str = "#FFFFFF") -> float:
    """WCAG 2.1 contrast ratio of two sRGB colours (hex), 1 to 21."""

    def luminance(h: str) -> float:
        c = [int(h.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        c = [x / 12.92 if x <= 0.04045 else ((x + 0.055) / 1.055) ** 2.4 for x in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def colour(name: str) -> str:
    """Colour of a species (its palette slot) or of a role; grey when unknown."""
    m = molecules().get(name)
    return PALETTE[m.palette] if m else ROLE_COLOURS.get(name, "#666666")


def colour_name(name: str) -> str:
    """The word for the colour :func:`colour` gives a species or role (for text that points at a series)."""
    hexcode = colour(name)
    return COLOUR_NAMES[PALETTE.index(hexcode)] if hexcode in PALETTE else "grey"


def check_palette() -> None:
    """Every molecule has a palette slot of its own: a new molecule without a free slot is refused by name."""
    if len(COLOUR_NAMES) != len(PALETTE):
        raise ValueError("ui/theme.py: COLOUR_NAMES needs one word per PALETTE colour")
    taken: dict[int, str] = {}
    for m in molecules().values():
        if not 0 <= m.palette < len(PALETTE):
            raise ValueError(
                f"{m.id}: [display] palette = {m.palette} is not a slot of ui/theme.py PALETTE (0-{len(PALETTE) - 1}); "
                "add a colour (and its name in COLOUR_NAMES) there"
            )
        if m.palette in taken:
            raise ValueError(f"{m.id}: [display] palette = {m.palette} is already {taken[m.palette]}'s colour")
        taken[m.palette] = m.id


def line_style(name: str) -> str:
    """Line style of a species (solid for roles)."""
    m = molecules().get(name)
    return m.line if m else "-"


def label(name: str) -> str:
    """Readable name of a species or role."""
    m = molecules().get(name)
    return m.label if m else ROLE_LABELS.get(name, name)


#: Phone layout: figure width (inches) and the most height per panel; panels side by side are stacked.
NARROW_WIDTH, NARROW_HEIGHT = 4.4, 3.0
_narrow: ContextVar[bool] = ContextVar("narrow", default=False)


@contextmanager
def narrow_layout(on: bool = True) -> Iterator[None]:
    """Draw figures for a narrow (phone) screen while inside this block."""
    token = _narrow.set(on)
    try:
        yield
    finally:
        _narrow.reset(token)


def is_narrow() -> bool:
    """Whether figures are being drawn for a narrow screen."""
    return _narrow.get()


def fit_narrow(fig: Figure, width: int = 24) -> Figure:
    """Wrap long titles and axis labels of a phone-layout figure onto several lines.

    A legend above its panel (mpl.draw_panel on a phone) makes the figure taller by its own height, so
    that the panels keep theirs.
    """
    above = []
    for ax in fig.axes:
        legend = ax.get_legend()
        on_top = legend is not None and legend.get_bbox_to_anchor().y0 >= ax.bbox.y1
        for t in (ax.title, ax._left_title, ax._right_title, ax.xaxis.label, *([legend.get_title()] if on_top else [])):
            if max(map(len, t.get_text().split("\n"))) > width:
                t.set_text(textwrap.fill(t.get_text().replace("\n", " "), width + 8 * (t is ax.xaxis.label)))
        if on_top:
            above.append(legend)
    if above:
        renderer = FigureCanvasAgg(fig).get_renderer()
        grow = sum(legend.get_window_extent(renderer).height for legend in above) / fig.dpi
        fig.set_figheight(fig.get_figheight() + grow)
    return fig


@contextmanager
def styled(present: bool = False) -> Iterator[None]:
    """Apply the teaching style (and the larger presentation settings, not on a phone) while drawing."""
    with matplotlib.style.context([str(STYLE), PRESENTATION_RC if present and not _narrow.get() else {}]):
        yield


def figure(
    present: bool, rows: int = 1, cols: int = 1, height: float | None = None, **kw: object
) -> tuple[Figure, object]:
    """A Figure (no pyplot state, safe in threads) with subplots; height per row in inches."""
    with styled(present):
        w, h = matplotlib.rcParams["figure.figsize"]
        h = height or h
        if _narrow.get():
            rows, cols, w, h = rows * cols, 1, NARROW_WIDTH, min(h, NARROW_HEIGHT)
            gs = dict(kw.pop("gridspec_kw", {}) or {})
            gs.pop("width_ratios", None)
            if gs:
                kw["gridspec_kw"] = gs
        fig = Figure(figsize=(w, h * rows))
        axes = fig.subplots(rows, cols, squeeze=True, **kw)
    return fig, axes


check_palette()  # refuse a molecule without a colour of its own before anything is drawn
