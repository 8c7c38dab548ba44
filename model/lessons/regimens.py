"""Dose tables of the lessons' regimens (scenario format, docs/model.md) and the teaching doses.

Every builder returns :class:`DoseTable` mappings ready for a scenario's ``dose`` list; the
teaching doses and treatments come from ``data/teaching.toml`` (unit, tag and source each).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypedDict

import numpy as np

from ..drugs import Molecule, molecules
from ..scenario import parse_scenario
from ..teaching import (  # noqa: F401  (re-exported: the lessons' teaching constants)
    AGONIST_DOSES,
    CHALLENGE_H,
    CHRONIC_USE,
    DEATHS_PER_100PY_AFTER,
    DEATHS_PER_100PY_DURING,
    HEROIN_CHALLENGE_MG,
    TREATMENTS,
)


class DoseTable(TypedDict, total=False):
    """One ``[[dose]]`` table of a scenario: explicit times (at_h) or a schedule (every_h, count, start_h)."""

    drug: str
    route: str
    amount_mg: float
    at_h: list[float]
    every_h: float
    count: int
    start_h: float
    taken_probability: float


def _scenario(
    title: str,
    duration_h: float,
    doses: list[dict[str, Any]],
    step_h: float = 0.05,
    parameters: Mapping[str, Mapping[str, float]] | None = None,
    **extra: Any,
) -> Any:
    raw: dict[str, Any] = {"title": title, "duration_h": duration_h, "output_step_h": step_h, "dose": doses, **extra}
    if parameters:
        raw["parameters"] = {k: dict(v) for k, v in parameters.items()}
    return parse_scenario(raw)


def agonist_dose(drug: str, route: str, mg: float, at_h: float) -> dict[str, Any]:
    """A single-dose table in the scenario format."""
    return {"drug": drug, "route": route, "amount_mg": float(mg), "at_h": [float(at_h)]}


def overrides_of(mols: Mapping[str, Molecule] | None) -> dict[str, dict[str, float]]:
    """Parameter values in ``mols`` that differ from the molecule data (scenario overrides)."""
    base = molecules()
    out = {}
    for k, m in (mols or {}).items():
        diff = {p: v.value for p, v in m.parameters.items() if v.value != base[k][p]}
        if diff:
            out[k] = diff
    return out


def regimen_doses(
    kind: str,
    days: int,
    adherence: float = 1.0,
    oral_mg: float = 50.0,
    xr_mg: float = 380.0,
    implant_mg: float = 1700.0,
    implant_months: float = 5.0,
    attendance: float | None = None,
) -> list[dict[str, Any]]:
    """Naltrexone dose tables for a regimen over ``days``: 'oral' daily, 'im_xr' every 28 days, 'implant'.

    ``adherence`` (0..1) is each tablet's ``taken_probability`` and ``attendance`` each injection's
    (default: the same as ``adherence``); the seed fixes which doses are missed.
    """
    dur = 24.0 * days
    share = adherence if kind == "oral" or attendance is None else attendance
    p = {"taken_probability": float(share)} if share < 1 else {}
    if kind == "oral":
        return [
            {
                "drug": "naltrexone",
                "route": "oral",
                "amount_mg": oral_mg,
                "every_h": 24.0,
                "count": int(days),
                "start_h": 0.0,
                **p,
            }
        ]
    if kind == "im_xr":
        n = int(np.floor((dur - 1e-9) / (28 * 24))) + 1
        return [
            {
                "drug": "naltrexone",
                "route": "im_xr",
                "amount_mg": xr_mg,
                "every_h": 24.0 * 28,
                "count": n,
                "start_h": 0.0,
                **p,
            }
        ]
    if kind == "implant":
        return [
            {
                "drug": "naltrexone",
                "route": "implant",
                "amount_mg": implant_mg,
                "release_months": implant_months,
                "at_h": [0.0],
            }
        ]
    raise ValueError(f"regimen: {kind!r} is not one of oral, im_xr, implant")


#: Naltrexone plans on the craving page.
CRAVING_PLANS = ("no naltrexone", "monthly injection kept", "second injection missed", "daily tablets")


def use_episodes(
    drug: str = "heroin",
    route: str = "iv",
    mg: float = 25.0,
    every_days: float = 2.0,
    weeks: float = 8.0,
    start_h: float = 30.0,
) -> dict[str, Any]:
    """A repeating agonist dose table: one use episode every ``every_days`` for ``weeks`` weeks."""
    every_h = 24.0 * every_days
    count = max(1, int(np.floor((24.0 * 7 * weeks - start_h - 1e-9) / every_h)) + 1)
    return {
        "drug": drug,
        "route": route,
        "amount_mg": float(mg),
        "every_h": every_h,
        "count": count,
        "start_h": float(start_h),
    }


def craving_doses(
    plan: str, weeks: float = 8.0, heroin_mg: float = 25.0, every_days: float = 2.0, adherence: float = 1.0
) -> list[dict[str, Any]]:
    """Dose table of a craving experiment: a naltrexone ``plan`` (:data:`CRAVING_PLANS`) plus heroin use.

    ``adherence`` (0..1) is the tablets' ``taken_probability`` (only for 'daily tablets').
    """
    days = int(np.ceil(7 * weeks))
    use = use_episodes("heroin", "iv", heroin_mg, every_days, weeks)
    if plan == "no naltrexone":
        return [use]
    if plan == "daily tablets":
        return [*regimen_doses("oral", days, min(max(adherence, 1e-4), 1.0)), use]
    injections = [0.0] if plan == "second injection missed" else [24.0 * 28 * k for k in range(int(np.ceil(days / 28)))]
    if plan not in ("monthly injection kept", "second injection missed"):
        raise ValueError(f"plan: {plan!r} is not one of {', '.join(CRAVING_PLANS)}")
    return [{"drug": "naltrexone", "route": "im_xr", "amount_mg": 380.0, "at_h": injections}, use]


def treatment_doses(treatment: str, weeks: float) -> tuple[list[dict[str, Any]], float]:
    """Naltrexone doses for ``weeks`` of a treatment in :data:`TREATMENTS`, and the time of the last dose (h)."""
    route, mg, every = TREATMENTS[treatment]
    count = max(1, int(np.floor(24.0 * 7 * weeks / every + 1e-9)))
    return (
        [{"drug": "naltrexone", "route": route, "amount_mg": mg, "at_h": [every * k for k in range(count)]}],
        every * (count - 1),
    )


def _stopping_scenario(
    treatment: str, weeks: float, dose: dict[str, Any] | None, duration_h: float, adaptation: bool = True
) -> Any:
    ntx, _ = treatment_doses(treatment, weeks)
    return parse_scenario(
        {
            "title": f"after {weeks:g} weeks of {treatment}",
            "duration_h": duration_h,
            "output_step_h": 1.0,
            "dose": [*ntx, *([dose] if dose else [])],
            "patient": {"opioid_tolerant": True},
            "options": {"adaptation": adaptation},
        }
    )


def chronic_use_doses(drug: str, days: int = 5) -> tuple[dict[str, Any], float]:
    """A :data:`CHRONIC_USE` dose table for ``days`` days and the time of its last dose (h)."""
    route, mg, every = CHRONIC_USE[drug]
    count = int(round(24.0 * days / every))
    return (
        {"drug": drug, "route": route, "amount_mg": mg, "every_h": every, "count": count, "start_h": 0.0},
        every * (count - 1),
    )


def overdose_doses(
    opioid: str,
    opioid_mg: float,
    rescue_route: str | None,
    rescue_mg: float,
    rescue_h: float,
    opioid_h: float = 0.25,
    naltrexone_xr_days_before: float | None = None,
) -> list[dict[str, Any]]:
    """Dose table of an overdose (fentanyl IV or oral methadone) and a naloxone rescue.

    ``naltrexone_xr_days_before`` adds a monthly naltrexone injection given that many days earlier
    (the scenario then starts at the injection).
    """
    shift = 24.0 * naltrexone_xr_days_before if naltrexone_xr_days_before is not None else 0.0
    route = "oral" if opioid == "methadone" else "iv"
    doses = [agonist_dose(opioid, route, opioid_mg, shift + opioid_h)]
    if rescue_route:
        doses.append(agonist_dose("naloxone", rescue_route, rescue_mg, shift + rescue_h))
    if naltrexone_xr_days_before is not None:
        doses.insert(0, {"drug": "naltrexone", "route": "im_xr", "amount_mg": 380.0, "at_h": [0.0]})
    return doses
