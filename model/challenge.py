"""Agonist challenges at fixed antagonist levels, and the occupancy that protects against a heroin dose.

A challenge during a trough is fast next to the antagonists' decline, so their brain levels are held
constant and the receptors start in equilibrium with them (vectorised over many levels at once).
Built on the simulation core only, so the population module can use it (docs/model.md, section 4).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache, lru_cache

import numpy as np

from . import core, receptor, response
from .cohort import Cohort
from .drugs import NALTREXONE_SPECIES, Molecule, molecules, response_parameters
from .ligands import LigandSet
from .scenario import dose_events, parse_scenario
from .teaching import HEROIN_CHALLENGE_MG


def blocked_ratio() -> float:
    """Increment ratio at or below which a challenge counts as blocked (docs/model.md, section 4)."""
    return response_parameters()["blocked_ratio"].value


PROFILE_STEP_H = 0.25


def agonist_brain_profile(
    agonist: str, route: str, mg: float, mols: Mapping[str, Molecule] | None = None, duration_h: float | None = None
) -> tuple[np.ndarray, list[str], np.ndarray]:
    """Unbound brain concentrations (nM) after one agonist dose: (t_h, ligand names, [time, ligand]).

    The grid is the refinement after the dose (seconds to hours) plus quarter-hours: a finer output
    step moves a challenge's increment ratio by < 1e-4 and costs 2.5x the binding work.
    """
    duration_h = duration_h or max(response.challenge_window_h(route), 1.0) + 0.5
    registry = molecules()
    if mols is None or all(mols.get(k) is m for k, m in registry.items()):  # the typical molecules: computed once
        t, names, conc = _typical_profile(agonist, route, float(mg), float(duration_h), id(registry))
        return t, list(names), conc
    return _profile(agonist, route, mg, mols, duration_h)


@lru_cache(maxsize=64)
def _typical_profile(
    agonist: str, route: str, mg: float, duration_h: float, registry: int
) -> tuple[np.ndarray, list[str], np.ndarray]:
    """The profile with the registry's molecules (``registry``: its identity, so that a reloaded one is not mixed up)."""
    t, names, conc = _profile(agonist, route, mg, molecules(), duration_h)
    t.flags.writeable = conc.flags.writeable = False  # shared by every caller
    return t, names, conc


def _profile(
    agonist: str, route: str, mg: float, mols: Mapping[str, Molecule], duration_h: float
) -> tuple[np.ndarray, list[str], np.ndarray]:
    s = parse_scenario(
        {
            "title": "profile",
            "duration_h": duration_h,
            "output_step_h": PROFILE_STEP_H,
            "dose": [{"drug": agonist, "route": route, "amount_mg": float(mg), "at_h": [0.0]}],
        }
    )
    events = dose_events(s)
    p = core.plan(s, events, mols)
    r = core.run(p, Cohort.alike(mols), np.ones((1, len(events)), dtype=bool), counterfactual=False)
    names = [n for n in p.ligands if n not in NALTREXONE_SPECIES]
    return p.t_h, names, np.stack([r.brain_nm[n][0] for n in names], axis=-1)


def challenge_ratio_at_levels(
    agonist: str,
    route: str,
    mg: float,
    naltrexone_nm: np.ndarray,
    naltrexol_nm: np.ndarray | None = None,
    mols: Mapping[str, Molecule] | None = None,
) -> np.ndarray:
    """Increment ratio (with / without antagonists) of one agonist dose at constant brain antagonist levels (nM)."""
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
    rew = response.reward_from_stimulus(response.stimulus(bound, lig.tau), response_parameters()["hill_n"].value)
    inc = (rew - rew[:, :1]).max(axis=1)
    return inc[:n] / max(inc[n], 1e-12)


@cache
def protection_occupancy() -> float:
    """Antagonist occupancy at which the teaching heroin challenge (IV) is just blocked (typical molecules)."""
    levels = np.logspace(-3, 3, 241)  # nM, unbound brain naltrexone
    ratio = challenge_ratio_at_levels("heroin", "iv", HEROIN_CHALLENGE_MG, levels)
    kd = molecules()["naltrexone"]["kd_nm"]
    occ = levels / kd / (1 + levels / kd)
    return float(np.interp(blocked_ratio(), ratio[::-1], occ[::-1]))


def days_protected(t_h: np.ndarray, occupancy: np.ndarray) -> np.ndarray:
    """Whole days on which each person's lowest antagonist occupancy [person, time] stays >= protection."""
    days = int(np.floor(t_h[-1] / 24.0 + 1e-9))
    if days < 1:
        return np.zeros(occupancy.shape[0], dtype=int)
    starts = np.searchsorted(t_h, 24.0 * np.arange(days))
    ends = np.searchsorted(t_h, 24.0 * np.arange(1, days + 1), side="right")
    troughs = np.stack([occupancy[:, a:b].min(axis=1) for a, b in zip(starts, ends)], axis=1)
    return (troughs >= protection_occupancy()).sum(axis=1)
