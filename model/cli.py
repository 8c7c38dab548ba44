"""Command line: ``python -m model run|drugs|columns|sensitivity|gsa|trial|events|fit`` (``--help`` on each).

A CSV gets its data-package descriptor beside it (``<name>.csv`` -> ``<name>.datapackage.json``).

Exit 0 on success; on bad input exit 2 with one line ``error: ...`` on stderr and no traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import stat
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from . import __version__, columns, engine, events, fit, observed, sensitivity, trials
from .drugs import DRUG_SPECIES, molecules
from .export import datapackage, descriptor_name, now_utc, result_to_json, table_to_csv
from .scenario import Scenario, ScenarioError, quoted, read_scenario
from .simulation import simulate


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2 (argparse prints usage otherwise)
        raise ScenarioError(message)


def _drugs_text() -> str:
    lines = []
    by_species = {v: k for k, v in DRUG_SPECIES.items()}
    for sid, m in molecules().items():
        drug = by_species.get(sid)
        routes = ", ".join(m.routes) if m.routes else "(formed in the body)"
        lines.append(
            f"{sid}: {m.name} [{m.role}]"
            + (f' - dose as drug = "{drug}", routes: {routes}' if drug else f" - {routes}")
        )
        for p in m.parameters.values():
            lines.append(f"    {p.name} = {p.value:g} {p.unit}  [{p.tag}; allowed {p.min:g}..{p.max:g}]  {p.source}")
    return "\n".join(lines)


def _write(out: Path, text: str) -> None:
    """Write ``text`` to ``out`` through a temporary file renamed into place (no half file on failure).

    An existing ``out`` that is not a regular file (a FIFO, a device) is refused, never waited on.
    """
    try:
        if out.exists() and not stat.S_ISREG(out.stat().st_mode):
            raise ScenarioError(f"--out {quoted(out)}: not a regular file")
        fd, tmp = tempfile.mkstemp(prefix=f".{out.name[:40]}.", suffix=".part", dir=out.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
                f.write(text)
            os.chmod(tmp, 0o644)
            os.replace(tmp, out)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError as err:
        raise ScenarioError(f"--out {quoted(out)}: cannot write ({err.strerror})") from None


def _table_files(out: Path | None) -> list[Path]:
    """A CSV output and the descriptor written beside it (none for no output)."""
    return [] if out is None else [out, out.with_name(descriptor_name(out.name))]


def _check_outputs(inputs: list[Path], outputs: list[Path]) -> None:
    """Refuse, before anything runs or is written, an output that is an input or another output.

    Paths are compared after following links, so a link to an input is refused too.
    """
    seen: dict[Path, Path] = {i.resolve(): i for i in inputs}
    for out in outputs:
        real = out.resolve()
        if real in seen:
            what = "an input" if seen[real] in inputs else f"another output ({quoted(seen[real])})"
            raise ScenarioError(f"--out {quoted(out)}: is {what}; choose another name")
        seen[real] = out


def _write_table(
    out: Path,
    table: pd.DataFrame,
    scenario: Scenario | None,
    title: str,
    created: str,
    arms: list[Scenario] | None = None,
) -> Path:
    """A table as plain CSV with its data-package descriptor beside it; returns the descriptor's path."""
    _write(out, table_to_csv(table))
    side = out.with_name(descriptor_name(out.name))
    _write(side, datapackage(table, out.name, scenario, created, title, arms=arms))
    return side


def _engine_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--long", action="store_true", help="run a study predicted to need more than 10 min of computing")
    p.add_argument(
        "--workers", type=int, default=None, help="local worker processes (default: one per core; 1: this process)"
    )
    p.add_argument(
        "--scheduler", default=None, help="address of a Dask distributed scheduler, e.g. tcp://10.0.0.5:8786"
    )


def _show(df: pd.DataFrame) -> str:
    """A table for the terminal: 4 significant digits, 'n/a' where a value cannot be computed.

    Text cells (titles, arm names) lose their control characters: a title cannot move the cursor or
    recolour the terminal.
    """
    text = df.copy()
    for col in [c for c in text.columns if not pd.api.types.is_numeric_dtype(text[c])]:
        text[col] = text[col].map(
            lambda v: "".join(c if c.isprintable() else "?" for c in v) if isinstance(v, str) else v
        )
    return text.to_string(index=False, float_format=lambda v: f"{v:.4g}", na_rep="n/a")


def _parser() -> _Parser:
    parser = _Parser(prog="python -m model", description="Naltrexone teaching model.")
    parser.add_argument("--version", action="version", version=__version__)
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="simulate a scenario file")
    run.add_argument("scenario", type=Path)
    run.add_argument("--out", type=Path, required=True, help="output file (CSV or JSON)")
    run.add_argument("--format", choices=("csv", "json"), default=None, help="default: from the --out suffix, else csv")
    run.add_argument(
        "--observed",
        type=Path,
        default=None,
        help="CSV of measurements (time_h, column, value, sd, n, study): print residuals against the run",
    )
    run.add_argument(
        "--people", type=Path, default=None, help="also write the per-person table (needs [options] population)"
    )
    sub.add_parser("drugs", help="list molecules, routes and every parameter with unit and source")
    sub.add_parser("columns", help="list every output column with unit and description")
    sens = sub.add_parser("sensitivity", help="local one-at-a-time elasticities of a metric to every parameter")
    sens.add_argument("scenario", type=Path)
    sens.add_argument(
        "--metric", required=True, help="peak_reward | blockade_ratio:DAY | days_protected | lowest_breathing"
    )
    sens.add_argument("--step", type=float, default=0.1, help="relative step up and down (default 0.1)")
    sens.add_argument("--out", type=Path, default=None, help="CSV of the table (with its descriptor)")
    _engine_args(sens)
    gsa = sub.add_parser("gsa", help="global sensitivity (SALib Morris or Sobol) over model/data/plausible_ranges.toml")
    gsa.add_argument("scenario", type=Path)
    gsa.add_argument("--metric", required=True)
    gsa.add_argument("--method", choices=("morris", "sobol"), default="morris")
    gsa.add_argument("--trajectories", type=int, default=None)
    gsa.add_argument("--levels", type=int, default=None)
    gsa.add_argument("--n", type=int, default=None, help="Sobol base sample size (power of 2)")
    gsa.add_argument("--seed", type=int, default=None)
    gsa.add_argument("--out", type=Path, default=None)
    _engine_args(gsa)
    trial = sub.add_parser(
        "trial", help="virtual trial: arms (scenario files) on simulated people, endpoint with 95%% CI"
    )
    trial.add_argument("arms", type=Path, nargs="+")
    trial.add_argument("--people", type=int, required=True, help="people per arm")
    trial.add_argument(
        "--endpoint", required=True, help="days_protected | blocked_on_day:DAY | peak_reward | lowest_breathing"
    )
    trial.add_argument("--seed", type=int, default=0)
    trial.add_argument("--chunk", type=int, default=trials.CHUNK, help="people per task (at most 100)")
    trial.add_argument("--out", type=Path, default=None)
    _engine_args(trial)
    ft = sub.add_parser("fit", help="least-squares fit of named parameters to measurements (estimates, SE, residuals)")
    ft.add_argument("scenario", type=Path)
    ft.add_argument("--observed", type=Path, required=True, help="CSV of measurements (as for run --observed)")
    ft.add_argument(
        "--parameters", required=True, help="comma-separated species.name, e.g. naltrexone.kd_nm,naltrexone.kp_uu"
    )
    ft.add_argument("--out", type=Path, default=None, help="CSV of the estimates (with its descriptor)")
    ev = sub.add_parser("events", help="NONMEM / nlmixr2 event dataset of a scenario's people")
    ev.add_argument("scenario", type=Path)
    ev.add_argument("--out", type=Path, required=True)
    ev.add_argument("--people", type=int, default=None, help="people (default: [options] population, else 1)")
    return parser


def _run(args: argparse.Namespace) -> None:
    out = args.out
    inputs = [args.scenario] + ([args.observed] if args.observed is not None else [])
    json_out = (args.format or ("json" if out.suffix.lower() == ".json" else "csv")) == "json"
    _check_outputs(inputs, ([out] if json_out else _table_files(out)) + _table_files(args.people))
    obs = observed.read_observed(str(args.observed)) if args.observed is not None else None
    result = simulate(read_scenario(args.scenario))
    if args.people is not None and result.population is None:
        raise ScenarioError("--people: the scenario has no population ([options] population = N)")
    res = observed.residuals(result.table, obs) if obs is not None else None
    created = now_utc()
    if json_out:
        _write(out, result_to_json(result, created))
    else:
        side = _write_table(out, result.table, result.scenario, "", created)
    blocked = result.challenges["blocked"]
    unjudged = int(blocked.isna().sum())
    print(
        f"{quoted(out)}: {len(result.table)} rows; {len(result.challenges)} challenges, {int(blocked.sum())} blocked"
        + (f", {unjudged} not judged (no effect before the run ends)" if unjudged else "")
        + (f"; descriptor {quoted(side)}" if not json_out else "")
    )
    if args.people is not None:
        side = _write_table(args.people, result.population.people, result.scenario, "people", created)
        print(f"{quoted(args.people)}: {len(result.population.people)} people; descriptor {quoted(side)}")
    if res is not None:
        print(f"observed: {len(res)} measurements from {quoted(args.observed)} (residual = observed - model)")
        print(observed.summary(res).to_string(index=False, float_format=lambda v: f"{v:.3g}", na_rep="n/a"))


def _fit(s: Scenario, args: argparse.Namespace) -> None:
    obs = observed.read_observed(str(args.observed))
    names = [n.strip() for n in args.parameters.split(",") if n.strip()]
    f = fit.fit(s, obs, names)
    state = "converged" if f.converged else "stopped"
    print(f"fit of {len(names)} parameter(s) to {len(obs)} measurement(s): {state} after {f.evaluations} steps")
    print(_show(f.estimates))
    if f.estimates["se"].isna().all():
        print("standard errors need more measurements than parameters")
    print("residuals (observed - model):")
    print(_show(f.residuals))
    if args.out is not None:
        side = _write_table(args.out, f.estimates, s, f"fit of {', '.join(names)}", now_utc())
        print(f"{quoted(args.out)}: descriptor {quoted(side)}")


class Progress:
    """A study's progress on stderr once it has run ~2 s: runs done, share and time left.

    On a terminal one line is rewritten in place; otherwise a line is written at each tenth.
    """

    AFTER_S = 2.0

    def __init__(self, what: str, stream: object = None) -> None:
        self.what, self.stream = what, stream or sys.stderr
        self.start = time.monotonic()
        self.shown = -1  # the last tenth written (not on a terminal)
        self.live = bool(getattr(self.stream, "isatty", lambda: False)())
        self.written = False

    def __call__(self, done: int, total: int) -> None:
        spent = time.monotonic() - self.start
        if spent < self.AFTER_S and done < total or total <= 0:
            return
        left = spent / done * (total - done) if done else float("nan")
        line = f"{self.what}: {done:,}/{total:,} runs ({100 * done / total:.0f} %), about {_duration(left)} left"
        if self.live:
            print("\r" + line, end="" if done < total else "\n", file=self.stream, flush=True)
            self.written = True
        elif (tenth := 10 * done // total) > self.shown and (self.written or done < total):
            self.shown = tenth
            print(line, file=self.stream, flush=True)
            self.written = True


def _duration(s: float) -> str:
    """Seconds as '42 s', '3 min' or '1.5 h'."""
    if s != s:
        return "? s"
    return f"{s:.0f} s" if s < 90 else f"{s / 60:.0f} min" if s < 5400 else f"{s / 3600:.1f} h"


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
        with engine.reporting(Progress(args.command)):
            return _command(args)
    except ScenarioError as err:
        print("error: " + " ".join(str(err).splitlines()), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130


def _command(args: argparse.Namespace) -> int:
    """Carry out one parsed command; 0 when done."""
    if args.command == "drugs":
        print(_drugs_text())
        return 0
    if args.command == "columns":
        print(columns.listing())
        return 0
    if args.command == "run":
        _run(args)
        return 0
    out = getattr(args, "out", None)
    if args.command == "trial":
        _check_outputs(args.arms, _table_files(out))
        arms = [read_scenario(a) for a in args.arms]
        t = trials.run_trial(
            arms,
            args.people,
            args.endpoint,
            args.seed,
            args.chunk,
            args.workers,
            args.scheduler,
            allow_long=args.long,
        )
        engine_name = (
            f"dask {args.scheduler}"
            if args.scheduler
            else f"{args.workers or engine.default_workers()} local worker(s)"
        )
        print(_show(t.summary))
        if t.summary.ci95_low.isna().any():
            print("n/a: an interval needs at least two people per arm")
        print(f"{sum(v.size for v in t.values)} runs in {t.seconds:.2f} s on {engine_name}: {t.runs_per_s:.0f} runs/s")
        if out is not None:
            print(
                f"{quoted(out)}: descriptor {quoted(_write_table(out, t.summary, arms[0], f'trial: {args.endpoint}', now_utc(), arms))}"
            )
        return 0
    _check_outputs([args.scenario, *([args.observed] if args.command == "fit" else [])], _table_files(out))
    s = read_scenario(args.scenario)
    if args.command == "fit":
        _fit(s, args)
        return 0
    if args.command == "events":
        s = events.with_people(s, args.people)
        table = events.event_dataset(s)
        side = _write_table(out, table, s, "events", now_utc())
        doses = int((table.EVID == 1).sum())
        print(
            f"{quoted(out)}: {table.ID.nunique()} people, {doses} dose records, {len(table) - doses} observations; "
            f"descriptor {quoted(side)}"
        )
        return 0
    if args.command == "sensitivity":
        table = sensitivity.local(s, args.metric, args.step, args.workers, args.scheduler, allow_long=args.long)
        print(f"local sensitivity of {args.metric} (base {table.metric_base.iloc[0]:.4g}), step +/-{args.step:g}:")
        print(_show(table.drop(columns=["metric_base"])))
        if table.elasticity.isna().any():
            print("n/a: no elasticity where the metric's base value is 0 (a relative change is undefined)")
    else:
        table = sensitivity.global_sensitivity(
            s,
            args.metric,
            args.method,
            args.trajectories,
            args.levels,
            args.n,
            args.seed,
            args.workers,
            args.scheduler,
            allow_long=args.long,
        )
        print(
            f"{args.method} global sensitivity of {args.metric}: {table.attrs['runs']} runs over "
            f"model/data/plausible_ranges.toml"
        )
        print(_show(table))
    if out is not None:
        side = _write_table(out, table, s, f"{args.command} of {args.metric}", now_utc())
        print(f"{quoted(out)}: descriptor {quoted(side)}")
    return 0
