"""Parts every page shares: cached simulation, 'What to notice', predict-then-reveal, plots with downloads."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import json
import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st
from matplotlib.figure import Figure

from model import Scenario, ScenarioError, lessons, parse_scenario, simulate
from model.drugs import Molecule, molecules
from model.export import datapackage, figure_metadata, provenance, result_to_json, table_to_csv
from model.lessons import claims
from model.lessons.claims import Claim
from model.scenario import parse_scenario_bytes, scenario_to_toml
from model.simulation import Result

from . import charts, plots, state, theme
from .text import plain

NOTICE = "Teaching model - not for clinical decisions."
SCREEN_DPI = 110  # ~1100 px wide figures: sharp at full page width, fast to redraw


CACHE_BYTES = 256_000_000  # results kept for every session together, by their size in memory
#: Page scripts running at once in this server; the others wait for their turn. The Python parts of a rerun
#: share one interpreter lock anyway, so this bounds memory and keeps the server answering without slowing a class.
RUNNING = threading.BoundedSemaphore(2)
FRIENDLY = (
    "Something went wrong on this page; it has been logged. Change a setting, reload the page, or open another lesson."
)
log = logging.getLogger("naltrexone.app")


def nbytes(obj: Any) -> int:
    """Approximate memory held by a result: its arrays, tables and the mappings and dataclasses holding them."""
    if isinstance(obj, np.ndarray):
        return obj.nbytes
    if isinstance(obj, (bytes, bytearray)):
        return len(obj)
    if isinstance(obj, (pd.DataFrame, pd.Series)):
        return int(obj.memory_usage(index=True, deep=False).sum()) if isinstance(obj, pd.DataFrame) else obj.nbytes
    if isinstance(obj, Mapping):
        return sum(nbytes(v) for v in obj.values())
    if isinstance(obj, (Scenario, Molecule)):  # small, and molecules are mostly the shared registry's
        return 0
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return sum(nbytes(getattr(obj, f.name)) for f in dataclasses.fields(obj))
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
    """Page title and the two-sentence 'What to notice' (folded away in presentation mode, to keep the plot in view)."""
    st.title(title)
    if state.presentation():
        with st.expander("What to notice"):
            st.markdown(notice)
    else:
        st.info(f"**What to notice.** {notice}")


def lesson(title: str, notice: str) -> bool:
    """The top of every lesson page: its title and 'What to notice'; returns whether presentation mode is on."""
    header(title, notice)
    return state.presentation()


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


def slug(title: str) -> str:
    """A file-name-safe version of a scenario title."""
    s = re.sub(r"[^A-Za-z0-9]+", "_", title).strip("_").lower()
    return s[:80] or "scenario"


@dataclass(frozen=True)
class Fig:
    """A figure to draw: ``draw(*args, **kwargs)`` returns a matplotlib Figure; its bytes are cached on the inputs."""

    draw: Callable[..., Figure]
    args: tuple
    kwargs: Mapping[str, Any]

    @cached_property
    def digest(self) -> str:
        """A hash of the drawing function and every input (tables by content)."""
        h = hashlib.blake2b(digest_size=16)
        h.update(f"{self.draw.__module__}.{self.draw.__qualname__}".encode())
        _feed(h, self.args)
        _feed(h, dict(self.kwargs))
        return h.hexdigest()

    def make(self) -> Figure:
        """Draw the figure."""
        return self.draw(*self.args, **self.kwargs)


def fig(draw: Callable[..., Figure], *args: Any, **kwargs: Any) -> Fig:
    """The figure ``draw(*args, **kwargs)``, drawn only when its inputs have not been drawn before."""
    return Fig(draw, args, kwargs)


def _feed(h: Any, obj: Any) -> None:
    if isinstance(obj, (pd.DataFrame, pd.Series)):
        names = list(obj.columns) if isinstance(obj, pd.DataFrame) else [obj.name]
        h.update(repr((type(obj).__name__, obj.shape, names)).encode())
        try:
            h.update(pd.util.hash_pandas_object(obj, index=True).to_numpy().tobytes())
        except TypeError:  # cells that cannot be hashed (lists): hash their text
            h.update(obj.to_csv().encode())
    elif isinstance(obj, np.ndarray):
        h.update(repr((obj.dtype.str, obj.shape)).encode())
        h.update(np.ascontiguousarray(obj).tobytes())
    elif isinstance(obj, Mapping):
        h.update(b"{")
        for k in sorted(obj, key=repr):
            _feed(h, k)
            _feed(h, obj[k])
        h.update(b"}")
    elif isinstance(obj, (list, tuple)):
        h.update(b"(")
        for x in obj:
            _feed(h, x)
        h.update(b")")
    else:
        h.update(f"{type(obj).__name__}:{obj!r};".encode())


#: Figure bytes shared by every session, keyed on (inputs, format, dpi, layout, provenance), by their size.
FIGURES = ByteCache(96 * 2**20)


def figure_bytes(
    spec: Fig,
    fmt: str,
    dpi: float | None = None,
    narrow: bool = False,
    scenario: Scenario | None = None,
    title: str = "",
    arms: Sequence[Scenario] = (),
) -> bytes:
    """The figure saved as png, svg or pdf (at ``dpi``, else the style's; phone layout if ``narrow``), cached.

    With a ``scenario`` (or the ``arms`` of a sweep or comparison) the file carries the provenance
    (version, scenario TOML, creation time).
    """
    toml = "\n".join(scenario_to_toml(x) for x in ([scenario] if scenario else []) + list(arms))
    stamp = hashlib.blake2b(f"{title}\n{toml}".encode(), digest_size=8).hexdigest() if toml else ""

    def make() -> bytes:
        with theme.narrow_layout(narrow):
            fig = theme.fit_narrow(spec.make()) if narrow else spec.make()
        return fig_bytes(fig, fmt, dpi, scenario, title, arms)

    return FIGURES.get(f"{spec.digest} {fmt} {dpi} {narrow} {stamp}", make)


def fig_bytes(
    fig: Figure,
    fmt: str,
    dpi: float | None = None,
    scenario: Scenario | None = None,
    title: str = "",
    arms: Sequence[Scenario] = (),
) -> bytes:
    """The figure saved as png, svg or pdf, with version, scenario TOML and creation time in its metadata."""
    buf = io.BytesIO()
    fig.savefig(
        buf, format=fmt, dpi=dpi or "figure", metadata=figure_metadata(scenario, fmt, title=title, arms=list(arms))
    )
    return buf.getvalue()


def table_json(table: pd.DataFrame, title: str, scenario: Scenario | None = None, arms: Sequence[Scenario] = ()) -> str:
    """A derived table as JSON with its title, provenance (scenario or arms when there are) and columns."""
    doc = {
        **provenance(scenario, title=title, arms=list(arms)),
        "columns": json.loads(table.to_json(orient="columns", double_precision=10)),
    }
    return json.dumps(doc, indent=1)


def downloads(
    key: str,
    title: str,
    spec: Fig | None,
    table: pd.DataFrame,
    result: Result | None = None,
    scenario: Scenario | None = None,
    arms: Sequence[Scenario] = (),
) -> None:
    """CSV (+ its data-package descriptor), JSON, PNG, SVG and PDF of exactly what is shown, with provenance.

    The provenance is ``scenario`` (else the result's), or ``arms``: every scenario behind a sweep or a
    comparison. Bytes are built only when clicked.
    """
    name = slug(title)
    scenario = scenario if scenario is not None else (result.scenario if result is not None else None)
    arms = list(arms)
    csv = lambda: table_to_csv(table)  # noqa: E731
    desc = lambda: datapackage(table, f"{name}_{key}.csv", scenario, title=title, strict=False, arms=arms)  # noqa: E731
    js = (
        (lambda: result_to_json(result))
        if result is not None and table is result.table
        else (lambda: table_json(table, title, scenario, arms))
    )
    box = st.popover("Download this plot" if spec else "Download this table", icon=":material/download:")
    box.caption(
        f"Exactly what is shown: the numbers (CSV, JSON) and the figure (PNG, SVG, PDF). File names start with {name}."
    )
    narrow = state.narrow()  # the phone layout shapes the downloaded figures (the charts on the page fit any screen)
    figure = lambda fmt: lambda: figure_bytes(spec, fmt, narrow=narrow, scenario=scenario, title=title, arms=arms)  # noqa: E731
    items = [
        ("CSV", csv, "csv", "text/csv"),
        ("CSV descriptor", desc, "datapackage.json", "application/json"),
        ("JSON", js, "json", "application/json"),
        ("PNG", figure("png"), "png", "image/png"),
        ("SVG", figure("svg"), "svg", "image/svg+xml"),
        ("PDF", figure("pdf"), "pdf", "application/pdf"),
    ][: 6 if spec else 3]
    for lab, data, ext, mime in items:
        box.download_button(
            lab,
            data=data,
            file_name=f"{name}_{key}.{ext}",
            mime=mime,
            key=f"dl_{key}_{ext}".replace(".", "_"),
            on_click="ignore",
            icon=":material/download:",
            width="stretch",
            help=f"Download {'the numbers' if ext in ('csv', 'json') else 'the figure'} as {lab} ({name}_{key}.{ext}).",
        )


def plot(
    key: str,
    title: str,
    spec: Fig,
    table: pd.DataFrame,
    result: Result | None = None,
    scenario: Scenario | None = None,
    arms: Sequence[Scenario] = (),
    vega: Sequence[Mapping[str, Any]] = (),
    focus: Sequence[str] = (),
) -> None:
    """Show a figure, keep its data in session_state, offer its downloads (the figure ``spec`` drawn by matplotlib).

    Under the chart, its text alternative: a sentence computed from ``table`` (the ``focus`` columns,
    those drawn, first).

    With ``vega`` (Vega-Lite specs of the same panels) the screen shows those, drawn in the browser
    (values on hover, text that keeps its size on a phone); otherwise the figure's PNG, redrawn only
    when its inputs change.
    """
    state.store_plot_data(key, table)
    st.session_state.setdefault("plot_specs", {})[key] = spec
    for chart in vega:
        st.vega_lite_chart(spec=dict(chart), width="stretch", theme=None)
    if not vega:  # screen resolution: st.pyplot's 200 dpi "tight" PNG costs 3-4x the time
        st.image(figure_bytes(spec, "png", SCREEN_DPI, state.narrow()), width="stretch")
    in_words = f"Chart in words: {plain(stated(claims.describe_chart(key, title, table, tuple(focus))))}."
    if not state.presentation():  # the chart's text alternative, beside it (in the expander on a projector)
        st.caption(in_words)
    with st.expander("Read the values off the curves", icon=":material/straighten:"):
        if state.presentation():
            st.caption(in_words)
        readout(key, table)
    downloads(key, title, spec, table, result, scenario, arms)


def timecourse(
    key: str,
    title: str,
    table: pd.DataFrame,
    present: bool,
    panels: Sequence[str],
    window: pd.DataFrame | None = None,
    result: Result | None = None,
    scenario: Scenario | None = None,
    titled: bool = False,
    **kw: Any,
) -> None:
    """The time-course panels (:func:`ui.plots.timecourse`): in the browser on screen, matplotlib in the downloads.

    ``window`` is the table offered for download and reading (default ``table``); ``titled`` puts the title
    on the drawing; ``kw`` go to both drawings.
    """
    if titled:
        kw["title"] = title
    plot(
        key,
        title,
        fig(plots.timecourse, table, present, panels, **kw),
        table if window is None else window,
        result,
        scenario,
        vega=charts.timecourse(table, present, panels, **kw),
        focus=[c for p in panels for c in PANEL_COLUMNS.get(p, ()) if c in table],
    )


#: The columns each time-course panel draws first (its text alternative describes them first).
PANEL_COLUMNS = {
    "plasma": ("naltrexone_plasma_ng_per_ml", "naltrexol_plasma_ng_per_ml"),
    "occupancy": ("occupancy_antagonist", "occupancy_agonist"),
    "reward": ("reward", "reward_without_naltrexone"),
    "breathing": ("respiratory_drive",),
}


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


def plot_first(present: bool) -> Any:
    """Where a page's plot goes when the controls feeding it come first in the script.

    In presentation mode a container made now, so the plot shows above those controls, in view on a
    1280x720 projector (containers render in the order they are made, whenever they are filled);
    otherwise nothing: the plot stays where it is made.
    """
    return st.container() if present else contextlib.nullcontext()


def more_settings(present: bool) -> Any:
    """Where secondary controls go: in place normally, in a closed expander in presentation mode."""
    return st.expander("More settings", expanded=False) if present else st.container()
