"""Exports of a result: CSV (units in column names) with a data-package descriptor, and JSON.

Every export carries its provenance: program version, the scenario TOML that reproduces it
(overrides, seed and population size included) and its creation time (UTC, ISO 8601).
"""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime
from typing import Any

import pandas as pd

from . import columns
from .drugs import response_parameters
from .scenario import Scenario, scenario_to_dict, scenario_to_toml
from .simulation import Result


def result_to_csv(r: Result) -> str:
    """The output table as CSV text; every column name carries its unit."""
    return table_to_csv(r.table)


def used_parameters(r: Result) -> dict[str, dict[str, dict[str, Any]]]:
    """Every parameter of every molecule in the result, with unit, tag and source."""
    species = set(r.curves.plasma_ng_per_ml) | set(r.curves.ligands)
    if r.curves.ethanol_blood_mg_per_dl.any():
        species |= {"ethanol", "endorphin"}
    out = {
        s: {
            p.name: {"value": p.value, "unit": p.unit, "tag": p.tag, "source": p.source}
            for p in r.molecules[s].parameters.values()
        }
        for s in sorted(species)
    }
    out["response"] = {
        p.name: {"value": p.value, "unit": p.unit, "tag": p.tag, "source": p.source}
        for p in response_parameters().values()
    }
    return out


def _clean(v: Any) -> Any:
    return None if isinstance(v, float) and not math.isfinite(v) else v


PROGRAM = "naltrexone-teaching-model"


def now_utc() -> str:
    """Current time, UTC, ISO 8601 to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def provenance(
    s: Scenario | None, created: str | None = None, title: str = "", arms: list[Scenario] | None = None
) -> dict[str, Any]:
    """Program, version, creation time and the scenario (TOML, seed, population) behind an export.

    ``arms``: every scenario of a study (trial arms, a sweep), each as TOML in ``arms_toml``.
    """
    from . import __version__

    doc: dict[str, Any] = {"program": PROGRAM, "version": __version__, "created": created or now_utc()}
    if title:
        doc["title"] = title
    if s is not None:
        doc.update(scenario_toml=scenario_to_toml(s), seed=s.options.seed, population=s.options.population)
    if arms:
        doc["arms_toml"] = [scenario_to_toml(a) for a in arms]
    return doc


def figure_metadata(
    s: Scenario | None, fmt: str, created: str | None = None, title: str = "", arms: list[Scenario] | None = None
) -> dict[str, str]:
    """Provenance as matplotlib ``savefig(metadata=...)`` for png, svg or pdf (read back by :func:`scenario_of`)."""
    p = provenance(s, created, title, arms)
    text = json.dumps(p, indent=None)
    creator = f"{PROGRAM} {p['version']}"
    if fmt == "png":
        return {"Software": creator, "Title": title, "Creation Time": p["created"], "Description": text}
    if fmt == "svg":
        return {"Creator": creator, "Title": title, "Date": p["created"], "Description": text}
    if fmt == "pdf":
        return {"Creator": creator, "Title": title, "Subject": text}
    raise ValueError(f"figure format {fmt!r}: use png, svg or pdf")


def _dtype(s: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(s):
        return "boolean"
    if pd.api.types.is_integer_dtype(s):
        return "integer"
    return "number" if pd.api.types.is_numeric_dtype(s) else "string"


def descriptor_name(csv_name: str) -> str:
    """Sidecar name of a CSV: ``<name>.csv`` -> ``<name>.datapackage.json`` (unique per CSV in a folder)."""
    return (csv_name[:-4] if csv_name.lower().endswith(".csv") else csv_name) + ".datapackage.json"


def datapackage(
    table: pd.DataFrame,
    csv_name: str,
    s: Scenario | None,
    created: str | None = None,
    title: str = "",
    strict: bool = True,
    arms: list[Scenario] | None = None,
) -> str:
    """Frictionless data-package descriptor (Table Schema with unit and description per column) for one CSV.

    ``strict``: every column must be in :mod:`model.columns`; otherwise unregistered columns (derived tables
    of the app) get the unit and description their name states.
    """
    stem = descriptor_name(csv_name).removesuffix(".datapackage.json")
    name = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in stem.lower()) or "table"
    prov = provenance(s, created, title, arms)
    doc = {
        "profile": "tabular-data-package",
        "name": name,
        "title": title or (s.title if s is not None else name),
        "created": prov["created"],
        "version": prov["version"],
        "resources": [
            {
                "name": name,
                "path": csv_name,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {
                    "fields": [columns.field(c, _dtype(table[c]), strict) for c in table.columns],
                    "missingValues": [""],
                },
            }
        ],
        "provenance": prov,
    }
    return json.dumps(doc, indent=1)


#: A text cell starting with one of these is read by spreadsheets as a formula (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """A text cell that a spreadsheet would run as a formula, prefixed with ' (numbers are left alone)."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_START) else value


def table_to_csv(table: pd.DataFrame) -> str:
    """Any table as plain CSV text (6 significant digits, empty cells for missing values, no formulas)."""
    text = table.select_dtypes(include=["object", "string"]).columns
    safe = table.assign(**{c: table[c].map(spreadsheet_safe) for c in text}) if len(text) else table
    return safe.to_csv(index=False, float_format="%.6g", lineterminator="\n")


def scenario_of(doc: dict[str, Any]) -> Scenario:
    """The scenario recorded in an export's provenance (JSON export, descriptor or figure metadata)."""
    from .scenario import loads_scenario

    prov = doc.get("provenance", doc)
    return loads_scenario(prov["scenario_toml"])


def result_to_json(r: Result, created: str | None = None) -> str:
    """Curves, challenges, the scenario (as mapping and TOML), parameters, version and creation time."""
    doc = {
        **provenance(r.scenario, created),
        "scenario": scenario_to_dict(r.scenario),
        "columns": {c: [_clean(float(x)) for x in r.table[c]] for c in r.table.columns},
        "units": {c: columns.unit_of(c) for c in r.table.columns},
        "challenges": [
            {k: _clean(v.item() if hasattr(v, "item") else v) for k, v in row.items()}
            for row in r.challenges.to_dict("records")
        ],
        "parameters": used_parameters(r),
    }
    return json.dumps(doc, indent=1, allow_nan=False)
