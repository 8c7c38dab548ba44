"""Every figure of every page, drawn both ways: the screen (Vega-Lite) and the file (matplotlib) agree.

Each page's figure descriptions are taken from a real run of the page; each is drawn by both
renderers, which must show the same panels, titles, series (label and colour) and axis ranges.
"""

import colorsys
import functools
from itertools import combinations
from pathlib import Path

import pytest
from drawing_checks import walk
from matplotlib.colors import to_hex
from streamlit.testing.v1 import AppTest

from ui.drawings import mpl, vega
from ui.drawings.spec import Bars, Figure, Lines, Panel, Points, Ranges
from ui.registry import PAGES

ROOT = Path(__file__).resolve().parents[1]


def legend_of(panel: Panel) -> dict[str, str]:
    """The labels a panel's legend must show, with their colours."""
    out: dict[str, str] = {}
    for layer in panel.layers:
        if isinstance(layer, Lines):
            out.update({s.label: s.colour for s in layer.series})
        elif isinstance(layer, (Points, Ranges)) and layer.label:
            out[layer.label] = layer.colour
        elif isinstance(layer, Bars) and layer.label:
            out[layer.label] = layer.colours[0]
    return {k.lower(): v.lower() for k, v in out.items()}


def screen_facts(chart: dict) -> tuple[dict[str, str], dict[str, list], str]:
    """(legend label -> colour, axis -> domain, title text) of one Vega-Lite chart."""
    legend, domains = {}, {}
    for enc in walk(chart):
        colour = enc.get("color") if isinstance(enc.get("color"), dict) else {}
        scale = colour.get("scale") if isinstance(colour.get("scale"), dict) else None
        if scale and "range" in scale and "domain" in scale:
            legend.update({str(k).lower(): str(v).lower() for k, v in zip(scale["domain"], scale["range"])})
        for axis in ("x", "y"):
            e = enc.get(axis)
            if isinstance(e, dict) and isinstance(e.get("scale"), dict) and "domain" in e["scale"]:
                domains.setdefault(axis, e["scale"]["domain"])
    title = chart.get("title", {})
    text = " ".join([*title.get("text", []), *title.get("subtitle", [])]) if title else ""
    return legend, domains, text


def file_legend(drawn) -> dict[str, str]:
    """Every legend entry of a matplotlib figure (axes and figure legends): label -> colour."""
    out = {}
    legends = [ax.get_legend() for ax in drawn.axes] + list(drawn.legends)
    for leg in legends:
        if leg is None:
            continue
        for handle, text in zip(leg.legend_handles, leg.get_texts()):
            for getter in ("get_color", "get_facecolor", "get_edgecolor"):
                c = getattr(handle, getter, None)
                if c is None:
                    continue
                c = c()
                if hasattr(c, "ndim") and c.ndim == 2:
                    c = c[0] if len(c) else None
                if c is not None and not (hasattr(c, "__len__") and len(c) == 4 and c[3] == 0):
                    out[text.get_text().lower()] = to_hex(c).lower()
                    break
    return out


@functools.cache  # one run of each page for the tests below
def figures_of(path: str) -> dict[str, Figure]:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page(path).run()
    assert not at.exception, [e.value for e in at.exception]
    return dict(at.session_state["plot_figures"]) if "plot_figures" in at.session_state else {}


@pytest.mark.parametrize("path", [p.path for p in PAGES])
def test_every_figure_is_the_same_on_the_screen_and_in_the_file(path):
    figures = figures_of(path)
    if path.endswith(("home.py", "workbench.py", "mechanism.py", "regimens.py", "validation.py")):
        assert figures, f"{path} shows no figure"
    for key, fig in figures.items():
        charts = vega.render(fig, False)
        drawn = mpl.render(fig, False)
        visible = [ax for ax in drawn.axes if ax.get_visible() and ax.get_label() != "<colorbar>"]
        assert len(charts) == len(fig.panels) == len(visible), key
        in_file = file_legend(drawn)
        titles_in_file = " ".join(t for ax in visible for t in (ax.get_title("left"), ax.get_title()))
        titles_in_file += " " + (drawn._suptitle.get_text() if drawn._suptitle else "")
        for i, (panel, chart, ax) in enumerate(zip(fig.panels, charts, visible)):
            legend, domains, title = screen_facts(chart)
            want = legend_of(panel)
            for name, colour in want.items():
                assert legend.get(name) == colour, (key, i, name, "screen")
                assert in_file.get(name) == colour, (key, i, name, "file", sorted(in_file))
            for axis, a in (("x", panel.x), ("y", panel.y)):
                if a.domain and not a.categories and not a.hidden:
                    assert domains.get(axis) == pytest.approx(list(a.domain)), (key, i, axis, "screen")
                    lim = ax.get_xlim() if axis == "x" else ax.get_ylim()
                    assert sorted(lim) == pytest.approx(sorted(a.domain)), (key, i, axis, "file")
            for words in (panel.title, fig.title if i == 0 else ""):
                first = words.split()[:3]
                if first:
                    assert " ".join(first) in " ".join(title.split()), (key, i, "screen title")
                    assert " ".join(first) in " ".join(titles_in_file.split()), (key, i, "file title")


def hsv(colour: str) -> tuple[float, float, float]:
    rgb = tuple(int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return colorsys.rgb_to_hsv(*rgb)


def told_apart(a: str, b: str) -> bool:
    """Two colours that differ by more than a shade: hues 40 degrees apart, or a grey against a clearly
    lighter or darker colour."""
    (ha, sa, va), (hb, sb, vb) = hsv(a), hsv(b)
    if min(sa, sb) < 0.25:  # a grey or black: lightness tells it apart
        return abs(va - vb) >= 0.3
    return min(abs(ha - hb), 1 - abs(ha - hb)) * 360 >= 40


@pytest.mark.parametrize("path", [p.path for p in PAGES])
def test_lines_told_apart_only_by_a_shade_have_their_own_line_style(path):
    """WCAG 2.1 1.4.1: colour is never the only cue; two curves of one panel in the same line style must
    differ in hue (shades of one colour, such as a ramp of doses, each get a style)."""
    for key, fig in figures_of(path).items():
        for i, panel in enumerate(fig.panels):
            curves = [
                s for layer in panel.layers if isinstance(layer, Lines) and not layer.stacked for s in layer.series
            ]
            for a, b in combinations(curves, 2):
                assert a.dash != b.dash or told_apart(a.colour, b.colour), (key, i, a.label, b.label)
