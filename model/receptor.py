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
def _march(a, c, s, r, b0, out):  # pragma: no cover - compiled
    """The step loop: F = (R - sum a B) / s;  B <- a B + c F (see the module docstring)."""
    n_batch, n_steps, n_lig = c.shape
    for p in range(n_batch):
        b = b0[p].copy()
        out[p, 0] = b
        for k in range(n_steps):
            atot = 0.0
            for i in range(n_lig):
                b[i] *= a[k, i]
                atot += b[i]
            free = (r[p, k + 1] - atot) / s[p, k]
            for i in range(n_lig):
                b[i] += c[p, k, i] * free
            out[p, k + 1] = b


def bind(t_h: np.ndarray, conc_nm: np.ndarray, kd_nm: np.ndarray, kon_per_nm_per_h: np.ndarray,
         r_total: np.ndarray | float = 1.0, b0: np.ndarray | None = None) -> np.ndarray:
    """Bound fractions B (same shape as ``conc_nm``: [..., time, ligand]) over grid ``t_h``.

    ``conc_nm`` may carry leading batch axes (e.g. with and without naltrexone, or people);
    ``r_total`` is receptor density per time point (1 = baseline), broadcastable to [..., time].
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
    r = np.broadcast_to(np.asarray(r_total, dtype=float), conc.shape[:-1])
    batch = conc.shape[:-2]
    b = np.zeros(batch + conc.shape[-1:]) if b0 is None else np.broadcast_to(np.asarray(b0, dtype=float), batch + conc.shape[-1:])

    def flat(x: np.ndarray) -> np.ndarray:
        return np.ascontiguousarray(x, dtype=float).reshape((-1,) + x.shape[len(batch):])

    out = np.empty(flat(conc).shape)
    _march(np.ascontiguousarray(a), flat(c), flat(s), flat(r), flat(b), out)
    out = out.reshape(conc.shape)
    return out
