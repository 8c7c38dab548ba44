"""Parts every page shares: cached simulation, 'What to notice', predict-then-reveal, plots with downloads."""

from __future__ import annotations

import dataclasses
import io
import json
import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st
from matplotlib.figure import Figure

from model import Scenario, ScenarioError, lessons, parse_scenario, simulate
from model.drugs import molecules
from model.export import datapackage, figure_metadata, provenance, result_to_json, table_to_csv
from model.scenario import parse_scenario_bytes, scenario_to_toml
from model.simulation import Result

from . import state

NOTICE = "Teaching model - not for clinical decisions."
SCREEN_DPI = 110  # ~1100 px wide figures: sharp at full page width, fast to redraw


CACHE_BYTES = 256_000_000  # results kept for every session together, by their size in memory
#: Page scripts running at once in this server; the others wait for their turn. The Python parts of a rerun
#: share one interpreter lock anyway, so this bounds memory and keeps the server answering without slowing a class.
RUNNING = threading.BoundedSemaphore(2)
FRIENDLY = ("Something went wrong on this page; it has been logged. Change a setting, reload the page, "
            "or open another lesson.")
log = logging.getLogger("naltrexone.app")


def nbytes(obj: Any) -> int:
    """Approximate memory held by a result: its arrays, tables and the mappings and dataclasses holding them."""
    if isinstance(obj, np.ndarray):
        return obj.nbytes
    if isinstance(obj, (pd.DataFrame, pd.Series)):
        return int(obj.memory_usage(index=True, deep=False).sum()) if isinstance(obj, pd.DataFrame) else obj.nbytes
    if isinstance(obj, Mapping):
        return sum(nbytes(v) for v in obj.values())
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return sum(nbytes(getattr(obj, f.name)) for f in dataclasses.fields(obj)) if not isinstance(obj, Scenario) else 0
    return 0


class ByteCache:
    """A thread-safe cache shared by all sessions that drops the least recently used entries beyond ``limit`` bytes."""

    def __init__(self, limit: int) -> None:
        self.limit, self.used = limit, 0
        self._items: OrderedDict[str, tuple[Any, int]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str, make: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key][0]
        value = make()
        size = nbytes(value) + len(key)
        with self._lock:
            if key not in self._items and size <= self.limit:
                self._items[key] = (value, size)
                self.used += size
                while self.used > self.limit:
                    self.used -= self._items.popitem(last=False)[1][1]
        return value


RESULTS = ByteCache(CACHE_BYTES)


def _simulate(toml_text: str, s: Scenario) -> Result:
    """Simulate ``s`` (whose TOML text is ``toml_text``), shared between sessions in :data:`RESULTS`.

    A shared result's arrays are read-only; each caller gets its own (copy-on-write) tables.
    """
    r = RESULTS.get(toml_text, lambda: simulate(s))
    return dataclasses.replace(r, table=r.table.copy(deep=False), challenges=r.challenges.copy(deep=False))


@st.cache_data(max_entries=64, show_spinner=False)
def protection_table(toml_text: str) -> pd.DataFrame:
    """Days protected against 25 mg IV heroin for a regimen scenario (cached on its TOML text)."""
    return lessons.days_protected(_simulate(toml_text, parse_scenario_bytes(toml_text.encode("utf-8"))))


def toml_of(raw: Mapping[str, Any]) -> str:
    """Validated TOML text of a scenario mapping (the cache key of every simulation)."""
    return scenario_to_toml(parse_scenario(dict(raw)))


def run(raw: Mapping[str, Any]) -> Result:
    """Validate a scenario mapping and simulate it (cached on its TOML text)."""
    return run_scenario(parse_scenario(dict(raw)))


def run_scenario(s: Scenario) -> Result:
    """Simulate an already parsed Scenario (cached on its TOML text)."""
    return _simulate(scenario_to_toml(s), s)


def plain(text: Any) -> str:
    """User text for Markdown elements (titles, errors): every Markdown and HTML character escaped."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=\"'])", r"\\\1", " ".join(str(text).split()))


def guarded(body: Callable[[], None]) -> None:
    """Run a page: a scenario error is shown as its one line, anything else as a short message (details logged)."""
    try:
        with RUNNING:
            body()
    except ScenarioError as err:
        st.error(f"This scenario cannot be simulated: {plain(err)}")
    except Exception:  # st.stop and reruns are not Exceptions; they pass
        log.exception("page failed")
        st.error(FRIENDLY, icon=":material/error:")


def try_run(raw: Mapping[str, Any]) -> Result | None:
    """Like :func:`run`, but shows a readable error instead of raising."""
    try:
        return run(raw)
    except ScenarioError as err:
        st.error(f"This scenario cannot be simulated: {plain(err)}")
        return None


def header(title: str, notice: str) -> None:
    """Page title and the two-sentence 'What to notice'."""
    st.title(title)
    st.info(f"**What to notice.** {notice}")


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
                ("Right. " if good else f"Not quite: the answer is **{options[answer]}**. ") + explanation)


def param_help(species: str, name: str) -> str:
    """Tooltip text from a parameter's documented value, unit and source."""
    p = molecules()[species].parameters.get(name)
    if p is None:
        return ""
    return f"{species}.{name} = {p.value:g} {p.unit} ({p.tag}). Source: {p.source}"


def slug(title: str) -> str:
    """A file-name-safe version of a scenario title."""
    s = re.sub(r"[^A-Za-z0-9]+", "_", title).strip("_").lower()
    return s[:80] or "scenario"


def fig_bytes(fig: Figure, fmt: str, scenario: Scenario | None = None, title: str = "") -> bytes:
    """The figure saved as png, svg or pdf, with version, scenario TOML and creation time in its metadata."""
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, metadata=figure_metadata(scenario, fmt, title=title))
    return buf.getvalue()


def table_json(table: pd.DataFrame, title: str, scenario: Scenario | None = None) -> str:
    """A derived table as JSON with its title, provenance (scenario when there is one) and columns."""
    doc = {**provenance(scenario, title=title),
           "columns": json.loads(table.to_json(orient="columns", double_precision=10))}
    return json.dumps(doc, indent=1)


def downloads(key: str, title: str, make_fig: Callable[[], Figure] | None, table: pd.DataFrame,
              result: Result | None = None, scenario: Scenario | None = None) -> None:
    """CSV (+ its data-package descriptor), JSON, PNG, SVG and PDF of exactly what is shown, with provenance."""
    name = slug(title)
    scenario = scenario if scenario is not None else (result.scenario if result is not None else None)
    csv = lambda: table_to_csv(table)  # noqa: E731
    desc = lambda: datapackage(table, f"{name}_{key}.csv", scenario, title=title, strict=False)  # noqa: E731
    js = (lambda: result_to_json(result)) if result is not None and table is result.table else (
        lambda: table_json(table, title, scenario))
    box = st.popover("Download this plot" if make_fig else "Download this table", icon=":material/download:")
    box.caption(f"Exactly what is shown: the numbers (CSV, JSON) and the figure (PNG, SVG, PDF). File names start with {name}.")
    items = [("CSV", csv, "csv", "text/csv"),
             ("CSV descriptor", desc, "datapackage.json", "application/json"), ("JSON", js, "json", "application/json"),
             ("PNG", lambda: fig_bytes(make_fig(), "png", scenario, title), "png", "image/png"),
             ("SVG", lambda: fig_bytes(make_fig(), "svg", scenario, title), "svg", "image/svg+xml"),
             ("PDF", lambda: fig_bytes(make_fig(), "pdf", scenario, title), "pdf", "application/pdf")][: 6 if make_fig else 3]
    for lab, data, ext, mime in items:
        box.download_button(lab, data=data, file_name=f"{name}_{key}.{ext}", mime=mime, key=f"dl_{key}_{ext}".replace(".", "_"),
                            on_click="ignore", icon=":material/download:", width="stretch",
                            help=f"Download {'the numbers' if ext in ('csv', 'json') else 'the figure'} "
                                 f"as {lab} ({name}_{key}.{ext}).")


def plot(key: str, title: str, make_fig: Callable[[], Figure], table: pd.DataFrame,
         result: Result | None = None, scenario: Scenario | None = None) -> None:
    """Draw a figure, keep its data in session_state['plot_data'][key], offer its downloads."""
    state.store_plot_data(key, table)
    fig = make_fig()
    # Rendered here at screen resolution: st.pyplot's 200 dpi "tight" PNG costs 3-4x the time.
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=SCREEN_DPI)
    st.image(buf.getvalue(), width="stretch")
    downloads(key, title, make_fig, table, result, scenario)
