"""Time and memory to refuse every hostile scenario file (the corpus in corpora/hostile and generated ones).

Run: .venv/bin/python -m benchmarks.hostile_parse
Prints the slowest files and the worst peak allocation; the goal is < 1 s and < 200 MB per file.
"""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

from model import ScenarioError
from model.scenario import parse_scenario_bytes

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "hostile"


def main() -> None:
    from corpora.hostile import GENERATED

    rows = []
    files = [
        *((p.stem, p.read_bytes()) for p in sorted(CORPUS.glob("*.toml"))),
        *((k, v[0]) for k, v in GENERATED.items()),
    ]
    for name, data in files:
        t0 = time.perf_counter()
        try:
            parse_scenario_bytes(data)
            refused = False
        except ScenarioError:
            refused = True
        dt = time.perf_counter() - t0
        tracemalloc.start()
        try:
            parse_scenario_bytes(data)
        except ScenarioError:
            pass
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
        rows.append((dt, peak, name, refused))
    rows.sort(reverse=True)
    for dt, peak, name, refused in rows[:5]:
        print(f"{name:40s} {1000 * dt:8.1f} ms  peak {peak:7.1f} MB  {'refused' if refused else 'ACCEPTED'}")
    print(
        f"{len(rows)} files: slowest {1000 * rows[0][0]:.1f} ms, worst peak {max(r[1] for r in rows):.1f} MB; "
        f"refused {sum(r[3] for r in rows)}; goal < 1000 ms and < 200 MB each"
    )


if __name__ == "__main__":
    main()
