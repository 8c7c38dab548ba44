"""Linear pharmacokinetics solved exactly on any time grid, plus the nonlinear ethanol model.

States are drug amounts (mg) in depots and compartments, and unbound effect-site (brain)
concentrations in nM:

    dA_depot/dt   = -k_depot A_depot
    dA_c/dt       = inputs - (CL/V1) A_c - Q2 (A_c/V1 - A_p/V2) - Q3 (A_c/V1 - A_d/V3)
    dA_metab_c/dt += f_m (CL/V1) A_c (MW_metab/MW_parent)
    dC_e/dt       = ke0 (Kp_uu fu C_p - C_e)                  (C_p, C_e in nM)
    dC_r/dt       = k_r (Kp_r fu C_p - C_r)                    (slow brain retention, optional)

The receptors see the unbound brain level C_e + C_r: a fast link to plasma and, for molecules
with ``retention_efflux_per_h``, a slowly exchanging brain pool that carries the antagonists'
long occupancy tail (docs/model.md, "Brain retention").

Between doses the system ``dx/dt = A x`` is solved in its eigenbasis, x(t) = V exp(Lambda t) V^-1
x0, vectorised over all grid points of a segment and over many people at once; doses are boluses into depots or the central
compartment. When the eigenvectors are ill-conditioned (coinciding rate constants) the solver
falls back to exact matrix-exponential steps.

Ethanol (Michaelis-Menten elimination, Widmark volume) releases beta-endorphin into the brain in
proportion to blood alcohol (Norberg A et al. 2000 Br J Clin Pharmacol 49:399; Mitchell JM et al.
2012 Sci Transl Med 4:116ra6); it is integrated with scipy's LSODA.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from numba import njit
from scipy.integrate import solve_ivp
from scipy.linalg import expm

from .drugs import Molecule
from .scenario import DoseEvent, Patient

MG_PER_L_TO_NM = 1e6  # (mg/L) / (g/mol) * 1e6 = nM
HOURS_PER_MONTH = 730.5
XR_EROSION_STAGES = 4
XR_DIFFUSION_STAGES = 2
BRAIN_SITES = ("effect", "retention")
CHAIN_SPREAD = 0.5  # relative spread of the stage rates of a depot chain (see stage_rates)


def metabolites(m: Molecule) -> list[str]:
    """Species this molecule is converted to (systemically or by first pass)."""
    out = []
    for name in m.parameters:
        for prefix in ("fraction_metabolised_to_", "oral_first_pass_to_"):
            if name.startswith(prefix) and name[len(prefix) :] not in out:
                out.append(name[len(prefix) :])
    return out


def species_closure(species: Sequence[str], mols: Mapping[str, Molecule]) -> list[str]:
    """The given species plus everything they are metabolised to, in a stable order."""
    out: list[str] = []
    todo = list(species)
    while todo:
        s = todo.pop(0)
        if s not in out and s in mols and s not in ("ethanol", "endorphin"):
            out.append(s)
            todo += metabolites(mols[s])
    return out


@dataclass
class LinearPK:
    """The assembled linear system: matrix (1/h), state index, and how to read concentrations."""

    mols: Mapping[str, Molecule]
    weight_kg: float
    names: list[str] = field(default_factory=list)
    rows: list[tuple[int, int, float]] = field(default_factory=list)  # (to, from, rate)
    wired: set[str] = field(default_factory=set)  # depots whose outflows are already in rows

    def state(self, name: str) -> int:
        if name not in self.names:
            self.names.append(name)
        return self.names.index(name)

    def flow(self, src: int, dst: int | None, rate: float | np.ndarray) -> None:
        """Move amount from src at ``rate`` (1/h); dst None means elimination."""
        self.rows.append((src, src, -rate))
        if dst is not None:
            self.rows.append((dst, src, rate))

    def volume_l(self, s: str, key: str = "v_central_l_per_kg") -> float:
        return self.mols[s][key] * self.weight_kg

    def add_species(self, s: str) -> None:
        m = self.mols[s]
        c = self.state(f"{s}.central")
        v1 = self.volume_l(s)
        self.flow(c, None, m["cl_l_per_h"] / v1)
        for prod in metabolites(m):
            f = m.get(f"fraction_metabolised_to_{prod}")
            if _present(f):
                pc = self.state(f"{prod}.central")
                ratio = self.mols[prod]["molar_mass_g_per_mol"] / m["molar_mass_g_per_mol"]
                self.rows.append((pc, c, f * m["cl_l_per_h"] / v1 * ratio))
        for comp, q, v in (
            ("peripheral", "q_peripheral_l_per_h", "v_peripheral_l_per_kg"),
            ("deep", "q_deep_l_per_h", "v_deep_l_per_kg"),
        ):
            if _present(m.get(q)) and v in m.parameters:
                p = self.state(f"{s}.{comp}")
                self.flow(c, p, m[q] / v1)
                self.flow(p, c, m[q] / self.volume_l(s, v))
        if m.binds:
            for site, k, kp in (
                ("effect", m["ke0_per_h"], m["kp_uu"]),
                ("retention", m.get("retention_efflux_per_h"), m.get("retention_kp_uu")),
            ):
                if _present(k) and _present(kp):
                    e = self.state(f"{s}.{site}")
                    self.rows.append(
                        (e, c, k * kp * m["fraction_unbound"] * MG_PER_L_TO_NM / (v1 * m["molar_mass_g_per_mol"]))
                    )
                    self.rows.append((e, e, -k))

    def brain_states(self, s: str) -> list[int]:
        """States whose sum is the unbound brain level (nM) of species ``s`` at the receptors."""
        return [self.names.index(f"{s}.{site}") for site in BRAIN_SITES if f"{s}.{site}" in self.names]

    def matrix(self) -> np.ndarray:
        """The rate matrix (1/h): [n, n], or [P, n, n] when rates hold one value per person."""
        batch = np.broadcast_shapes(*(np.shape(r) for *_, r in self.rows))
        a = np.zeros(batch + (len(self.names), len(self.names)))
        for i, j, r in self.rows:
            a[..., i, j] += r
        return a


def _present(x: float | np.ndarray) -> bool:
    """Whether a rate or share is positive (for anyone, when it holds one value per person)."""
    return bool(np.any(np.asarray(x) > 0))


def stage_rates(stages: int, k: float | np.ndarray) -> np.ndarray:
    """Rate constants (1/h) of a ``stages``-depot chain with mean transit time stages / k.

    The rates are spread by +/-CHAIN_SPREAD/2 around k (rescaled so the mean time is unchanged):
    equal rates make the system defective, which forces slow matrix-exponential steps, while
    distinct ones keep the exact eigenvector solution; the release curve barely changes.
    Rates are on the first axis (then people, when ``k`` holds one value per person).
    """
    if stages == 1:
        return np.array([k])
    m = 1.0 + CHAIN_SPREAD * (np.arange(stages) / (stages - 1) - 0.5)
    return np.multiply.outer(m, k) * np.sum(1.0 / m) / stages


def _depot_chain(
    pk: LinearPK, label: str, stages: int, k: float, target: int, fraction: float
) -> list[tuple[int, float]]:
    """A chain of ``stages`` first-order depots emptying into ``target``; returns the bolus entry."""
    ids = [pk.state(f"{label}.{i}") for i in range(stages)]
    rates = stage_rates(stages, k)
    for a, b, r in zip(ids, ids[1:], rates):
        pk.flow(a, b, r)
    pk.flow(ids[-1], None, rates[-1])
    pk.rows.append((target, ids[-1], rates[-1]))
    return [(ids[0], fraction)]


def dose_inputs(pk: LinearPK, ev: DoseEvent) -> list[tuple[int, float]]:
    """Create the depots a dose needs; return (state, fraction of the dose in mg) boluses."""
    m = pk.mols[ev.species]
    kind = m.routes[ev.route].kind
    central = pk.state(f"{ev.species}.central")
    if kind == "iv":
        return [(central, 1.0)]
    if kind == "first_order":
        r = ev.route
        gut = pk.state(f"{ev.species}.{r}_depot")
        label = f"{ev.species}.{r}_depot"
        if label not in pk.wired:
            ka = m[f"{r}_ka_per_h"]
            pk.flow(gut, None, ka)
            pk.rows.append((central, gut, ka * m[f"{r}_bioavailability"]))
            for prod in metabolites(m):
                fp = m.get(f"{r}_first_pass_to_{prod}")
                if _present(fp):
                    ratio = pk.mols[prod]["molar_mass_g_per_mol"] / m["molar_mass_g_per_mol"]
                    pk.rows.append((pk.state(f"{prod}.central"), gut, ka * fp * ratio))
            pk.wired.add(label)
        return [(gut, 1.0)]
    if kind == "xr_microspheres":
        f = m["xr_bioavailability"]
        fb, fd = m["xr_burst_fraction"], m["xr_diffusion_fraction"]
        label = f"{ev.species}.xr"
        if label not in pk.wired:
            _depot_chain(pk, label + ".burst", 1, m["xr_burst_k_per_h"], central, 0)
            _depot_chain(pk, label + ".diffusion", XR_DIFFUSION_STAGES, m["xr_diffusion_k_per_h"], central, 0)
            _depot_chain(pk, label + ".erosion", XR_EROSION_STAGES, m["xr_erosion_k_per_h"], central, 0)
            pk.wired.add(label)
        fe = np.maximum(0.0, 1.0 - fb - fd)
        return [
            (pk.state(f"{label}.burst.0"), f * fb),
            (pk.state(f"{label}.diffusion.0"), f * fd),
            (pk.state(f"{label}.erosion.0"), f * fe),
        ]
    if kind == "implant":
        k = -np.log(1 - m["implant_release_fraction_in_period"]) / (ev.release_months * HOURS_PER_MONTH)
        label = f"{ev.species}.implant_{ev.release_months:g}"
        if label + ".0" not in pk.names:
            _depot_chain(pk, label, 1, k, central, 0)
        return [(pk.state(label + ".0"), m["implant_bioavailability"])]
    raise ValueError(f"route kind {kind!r} is not linear")


@dataclass(frozen=True)
class PKSolution:
    """Concentrations on the grid: plasma (ng/mL) and unbound brain (nM), by species."""

    t_h: np.ndarray
    plasma_ng_per_ml: Mapping[str, np.ndarray]
    brain_nm: Mapping[str, np.ndarray]


def _propagate_expm(
    a: np.ndarray, t: np.ndarray, bolus_t: np.ndarray, bolus_x: np.ndarray, rows: np.ndarray
) -> np.ndarray:
    """Same as the modal solver, stepping with exact matrix exponentials (robust, slower)."""
    cache: dict[float, np.ndarray] = {}
    x = np.zeros(a.shape[0])
    out = np.zeros((t.size, rows.size))
    j = 0
    for k in range(t.size):
        if k:
            h = round(float(t[k] - t[k - 1]), 12)
            if h not in cache:
                cache[h] = expm(a * h)
            x = cache[h] @ x
        while j < bolus_t.size and bolus_t[j] <= t[k] + 1e-12:
            x = x + bolus_x[j]
            j += 1
        out[k] = x[rows]
    return out


def propagate(
    a: np.ndarray,
    t: np.ndarray,
    times: np.ndarray,
    bx: np.ndarray,
    rows: np.ndarray,
    columns: Sequence[int] | None = None,
    width: int | None = None,
) -> np.ndarray:
    """Sums of x[rows] on grid t for P systems: a [P, n, n] (1/h), boluses bx [P, events, n] at ``times``.

    Row ``rows[i]`` is added into output column ``columns[i]`` (default: one column per row) of
    ``width`` columns (default: as many as named; see :func:`read_rows`). Each system is solved in
    its eigenbasis: z_e, the state just after dose time e, is carried from
    dose to dose, and every grid point t reads x(t) = V exp(lam (t - t_e)) z_e from the last dose
    before it. Offsets repeat on regular schedules, so each distinct one is exponentiated once, and
    only the nonzero entries of V's rows are summed (chains are nearly triangular). Ill-conditioned
    systems (coinciding rate constants) step with exact matrix exponentials instead. Result
    [P, T, column] (a view of a time-major array), never negative.
    """
    columns = np.arange(rows.size) if columns is None else np.asarray(columns, dtype=np.int64)
    n_cols = int(columns.max(initial=-1)) + 1 if width is None else width
    lam, v = np.linalg.eig(a)
    out = np.zeros((t.size, a.shape[0], n_cols))  # time-major: each time's values are written together
    ok = np.linalg.cond(v) <= 1e8
    for p in np.nonzero(~ok)[0]:
        x = _propagate_expm(a[p], t, times, bx[p], rows)
        for i, c in enumerate(columns):
            out[:, p, c] += x[:, i]
        out[:, p] = np.maximum(out[:, p], 0.0)
    idx = np.nonzero(ok)[0]
    if idx.size:
        lam, v = lam[idx], v[idx]
        if np.abs(lam.imag).max(initial=0.0) == 0.0 and np.abs(v.imag).max(initial=0.0) == 0.0:
            lam, v = lam.real, v.real  # compartmental chains: real spectra, real arithmetic is faster
        kick = np.einsum("pij,pej->pei", np.linalg.inv(v), bx[idx])  # [P, dose time, n]
        steps = np.exp(lam[:, None, :] * np.diff(times, prepend=times[0])[None, :, None])
        z = np.empty(kick.shape, dtype=kick.dtype)
        acc = np.zeros(lam.shape, dtype=kick.dtype)
        for i in range(times.size):
            acc = acc * steps[:, i] + kick[:, i]
            z[:, i] = acc
        seg = np.searchsorted(times, t + 1e-12, "right") - 1
        after = np.nonzero(seg >= 0)[0]
        offsets, inverse = np.unique(np.round(t[after] - times[seg[after]], 9), return_inverse=True)
        decay = np.exp(offsets[None, :, None] * lam[:, None, :])  # [P, distinct offset, n]
        w = v[:, rows, :]  # [P, r, n]
        r_idx, n_idx = np.nonzero((w != 0).any(axis=0))
        people_last = (1, 2, 0)  # so that the compiled read-out runs each time's arithmetic over everyone at once
        _read_out(
            np.ascontiguousarray(decay.transpose(people_last)),
            inverse.astype(np.int64),
            np.ascontiguousarray(z.transpose(people_last)),
            seg[after].astype(np.int64),
            columns[r_idx],
            n_idx.astype(np.int64),
            np.ascontiguousarray(w[:, r_idx, n_idx].T),
            idx.astype(np.int64),
            int(after[0]) if after.size else t.size,
            n_cols,
            out,
        )
    return out.transpose(1, 0, 2)


@njit(cache=True, nogil=True)
def _read_out(decay, inverse, z, seg, c_idx, n_idx, w, persons, first, n_cols, out):  # pragma: no cover - compiled
    """out[first + k, persons[p], c] = max(0, sum over nonzero (c, j) of w[(c, j), p] decay[inverse[k], j, p] z[seg[k], j, p]).

    People are the last axis of decay [offset, state, P], z [dose time, state, P] and w [entry, P].
    """
    n_p = persons.size
    d = np.empty((z.shape[1], n_p), dtype=z.dtype)
    acc = np.empty((n_cols, n_p), dtype=z.dtype)
    for k in range(inverse.size):
        u, e = inverse[k], seg[k]
        for j in range(z.shape[1]):
            for p in range(n_p):
                d[j, p] = decay[u, j, p] * z[e, j, p]
        acc[:, :] = 0.0
        for q in range(c_idx.size):
            c, j = c_idx[q], n_idx[q]
            for p in range(n_p):
                acc[c, p] += w[q, p] * d[j, p]
        row = out[first + k]
        for p in range(n_p):
            for c in range(n_cols):
                row[persons[p], c] = max(acc[c, p].real, 0.0)


def read_rows(system: LinearPK, brain_of: Sequence[str], plasma_of: Sequence[str]) -> tuple[np.ndarray, list[int]]:
    """Rows and output columns for :func:`propagate`.

    The brain states of each of ``brain_of`` are summed into one column (the unbound level the
    receptors see, nM), then come the central amounts of ``plasma_of`` (mg), one column each.
    """
    brain_rows = [system.brain_states(x) for x in brain_of]
    rows = [i for r in brain_rows for i in r] + [system.names.index(f"{x}.central") for x in plasma_of]
    columns = [k for k, r in enumerate(brain_rows) for _ in r] + list(
        range(len(brain_of), len(brain_of) + len(plasma_of))
    )
    return np.array(rows, dtype=int), columns


def build_system(
    mols: Mapping[str, Molecule], events: Sequence[DoseEvent], weight_kg: float
) -> tuple[LinearPK, list[str], list[list[tuple[int, float]]]]:
    """The linear system for these doses: its species (with metabolites) and each dose's boluses."""
    species = species_closure(sorted({e.species for e in events}, key=list(mols).index), mols)
    pk = LinearPK(mols, weight_kg)
    for s in species:
        pk.add_species(s)
    return pk, species, [dose_inputs(pk, e) for e in events]


def solve_linear_pk(
    mols: Mapping[str, Molecule], events: Sequence[DoseEvent], patient: Patient, t: np.ndarray
) -> PKSolution:
    """Exact plasma and brain concentrations of every linear species on grid ``t`` (h)."""
    events = [e for e in events if mols[e.species].routes[e.route].kind != "alcohol"]
    pk, species, inputs = build_system(mols, events, patient.weight_kg)
    a = pk.matrix()
    plasma: dict[str, np.ndarray] = {}
    brain: dict[str, np.ndarray] = {}
    if not events:
        return PKSolution(t, plasma, brain)
    times = np.array(sorted({e.at_h for e in events}))
    bx = np.zeros((times.size, a.shape[0]))
    for e, inp in zip(events, inputs):
        i = np.searchsorted(times, e.at_h)
        for state, frac in inp:
            bx[i, state] += frac * e.amount
    binders = [s for s in species if pk.brain_states(s)]
    rows, columns = read_rows(pk, binders, species)
    x = propagate(a[None], t, times, bx[None], rows, columns, len(binders) + len(species))[0]
    brain = {s: x[:, k] for k, s in enumerate(binders)}
    plasma = {s: x[:, len(binders) + j] * 1000.0 / pk.volume_l(s) for j, s in enumerate(species)}
    return PKSolution(t, plasma, brain)


def brain_to_plasma_nm_ratio(m: Molecule) -> float:
    """Unbound brain level (nM) per total plasma level (nM) at steady state: fu (Kp_uu + Kp_r)."""
    retained = m.get("retention_kp_uu") if m.get("retention_efflux_per_h") > 0 else 0.0
    return m["fraction_unbound"] * (m["kp_uu"] + retained)


def widmark_volume_l(ethanol: Molecule, patient: Patient) -> float:
    """Ethanol distribution volume (L) = Widmark r x body weight."""
    return ethanol[f"widmark_r_{patient.sex}_l_per_kg"] * patient.weight_kg


#: Runge-Kutta steps per unit of the alcohol system's fastest rate: relative error ~1e-8 at the typical parameters.
ALCOHOL_STEPS_PER_RATE = 40.0
#: Beyond this many steps (rates near their upper bounds over long runs) a stiff solver takes over.
ALCOHOL_MAX_STEPS = 2_000_000


def solve_alcohol(
    ethanol: Molecule, endorphin: Molecule, events: Sequence[DoseEvent], patient: Patient, t: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Blood alcohol (mg/dL) and brain beta-endorphin (nM) on grid ``t`` (h).

    dG/dt = -ka G;  dA/dt = F ka G - Vmax C/(Km + C), C = A/V (mg/L);
    dE/dt = g * BAC - k_out E.

    Classic Runge-Kutta with steps of 1/40 of the fastest rate (ka, k_out, Vmax/(Km V)), each drink
    starting a step (:func:`_alcohol_march`); LSODA (:func:`solve_alcohol_lsoda`, the tests' yardstick)
    when that would take more than :data:`ALCOHOL_MAX_STEPS` steps.
    """
    drinks = sorted((e.at_h, e.amount * 1000.0) for e in events if e.species == "ethanol")
    if not drinks:
        return np.zeros(t.size), np.zeros(t.size)
    if alcohol_steps(ethanol, endorphin, patient, float(t[-1]) - drinks[0][0]) > ALCOHOL_MAX_STEPS:
        return solve_alcohol_lsoda(ethanol, endorphin, events, patient, t)
    v, h_max = widmark_volume_l(ethanol, patient), alcohol_step_h(ethanol, endorphin, patient)
    at, mg = (np.array(x, dtype=float) for x in zip(*drinks))
    amount, endo = _alcohol_march(np.asarray(t, dtype=float), at, mg, v, *_alcohol_rates(ethanol, endorphin), h_max)
    return amount / v / 10.0, endo


def alcohol_step_h(ethanol: Molecule, endorphin: Molecule, patient: Patient) -> float:
    """The alcohol march's step (h): 1/40 of the fastest rate, ka, k_out or Vmax/(Km V)."""
    ka, _f, vmax, km, _gain, kout = _alcohol_rates(ethanol, endorphin)
    return 1.0 / (ALCOHOL_STEPS_PER_RATE * max(ka, kout, vmax / (km * widmark_volume_l(ethanol, patient))))


def alcohol_steps(ethanol: Molecule, endorphin: Molecule, patient: Patient, span_h: float) -> float:
    """Runge-Kutta steps of the alcohol march over ``span_h`` (h) from the first drink."""
    return span_h / alcohol_step_h(ethanol, endorphin, patient)


def _alcohol_rates(ethanol: Molecule, endorphin: Molecule) -> tuple[float, ...]:
    """The rate parameters: ka (1/h), F, Vmax (mg/h), Km (mg/L), release gain (nM/h per mg/dL), k_out (1/h)."""
    return (
        ethanol["oral_ka_per_h"],
        ethanol["oral_bioavailability"],
        ethanol["vmax_mg_per_h"],
        ethanol["km_mg_per_l"],
        ethanol["endorphin_release_nm_per_h_per_mg_per_dl"],
        endorphin["turnover_per_h"],
    )


@njit(cache=True, nogil=True)
def _alcohol_rhs(g, a, e, v, ka, f, vmax, km, gain, kout):  # pragma: no cover - compiled
    c = max(a, 0.0) / v
    return -ka * g, f * ka * g - vmax * c / (km + c), gain * c / 10.0 - kout * e


@njit(cache=True, nogil=True)
def _alcohol_step(g, a, e, h, v, ka, f, vmax, km, gain, kout):  # pragma: no cover - compiled
    """One classic Runge-Kutta step of length ``h`` (h)."""
    g1, a1, e1 = _alcohol_rhs(g, a, e, v, ka, f, vmax, km, gain, kout)
    g2, a2, e2 = _alcohol_rhs(g + h / 2 * g1, a + h / 2 * a1, e + h / 2 * e1, v, ka, f, vmax, km, gain, kout)
    g3, a3, e3 = _alcohol_rhs(g + h / 2 * g2, a + h / 2 * a2, e + h / 2 * e2, v, ka, f, vmax, km, gain, kout)
    g4, a4, e4 = _alcohol_rhs(g + h * g3, a + h * a3, e + h * e3, v, ka, f, vmax, km, gain, kout)
    return (
        g + h / 6 * (g1 + 2 * g2 + 2 * g3 + g4),
        a + h / 6 * (a1 + 2 * a2 + 2 * a3 + a4),
        e + h / 6 * (e1 + 2 * e2 + 2 * e3 + e4),
    )


@njit(cache=True, nogil=True)
def _alcohol_march(t, drink_h, drink_mg, v, ka, f, vmax, km, gain, kout, h_max):  # pragma: no cover - compiled
    """Amount in the body (mg) and endorphin (nM) at each time of ``t``.

    The march steps ``h_max`` from each drink to the next, whatever the output grid, and reaches each
    output time by a step of its own from the last node: the curves do not depend on the grid they are
    read on (blood alcohol is the same with or without a naltrexone dose's grid points).
    """
    amount, endo = np.zeros(t.size), np.zeros(t.size)
    g = a = e = 0.0
    now, j = drink_h[0], 0
    for i in range(t.size):
        if t[i] < drink_h[0]:
            continue
        while True:
            if j < drink_h.size and drink_h[j] <= now:
                g += drink_mg[j]
                j += 1
                continue
            nxt = min(now + h_max, drink_h[j]) if j < drink_h.size else now + h_max
            if nxt > t[i]:
                break
            g, a, e = _alcohol_step(g, a, e, nxt - now, v, ka, f, vmax, km, gain, kout)
            now = nxt
        _, ai, ei = _alcohol_step(g, a, e, t[i] - now, v, ka, f, vmax, km, gain, kout)
        amount[i], endo[i] = max(ai, 0.0), max(ei, 0.0)
    return amount, endo


def solve_alcohol_lsoda(
    ethanol: Molecule, endorphin: Molecule, events: Sequence[DoseEvent], patient: Patient, t: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`solve_alcohol` by LSODA (rtol 1e-8) from drink to drink: stiff-safe, and slower."""
    drinks = sorted((e.at_h, e.amount * 1000.0) for e in events if e.species == "ethanol")
    bac = np.zeros(t.size)
    endo = np.zeros(t.size)
    if not drinks:
        return bac, endo
    v = widmark_volume_l(ethanol, patient)
    ka, f, vmax, km, gain, kout = _alcohol_rates(ethanol, endorphin)

    def rhs(_t: float, y: np.ndarray) -> list[float]:
        g, amount, e = y
        c = max(amount, 0.0) / v
        return [-ka * g, f * ka * g - vmax * c / (km + c), gain * c / 10.0 - kout * e]

    y = np.zeros(3)
    bounds = [d[0] for d in drinks] + [float(t[-1])]
    for i, (t0, mg) in enumerate(drinks):
        y[0] += mg
        t1 = bounds[i + 1]
        mask = (t >= t0) & (t <= t1) if i + 1 == len(drinks) else (t >= t0) & (t < t1)
        if t1 > t0 and mask.any():
            sol = solve_ivp(rhs, (t0, t1), y, method="LSODA", dense_output=True, rtol=1e-8, atol=1e-9)
            yy = sol.sol(t[mask])
            bac[mask] = np.maximum(yy[1], 0.0) / v / 10.0
            endo[mask] = np.maximum(yy[2], 0.0)
            y = sol.y[:, -1]
        elif t1 > t0:  # no grid point before the next drink: just carry the state on
            y = solve_ivp(rhs, (t0, t1), y, method="LSODA", rtol=1e-8, atol=1e-9).y[:, -1]
        elif mask.any():  # a drink at the last time point: the state as it stands (never below 0)
            bac[mask], endo[mask] = max(y[1], 0.0) / v / 10.0, max(y[2], 0.0)
    return bac, endo
