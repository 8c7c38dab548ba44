"""The mystery opioid page's state: who the student is, their drug's seed, their runs and their answers.

Nothing here is bound to the page link: a class code and a name pick a drug, so a link that carried
them would carry the drug. What the page keeps lives in this session only (a session's runs belong
to one drug; a new drug starts a new list).
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from typing import Any

import pandas as pd
import streamlit as st

from model.lessons import mystery

from . import page
from .drawings import mpl
from .drawings import vega as screen
from .drawings.spec import Figure
from .figures import Fig

P = "mys_"
KEPT = "_mys_kept"  # the class code and name, kept across pages (their widgets' state is not)
RUNS = "_mys_runs"  # {"seed": the drug's seed, "runs": [Run, ...]}
PRACTICE = "_mys_practice_seed"
MARKED = "_mys_marked"  # the seed whose answers were marked
SHOW = P + "show"
MAX_RUNS = 12
MAX_TEXT = 60  # characters of a class code or a name
MAX_STUDENTS = 100  # names in one answer key
#: The element toolbars' own download and copy buttons (tables as CSV, charts as PNG and Vega-Lite), hidden
#: on this page: its charts and tables are read on the page, nothing is carried off it.
NO_DOWNLOADS = """<style>
[data-testid="stElementToolbar"] button[aria-label^="Download"],
[data-testid="stElementToolbar"] button[aria-label^="Copy"] { display: none !important; }
</style>"""


def no_downloads() -> None:
    """Hide the toolbars' download and copy buttons of this page's charts and tables."""
    st.html(NO_DOWNLOADS)


def _text(where: Any, key: str, label: str, help: str, **kw: Any) -> str:
    """A text input kept across pages (not in the link): its value, spaces trimmed."""
    ss = st.session_state
    kept = ss.setdefault(KEPT, {})
    if key not in ss:
        ss[key] = kept.get(key, "")
    value = where.text_input(label, key=key, max_chars=MAX_TEXT, help=help, **kw)
    kept[key] = value
    return " ".join(str(value).split())


def identity(code_where: Any, student_where: Any) -> tuple[str, str]:
    """The class code and the student's name or number (empty for a practice drug)."""
    code = _text(
        code_where,
        P + "code",
        "Class code",
        "The code your lecturer gave the class. Leave it and your name empty for a practice drug.",
        placeholder="e.g. PHARM-2",
    )
    student = _text(
        student_where,
        P + "student",
        "Your name or student number",
        "Written as on the lecturer's list; case and extra spaces do not matter.",
        placeholder="e.g. 2417",
    )
    return code, student


def practice_seed(new: bool = False) -> int:
    """The seed of the session's practice drug (a new one when ``new``)."""
    ss = st.session_state
    if new or PRACTICE not in ss:
        ss[PRACTICE] = secrets.randbits(63)
    return int(ss[PRACTICE])


def runs(seed: int) -> list[mystery.Run]:
    """The runs on the drug of ``seed`` (a list for another drug is dropped)."""
    ss = st.session_state
    kept = ss.get(RUNS)
    if not kept or kept["seed"] != seed:
        ss[RUNS] = kept = {"seed": seed, "runs": []}
        ss.pop(SHOW, None)
    return kept["runs"]


def add_run(seed: int, run: mystery.Run) -> int:
    """Keep ``run`` (the last :data:`MAX_RUNS`); returns its position, or that of the same experiment run before."""
    kept = runs(seed)
    for i, r in enumerate(kept):
        if r.experiment == run.experiment:
            st.session_state[SHOW] = i
            return i
    kept.append(run)
    del kept[:-MAX_RUNS]
    st.session_state[SHOW] = len(kept) - 1
    return len(kept) - 1


def clear_runs(seed: int) -> None:
    runs(seed).clear()
    st.session_state.pop(SHOW, None)


def choose_run(labels: Sequence[str]) -> int:
    """Which run to draw (the newest unless the student picks another)."""
    if not 0 <= st.session_state.get(SHOW, -1) < len(labels):
        st.session_state[SHOW] = len(labels) - 1
    return int(
        st.selectbox(
            "Show run", range(len(labels)), key=SHOW, format_func=lambda i: labels[i], help="Draw another run."
        )
    )


def answers(questions: Sequence[mystery.Question]) -> dict[str, str | None]:
    """The student's answers, one radio per question (nothing chosen at first)."""
    out = {}
    for n, q in enumerate(questions, 1):
        out[q.id] = st.radio(f"**{n}.** {q.text}", q.options, index=None, key=f"{P}answer_{q.id}")
    return out


def marked(seed: int, now: bool = False) -> bool:
    """Whether the answers on the drug of ``seed`` are being marked (``now``: start marking them)."""
    if now:
        st.session_state[MARKED] = seed
    return st.session_state.get(MARKED) == seed


def students(text: str) -> list[str]:
    """Names or numbers, one a line (empty lines dropped; at most :data:`MAX_STUDENTS`)."""
    names = [" ".join(line.split())[:MAX_TEXT] for line in str(text).splitlines()]
    return [n for n in names if n][:MAX_STUDENTS]


def chart(key: str, figure: Figure, present: bool) -> None:
    """Draw ``figure`` in the browser (no downloads: nothing carries the drug off the page).

    The description is also kept where the tests hold every figure of the app to the same checks (the
    screen and file drawings agree, text stays inside and apart), as :func:`ui.page.plot` keeps its own.
    """
    st.session_state.setdefault("plot_specs", {})[key] = Fig(mpl.render, (figure, present), {})
    st.session_state.setdefault("plot_figures", {})[key] = figure
    for spec in screen.render(figure, present):
        st.vega_lite_chart(spec, width="stretch", theme=None)


def runs_table(runs: Sequence[mystery.Run]) -> list[mystery.Measures]:
    """The table of runs (what each measured, numbers first for a phone); returns each run's measures."""
    measured = [mystery.measures(r) for r in runs]
    number = st.column_config.NumberColumn
    st.dataframe(
        pd.DataFrame(
            {
                "run": range(1, len(runs) + 1),
                # rounded as read off a chart: the table goes to the browser as it is
                "peak reward": [round(m.peak_reward, 3) for m in measured],
                "lowest breathing": [round(m.lowest_breathing, 3) for m in measured],
                "peak withdrawal": [round(m.peak_withdrawal, 3) for m in measured],
                "plasma halving time (h)": [round(m.halving_h, 1) for m in measured],
                "experiment": [r.experiment.short for r in runs],
            }
        ),
        hide_index=True,
        width="stretch",
        column_config={
            "peak reward": number(format="%.2f", help="Highest reward after drug X (0-1)."),
            "lowest breathing": number(format="%.2f", help="Lowest breathing after drug X (1 = normal, 0 = none)."),
            "peak withdrawal": number(format="%.2f", help="The model's score of precipitated withdrawal (0-1)."),
            "plasma halving time (h)": number(
                format="%.1f", help="How long drug X's plasma level takes to halve after the last dose."
            ),
        },
    )
    return measured


def _sentence(text: str) -> str:
    return page.plain(text[:1].upper() + text[1:])


def show_marks(marks: Sequence[mystery.Mark]) -> None:
    """The marks: the score, then per question right or not, the answer and the evidence from the student's runs.

    A question not answered yet gives nothing away: only whether the runs already decide it.
    """
    answered = [m for m in marks if m.given is not None]
    rest = len(marks) - len(answered)
    st.markdown(
        f"**{sum(m.right for m in answered)} of your {len(answered)} answers right**"
        + (f" ({rest} not answered yet)." if rest else ".")
    )
    for n, m in enumerate(marks, 1):
        if m.given is None:
            st.info(
                f"**{n}.** Not answered yet. "
                + ("Your runs already decide it." if m.decided else _sentence(m.evidence.text) + ".")
            )
            continue
        said = page.plain(page.stated(m.evidence))
        body = f"Evidence from {said}" if m.decided else _sentence(m.evidence.text)
        head = f"**{n}.** {'Right' if m.right else 'Not right'}: the answer is **{m.answer}**"
        (st.success if m.right else st.warning)(f"{head}. {body}.")


def lecturer_key() -> None:
    """The lecturer's view: the server secret first (compared in constant time), then a class's answer key."""
    entered = st.text_input(
        "Server secret",
        type="password",
        key=P + "lecturer_secret",
        help="The secret this server draws the class drugs with (NALTREXONE_MYSTERY_SECRET, or its secret file).",
    )
    if not entered:
        return
    try:
        secret = mystery.server_secret()
    except (OSError, ValueError) as err:
        st.error(f"The server has no secret: {page.plain(err)}")
        return
    if not mystery.is_secret(entered, secret):
        st.error("That is not this server's secret.")
        return
    code = st.text_input("Class code", key=P + "key_code", max_chars=MAX_TEXT)
    names = students(
        st.text_area(
            "Students, one name or number a line",
            key=P + "key_names",
            help=f"At most {MAX_STUDENTS}, written as the students type them.",
        )
    )
    if code.strip() and names:
        with st.spinner(f"Drawing {len(names)} drugs ..."):
            st.dataframe(mystery.answer_key(code, names, secret), hide_index=True, width="stretch")
