"""Tornado plot of a local sensitivity table (python -m model sensitivity ... --out oat.csv).

Run: .venv/bin/python -m scripts.tornado oat.csv --out tornado.png [--top 12]
The figure carries the table's provenance (version, scenario TOML, creation time) in its metadata.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import pandas as pd  # noqa: E402

from model.export import descriptor_name, figure_metadata, scenario_of  # noqa: E402
from ui.study_plots import tornado  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("table", type=Path)
    ap.add_argument("--out", type=Path, required=True, help=".png, .svg or .pdf")
    ap.add_argument("--top", type=int, default=12)
    args = ap.parse_args()
    desc = json.loads(args.table.with_name(descriptor_name(args.table.name)).read_text(encoding="utf-8"))
    s = scenario_of(desc)
    title = f"Local sensitivity: {s.title}"
    fmt = args.out.suffix.lower().lstrip(".")
    metric = desc.get("title", "metric").removeprefix("sensitivity of ")
    tornado(pd.read_csv(args.table), args.top, title, metric).savefig(
        args.out, format=fmt, metadata=figure_metadata(s, fmt, title=title)
    )
    print(f"{args.out}: tornado of {min(args.top, len(pd.read_csv(args.table)))} parameters")


if __name__ == "__main__":
    main()
