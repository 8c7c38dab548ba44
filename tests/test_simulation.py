import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model import parse_scenario, simulate
from model.reference import solve_reference
from model.validation import heroin, oral_ntx, scenario


def run(*doses, duration_h=30.0, **extra):
    return simulate(scenario(duration_h, *doses, **extra))


def test_occupancies_are_fractions_and_sum_to_at_most_one():
    r = run(oral_ntx(50), heroin(24), {"drug": "buprenorphine", "route": "sublingual", "amount_mg": 8, "at_h": [20]})
    occ = r.table[
        [c for c in r.table if c.startswith("occupancy_") and c not in ("occupancy_antagonist", "occupancy_agonist")]
    ]
    assert (occ.values >= 0).all() and (occ.values <= 1).all()
    assert (r.table.occupancy_antagonist + r.table.occupancy_agonist <= 1 + 1e-12).all()
    conc = r.table[[c for c in r.table if c.endswith("_ng_per_ml")]]
    assert (conc.values >= 0).all()


def test_fast_solver_matches_a_tight_reference():
    s = scenario(30.0, oral_ntx(50), heroin(6.0), heroin(24.0))
    r = simulate(s)
    t, ref, ligands = solve_reference(s)
    assert list(r.curves.ligands) == ligands
    assert np.abs(r.curves.bound - ref).max() < 1e-3


@settings(max_examples=12, deadline=None)
@given(mg=st.floats(1, 300), factor=st.floats(1.2, 5), t_h=st.floats(2, 60))
def test_more_naltrexone_never_lowers_the_blockade(mg, factor, t_h):
    lo = run(oral_ntx(mg), heroin(t_h), duration_h=t_h + 4).challenges.iloc[0]
    hi = run(oral_ntx(mg * factor), heroin(t_h), duration_h=t_h + 4).challenges.iloc[0]
    assert hi.increment_with <= lo.increment_with + 1e-9
    # the counterfactual shares the run's tolerance history, which naltrexone changes only through
    # the slow tolerance this one blocked dose builds within hours
    assert hi.increment_without == pytest.approx(lo.increment_without, abs=1e-3)


@settings(max_examples=12, deadline=None)
@given(mg=st.floats(1, 100), factor=st.floats(1.2, 5), ntx=st.sampled_from([0.0, 50.0]))
def test_more_agonist_never_lowers_agonist_occupancy(mg, factor, ntx):
    doses = [oral_ntx(ntx)] if ntx else []
    lo = run(*doses, heroin(24, mg), duration_h=28).table.occupancy_agonist.to_numpy()
    hi = run(*doses, heroin(24, mg * factor), duration_h=28).table.occupancy_agonist.to_numpy()
    assert np.all(hi >= lo - 1e-9)


def test_counterfactual_has_no_naltrexone_and_same_agonist():
    r = run(oral_ntx(50), heroin(24))
    assert r.curves.bound[1][:, r.curves.ligands.index("naltrexone")].max() == 0
    assert r.challenges.increment_without.iloc[0] > r.challenges.increment_with.iloc[0]
    # same agonist doses; grids differ only by the refinement after the naltrexone dose, and the
    # tolerance history (that of the run with naltrexone) only by what one blocked dose builds in hours
    np.testing.assert_allclose(r.table.reward_without_naltrexone, run(heroin(24)).table.reward, atol=5e-3)


def test_blockade_fraction_is_nan_where_there_is_nothing_to_block():
    r = run(oral_ntx(50), heroin(24))
    quiet = r.table.reward_without_naltrexone < 0.01
    assert r.table.blockade_fraction[quiet].isna().all()
    assert r.table.blockade_fraction[~quiet].between(-1e-9, 1).all()


def test_alcohol_reward_is_blunted_by_naltrexone():
    s = parse_scenario(
        {
            "title": "a",
            "duration_h": 10,
            "dose": [
                oral_ntx(50),
                {"drug": "alcohol", "route": "oral", "amount_g": 14, "every_h": 1, "count": 4, "start_h": 2},
            ],
        }
    )
    r = simulate(s)
    peak_bac = r.table.ethanol_blood_mg_per_dl.max()
    assert 40 < peak_bac < 120  # four standard drinks, 70 kg man
    cut = 1 - r.table.reward.max() / r.table.reward_without_naltrexone.max()
    assert 0.1 < cut < 0.6  # partly: only a share of alcohol's reward runs through endogenous opioids
    assert r.table.reward_opioid.max() < 0.3 * r.table.reward.max()  # the opioid part is what naltrexone takes
    assert r.challenges.drug.eq("alcohol").all()


def test_buprenorphine_resists_displacement_longer_than_fentanyl():
    # after equal agonist occupancy, naloxone displaces fentanyl faster than buprenorphine (slow koff)
    bup = run(
        {"drug": "buprenorphine", "route": "sublingual", "amount_mg": 16, "at_h": [0]},
        {"drug": "naloxone", "route": "iv", "amount_mg": 2, "at_h": [6]},
        duration_h=8,
    )
    t = bup.table.time_h
    before = bup.table.occupancy_buprenorphine[t.between(5.9, 6.0)].iloc[-1]
    after = bup.table.occupancy_buprenorphine[t.between(6.25, 6.3)].iloc[0]
    assert after > 0.5 * before


def test_grid_reaches_the_end_of_an_odd_duration_and_drinks_moments_apart_work():
    s = parse_scenario(
        {
            "title": "t",
            "duration_h": 1.265625,
            "output_step_h": 0.25,
            "dose": [
                {"drug": "alcohol", "route": "oral", "amount_g": 10, "at_h": [0.5, 0.5 + 1e-12]},
                {"drug": "heroin", "route": "iv", "amount_mg": 10, "at_h": [1.2]},
            ],
        }
    )
    r = simulate(s)
    assert r.table.time_h.iloc[-1] == 1.265625
    assert np.isfinite(r.table.drop(columns="blockade_fraction").to_numpy()).all()


def test_results_cannot_be_changed_in_place():
    r = simulate(parse_scenario({"title": "t", "duration_h": 6, "dose": [oral_ntx(50)]}))
    for arr in (r.curves.bound, r.curves.t_h, r.curves.responses.reward, r.curves.plasma_ng_per_ml["naltrexone"]):
        with pytest.raises(ValueError):
            arr[0] = 1.0


def test_each_caller_gets_its_own_table_of_a_shared_result():
    from ui import page

    raw = {"title": "t", "duration_h": 6, "dose": [oral_ntx(50)]}
    a, b = page.run(raw), page.run(raw)
    a.table["reward"] = -1.0
    assert (b.table.reward >= 0).all() and (page.run(raw).table.reward >= 0).all()


def test_a_dose_at_the_last_time_point_is_not_judged_rather_than_not_blocked():
    s = parse_scenario(
        {
            "title": "t",
            "duration_h": 24.0,
            "dose": [
                {"drug": "naltrexone", "route": "oral", "amount_mg": 50.0, "at_h": [0.0]},
                {"drug": "heroin", "route": "iv", "amount_mg": 25.0, "at_h": [2.0, 24.0]},
            ],
        }
    )
    ch = simulate(s).challenges
    assert bool(ch.blocked.iloc[0])
    assert pd.isna(ch.blocked.iloc[1]) and np.isnan(ch.ratio.iloc[1])
    assert int(ch.blocked.sum()) == 1
