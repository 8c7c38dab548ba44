"""A class under attack, at the protocol level: a student's pages open quickly and memory stays bounded."""

import pytest

pytestmark = pytest.mark.slow


def test_a_student_opens_pages_quickly_while_hostile_sessions_run_the_heaviest_work():
    from benchmarks.hostile_soak import MEMORY_BOUND_MB, P95_BOUND_S, soak

    r = soak(hostile=6, seconds=25)
    assert r["alive"] and r["crashes"] == 0 and r["hangs"] == 0 and r["attacks"] >= 6, r
    assert r["opens"] >= 10 and not r["student_failures"], r
    assert r["p95_s"] <= P95_BOUND_S, r
    assert r["rss_peak_mb"] < MEMORY_BOUND_MB, r
