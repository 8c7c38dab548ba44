"""Hostile command lines for every surface beyond ``model run``, by class, with the outcome each must have.

Each case is ``python -m model ARGS`` with placeholders for files made by :func:`prepare`. A case
wants ``refused`` (exit 2, one ``error:`` line) or ``valid`` (exit 0). Every case, whatever it wants,
must leave every input file as it was, print no traceback, no NaN and no control character.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "heroin_after_naltrexone.toml"
OBSERVED = ROOT / "examples" / "observed" / "rabiner2011_50mg.csv"
OBSERVED_SCENARIO = ROOT / "examples" / "observed" / "rabiner2011_50mg.toml"


@dataclass(frozen=True)
class Case:
    """One command: its class of hostile input, its arguments ({name} = a prepared file) and the outcome wanted."""

    klass: str
    args: tuple[str, ...]
    want: str  # "refused" or "valid"


def _c(klass: str, want: str, *args: str) -> Case:
    return Case(klass, args, want)


STUDY = ("--workers", "1")
CASES: tuple[Case, ...] = (
    # data changed or destroyed: no output may be, or resolve to, an input or another output
    _c("data lost", "refused", "run", "{s}", "--out", "{s}"),
    _c("data lost", "refused", "run", "{side_input}", "--out", "{side_out}"),
    _c("data lost", "refused", "run", "{s}", "--out", "{link_to_s}"),
    _c("data lost", "refused", "run", "{pop}", "--out", "{t}/a.csv", "--people", "{t}/a.csv"),
    _c("data lost", "refused", "run", "{pop}", "--out", "{t}/b.csv", "--people", "{t}/b.datapackage.json"),
    _c("data lost", "refused", "run", "{s}", "--out", "{t}/c.csv", "--observed", "{t}/c.csv"),
    _c(
        "data lost",
        "refused",
        "fit",
        "{obs_s}",
        "--observed",
        "{o}",
        "--parameters",
        "naltrexone.kd_nm",
        "--out",
        "{o}",
    ),
    _c("data lost", "refused", "events", "{s}", "--out", "{s}"),
    _c("data lost", "refused", "sensitivity", "{s}", "--metric", "peak_reward", "--out", "{link_to_s}", *STUDY),
    _c("data lost", "refused", "trial", "{s}", "{s2}", "--people", "2", "--endpoint", "peak_reward", "--out", "{s2}"),
    _c("data lost", "valid", "run", "{s}", "--out", "{t}/fresh.csv"),
    # hangs: addresses that go nowhere, studies past the budget, oversized exports
    _c("hangs", "refused", "sensitivity", "{s}", "--metric", "peak_reward", "--scheduler", "tcp://127.0.0.1:9"),
    _c("hangs", "refused", "trial", "{s}", "--people", "10000000", "--endpoint", "peak_reward"),
    _c("hangs", "refused", "gsa", "{slow}", "--metric", "peak_reward", "--trajectories", "1000", "--levels", "8"),
    _c("hangs", "refused", "sensitivity", "{slow}", "--metric", "peak_reward", "--scheduler", "tcp://[::1]:9"),
    _c("hangs", "refused", "events", "{many_doses}", "--people", "5000", "--out", "{t}/ev.csv"),
    # tracebacks and wrong error types: malformed values of every option
    *(
        _c("tracebacks", "refused", "sensitivity", "{s}", "--metric", "peak_reward", "--scheduler", address)
        for address in (":::", "tcp://", "x:notaport", "inproc://x", "ucx://h:1", "tcp://u:p@h:1", "tcp://h:1\nx")
    ),
    _c("tracebacks", "refused", "sensitivity", "{s}", "--metric", "blockade_ratio:\u00b2", *STUDY),
    _c("tracebacks", "refused", "sensitivity", "{s}", "--metric", "blockade_ratio:" + "9" * 5000, *STUDY),
    _c("tracebacks", "refused", "gsa", "{s}", "--metric", "peak_reward", "--seed", "-1"),
    _c("tracebacks", "refused", "trial", "{s}", "--people", "x", "--endpoint", "peak_reward"),
    _c("tracebacks", "refused", "trial", "{s}", "--people", "1e3", "--endpoint", "peak_reward"),
    _c("tracebacks", "refused", "run", "{t}/missing.toml", "--out", "{t}/m.csv"),
    _c("tracebacks", "refused", "run", "{t}", "--out", "{t}/d.csv"),
    _c("tracebacks", "refused", "fit", "{obs_s}", "--observed", "{o}", "--parameters", "naltrexone.nope"),
    _c("tracebacks", "refused", "fit", "{obs_s}", "--observed", "{o}", "--parameters", ""),
    # accepted nonsense
    _c("nonsense", "refused", "gsa", "{s}", "--metric", "peak_reward", "--levels", "0"),
    _c("nonsense", "refused", "gsa", "{s}", "--metric", "peak_reward", "--trajectories", "0"),
    _c("nonsense", "refused", "gsa", "{s}", "--metric", "peak_reward", "--method", "sobol", "--n", "0"),
    _c("nonsense", "refused", "sensitivity", "{s}", "--metric", "blockade_ratio:1", *STUDY),
    _c("nonsense", "refused", "sensitivity", "{s}", "--metric", "blockade_ratio:\uff12", *STUDY),
    _c("nonsense", "refused", "sensitivity", "{s}", "--metric", "peak_reward", "--step", "0", *STUDY),
    _c("nonsense", "refused", "trial", "{s}", "--people", "0", "--endpoint", "peak_reward"),
    _c("nonsense", "refused", "trial", "{s}", "--people", "3", "--endpoint", "blocked_on_day:99"),
    _c("nonsense", "refused", "run", "{s}", "--out", "{t}/p.csv", "--observed", "{percent}"),
    _c("nonsense", "refused", "run", "{s}", "--out", "{t}/q.csv", "--observed", "{cr_only}"),
    _c("nonsense", "refused", "run", "{s}", "--out", "{t}/r.csv", "--people", "{t}/r_people.csv"),
    # NaN shown to a person: intervals and ratios that cannot be computed say so in words
    _c("no NaN", "valid", "trial", "{s}", "--people", "1", "--endpoint", "peak_reward", "--workers", "1"),
    _c("no NaN", "valid", "trial", "{s}", "--people", "4", "--endpoint", "blocked_on_day:2", "--workers", "1"),
    _c("no NaN", "valid", "sensitivity", "{s}", "--metric", "days_protected", *STUDY),
    _c("no NaN", "valid", "run", "{obs_s}", "--out", "{t}/res.csv", "--observed", "{o}"),
    # injection: titles that a spreadsheet would run, terminal escapes, Markdown
    _c("injection", "valid", "run", "{formula}", "--out", "{t}/formula.csv"),
    _c("injection", "valid", "events", "{formula}", "--out", "{t}/formula_events.csv"),
    _c("injection", "valid", "trial", "{formula}", "--people", "2", "--endpoint", "peak_reward", "--workers", "1"),
    # the events export: each drug's doses in its own compartments, codes beside names
    _c("events", "valid", "events", "{s}", "--people", "3", "--out", "{t}/events.csv"),
    _c("events", "valid", "events", "{pop}", "--out", "{t}/events_pop.csv"),
    _c("events", "refused", "events", "{s}", "--people", "-1", "--out", "{t}/events_neg.csv"),
)


def prepare(tmp: Path) -> dict[str, str]:
    """Make the files the cases name in ``tmp``; returns the placeholder values."""
    s = (tmp / "scenario.toml").resolve()
    s.write_bytes(EXAMPLE.read_bytes())
    s2 = tmp / "scenario_b.toml"
    s2.write_bytes(EXAMPLE.read_bytes().replace(b"title = ", b"title = 'B' #", 1))
    link = tmp / "link_to_scenario.csv"
    if not link.exists():
        os.symlink(s, link)
    side_input = tmp / "curves.datapackage.json"  # a scenario whose name is another output's sidecar
    side_input.write_bytes(EXAMPLE.read_bytes())
    pop = tmp / "population.toml"
    pop.write_text(EXAMPLE.read_text(encoding="utf-8") + "\n[options]\npopulation = 5\n", encoding="utf-8")
    obs = tmp / "observed.csv"
    obs.write_bytes(OBSERVED.read_bytes())
    obs_s = tmp / "observed_scenario.toml"
    obs_s.write_bytes(OBSERVED_SCENARIO.read_bytes())
    percent = tmp / "percent.csv"
    percent.write_text("time_h,column,value,study\n3,occupancy_antagonist,75,PET\n", encoding="utf-8")
    cr_only = tmp / "cr_only.csv"
    cr_only.write_text("time_h,column,value,study\r" + "1,reward,0.1,x\r" * 60_000, encoding="utf-8", newline="")
    formula = tmp / "formula.toml"
    formula.write_text(
        'title = "=HYPERLINK(\\"http://example.invalid\\") \\u001b[31m[x](http://example.invalid)"\n'
        'duration_h = 24\n[[dose]]\ndrug = "heroin"\nroute = "iv"\namount_mg = 10\nat_h = [1]\n',
        encoding="utf-8",
    )
    slow = tmp / "slow.toml"  # ~0.11 s a run: 1,000 Morris trajectories would take ~20 min
    slow.write_text(
        'title = "slow"\nduration_h = 1440\noutput_step_h = 0.05\n'
        '[[dose]]\ndrug = "naltrexone"\nroute = "oral"\namount_mg = 50\nevery_h = 24\ncount = 60\n'
        '[[dose]]\ndrug = "heroin"\nroute = "iv"\namount_mg = 25\nevery_h = 24\ncount = 59\nstart_h = 20\n',
        encoding="utf-8",
    )
    many = tmp / "many_doses.toml"
    many.write_text(
        'title = "many"\nduration_h = 17000\noutput_step_h = 24\n[[dose]]\ndrug = "naltrexone"\nroute = "oral"\n'
        "amount_mg = 50\nevery_h = 4\ncount = 4000\n",
        encoding="utf-8",
    )
    return {
        "s": str(s),
        "s2": str(s2),
        "link_to_s": str(link),
        "side_input": str(side_input),
        "side_out": str(tmp / "curves.csv"),
        "pop": str(pop),
        "o": str(obs),
        "obs_s": str(obs_s),
        "percent": str(percent),
        "cr_only": str(cr_only),
        "formula": str(formula),
        "many_doses": str(many),
        "slow": str(slow),
        "t": str(tmp),
    }


def argv(case: Case, files: dict[str, str]) -> list[str]:
    """The case's arguments with its placeholders filled in."""
    return [a.format(**files) for a in case.args]


def fingerprint(files: dict[str, str]) -> dict[str, str]:
    """A hash of every prepared input, to check that no case changed one."""
    out = {}
    for key, path in files.items():
        p = Path(path)
        if key != "t" and p.is_file():
            out[key] = hashlib.blake2b(p.read_bytes(), digest_size=16).hexdigest()
    return out


BAD_OUTPUT = re.compile(r"Traceback|\bnan\b|site-packages|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", re.IGNORECASE)


def judge(case: Case, code: int, out: str, err: str) -> str:
    """'ok' when the case ended as wanted with clean output, else what went wrong."""
    lines = [line for line in err.splitlines() if line.strip() and not re.match(r"^\w+: [\d,]+/[\d,]+ runs", line)]
    if BAD_OUTPUT.search(out.replace("\r", "")) or BAD_OUTPUT.search(err.replace("\r", "")):
        return "unclean output"
    if case.want == "refused":
        return "ok" if code == 2 and len(lines) == 1 and lines[0].startswith("error: ") else f"not refused ({code})"
    return "ok" if code == 0 and not lines else f"failed ({code}): {err.strip()[:120]}"
