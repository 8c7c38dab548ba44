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

Each grid step is cut into up to MAX_SUBSTEPS equal substeps so that (koff_i + kon_i C_i) times
the substep stays at or below SUBSTEP_LAMBDA_H: the scheme is first order and its error is
largest where binding and concentration change on the same time scale.
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


SUBSTEP_LAMBDA_H = 1.0  # substeps keep (koff + kon C) h <= 1 ...
MAX_SUBSTEPS = 32  # ... up to this many per grid step


@njit(cache=True, nogil=True)
def _same_step(conc, koff, kon, out, density, k, p):  # pragma: no cover - compiled
    """Whether batch member ``p`` starts step ``k`` as member ``p - 1`` did, with the same inputs over it."""
    if density[k, p] != density[k, p - 1]:
        return False
    for i in range(conc.shape[2]):
        if (
            out[k, p, i] != out[k, p - 1, i]
            or koff[p, i] != koff[p - 1, i]
            or kon[p, i] != kon[p - 1, i]
            or conc[k, p, i] != conc[k, p - 1, i]
            or conc[k + 1, p, i] != conc[k + 1, p - 1, i]
        ):
            return False
    return True


@njit(cache=True, nogil=True)  # long binding loops must not stall the web server
def _march(
    h, h_index, h_unique, conc, koff, kon, r0, adapt, is_antagonist, b0, out, density, max_substeps, last
):  # pragma: no cover - compiled
    """The step loop (see the module docstring): lagged concentrations, density, then F and B.

    Time is the outer axis (conc, out [time, batch, ligand]; density [time, batch]) so that every
    array is read and written in order. ``h_index`` maps each step to its length in ``h_unique``:
    the decay factors of undivided steps are computed once per distinct length. Member ``p`` is
    computed up to grid point ``last[p]``; its later points are NaN.
    """
    n_time, n_batch, n_lig = conc.shape
    a_tab = np.empty((n_batch, h_unique.size, n_lig))
    q_tab = np.empty((n_batch, h_unique.size, n_lig))
    for p in range(n_batch):
        for u in range(h_unique.size):
            for i in range(n_lig):
                a_tab[p, u, i] = np.exp(-min(koff[p, i] * h_unique[u], 600.0))
                q_tab[p, u, i] = kon[p, i] * (1.0 - a_tab[p, u, i]) / koff[p, i]
    gain_up, gain_down, turnover = adapt[0], adapt[1], adapt[2]
    a = np.empty(n_lig)
    c = np.empty(n_lig)
    g = np.empty(n_lig)
    q = np.empty(n_lig)
    b = b0.copy()
    r = np.full(n_batch, r0)
    out[0] = b
    density[0] = r
    for k in range(n_time - 1):
        for p in range(n_batch):
            if k >= last[p]:  # past what this member is asked for
                for i in range(n_lig):
                    out[k + 1, p, i] = np.nan
                density[k + 1, p] = np.nan
                continue
            if p > 0 and _same_step(conc, koff, kon, out, density, k, p):
                # this member starts the step as the previous one did, with the same inputs over it
                # (people who differ only in a later dose): its step is the same, bit for bit
                r[p] = r[p - 1]
                for i in range(n_lig):
                    b[p, i] = b[p - 1, i]
                    out[k + 1, p, i] = b[p, i]
                density[k + 1, p] = r[p]
                continue
            m = 1
            if max_substeps > 1:
                lam = 0.0
                for i in range(n_lig):
                    lam = max(lam, koff[p, i] + kon[p, i] * max(conc[k, p, i], conc[k + 1, p, i]))
                m = min(max(int(np.ceil(lam * h[k] / SUBSTEP_LAMBDA_H)), 1), max_substeps)
            hk = h[k] / m
            for i in range(n_lig):  # per-step constants (same for every substep)
                ko = koff[p, i]
                x = (ko + kon[p, i] * conc[k + 1, p, i]) * hk
                # g by its series below 1 (no cancellation; error < 1e-6), 1/x where e^-x is negligible,
                # exactly between (e^x - 1 loses nothing for x >= 1); exponents are capped so that exp
                # never takes its slow underflow path.
                x2 = x * x
                g[i] = (
                    0.5 - x / 12.0 * (1.0 - x2 / 60.0 * (1.0 - x2 / 42.0))
                    if x < 1.0
                    else 1.0 / x
                    if x > 40.0
                    else 1.0 / x - 1.0 / (np.exp(x) - 1.0)
                )
                if m == 1:
                    a[i] = a_tab[p, h_index[k], i]
                    q[i] = q_tab[p, h_index[k], i]
                else:
                    a[i] = np.exp(-min(ko * hk, 600.0))
                    q[i] = kon[p, i] * (1.0 - a[i]) / ko
            rp = r[p]
            for j in range(m):
                w0, w1 = j / m, (j + 1) / m
                s = 1.0
                for i in range(n_lig):
                    ca, cb = conc[k, p, i], conc[k + 1, p, i]
                    c0 = ca + (cb - ca) * w0
                    c1 = ca + (cb - ca) * w1
                    c[i] = (c1 - (c1 - c0) * g[i]) * q[i]
                    s += c[i]
                if turnover > 0.0:
                    occ_antagonist = 0.0
                    occ_agonist = 0.0
                    for i in range(n_lig):
                        if is_antagonist[i]:
                            occ_antagonist += b[p, i] / rp
                        else:
                            occ_agonist += b[p, i] / rp
                    target = (1.0 + gain_up * occ_antagonist) / (1.0 + gain_down * occ_agonist)
                    rate = turnover * (1.0 + gain_down * occ_agonist)
                    rp = target + (rp - target) * np.exp(-rate * hk)
                atot = 0.0
                for i in range(n_lig):
                    b[p, i] *= a[i]
                    atot += b[p, i]
                free = max((rp - atot) / s, 0.0)
                total = 0.0
                for i in range(n_lig):
                    b[p, i] += c[i] * free
                    total += b[p, i]
                if total > rp:  # only when density falls faster than a slow ligand can leave
                    for i in range(n_lig):
                        b[p, i] *= rp / total
            r[p] = rp
            for i in range(n_lig):
                out[k + 1, p, i] = b[p, i]
            density[k + 1, p] = rp


def bind(
    t_h: np.ndarray,
    conc_nm: np.ndarray,
    kd_nm: np.ndarray,
    kon_per_nm_per_h: np.ndarray,
    r_total: float = 1.0,
    adaptation: tuple[float, float, float] | None = None,
    is_antagonist: np.ndarray | None = None,
    b0: np.ndarray | None = None,
    max_substeps: int = MAX_SUBSTEPS,
    until_index: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Bound receptor per ligand [..., time, ligand] and receptor density [..., time] over ``t_h``.

    ``conc_nm`` may carry leading batch axes (e.g. with and without naltrexone, or people);
    ``kd_nm`` and ``kon_per_nm_per_h`` are [ligand] or [..., ligand] (one set per person).
    Bound amounts are relative to the baseline receptor density (1). With ``adaptation`` =
    (upregulation gain, downregulation gain, turnover 1/h) the density R follows

        dR/dt = k (1 + g_up occ_antagonist) - k (1 + g_down occ_agonist) R

    (occupancies as fractions of R), otherwise it stays at ``r_total``. ``b0`` is the bound
    state at the first time point (default: no receptor bound). ``max_substeps`` trades accuracy
    for speed (populations use fewer). ``until_index`` (int, broadcast to the batch axes) is the last
    grid point each batch member needs: its later points are not computed and are NaN.
    """
    conc = np.asarray(conc_nm, dtype=float)
    batch = conc.shape[:-2]
    n_lig = conc.shape[-1]

    def flat(x: np.ndarray, tail: tuple[int, ...]) -> np.ndarray:
        return np.ascontiguousarray(np.broadcast_to(np.asarray(x, dtype=float), batch + tail)).reshape((-1,) + tail)

    kon = flat(kon_per_nm_per_h, (n_lig,))
    koff = flat(kd_nm, (n_lig,)) * kon
    mask = np.zeros(n_lig, dtype=np.bool_) if is_antagonist is None else np.asarray(is_antagonist, dtype=np.bool_)
    c = conc.reshape((-1,) + conc.shape[-2:])  # a view when it can be: the compiled loop reads any strides
    out = np.empty((c.shape[1], c.shape[0], n_lig))  # time-major, as the loop walks
    density = np.empty(c.shape[1::-1])
    h = np.ascontiguousarray(np.diff(t_h), dtype=float)
    h_unique, h_index = np.unique(h, return_inverse=True)
    _march(
        h,
        h_index.astype(np.int64),
        h_unique,
        c.transpose(1, 0, 2),
        koff,
        kon,
        float(r_total),
        np.array(adaptation or (0.0, 0.0, 0.0), dtype=float),
        mask,
        flat(0.0 if b0 is None else b0, (n_lig,)),
        out,
        density,
        int(max_substeps),
        np.ascontiguousarray(
            np.broadcast_to(h.size if until_index is None else until_index, batch), dtype=np.int64
        ).reshape(-1),
    )
    return out.transpose(1, 0, 2).reshape(conc.shape), density.T.reshape(conc.shape[:-1])
