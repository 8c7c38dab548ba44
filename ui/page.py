"""The lesson skeleton every page shares: title and 'What to notice', predict-then-reveal, plots with their words.

Running scenarios (:mod:`ui.runs`) and figures with downloads (:mod:`ui.figures`) live in their own modules;
their names are re-exported here for the pages.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from model import Scenario
from model.drugs import molecules
from model.lessons import claims
from model.lessons.claims import Claim
from model.simulation import Result

from . import state
from .drawings import mpl
from .drawings import vega as screen
from .drawings.spec import Figure
from .drawings.time import PANEL_COLUMNS
from .drawings.time import timecourse as timecourse_figure
from .figures import SCREEN_DPI, Fig, downloads, fig, fig_bytes, figure_bytes, slug, table_json
from .runs import (
    FRIENDLY,
    RESULTS,
    ByteCache,
    guarded,
    nbytes,
    protection_table,
    run,
    run_scenario,
    try_run,
)
from .text import plain

#: The pages' toolbox: this module's skeleton and the running and figure helpers it re-exports.
__all__ = [
    "ByteCache",
    "FRIENDLY",
    "Fig",
    "NOTICE",
    "PANEL_COLUMNS",
    "RESULTS",
    "SCREEN_DPI",
    "downloads",
    "fig",
    "fig_bytes",
    "figure_bytes",
    "guarded",
    "header",
    "headline",
    "lesson",
    "more_settings",
    "nbytes",
    "param_help",
    "plain",
    "plot",
    "predict",
    "protection_table",
    "readout",
    "run",
    "run_scenario",
    "slug",
    "stage",
    "stated",
    "table_json",
    "timecourse",
    "try_run",
    "why",
]

NOTICE = "Teaching model - not for clinical decisions."


def header(title: str, notice: str) -> None:
    """Page title and the two-sentence 'What to notice' (folded away in presentation mode, to keep the plot in view)."""
    st.title(title)
    if state.presentation():
        with st.expander("What to notice"):
            st.markdown(notice)
    else:
        st.info(f"**What to notice.** {notice}")


def lesson(title: str, notice: str) -> bool:
    """The top of every lesson page: its title and 'What to notice'; returns whether presentation mode is on.

    In presentation mode two places follow the title, filled later in the run: the headline
    (:func:`headline`) and the stage (:func:`stage`, the key plot), so that at 1280x720 the class
    sees the verdict and its plot before any control.
    """
    header(title, notice)
    present = state.presentation()
    st.session_state["_stage"] = (st.container(), st.container()) if present else None
    st.session_state["headline"] = ""
    return present


def headline(*said: Claim | str) -> None:
    """The lesson's verdict from this run, with its number, in one sentence (large, under the title, on a projector)."""
    text = "".join(stated(s) if isinstance(s, Claim) else s for s in said)
    text = text[:1].upper() + text[1:]  # a sentence, even when it opens with a drug's name
    st.session_state["headline"] = text
    slots = st.session_state.get("_stage")
    if slots is not None:
        slots[0].markdown(f"### {plain(text)}")


def stage() -> Any:
    """Where the key plot goes: right under the headline in presentation mode, in place otherwise."""
    slots = st.session_state.get("_stage")
    return slots[1] if slots is not None else contextlib.nullcontext()


def stated(*said: Claim) -> str:
    """The text of claims computed from a run, kept where the tests can check each against its numbers."""
    st.session_state.setdefault("claims", {}).update({c.id: c for c in said})
    return claims.joined(list(said))


def why(text: str) -> None:
    """The short explanation under the plots."""
    st.markdown("#### Why")
    st.markdown(text)


def predict(key: str, question: str, options: list[str], answer: int, explanation: str) -> None:
    """A 'predict, then reveal' question: choose first, then open the answer."""
    with st.container(border=True):
        st.markdown(f"**Predict first.** {question}")
        choice = st.radio("Your prediction", options, index=None, key=f"{key}_guess", label_visibility="collapsed")
        if st.button("Reveal the answer", key=f"{key}_reveal", disabled=choice is None):
            st.session_state[f"{key}_revealed"] = True
        if st.session_state.get(f"{key}_revealed") and choice is not None:
            good = options.index(choice) == answer
            (st.success if good else st.warning)(
                ("Right. " if good else f"Not quite: the answer is **{options[answer]}**. ") + explanation
            )


def param_help(species: str, name: str) -> str:
    """Tooltip text from a parameter's documented value, unit and source."""
    p = molecules()[species].parameters.get(name)
    if p is None:
        return ""
    return f"{species}.{name} = {p.value:g} {p.unit} ({p.tag}). Source: {p.source}"


def plot(
    key: str,
    title: str,
    figure: Figure | Fig,
    table: pd.DataFrame,
    result: Result | None = None,
    scenario: Scenario | None = None,
    arms: Sequence[Scenario] = (),
    focus: Sequence[str] = (),
) -> None:
    """Show a figure, keep its data in session_state, offer its downloads.

    A figure description is drawn in the browser on the screen (values on hover, text that keeps its
    size on a phone) and by matplotlib in the downloads, from the same description; a matplotlib-only
    ``Fig`` (research plots) is shown as its PNG, redrawn only when its inputs change. Under the chart,
    its text alternative: a sentence computed from ``table`` (the ``focus`` columns, those drawn, first).
    """
    present = state.presentation()
    spec = fig(mpl.render, figure, present) if isinstance(figure, Figure) else figure
    state.store_plot_data(key, table)
    st.session_state.setdefault("plot_specs", {})[key] = spec
    if isinstance(figure, Figure):
        st.session_state.setdefault("plot_figures", {})[key] = figure
        for chart in screen.render(figure, present):
            st.vega_lite_chart(spec=chart, width="stretch", theme=None)
    else:  # screen resolution: st.pyplot's 200 dpi "tight" PNG costs 3-4x the time
        st.image(figure_bytes(spec, "png", SCREEN_DPI, state.narrow()), width="stretch")
    in_words = f"Chart in words: {plain(stated(claims.describe_chart(key, title, table, tuple(focus))))}."
    if not present:  # the chart's text alternative, beside it (in the expander on a projector)
        st.caption(in_words)
    # built only while open (opening it reruns the page): a closed one costs nothing on a control change
    box = st.expander(
        "Read the values off the curves", icon=":material/straighten:", key=f"open_read_{key}", on_change="rerun"
    )
    if present:
        box.caption(in_words)
    if box.open:
        with box:
            readout(key, table)
    downloads(key, title, spec, table, result, scenario, arms)


def timecourse(
    key: str,
    title: str,
    table: pd.DataFrame,
    panels: Sequence[str],
    window: pd.DataFrame | None = None,
    result: Result | None = None,
    scenario: Scenario | None = None,
    titled: bool = False,
    **kw: Any,
) -> None:
    """The time-course panels (:func:`ui.drawings.time.timecourse`) with their words and downloads.

    ``window`` is the table offered for download and reading (default ``table``); ``titled`` puts the title
    on the drawing; ``kw`` go to the figure.
    """
    if titled:
        kw["title"] = title
    plot(
        key,
        title,
        timecourse_figure(table, panels, **kw),
        table if window is None else window,
        result,
        scenario,
        focus=[c for p in panels for c in PANEL_COLUMNS.get(p, ()) if c in table],
    )


@st.fragment
def readout(key: str, table: pd.DataFrame) -> None:
    """A cursor on the plot's x axis (at output-step resolution) and the value of every series there."""
    x_name = table.columns[0]
    x = table[x_name].to_numpy()
    numeric = table.select_dtypes("number")
    if x.dtype.kind not in "if" or len(x) < 2 or not np.all(np.diff(x) > 0):
        st.dataframe(table, hide_index=True, width="stretch")  # no common x: every value, scrollable
        return
    step = float(np.min(np.diff(x)))
    k = f"read_{key}"
    if not float(x[0]) <= float(st.session_state.get(k, x[0])) <= float(x[-1]):
        del st.session_state[k]
    at = st.slider(
        f"Cursor at {x_name}", float(x[0]), float(x[-1]), float(x[len(x) // 2]), step=step, key=k, format="%.4g"
    )
    row = numeric.iloc[int(np.abs(x - at).argmin())]
    st.dataframe(
        pd.DataFrame({"series (unit in the name)": row.index, "value": row.to_numpy()}),
        hide_index=True,
        width="stretch",
        column_config={"value": st.column_config.NumberColumn(format="%.4g")},
    )


def more_settings(present: bool) -> Any:
    """Where secondary controls go: in place normally, in a closed expander in presentation mode."""
    return st.expander("More settings", expanded=False) if present else st.container()
