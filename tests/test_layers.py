"""Adaptation, respiratory drive, tolerance and craving: direction and size of each layer."""

import numpy as np
import pytest

from model import parse_scenario, simulate, validation
from model.drugs import molecules, response_parameters
from model.response import fentanyl_stimulus, increment_and_area, increments, respiratory_drive
from model.validation import heroin, oral_ntx

RP = {k: p.value for k, p in response_parameters().items()}


def sim(duration_h, *doses, step_h=1.0, **extra):
    return simulate(
        parse_scenario({"title": "t", "duration_h": duration_h, "output_step_h": step_h, "dose": list(doses), **extra})
    )


def daily_ntx(days, start_h=0.0, mg=50.0, **kw):
    return {
        "drug": "naltrexone",
        "route": "oral",
        "amount_mg": mg,
        "every_h": 24,
        "count": days,
        "start_h": start_h,
        **kw,
    }


def test_weeks_of_blockade_raise_receptor_density_by_55_to_90_percent_then_it_returns():
    r = sim(24 * 35, daily_ntx(14), options={"adaptation": True})
    t, dens = r.table.time_h, r.table.receptor_density
    peak = dens[t <= 24 * 14].max()
    assert 1.55 <= peak <= 1.9  # rodent data: +55-90 % after about a week of continuous naltrexone
    assert dens[t >= 24 * 34].iloc[-1] < 1 + 0.5 * (peak - 1)  # relaxes back over days to weeks
    assert sim(24 * 14, daily_ntx(14)).table.receptor_density.eq(1).all()  # layer off: fixed


def test_same_heroin_dose_gives_a_bigger_effect_after_naltrexone_stops():
    r = sim(24 * 22, daily_ntx(14), heroin(24 * 21), options={"adaptation": True})
    ch = r.challenges.iloc[0]
    assert r.table.occupancy_antagonist[r.table.time_h.between(24 * 21 - 1, 24 * 21)].max() < 0.3
    assert ch.increment_with > 1.1 * ch.increment_without  # upregulated receptors, never-treated for comparison


def test_chronic_agonist_lowers_receptor_density():
    methadone = {"drug": "methadone", "route": "oral", "amount_mg": 60, "every_h": 24, "count": 14, "start_h": 0}
    assert sim(24 * 14, methadone, options={"adaptation": True}).table.receptor_density.iloc[-1] < 0.98


def test_respiratory_anchor_is_fentanyl_c50_of_algera_2021():
    fent = molecules()["fentanyl"]
    naive = respiratory_drive(np.array([fentanyl_stimulus(0.42, fent)]), np.array([0.0]), fent, RP)
    np.testing.assert_allclose(naive[0], 0.5, atol=1e-12)
    assert 1.43 < validation.fentanyl_c50_tolerant() < 2.21  # added on top of their own opioid


def test_more_habitual_opioid_means_more_tolerance():
    fent = molecules()["fentanyl"]
    s = np.array([fentanyl_stimulus(1.0, fent)] * 3)
    drive = respiratory_drive(s, np.array([0.0, 0.24, 2.0]), fent, RP)
    assert drive[0] < drive[1] < drive[2]


def test_tolerant_users_breathe_better_on_the_same_dose():
    dose = {"drug": "fentanyl", "route": "iv", "amount_mg": 0.2, "at_h": [1.0]}
    naive = sim(4, dose, step_h=0.02).table.respiratory_drive.min()
    tolerant = sim(4, dose, step_h=0.02, patient={"opioid_tolerant": True}).table.respiratory_drive.min()
    assert naive < 0.3 and naive < tolerant - 0.15


def test_tolerance_fades_during_weeks_without_opioids():
    r = sim(24 * 28, daily_ntx(28), patient={"opioid_tolerant": True})
    assert r.table.opioid_tolerance.iloc[0] == pytest.approx(1.0) and r.table.opioid_tolerance.iloc[-1] < 0.2
    assert r.table.reward_tolerance.iloc[0] == pytest.approx(1.0) and r.table.reward_tolerance.iloc[-1] < 0.2
    assert r.table.physical_dependence.iloc[0] == pytest.approx(0.9, abs=0.01)
    assert r.table.physical_dependence.iloc[-1] < 0.05


def daily(drug, route, mg, days, every_h=24.0):
    return {"drug": drug, "route": route, "amount_mg": mg, "every_h": every_h, "count": int(days * 24 / every_h)}


@pytest.mark.parametrize(
    "dose",
    [
        {"drug": "methadone", "route": "oral", "amount_mg": 60, "at_h": [0.0]},
        {"drug": "oxycodone", "route": "oral", "amount_mg": 20, "at_h": [0.0]},
        {"drug": "heroin", "route": "iv", "amount_mg": 25, "at_h": [0.0]},
    ],
)
def test_one_dose_leaves_tolerance_and_dependence_small_and_regular_use_builds_them(dose):
    once = sim(72, dose).table
    regular = sim(24 * 21, {**dose, "at_h": list(np.arange(21) * 24.0)}).table
    reward_shift = (
        1 + once.reward_tolerance.max() * RP["reward_tolerance_per_stimulus"] * RP["chronic_user_tolerance_stimulus"]
    )
    assert once.opioid_tolerance.max() < 0.35 and once.physical_dependence.max() < 0.3 and reward_shift < 1.5
    for col in ("opioid_tolerance", "reward_tolerance", "physical_dependence"):
        assert regular[col].iloc[-1] > 3 * once[col].max() > 0  # real but small after one dose


def test_tolerance_to_the_high_builds_faster_than_tolerance_to_breathing():
    t = sim(24 * 28, daily("heroin", "iv", 25, 28, every_h=8)).table
    share = lambda col, day: t[col][t.time_h <= 24 * day].iloc[-1] / t[col].iloc[-1]  # noqa: E731
    assert share("reward_tolerance", 5) > share("opioid_tolerance", 5) + 0.1


def test_the_run_without_naltrexone_keeps_the_tolerance_history_of_the_run():
    """Blocked daily heroin builds no tolerance, so its counterfactual high stays that of a naive user."""
    heroin_days = {**daily("heroin", "iv", 25, 14), "start_h": 2.0}
    blocked = sim(24 * 14, daily_ntx(14), heroin_days, step_h=0.1)
    unblocked = sim(24 * 14, heroin_days, step_h=0.1)
    last_without_ntx = blocked.challenges.increment_without.iloc[-1]
    assert blocked.table.reward_tolerance.max() < 0.2
    assert last_without_ntx > unblocked.challenges.increment_with.iloc[-1] + 0.05
    assert last_without_ntx == pytest.approx(blocked.challenges.increment_without.iloc[0], abs=0.05)


def test_naltrexone_displaces_methadone_within_hours():
    methadone = {"drug": "methadone", "route": "oral", "amount_mg": 60, "every_h": 24, "count": 5, "start_h": 0}
    r = sim(24 * 5, methadone, oral_ntx(50, [24 * 4]), step_h=0.1, patient={"opioid_tolerant": True})
    t, occ = r.table.time_h, r.table.occupancy_methadone
    before = occ[t.between(24 * 4 - 0.2, 24 * 4)].iloc[-1]
    after = occ[t.between(24 * 4 + 3, 24 * 4 + 3.2)].iloc[0]
    assert after < 0.5 * before


USE = {"drug": "heroin", "route": "iv", "amount_mg": 25, "every_h": 48, "count": 28, "start_h": 30}
TOLERANT = {"patient": {"opioid_tolerant": True}}


def test_craving_fades_under_a_kept_monthly_injection_and_returns_after_a_missed_one():
    kept = sim(
        24 * 57, {"drug": "naltrexone", "route": "im_xr", "amount_mg": 380, "at_h": [0, 24 * 28]}, USE, **TOLERANT
    )
    missed = sim(24 * 57, {"drug": "naltrexone", "route": "im_xr", "amount_mg": 380, "at_h": [0]}, USE, **TOLERANT)
    week8 = kept.table.craving.iloc[-1]
    assert week8 < 0.3 * kept.table.craving_without_naltrexone.iloc[-1]  # extinction under blockade
    assert missed.table.craving.iloc[-1] > 2 * week8  # the lapse lets the craving back
    assert kept.table.craving.iloc[0] == RP["craving_initial_tolerant"]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_missed_tablets_let_heroin_through_where_the_injection_does_not(seed):
    tablets = sim(
        24 * 29, daily_ntx(28, taken_probability=0.5), USE | {"count": 14}, options={"seed": seed}, **TOLERANT
    )
    injection = sim(
        24 * 29,
        {"drug": "naltrexone", "route": "im_xr", "amount_mg": 380, "at_h": [0]},
        USE | {"count": 12},
        **TOLERANT,
    )
    assert injection.challenges.blocked.all()
    assert tablets.challenges.ratio.max() > 2 * injection.challenges.ratio.max()


def test_increments_of_many_doses_match_one_at_a_time():
    t = np.concatenate([np.linspace(0, 10, 41), [10.5, 30.0]])
    reward = np.random.default_rng(2).random((3, t.size))
    at, window = np.array([0.0, 2.0, 9.9, 10.5, 30.0, 40.0]), np.array([3.0, 12.0, 3.0, 3.0, 3.0, 3.0])
    one = np.stack([increment_and_area(t, reward, a, w)[0] for a, w in zip(at, window)], axis=-1)
    assert np.array_equal(increments(t, reward, at, window), one)
    assert increments(t, reward, at[:0], window[:0]).shape == (3, 0)


@pytest.mark.parametrize(
    "extra",
    [
        {"drug": "heroin", "route": "iv", "amount_mg": 25},
        {"drug": "morphine", "route": "oral", "amount_mg": 30},
        {"drug": "fentanyl", "route": "iv", "amount_mg": 0.2},
        {"drug": "oxycodone", "route": "oral", "amount_mg": 40},
    ],
)
def test_a_full_agonist_on_top_of_methadone_never_lowers_reward_or_raises_breathing(extra):
    """Full agonists add to one another: on methadone, more opioid is more effect, never less."""
    base = daily("methadone", "oral", 60, 10)
    alone = sim(24 * 10 + 12, base, step_h=0.05, patient={"opioid_tolerant": True}).table
    both = sim(
        24 * 10 + 12, base, {**extra, "at_h": [24 * 9 + 4.0]}, step_h=0.05, patient={"opioid_tolerant": True}
    ).table
    acting = (alone.time_h >= 24 * 9 + 4.0) & (alone.time_h <= 24 * 9 + 16.0)  # later, tolerance it built shows
    assert (both.reward[acting] >= alone.reward[acting] - 1e-3).all()
    assert (both.respiratory_drive[acting] <= alone.respiratory_drive[acting] + 1e-3).all()
    after = alone.time_h >= 24 * 9 + 4.0
    assert both.respiratory_drive[after].min() < alone.respiratory_drive[after].min() - 1e-4  # and it shows
