"""The population band switch on the mechanism, alcohol and regimens pages: off by default, in the URL, in the data."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]


def band_on(path: str, prefix: str, key: str) -> tuple[AppTest, object]:
    """Open a page, check the band is off, switch it on; return the app and the plot's data."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.switch_page(path).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.toggle(key=prefix + "band").value is False
    assert not any(c.startswith("population_") for c in at.session_state["plot_data"][key])
    at.toggle(key=prefix + "band").set_value(True).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.query_params[prefix + "band"] == "1"
    return at, at.session_state["plot_data"][key]


def ordered(d, col: str) -> None:
    lo, mid, hi = (d[f"population_{col}_{q}"] for q in ("p05", "p50", "p95"))
    assert (lo <= mid + 1e-12).all() and (mid <= hi + 1e-12).all()
    assert (hi - lo).max() > 0


def test_mechanism_band():
    _, d = band_on("pages/mechanism.py", "mech_", "chain")
    for col in ("reward", "occupancy_antagonist"):
        ordered(d, col)
    assert d.population_occupancy_antagonist_p50.max() > 0.5


def test_alcohol_band():
    _, d = band_on("pages/alcohol.py", "alc_", "alcohol")
    for col in ("reward", "occupancy_antagonist"):
        ordered(d, col)
    assert (d.population_reward_p50 <= d.reward_without_naltrexone + 1e-9).all()


def test_regimens_band_on_the_monthly_injection_rows():
    _, d = band_on("pages/regimens.py", "reg_", "regimens")
    xr = d[d.regimen == "monthly injection"]
    for col in ("naltrexone_plasma_ng_per_ml", "occupancy_antagonist"):
        ordered(xr, col)
    assert d[d.regimen != "monthly injection"].filter(like="population_").isna().all().all()
