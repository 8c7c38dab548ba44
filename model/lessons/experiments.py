"""Experiments the lessons run on the model: dose-response, challenges, protection, stopping, starting.

Each function builds scenarios from :mod:`.regimens`, simulates them (``simulate_fn`` lets the app
pass a cached simulate) and returns a table the pages draw.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .. import core, receptor, response
from ..budget import check_budget
from ..challenge import (  # noqa: F401
    agonist_brain_profile,
    blocked_ratio,
    challenge_ratio_at_levels,
    protection_occupancy,
)
from ..cohort import Cohort
from ..drugs import NALTREXONE_SPECIES, Molecule, molecules, response_parameters
from ..ligands import LigandSet, antagonist_mask, held_share
from ..scenario import DoseEvent, Scenario, dose_events, parse_scenario
from ..simulation import Result, simulate
from .equilibrium import _hill, brain_nm_to_plasma_ng_per_ml
from .metrics import dissociation_half_life_min
from .regimens import (
    AGONIST_DOSES,
    CHRONIC_USE,
    HEROIN_CHALLENGE_MG,
    _scenario,
    _stopping_scenario,
    agonist_dose,
    chronic_use_doses,
    treatment_doses,
)


def dose_response(
    agonist: str = "heroin",
    route: str = "iv",
    doses_mg: Sequence[float] = (5, 10, 25, 50, 100, 250, 500),
    naltrexone_mg: float = 50.0,
    hours_after: Sequence[float] = (24.0, 48.0, 72.0),
) -> pd.DataFrame:
    """Peak reward increment of single agonist doses given at several times after oral naltrexone.

    One row per (hours_after, dose) with ``increment_with`` and ``increment_without`` (0..1) and
    ``ratio``. Every pair is its own scenario (the tablet, then that dose at that hour); all of them
    run as one batch, each taking the tablet and its own agonist dose, with their no-naltrexone
    counterfactuals.
    """
    hs, mgs = [float(h) for h in hours_after], [float(m) for m in doses_mg]
    window = response.challenge_window_h(route)
    s = _scenario(
        f"{agonist} dose-response after naltrexone {naltrexone_mg:g} mg",
        max(hs) + window + 0.5,
        [
            agonist_dose("naltrexone", "oral", naltrexone_mg, 0.0),
            *({**agonist_dose(agonist, route, mg, 0.0), "at_h": sorted(set(hs))} for mg in sorted(set(mgs))),
        ],
    )
    pairs = [(h, mg) for h in hs for mg in mgs]

    def takes(events: Sequence[DoseEvent]) -> np.ndarray:  # the tablet, and only this pair's agonist dose
        return np.array(
            [[e.species in NALTREXONE_SPECIES or (e.at_h == h and e.amount == mg) for e in events] for h, mg in pairs]
        )

    t, r = _each_taking(s, takes, [h + window for h, _ in pairs], counterfactual=True)
    rows = []
    for k, (h, mg) in enumerate(pairs):
        (with_, without), _ = response.increment_and_area(t, r.response.reward[k], h, window)
        rows.append(
            {
                "hours_after_naltrexone": h,
                "dose_mg": mg,
                "increment_with": float(with_),
                "increment_without": float(without),
                "ratio": response.increment_ratio(with_, without),
            }
        )
    return pd.DataFrame(rows)


#: Steady naltrexone levels tried, as multiples of its Kd (0.1 to 10,000, 12 per decade); index 12 is the Kd.
NEEDED_GRID = np.logspace(-1, 4, 61)
NEEDED_KD_INDEX = 12


def naltrexone_needed(
    agonist: str, route: str | None = None, mg: float | None = None, mols: Mapping[str, Molecule] | None = None
) -> dict[str, float]:
    """Lowest steady naltrexone level that blocks one agonist dose (ratio <= blocked ratio).

    Returns the unbound brain level (nM), the matching steady-state plasma level (ng/mL) and the
    ratio at the naltrexone Kd; NaN levels when even 10,000 x its Kd does not block it.
    """
    mols = molecules() if mols is None else mols
    route = route or AGONIST_DOSES[agonist][0]
    mg = mg if mg is not None else AGONIST_DOSES[agonist][1]
    kd = mols["naltrexone"]["kd_nm"]
    levels = kd * NEEDED_GRID
    # the ratio falls as naltrexone rises: every 6th level first, then the levels of the bracket that blocks
    coarse = np.arange(0, levels.size, 6)
    ratio = challenge_ratio_at_levels(agonist, route, mg, levels[coarse], mols=mols)
    ok = np.nonzero(ratio <= blocked_ratio())[0]
    nm = float("nan")
    if ok.size:
        first = coarse[ok[0]]
        between = np.arange(coarse[ok[0] - 1] + 1, first) if ok[0] > 0 else np.arange(0)
        fine = challenge_ratio_at_levels(agonist, route, mg, levels[between], mols=mols) if between.size else []
        nm = float(levels[next((i for i, r in zip(between, fine) if r <= blocked_ratio()), first)])
    return {
        "naltrexone_brain_nm": nm,
        "naltrexone_plasma_ng_per_ml": float(brain_nm_to_plasma_ng_per_ml(nm, mols["naltrexone"])),
        "ratio_at_kd": float(ratio[np.searchsorted(coarse, NEEDED_KD_INDEX)]),
    }


def compare_agonists(mols: Mapping[str, Molecule] | None = None, dose_factor: float = 1.0) -> pd.DataFrame:
    """One row per agonist: role, affinity, efficacy, dissociation half-life (each with its tag), naltrexone needed.

    ``dose_factor`` scales every typical dose in :data:`AGONIST_DOSES`.
    """
    mols = molecules() if mols is None else mols
    rows = []
    for drug, (route, mg0) in AGONIST_DOSES.items():
        mg = mg0 * dose_factor
        m = mols[drug]
        need = naltrexone_needed(drug, route, mg, mols)
        rows.append(
            {
                "drug": drug,
                "kind": "partial" if m.role == "partial_agonist" else "full",
                "route": route,
                "dose_mg": mg,
                "kd_nm": m["kd_nm"],
                "kd_tag": m.parameters["kd_nm"].tag,
                "tau": m["tau"],
                "tau_tag": m.parameters["tau"].tag,
                "dissociation_half_life_min": dissociation_half_life_min(m),
                "dissociation_tag": m.parameters["kon_per_nm_per_h"].tag,
                "naltrexone_brain_nm_to_block": need["naltrexone_brain_nm"],
                "naltrexone_plasma_ng_per_ml_to_block": need["naltrexone_plasma_ng_per_ml"],
            }
        )
    return pd.DataFrame(rows)


def _troughs(r: Result) -> dict[str, np.ndarray]:
    """Per whole day: lowest antagonist occupancy and the brain levels at that moment (columns)."""
    c = r.curves
    occ = held_share(c.bound[0], c.receptor_density[0], antagonist_mask(c.ligands, r.molecules))
    zeros = np.zeros(c.t_h.size)
    ntx, nol = c.brain_nm.get("naltrexone", zeros), c.brain_nm.get("naltrexol", zeros)
    days = int(np.floor(c.t_h[-1] / 24.0 + 1e-9))
    starts = np.searchsorted(c.t_h, 24.0 * np.arange(days))  # each day from its first point ...
    ends = np.searchsorted(c.t_h, 24.0 * np.arange(1, days + 1), side="right")  # ... to its last (midnight in both)
    i = np.array([a + int(np.argmin(occ[a:b])) for a, b in zip(starts, ends)], dtype=int)
    return {
        "day": np.arange(1, days + 1),
        "trough_h": c.t_h[i].astype(float),
        "min_occupancy_antagonist": occ[i].astype(float),
        "naltrexone_brain_nm": ntx[i].astype(float),
        "naltrexol_brain_nm": nol[i].astype(float),
        "naltrexone_plasma_ng_per_ml": c.plasma_ng_per_ml.get("naltrexone", zeros)[i].astype(float),
    }


def daily_troughs(r: Result) -> pd.DataFrame:
    """Per whole day: lowest antagonist occupancy and the brain levels at that moment."""
    return pd.DataFrame(_troughs(r))


def days_protected(r: Result, heroin_ratio: bool = True) -> pd.DataFrame:
    """Per day, whether the day's lowest antagonist occupancy would block 25 mg IV heroin.

    ``protected`` is the one definition the studies share (:func:`model.challenge.days_protected`):
    the trough occupancy is at least :func:`model.challenge.protection_occupancy`. Adds
    ``occupancy_ge_90`` and, with ``heroin_ratio``, the challenge at the trough's brain levels (for
    reading; it costs a binding run over every day, which a count of protected days does not need).
    """
    t = _troughs(r)
    occ = t["min_occupancy_antagonist"]
    if heroin_ratio:
        t["heroin_ratio"] = (
            challenge_ratio_at_levels(
                "heroin", "iv", HEROIN_CHALLENGE_MG, t["naltrexone_brain_nm"], t["naltrexol_brain_nm"], r.molecules
            )
            if occ.size
            else np.zeros(0)
        )
    return pd.DataFrame({**t, "protected": occ >= protection_occupancy(), "occupancy_ge_90": occ >= 0.9})


def missed_tablets_table(
    oral_mg: float = 50.0,
    steady_days: int = 14,
    max_missed: int = 7,
    challenge_mg: float = HEROIN_CHALLENGE_MG,
    simulate_fn: Any = simulate,
) -> pd.DataFrame:
    """Heroin challenge at the trough after 0..``max_missed`` tablets missed in a row.

    After ``steady_days`` of daily tablets, missing ``k`` in a row leaves ``24 (k + 1)`` h until the next
    one; the IV heroin dose is taken just before it, at the lowest naltrexone level. Columns
    ``missed_tablets``, ``hours_since_last_tablet``, ``heroin_ratio`` and ``blocked``.
    """
    missed = np.arange(max_missed + 1)
    hours = 24.0 * (missed + 1)
    last = 24.0 * (steady_days - 1)
    dose = {
        "drug": "naltrexone",
        "route": "oral",
        "amount_mg": float(oral_mg),
        "every_h": 24.0,
        "count": int(steady_days),
        "start_h": 0.0,
    }
    r = simulate_fn(
        _scenario(
            f"naltrexone {oral_mg:g} mg daily for {steady_days} days, then none", last + hours[-1] + 1.0, [dose], 0.5
        )
    )
    c = r.curves
    ntx, nol = (np.interp(last + hours, c.t_h, c.brain_nm[n]) for n in ("naltrexone", "naltrexol"))
    ratio = challenge_ratio_at_levels("heroin", "iv", challenge_mg, ntx, nol, r.molecules)
    return pd.DataFrame(
        {
            "missed_tablets": missed,
            "hours_since_last_tablet": hours,
            "heroin_ratio": ratio,
            "blocked": ratio <= blocked_ratio(),
        }
    )


def missed_tablets_to_lose_blockade(oral_mg: float = 50.0, simulate_fn: Any = simulate) -> int | None:
    """Fewest tablets missed in a row after which 25 mg IV heroin at the trough is no longer blocked.

    0 means even daily tablets do not block at the trough; None means still blocked after a week.
    """
    t = missed_tablets_table(oral_mg, simulate_fn=simulate_fn)
    lost = t.missed_tablets[~t.blocked]
    return int(lost.iloc[0]) if len(lost) else None


def pet_occupancy_vs_dose(
    doses_mg: Sequence[float] = (1, 2, 5, 10, 15, 25, 50, 100), at_h: float = 3.0, simulate_fn: Any = simulate
) -> pd.DataFrame:
    """Antagonist receptor occupancy at ``at_h`` after single oral naltrexone doses (%)."""
    rows = []
    for mg in doses_mg:
        r = simulate_fn(_scenario(f"naltrexone {mg:g} mg", at_h + 1, [agonist_dose("naltrexone", "oral", mg, 0.0)]))
        tab = r.table
        rows.append(
            {
                "dose_mg": float(mg),
                "occupancy_percent": 100 * float(np.interp(at_h, tab.time_h, tab.occupancy_antagonist)),
            }
        )
    return pd.DataFrame(rows)


def _each_taking(
    s: Scenario,
    takes: Callable[[Sequence[DoseEvent]], np.ndarray],
    until_h: Sequence[float],
    counterfactual: bool = False,
) -> tuple[np.ndarray, core.Run]:
    """Run ``s`` once for each row of ``takes(events)`` [run, event] (bool: which doses that run takes).

    A family of scenarios that differ only in which of their doses are taken runs as one batch through
    the simulation core (its people axis), on one time grid; run ``k`` ends at ``until_h[k]`` (its
    receptors and responses are NaN after it: its own scenario would have ended there). Returns the
    grid (h) and the run.
    """
    mols = core.scenario_molecules(s)
    events = dose_events(s)
    taken = takes(events)
    check_budget(s, len(taken))
    p = core.plan(s, events, mols)
    return p.t_h, core.run(
        p,
        Cohort.alike(mols, len(taken)),
        taken,
        counterfactual=counterfactual,
        until_h=np.asarray(until_h, dtype=float),
    )


def blockade_ratio_vs_time(
    naltrexone_mg: Sequence[float] = (50, 100, 150),
    hours: Sequence[float] = (12, 24, 36, 48, 60, 72, 84, 96, 108, 120, 144),
    heroin_mg: float = HEROIN_CHALLENGE_MG,
) -> pd.DataFrame:
    """Increment ratio of an IV heroin dose (25 mg) given at several times after single oral naltrexone doses.

    Every (tablet, hour) pair is its own scenario (the tablet, then heroin at that hour); all of them
    run as one batch, each taking one tablet and one heroin dose, with their no-naltrexone counterfactuals.
    """
    mgs, hs = [float(m) for m in naltrexone_mg], [float(h) for h in hours]
    window = response.challenge_window_h("iv")
    s = _scenario(
        "blockade vs time",
        max(hs) + 6.0,
        [
            *(agonist_dose("naltrexone", "oral", m, 0.0) for m in sorted(set(mgs))),
            {**agonist_dose("heroin", "iv", heroin_mg, 0.0), "at_h": sorted(set(hs))},
        ],
        0.25,
    )
    pairs = [(m, h) for m in mgs for h in hs]

    def takes(events: Sequence[DoseEvent]) -> np.ndarray:
        return np.array(
            [
                [
                    (e.species == "naltrexone" and e.amount == m) or (e.species == "heroin" and e.at_h == h)
                    for e in events
                ]
                for m, h in pairs
            ]
        )

    t, r = _each_taking(s, takes, [h + window for _, h in pairs], counterfactual=True)
    rows = []
    for k, (m, h) in enumerate(pairs):
        (with_, without), _ = response.increment_and_area(t, r.response.reward[k], h, window)
        rows.append({"naltrexone_mg": m, "hours_after": h, "ratio": response.increment_ratio(with_, without)})
    return pd.DataFrame(rows)


def usual_dose_before_scenario(drug: str, route: str, mg: float) -> Scenario:
    """The usual dose in the tolerant user before treatment (the baseline of the stopping lesson)."""
    window = response.challenge_window_h(route)
    return parse_scenario(
        {
            "title": "before treatment",
            "duration_h": window + 2.0,
            "output_step_h": 0.05,
            "dose": [agonist_dose(drug, route, mg, 1.0)],
            "patient": {"opioid_tolerant": True},
            "options": {"adaptation": True},
        }
    )


def usual_dose_before_treatment(drug: str, route: str, mg: float, simulate_fn: Any = simulate) -> dict[str, float]:
    """Peak effect and lowest respiratory drive of the usual dose in the tolerant user before treatment."""
    r = simulate_fn(usual_dose_before_scenario(drug, route, mg))
    return {
        "effect": float(r.challenges.increment_with.iloc[0]),
        "min_drive": float(r.curves.responses.respiratory_drive.min()),
    }  # the nadir, on the solver's grid


def usual_dose_after_scenarios(
    drug: str,
    route: str,
    mg: float,
    treatment: str = "daily tablets",
    weeks: float = 4.0,
    gaps_days: Sequence[float] = tuple(range(0, 29)),
) -> list[Scenario]:
    """One scenario per gap: treatment, then the formerly usual dose ``gap`` days after its last dose."""
    _, last = treatment_doses(treatment, weeks)
    window = response.challenge_window_h(route)
    at = [last + 24.0 * float(g) for g in gaps_days]
    return [_stopping_scenario(treatment, weeks, agonist_dose(drug, route, mg, a), a + window + 1.0) for a in at]


def usual_dose_after_stopping(
    drug: str,
    route: str,
    mg: float,
    treatment: str = "daily tablets",
    weeks: float = 4.0,
    gaps_days: Sequence[float] = tuple(range(0, 29)),
    receptors_adapt: bool = True,
) -> pd.DataFrame:
    """The formerly usual dose taken ``gap`` days after the last naltrexone dose.

    The patient was a tolerant user who stopped using during treatment: tolerance fades while
    naltrexone raises receptor density (the adaptation layer; ``receptors_adapt`` False leaves the
    receptors as they were, to separate the two). One row per gap with the peak effect (reward
    increment), the lowest respiratory drive after the dose (on the solver's grid, which resolves
    the minutes after an injection), and receptor density, tolerance and antagonist occupancy
    when the dose is taken. Each row is its own scenario (:func:`usual_dose_after_scenarios`); all
    of them run as one batch through the simulation core: one "person" per gap, each taking the
    treatment and only their own usual dose.
    """
    gaps = [float(g) for g in gaps_days]
    _, last = treatment_doses(treatment, weeks)
    window = response.challenge_window_h(route)
    at = [last + 24.0 * g for g in gaps]
    s = _stopping_scenario(
        treatment,
        weeks,
        {"drug": drug, "route": route, "amount_mg": float(mg), "at_h": sorted(set(at))},
        max(at) + window + 1.0,
        receptors_adapt,
    )

    def takes(events: Sequence[DoseEvent]) -> np.ndarray:  # the treatment, and only this gap's usual dose
        return np.array([[e.species in NALTREXONE_SPECIES or e.at_h == a for e in events] for a in at])

    t, r = _each_taking(s, takes, [a + window + 1.0 for a in at])
    antagonist = r.ligands.is_antagonist
    rp = {k: v.value for k, v in response_parameters().items()}
    rows = []
    for k, (g, a) in enumerate(zip(gaps, at)):
        resp, before = r.response.person(k), max(int(np.searchsorted(t, a - 1e-9)) - 1, 0)
        inc, _ = response.increment_and_area(t, resp.reward[0], a, window)
        density = float(r.density[k, 0, before])
        rows.append(
            {
                "days_after_last_naltrexone": g,
                "effect": float(inc),
                "min_respiratory_drive": float(
                    resp.respiratory_drive[(t >= a - 1e-9) & (t <= a + window + 1.0 + 1e-9)].min()
                ),
                "receptor_density": density,
                "opioid_tolerance": float(
                    response.relative_tolerance(resp.opioid_tolerance[before], "resp_tolerance", rp)
                ),
                "occupancy_antagonist": float(r.bound[k, 0, before, antagonist].sum()) / density,
            }
        )
    return pd.DataFrame(rows)


def _naltrexone_brain(mg: float, t_h: np.ndarray, simulate_fn: Any) -> tuple[np.ndarray, np.ndarray]:
    r = simulate_fn(
        _scenario(f"naltrexone {mg:g} mg", float(t_h[-1]) + 0.5, [agonist_dose("naltrexone", "oral", mg, 0.0)])
    )
    c = r.curves
    return (np.interp(t_h, c.t_h, c.brain_nm["naltrexone"]), np.interp(t_h, c.t_h, c.brain_nm["naltrexol"]))


def tablet_after_use(
    agonist: str, gap_h: float, naltrexone_mg: float, simulate_fn: Any = simulate
) -> tuple[pd.DataFrame, pd.DataFrame, float]:
    """A naltrexone tablet ``gap_h`` after the last dose of the agonist's chronic use (a tolerant person).

    Returns the run with the tablet (its table), the course from 12 h before to 24 h after the tablet
    (agonist occupancy and reward with and without the tablet, antagonist occupancy with it) and the
    tablet's time (h).
    """
    use, last = chronic_use_doses(agonist)
    tablet = last + gap_h
    base = {"duration_h": tablet + 24.0, "output_step_h": 0.1, "patient": {"opioid_tolerant": True}}
    with_tab = simulate_fn(
        parse_scenario(
            {
                **base,
                "title": f"{agonist}, naltrexone {naltrexone_mg:g} mg {gap_h:g} h after the last dose",
                "dose": [use, agonist_dose("naltrexone", "oral", naltrexone_mg, tablet)],
            }
        )
    ).table
    alone = simulate_fn(parse_scenario({**base, "title": f"{agonist} alone", "dose": [use]})).table
    win = (with_tab.time_h >= tablet - 12) & (with_tab.time_h <= tablet + 24)
    course = pd.DataFrame(
        {
            "time_h": with_tab.time_h[win],
            "occupancy_agonist_with": with_tab.occupancy_agonist[win],
            "occupancy_agonist_without": alone.occupancy_agonist[win],
            "occupancy_antagonist_with": with_tab.occupancy_antagonist[win],
            "reward_with": with_tab.reward[win],
            "reward_without": alone.reward[win],
        }
    )
    return with_tab, course, tablet


def displacement_after_last_dose(
    drug: str,
    naltrexone_mg: float = 50.0,
    hours: Sequence[float] = tuple(range(0, 169, 4)),
    window_h: float = 6.0,
    simulate_fn: Any = simulate,
) -> pd.DataFrame:
    """Agonist occupancy that a naltrexone tablet taken ``h`` hours after the last opioid dose would displace.

    The agonist's brain levels and bound state come from 5 days of :data:`CHRONIC_USE`; from the
    tablet on, the receptors are marched with and without the naltrexone family (kinetic binding,
    so slow-dissociating buprenorphine resists displacement). ``displaced`` is the largest extra
    loss of agonist occupancy over the next ``window_h`` hours (fraction of receptors) and
    ``effect_lost`` the largest drop in opioid effect (reward, 0..1): a sudden loss is precipitated
    withdrawal.
    """
    use, last = chronic_use_doses(drug)
    hours = np.asarray(hours, dtype=float)
    r = simulate_fn(_scenario(f"{drug} chronic use", last + hours.max() + window_h + 1.0, [use], 0.25))
    c, mols = r.curves, r.molecules
    ag = [j for j, n in enumerate(c.ligands) if n not in NALTREXONE_SPECIES and n != "naloxone"]
    names = [c.ligands[j] for j in ag]
    tw = np.linspace(0.0, window_h, 73)
    ntx, nol = _naltrexone_brain(naltrexone_mg, tw, simulate_fn)
    lig = LigandSet.of([*names, "naltrexone", "naltrexol"], mols)
    n = hours.size
    conc = np.zeros((2, n, tw.size, len(lig.names)))
    b0 = np.zeros((2, n, len(lig.names)))
    for k, j in enumerate(ag):
        for i, h in enumerate(hours):
            conc[:, i, :, k] = np.interp(last + h + tw, c.t_h, c.brain_nm[names[k]])
            b0[:, i, k] = np.interp(last + h, c.t_h, c.bound[0][:, j])
    conc[0, :, :, -2], conc[0, :, :, -1] = ntx, nol
    bound, _ = receptor.bind(tw, conc, lig.kd_nm, lig.kon_per_nm_per_h, 1.0, b0=b0)
    occ = bound[..., : len(names)].sum(axis=-1)  # [with/without, hour, time]
    rew = response.reward_from_stimulus(response.stimulus(bound, lig.tau), _hill())
    return pd.DataFrame(
        {
            "hours_after_last_dose": hours,
            "occupancy_agonist_before": b0[0, :, : len(names)].sum(axis=-1),
            "occupancy_agonist_with_naltrexone": occ[0, :, -1],
            "occupancy_agonist_without_naltrexone": occ[1, :, -1],
            "displaced": (occ[1] - occ[0]).max(axis=-1),
            "effect_lost": (rew[1] - rew[0]).max(axis=-1),
        }
    )


def opioid_free_interval(
    naltrexone_mg: float = 50.0,
    max_displaced: float = 0.02,
    drugs: Sequence[str] | None = None,
    max_hours: float = 240.0,
    simulate_fn: Any = simulate,
) -> pd.DataFrame:
    """Hours after the last dose of each agonist until a naltrexone tablet displaces at most ``max_displaced``.

    One row per drug with its chronic use, the hours (NaN when longer than ``max_hours``) and the
    displacement if the tablet were taken 12 h after the last dose.
    """
    drugs = tuple(CHRONIC_USE) if drugs is None else drugs  # read now: a molecule file may add one
    hours = np.arange(0.0, max_hours + 1e-9, 2.0)
    rows = []
    for drug in drugs:
        d = displacement_after_last_dose(drug, naltrexone_mg, hours, simulate_fn=simulate_fn)
        over = np.nonzero(d.displaced.to_numpy() > max_displaced)[0]
        need = 0.0 if over.size == 0 else (float(hours[over[-1] + 1]) if over[-1] + 1 < hours.size else float("nan"))
        route, mg, every = CHRONIC_USE[drug]
        rows.append(
            {
                "drug": drug,
                "chronic_use": f"{mg:g} mg {route} every {every:g} h",
                "hours_opioid_free": need,
                "days_opioid_free": need / 24.0,
                "displaced_if_12_h": float(np.interp(12.0, d.hours_after_last_dose, d.displaced)),
            }
        )
    return pd.DataFrame(rows)


def opioid_free_days(drug: str, days_of_use: int = 7, max_days: float = 40.0, simulate_fn: Any = simulate) -> float:
    """Days from a chronic user's last dose until naltrexone can be started.

    That is when physical dependence falls below ``dependence_threshold`` (NaN beyond ``max_days``),
    after :data:`CHRONIC_USE` for ``days_of_use`` days. The interval is never 0 for a dependent person: dependence fades only after the agonist has left.
    """
    use, last = chronic_use_doses(drug, days_of_use)
    s = _scenario(
        f"{drug}: {days_of_use} days of use, then none",
        last + 24.0 * max_days,
        [use],
        1.0,
        patient={"opioid_tolerant": True},
    )
    t = simulate_fn(s).table
    after = t[t.time_h > last]
    below = after.time_h[after.physical_dependence < response_parameters()["dependence_threshold"].value]
    return float((below.iloc[0] - last) / 24.0) if len(below) else float("nan")
