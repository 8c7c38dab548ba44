"""The same equations handed whole to a general ODE solver: the yardstick for the fast solver.

Used by the tests (a tight-tolerance reference) and by the benchmark (a naive ``RK45`` baseline).
State = linear PK amounts and effect sites, then bound fractions per ligand for the run with
naltrexone and the run without. Alcohol scenarios are not covered.
"""

from __future__ import annotations

import numpy as np
from scipy.integrate import solve_ivp

from . import pk
from .core import scenario_molecules, time_grid
from .drugs import NALTREXONE_SPECIES
from .ligands import LigandSet
from .scenario import Scenario, dose_events


def solve_reference(
    s: Scenario, method: str = "LSODA", rtol: float = 1e-10, atol: float = 1e-12
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Bound fractions [2, time, ligand] on the fast solver's grid, integrated with ``solve_ivp``."""
    mols = scenario_molecules(s)
    events = dose_events(s)
    if any(mols[e.species].routes[e.route].kind == "alcohol" for e in events):
        raise ValueError("the reference solver does not cover alcohol")
    t, _ = time_grid(s, events, mols)
    sysm, species, inputs = pk.build_system(mols, events, s.patient.weight_kg)
    a = sysm.matrix()
    n = a.shape[0]
    ligands = [sp for sp in species if mols[sp].binds]
    brain = np.zeros((len(ligands), n))  # unbound brain level = sum of a ligand's brain states
    for j, sp in enumerate(ligands):
        brain[j, sysm.brain_states(sp)] = 1.0
    lig = LigandSet.of(ligands, mols)
    kon = lig.kon_per_nm_per_h
    koff = lig.kd_nm * kon
    keep = np.array([x not in NALTREXONE_SPECIES for x in ligands], dtype=float)
    nl = len(ligands)

    def rhs(_t: float, y: np.ndarray) -> np.ndarray:
        x = y[:n]
        c = brain @ x
        out = np.empty_like(y)
        out[:n] = a @ x
        for run, cc in enumerate((c, c * keep)):
            b = y[n + run * nl : n + (run + 1) * nl]
            out[n + run * nl : n + (run + 1) * nl] = kon * cc * (1.0 - b.sum()) - koff * b
        return out

    y = np.zeros(n + 2 * nl)
    times = sorted({e.at_h for e in events})
    bounds = times + [float(t[-1])]
    result = np.zeros((t.size, 2 * nl))
    for i, te in enumerate(times):
        for e, inp in zip(events, inputs):
            if e.at_h == te:
                for state, frac in inp:
                    y[state] += frac * e.amount
        t1 = bounds[i + 1]
        last = i + 1 == len(times)
        mask = (t >= te) & ((t <= t1) if last else (t < t1))
        if t1 > te:
            t_eval = np.append(t[mask], t1) if not last else t[mask]
            sol = solve_ivp(rhs, (te, t1), y, method=method, rtol=rtol, atol=atol, t_eval=t_eval)
            if not sol.success:
                raise RuntimeError(sol.message)
            result[mask] = sol.y[n:, : mask.sum()].T
            y = sol.y[:, -1]
        elif mask.any():
            result[mask] = y[n:]
    bound = np.stack([result[:, :nl], result[:, nl:]])
    return t, bound, ligands
