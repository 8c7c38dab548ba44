"""Page state: widget values seeded from the URL (st.query_params) and written back, presets."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import streamlit as st

URL_KEYS = "_url_keys"


MAX_TEXT = 200  # characters of a link value; longer ones are ignored


def _cast(text: str, default: Any) -> Any:
    """A link value as the type of ``default``; ValueError if it is not a finite value of that type."""
    if len(text) > MAX_TEXT:
        raise ValueError("too long")
    if isinstance(default, bool):
        return text.lower() in ("1", "true", "yes", "on")
    if isinstance(default, str):
        return text
    value = float(text)
    if not math.isfinite(value):
        raise ValueError("not finite")
    return int(value) if isinstance(default, int) else value


def _fmt(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def bind(key: str, default: Any, *, options: Sequence[Any] | None = None,
         lo: float | None = None, hi: float | None = None) -> None:
    """Give widget ``key`` its first value from the URL (if valid) or ``default``; mark it for the URL.

    Call before creating the widget with ``key=key`` and no ``value=``.
    """
    st.session_state.setdefault(URL_KEYS, {})[key] = default
    if key in st.session_state:
        return
    value = default
    text = st.query_params.get(key)
    if text is not None:
        try:
            value = _cast(text, default)
        except ValueError:
            value = default
        if options is not None and value not in options:
            value = default
        if lo is not None and hi is not None and not isinstance(value, (bool, str)):
            value = type(default)(min(max(value, lo), hi))
    st.session_state[key] = value


def write_url(prefix: str) -> None:
    """Write this page's bound widget values (keys starting with ``prefix``) and the mode to the URL."""
    keys = {k for k in st.session_state.get(URL_KEYS, {}) if k.startswith(prefix) or k == "present"}
    wanted = {k: _fmt(st.session_state[k]) for k in sorted(keys) if k in st.session_state}
    if dict(st.query_params) != wanted:
        st.query_params.from_dict(wanted)


def presets(key: str, choices: Mapping[str, Mapping[str, Any]], label: str = "Preset",
            help: str | None = None, container: Any = None) -> None:
    """A select box of named presets; choosing one sets the widgets it names."""

    def apply() -> None:
        values = choices.get(st.session_state[key], {})
        for k, v in values.items():
            st.session_state[k] = v

    names = ["(your own settings)", *choices]
    (container or st).selectbox(label, names, key=key, on_change=apply,
                                help=help or "Loads a ready-made scenario into the controls below.")


def presentation() -> bool:
    """Whether presentation mode (large fonts, fewer controls, fixed axes) is on."""
    return bool(st.session_state.get("present", False))


PLOT_DATA_BYTES = 8_000_000  # bigger tables are not kept in a session (every session would hold its own copy)


def store_plot_data(key: str, data: Any) -> None:
    """Keep the data behind a plot where tests can read it (None for tables over PLOT_DATA_BYTES)."""
    usage = getattr(data, "memory_usage", None)
    small = usage is None or int(usage(index=True, deep=False).sum()) <= PLOT_DATA_BYTES
    st.session_state.setdefault("plot_data", {})[key] = data if small else None


def once(key: str, fn: Callable[[], Any]) -> Any:
    """Compute ``fn()`` once per session and keep it in session_state."""
    if key not in st.session_state:
        st.session_state[key] = fn()
    return st.session_state[key]
