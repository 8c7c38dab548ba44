import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from model.receptor import bind, equilibrium_occupancy


def test_fast_binding_reproduces_the_equilibrium_formula():
    t = np.linspace(0, 10, 201)
    rng = np.random.default_rng(1)
    conc = rng.uniform(0, 50, size=(t.size, 4))
    kd = np.array([0.3, 2.0, 200.0, 5.0])
    kon = np.full(4, 1e9)  # dissociation in ~1e-9 h: always at equilibrium
    b, _ = bind(t, conc, kd, kon)
    np.testing.assert_allclose(b[1:], equilibrium_occupancy(conc, kd)[1:], rtol=1e-6, atol=1e-9)


def test_single_ligand_matches_the_exact_exponential_solution():
    # constant C: B(t) = Beq (1 - exp(-(kon C + koff) t))
    kon, kd, c = 36.0, 0.3, 1.2
    koff = kd * kon
    t = np.linspace(0, 0.5, 2001)
    b = bind(t, np.full((t.size, 1), c), np.array([kd]), np.array([kon]))[0][:, 0]
    exact = c / (c + kd) * (1 - np.exp(-(kon * c + koff) * t))
    np.testing.assert_allclose(b, exact, atol=2e-3)


def test_competition_slows_nothing_but_shares_receptors():
    t = np.linspace(0, 5, 101)
    conc = np.tile([[3.0, 3.0]], (t.size, 1))
    b, _ = bind(t, conc, np.array([1.0, 1.0]), np.array([50.0, 50.0]))
    np.testing.assert_allclose(b[-1], [0.6 / 1.4 * 1.0 * 1.0, 0.6 / 1.4], rtol=1e-3)  # 3/(1+3+3) each


@settings(max_examples=60, deadline=None)
@given(
    conc=st.lists(st.floats(0, 1e4), min_size=3, max_size=3),
    kd=st.lists(st.floats(1e-3, 1e4), min_size=3, max_size=3),
    kon=st.lists(st.floats(1e-2, 1e4), min_size=3, max_size=3),
    r=st.floats(0.2, 3.0),
    steps=st.integers(2, 40),
)
def test_fractions_stay_bounded_and_conserved(conc, kd, kon, r, steps):
    t = np.cumsum(np.r_[0, np.random.default_rng(steps).uniform(1e-4, 5, steps)])
    c = np.outer(np.abs(np.sin(np.arange(t.size))) + 0.1, conc)
    b, _ = bind(t, c, np.array(kd), np.array(kon), r_total=r)
    assert np.all(b >= 0)
    assert np.all(b.sum(axis=-1) <= r * (1 + 1e-12))


@settings(max_examples=40, deadline=None)
@given(c1=st.floats(0.01, 100), factor=st.floats(1.0, 10.0), antagonist=st.floats(0, 100))
def test_more_agonist_never_lowers_agonist_occupancy(c1, factor, antagonist):
    t = np.linspace(0, 3, 61)
    kd, kon = np.array([50.0, 0.3]), np.array([36.0, 36.0])
    lo = bind(t, np.tile([c1, antagonist], (t.size, 1)), kd, kon)[0][..., 0]
    hi = bind(t, np.tile([c1 * factor, antagonist], (t.size, 1)), kd, kon)[0][..., 0]
    assert np.all(hi >= lo - 1e-12)


def test_people_who_differ_only_later_get_exactly_their_own_run():
    """Batch members with the same inputs up to a point share their steps until then: nothing changes."""
    t = np.linspace(0.0, 96.0, 800)
    base = np.stack([5.0 * np.exp(-t / 20.0), 2.0 * np.exp(-t / 8.0)], axis=-1)  # an antagonist and an agonist
    people = np.repeat(base[None], 4, axis=0)
    for p, at in enumerate((10.0, 30.0, 60.0)):  # each a later agonist dose of their own
        people[p + 1, t >= at, 1] += 40.0 * np.exp(-(t[t >= at] - at) / 2.0)
    people[3, :, 0] *= 1.0 + 1e-12  # the last one differs from the start: computed on its own all the way
    kd, kon = np.array([0.2, 5.0]), np.array([1.0, 3.0])
    args = dict(adaptation=(0.5, 0.5, 0.05), is_antagonist=np.array([True, False]))
    together, density = bind(t, people, kd, kon, **args)
    for p in range(4):
        alone, alone_density = bind(t, people[p], kd, kon, **args)
        np.testing.assert_array_equal(together[p], alone)
        np.testing.assert_array_equal(density[p], alone_density)


def test_a_member_computed_until_a_point_is_its_full_run_up_to_it_and_nan_after():
    t = np.linspace(0.0, 48.0, 400)
    c = np.stack([3.0 * np.exp(-t / 20.0), 30.0 * np.exp(-np.abs(t - 12.0) / 2.0)], axis=-1)
    people = np.stack([c, 2.0 * c, c])
    kd, kon = np.array([0.2, 5.0]), np.array([1.0, 3.0])
    full, full_density = bind(t, people, kd, kon)
    until = np.array([100, 399, 250])
    part, part_density = bind(t, people, kd, kon, until_index=until)
    for p, last in enumerate(until):
        np.testing.assert_array_equal(part[p, : last + 1], full[p, : last + 1])
        np.testing.assert_array_equal(part_density[p, : last + 1], full_density[p, : last + 1])
        assert np.isnan(part[p, last + 1 :]).all() and np.isnan(part_density[p, last + 1 :]).all()
