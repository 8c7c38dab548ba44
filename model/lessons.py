"""Science helpers for the teaching pages: equilibrium curves, dose-response, Schild, protection.

Everything here is pure numpy/pandas on top of :mod:`model.receptor`, :mod:`model.response` and
:func:`model.simulate`; the pages only draw what these functions return.

Equilibrium (docs/model.md, section 2) with agonist A and antagonists B_j::

    occ_A = (A/K_A) / (1 + A/K_A + sum_j B_j/K_j),   reward = S^n / (1 + S^n),  S = tau_A occ_A

so an antagonist multiplies the agonist concentration needed for any effect by the dose ratio
``DR = 1 + sum_j B_j/K_j`` and ``log(DR - 1) = log B - log K_B`` (Schild slope 1).

References:
1. Arunlakshana O, Schild HO 1959 Br J Pharmacol 14:48, doi:10.1111/j.1476-5381.1959.tb00928.x.
2. Black JW, Leff P 1983 Proc R Soc Lond B 220:141, doi:10.1098/rspb.1983.0093.

"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from . import pk, receptor, response
from .drugs import NALTREXONE_SPECIES, Molecule, molecules, response_parameters
from .ligands import LigandSet
from .scenario import parse_scenario
from .simulation import Result, simulate

#: Agonists a user takes, with a typical route and dose (mg) for the comparison page.
AGONIST_DOSES: Mapping[str, tuple[str, float]] = {
    "fentanyl": ("iv", 0.1),
    "heroin": ("iv", 25.0),
    "morphine": ("iv", 20.0),
    "oxycodone": ("oral", 40.0),
    "methadone": ("oral", 60.0),
    "buprenorphine": ("sublingual", 8.0),
}
HEROIN_CHALLENGE_MG = 25.0
CHALLENGE_H = 3.0


def _hill() -> float:
    return response_parameters()["hill_n"].value


def blocked_ratio() -> float:
    """Increment ratio at or below which a challenge counts as blocked (docs/model.md, section 4)."""
    return response_parameters()["blocked_ratio"].value


def ng_per_ml_to_nm(ng_per_ml: float | np.ndarray, molar_mass_g_per_mol: float) -> np.ndarray:
    """Convert a plasma concentration from ng/mL to nM."""
    return np.asarray(ng_per_ml, dtype=float) * 1000.0 / molar_mass_g_per_mol


def brain_nm_to_plasma_ng_per_ml(brain_nm: float | np.ndarray, m: Molecule) -> np.ndarray:
    """Total plasma level (ng/mL) that is in equilibrium with an unbound brain level (nM)."""
    return np.asarray(brain_nm, dtype=float) / pk.brain_to_plasma_nm_ratio(m) * m["molar_mass_g_per_mol"] / 1000.0


def equilibrium_curves(agonist: str = "heroin", naltrexone_nm: Sequence[float] = (0.0, 0.3, 3.0, 30.0),
                       agonist_nm: np.ndarray | None = None,
                       mols: Mapping[str, Molecule] | None = None) -> pd.DataFrame:
    """Equilibrium occupancy and reward vs agonist brain concentration at several naltrexone levels.

    Returns one row per (naltrexone level, agonist concentration) with columns ``naltrexone_nm``,
    ``agonist_nm``, ``occupancy_agonist``, ``occupancy_naltrexone``, ``reward``.
    """
    mols = molecules() if mols is None else mols
    a, b = mols[agonist], mols["naltrexone"]
    if agonist_nm is None:
        agonist_nm = np.logspace(np.log10(a["kd_nm"]) - 4, np.log10(a["kd_nm"]) + 3, 200)
    rows = []
    for level in naltrexone_nm:
        conc = np.stack([agonist_nm, np.full_like(agonist_nm, float(level))], axis=-1)
        occ = receptor.equilibrium_occupancy(conc, np.array([a["kd_nm"], b["kd_nm"]]))
        rew = response.reward_from_stimulus(a["tau"] * occ[:, 0], _hill())
        rows.append(pd.DataFrame({"naltrexone_nm": float(level), "agonist_nm": agonist_nm,
                                  "occupancy_agonist": occ[:, 0], "occupancy_naltrexone": occ[:, 1],
                                  "reward": rew}))
    return pd.concat(rows, ignore_index=True)


def ec50_nm(agonist_nm: np.ndarray, reward: np.ndarray, level: float) -> float:
    """Agonist concentration giving ``level`` reward (log-interpolated); NaN if never reached."""
    reward = np.asarray(reward, dtype=float)
    if reward.max() < level:
        return float("nan")
    i = int(np.argmax(reward >= level))
    if i == 0:
        return float(agonist_nm[0])
    x0, x1 = np.log(agonist_nm[i - 1]), np.log(agonist_nm[i])
    f = (level - reward[i - 1]) / (reward[i] - reward[i - 1])
    return float(np.exp(x0 + f * (x1 - x0)))


def schild(agonist: str = "heroin", naltrexone_nm: Sequence[float] = (0.1, 0.3, 1.0, 3.0, 10.0, 30.0),
           mols: Mapping[str, Molecule] | None = None) -> tuple[pd.DataFrame, float, float]:
    """Schild analysis at equilibrium: dose ratios of the half-maximal reward.

    Returns (table with ``naltrexone_nm``, ``dose_ratio``, ``log10_naltrexone_nm``,
    ``log10_dose_ratio_minus_1``), the fitted slope, and the fitted pA2 (-log10 K_B in M).
    """
    mols = molecules() if mols is None else mols
    a = mols[agonist]
    grid = np.logspace(np.log10(a["kd_nm"]) - 6, np.log10(a["kd_nm"]) + 6, 4000)
    curves = equilibrium_curves(agonist, (0.0, *naltrexone_nm), grid, mols)
    base = curves[curves.naltrexone_nm == 0.0]
    half = 0.5 * float(base.reward.max())
    ec0 = ec50_nm(grid, base.reward.to_numpy(), half)
    rows = []
    for level in naltrexone_nm:
        c = curves[curves.naltrexone_nm == float(level)]
        dr = ec50_nm(grid, c.reward.to_numpy(), half) / ec0
        rows.append({"naltrexone_nm": float(level), "dose_ratio": dr})
    t = pd.DataFrame(rows)
    t["log10_naltrexone_nm"] = np.log10(t.naltrexone_nm)
    t["log10_dose_ratio_minus_1"] = np.log10(np.maximum(t.dose_ratio - 1.0, 1e-12))
    slope, intercept = np.polyfit(t.log10_naltrexone_nm, t.log10_dose_ratio_minus_1, 1)
    # log(DR-1) = log[B] - log K_B with [B] in nM; pA2 = -log10(K_B in M) = 9 - log10(K_B in nM).
    pa2 = 9.0 + intercept / slope
    return t, float(slope), float(pa2)


def _scenario(title: str, duration_h: float, doses: list[dict[str, Any]], step_h: float = 0.05,
              parameters: Mapping[str, Mapping[str, float]] | None = None, **extra: Any) -> Any:
    raw: dict[str, Any] = {"title": title, "duration_h": duration_h, "output_step_h": step_h, "dose": doses, **extra}
    if parameters:
        raw["parameters"] = {k: dict(v) for k, v in parameters.items()}
    return parse_scenario(raw)


def agonist_dose(drug: str, route: str, mg: float, at_h: float) -> dict[str, Any]:
    """A single-dose table in the scenario format."""
    return {"drug": drug, "route": route, "amount_mg": float(mg), "at_h": [float(at_h)]}


def dose_response(agonist: str = "heroin", route: str = "iv", doses_mg: Sequence[float] = (5, 10, 25, 50, 100, 250, 500),
                  naltrexone_mg: float = 50.0, hours_after: Sequence[float] = (24.0, 48.0, 72.0),
                  simulate_fn: Any = simulate) -> pd.DataFrame:
    """Peak reward increment of single agonist doses given at several times after oral naltrexone.

    One row per (hours_after, dose) with ``increment_with`` and ``increment_without`` (0..1) and
    ``ratio``; ``simulate_fn`` lets the app pass a cached simulate.
    """
    rows = []
    window = response.challenge_window_h(route)
    for h in hours_after:
        for mg in doses_mg:
            s = _scenario(f"{agonist} {mg:g} mg {h:g} h after naltrexone {naltrexone_mg:g} mg", h + window + 0.5,
                          [agonist_dose("naltrexone", "oral", naltrexone_mg, 0.0), agonist_dose(agonist, route, mg, h)])
            c = simulate_fn(s).challenges.iloc[0]
            rows.append({"hours_after_naltrexone": float(h), "dose_mg": float(mg),
                         "increment_with": float(c.increment_with), "increment_without": float(c.increment_without),
                         "ratio": float(c.ratio)})
    return pd.DataFrame(rows)


def overrides_of(mols: Mapping[str, Molecule] | None) -> dict[str, dict[str, float]]:
    """Parameter values in ``mols`` that differ from the molecule data (scenario overrides)."""
    base = molecules()
    out = {}
    for k, m in (mols or {}).items():
        diff = {p: v.value for p, v in m.parameters.items() if v.value != base[k][p]}
        if diff:
            out[k] = diff
    return out


def agonist_brain_profile(agonist: str, route: str, mg: float, mols: Mapping[str, Molecule] | None = None,
                          duration_h: float | None = None) -> tuple[np.ndarray, list[str], np.ndarray]:
    """Unbound brain concentrations (nM) after one agonist dose: (t_h, ligand names, [time, ligand])."""
    duration_h = duration_h or max(response.challenge_window_h(route), 1.0) + 0.5
    s = _scenario("profile", duration_h, [agonist_dose(agonist, route, mg, 0.0)], 0.05, overrides_of(mols))
    r = simulate(s)
    names = [n for n in r.curves.ligands if n not in NALTREXONE_SPECIES]
    conc = np.stack([r.curves.brain_nm[n] for n in names], axis=-1)
    return r.curves.t_h, names, conc


def challenge_ratio_at_levels(agonist: str, route: str, mg: float, naltrexone_nm: np.ndarray,
                              naltrexol_nm: np.ndarray | None = None,
                              mols: Mapping[str, Molecule] | None = None) -> np.ndarray:
    """Increment ratio of one agonist dose given while the antagonists sit at constant brain levels.

    Antagonist levels barely move during a 3 h challenge at a trough, so they are held constant
    (vectorised over all levels at once); the receptors start in equilibrium with them.
    """
    mols = molecules() if mols is None else mols
    ntx = np.atleast_1d(np.asarray(naltrexone_nm, dtype=float))
    nol = np.zeros_like(ntx) if naltrexol_nm is None else np.atleast_1d(np.asarray(naltrexol_nm, dtype=float))
    t, names, ag = agonist_brain_profile(agonist, route, mg, mols)
    lig = LigandSet.of([*names, "naltrexone", "naltrexol"], mols)
    n = ntx.size
    conc = np.zeros((n + 1, t.size, len(lig.names)))
    conc[:, :, : len(names)] = ag
    conc[:n, :, -2] = ntx[:, None]
    conc[:n, :, -1] = nol[:, None]
    b0 = receptor.equilibrium_occupancy(conc[:, 0, :], lig.kd_nm)
    bound, _ = receptor.bind(t, conc, lig.kd_nm, lig.kon_per_nm_per_h, 1.0, b0=b0)
    rew = response.reward_from_stimulus(response.stimulus(bound, lig.tau), _hill())
    inc = (rew - rew[:, :1]).max(axis=1)
    return inc[:n] / max(inc[n], 1e-12)


def naltrexone_needed(agonist: str, route: str | None = None, mg: float | None = None,
                      mols: Mapping[str, Molecule] | None = None) -> dict[str, float]:
    """Lowest steady naltrexone level that blocks one agonist dose (ratio <= blocked ratio).

    Returns the unbound brain level (nM), the matching steady-state plasma level (ng/mL) and the
    unblocked peak reward; NaN levels when even 1000x the naltrexone Kd does not block it.
    """
    mols = molecules() if mols is None else mols
    route = route or AGONIST_DOSES[agonist][0]
    mg = mg if mg is not None else AGONIST_DOSES[agonist][1]
    levels = mols["naltrexone"]["kd_nm"] * np.logspace(-1, 4, 61)
    ratio = challenge_ratio_at_levels(agonist, route, mg, levels, mols=mols)
    ok = np.nonzero(ratio <= blocked_ratio())[0]
    nm = float(levels[ok[0]]) if ok.size else float("nan")
    return {"naltrexone_brain_nm": nm,
            "naltrexone_plasma_ng_per_ml": float(brain_nm_to_plasma_ng_per_ml(nm, mols["naltrexone"])),
            "ratio_at_kd": float(np.interp(mols["naltrexone"]["kd_nm"], levels, ratio))}


def dissociation_half_life_min(m: Molecule) -> float:
    """Receptor dissociation half-life ln2 / koff in minutes (koff = Kd kon)."""
    return float(np.log(2) / (m["kd_nm"] * m["kon_per_nm_per_h"]) * 60.0)


def compare_agonists(mols: Mapping[str, Molecule] | None = None, dose_factor: float = 1.0) -> pd.DataFrame:
    """One row per agonist: role, affinity, efficacy, dissociation half-life, naltrexone needed.

    ``dose_factor`` scales every typical dose in :data:`AGONIST_DOSES`.
    """
    mols = molecules() if mols is None else mols
    rows = []
    for drug, (route, mg0) in AGONIST_DOSES.items():
        mg = mg0 * dose_factor
        m = mols[drug]
        need = naltrexone_needed(drug, route, mg, mols)
        rows.append({"drug": drug, "kind": "partial" if m.role == "partial_agonist" else "full",
                     "route": route, "dose_mg": mg, "kd_nm": m["kd_nm"], "tau": m["tau"],
                     "dissociation_half_life_min": dissociation_half_life_min(m),
                     "naltrexone_brain_nm_to_block": need["naltrexone_brain_nm"],
                     "naltrexone_plasma_ng_per_ml_to_block": need["naltrexone_plasma_ng_per_ml"]})
    return pd.DataFrame(rows)


def daily_troughs(r: Result) -> pd.DataFrame:
    """Per whole day: lowest antagonist occupancy and the brain levels at that moment."""
    c = r.curves
    idx = [j for j, n in enumerate(c.ligands) if r.molecules[n].role == "antagonist"]
    occ = c.bound[0][:, idx].sum(axis=1) / c.receptor_density[0]
    zeros = np.zeros(c.t_h.size)
    ntx, nol = c.brain_nm.get("naltrexone", zeros), c.brain_nm.get("naltrexol", zeros)
    days = int(np.floor(c.t_h[-1] / 24.0 + 1e-9))
    rows = []
    for d in range(days):
        m = (c.t_h >= 24 * d) & (c.t_h <= 24 * (d + 1))
        i = np.nonzero(m)[0][int(np.argmin(occ[m]))]
        rows.append({"day": d + 1, "trough_h": float(c.t_h[i]), "min_occupancy_antagonist": float(occ[i]),
                     "naltrexone_brain_nm": float(ntx[i]), "naltrexol_brain_nm": float(nol[i]),
                     "naltrexone_plasma_ng_per_ml": float(c.plasma_ng_per_ml.get("naltrexone", zeros)[i])})
    return pd.DataFrame(rows)


def days_protected(r: Result, challenge_mg: float = HEROIN_CHALLENGE_MG) -> pd.DataFrame:
    """Per day, whether 25 mg IV heroin at that day's lowest antagonist level would be blocked.

    Adds ``heroin_ratio``, ``protected`` (ratio <= blocked ratio) and ``occupancy_ge_90``.
    """
    t = daily_troughs(r)
    if t.empty:
        return t.assign(heroin_ratio=[], protected=[], occupancy_ge_90=[])
    ratio = challenge_ratio_at_levels("heroin", "iv", challenge_mg, t.naltrexone_brain_nm.to_numpy(),
                                      t.naltrexol_brain_nm.to_numpy(), r.molecules)
    return t.assign(heroin_ratio=ratio, protected=ratio <= blocked_ratio(),
                    occupancy_ge_90=t.min_occupancy_antagonist >= 0.9)


def regimen_doses(kind: str, days: int, adherence: float = 1.0, oral_mg: float = 50.0, xr_mg: float = 380.0,
                  implant_mg: float = 1700.0, implant_months: float = 5.0,
                  attendance: float | None = None) -> list[dict[str, Any]]:
    """Naltrexone dose tables for a regimen over ``days``: 'oral' daily, 'im_xr' every 28 days, 'implant'.

    ``adherence`` (0..1) is each tablet's ``taken_probability`` and ``attendance`` each injection's
    (default: the same as ``adherence``); the seed fixes which doses are missed.
    """
    dur = 24.0 * days
    share = adherence if kind == "oral" or attendance is None else attendance
    p = {"taken_probability": float(share)} if share < 1 else {}
    if kind == "oral":
        return [{"drug": "naltrexone", "route": "oral", "amount_mg": oral_mg, "every_h": 24.0,
                 "count": int(days), "start_h": 0.0, **p}]
    if kind == "im_xr":
        n = int(np.floor((dur - 1e-9) / (28 * 24))) + 1
        return [{"drug": "naltrexone", "route": "im_xr", "amount_mg": xr_mg, "every_h": 24.0 * 28,
                 "count": n, "start_h": 0.0, **p}]
    if kind == "implant":
        return [{"drug": "naltrexone", "route": "implant", "amount_mg": implant_mg,
                 "release_months": implant_months, "at_h": [0.0]}]
    raise ValueError(f"regimen: {kind!r} is not one of oral, im_xr, implant")


def missed_tablets_table(oral_mg: float = 50.0, steady_days: int = 14, max_missed: int = 7,
                         challenge_mg: float = HEROIN_CHALLENGE_MG, simulate_fn: Any = simulate) -> pd.DataFrame:
    """Heroin challenge at the trough after 0..``max_missed`` tablets missed in a row.

    After ``steady_days`` of daily tablets, missing ``k`` in a row leaves ``24 (k + 1)`` h until the next
    one; the IV heroin dose is taken just before it, at the lowest naltrexone level. Columns
    ``missed_tablets``, ``hours_since_last_tablet``, ``heroin_ratio`` and ``blocked``.
    """
    missed = np.arange(max_missed + 1)
    hours = 24.0 * (missed + 1)
    last = 24.0 * (steady_days - 1)
    dose = {"drug": "naltrexone", "route": "oral", "amount_mg": float(oral_mg), "every_h": 24.0,
            "count": int(steady_days), "start_h": 0.0}
    r = simulate_fn(_scenario(f"naltrexone {oral_mg:g} mg daily for {steady_days} days, then none",
                              last + hours[-1] + 1.0, [dose], 0.5))
    c = r.curves
    ntx, nol = (np.interp(last + hours, c.t_h, c.brain_nm[n]) for n in ("naltrexone", "naltrexol"))
    ratio = challenge_ratio_at_levels("heroin", "iv", challenge_mg, ntx, nol, r.molecules)
    return pd.DataFrame({"missed_tablets": missed, "hours_since_last_tablet": hours, "heroin_ratio": ratio,
                         "blocked": ratio <= blocked_ratio()})


def missed_tablets_to_lose_blockade(oral_mg: float = 50.0, simulate_fn: Any = simulate) -> int | None:
    """Fewest tablets missed in a row after which 25 mg IV heroin at the trough is no longer blocked.

    0 means even daily tablets do not block at the trough; None means still blocked after a week.
    """
    t = missed_tablets_table(oral_mg, simulate_fn=simulate_fn)
    lost = t.missed_tablets[~t.blocked]
    return int(lost.iloc[0]) if len(lost) else None


def receptor_grid(fractions: Mapping[str, float], n: int = 100, seed: int = 7) -> np.ndarray:
    """``n`` receptors labelled by occupant in proportion to ``fractions`` (largest remainder), shuffled.

    Fractions are clipped to [0, 1]; the remainder is labelled ``free``. The shuffle is seeded,
    so the picture only changes where the counts change.
    """
    f = {k: max(0.0, float(v)) for k, v in fractions.items()}
    total = sum(f.values())
    if total > 1:
        f = {k: v / total for k, v in f.items()}
    f["free"] = max(0.0, 1.0 - sum(f.values()))
    raw = {k: v * n for k, v in f.items()}
    counts = {k: int(np.floor(v)) for k, v in raw.items()}
    for k in sorted(raw, key=lambda k: raw[k] - counts[k], reverse=True)[: n - sum(counts.values())]:
        counts[k] += 1
    labels = np.concatenate([np.full(c, k, dtype=object) for k, c in counts.items()])
    order = np.random.default_rng(seed).permutation(n)
    return labels[np.argsort(order)]


def occupancy_at(r: Result, t_h: float) -> dict[str, float]:
    """Occupancy by naltrexone, 6-beta-naltrexol and all agonists at time ``t_h`` (output table)."""
    tab = r.table
    i = int(np.argmin(np.abs(tab.time_h.to_numpy() - t_h)))
    row = tab.iloc[i]
    return {"naltrexone": float(row.get("occupancy_naltrexone", 0.0)),
            "naltrexol": float(row.get("occupancy_naltrexol", 0.0)),
            "agonist": float(row.occupancy_agonist)}


def pet_occupancy_vs_dose(doses_mg: Sequence[float] = (1, 2, 5, 10, 15, 25, 50, 100), at_h: float = 3.0,
                          simulate_fn: Any = simulate) -> pd.DataFrame:
    """Antagonist receptor occupancy at ``at_h`` after single oral naltrexone doses (%)."""
    rows = []
    for mg in doses_mg:
        r = simulate_fn(_scenario(f"naltrexone {mg:g} mg", at_h + 1, [agonist_dose("naltrexone", "oral", mg, 0.0)]))
        tab = r.table
        rows.append({"dose_mg": float(mg),
                     "occupancy_percent": 100 * float(np.interp(at_h, tab.time_h, tab.occupancy_antagonist))})
    return pd.DataFrame(rows)


def blockade_ratio_vs_time(naltrexone_mg: Sequence[float] = (50, 100, 150),
                           hours: Sequence[float] = (12, 24, 36, 48, 60, 72, 84, 96, 108, 120, 144),
                           simulate_fn: Any = simulate, heroin_mg: float = HEROIN_CHALLENGE_MG) -> pd.DataFrame:
    """Increment ratio of an IV heroin dose (25 mg) given at several times after single oral naltrexone doses."""
    rows = []
    for mg in naltrexone_mg:
        for h in hours:
            s = _scenario(f"heroin {h:g} h after {mg:g} mg", h + 6,
                          [agonist_dose("naltrexone", "oral", mg, 0.0), agonist_dose("heroin", "iv", heroin_mg, h)], 0.25)
            rows.append({"naltrexone_mg": float(mg), "hours_after": float(h),
                         "ratio": float(simulate_fn(s).challenges.ratio.iloc[0])})
    return pd.DataFrame(rows)


def drug_of_species(species: str) -> str:
    """The user-facing drug that puts ``species`` into the body (or the species itself)."""
    m = molecules().get(species)
    return m.drug if m and m.drug else species


# --- Beyond the blockade: craving, stopping and starting, naloxone rescue -------------------------

#: Naltrexone plans on the craving page.
CRAVING_PLANS = ("no naltrexone", "monthly injection kept", "second injection missed", "daily tablets")


def use_episodes(drug: str = "heroin", route: str = "iv", mg: float = 25.0, every_days: float = 2.0,
                 weeks: float = 8.0, start_h: float = 30.0) -> dict[str, Any]:
    """A repeating agonist dose table: one use episode every ``every_days`` for ``weeks`` weeks."""
    every_h = 24.0 * every_days
    count = max(1, int(np.floor((24.0 * 7 * weeks - start_h - 1e-9) / every_h)) + 1)
    return {"drug": drug, "route": route, "amount_mg": float(mg), "every_h": every_h, "count": count,
            "start_h": float(start_h)}


def craving_doses(plan: str, weeks: float = 8.0, heroin_mg: float = 25.0, every_days: float = 2.0,
                  adherence: float = 1.0) -> list[dict[str, Any]]:
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


def episode_table(r: Result) -> pd.DataFrame:
    """One row per use episode: day, reward with and without naltrexone, blocked, craving just after."""
    c = r.challenges
    if c.empty:
        return pd.DataFrame(columns=["episode", "day", "reward_with", "reward_without", "blocked", "craving_after"])
    tab = r.table
    after = np.searchsorted(tab.time_h.to_numpy(), c.at_h.to_numpy() + 1e-6)
    after = np.minimum(after, len(tab) - 1)
    crav = tab["craving"].to_numpy() if "craving" in tab else np.full(len(tab), np.nan)
    return pd.DataFrame({"episode": np.arange(1, len(c) + 1), "day": c.at_h.to_numpy() / 24.0,
                         "reward_with": c.increment_with.to_numpy(), "reward_without": c.increment_without.to_numpy(),
                         "blocked": c.blocked.to_numpy(dtype=bool), "craving_after": crav[after]})


#: Naltrexone treatments on the stopping page: route, dose (mg), dosing interval (h).
TREATMENTS: Mapping[str, tuple[str, float, float]] = {
    "daily tablets": ("oral", 50.0, 24.0),
    "monthly injection": ("im_xr", 380.0, 24.0 * 28),
}
#: Post-treatment death rates per 100 person-years (Gibson & Degenhardt 2007, Drug Alcohol Rev 26:405,
#: doi:10.1080/09595230701373826): after oral naltrexone ended vs during treatment.
DEATHS_PER_100PY_AFTER, DEATHS_PER_100PY_DURING = 22.1, 1.0


def treatment_doses(treatment: str, weeks: float) -> tuple[list[dict[str, Any]], float]:
    """Naltrexone doses for ``weeks`` of a treatment in :data:`TREATMENTS`, and the time of the last dose (h)."""
    route, mg, every = TREATMENTS[treatment]
    count = max(1, int(np.floor(24.0 * 7 * weeks / every + 1e-9)))
    return ([{"drug": "naltrexone", "route": route, "amount_mg": mg, "at_h": [every * k for k in range(count)]}],
            every * (count - 1))


def _stopping_scenario(treatment: str, weeks: float, dose: dict[str, Any] | None, duration_h: float) -> Any:
    ntx, _ = treatment_doses(treatment, weeks)
    return parse_scenario({"title": f"after {weeks:g} weeks of {treatment}", "duration_h": duration_h,
                           "output_step_h": 1.0, "dose": [*ntx, *([dose] if dose else [])],
                           "patient": {"opioid_tolerant": True}, "options": {"adaptation": True}})


def usual_dose_before_treatment(drug: str, route: str, mg: float, simulate_fn: Any = simulate) -> dict[str, float]:
    """Peak effect and lowest respiratory drive of the usual dose in the tolerant user before treatment."""
    window = response.challenge_window_h(route)
    s = parse_scenario({"title": "before treatment", "duration_h": window + 2.0, "output_step_h": 0.05,
                        "dose": [agonist_dose(drug, route, mg, 1.0)], "patient": {"opioid_tolerant": True},
                        "options": {"adaptation": True}})
    r = simulate_fn(s)
    return {"effect": float(r.challenges.increment_with.iloc[0]), "min_drive": float(r.table.respiratory_drive.min())}


def usual_dose_after_stopping(drug: str, route: str, mg: float, treatment: str = "daily tablets", weeks: float = 4.0,
                              gaps_days: Sequence[float] = tuple(range(0, 29)),
                              simulate_fn: Any = simulate) -> pd.DataFrame:
    """The formerly usual dose taken ``gap`` days after the last naltrexone dose (adaptation on).

    The patient was a tolerant user who stopped using during treatment: tolerance fades (t1/2 ~7
    days) while naltrexone raises receptor density. One row per gap with the peak effect
    (reward increment), the lowest respiratory drive, and receptor density, tolerance and
    antagonist occupancy when the dose is taken.
    """
    _, last = treatment_doses(treatment, weeks)
    window = response.challenge_window_h(route)
    rows = []
    for g in gaps_days:
        at = last + 24.0 * float(g)
        r = simulate_fn(_stopping_scenario(treatment, weeks, agonist_dose(drug, route, mg, at), at + window + 1.0))
        tab, ch = r.table, r.challenges.iloc[0]
        i = int(np.searchsorted(tab.time_h.to_numpy(), at - 1e-9))
        rows.append({"days_after_last_naltrexone": float(g), "effect": float(ch.increment_with),
                     "min_respiratory_drive": float(tab.respiratory_drive.iloc[i:].min()),
                     "receptor_density": float(tab.receptor_density.iloc[max(i - 1, 0)]),
                     "opioid_tolerance": float(tab.opioid_tolerance.iloc[max(i - 1, 0)]),
                     "occupancy_antagonist": float(tab.occupancy_antagonist.iloc[max(i - 1, 0)])})
    return pd.DataFrame(rows)


def risk_window(after: pd.DataFrame, before: Mapping[str, float], drive_limit: float = 0.5) -> pd.Series:
    """Days on which the usual dose is riskier than before treatment (lower drive) or drops drive below the limit."""
    d = after.min_respiratory_drive
    return (d < before["min_drive"] - 0.02) | (d < drive_limit)


#: Typical chronic use of each agonist before starting naltrexone: route, dose (mg), interval (h).
CHRONIC_USE: Mapping[str, tuple[str, float, float]] = {
    "fentanyl": ("iv", 0.1, 6.0),
    "heroin": ("iv", 25.0, 8.0),
    "morphine": ("oral", 30.0, 8.0),
    "oxycodone": ("oral", 40.0, 12.0),
    "methadone": ("oral", 60.0, 24.0),
    "buprenorphine": ("sublingual", 16.0, 24.0),
}


def chronic_use_doses(drug: str, days: int = 5) -> tuple[dict[str, Any], float]:
    """A :data:`CHRONIC_USE` dose table for ``days`` days and the time of its last dose (h)."""
    route, mg, every = CHRONIC_USE[drug]
    count = int(round(24.0 * days / every))
    return ({"drug": drug, "route": route, "amount_mg": mg, "every_h": every, "count": count, "start_h": 0.0},
            every * (count - 1))


def _naltrexone_brain(mg: float, t_h: np.ndarray, simulate_fn: Any) -> tuple[np.ndarray, np.ndarray]:
    r = simulate_fn(_scenario(f"naltrexone {mg:g} mg", float(t_h[-1]) + 0.5, [agonist_dose("naltrexone", "oral", mg, 0.0)]))
    c = r.curves
    return (np.interp(t_h, c.t_h, c.brain_nm["naltrexone"]), np.interp(t_h, c.t_h, c.brain_nm["naltrexol"]))


def displacement_after_last_dose(drug: str, naltrexone_mg: float = 50.0,
                                 hours: Sequence[float] = tuple(range(0, 169, 4)), window_h: float = 6.0,
                                 simulate_fn: Any = simulate) -> pd.DataFrame:
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
    occ = bound[..., : len(names)].sum(axis=-1)           # [with/without, hour, time]
    rew = response.reward_from_stimulus(response.stimulus(bound, lig.tau), _hill())
    return pd.DataFrame({"hours_after_last_dose": hours, "occupancy_agonist_before": b0[0, :, : len(names)].sum(axis=-1),
                         "occupancy_agonist_with_naltrexone": occ[0, :, -1],
                         "occupancy_agonist_without_naltrexone": occ[1, :, -1],
                         "displaced": (occ[1] - occ[0]).max(axis=-1),
                         "effect_lost": (rew[1] - rew[0]).max(axis=-1)})


def opioid_free_interval(naltrexone_mg: float = 50.0, max_displaced: float = 0.02,
                         drugs: Sequence[str] = tuple(CHRONIC_USE), max_hours: float = 240.0,
                         simulate_fn: Any = simulate) -> pd.DataFrame:
    """Hours after the last dose of each agonist until a naltrexone tablet displaces at most ``max_displaced``.

    One row per drug with its chronic use, the hours (NaN when longer than ``max_hours``) and the
    displacement if the tablet were taken 12 h after the last dose.
    """
    hours = np.arange(0.0, max_hours + 1e-9, 2.0)
    rows = []
    for drug in drugs:
        d = displacement_after_last_dose(drug, naltrexone_mg, hours, simulate_fn=simulate_fn)
        over = np.nonzero(d.displaced.to_numpy() > max_displaced)[0]
        need = 0.0 if over.size == 0 else (float(hours[over[-1] + 1]) if over[-1] + 1 < hours.size else float("nan"))
        route, mg, every = CHRONIC_USE[drug]
        rows.append({"drug": drug, "chronic_use": f"{mg:g} mg {route} every {every:g} h",
                     "hours_opioid_free": need, "days_opioid_free": need / 24.0,
                     "displaced_if_12_h": float(np.interp(12.0, d.hours_after_last_dose, d.displaced))})
    return pd.DataFrame(rows)


def opioid_free_days(drug: str, days_of_use: int = 7, max_days: float = 40.0, simulate_fn: Any = simulate) -> float:
    """Days from a chronic user's last dose until naltrexone can be started.

    That is when physical dependence falls below ``dependence_threshold`` (NaN beyond ``max_days``),
    after :data:`CHRONIC_USE` for ``days_of_use`` days. The interval is never 0 for a dependent person: dependence fades only after the agonist has left.
    """
    use, last = chronic_use_doses(drug, days_of_use)
    s = _scenario(f"{drug}: {days_of_use} days of use, then none", last + 24.0 * max_days, [use], 1.0,
                  patient={"opioid_tolerant": True})
    t = simulate_fn(s).table
    after = t[t.time_h > last]
    below = after.time_h[after.physical_dependence < response_parameters()["dependence_threshold"].value]
    return float((below.iloc[0] - last) / 24.0) if len(below) else float("nan")


def overdose_doses(opioid: str, opioid_mg: float, rescue_route: str | None, rescue_mg: float, rescue_h: float,
                   opioid_h: float = 0.25, naltrexone_xr_days_before: float | None = None) -> list[dict[str, Any]]:
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


def rescue_summary(table: pd.DataFrame, rescue_h: float, limit: float = 0.5) -> dict[str, float]:
    """Lowest drive before the rescue, best drive in the 2 h after it, and re-narcotisation after that.

    ``renarcotised_h`` is the first time after the best recovery at which drive falls below
    ``limit`` again (NaN when it does not); ``hours_below_limit`` counts all time below the limit.
    """
    t, d = table.time_h.to_numpy(), table.respiratory_drive.to_numpy()
    before = d[t <= rescue_h]
    soon = (t > rescue_h) & (t <= rescue_h + 2.0)
    if not soon.any():
        return {"min_before": float(before.min()), "best_after": float("nan"), "min_later": float("nan"),
                "renarcotised_h": float("nan"), "hours_below_limit": float(np.sum((d < limit)[1:] * np.diff(t)))}
    i = int(np.nonzero(soon)[0][np.argmax(d[soon])])
    later = np.nonzero((t > t[i]) & (d < limit))[0]
    recovered = d[i] >= limit
    return {"min_before": float(before.min()), "best_after": float(d[i]), "min_later": float(d[i:].min()),
            "renarcotised_h": float(t[later[0]]) if (recovered and later.size) else float("nan"),
            "hours_below_limit": float(np.sum((d < limit)[1:] * np.diff(t)))}
