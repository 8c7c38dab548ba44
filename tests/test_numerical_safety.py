"""Extreme but legal inputs give finite, bounded results (or a clear ScenarioError), quickly."""

from __future__ import annotations

import numpy as np
import pytest

from model import ScenarioError, parse_scenario, simulate
from model.drugs import DRUG_SPECIES, molecules
from model.scenario import MAX_DOSE_EVENTS, MAX_DURATION_H


def check(raw: dict) -> None:
    try:
        s = parse_scenario(raw)
    except ScenarioError as err:
        assert "\n" not in str(err)
        return
    t = simulate(s).table
    values = t.drop(columns="blockade_fraction").to_numpy(dtype=float)
    assert np.isfinite(values).all(), [c for c in t if not np.isfinite(t[c].to_numpy(dtype=float)).all()]
    conc = [c for c in t if c.endswith("_ng_per_ml") or c.endswith("_mg_per_dl")]
    assert (t[conc].to_numpy() >= -1e-12).all()
    occ = [c for c in t if c.startswith("occupancy_")]
    assert ((t[occ] >= -1e-9) & (t[occ] <= 1 + 1e-9)).all().all()
    assert t.reward.between(0, 1).all() and t.reward_without_naltrexone.between(0, 1).all()
    assert (t.occupancy_agonist + t.occupancy_antagonist <= 1 + 1e-6).all()
    bf = t.blockade_fraction.dropna()
    assert np.isfinite(bf).all()


def every_route():
    for drug, sp in DRUG_SPECIES.items():
        for route, r in molecules()[sp].routes.items():
            yield drug, route, r


@pytest.mark.parametrize("drug,route,r", list(every_route()), ids=lambda x: x if isinstance(x, str) else "")
def test_tiny_and_largest_doses_with_naltrexone(drug, route, r):
    for amount in (1e-6, r.max_dose):
        check(
            {
                "duration_h": 72.0,
                "dose": [
                    {"drug": "naltrexone", "route": "oral", "amount_mg": 2000.0, "at_h": [0.0]},
                    {"drug": drug, "route": route, f"amount_{r.dose_unit}": amount, "at_h": [0.0, 24.0]},
                ],
            }
        )


def test_longest_window_with_the_most_doses():
    check(
        {
            "duration_h": MAX_DURATION_H,
            "dose": [
                {"drug": "naltrexone", "route": "oral", "amount_mg": 50.0, "every_h": 24.0, "count": 730},
                {
                    "drug": "heroin",
                    "route": "iv",
                    "amount_mg": 25.0,
                    "every_h": 24 * 730 / (MAX_DOSE_EVENTS - 731),
                    "count": MAX_DOSE_EVENTS - 731,
                    "start_h": 1.0 + 1e-9,
                },
            ],
        }
    )


def test_finest_output_grid_allowed():
    check(
        {
            "duration_h": 1000.0,
            "output_step_h": 0.01,
            "dose": [{"drug": "fentanyl", "route": "iv", "amount_mg": 50.0, "every_h": 0.25, "count": 4000}],
        }
    )


RATES = ("ka_per_h", "ke0_per_h", "kd_nm", "tau")


def bounds_cases():
    """Every parameter at min and at max: all of a molecule's parameters at once, and rate-like ones singly."""
    for sp, m in molecules().items():
        for which in ("min", "max"):
            values = {n: getattr(p, which) for n, p in m.parameters.items()}
            yield pytest.param(sp, values, id=f"{sp}.all={which}")
            for name, p in m.parameters.items():
                if name.endswith(RATES):
                    yield pytest.param(sp, {name: getattr(p, which)}, id=f"{sp}.{name}={which}")


SCENARIO = {
    "duration_h": 48.0,
    "output_step_h": 0.25,
    "dose": [
        {"drug": "naltrexone", "route": "oral", "amount_mg": 50.0, "at_h": [0.0]},
        {"drug": "naltrexone", "route": "im_xr", "amount_mg": 380.0, "at_h": [1.0]},
        {"drug": "heroin", "route": "iv", "amount_mg": 25.0, "at_h": [12.0]},
        {"drug": "alcohol", "route": "oral", "amount_g": 40.0, "at_h": [13.0]},
    ],
}
USES = {
    "naltrexone": ("oral", 50.0),
    "naloxone": ("iv", 2.0),
    "heroin": ("iv", 25.0),
    "morphine": ("oral", 30.0),
    "fentanyl": ("intranasal", 0.1),
    "oxycodone": ("oral", 20.0),
    "methadone": ("oral", 60.0),
    "buprenorphine": ("sublingual", 8.0),
    "alcohol": ("oral", 40.0),
    "naltrexol": ("iv", 5.0),
}


@pytest.mark.parametrize("species,values", list(bounds_cases()))
def test_every_parameter_at_its_bounds(species, values):
    raw = {**SCENARIO, "dose": list(SCENARIO["dose"]), "parameters": {species: values}}
    drug = {v: k for k, v in DRUG_SPECIES.items()}.get(species)
    if drug and drug not in ("naltrexone", "heroin", "alcohol"):
        route, amount = USES[drug]
        unit = molecules()[species].routes[route].dose_unit
        raw["dose"].append({"drug": drug, "route": route, f"amount_{unit}": amount, "at_h": [6.0]})
    check(raw)


@pytest.mark.parametrize(
    "drug,route",
    [
        ("naltrexone", "oral"),
        ("morphine", "oral"),
        ("methadone", "oral"),
        ("fentanyl", "intranasal"),
        ("buprenorphine", "sublingual"),
    ],
)
def test_coinciding_rate_constants(drug, route):
    """Absorption rate equal to elimination (CL/V) or to ke0: the exact solution has a removable singularity."""
    sp = DRUG_SPECIES[drug]
    m = molecules()[sp]
    weight = 70.0
    ke = m["cl_l_per_h"] / (m["v_central_l_per_kg"] * weight)
    ka_name = f"{route}_ka_per_h"
    unit = m.routes[route].dose_unit
    for target in (ke, m["ke0_per_h"]):
        p = m.parameters[ka_name]
        if not p.min <= target <= p.max:
            continue
        for value in (target, target * (1 + 1e-9), target * (1 - 1e-12)):
            check(
                {
                    "duration_h": 48.0,
                    "output_step_h": 0.25,
                    "patient": {"weight_kg": weight},
                    "parameters": {sp: {ka_name: value}},
                    "dose": [
                        {
                            "drug": drug,
                            "route": route,
                            f"amount_{unit}": 10.0 if unit == "mg" else 1.0,
                            "at_h": [0.0, 5.0],
                        }
                    ],
                }
            )
    ke0 = m.parameters["ke0_per_h"]
    if ke0.min <= ke <= ke0.max:
        check(
            {
                "duration_h": 48.0,
                "parameters": {sp: {"ke0_per_h": ke}},
                "dose": [{"drug": drug, "route": route, f"amount_{unit}": 10.0, "at_h": [0.0]}],
            }
        )


def test_a_drink_at_the_last_time_point_after_earlier_drinks_stays_finite():
    import numpy as np

    from model import parse_scenario, simulate

    drink = {"drug": "alcohol", "route": "oral", "amount_g": 1.0}
    raw = {
        "title": "drinks at the start and at the very end",
        "duration_h": 24.0,
        "output_step_h": 0.25,
        "patient": {"weight_kg": 45.0},
        "dose": [{**drink, "at_h": [0.0]}, {**drink, "at_h": [0.0]}, {**drink, "at_h": [24.0]}],
    }
    t = simulate(parse_scenario(raw)).table  # used to end in NaN breathing (blood alcohol just below 0)
    assert np.isfinite(t.respiratory_drive).all() and (t.ethanol_blood_mg_per_dl >= 0).all()
