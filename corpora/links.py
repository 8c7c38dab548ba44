"""Hostile link values for every page's URL parameters, run through the real app (AppTest).

Each case opens one page with one hostile value in every one of its link parameters and sorts the
outcome: a *crash* is an exception or the app's "something went wrong" message, a *hang* a run that
does not finish in time, a *refusal* a value the page ignored (its widget kept the default) or
answered with a one-line error, a *valid run* a value the page accepted and drew.
"""

from __future__ import annotations

import base64
import zlib
from collections import Counter
from pathlib import Path

from streamlit.testing.v1 import AppTest

from ui.registry import URLS

ROOT = Path(__file__).resolve().parents[1]  # the project
PAGES = list(URLS)
VALUES = [
    "inf",
    "-inf",
    "nan",
    "NaN",
    "1e400",
    "-1e400",
    "9" * 100_000,
    "9" * 5_000,
    "-" + "9" * 5_000,
    "1e-400",
    "",
    " ",
    "-1",
    "0",
    "-0",
    "1e18",
    "0x1F",
    "1_000",
    "abc",
    "true",
    "\x00",
    "🙂" * 50,
    "24," * 2_000,
    "<img src=https://example.org/x.png>",
    "[click](https://example.org)",
    "$\\frac{1}{0}$",
    "5; DROP TABLE",
]


def _link(toml_text: str) -> str:
    return base64.urlsafe_b64encode(zlib.compress(toml_text.encode("utf-8"), 9)).decode("ascii")


#: Workbench links: scenario files a link can carry (the page decodes, parses and simulates them).
WORKBENCH = [
    _link(
        'duration_h = 17520\noutput_step_h = 0.1752\n[[dose]]\ndrug = "naltrexone"\nroute = "oral"\n'
        "amount_mg = 50\nat_h = [0]\n[options]\npopulation = 5000\n"
    ),
    _link(".".join(['"\\""'] * 40_000) + " = 1\n"),
    _link("duration_h = " + "9" * 5_000 + "\n"),
    _link('title = "![x](https://example.org/x.png) [click](https://example.org)"\nduration_h = 48\n'),
    _link(
        'duration_h = 2000\n[[dose]]\ndrug = "naltrexone"\nroute = "im_xr"\namount_mg = 380\nat_h = [0]\n'
        "[options]\npopulation = 5000\n"
    ),
    _link('duration_h = 48\n[[dose]]\ndrug = "alcohol"\nroute = "oral"\namount_g = 1e-300\nat_h = [1]\n'),
    "A" * 5_000,
    "!!!",
    "",
]


def page_keys(page: str) -> tuple[list[str], dict]:
    """The page's link parameters and their defaults (from a run without a link)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page(f"pages/{page}.py").run()
    defaults = dict(at.session_state["_url_keys"])
    keys = [k for k in defaults if k != "present"]
    return (keys + ["wb_s"] if page == "workbench" else keys), defaults


def run_case(page: str, params: dict[str, str], defaults: dict, timeout: float = 60) -> str:
    """One page opened with ``params`` in its link: 'crash', 'hang', 'refused' or 'valid'."""
    from ui.page import FRIENDLY

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    for k, v in params.items():
        at.query_params[k] = v
    try:
        at.switch_page(f"pages/{page}.py").run()
    except RuntimeError:  # AppTest's timeout
        return "hang"
    if at.exception or any(FRIENDLY in e.value for e in at.error):
        return "crash"
    if at.error or all(at.session_state[k] == defaults[k] for k in params if k in defaults):
        return "refused"
    return "valid"


def fuzz(pages: list[str], values: list[str], workbench_links: list[str]) -> tuple[Counter, list[str]]:
    """Every page with every value in all its link parameters; returns the outcome counts and the failures."""
    counts: Counter = Counter()
    failures = []
    for page in pages:
        keys, defaults = page_keys(page)
        cases = [{k: v for k in keys if k != "wb_s"} for v in values]
        if page == "workbench":
            cases += [{"wb_s": link} for link in workbench_links]
        for params in cases:
            outcome = run_case(page, params, defaults)
            counts[outcome] += 1
            if outcome in ("crash", "hang"):
                failures.append(f"{page}: {outcome} with {next(iter(params.values()))[:40]!r}")
    return counts, failures
