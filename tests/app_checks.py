"""Helpers for AppTest: what a student sees after opening every fold of a page."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def open_folds(at: AppTest) -> AppTest:
    """Open every lazily built fold (value readouts, download menus) as a click would, and rerun."""
    folds = [k for k in at.session_state.keys() if k.startswith("open_")]
    for k in folds:
        at.session_state[k] = True
    if folds:
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at
