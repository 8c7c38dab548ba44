"""Workbench panels for researchers: own measurements over the run, local sensitivity, the per-person table."""

from __future__ import annotations

import time

import pandas as pd
import streamlit as st

from model import ScenarioError, columns, observed, sensitivity
from model.scenario import scenario_to_toml
from model.simulation import Result

from . import page, state, study_plots

P = "wb_research_"
#: Longest a sensitivity run may take in the app (s), estimated from one run before starting.
MAX_SENSITIVITY_S = 90.0


def _column_help(df: pd.DataFrame) -> dict[str, object]:
    """Tooltips from the column registry for the columns it knows."""
    return {c: st.column_config.Column(help=columns.help_text(c)) for c in df.columns if columns.lookup(c)}


def measurements(result: Result) -> None:
    """Upload a measurements CSV, draw it over the run and show the residuals."""
    st.subheader("Your measurements beside the model")
    st.caption(
        "A CSV with `time_h, column, value, sd, n, study` (optional `citation, location, note`); `column` is "
        "any output column (fractions as 0-1). Examples with citations: `examples/observed/`."
    )
    up = st.file_uploader("Measurements (CSV, at most 1 MB)", type=["csv"], key=P + "obs", max_upload_size=1)
    if up is None:
        return
    try:
        obs = observed.parse_observed(up.getvalue()[: observed.MAX_BYTES + 1])
        res = observed.residuals(result.table, obs)
    except ScenarioError as err:
        st.error(f"These measurements cannot be used: {page.plain(err)}")
        return
    page.plot(
        "observed",
        f"{result.scenario.title} with measurements",
        page.fig(study_plots.observed_overlay, result.table, res, result.scenario.title),
        res,
        scenario=result.scenario,
    )
    summ = observed.summary(res)
    st.markdown("**Residuals** (observed - model) per study and column")
    st.dataframe(summ, hide_index=True, width="stretch")
    state.store_plot_data("observed_summary", summ)


def local_sensitivity(result: Result) -> None:
    """Elasticities of a metric to every parameter, behind a Run button with progress; a tornado plot."""
    st.subheader("Sensitivity: which parameters move the result?")
    s = result.scenario
    days = (
        [int(d) for d in sorted({int(a // 24) + 1 for a in result.challenges.at_h})] if len(result.challenges) else []
    )
    options = ["peak_reward", "lowest_breathing", "days_protected"] + [f"blockade_ratio:{d}" for d in days]
    c1, c2 = st.columns(2)
    metric = c1.selectbox(
        "Metric",
        options,
        key=P + "metric",
        help="blockade_ratio:D = increment ratio of the first agonist dose on day D",
    )
    step = c2.select_slider(
        "Step up and down", [0.01, 0.05, 0.1, 0.2], value=0.1, key=P + "step", format_func=lambda v: f"{v:.0%}"
    )
    if st.button("Run the sensitivity analysis", key=P + "run", icon=":material/play_arrow:"):
        t0 = time.perf_counter()
        n = 1 + 2 * len(sensitivity.varied_parameters(s))  # one run of the scenario, timed
        one = time.perf_counter() - t0
        if one * n > MAX_SENSITIVITY_S:
            st.error(
                f"This scenario needs {n} runs of ~{one:.1f} s: too long here; use "
                "`python -m model sensitivity` on the command line."
            )
            return
        bar = st.progress(0.0, text=f"{n} runs")
        try:
            table = sensitivity.local(s, metric, step, progress=lambda f: bar.progress(f, text=f"{f:.0%} of {n} runs"))
        except ScenarioError as err:
            st.error(str(err))
            return
        st.session_state[P + "table"] = (scenario_to_toml(s), metric, table)
    kept = st.session_state.get(P + "table")
    if kept is None or kept[0] != scenario_to_toml(s):
        return
    _, metric, table = kept
    title = f"Sensitivity of {metric}: {s.title}"
    page.plot("tornado", title, page.fig(study_plots.tornado, table, 12, title, metric), table, scenario=s)


def people(result: Result) -> None:
    """The per-person table of a population run, with its downloads."""
    if result.population is None:
        return
    st.subheader("The simulated people")
    ppl = result.population.people
    st.dataframe(ppl, hide_index=True, width="stretch", column_config=_column_help(ppl))
    state.store_plot_data("people", ppl)
    page.downloads("people", f"{result.scenario.title} people", None, ppl, scenario=result.scenario)


def panel(result: Result) -> None:
    """All research panels under the workbench's plots."""
    st.header("For researchers")
    measurements(result)
    people(result)
    local_sensitivity(result)
