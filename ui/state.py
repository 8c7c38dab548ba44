"""Page state: widget values seeded from the link and kept across pages (see controls.py), presets."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pandas as pd
import streamlit as st

from .controls import Control, write_url  # noqa: F401  (the link and the kept values live there)
from .runs import frame_bytes


def bind(
    key: str,
    default: Any,
    *,
    options: Sequence[Any] | None = None,
    lo: float | None = None,
    hi: float | None = None,
    step: float | None = None,
) -> None:
    """Give widget ``key`` its value: this session's, the link's (snapped), the kept one, or ``default``.

    Call before creating the widget with ``key=key`` and no ``value=``.
    """
    Control(key, default, options=options, lo=lo, hi=hi, step=step).bind()


def presets(
    key: str,
    choices: Mapping[str, Mapping[str, Any]],
    label: str = "Preset",
    help: str | None = None,
    container: Any = None,
) -> None:
    """A select box of named presets; choosing one sets the widgets it names."""

    def apply() -> None:
        values = choices.get(st.session_state[key], {})
        for k, v in values.items():
            st.session_state[k] = v

    names = ["(your own settings)", *choices]
    if container is None and presentation():
        container = st.popover("Presets", icon=":material/tune:")
    (container or st).selectbox(
        label, names, key=key, on_change=apply, help=help or "Loads a ready-made scenario into the controls below."
    )


def presentation() -> bool:
    """Whether presentation mode (large fonts, fewer controls, fixed axes) is on."""
    return bool(st.session_state.get("present", False))


def narrow() -> bool:
    """Whether the phone layout (figures for a narrow screen) is on."""
    return bool(st.session_state.get("narrow", False))


PLOT_DATA_BYTES = 8_000_000  # bigger tables are not kept in a session (every session would hold its own copy)


def store_plot_data(key: str, data: Any) -> None:
    """Keep the data behind a plot where tests can read it (None for tables over PLOT_DATA_BYTES)."""
    small = not isinstance(data, pd.DataFrame) or frame_bytes(data) <= PLOT_DATA_BYTES
    st.session_state.setdefault("plot_data", {})[key] = data if small else None


def once(key: str, fn: Callable[[], Any]) -> Any:
    """Compute ``fn()`` once per session and keep it in session_state."""
    if key not in st.session_state:
        st.session_state[key] = fn()
    return st.session_state[key]
