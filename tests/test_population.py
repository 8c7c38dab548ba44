import numpy as np
import pytest

from model import parse_scenario, simulate
from model.population import _quantiles, simulate_population


def scenario(population=60, seed=4, p=0.5, days=14):
    return parse_scenario(
        {
            "title": "pop",
            "duration_h": 24 * days,
            "output_step_h": 1.0,
            "dose": [
                {
                    "drug": "naltrexone",
                    "route": "oral",
                    "amount_mg": 50,
                    "every_h": 24,
                    "count": days,
                    "start_h": 0,
                    "taken_probability": p,
                },
                {
                    "drug": "heroin",
                    "route": "iv",
                    "amount_mg": 25,
                    "every_h": 48,
                    "count": days // 2 - 1,
                    "start_h": 30,
                },
            ],
            "patient": {"opioid_tolerant": True},
            "options": {"population": population, "seed": seed},
        }
    )


def test_bands_are_ordered_bounded_and_reproducible():
    a = simulate_population(scenario())
    b = simulate_population(scenario())
    assert a.bands.equals(b.bands)
    for col in ("reward", "occupancy_antagonist", "respiratory_drive", "craving", "naltrexone_plasma_ng_per_ml"):
        lo, mid, hi = (a.bands[f"{col}_{q}"].to_numpy() for q in ("p05", "p50", "p95"))
        assert np.all(lo <= mid + 1e-12) and np.all(mid <= hi + 1e-12)
    assert a.bands.filter(like="occupancy").to_numpy().max() <= 1 and a.bands.to_numpy().min() >= 0
    assert not simulate_population(scenario(seed=5)).bands.equals(a.bands)


def test_people_differ_and_take_their_own_doses():
    people = simulate_population(scenario(p=0.5)).people
    assert people["naltrexone.cl_l_per_h"].std() > 0.1 * people["naltrexone.cl_l_per_h"].mean()
    n_scheduled = 14 + 6
    assert 0.55 * n_scheduled < people.doses_taken.mean() < 0.85 * n_scheduled  # heroin always, tablets half
    assert people.doses_taken.nunique() > 1


def test_better_adherence_gives_a_higher_median_blockade():
    low = simulate_population(scenario(p=0.3)).bands.occupancy_antagonist_p50.iloc[-48:].mean()
    high = simulate_population(scenario(p=0.9)).bands.occupancy_antagonist_p50.iloc[-48:].mean()
    assert high > low


def test_population_option_adds_band_columns_to_the_table():
    r = simulate(scenario(population=20))
    assert {"reward_p05", "reward_p50", "reward_p95"} <= set(r.table.columns)
    assert r.population is not None and len(r.population.people) == 20
    median_occ = r.table.occupancy_antagonist_p50.iloc[-24:].mean()
    assert abs(median_occ - r.table.occupancy_antagonist.iloc[-24:].mean()) < 0.15


def _case(doses, days, tolerant=True, people=6):
    return parse_scenario(
        {
            "title": "case",
            "duration_h": 24 * days,
            "output_step_h": 1.0,
            "dose": doses,
            "patient": {"opioid_tolerant": tolerant},
            "options": {"population": people, "seed": 3},
        }
    )


CASES = {
    "oral tablets, some missed, and heroin": scenario(population=8, p=0.6, days=6),
    "monthly injection and fentanyl": _case(
        [
            {"drug": "naltrexone", "route": "im_xr", "amount_mg": 380, "at_h": [0]},
            {"drug": "fentanyl", "route": "iv", "amount_mg": 0.5, "every_h": 168, "count": 5, "start_h": 168},
        ],
        40,
        tolerant=False,
    ),
    "oral oxycodone, then a tablet": _case(
        [
            {
                "drug": "oxycodone",
                "route": "oral",
                "amount_mg": 30,
                "every_h": 12,
                "count": 8,
                "start_h": 0,
                "taken_probability": 0.8,
            },
            {"drug": "naltrexone", "route": "oral", "amount_mg": 50, "at_h": [50]},
        ],
        4,
    ),
    "alcohol on tablets": _case(
        [
            {"drug": "naltrexone", "route": "oral", "amount_mg": 50, "every_h": 24, "count": 3, "start_h": 0},
            {"drug": "alcohol", "route": "oral", "amount_g": 40, "every_h": 24, "count": 3, "start_h": 2},
        ],
        3,
        tolerant=False,
    ),
    "buprenorphine and heroin": _case(
        [
            {"drug": "buprenorphine", "route": "sublingual", "amount_mg": 8, "every_h": 24, "count": 3, "start_h": 0},
            {"drug": "heroin", "route": "iv", "amount_mg": 25, "at_h": [30, 60]},
        ],
        3,
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_each_person_matches_a_single_run_of_their_own_scenario(name):
    """What the population gives each person is what ``simulate`` gives them alone, within the population's
    coarser binding steps (model.population: POPULATION_SUBSTEPS, POPULATION_REFINE_STRIDE)."""
    s = CASES[name]
    pop = simulate_population(s, observe=np.arange(0, int(s.duration_h) + 1, 6))
    for i in range(len(pop.people)):
        alone = simulate(pop.person_scenario(i))
        row = pop.people.iloc[i]
        assert len(alone.scenario.doses) == row.doses_taken
        for col in (c for c in pop.people.columns if "." in c):  # the drawn parameters, as overrides
            sp, key = col.split(".", 1)
            assert alone.molecules[sp][key] == row[col]
        if "naltrexone_plasma_ng_per_ml" in alone.table:
            plasma = alone.table.naltrexone_plasma_ng_per_ml.to_numpy()[::6]
            assert np.allclose(pop.observed[i], plasma, rtol=1e-6, atol=1e-9)  # exact PK on both grids
        c = alone.curves
        antagonist = [alone.molecules[x].role == "antagonist" for x in c.ligands]
        occ = c.bound[0][:, antagonist].sum(axis=-1) / c.receptor_density[0]
        assert row.peak_reward == pytest.approx(c.reward[0].max(), abs=0.01)
        assert row.min_respiratory_drive == pytest.approx(c.responses.respiratory_drive.min(), abs=0.01)
        assert row.mean_occupancy_antagonist == pytest.approx(np.trapezoid(occ, c.t_h) / c.t_h[-1], abs=0.001)
    if name.startswith("oral tablets"):
        assert pop.people.doses_taken.nunique() > 1  # people differ in what they took


def test_band_quantiles_are_numpys():
    x = np.random.default_rng(3).normal(size=(37, 6))
    x[:, 2] = x[:, 1]  # a time that repeats the one before
    want = np.quantile(x, (0.05, 0.5, 0.95), axis=0)
    assert np.allclose(_quantiles(x.T.copy(), (0.05, 0.5, 0.95)), want, rtol=0, atol=1e-15)
