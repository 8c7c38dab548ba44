"""Measurements beside the model: a strict, bounded CSV reader and residuals against a run.

The CSV has a header row and one measurement per row:

``time_h, column, value[, sd][, n], study[, citation][, location][, note]``

``column`` names the output column the value matches (``python -m model columns``; fractions
such as occupancy are 0..1, not %); ``sd`` is the standard deviation of the value (same unit),
``n`` the number of people behind it. Input is refused, with a message naming the row and field,
when it is not UTF-8, too large, has unknown or missing header fields, non-finite or negative
numbers, an unregistered column or a time outside the run.
"""

from __future__ import annotations

import csv
import io
import math
import os
import stat

import numpy as np
import pandas as pd

from . import columns
from .scenario import ScenarioError

MAX_BYTES = 1_000_000
MAX_ROWS = 10_000
MAX_TEXT = 500
REQUIRED = ("time_h", "column", "value", "study")
OPTIONAL = ("sd", "n", "citation", "location", "note")
_NUMERIC_LIMIT = 1e12


def _number(row: int, key: str, text: str, *, integer: bool = False) -> float:
    t = text.strip()
    if len(t) > 40:
        raise ScenarioError(f"observed row {row}: {key} is too long to be a number")
    try:
        v = float(t)
    except ValueError:
        raise ScenarioError(f"observed row {row}: {key} = {t[:40]!r} is not a number") from None
    if not math.isfinite(v) or abs(v) > _NUMERIC_LIMIT:
        raise ScenarioError(f"observed row {row}: {key} must be a finite number below 1e12")
    if v < 0:
        raise ScenarioError(f"observed row {row}: {key} must be >= 0")
    if integer and (v != int(v) or v < 1):
        raise ScenarioError(f"observed row {row}: {key} must be a whole number >= 1")
    return v


def parse_observed(data: bytes | str) -> pd.DataFrame:
    """Measurements as a table with time_h, column, value, sd, n, study, citation, location, note."""
    raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    if len(raw) > MAX_BYTES:
        raise ScenarioError(f"observed: the file is larger than {MAX_BYTES:,} bytes")
    if b"\x00" in raw:
        raise ScenarioError("observed: the file contains NUL bytes; it is not a text CSV")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ScenarioError("observed: the file is not UTF-8 text") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # CR-only files count their rows too
    if text.count("\n") > MAX_ROWS + 1:
        raise ScenarioError(f"observed: more than {MAX_ROWS:,} rows")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        rows = list(reader)
    except csv.Error as err:
        raise ScenarioError(f"observed: not a valid CSV ({err})") from None
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        raise ScenarioError("observed: the file is empty; expected a header row " + ",".join(REQUIRED))
    header = [h.strip() for h in rows[0]]
    unknown = [h for h in header if h not in REQUIRED + OPTIONAL]
    if unknown:
        raise ScenarioError(
            f"observed: unknown header field {unknown[0][:40]!r}; allowed: {', '.join(REQUIRED + OPTIONAL)}"
        )
    missing = [h for h in REQUIRED if h not in header]
    if missing or len(set(header)) != len(header):
        raise ScenarioError(
            f"observed: the header needs {', '.join(REQUIRED)} once each"
            + (f" (missing {missing[0]})" if missing else " (a field is repeated)")
        )
    out = []
    for i, r in enumerate(rows[1:], start=2):
        if len(r) != len(header):
            raise ScenarioError(f"observed row {i}: {len(r)} fields, the header has {len(header)}")
        if any(len(c) > MAX_TEXT for c in r):
            raise ScenarioError(f"observed row {i}: a field is longer than {MAX_TEXT} characters")
        cell = dict(zip(header, r))
        col = cell["column"].strip()
        entry = columns.lookup(col)
        if entry is None or entry.table != "curves" or col == "time_h":
            raise ScenarioError(
                f"observed row {i}: column {col[:60]!r} is not an output column (python -m model columns)"
            )
        value = _number(i, "value", cell["value"])
        if value > 1 and columns.is_fraction(col):
            raise ScenarioError(f"observed row {i}: {col} is a fraction 0..1, not percent (value = {value:g})")
        sd = cell.get("sd", "").strip()
        n = cell.get("n", "").strip()
        study = cell["study"].strip()
        if not study:
            raise ScenarioError(f"observed row {i}: study is empty; give a short label")
        out.append(
            {
                "time_h": _number(i, "time_h", cell["time_h"]),
                "column": col,
                "value": value,
                "sd": _number(i, "sd", sd) if sd else np.nan,
                "n": int(_number(i, "n", n, integer=True)) if n else pd.NA,
                "study": study,
                "citation": cell.get("citation", "").strip(),
                "location": cell.get("location", "").strip(),
                "note": cell.get("note", "").strip(),
            }
        )
    if not out:
        raise ScenarioError("observed: no measurements below the header")
    df = pd.DataFrame(out)
    df["n"] = df["n"].astype("Int64")
    return df


def read_observed(path: str) -> pd.DataFrame:
    """Read a measurements CSV from a regular file (size checked before reading)."""
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode):
            raise ScenarioError(f"--observed {path!r}: not a regular file")
        if st.st_size > MAX_BYTES:
            raise ScenarioError(f"observed: the file is larger than {MAX_BYTES:,} bytes")
        with open(path, "rb") as f:
            return parse_observed(f.read(MAX_BYTES + 1))
    except OSError as err:
        raise ScenarioError(f"--observed {path!r}: cannot read ({err.strerror})") from None


def residuals(table: pd.DataFrame, obs: pd.DataFrame) -> pd.DataFrame:
    """Each measurement with the model value at its time (linear interpolation), residual and z = residual / sd."""
    t = table["time_h"].to_numpy(float)
    rows = []
    for i, o in enumerate(obs.itertuples(index=False), start=2):
        if o.column not in table:
            raise ScenarioError(f"observed row {i}: column {o.column!r} is not in this run's output")
        if not t[0] - 1e-9 <= o.time_h <= t[-1] + 1e-9:
            raise ScenarioError(f"observed row {i}: time_h = {o.time_h:g} is outside the run (0..{t[-1]:g} h)")
        y = table[o.column].to_numpy(float)
        ok = np.isfinite(y)
        model = float(np.interp(o.time_h, t[ok], y[ok])) if ok.any() else np.nan
        res = o.value - model
        rows.append({**o._asdict(), "model": model, "residual": res, "z": res / o.sd if o.sd and o.sd > 0 else np.nan})
    return pd.DataFrame(rows)


def summary(res: pd.DataFrame) -> pd.DataFrame:
    """Per study and column: points, mean residual (observed - model), RMSE, largest |z|, share within 2 SD."""
    g = res.groupby(["study", "column"], sort=False)
    return pd.DataFrame(
        {
            "points": g.size(),
            "mean_residual": g["residual"].mean(),
            "rmse": g["residual"].apply(lambda r: float(np.sqrt(np.mean(np.square(r))))),
            "max_abs_z": g["z"].apply(lambda z: float(np.abs(z).max()) if z.notna().any() else np.nan),
            "within_2sd": g["z"].apply(
                lambda z: float((np.abs(z.dropna()) <= 2).mean()) if z.notna().any() else np.nan
            ),
        }
    ).reset_index()
