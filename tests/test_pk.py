import numpy as np
import pytest

from model import core, parse_scenario, pk
from model.drugs import molecules
from model.pk import build_system
from model.population import draw_cohort
from model.scenario import DoseEvent, Patient, dose_events

T = np.linspace(0, 72, 2881)


def solve(events, mols=None):
    return pk.solve_linear_pk(mols or molecules(), events, Patient(), T)


def test_iv_bolus_one_compartment_matches_the_analytic_curve():
    m = molecules()["morphine"]
    sol = solve([DoseEvent("morphine", "iv", 0.0, 10.0)])
    v = m["v_central_l_per_kg"] * 70
    expected = 10.0 / v * 1000 * np.exp(-m["cl_l_per_h"] / v * T)
    np.testing.assert_allclose(sol.plasma_ng_per_ml["morphine"], expected, rtol=1e-9)


def test_linear_pk_superposes_doses():
    a = solve([DoseEvent("naltrexone", "oral", 0.0, 50.0)])
    b = solve([DoseEvent("naltrexone", "oral", 10.0, 100.0)])
    both = solve([DoseEvent("naltrexone", "oral", 0.0, 50.0), DoseEvent("naltrexone", "oral", 10.0, 100.0)])
    for sp in ("naltrexone", "naltrexol"):
        np.testing.assert_allclose(
            both.plasma_ng_per_ml[sp], a.plasma_ng_per_ml[sp] + b.plasma_ng_per_ml[sp], rtol=1e-9, atol=1e-12
        )
        np.testing.assert_allclose(both.brain_nm[sp], a.brain_nm[sp] + b.brain_nm[sp], rtol=1e-9, atol=1e-12)


def test_heroin_chain_conserves_order_and_is_never_negative():
    sol = solve([DoseEvent("heroin", "iv", 1.0, 25.0)])
    for sp in ("heroin", "monoacetylmorphine", "morphine"):
        assert np.all(sol.plasma_ng_per_ml[sp] >= 0)
        assert np.all(sol.plasma_ng_per_ml[sp][T < 1.0] == 0)
    # peaks follow the chain: heroin, then 6-MAM, then morphine
    peaks = [T[np.argmax(sol.plasma_ng_per_ml[s])] for s in ("heroin", "monoacetylmorphine", "morphine")]
    assert peaks[0] < peaks[1] < peaks[2]


def test_coinciding_rate_constants_fall_back_to_exact_exponentials():
    m = molecules()["morphine"]
    k = m["cl_l_per_h"] / (m["v_central_l_per_kg"] * 70)
    mols = dict(molecules())
    mols["morphine"] = m.with_overrides({"oral_ka_per_h": k, "ke0_per_h": k})
    sol = solve([DoseEvent("morphine", "oral", 0.0, 30.0)], mols)
    # analytic: depot->central with equal rates: C = F D k t e^{-kt} / V
    v = m["v_central_l_per_kg"] * 70
    expected = m["oral_bioavailability"] * 30.0 * k * T * np.exp(-k * T) / v * 1000
    np.testing.assert_allclose(sol.plasma_ng_per_ml["morphine"], expected, rtol=1e-6, atol=1e-9)
    assert np.all(np.isfinite(sol.brain_nm["morphine"]))


@pytest.mark.parametrize("route", ["oral", "im_xr", "implant"])
def test_naltrexone_routes_deliver_drug_and_stay_non_negative(route):
    sol = solve([DoseEvent("naltrexone", route, 0.0, 380.0, 1.0)])
    c = sol.plasma_ng_per_ml["naltrexone"]
    assert c.max() > 0.1 and np.all(c >= 0)


def test_a_cohorts_rate_matrices_are_each_persons_own():
    """The per-person arrays of a cohort give every person the matrix their own molecules give."""
    s = parse_scenario(
        {
            "title": "c",
            "duration_h": 48,
            "dose": [
                {"drug": "naltrexone", "route": "oral", "amount_mg": 50, "at_h": [0]},
                {"drug": "naltrexone", "route": "im_xr", "amount_mg": 380, "at_h": [1]},
                {"drug": "heroin", "route": "iv", "amount_mg": 25, "at_h": [2]},
            ],
        }
    )
    base = core.scenario_molecules(s)
    events = dose_events(s)
    cohort = draw_cohort(base, np.random.default_rng(5), 4)
    together = build_system(cohort.view(), events, 70.0)[0].matrix()
    assert together.shape[0] == 4
    for i in range(4):
        alone = build_system(cohort.person(i), events, 70.0)[0].matrix()
        assert np.allclose(together[i], alone, rtol=1e-14, atol=0)
    assert not np.allclose(together[0], together[1])


def test_people_whose_rates_coincide_and_people_whose_rates_differ_share_one_call():
    """A chunk mixing a defective system (exact exponential steps) with ordinary ones gives each its own curve."""
    m = molecules()["morphine"]
    k = m["cl_l_per_h"] / (m["v_central_l_per_kg"] * 70)
    same = dict(molecules(), morphine=m.with_overrides({"oral_ka_per_h": k, "ke0_per_h": k}))
    events = [DoseEvent("morphine", "oral", 0.0, 30.0), DoseEvent("morphine", "oral", 12.0, 30.0)]
    systems = [build_system(mols, events, 70.0) for mols in (molecules(), same, molecules())]
    a = np.stack([s[0].matrix() for s in systems])
    times = np.array([0.0, 12.0])
    bx = np.zeros((3, 2, a.shape[1]))
    for p, (_, _, inputs) in enumerate(systems):
        for j, inp in enumerate(inputs):
            for state, frac in inp:
                bx[p, j, state] += frac * 30.0
    rows = np.array([systems[0][0].names.index("morphine.central")])
    together = pk.propagate(a, T, times, bx, rows)
    for p in range(3):
        alone = pk.propagate(a[p : p + 1], T, times, bx[p : p + 1], rows)
        np.testing.assert_allclose(together[p], alone[0], rtol=1e-12, atol=1e-15)
    assert not np.allclose(together[0], together[1])
    np.testing.assert_allclose(together[0], together[2], rtol=1e-12)


def _drinks(n: int, every_h: float, grams: float) -> list[DoseEvent]:
    return [DoseEvent("ethanol", "oral", 2.0 + every_h * k, grams) for k in range(n)]


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"ethanol": {"oral_ka_per_h": 0.05}},
        {"ethanol": {"oral_ka_per_h": 100.0, "km_mg_per_l": 1.0}},
        {"endorphin": {"turnover_per_h": 50.0}},
    ],
    ids=["typical", "slow absorption", "fast absorption, low Km", "fast endorphin turnover"],
)
def test_alcohol_runge_kutta_matches_lsoda(overrides):
    """Blood alcohol and endorphin of the fast solver agree with LSODA (rtol 1e-8) to 1e-6 of their peaks."""
    mols = {k: m.with_overrides(overrides.get(k, {})) for k, m in molecules().items()}
    t = np.concatenate([np.linspace(0, 2.5, 11), np.linspace(2.6, 30, 500)])  # a drink between grid points too
    events = _drinks(5, 1.3, 14.0) + [DoseEvent("ethanol", "oral", 2.5, 20.0)]  # grams
    args = (mols["ethanol"], mols["endorphin"], events, Patient())
    fast, slow = pk.solve_alcohol(*args, t), pk.solve_alcohol_lsoda(*args, t)
    for a, b in zip(fast, slow):
        assert b.max() > 0 and (a >= 0).all()
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-6 * b.max())
    assert (fast[0][t < 2.0] == 0).all()  # nothing before the first drink


def test_alcohol_hands_stiff_rates_over_a_long_run_to_lsoda(monkeypatch):
    mols = {k: m.with_overrides({"turnover_per_h": 1000.0} if k == "endorphin" else {}) for k, m in molecules().items()}
    t = np.linspace(0, 24.0 * 30, 721)
    args = (mols["ethanol"], mols["endorphin"], _drinks(3, 2.0, 14.0), Patient())
    monkeypatch.setattr(pk, "_alcohol_march", None)  # the Runge-Kutta march must not be used here
    bac, endo = pk.solve_alcohol(*args, t)
    assert bac.max() > 10 and np.isfinite(endo).all()


def test_alcohol_curves_do_not_depend_on_the_grid_they_are_read_on():
    """A naltrexone dose adds grid points; blood alcohol at the shared times must not move at all."""
    mols = molecules()
    coarse = np.linspace(0, 12, 49)
    fine = np.union1d(coarse, np.linspace(0.3, 5.7, 200))
    args = (mols["ethanol"], mols["endorphin"], _drinks(3, 1.0, 14.0), Patient())
    (bac_c, endo_c), (bac_f, endo_f) = pk.solve_alcohol(*args, coarse), pk.solve_alcohol(*args, fine)
    shared = np.isin(fine, coarse)
    assert (bac_f[shared] == bac_c).all() and (endo_f[shared] == endo_c).all()
