from pathlib import Path

import numpy as np
import pytest

from model import lessons, parse_scenario, simulate
from model.drugs import molecules
from ui import pictures


def test_equilibrium_reward_falls_with_more_naltrexone_at_every_agonist_level():
    eq = lessons.equilibrium_curves("heroin", (0.0, 1.0, 10.0))
    r = [eq[eq.naltrexone_nm == lv].reward.to_numpy() for lv in (0.0, 1.0, 10.0)]
    assert np.all(r[0] >= r[1] - 1e-12) and np.all(r[1] >= r[2] - 1e-12)
    occ = eq.occupancy_agonist + eq.occupancy_naltrexone
    assert occ.between(0, 1).all()


def test_schild_slope_is_one_for_competitive_antagonism():
    table, slope, pa2 = lessons.schild("heroin")
    assert abs(slope - 1) < 0.05
    kd = molecules()["naltrexone"]["kd_nm"]
    assert abs(pa2 - (9 - np.log10(kd))) < 0.1
    assert table.dose_ratio.is_monotonic_increasing


def test_dose_response_shifts_right_and_recovers_as_naltrexone_wears_off():
    d = lessons.dose_response("heroin", "iv", (10, 100, 1000), 50, (24, 96))
    early, late = d[d.hours_after_naltrexone == 24], d[d.hours_after_naltrexone == 96]
    assert early.increment_with.is_monotonic_increasing
    assert (early.increment_with.to_numpy() <= late.increment_with.to_numpy() + 1e-9).all()
    assert (early.increment_with <= early.increment_without + 1e-9).all()


def test_challenge_ratio_falls_as_naltrexone_level_rises():
    ratio = lessons.challenge_ratio_at_levels("heroin", "iv", 25, np.array([0.0, 0.3, 3.0, 30.0]))
    assert abs(ratio[0] - 1) < 1e-6
    assert np.all(np.diff(ratio) < 0)


def test_more_adherent_oral_regimen_protects_more_days():
    def protected(p):
        s = parse_scenario(
            {"title": "t", "duration_h": 24 * 30, "options": {"seed": 1}, "dose": lessons.regimen_doses("oral", 30, p)}
        )
        return int(lessons.days_protected(simulate(s)).protected.sum())

    assert protected(1.0) >= protected(0.5) >= protected(0.0001)
    assert protected(1.0) > protected(0.0001)


def test_injection_attendance_is_set_apart_from_tablet_adherence():
    xr = lessons.regimen_doses("im_xr", 90, 0.4, attendance=0.9)[0]
    oral = lessons.regimen_doses("oral", 90, 0.4, attendance=0.9)[0]
    assert xr["taken_probability"] == 0.9 and oral["taken_probability"] == 0.4
    assert lessons.regimen_doses("im_xr", 90, 0.4)[0]["taken_probability"] == 0.4


def test_missed_tablets_lose_the_blockade_after_a_few_days():
    t = lessons.missed_tablets_table()
    assert t.heroin_ratio.is_monotonic_increasing and t.blocked.iloc[0] and not t.blocked.iloc[-1]
    n = lessons.missed_tablets_to_lose_blockade()
    assert 1 <= n <= 4
    assert not t.blocked[t.missed_tablets == n].iloc[0] and t.blocked[t.missed_tablets < n].all()


def test_regimen_doses_parse_for_every_regimen():
    for kind in ("oral", "im_xr", "implant"):
        s = parse_scenario({"title": "t", "duration_h": 24 * 60, "dose": lessons.regimen_doses(kind, 60)})
        t = lessons.days_protected(simulate(s))
        assert len(t) == 60
        assert {"protected", "occupancy_ge_90", "heroin_ratio"} <= set(t.columns)


def test_receptor_grid_counts_add_to_one_hundred():
    g = pictures.receptor_grid({"naltrexone": 0.456, "naltrexol": 0.2, "agonist": 0.001})
    assert g.size == 100
    assert (g == "naltrexone").sum() == 46 and (g == "naltrexol").sum() == 20
    assert (g == "free").sum() == 34


def test_slower_dissociation_for_buprenorphine_than_heroin():
    m = molecules()
    assert lessons.dissociation_half_life_min(m["buprenorphine"]) > lessons.dissociation_half_life_min(m["heroin"])


def test_compare_agonists_lists_every_agonist():
    t = lessons.compare_agonists()
    assert set(t.drug) == set(lessons.AGONIST_DOSES)
    assert (t[t.drug == "buprenorphine"].kind == "partial").all()


def test_pet_occupancy_rises_with_dose_and_blockade_fades_with_time():
    pet = lessons.pet_occupancy_vs_dose((2, 15, 50))
    assert pet.occupancy_percent.is_monotonic_increasing
    b = lessons.blockade_ratio_vs_time((50, 150), (24, 96))
    for _, d in b.groupby("naltrexone_mg"):
        assert d.ratio.is_monotonic_increasing
    at96 = b[b.hours_after == 96].set_index("naltrexone_mg").ratio
    assert at96[150.0] < at96[50.0]


def test_kept_injection_lowers_craving_more_than_a_missed_one():
    def week8(plan, **kw):
        s = parse_scenario(
            {
                "title": "t",
                "duration_h": 24 * 56,
                "output_step_h": 2.0,
                "patient": {"opioid_tolerant": True},
                "options": {"seed": 1},
                "dose": lessons.craving_doses(plan, 8, **kw),
            }
        )
        r = simulate(s)
        return r.table.craving.iloc[-1], lessons.episode_table(r)

    kept, ep = week8("monthly injection kept")
    missed, _ = week8("second injection missed")
    none, ep0 = week8("no naltrexone")
    assert kept < missed < none
    assert ep.blocked.mean() > 0.9 and not ep0.blocked.any()
    assert len(ep) == len(ep0) > 20


def test_usual_dose_is_riskier_a_week_after_stopping_than_before_treatment():
    before = lessons.usual_dose_before_treatment("heroin", "iv", 20)
    after = lessons.usual_dose_after_stopping("heroin", "iv", 20, "daily tablets", 4, (1, 7))
    day1, day7 = after.iloc[0], after.iloc[1]
    assert day1.effect < before["effect"] < day7.effect
    assert day7.min_respiratory_drive < before["min_drive"] < day1.min_respiratory_drive
    assert list(lessons.risk_window(after, before)) == [False, True]


def test_the_batched_blockade_sweep_gives_what_each_scenario_gives_alone():
    b = lessons.blockade_ratio_vs_time((50, 100), (24, 72), heroin_mg=25)
    for row in b.itertuples():
        alone = simulate(
            parse_scenario(
                {
                    "title": "t",
                    "duration_h": row.hours_after + 6,
                    "output_step_h": 0.25,
                    "dose": [
                        {"drug": "naltrexone", "route": "oral", "amount_mg": row.naltrexone_mg, "at_h": [0.0]},
                        {"drug": "heroin", "route": "iv", "amount_mg": 25, "at_h": [row.hours_after]},
                    ],
                }
            )
        )
        assert row.ratio == pytest.approx(alone.challenges.ratio.iloc[0], rel=1e-3)


def test_the_batched_dose_response_gives_what_each_scenario_gives_alone():
    d = lessons.dose_response("fentanyl", "iv", (0.05, 1.0), 50, (6, 72))
    for row in d.itertuples():
        alone = simulate(
            parse_scenario(
                {
                    "title": "t",
                    "duration_h": row.hours_after_naltrexone + 3.5,
                    "dose": [
                        {"drug": "naltrexone", "route": "oral", "amount_mg": 50, "at_h": [0.0]},
                        {
                            "drug": "fentanyl",
                            "route": "iv",
                            "amount_mg": row.dose_mg,
                            "at_h": [row.hours_after_naltrexone],
                        },
                    ],
                }
            )
        )
        c = alone.challenges.iloc[0]
        assert row.increment_with == pytest.approx(c.increment_with, rel=1e-3, abs=1e-6)
        assert row.increment_without == pytest.approx(c.increment_without, rel=1e-3, abs=1e-6)


def test_the_batched_stopping_sweep_gives_what_each_scenario_gives_alone():
    gaps = (0, 3, 10)
    after = lessons.usual_dose_after_stopping("heroin", "iv", 20, "monthly injection", 8, gaps)
    for (_, row), s in zip(
        after.iterrows(), lessons.usual_dose_after_scenarios("heroin", "iv", 20, "monthly injection", 8, gaps)
    ):
        r = simulate(s)
        at = r.challenges.at_h.iloc[0]
        c = r.curves
        assert row.effect == pytest.approx(r.challenges.increment_with.iloc[0], rel=1e-3, abs=1e-5)
        # the lowest breathing is read on the solver's grid, minutes after the injection (not hourly samples)
        assert row.min_respiratory_drive == pytest.approx(
            c.responses.respiratory_drive[c.t_h >= at - 1e-9].min(), rel=1e-3
        )
        assert row.min_respiratory_drive < r.table.respiratory_drive[r.table.time_h >= at].min() + 1e-12


def test_naltrexone_displaces_methadone_more_with_a_bigger_dose_and_less_later():
    d50 = lessons.displacement_after_last_dose("methadone", 50, (12, 72))
    d100 = lessons.displacement_after_last_dose("methadone", 100, (12, 72))
    assert (d100.displaced > d50.displaced).all()
    assert d50.displaced.iloc[1] < d50.displaced.iloc[0]


def test_methadone_needs_a_longer_opioid_free_interval_than_heroin():
    t = lessons.opioid_free_interval(50, 0.02, ("heroin", "methadone")).set_index("drug")
    assert 0 < t.hours_opioid_free["heroin"] < t.hours_opioid_free["methadone"]


def test_short_acting_naloxone_wears_off_before_methadone():
    doses = lessons.overdose_doses("methadone", 60, "iv", 2.0, 4.0)
    r = simulate(parse_scenario({"title": "t", "duration_h": 16, "output_step_h": 0.05, "dose": doses}))
    s = lessons.rescue_summary(r.table, 4.0)
    assert s["min_before"] < 0.5 and s["best_after"] > 0.7 and s["min_later"] < 0.5
    assert 4.0 < s["renarcotised_h"] < 14.0
    windows = [lessons.rescue_window_h(overdose(mg).table, 4.0) for mg in (2.0, 4.0, 8.0)]
    # each doubling buys about one plasma half-life (1.4 h), a little more as the opioid itself declines
    assert 0 < windows[0] < windows[1] < windows[2]
    assert max(windows[1] - windows[0], windows[2] - windows[1]) < 2 * 1.4


def overdose(naloxone_mg: float):
    doses = lessons.overdose_doses("methadone", 60, "iv", naloxone_mg, 4.0)
    return simulate(parse_scenario({"title": "t", "duration_h": 16, "output_step_h": 0.05, "dose": doses}))


def test_treatment_doses_parse_for_a_single_injection_and_for_months_of_tablets():
    for treatment, weeks, expected_last_h in (
        ("monthly injection", 2, 0.0),
        ("monthly injection", 12, 2 * 672.0),
        ("daily tablets", 12, 83 * 24.0),
    ):
        doses, last = lessons.treatment_doses(treatment, weeks)
        assert last == expected_last_h
        parse_scenario({"title": "t", "duration_h": last + 24, "dose": doses})  # valid even for one injection


@pytest.mark.parametrize("example", ["monthly_injection", "oral_daily_missed_doses", "implant"])
def test_one_days_protected_for_lessons_sensitivity_and_trials(example):
    """The lesson table, the sensitivity metric and the trial endpoint count the same days."""
    from model import challenge, load_scenario
    from model.sensitivity import metric

    r = simulate(load_scenario(Path(__file__).resolve().parents[1] / "examples" / f"{example}.toml"))
    c = r.curves
    antagonists = [j for j, n in enumerate(c.ligands) if r.molecules[n].role == "antagonist"]
    occ = c.bound[0][:, antagonists].sum(axis=1) / c.receptor_density[0]
    lesson = int(lessons.days_protected(r).protected.sum())
    assert lesson == int(challenge.days_protected(c.t_h, occ[None])[0]) == metric(r, "days_protected")


@pytest.mark.parametrize("drug,factor", [("heroin", 1.0), ("fentanyl", 4.0), ("buprenorphine", 0.5), ("morphine", 8.0)])
def test_naltrexone_needed_is_the_first_level_of_the_whole_grid_that_blocks(drug, factor):
    """The search (every 6th level, then the bracket) finds what trying every level would find."""
    from model.challenge import blocked_ratio, challenge_ratio_at_levels

    route, mg = lessons.AGONIST_DOSES[drug]
    levels = molecules()["naltrexone"]["kd_nm"] * lessons.experiments.NEEDED_GRID
    every = challenge_ratio_at_levels(drug, route, mg * factor, levels)
    assert np.all(np.diff(every) <= 1e-12)  # the search relies on the ratio falling as naltrexone rises
    need = lessons.naltrexone_needed(drug, route, mg * factor)
    assert need["naltrexone_brain_nm"] == levels[np.nonzero(every <= blocked_ratio())[0][0]]
    assert need["ratio_at_kd"] == pytest.approx(every[lessons.experiments.NEEDED_KD_INDEX], abs=1e-12)
