"""The controls layer: each control declared once (label, bounds or options, default, help, link key).

A :class:`Control` is bound to the page link (``?key=value``) and kept across pages within a session.
A link value outside a control's range or between its options snaps to the nearest allowed value;
an unreadable or non-finite one falls back to the default; both are reported on the page.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from .text import plain

URL_KEYS = "_url_keys"
KEPT = "_kept"
NOTES = "_link_notes"
MODES = ("present", "narrow")  # app-wide controls written to every page's link


@dataclass(frozen=True)
class Control:
    """One control: widget kind, link key (= widget key), default and allowed values.

    ``kind`` is "slider", "select_slider", "selectbox", "radio", "multiselect", "toggle", "number" or "text";
    sliders and number inputs take ``lo``, ``hi`` and ``step``; the others take ``options``. A multiselect's
    value is a list (its link lists the picks separated by commas).
    """

    key: str
    default: Any
    label: str = ""
    kind: str = "slider"
    lo: float | None = None
    hi: float | None = None
    step: float | None = None
    options: Sequence[Any] | None = None
    help: str | None = None
    format_func: Callable[[Any], str] | None = field(default=None, compare=False)

    def snap(self, value: Any) -> Any:
        """The nearest allowed value to ``value`` (of the default's type)."""
        if self.options is not None:
            opts = list(self.options)
            if isinstance(self.default, list):
                picks = [o for o in opts if o in list(value)]
                return picks or list(self.default)
            for o in opts:
                if o == value and type(o) is not bool:
                    return o
            if (
                isinstance(value, (int, float))
                and not isinstance(value, bool)
                and all(isinstance(o, (int, float)) for o in opts)
            ):
                return min(opts, key=lambda o: abs(o - value))
            return self.default
        if isinstance(self.default, (bool, str)):
            return value
        v = float(value)
        if self.lo is not None:
            v = max(v, self.lo)
        if self.hi is not None:
            v = min(v, self.hi)
        if self.step:
            base = self.lo if self.lo is not None else 0.0
            v = base + math.floor((v - base) / self.step + 0.5) * self.step
            if self.hi is not None and v > self.hi + 1e-9:
                v -= self.step
            v = round(v, 10)
        return type(self.default)(v) if isinstance(self.default, int) else float(v)

    def parse(self, text: str) -> tuple[Any, str | None]:
        """The value a link's ``text`` stands for, and a note when it was changed."""
        try:
            value = _cast(text, self.default, self.options)
        except (ValueError, OverflowError):
            return self.default, f"could not be read; the default {_fmt(self.default)} is used"
        snapped = self.snap(value)
        if snapped != value and isinstance(self.default, list):
            return snapped, f"lists values that are not offered; {_fmt(snapped)} is used"
        if snapped != value:
            return snapped, f"is not an allowed value; the nearest, {_fmt(snapped)}, is used"
        return snapped, None

    def bind(self) -> None:
        """Seed the widget's value: this session's value, else the link's, else the kept one, else the default."""
        ss = st.session_state
        ss.setdefault(URL_KEYS, {})[self.key] = self.default
        kept = ss.setdefault(KEPT, {})
        if self.key not in ss:
            value = kept.get(self.key, self.default)
            text = st.query_params.get(self.key)
            if text is not None:
                value, note = self.parse(text)
                if note:
                    ss.setdefault(NOTES, {})[self.key] = (value, plain(f"Link value {self.key}={text!r} {note}."))
            ss[self.key] = value
        kept[self.key] = ss[self.key]

    def widget(self, where: Any = None, label: str | None = None, **kw: Any) -> Any:
        """Draw the control (bound first) in ``where`` (a container or column); returns its value."""
        self.bind()
        w = where or st
        args = {"key": self.key, "help": kw.pop("help", self.help), **kw}
        text = self.label if label is None else label
        if self.format_func is not None:
            args["format_func"] = self.format_func
        if self.kind == "slider":
            return w.slider(text, self.lo, self.hi, step=self.step, **args)
        if self.kind == "number":
            return w.number_input(text, self.lo, self.hi, step=self.step, **args)
        if self.kind == "select_slider":
            return w.select_slider(text, list(self.options or []), **args)
        if self.kind == "selectbox":
            return w.selectbox(text, list(self.options or []), **args)
        if self.kind == "radio":
            return w.radio(text, list(self.options or []), **args)
        if self.kind == "multiselect":
            return w.multiselect(text, list(self.options or []), **args)
        if self.kind == "toggle":
            return w.toggle(text, **args)
        if self.kind == "text":
            return w.text_input(text, **args)
        raise ValueError(f"unknown control kind {self.kind!r}")

    @property
    def value(self) -> Any:
        """The control's current value."""
        return st.session_state[self.key]

    def set(self, value: Any) -> None:
        """Set the control's value (before its widget is drawn in this run), snapped to what it allows."""
        st.session_state[self.key] = self.snap(value)


MAX_TEXT = 200  # characters of a link value; longer ones are refused


def _cast(text: str, default: Any, options: Sequence[Any] | None = None) -> Any:
    if len(text) > MAX_TEXT:
        raise ValueError("too long")
    if isinstance(default, list):
        return [_cast(t, default[0], options) for t in text.split(",") if t.strip()]
    if isinstance(default, bool):
        t = text.strip().lower()
        if t in ("1", "true", "yes", "on"):
            return True
        if t in ("0", "false", "no", "off"):
            return False
        raise ValueError(text)
    if isinstance(default, (int, float)):
        v = float(text)
        if not math.isfinite(v):
            raise ValueError(text)
        if isinstance(default, int) and options is None and v == int(v):
            return int(v)
        return v
    return text


def _fmt(value: Any) -> str:
    if isinstance(value, list):
        return ",".join(map(_fmt, value))
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def bind_all(*controls: Control) -> None:
    """Bind several controls (before any of them is drawn, so presets and callbacks can set them)."""
    for c in controls:
        c.bind()


def link_notes(prefix: str) -> None:
    """Say which link values of this page were snapped or replaced (until the control is changed)."""
    notes = st.session_state.get(NOTES, {})
    for k in [k for k in notes if st.session_state.get(k, notes[k][0]) != notes[k][0]]:
        del notes[k]
    mine = [notes[k][1] for k in sorted(notes) if k.startswith(prefix) or k in MODES]
    if mine:
        st.warning(" ".join(mine), icon=":material/link:")


def write_url(prefix: str, extra: Mapping[str, str] | None = None) -> None:
    """Write this page's bound values (keys starting with ``prefix``), the mode and ``extra`` to the link."""
    ss = st.session_state
    keys = {k for k in ss.get(URL_KEYS, {}) if k.startswith(prefix) or k in MODES}
    kept = ss.setdefault(KEPT, {})
    wanted = {}
    for k in sorted(keys):
        if k in ss:
            kept[k] = ss[k]
            wanted[k] = _fmt(ss[k])
    wanted.update(extra or {})
    link_notes(prefix)
    if dict(st.query_params) != wanted:
        st.query_params.from_dict(wanted)
