"""The hostile corpus through the real command line, counted: cases, clean refusals, valid runs, crashes, hangs.

Every file in corpora/hostile (and accepted/) plus the big generated ones of corpora/hostile.py
runs as ``python -m model run FILE --out OUT`` in its own process with a time limit. A clean refusal
is exit 2 with one ``error:`` line; a valid run is exit 0 for a file in accepted/; anything else is a
crash, a run past the limit a hang. Prints the slowest case and the largest peak memory. Then every
hostile command line of corpora/commands.py (studies, Dask addresses, events, ``--people``,
``--observed``, sidecars), counted per class: as wanted, or not (and then how), and inputs changed.

Run: .venv/bin/python -m benchmarks.hostile_corpus
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from corpora import commands
from corpora.hostile import ACCEPTED, CORPUS, GENERATED

ROOT = Path(__file__).resolve().parents[1]
CHILD = (
    "import resource, runpy, sys; sys.argv = ['model', *sys.argv[1:]]\n"
    "try:\n    runpy.run_module('model', run_name='__main__')\n"
    "finally:\n    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, file=sys.stdout)"
)
LIMIT_S = 60


def run(path: Path, out: Path) -> tuple[str, float, int]:
    t0 = time.perf_counter()
    try:
        p = subprocess.run(
            [sys.executable, "-c", CHILD, "run", str(path), "--out", str(out)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=LIMIT_S,
        )
    except subprocess.TimeoutExpired:
        return "hang", LIMIT_S, 0
    dt = time.perf_counter() - t0
    mb = int(p.stdout.strip().splitlines()[-1]) if p.stdout.strip() else 0
    lines = p.stderr.splitlines()
    if p.returncode == 2 and len(lines) == 1 and lines[0].startswith("error: ") and path.parent.name != "accepted":
        return "refused", dt, mb
    if p.returncode == 0 and path.parent.name == "accepted":
        return "valid", dt, mb
    return "crash", dt, mb


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        files = [*CORPUS, *ACCEPTED]
        for name, (data, _) in GENERATED.items():
            (Path(tmp) / f"{name}.toml").write_bytes(data)
            files.append(Path(tmp) / f"{name}.toml")
        with ThreadPoolExecutor(2) as pool:
            results = list(pool.map(lambda f: (f, *run(f, Path(tmp) / f"{f.stem}.out.csv")), files))
    counts = Counter(r[1] for r in results)
    slow = max(results, key=lambda r: r[2])
    big = max(results, key=lambda r: r[3])
    print(
        f"hostile corpus through the command line: {len(results)} cases; clean refusals {counts['refused']}, "
        f"valid runs {counts['valid']}, crashes {counts['crash']}, hangs {counts['hang']}"
    )
    print(
        f"slowest case {slow[0].name} {slow[2]:.2f} s (process start included); largest peak RSS {big[0].name} "
        f"{big[3]} MB (interpreter and libraries included)"
    )
    for f, outcome, *_ in results:
        if outcome in ("crash", "hang"):
            print(f"  {outcome}: {f.name}")


def run_commands() -> None:
    """Every command case in its own process; per class: cases, as wanted, inputs changed."""
    per: dict[str, Counter] = {}
    with tempfile.TemporaryDirectory() as tmp:
        files = commands.prepare(Path(tmp))
        for case in commands.CASES:
            before = commands.fingerprint(files)
            try:
                p = subprocess.run(
                    [sys.executable, "-m", "model", *commands.argv(case, files)],
                    cwd=ROOT,
                    capture_output=True,
                    text=True,
                    timeout=LIMIT_S,
                )
                verdict = commands.judge(case, p.returncode, p.stdout, p.stderr)
            except subprocess.TimeoutExpired:
                verdict = "hang"
            tally = per.setdefault(case.klass, Counter())
            tally["cases"] += 1
            tally["as wanted"] += verdict == "ok"
            tally["inputs changed"] += commands.fingerprint(files) != before
            if verdict != "ok":
                print(f"  {case.klass}: {' '.join(case.args)[:80]}: {verdict}")
    print("hostile command lines, per class (cases / as wanted / inputs changed):")
    for klass, t in per.items():
        print(f"  {klass:<11} {t['cases']:>3} / {t['as wanted']:>3} / {t['inputs changed']}")


if __name__ == "__main__":
    main()
    run_commands()
