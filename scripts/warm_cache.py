"""Compile every numba kernel the app and the command line use, into numba's on-disk cache.

Runs each example scenario alone and as a small population (single runs, counterfactuals,
alcohol, every route kind and the population paths), so that the first student or researcher
does not wait for the compiler. Run after installing or changing the model:

    .venv/bin/python -m scripts.warm_cache
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

from model import simulate
from model.population import simulate_population
from model.scenario import read_scenario

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    t0 = time.perf_counter()
    for path in sorted((ROOT / "examples").glob("*.toml")):
        s = read_scenario(path)
        simulate(replace(s, options=replace(s.options, population=0)))
        simulate_population(s, 3)
    print(f"compiled kernels are cached ({time.perf_counter() - t0:.1f} s)")


if __name__ == "__main__":
    main()
