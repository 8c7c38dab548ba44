"""Figures for the pages: drawn by matplotlib once per input (cached by bytes) and offered as downloads."""

from __future__ import annotations

import hashlib
import io
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields, is_dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st
from matplotlib.figure import Figure

from model import Scenario
from model.export import datapackage, figure_metadata, provenance, result_to_json, table_to_csv
from model.scenario import scenario_to_toml
from model.simulation import Result

from . import state, theme
from .runs import ByteCache

SCREEN_DPI = 110  # ~1100 px wide figures: sharp at full page width, fast to redraw


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
    elif is_dataclass(obj) and not isinstance(obj, type):
        h.update(type(obj).__name__.encode())
        _feed(h, {f.name: getattr(obj, f.name) for f in fields(obj)})
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
    box = st.popover(  # its buttons are built only while it is open (opening it reruns the page)
        "Download this plot" if spec else "Download this table",
        icon=":material/download:",
        key=f"open_dl_{key}",
        on_change="rerun",
    )
    if not box.open:
        return
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
