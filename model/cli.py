"""Command line: ``python -m model run SCENARIO.toml --out FILE [--format csv|json]``, ``drugs`` and ``columns``.

A CSV gets its data-package descriptor beside it (``<name>.csv`` -> ``<name>.datapackage.json``).

Exit 0 on success; on bad input exit 2 with one line ``error: ...`` on stderr and no traceback.
"""

from __future__ import annotations

import argparse
import os
import stat
import sys
from pathlib import Path

from . import __version__, columns, observed
from .drugs import DRUG_SPECIES, molecules
from .export import datapackage, descriptor_name, now_utc, result_to_csv, result_to_json
from .scenario import ScenarioError, quoted, read_scenario
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
        lines.append(f"{sid}: {m.name} [{m.role}]" + (f" - dose as drug = \"{drug}\", routes: {routes}" if drug else f" - {routes}"))
        for p in m.parameters.values():
            lines.append(f"    {p.name} = {p.value:g} {p.unit}  [{p.tag}; allowed {p.min:g}..{p.max:g}]  {p.source}")
    return "\n".join(lines)


def _write(out: Path, text: str) -> None:
    """Write ``text`` to ``out``, a regular file (a FIFO or device is refused, never waited on)."""
    try:
        if out.exists() and not stat.S_ISREG(out.stat().st_mode):
            raise ScenarioError(f"--out {quoted(out)}: not a regular file")
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NONBLOCK", 0), 0o644)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise ScenarioError(f"--out {quoted(out)}: not a regular file")
            f.write(text)
    except OSError as err:
        raise ScenarioError(f"--out {quoted(out)}: cannot write ({err.strerror})") from None


def main(argv: list[str] | None = None) -> int:
    parser = _Parser(prog="python -m model", description="Naltrexone teaching model.")
    parser.add_argument("--version", action="version", version=__version__)
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="simulate a scenario file")
    run.add_argument("scenario", type=Path)
    run.add_argument("--out", type=Path, required=True, help="output file (CSV or JSON)")
    run.add_argument("--format", choices=("csv", "json"), default=None, help="default: from the --out suffix, else csv")
    run.add_argument("--observed", type=Path, default=None,
                     help="CSV of measurements (time_h, column, value, sd, n, study): print residuals against the run")
    sub.add_parser("drugs", help="list molecules, routes and every parameter with unit and source")
    sub.add_parser("columns", help="list every output column with unit and description")
    try:
        args = parser.parse_args(argv)
        if args.command == "drugs":
            print(_drugs_text())
            return 0
        if args.command == "columns":
            print(columns.listing())
            return 0
        out = args.out
        if out.exists() and args.scenario.exists() and os.path.samefile(out, args.scenario):
            raise ScenarioError(f"--out {quoted(out)}: is the scenario file itself; choose another name")
        obs = observed.read_observed(str(args.observed)) if args.observed is not None else None
        result = simulate(read_scenario(args.scenario))
        res = observed.residuals(result.table, obs) if obs is not None else None
        fmt = args.format or ("json" if out.suffix.lower() == ".json" else "csv")
        created = now_utc()
        if fmt == "json":
            _write(out, result_to_json(result, created))
        else:
            _write(out, result_to_csv(result))
            side = out.with_name(descriptor_name(out.name))
            _write(side, datapackage(result.table, out.name, result.scenario, created))
        blocked = int(result.challenges["blocked"].sum())
        print(f"{quoted(out)}: {len(result.table)} rows; {len(result.challenges)} challenges, {blocked} blocked"
              + (f"; descriptor {quoted(side)}" if fmt != "json" else ""))
        if res is not None:
            print(f"observed: {len(res)} measurements from {quoted(args.observed)} (residual = observed - model)")
            print(observed.summary(res).to_string(index=False, float_format=lambda v: f"{v:.3g}"))
        return 0
    except ScenarioError as err:
        print("error: " + " ".join(str(err).splitlines()), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
