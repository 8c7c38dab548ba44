"""Exports of a result: CSV (units in column names) and JSON (curves, scenario, parameters, version)."""

from __future__ import annotations

import json
import math
from typing import Any

from .drugs import response_parameters
from .scenario import scenario_to_dict, scenario_to_toml
from .simulation import Result


def result_to_csv(r: Result) -> str:
    """The output table as CSV text; every column name carries its unit."""
    return r.table.to_csv(index=False, float_format="%.6g", lineterminator="\n")


def used_parameters(r: Result) -> dict[str, dict[str, dict[str, Any]]]:
    """Every parameter of every molecule in the result, with unit, tag and source."""
    species = set(r.curves.plasma_ng_per_ml) | set(r.curves.ligands)
    if r.curves.ethanol_blood_mg_per_dl.any():
        species |= {"ethanol", "endorphin"}
    out = {
        s: {p.name: {"value": p.value, "unit": p.unit, "tag": p.tag, "source": p.source}
            for p in r.molecules[s].parameters.values()}
        for s in sorted(species)
    }
    out["response"] = {p.name: {"value": p.value, "unit": p.unit, "tag": p.tag, "source": p.source}
                       for p in response_parameters().values()}
    return out


def _clean(v: Any) -> Any:
    return None if isinstance(v, float) and not math.isfinite(v) else v


def result_to_json(r: Result) -> str:
    """Curves, challenges, the scenario (as mapping and TOML), parameters and program version."""
    from . import __version__

    doc = {
        "program": "naltrexone-teaching-model",
        "version": __version__,
        "scenario": scenario_to_dict(r.scenario),
        "scenario_toml": scenario_to_toml(r.scenario),
        "seed": r.scenario.options.seed,
        "columns": {c: [_clean(float(x)) for x in r.table[c]] for c in r.table.columns},
        "challenges": [{k: _clean(v.item() if hasattr(v, "item") else v) for k, v in row.items()}
                       for row in r.challenges.to_dict("records")],
        "parameters": used_parameters(r),
    }
    return json.dumps(doc, indent=1, allow_nan=False)
