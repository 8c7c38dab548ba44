"""From receptor occupancy to reward, respiratory drive and craving; blockade per agonist challenge.

Black & Leff operational model with several ligands: the stimulus is S = sum_i tau_i B_i
(tau = 0 for antagonists) and reward = S^n / (1 + S^n) on a 0..1 scale.
Black JW, Leff P 1983 Proc R Soc Lond B 220:141-162, doi:10.1098/rspb.1983.0093.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from numba import njit

from . import pk
from .cohort import Cohort
from .drugs import Molecule
from .ligands import LigandSet

CHALLENGE_WINDOW_H = {"iv": 3.0, "intranasal": 3.0}
DEFAULT_WINDOW_H = 12.0
MEANINGFUL_REWARD = 0.01


def stimulus(bound: np.ndarray, tau: np.ndarray) -> np.ndarray:
    """S = sum_i tau_i B_i over the last (ligand) axis."""
    return bound @ np.asarray(tau, dtype=float)


def reward_from_stimulus(s: np.ndarray, hill_n: float) -> np.ndarray:
    """Reward = S^n / (1 + S^n), in [0, 1)."""
    sn = np.power(np.maximum(s, 0.0), hill_n)
    return sn / (1.0 + sn)


def blockade_fraction(reward_with: np.ndarray, reward_without: np.ndarray) -> np.ndarray:
    """1 - reward_with / reward_without; NaN where the counterfactual reward is below 0.01."""
    out = np.full(np.shape(reward_with), np.nan)
    ok = reward_without >= MEANINGFUL_REWARD
    out[ok] = 1.0 - reward_with[ok] / reward_without[ok]
    return out


def challenge_window_h(route: str) -> float:
    """Window after a dose in which its peak reward is looked for (h)."""
    return CHALLENGE_WINDOW_H.get(route, DEFAULT_WINDOW_H)


def increment_and_area(
    t_h: np.ndarray, reward: np.ndarray, at_h: float, window_h: float
) -> tuple[np.ndarray, np.ndarray]:
    """Peak reward in (at_h, at_h + window] minus the reward at at_h; area above that level (h).

    ``reward`` is [..., time] (leading axes, such as people, are kept in the results).
    """
    i0 = int(np.searchsorted(t_h, at_h - 1e-9))
    i1 = int(np.searchsorted(t_h, at_h + window_h + 1e-9))
    seg = np.asarray(reward)[..., i0:i1]
    if seg.shape[-1] < 2:
        zero = np.zeros(seg.shape[:-1])
        return zero, zero
    rise = np.maximum(seg - seg[..., :1], 0.0)
    return rise.max(axis=-1), np.trapezoid(rise, t_h[i0:i1], axis=-1)


def increments(t_h: np.ndarray, reward: np.ndarray, at_h: np.ndarray, window_h: np.ndarray) -> np.ndarray:
    """The increments of :func:`increment_and_area` for many doses at once: reward [..., time] -> [..., dose]."""
    i0 = np.searchsorted(t_h, np.asarray(at_h, dtype=float) - 1e-9)
    i1 = np.searchsorted(t_h, np.asarray(at_h, dtype=float) + np.asarray(window_h, dtype=float) + 1e-9)
    reward = np.asarray(reward, dtype=float)
    if not i0.size:
        return np.zeros(reward.shape[:-1] + (0,))
    padded = np.concatenate([reward, reward[..., -1:]], axis=-1)  # so that a window may end at the last point
    ends = np.minimum(np.maximum(i1, i0 + 1), reward.shape[-1])
    peaks = np.maximum.reduceat(padded, np.stack([i0, ends], axis=-1).ravel(), axis=-1)[..., ::2]
    return np.where(i1 - i0 >= 2, peaks - reward[..., np.minimum(i0, reward.shape[-1] - 1)], 0.0)


def increment_ratio(with_: float, without: float) -> float:
    """Increment with naltrexone over increment without it; NaN when there is no increment without it."""
    return float(with_ / without) if without > 1e-9 else np.nan


#: The columns of the challenges table, in order.
CHALLENGE_COLUMNS = (
    "drug",
    "route",
    "at_h",
    "amount",
    "amount_unit",
    "increment_with",
    "increment_without",
    "ratio",
    "blocked",
    "area_with",
    "area_without",
)


#: The challenges table of a run without agonist doses.
_NO_CHALLENGES = pd.DataFrame(
    {k: pd.array([], dtype="boolean" if k == "blocked" else object) for k in CHALLENGE_COLUMNS}
)


def challenges_table(
    t_h: np.ndarray,
    reward_with: np.ndarray,
    reward_without: np.ndarray,
    challenges: list[tuple[str, str, float, float, str]],
    blocked_ratio: float,
) -> pd.DataFrame:
    """One row per agonist dose: increments and areas with and without naltrexone, ratio, blocked.

    ``blocked`` is missing (NA) when the dose has no effect without naltrexone within the run (a dose
    at its last time point): there is nothing to judge, so it is neither blocked nor "not blocked".
    """
    rows = []
    both = np.stack([reward_with, reward_without])
    for drug, route, at_h, amount, unit in challenges:
        inc, area = increment_and_area(t_h, both, at_h, challenge_window_h(route))
        (inc_w, inc_wo), (area_w, area_wo) = inc.tolist(), area.tolist()
        ratio = increment_ratio(inc_w, inc_wo)
        rows.append(
            {
                "drug": drug,
                "route": route,
                "at_h": at_h,
                "amount": amount,
                "amount_unit": unit,
                "increment_with": inc_w,
                "increment_without": inc_wo,
                "ratio": ratio,
                "blocked": bool(ratio <= blocked_ratio) if np.isfinite(ratio) else pd.NA,
                "area_with": area_w,
                "area_without": area_wo,
            }
        )
    if not rows:
        return _NO_CHALLENGES.copy()
    cols = {k: [r[k] for r in rows] for k in CHALLENGE_COLUMNS}  # column by column: no conversion of a built table
    cols["blocked"] = pd.array(cols["blocked"], dtype="boolean")
    return pd.DataFrame(cols)


def fentanyl_stimulus(c_ng_per_ml: float, fentanyl: Molecule) -> float:
    """Respiratory stimulus of fentanyl alone at a steady plasma level in ng/mL (equilibrium binding)."""
    c_nm = c_ng_per_ml * pk.brain_to_plasma_nm_ratio(fentanyl) * 1000.0 / fentanyl["molar_mass_g_per_mol"]
    return fentanyl["tau_respiratory"] * c_nm / (c_nm + fentanyl["kd_nm"])


@njit(cache=True, nogil=True)
def _follow(h, s, x0, k_up, k_down):  # pragma: no cover - compiled
    """dX/dt = k (S - X) per row of S [P, time], k = k_up while S > X and k_down otherwise; exact for S constant over each step."""
    out = np.empty(s.shape)
    decay_up, decay_down = np.exp(-k_up * h), np.exp(-k_down * h)
    for p in range(s.shape[0]):
        x = x0
        out[p, 0] = x
        for k in range(h.size):
            x = s[p, k + 1] + (x - s[p, k + 1]) * (decay_up[k] if s[p, k + 1] > x else decay_down[k])
            out[p, k + 1] = x
    return out


def _rows(s: np.ndarray) -> np.ndarray:
    """A series [..., time] as contiguous rows [rows, time] for the compiled state followers."""
    s = np.asarray(s, dtype=float)
    return np.ascontiguousarray(s.reshape(-1, s.shape[-1]))


def steady_shift(s: np.ndarray | float, beta: float, max_shift: float = np.inf) -> np.ndarray:
    """Potency shift minus 1 that a habitual stimulus S holds at steady state: beta S, saturating at ``max_shift`` - 1.

    F - 1 = beta S (M - 1) / (M - 1 + beta S): linear for small S, never above M - 1 (M infinite: linear).
    """
    x = np.maximum(s, 0.0)
    x *= beta
    if np.isfinite(max_shift):
        room = x + (max_shift - 1.0)
        x *= max_shift - 1.0
        x /= room
    return x


def adaptation(
    t_h: np.ndarray,
    s: np.ndarray,
    beta: float,
    onset_per_h: float,
    loss_per_h: float,
    start: float,
    max_shift: float = np.inf,
) -> np.ndarray:
    """Tolerance of one system as the log of its potency shift, Y = ln(S50 / S50_naive), over time.

    The shift the current stimulus S would hold at steady state is 1 + :func:`steady_shift` (the
    more opioid a person is used to, the more it takes to act); Y follows its log with first-order
    kinetics: ``onset_per_h`` while the target is above Y, ``loss_per_h`` below. Following the log
    lets sustained use build tolerance over days while one large dose, however big, adds little
    (tolerance grows with time of exposure, not only with its size).
    """
    target = steady_shift(_rows(s), beta, max_shift)
    np.log1p(target, out=target)
    return _follow(np.diff(t_h), target, float(start), onset_per_h, loss_per_h).reshape(np.shape(s))


def _system(name: str, params: Mapping[str, float]) -> tuple[float, float]:
    """(beta, max shift) of an adaptation; acute dependence shares dependence's."""
    base = name.removeprefix("acute_")
    return params[f"{base}_per_stimulus"], params.get(f"{base}_max_shift", np.inf)


def chronic_user_shift(name: str, params: Mapping[str, float]) -> float:
    """Y of adaptation ``name`` in a chronic user on 90 mg oral morphine a day (``chronic_user_tolerance_stimulus``)."""
    return float(np.log1p(steady_shift(params["chronic_user_tolerance_stimulus"], *_system(name, params))))


def relative_tolerance(y: np.ndarray, name: str, params: Mapping[str, float]) -> np.ndarray:
    """Tolerance as reported: (shift - 1) relative to a chronic user's (0 naive, 1 = 90 mg oral morphine a day)."""
    return np.expm1(y) / np.expm1(chronic_user_shift(name, params))


ADAPTATIONS = ("reward_tolerance", "resp_tolerance", "dependence", "acute_dependence")


def adaptations(
    t_h: np.ndarray,
    s_reward: np.ndarray,
    s_respiratory: np.ndarray,
    chronic_user: bool,
    params: Mapping[str, float],
    names: Sequence[str] = ADAPTATIONS,
) -> dict[str, np.ndarray]:
    """Y of the ``names`` among reward tolerance, breathing tolerance, dependence and acute dependence [P, time].

    Every mu agonist drives them in proportion to its stimulus (full cross-tolerance): its reward
    stimulus for reward tolerance and both dependences, its respiratory stimulus for breathing
    tolerance; released endorphin drives none. A chronic user starts at the level of 90 mg oral
    morphine a day, a naive person at 0. Acute dependence shares dependence's beta.
    """
    out = {}
    for name in names:
        s = s_respiratory if name == "resp_tolerance" else s_reward
        beta, max_shift = _system(name, params)
        start = chronic_user_shift(name, params) if chronic_user else 0.0
        onset, loss = params[f"{name}_onset_per_h"], params[f"{name}_loss_per_h"]
        out[name] = adaptation(t_h, s, beta, onset, loss, start, max_shift)
    return out


def physical_dependence(y_dependence: np.ndarray, y_acute: np.ndarray, params: Mapping[str, float]) -> np.ndarray:
    """Physical dependence D in [0, 1) from its slow and acute adaptations.

    Withdrawal is the counter-adaptation unmasked. The slow part builds over days of use and fades
    over days without opioids: D_slow = r^h / (r^h + r50^h), r = Y / Y of a chronic user on 90 mg
    oral morphine a day, who starts near 0.9 (``dependence_half_adaptation`` r50,
    ``dependence_hill`` h). The acute part builds within an hour of one dose and fades within a
    day or two once the drug has gone, up to ``acute_dependence_max``:
    D = D_slow + (1 - D_slow) a_max r_a / (1 + r_a).
    """
    chronic = chronic_user_shift("dependence", params)
    x = np.power(
        np.maximum(y_dependence, 0.0) / chronic / params["dependence_half_adaptation"], params["dependence_hill"]
    )
    slow = x / (1.0 + x)
    r_acute = np.maximum(y_acute, 0.0) / chronic
    return slow + (1.0 - slow) * params["acute_dependence_max"] * r_acute / (1.0 + r_acute)


def precipitated_withdrawal(
    dependence: np.ndarray,
    s_full: np.ndarray,
    occupancy_displacing: np.ndarray,
    s_displacing: np.ndarray,
    y_reward: np.ndarray,
    params: Mapping[str, float],
) -> np.ndarray:
    """Withdrawal precipitated by a ligand that displaces the opioid, 0..1: D x removed / (removed + half-signal).

    Displacing ligands are antagonists (no signal of their own) and partial agonists (a little). The
    signal removed is what the full agonists and the endogenous tone would give without the
    displacing ligands, minus what is left: at equilibrium the full agonists' stimulus without them
    is their stimulus with them divided by (1 - occupancy of the displacing ligands), so
    removed = (S_full / (1 - occ) + tone) occ - S_displacing. It is counted in the units the person
    is adapted to (divided by their reward tolerance shift e^Y), so a few micrograms of naloxone do
    not precipitate full withdrawal in a methadone patient. Ordinary elimination displaces nothing
    and does not count; buprenorphine given to someone on methadone does, as naloxone does
    (illustrative scale).
    """
    occ = np.clip(occupancy_displacing, 0.0, 0.999)
    removed = (s_full / (1.0 - occ) + params["endogenous_tone_stimulus"]) * occ - s_displacing
    removed = np.maximum(removed, 0.0) * np.exp(-y_reward)
    return dependence * removed / (removed + params["withdrawal_half_signal"])


def respiratory_drive(
    s: np.ndarray,
    y_tolerance: np.ndarray,
    fentanyl: Molecule,
    params: Mapping[str, float],
    nonopioid: np.ndarray | float = 0.0,
) -> np.ndarray:
    """Ventilation at fixed (high) CO2 relative to the person's own drug-free baseline (1 = normal).

    This is the controller's output, as the isohypercapnic studies measure it (resting ventilation:
    :func:`resting_ventilation`): drive = 1 - Imax x^g / (1 + x^g), x = S / S50, S = sum_i tau_resp_i B_i. S50 is the respiratory
    stimulus of fentanyl at 0.42 ng/mL, which halves ventilation in opioid-naive people (Algera
    MH et al. 2021 Clin Pharmacol Ther 109:637); tolerance moves it up, S50 = S50_naive e^Y (Y from
    :func:`adaptation`, whose beta is calibrated so that fentanyl added on top of 90 mg oral
    morphine a day halves ventilation at 1.82 ng/mL, Algera 2021). ``nonopioid`` adds other
    depressants in units of their own half-effect (alcohol: blood level / its C50): they add to the
    opioid's effect, opioid tolerance does not touch them and naloxone does not reverse them.
    """
    # An agonist-free fentanyl (efficacy overridden to 0) leaves no anchor: keep S50 tiny but finite.
    naive = np.maximum(fentanyl_stimulus(params["resp_fentanyl_c50_naive_ng_per_ml"], fentanyl), 1e-12)
    s50 = naive * np.exp(y_tolerance)
    x = np.maximum(s, 0.0)
    x /= s50
    x += np.maximum(nonopioid, 0.0)
    np.power(x, params["resp_hill"], out=x)
    x /= 1.0 + x
    x *= -params["resp_imax"]
    x += 1.0
    return x


def resting_ventilation(isohypercapnic: np.ndarray, params: Mapping[str, float]) -> np.ndarray:
    """Resting ventilation (1 = normal) from the controller's output at fixed CO2 (isohypercapnic drive).

    CO2 feedback at steady state: ventilation = controller output x (PaCO2 / PaCO2_normal)^G, and
    with CO2 production unchanged PaCO2 rises as ventilation falls (PaCO2 ~ 1 / ventilation), so
    resting = isohypercapnic^(1 / (1 + G)): a drug that halves the isohypercapnic response lowers
    resting ventilation less, while the CO2 it retains drives breathing back up (Mann J et al. 2022
    Clin Pharmacol Ther 112:1020 for a dynamic version of the same loop). CO2 settles within
    minutes; the model takes it as settled.
    """
    return np.power(np.maximum(isohypercapnic, 0.0), 1.0 / (1.0 + params["resp_co2_gain"]))


def nonopioid_alcohol_stimulus(endorphin_nm: np.ndarray, endorphin: Molecule, opioid_share: float) -> np.ndarray:
    """Reward stimulus of alcohol's non-opioid actions (GABA, glutamate, dopamine), which naltrexone leaves.

    Alcohol's whole reward stimulus is the endorphin's efficacy times the occupancy its released
    endorphin would have alone, tau_endo C / (C + K); ``opioid_share`` of it runs through the mu
    receptors (the endorphin's effective efficacy is tau_endo x share) and the rest follows the
    same time course outside them. Without antagonists the total does not depend on the share.
    """
    return (1.0 - opioid_share) * endorphin["tau"] * endorphin_nm / (endorphin_nm + endorphin["kd_nm"])


def craving_curve(
    t_h: np.ndarray,
    episodes_h: np.ndarray,
    rewards: np.ndarray,
    initial: float,
    alpha: float,
    took: np.ndarray | None = None,
) -> np.ndarray:
    """Expected reward V(t): V <- V + alpha (r - V) at each use episode (Rescorla-Wagner; illustrative).

    ``rewards`` is [..., episode] (episodes sorted by time); an episode with ``took`` False (a dose a
    person skipped) does not teach. Returns [..., time].
    """
    rewards = np.asarray(rewards, dtype=float)
    took = np.ones(rewards.shape, dtype=bool) if took is None else np.asarray(took, dtype=bool)
    values = np.empty(rewards.shape[:-1] + (rewards.shape[-1] + 1,))
    values[..., 0] = initial
    for i in range(rewards.shape[-1]):
        v = values[..., i]
        values[..., i + 1] = np.where(took[..., i], v + alpha * (rewards[..., i] - v), v)
    return values[..., np.searchsorted(np.asarray(episodes_h, dtype=float), t_h, side="right")]


@dataclass(frozen=True)
class Responses:
    """Everything downstream of binding for P people; [P, 2, time] arrays are with / without naltrexone."""

    reward: np.ndarray  # [P, 2, time] whole reward signal (non-opioid part of alcohol included)
    respiratory_drive: np.ndarray  # [P, time] resting ventilation, CO2 feedback included
    opioid_tolerance: np.ndarray  # [P, time] breathing tolerance Y (log of the potency shift)
    reward_tolerance: np.ndarray  # [P, time] reward tolerance Y (log of the potency shift)
    # Left out (None) when only reward and breathing are asked for, as in populations:
    reward_opioid: np.ndarray | None = None  # [P, 2, time] the part that runs through mu receptors
    stimulus_agonist: np.ndarray | None = None  # [P, 2, time] exogenous agonist reward stimulus
    physical_dependence: np.ndarray | None = None  # [P, time]
    precipitated_withdrawal: np.ndarray | None = None  # [P, time]
    respiratory_drive_isohypercapnic: np.ndarray | None = None  # [P, time] ventilation at fixed CO2

    def person(self, i: int) -> Responses:
        """Person ``i``'s responses (the leading axis dropped)."""
        return Responses(*(None if x is None else x[i] for x in vars(self).values()))


def respond(
    t_h: np.ndarray,
    bound: np.ndarray,
    density: np.ndarray,
    lig: LigandSet,
    params: Mapping[str, float],
    chronic_user: bool,
    endorphin_nm: np.ndarray | None,
    people: Cohort,
    everything: bool = True,
    ethanol_mg_per_dl: np.ndarray | None = None,
) -> Responses:
    """Reward, breathing, tolerance, dependence and precipitated withdrawal of P people.

    ``bound`` [P, runs, time, ligand] (runs: with naltrexone, and without it when asked), ``density``
    [P, runs, time], ``lig`` stacked per person [P, ligand], ``endorphin_nm`` and ``ethanol_mg_per_dl``
    (blood alcohol) [time] or None. With
    ``everything`` False only reward, breathing and tolerance are computed.
    """
    exogenous = np.array([n != "endorphin" for n in lig.names], dtype=float)
    taus = np.stack([lig.tau, lig.tau_respiratory, lig.tau * exogenous], axis=1)  # [P, 3, ligand]
    alcohol = endorphin_nm is not None and "endorphin" in lig.names
    if alcohol:  # the endorphin carries only the opioid share of alcohol's reward stimulus
        share = people.view(trailing=1)["ethanol"]["opioid_share_of_reward"]
        taus[:, 0, lig.names.index("endorphin")] *= np.broadcast_to(share, (taus.shape[0],))
    s = np.matmul(taus[:, None], np.swapaxes(bound, -1, -2))  # [P, runs, 3, time]: time stays contiguous
    s_opioid, s_resp, s_agonist = s[:, :, 0], s[:, 0, 1], s[:, :, 2]
    # One tolerance history, that of the run as it happened, for the run and its counterfactual:
    # the run without naltrexone asks what each dose would have done to this person at that moment.
    y = adaptations(t_h, s_agonist[:, 0], s_resp, chronic_user, params, ADAPTATIONS if everything else ADAPTATIONS[:2])
    y_reward, y_resp = y["reward_tolerance"], y["resp_tolerance"]
    s_total = s_opioid * np.exp(-y_reward)[:, None]
    if alcohol:
        mols = people.view(trailing=2)
        s_total = s_total + nonopioid_alcohol_stimulus(
            endorphin_nm, mols["endorphin"], mols["ethanol"]["opioid_share_of_reward"]
        )
    iso = respiratory_drive(
        s_resp,
        y_resp,
        people.view(trailing=1)["fentanyl"],
        params,
        0.0
        if ethanol_mg_per_dl is None
        else ethanol_mg_per_dl / people.view(trailing=1)["ethanol"]["respiratory_c50_mg_per_dl"],
    )
    out = Responses(
        reward=reward_from_stimulus(s_total, params["hill_n"]),
        respiratory_drive=resting_ventilation(iso, params),
        opioid_tolerance=y_resp,
        reward_tolerance=y_reward,
    )
    if not everything:
        return out
    dependence = physical_dependence(y["dependence"], y["acute_dependence"], params)
    displacing = lig.is_antagonist | lig.is_partial
    occ_displacing = bound[:, 0][..., displacing].sum(axis=-1) / density[:, 0]
    full = (1.0 - displacing) * exogenous
    s_full = np.matmul(bound[:, 0], (lig.tau * full)[..., None])[..., 0]  # [P, time]
    s_displacing = np.matmul(bound[:, 0], (lig.tau * lig.is_partial)[..., None])[..., 0]
    return replace(
        out,
        reward_opioid=reward_from_stimulus(s_opioid * np.exp(-y_reward)[:, None], params["hill_n"]),
        stimulus_agonist=s_agonist,
        physical_dependence=dependence,
        precipitated_withdrawal=precipitated_withdrawal(
            dependence, s_full, occ_displacing, s_displacing, y_reward, params
        ),
        respiratory_drive_isohypercapnic=iso,
    )
