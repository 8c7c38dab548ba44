"""Competitive binding of any number of ligands to one mu-receptor pool.

For ligand i with unbound brain concentration C_i (nM):

    dB_i/dt = kon_i C_i R_free - koff_i B_i,     R_free = R_total - sum_j B_j

With the free-ligand approximation this is linear in B once C is known. Each step of length h
takes C linear over the step and replaces it by its exponentially weighted mean
C_i* = C_i(t+h) - (C_i(t+h) - C_i(t)) g(lambda_i h), g(x) = 1/x - 1/(e^x - 1), lambda_i = koff_i +
kon_i C_i(t+h) (the lag of binding behind concentration: g -> 1/2 for short steps, 1/x for long
ones). It then solves every ligand exactly for a constant free-receptor level F, chosen so that F
equals R_total minus the new bound total:

    a_i = exp(-koff_i h),   c_i = kon_i C_i* (1 - a_i) / koff_i
    F   = (R_total - sum_i a_i B_i) / (1 + sum_i c_i),   B_i <- a_i B_i + c_i F

Receptor density R may adapt to chronic occupancy (options.adaptation; see :func:`bind`).
The loop over steps is compiled with numba (it is the only sequential part of a simulation).
The step is unconditionally stable, keeps every B_i >= 0 and sum B_i <= R_total exactly, and for
long steps (or fast binding) gives the equilibrium B_i = R (C_i/K_i) / (1 + sum_j C_j/K_j).
"""

from __future__ import annotations

import numpy as np
from numba import njit


def equilibrium_occupancy(conc_nm: np.ndarray, kd_nm: np.ndarray, r_total: float | np.ndarray = 1.0) -> np.ndarray:
    """Bound receptor per ligand at equilibrium; ligands on the last axis."""
    x = np.asarray(conc_nm, dtype=float) / np.asarray(kd_nm, dtype=float)
    return np.asarray(r_total)[..., None] * x / (1.0 + x.sum(axis=-1, keepdims=True))


def _lag_weight(x: np.ndarray) -> np.ndarray:
    """g(x) = 1/x - 1/(e^x - 1): weight of the step's start in the exponentially weighted mean."""
    x = np.asarray(x, dtype=float)
    small = x < 1e-3
    xs = np.where(small, 1.0, x)
    return np.where(small, 0.5 - x / 12.0, 1.0 / xs - 1.0 / np.expm1(np.minimum(xs, 700.0)))


@njit(cache=True)
def _march(h, a, c, s, r0, adapt, is_antagonist, b0, out, density):  # pragma: no cover - compiled
    """The step loop: density update (if adapting), then F = (R - sum a B) / s;  B <- a B + c F."""
    n_batch, n_steps, n_lig = c.shape
    gain_up, gain_down, turnover = adapt[0], adapt[1], adapt[2]
    for p in range(n_batch):
        b = b0[p].copy()
        r = r0
        out[p, 0] = b
        density[p, 0] = r
        for k in range(n_steps):
            if turnover > 0.0:
                occ_antagonist = 0.0
                occ_agonist = 0.0
                for i in range(n_lig):
                    if is_antagonist[i]:
                        occ_antagonist += b[i] / r
                    else:
                        occ_agonist += b[i] / r
                target = (1.0 + gain_up * occ_antagonist) / (1.0 + gain_down * occ_agonist)
                rate = turnover * (1.0 + gain_down * occ_agonist)
                r = target + (r - target) * np.exp(-rate * h[k])
            atot = 0.0
            for i in range(n_lig):
                b[i] *= a[k, i]
                atot += b[i]
            free = max((r - atot) / s[p, k], 0.0)
            total = 0.0
            for i in range(n_lig):
                b[i] += c[p, k, i] * free
                total += b[i]
            if total > r:  # only when density falls faster than a slow ligand can leave
                for i in range(n_lig):
                    b[i] *= r / total
            out[p, k + 1] = b
            density[p, k + 1] = r


def bind(t_h: np.ndarray, conc_nm: np.ndarray, kd_nm: np.ndarray, kon_per_nm_per_h: np.ndarray,
         r_total: float = 1.0, adaptation: tuple[float, float, float] | None = None,
         is_antagonist: np.ndarray | None = None, b0: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Bound receptor per ligand [..., time, ligand] and receptor density [..., time] over ``t_h``.

    ``conc_nm`` may carry leading batch axes (e.g. with and without naltrexone, or people).
    Bound amounts are relative to the baseline receptor density (1). With ``adaptation`` =
    (upregulation gain, downregulation gain, turnover 1/h) the density R follows

        dR/dt = k (1 + g_up occ_antagonist) - k (1 + g_down occ_agonist) R

    (occupancies as fractions of R), otherwise it stays at ``r_total``. ``b0`` is the bound
    state at the first time point (default: no receptor bound).
    """
    conc = np.asarray(conc_nm, dtype=float)
    kon = np.asarray(kon_per_nm_per_h, dtype=float)
    koff = np.asarray(kd_nm, dtype=float) * kon
    h = np.diff(t_h)
    a = np.exp(-np.multiply.outer(h, koff))                       # [time-1, ligand]
    c1, c0 = conc[..., 1:, :], conc[..., :-1, :]
    c_eff = c1 - (c1 - c0) * _lag_weight((koff + kon * c1) * h[:, None])
    c = kon * c_eff * (-np.expm1(-np.multiply.outer(h, koff))) / koff
    s = 1.0 + c.sum(axis=-1)                                      # [..., time-1]
    batch = conc.shape[:-2]

    def flat(x: np.ndarray) -> np.ndarray:
        return np.ascontiguousarray(x, dtype=float).reshape((-1,) + x.shape[len(batch):])

    n_lig = conc.shape[-1]
    mask = np.zeros(n_lig, dtype=np.bool_) if is_antagonist is None else np.asarray(is_antagonist, dtype=np.bool_)
    out = np.empty(flat(conc).shape)
    density = np.empty(out.shape[:2])
    _march(np.ascontiguousarray(h, dtype=float), np.ascontiguousarray(a), flat(c), flat(s), float(r_total),
           np.array(adaptation or (0.0, 0.0, 0.0), dtype=float), mask,
           flat(np.broadcast_to(0.0 if b0 is None else b0, batch + (n_lig,))), out, density)
    return out.reshape(conc.shape), density.reshape(conc.shape[:-1])
