"""Every figure on every page, at desktop, presentation and phone sizes: text inside the canvas and not
overlapping, and no legend over the data."""

from pathlib import Path

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text
from matplotlib.transforms import Bbox
from streamlit.testing.v1 import AppTest

from ui.theme import fit_narrow, narrow_layout

pytestmark = pytest.mark.slow  # every page at three sizes (~35 s): the full suite's
ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py"))


def texts(fig) -> list[tuple[str, Bbox]]:
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    r = canvas.get_renderer()
    ticks, drawn = set(), set()
    for ax in fig.axes:
        for axis in ax._axis_map.values():
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                ticks |= {id(tick.label1), id(tick.label2)}
            for tick in axis._update_ticks() if ax.axison else ():  # only ticks inside the view are drawn
                drawn |= {id(tick.label1), id(tick.label2)}
    out = []
    for t in fig.findobj(Text):
        if id(t) in ticks and id(t) not in drawn:
            continue
        if t.get_visible() and t.get_text().strip() and t.figure is not None:
            bb = t.get_window_extent(r)
            if bb.width > 0 and bb.height > 0:
                out.append((t.get_text(), bb))
    return out


def covered(fig) -> list[str]:
    """Legends drawn over their plot's data area (more than a twentieth of the legend inside the axes)."""
    r = FigureCanvasAgg(fig).get_renderer()
    found = []
    for ax in fig.axes:
        legend = ax.get_legend()
        if legend is None or not legend.get_visible() or not ax.axison:
            continue
        lb, ab = legend.get_window_extent(r), ax.get_window_extent(r)
        w = min(lb.x1, ab.x1) - max(lb.x0, ab.x0)
        h = min(lb.y1, ab.y1) - max(lb.y0, ab.y0)
        if w > 0 and h > 0 and w * h > 0.05 * lb.width * lb.height:
            found.append(f"legend over the plot: {[t.get_text() for t in legend.texts][:3]}")
    return found


def problems(fig) -> list[str]:
    """Text outside the canvas, pairs of texts whose boxes share more than a tenth of the smaller one, and
    legends over the data."""
    found = covered(fig)
    box = fig.bbox
    items = texts(fig)
    for s, bb in items:
        if bb.x0 < box.x0 - 1 or bb.y0 < box.y0 - 1 or bb.x1 > box.x1 + 1 or bb.y1 > box.y1 + 1:
            found.append(f"outside the canvas: {s!r}")
    for i, (s1, b1) in enumerate(items):
        for s2, b2 in items[i + 1 :]:
            w = min(b1.x1, b2.x1) - max(b1.x0, b2.x0)
            h = min(b1.y1, b2.y1) - max(b1.y0, b2.y0)
            if w > 0 and h > 0 and w * h > 0.1 * min(b1.width * b1.height, b2.width * b2.height):
                found.append(f"overlap: {s1!r} / {s2!r}")
    return found


@pytest.mark.parametrize(
    ("present", "narrow"), [(False, False), (True, False), (False, True)], ids=["desktop", "presentation", "phone"]
)
@pytest.mark.parametrize("path", PAGES)
def test_figure_text_stays_inside_and_apart(path, present, narrow):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["present"] = present
    at.session_state["narrow"] = narrow
    at.switch_page(path).run()
    assert not at.exception, [e.value for e in at.exception]
    specs = at.session_state["plot_specs"]
    assert specs
    bad = {}
    for key, spec in specs.items():
        with narrow_layout(narrow):
            fig = fit_narrow(spec.make()) if narrow else spec.make()
        if p := problems(fig):
            bad[key] = p
    assert not bad, bad
