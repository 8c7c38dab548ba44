"""Regenerate tests/golden/<example>.csv from examples/*.toml (run after a deliberate model change)."""

from pathlib import Path

from model import load_scenario, simulate
from model.export import result_to_csv

ROOT = Path(__file__).resolve().parents[1]

if __name__ == "__main__":
    out = ROOT / "tests" / "golden"
    out.mkdir(exist_ok=True)
    for path in sorted((ROOT / "examples").glob("*.toml")):
        (out / f"{path.stem}.csv").write_text(result_to_csv(simulate(load_scenario(path))), encoding="utf-8")
        print(f"wrote {path.stem}.csv")
