"""Make every page run inside app.py's navigation, even when a link opens a page directly.

Streamlit treats a project with a ``pages/`` folder as a legacy multipage app and, for a fresh
link such as ``/mechanism``, runs the page file without ``app.py``. Each page calls
:func:`via_app` first: if ``app.py`` is not running in this thread, it runs it (which sets up the
page, the sidebar and the navigation, and then runs the requested page) and stops.
"""

from __future__ import annotations

import runpy
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import streamlit as st

APP = Path(__file__).resolve().parents[1] / "app.py"
_local = threading.local()


@contextmanager
def running_app() -> Iterator[None]:
    """Mark this thread's script run as going through app.py."""
    _local.active = True
    try:
        yield
    finally:
        _local.active = False


def via_app() -> None:
    """Run app.py instead of this page if the page was opened directly, then stop."""
    if getattr(_local, "active", False):
        return
    runpy.run_path(str(APP), run_name="__main__")
    st.stop()
