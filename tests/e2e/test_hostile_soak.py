"""Four real sessions open hostile links at once: the server keeps answering its health check and memory stays bounded."""

from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="needs Debian's /usr/bin/chromium"),
]


def test_hostile_links_in_parallel_sessions():
    pytest.importorskip("playwright.async_api")
    from benchmarks.hostile_soak import MEMORY_BOUND_MB, soak

    r = soak(4, settle_s=2.0)
    assert r["alive"] and r["crashes"] == 0 and r["hangs"] == 0 and r["ok"] == 4, r
    assert r["health_failures"] == 0 and r["health_p95_s"] < 1.0 and r["health_max_s"] < 5.0, r
    assert r["rss_peak_mb"] < MEMORY_BOUND_MB and r["rss_end_mb"] < MEMORY_BOUND_MB, r
