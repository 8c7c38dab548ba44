"""Checks of the model against human data: each names its target, source and tolerance.

The same list feeds the calibration tests, the README table (``scripts/calibration_table.py``)
and the app's "Does the model match people?" page.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .drugs import DATA_DIR, response_parameters
from .ligands import antagonist_mask, held_share
from .scenario import Scenario, parse_scenario
from .simulation import Result, simulate

_PARAMETERS: ContextVar[Mapping[str, Mapping[str, float]] | None] = ContextVar("validation_parameters", default=None)


@contextmanager
def parameters(over: Mapping[str, Mapping[str, float]]) -> Iterator[None]:
    """Run the checks with parameter overrides ``{species: {name: value}}`` (as a refit tries values)."""
    token = _PARAMETERS.set(over)
    try:
        yield
    finally:
        _PARAMETERS.reset(token)


def scenario(duration_h: float, *doses: dict, step_h: float = 0.25, **extra: object) -> Scenario:
    """A scenario from dose tables (``dict(drug=..., route=..., amount_mg=..., at_h=[...])``)."""
    over = {"parameters": _PARAMETERS.get()} if _PARAMETERS.get() else {}  # a refit's trial values
    return parse_scenario(
        {"title": "validation", "duration_h": duration_h, "output_step_h": step_h, "dose": list(doses), **over, **extra}
    )


def oral_ntx(mg: float, at_h: list[float] | None = None) -> dict:
    return {"drug": "naltrexone", "route": "oral", "amount_mg": mg, "at_h": at_h or [0.0]}


def heroin(at_h: float, mg: float = 25.0) -> dict:
    return {"drug": "heroin", "route": "iv", "amount_mg": mg, "at_h": [at_h]}


_CACHE: dict[str, Result] = {}


def _run(duration_h: float, *doses: dict, step_h: float = 0.25, patient: dict | None = None) -> Result:
    """Simulate (memoised: several checks share a run)."""
    key = json.dumps([duration_h, doses, step_h, patient, _PARAMETERS.get()], sort_keys=True)
    if key not in _CACHE:
        extra = {"patient": patient} if patient else {}
        _CACHE[key] = simulate(scenario(duration_h, *doses, step_h=step_h, **extra))
    return _CACHE[key]


def curve(r: Result, col: str) -> tuple[np.ndarray, np.ndarray]:
    """(t_h, values) on the internal grid for a plasma column or occupancy."""
    c = r.curves
    if col.endswith("_plasma_ng_per_ml"):
        return c.t_h, c.plasma_ng_per_ml[col.removesuffix("_plasma_ng_per_ml")]
    if col == "occupancy_antagonist":
        return c.t_h, held_share(c.bound[0], c.receptor_density[0], antagonist_mask(c.ligands, r.molecules))
    if col == "reward_without_naltrexone":
        return c.t_h, c.reward[1]
    raise KeyError(col)


def at(t: np.ndarray, y: np.ndarray, t_h: float) -> float:
    return float(np.interp(t_h, t, y))


def half_life_h(t: np.ndarray, y: np.ndarray, t1: float, t2: float) -> float:
    """Log-linear half-life between two times (h)."""
    return float((t2 - t1) * np.log(2) / np.log(at(t, y, t1) / at(t, y, t2)))


def auc(t: np.ndarray, y: np.ndarray, t_end: float) -> float:
    m = t <= t_end
    return float(np.trapezoid(y[m], t[m]))


@dataclass(frozen=True)
class Check:
    """One comparison with human data: model value must lie in [low, high]."""

    id: str
    group: str
    quantity: str
    target: str
    low: float
    high: float
    unit: str
    source: str
    compute: Callable[[], float]

    def evaluate(self) -> tuple[float, bool]:
        v = float(self.compute())
        return v, bool(self.low <= v <= self.high)

    def margin(self, value: float) -> float:
        """Distance (in ``unit``) from ``value`` to the nearer limit of the range; negative when outside."""
        return float(min(value - self.low, self.high - value))


# --- model quantities --------------------------------------------------------------------------


def _oral50() -> Result:
    return _run(200, oral_ntx(50), step_h=0.05)


def ntx_cmax() -> float:
    t, y = curve(_oral50(), "naltrexone_plasma_ng_per_ml")
    return float(y.max())


def ntx_tmax() -> float:
    t, y = curve(_oral50(), "naltrexone_plasma_ng_per_ml")
    return float(t[np.argmax(y)])


def nol_cmax() -> float:
    return float(curve(_oral50(), "naltrexol_plasma_ng_per_ml")[1].max())


def auc_ratio() -> float:
    r = _oral50()
    return auc(*curve(r, "naltrexol_plasma_ng_per_ml"), 200) / auc(*curve(r, "naltrexone_plasma_ng_per_ml"), 200)


def ntx_half_life() -> float:
    return half_life_h(*curve(_oral50(), "naltrexone_plasma_ng_per_ml"), 2.0, 8.0)


def nol_half_life() -> float:
    return half_life_h(*curve(_oral50(), "naltrexol_plasma_ng_per_ml"), 24.0, 72.0)


def ntx_half_life_12_36() -> float:
    return half_life_h(*curve(_oral50(), "naltrexone_plasma_ng_per_ml"), 12.0, 36.0)


def ntx_terminal_half_life() -> float:
    return half_life_h(*curve(_oral50(), "naltrexone_plasma_ng_per_ml"), 96.0, 192.0)


def auc_dose_proportionality() -> float:
    a50 = auc(*curve(_oral50(), "naltrexone_plasma_ng_per_ml"), 200)
    a200 = auc(*curve(_run(200, oral_ntx(200), step_h=0.05), "naltrexone_plasma_ng_per_ml"), 200)
    return a200 / a50 / 4.0


def pet_occupancy_3h(mg: float) -> Callable[[], float]:
    def f() -> float:
        return 100 * at(*curve(_run(12, oral_ntx(mg), step_h=0.05), "occupancy_antagonist"), 3.0)

    return f


def pet_min_1_to_8h() -> float:
    t, y = curve(_run(12, oral_ntx(50), step_h=0.05), "occupancy_antagonist")
    m = (t >= 1) & (t <= 8)
    return 100 * float(y[m].min())


def halved_after_peak(t: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """(time of the peak, first time after it when y is at most half the peak; inf if never), h."""
    peak = int(np.argmax(y))
    below = np.nonzero(y[peak:] <= y[peak] / 2)[0]
    return float(t[peak]), float(t[peak + below[0]]) if below.size else float("inf")


def occupancy_half_time() -> float:
    """Hours after a 50 mg tablet until antagonist occupancy has fallen to half its peak."""
    return halved_after_peak(*curve(_run(240, oral_ntx(50), step_h=0.5), "occupancy_antagonist"))[1]


def trough_daily_50() -> float:
    r = _run(24 * 14, oral_ntx(50, [24.0 * d for d in range(14)]), step_h=0.5)
    return 100 * at(*curve(r, "occupancy_antagonist"), 24 * 14 - 1e-6)


def heroin_ratio(ntx_mg: float, at_h: float) -> Callable[[], float]:
    def f() -> float:
        r = _run(at_h + 6, oral_ntx(ntx_mg), heroin(at_h))
        return float(r.challenges["ratio"].iloc[0])

    return f


def heroin_unblocked_peak() -> float:
    r = _run(6, heroin(0.0), step_h=0.05)
    return float(r.curves.reward[1].max())


def _xr() -> Result:
    return _run(24 * 60, {"drug": "naltrexone", "route": "im_xr", "amount_mg": 380, "at_h": [0.0]}, step_h=1.0)


def xr_first_peak_h() -> float:
    t, y = curve(_xr(), "naltrexone_plasma_ng_per_ml")
    m = t <= 24
    return float(t[m][np.argmax(y[m])])


def xr_second_peak_day() -> float:
    t, y = curve(_xr(), "naltrexone_plasma_ng_per_ml")
    m = (t >= 24) & (t <= 24 * 10)
    return float(t[m][np.argmax(y[m])] / 24)


def xr_day14_over_second_peak() -> float:
    t, y = curve(_xr(), "naltrexone_plasma_ng_per_ml")
    m = (t >= 24) & (t <= 24 * 10)
    return at(t, y, 24 * 14) / float(y[m].max())


def xr_day28() -> float:
    return at(*curve(_xr(), "naltrexone_plasma_ng_per_ml"), 24 * 28)


def xr_metabolite_ratio() -> float:
    """Mean plasma 6-beta-naltrexol / naltrexone over days 7-28 after the 380 mg injection."""
    t, ntx = curve(_xr(), "naltrexone_plasma_ng_per_ml")
    nol = curve(_xr(), "naltrexol_plasma_ng_per_ml")[1]
    m = (t >= 24 * 7) & (t <= 24 * 28)
    return float(np.mean(nol[m] / ntx[m]))


def xr_heroin_ratio(day: float, mg: float = 380.0) -> Callable[[], float]:
    """Increment ratio of 25 mg IV heroin on ``day`` after one XR injection of ``mg``."""

    def f() -> float:
        r = _run(
            24 * day + 6,
            {"drug": "naltrexone", "route": "im_xr", "amount_mg": mg, "at_h": [0.0]},
            heroin(24 * day),
            step_h=1.0,
        )
        return float(r.challenges["ratio"].iloc[0])

    return f


def plasma_half_life_min(species: str, t1: float, t2: float) -> Callable[[], float]:
    def f() -> float:
        r = _run(12, heroin(0.0), step_h=0.05)
        return 60 * half_life_h(*curve(r, f"{species}_plasma_ng_per_ml"), t1, t2)

    return f


def buprenorphine_ceiling() -> float:
    """Max reward of 32 mg sublingual buprenorphine over that of 50 mg IV heroin."""
    bup = (
        _run(24, {"drug": "buprenorphine", "route": "sublingual", "amount_mg": 32, "at_h": [0.0]})
        .curves.reward[1]
        .max()
    )
    her = _run(6, heroin(0.0, 50.0), step_h=0.05).curves.reward[1].max()
    return float(bup / her)


def surmount_ratio() -> float:
    """Increment of 250 mg heroin 24 h after 50 mg naltrexone over that of 25 mg without naltrexone."""
    big = _run(30, oral_ntx(50), heroin(24.0, 250.0)).challenges["increment_with"].iloc[0]
    ref = _run(6, heroin(0.0)).challenges["increment_without"].iloc[0]
    return float(big / ref)


def _bup_daily(mg: float) -> Result:
    return _run(
        24 * 8,
        {"drug": "buprenorphine", "route": "sublingual", "amount_mg": mg, "every_h": 24, "count": 8, "start_h": 0.0},
        step_h=0.25,
    )


def bup_occupancy(mg: float) -> Callable[[], float]:
    """Agonist occupancy 2-6 h after the 8th daily sublingual dose (%)."""

    def f() -> float:
        t = _bup_daily(mg).table
        m = t.time_h.between(24 * 7 + 2, 24 * 7 + 6)
        return 100 * float(t.occupancy_agonist[m].mean())

    return f


def xr_over_oral_exposure() -> float:
    """Naltrexone AUC over 28 days after one 380 mg XR injection / after 50 mg oral daily for 28 days."""
    oral = {"drug": "naltrexone", "route": "oral", "amount_mg": 50, "every_h": 24, "count": 28}
    xr = {"drug": "naltrexone", "route": "im_xr", "amount_mg": 380, "at_h": [0.0]}
    return auc(*curve(_run(24 * 28, xr, step_h=0.5), "naltrexone_plasma_ng_per_ml"), 24 * 28) / auc(
        *curve(_run(24 * 28, oral, step_h=0.5), "naltrexone_plasma_ng_per_ml"), 24 * 28
    )


def bup_trough(mg: float) -> Callable[[], float]:
    """Plasma level just before the 9th daily sublingual dose (ng/mL)."""

    def f() -> float:
        t = _bup_daily(mg).table
        return float(np.interp(24 * 8 - 1e-6, t.time_h, t.buprenorphine_plasma_ng_per_ml))

    return f


def bup_blunting(mg: float) -> float:
    """Increment of 25 mg IV heroin 22 h after the 14th daily dose, on buprenorphine / without it (chronic users)."""
    at = 24 * 13 + 22.0
    bup = {"drug": "buprenorphine", "route": "sublingual", "amount_mg": mg, "every_h": 24, "count": 14}
    on = _run(at + 4, bup, heroin(at), step_h=0.25, patient={"opioid_tolerant": True})
    off = _run(at + 4, heroin(at), step_h=0.25, patient={"opioid_tolerant": True})
    return float(on.challenges.increment_with.iloc[-1] / off.challenges.increment_with.iloc[-1])


def bup_peak(mg: float) -> Callable[[], float]:
    def f() -> float:
        t = _bup_daily(mg).table
        return float(t.buprenorphine_plasma_ng_per_ml[t.time_h > 24 * 7].max())

    return f


def implant_last_day_above(level_ng_per_ml: float) -> Callable[[], float]:
    def f() -> float:
        r = _run(
            24 * 200,
            {"drug": "naltrexone", "route": "implant", "amount_mg": 1700, "release_months": 5, "at_h": [0.0]},
            step_h=6.0,
        )
        t, y = r.table.time_h.to_numpy(), r.table.naltrexone_plasma_ng_per_ml.to_numpy()
        return float(t[y > level_ng_per_ml].max() / 24) if (y > level_ng_per_ml).any() else 0.0

    return f


def xr_small_challenge_ratio(mg: float, day: float) -> Callable[[], float]:
    """Ratio of a modest opioid challenge (heroin 8 mg IV, ~ hydromorphone 3 mg IV) after XR naltrexone."""

    def f() -> float:
        r = _run(
            24 * day + 6,
            {"drug": "naltrexone", "route": "im_xr", "amount_mg": mg, "at_h": [0.0]},
            heroin(24 * day, 8.0),
            step_h=1.0,
        )
        return float(r.challenges["ratio"].iloc[0])

    return f


def single_peak(drug: str, route: str, mg: float, species: str, what: str) -> Callable[[], float]:
    """Cmax (ng/mL) or Tmax (h) of one dose."""

    def f() -> float:
        t, y = curve(
            _run(12, {"drug": drug, "route": route, "amount_mg": mg, "at_h": [0.0]}, step_h=0.05),
            f"{species}_plasma_ng_per_ml",
        )
        return float(y.max()) if what == "cmax" else float(t[np.argmax(y)])

    return f


def oxycodone_half_life() -> float:
    r = _run(12, {"drug": "oxycodone", "route": "oral", "amount_mg": 15, "at_h": [0.0]}, step_h=0.05)
    return half_life_h(*curve(r, "oxycodone_plasma_ng_per_ml"), 4.0, 12.0)


def methadone_steady_state(which: str) -> Callable[[], float]:
    def f() -> float:
        r = _run(
            24 * 10,
            {"drug": "methadone", "route": "oral", "amount_mg": 100, "every_h": 24, "count": 10, "start_h": 0.0},
            step_h=0.5,
        )
        t, y = curve(r, "methadone_plasma_ng_per_ml")
        last = t >= 24 * 9
        return float(y[last].max() if which == "peak" else y[last].min())

    return f


def alcohol_40g(what: str) -> Callable[[], float]:
    def f() -> float:
        r = _run(8, {"drug": "alcohol", "route": "oral", "amount_g": 40, "at_h": [0.0]}, step_h=0.05)
        t, b = r.curves.t_h, r.curves.ethanol_blood_mg_per_dl
        return float(b.max()) if what == "peak" else float(np.interp(3.0, t, b) - np.interp(4.0, t, b))

    return f


#: One definition of "blocked" everywhere: increment ratio at most this (docs/model.md, section 4).
BLOCKED = response_parameters()["blocked_ratio"].value
# --- structure checks: who carries the blockade, breathing, dependence, alcohol, naloxone ----------


def _iv(drug: str, mg: float, at_h: float = 0.0) -> dict:
    return {"drug": drug, "route": "iv", "amount_mg": mg, "at_h": [at_h]}


def _peak_occupancy(drug: str, mg: float) -> float:
    return float(curve(_run(24, _iv(drug, mg), step_h=0.1), "occupancy_antagonist")[1].max())


def naltrexol_potency_ratio() -> float:
    """IV dose of 6-beta-naltrexol whose peak occupancy matches that of 1 mg IV naltrexone (dose ratio)."""
    target = _peak_occupancy("naltrexone", 1.0)
    lo, hi = 1.0, 200.0
    if _peak_occupancy("naltrexol", hi) < target:
        return hi
    for _ in range(30):
        mid = np.sqrt(lo * hi)
        lo, hi = (mid, hi) if _peak_occupancy("naltrexol", mid) < target else (lo, mid)
    return float(np.sqrt(lo * hi))


def naltrexol_morphine_ratio() -> float:
    """Ratio of a 10 mg IV morphine challenge given 1 h after 20 mg IV 6-beta-naltrexol."""
    return float(_run(5, _iv("naltrexol", 20.0), _iv("morphine", 10.0, 1.0)).challenges["ratio"].iloc[0])


def parent_share_24h() -> float:
    """Naltrexone's share of all antagonist occupancy 24 h after 50 mg oral."""
    t = _run(30, oral_ntx(50), step_h=0.5).table.set_index("time_h")
    return float(t.occupancy_naltrexone[24.0] / t.occupancy_antagonist[24.0])


def _equilibrium_drive(background_nm: dict[str, float], fentanyl_ng_per_ml: float, tolerance: float) -> float:
    """Respiratory drive with ligands at steady unbound brain levels (nM) plus fentanyl at a steady plasma level."""
    from . import core, pk, receptor, response
    from .drugs import molecules
    from .ligands import LigandSet

    mols = molecules()
    fent = mols["fentanyl"]
    levels = {
        **background_nm,
        "fentanyl": fentanyl_ng_per_ml * pk.brain_to_plasma_nm_ratio(fent) * 1000.0 / fent["molar_mass_g_per_mol"],
    }
    lig = LigandSet.of(list(levels), mols)
    bound = receptor.equilibrium_occupancy(np.array(list(levels.values())), lig.kd_nm)
    rp = core.response_values()
    return float(
        response.respiratory_drive(np.array([bound @ lig.tau_respiratory]), np.array([tolerance]), fent, rp)[0]
    )


def fentanyl_c50_naive() -> float:
    """Steady fentanyl level (ng/mL) that halves ventilation in an opioid-naive person."""
    from scipy.optimize import brentq

    return float(brentq(lambda c: _equilibrium_drive({}, c, 0.0) - 0.5, 1e-3, 100.0))


def fentanyl_resting_c50() -> float:
    """Steady fentanyl plasma level (ng/mL) that halves resting (room-air) ventilation in an opioid-naive person."""
    from scipy.optimize import brentq

    from . import core, response

    rp = core.response_values()
    return float(
        brentq(
            lambda c: float(response.resting_ventilation(np.array(_equilibrium_drive({}, c, 0.0)), rp)) - 0.5,
            1e-3,
            100.0,
        )
    )


MAINTENANCE_DAYS = 60  # stable maintenance: tolerance has reached its steady state


def _methadone_daily(mg: float, heroin_mg: float = 0.0) -> Result:
    """A chronic user on methadone ``mg`` a day for 60 days (optionally 25 mg IV heroin 2 h after the last dose)."""
    last = 24.0 * MAINTENANCE_DAYS
    doses = [{"drug": "methadone", "route": "oral", "amount_mg": mg, "every_h": 24, "count": MAINTENANCE_DAYS + 1}]
    if heroin_mg:
        doses.append(heroin(last + 2.0, heroin_mg))
    return _run(last + 12.0, *doses, step_h=0.5, patient={"opioid_tolerant": True})


def _single(drug: str, route: str, mg: float) -> Result:
    return _run(72, {"drug": drug, "route": route, "amount_mg": mg, "at_h": [0.0]}, step_h=0.25)


def _last_maintenance_day(mg: float) -> pd.DataFrame:
    """The output rows of the last full day of stable methadone maintenance."""
    t = _methadone_daily(mg).table
    return t[(t.time_h >= 24 * (MAINTENANCE_DAYS - 1)) & (t.time_h < 24 * MAINTENANCE_DAYS)]


def single_dose_state(drug: str, route: str, mg: float, column: str) -> Callable[[], float]:
    """Highest tolerance or dependence (a column of the output table) in the 3 days after one dose, naive person."""

    def f() -> float:
        return float(_single(drug, route, mg).table[column].max())

    return f


def maintenance_reward(mg: float) -> Callable[[], float]:
    """Highest reward on the last day of stable methadone maintenance."""

    def f() -> float:
        return float(_last_maintenance_day(mg).reward.max())

    return f


def heroin_on_maintenance() -> float:
    """Reward increment of 25 mg IV heroin on stable methadone 80 mg/day over its increment in a naive person."""
    on = _methadone_daily(80, heroin_mg=25).challenges.increment_with.iloc[-1]
    naive = _run(6, heroin(0.0), step_h=0.05).challenges.increment_with.iloc[0]
    return float(on / naive)


def fentanyl_c50_tolerant() -> float:
    """Fentanyl level (ng/mL) that halves the pre-fentanyl ventilation of a chronic user on 90 mg oral morphine a day."""
    from scipy.optimize import brentq

    r = _run(
        24 * 10,
        {"drug": "morphine", "route": "oral", "amount_mg": 30, "every_h": 8, "count": 30, "start_h": 0.0},
        step_h=0.5,
        patient={"opioid_tolerant": True},
    )
    c = r.curves
    i = int(np.searchsorted(c.t_h, 24 * 9.5 + 4))  # mid-interval on day 10
    background = {"morphine": float(c.brain_nm["morphine"][i])}
    tol = float(c.responses.opioid_tolerance[i])
    before = _equilibrium_drive(background, 0.0, tol)
    return float(brentq(lambda x: _equilibrium_drive(background, x, tol) - before / 2, 1e-3, 100.0))


def methadone_drive(mg: float) -> Callable[[], float]:
    """Lowest respiratory drive on the last day of stable methadone maintenance."""

    def f() -> float:
        return float(_last_maintenance_day(mg).respiratory_drive.min())

    return f


OXY_ALCOHOL = (
    {"drug": "oxycodone", "route": "oral", "amount_mg": 20, "at_h": [0.0]},
    {"drug": "alcohol", "route": "oral", "amount_g": 65, "at_h": [0.0]},
)


ISO = "respiratory_drive_isohypercapnic"


def _lowest_drive(*doses: dict, after_h: float = 0.0, column: str = "respiratory_drive") -> float:
    t = _run(8, *doses, step_h=0.05).table
    return float(t[column][t.time_h >= after_h].min())


def alcohol_deepens_oxycodone() -> float:
    """Lowest isohypercapnic drive after 20 mg oral oxycodone with 65 g alcohol (~100 mg/dL) over that without."""
    return _lowest_drive(*OXY_ALCOHOL, column=ISO) / _lowest_drive(OXY_ALCOHOL[0], column=ISO)


def oxycodone_drive(column: str) -> Callable[[], float]:
    """Lowest drive (resting or isohypercapnic) after 20 mg oral oxycodone, opioid-naive."""

    def f() -> float:
        return _lowest_drive(OXY_ALCOHOL[0], column=column)

    return f


def equianalgesic_drive_ratio() -> float:
    """Lowest isohypercapnic drive after 20 mg oral oxycodone over that after 30 mg oral morphine, naive."""
    morphine = {"drug": "morphine", "route": "oral", "amount_mg": 30, "at_h": [0.0]}
    return _lowest_drive(OXY_ALCOHOL[0], column=ISO) / _lowest_drive(morphine, column=ISO)


def naloxone_leaves_alcohol() -> float:
    """Lowest isohypercapnic drive from 0.5 h after 2 mg IV naloxone (at 1.5 h): oxycodone alone minus with alcohol."""
    nlx = _iv("naloxone", 2.0, 1.5)
    return _lowest_drive(OXY_ALCOHOL[0], nlx, after_h=2.0, column=ISO) - _lowest_drive(
        *OXY_ALCOHOL, nlx, after_h=2.0, column=ISO
    )


def alcohol_drive() -> float:
    """Lowest respiratory drive after 65 g alcohol (blood alcohol ~100 mg/dL), no opioid."""
    return float(
        _run(
            8, {"drug": "alcohol", "route": "oral", "amount_g": 65, "at_h": [0.0]}, step_h=0.1
        ).table.respiratory_drive.min()
    )


def buprenorphine_drive(mg: float) -> Callable[[], float]:
    """Lowest isohypercapnic drive in the 24 h after one sublingual dose in an opioid-naive adult."""

    def f() -> float:
        return float(
            _run(24, {"drug": "buprenorphine", "route": "sublingual", "amount_mg": mg, "at_h": [0.0]}, step_h=0.1)
            .table[ISO]
            .min()
        )

    return f


def fentanyl_drive(mg: float) -> Callable[[], float]:
    def f() -> float:
        return float(_run(3, _iv("fentanyl", mg), step_h=0.02).table[ISO].min())

    return f


def buprenorphine_half_life() -> float:
    """Plasma half-life 24-72 h after the 8th daily 16 mg sublingual dose."""
    t, y = curve(
        _run(
            24 * 11,
            {
                "drug": "buprenorphine",
                "route": "sublingual",
                "amount_mg": 16,
                "every_h": 24,
                "count": 8,
                "start_h": 0.0,
            },
            step_h=1.0,
        ),
        "buprenorphine_plasma_ng_per_ml",
    )
    return half_life_h(t, y, 24 * 7 + 24, 24 * 7 + 72)


def alcohol_reward_cut() -> float:
    """Share of the peak reward of 40 g alcohol that 50 mg naltrexone (taken 1 h before) removes (%)."""
    t = _run(8, oral_ntx(50), {"drug": "alcohol", "route": "oral", "amount_g": 40, "at_h": [1.0]}, step_h=0.05).table
    return 100 * float(1 - t.reward.max() / t.reward_without_naltrexone.max())


def acute_withdrawal() -> float:
    """Peak precipitated withdrawal after 10 mg IV naloxone 2 h after one 10 mg IV morphine dose, naive (Compton 2004)."""
    return float(_run(5, _iv("morphine", 10.0), _iv("naloxone", 10.0, 2.0)).table.precipitated_withdrawal.max())


def _withdrawal_on_methadone(methadone_mg: float, dose: dict, gap_h: float) -> float:
    """Peak precipitated withdrawal after ``dose`` (given ``gap_h`` after the last of 30 daily methadone doses)."""
    last = 24.0 * 30
    chronic = {"drug": "methadone", "route": "oral", "amount_mg": methadone_mg, "every_h": 24, "count": 31}
    t = _run(
        last + gap_h + 12.0, chronic, {**dose, "at_h": [last + gap_h]}, step_h=0.1, patient={"opioid_tolerant": True}
    )
    return float(t.table.precipitated_withdrawal[t.table.time_h >= last + gap_h].max())


def buprenorphine_withdrawal_after_methadone(gap_h: float) -> Callable[[], float]:
    """Peak precipitated withdrawal after 8 mg SL buprenorphine ``gap_h`` after the last of 30 daily 100 mg methadone doses."""

    def f() -> float:
        return _withdrawal_on_methadone(100, {"drug": "buprenorphine", "route": "sublingual", "amount_mg": 8}, gap_h)

    return f


def naloxone_withdrawal_graded() -> float:
    """Peak precipitated withdrawal after 0.04 mg / after 0.4 mg IV naloxone on methadone 80 mg/day (22 h after a dose)."""
    return _withdrawal_on_methadone(80, _iv("naloxone", 0.04), 22.0) / _withdrawal_on_methadone(
        80, _iv("naloxone", 0.4), 22.0
    )


def withdrawal_a_week_after_one_methadone_dose() -> float:
    """Peak precipitated withdrawal after 0.75 mg IV naloxone 168 h after one 37.5 mg oral methadone dose (~30 mg IM)."""
    dose = {"drug": "methadone", "route": "oral", "amount_mg": 37.5, "at_h": [0.0]}
    return float(_run(172, dose, _iv("naloxone", 0.75, 168.0), step_h=0.1).table.precipitated_withdrawal.max())


def naloxone_iv_occupancy(mg_per_kg: float) -> Callable[[], float]:
    """Antagonist occupancy 55 min after IV naloxone (70 kg), %."""

    def f() -> float:
        return 100 * at(*curve(_run(2, _iv("naloxone", mg_per_kg * 70), step_h=0.02), "occupancy_antagonist"), 55 / 60)

    return f


def naloxone_in_occupancy(mg: float) -> Callable[[], float]:
    """Antagonist occupancy 20 min after intranasal naloxone, %."""

    def f() -> float:
        r = _run(2, {"drug": "naloxone", "route": "intranasal", "amount_mg": mg, "at_h": [0.0]}, step_h=0.02)
        return 100 * at(*curve(r, "occupancy_antagonist"), 20 / 60)

    return f


KIM_SAMPLES_H = (5 / 60, 2.0, 4.0, 8.0)


def naloxone_occupancy_half_time() -> float:
    """Half-time of occupancy after 2 mg IV naloxone, as Kim 1997 measured it (h).

    Occupancy read at Kim's scan times (5 min, 2, 4 and 8 h) and fitted with one exponential
    (log-linear least squares).
    """
    t, y = curve(_run(9, _iv("naloxone", 2.0), step_h=0.05), "occupancy_antagonist")
    ts = np.array(KIM_SAMPLES_H)
    slope = np.polyfit(ts, np.log(np.interp(ts, t, y)), 1)[0]
    return float(-np.log(2) / slope)


def naloxone_in_occupancy_half_life_min(mg: float) -> Callable[[], float]:
    """Half-life of occupancy disappearance after intranasal naloxone, from the peak to 5.5 h, as Johansson 2019 (min)."""

    def f() -> float:
        r = _run(6, {"drug": "naloxone", "route": "intranasal", "amount_mg": mg, "at_h": [0.0]}, step_h=0.02)
        t, y = curve(r, "occupancy_antagonist")
        i = int(np.argmax(y))
        return 60 * half_life_h(t, y, float(t[i]), 5.5)

    return f


def opioid_free_days(drug: str) -> Callable[[], float]:
    def f() -> float:
        from .lessons import opioid_free_days as days

        return float(days(drug))

    return f


#: The model quantity behind each check in data/validation.toml, by id.
METRICS: dict[str, Callable[[], float]] = {
    "ntx_cmax": ntx_cmax,
    "ntx_tmax": ntx_tmax,
    "nol_cmax": nol_cmax,
    "auc_ratio": auc_ratio,
    "ntx_half_life": ntx_half_life,
    "nol_half_life": nol_half_life,
    "ntx_terminal": ntx_terminal_half_life,
    "dose_linearity": auc_dose_proportionality,
    "pet_2mg": pet_occupancy_3h(2),
    "pet_5mg": pet_occupancy_3h(5),
    "pet_15mg": pet_occupancy_3h(15),
    "pet_50mg": pet_min_1_to_8h,
    "pet_half_time": occupancy_half_time,
    "pet_trough": trough_daily_50,
    "heroin_peak": heroin_unblocked_peak,
    "block_50_24": heroin_ratio(50, 24),
    "block_100_48": heroin_ratio(100, 48),
    "block_150_72": heroin_ratio(150, 72),
    "free_50_72": heroin_ratio(50, 72),
    "free_100_96": heroin_ratio(100, 96),
    "free_150_120": heroin_ratio(150, 120),
    "surmount": surmount_ratio,
    "xr_first_peak": xr_first_peak_h,
    "xr_second_peak": xr_second_peak_day,
    "xr_plateau": xr_day14_over_second_peak,
    "xr_day28": xr_day28,
    "xr_metabolite": xr_metabolite_ratio,
    "xr_block_28": xr_heroin_ratio(28),
    "xr_free_45": xr_heroin_ratio(45),
    "heroin_t_half": plasma_half_life_min("heroin", 0.1, 0.2),
    "mam_t_half": plasma_half_life_min("monoacetylmorphine", 1.0, 3.0),
    "morphine_t_half": plasma_half_life_min("morphine", 4.0, 12.0),
    "bup_pet_2mg": bup_occupancy(2),
    "bup_pet_16mg": bup_occupancy(16),
    "bup_pet_32mg": bup_occupancy(32),
    "bup_cmax_16mg": bup_peak(16),
    "bup_trough_16mg": bup_trough(16),
    "bup_blunt_16mg": lambda: bup_blunting(16),
    "oxy_cmax": single_peak("oxycodone", "oral", 15, "oxycodone", "cmax"),
    "oxy_half_life": oxycodone_half_life,
    "nlx_in_cmax": single_peak("naloxone", "intranasal", 4, "naloxone", "cmax"),
    "methadone_trough": methadone_steady_state("trough"),
    "methadone_peak": methadone_steady_state("peak"),
    "alcohol_peak": alcohol_40g("peak"),
    "alcohol_decline": alcohol_40g("decline"),
    "bup_ceiling": buprenorphine_ceiling,
    "nol_potency": naltrexol_potency_ratio,
    "nol_morphine": naltrexol_morphine_ratio,
    "parent_share": parent_share_24h,
    "resp_naive": fentanyl_c50_naive,
    "resp_tolerant": fentanyl_c50_tolerant,
    "resp_methadone_60": methadone_drive(60),
    "resp_methadone_100": methadone_drive(100),
    "tol_single_methadone": single_dose_state("methadone", "oral", 60, "opioid_tolerance"),
    "tol_single_heroin": single_dose_state("heroin", "iv", 25, "reward_tolerance"),
    "dep_single_methadone": single_dose_state("methadone", "oral", 60, "physical_dependence"),
    "dep_single_oxycodone": single_dose_state("oxycodone", "oral", 20, "physical_dependence"),
    "reward_methadone_80": maintenance_reward(80),
    "heroin_on_methadone": heroin_on_maintenance,
    "oxy_iso": oxycodone_drive(ISO),
    "oxy_rest": oxycodone_drive("respiratory_drive"),
    "resp_oxy_alcohol": alcohol_deepens_oxycodone,
    "resp_alcohol_naloxone": naloxone_leaves_alcohol,
    "resp_alcohol": alcohol_drive,
    "resp_bup_8": buprenorphine_drive(8),
    "resp_bup_32": buprenorphine_drive(32),
    "resp_fentanyl_apnoea": fentanyl_drive(0.5),
    "bup_half_life": buprenorphine_half_life,
    "alcohol_cut": alcohol_reward_cut,
    "nlx_iv_0.001": naloxone_iv_occupancy(0.001),
    "nlx_iv_0.002": naloxone_iv_occupancy(0.002),
    "nlx_iv_0.005": naloxone_iv_occupancy(0.005),
    "nlx_iv_0.03": naloxone_iv_occupancy(0.03),
    "nlx_half_time": naloxone_occupancy_half_time,
    "nlx_iv_0.1": naloxone_iv_occupancy(0.1),
    "acute_withdrawal": acute_withdrawal,
    "nlx_withdrawal_graded": naloxone_withdrawal_graded,
    "bup_precipitates_12h": buprenorphine_withdrawal_after_methadone(12.0),
    "bup_precipitates_48h": buprenorphine_withdrawal_after_methadone(48.0),
    "free_heroin": opioid_free_days("heroin"),
    "free_oxycodone": opioid_free_days("oxycodone"),
    "free_fentanyl": opioid_free_days("fentanyl"),
    "free_methadone": opioid_free_days("methadone"),
    "free_buprenorphine": opioid_free_days("buprenorphine"),
    "implant_2": implant_last_day_above(2.0),
    "implant_1": implant_last_day_above(1.0),
    "xr75_14": xr_small_challenge_ratio(75, 14),
    "xr150_21": xr_small_challenge_ratio(150, 21),
    "xr300_28": xr_small_challenge_ratio(300, 28),
    "nlx_in_2": naloxone_in_occupancy(2),
    "nlx_in_4": naloxone_in_occupancy(4),
    "nlx_in_half_2": naloxone_in_occupancy_half_life_min(2),
    "nlx_in_half_4": naloxone_in_occupancy_half_life_min(4),
    "oxy_morphine_equianalgesic": equianalgesic_drive_ratio,
    "mildh_fentanyl_rest": fentanyl_resting_c50,
    "comer_192_w4": xr_heroin_ratio(28, 192.0),
    "ntx_half_life_late": ntx_half_life_12_36,
    "stitzer_168": withdrawal_a_week_after_one_methadone_dose,
    "xr_oral_auc": xr_over_oral_exposure,
    "block_80_48": heroin_ratio(80, 48),
}


def _bound(value: float | str) -> float:
    """A check's bound: a number, or the name of a response parameter (e.g. blocked_ratio)."""
    return response_parameters()[value].value if isinstance(value, str) else float(value)


def _load(kind: str) -> tuple[Check, ...]:
    """The checks of one kind from data/validation.toml, each with its model quantity from METRICS."""
    rows = tomllib.loads((DATA_DIR / "validation.toml").read_text(encoding="utf-8"))["check"]
    if {r["id"] for r in rows} != set(METRICS):
        raise ValueError("data/validation.toml and validation.METRICS must name the same checks")
    fields = ("id", "group", "quantity", "target", "low", "high", "unit", "source")
    return tuple(
        Check(*(_bound(r[f]) if f in ("low", "high") else r[f] for f in fields), METRICS[r["id"]])
        for r in rows
        if r["kind"] == kind
    )


CHECKS: tuple[Check, ...] = _load("calibration")
#: Out-of-sample comparisons: human data the calibration did not use. Reported (README, app), not
#: asserted: a miss here is a finding about the model, not a failing build.
PREDICTIONS: tuple[Check, ...] = _load("prediction")
