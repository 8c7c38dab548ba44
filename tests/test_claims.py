"""Claims computed from runs: the dead band, and every claim a page states at its defaults and presets."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from model.lessons import claims
from ui.registry import PAGES

ROOT = Path(__file__).resolve().parents[1]


def test_a_comparison_near_its_threshold_gives_both_numbers():
    assert claims.blocked_phrase(0.10) == "blocked (ratio 0.10)"
    assert claims.blocked_phrase(0.46) == "not blocked (ratio 0.46)"
    near = claims.blocked_phrase(0.265)
    assert near.startswith("just past being blocked") and "0.27" in near and "0.25" in near
    assert claims.blocked_phrase(0.24).startswith("just blocked")
    assert claims.close(0.26, 0.25) and not claims.close(0.3, 0.25)


def test_amount_words_follow_the_factor():
    assert claims.times_phrase(1.05) == "about as much"
    assert claims.times_phrase(2.1) == "about twice as much"
    assert claims.times_phrase(3.4) == "about 3.4 times as much"
    assert [claims.share_word(x) for x in (0.05, 0.3, 0.5, 0.83)] == ["almost none", "a minority", "about half", "most"]


def test_joined_claims_read_as_one_clause():
    a, b, c = (claims.Claim(i, i, 0.0) for i in "abc")
    assert claims.joined([a]) == "a" and claims.joined([a, b]) == "a and b" and claims.joined([a, b, c]) == "a, b and c"


def _states() -> list[tuple[str, str]]:
    """(page, preset) for every page at its defaults and at each of its presets."""
    out = []
    for entry in PAGES:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30).run()
        at.switch_page(entry.path).run()
        boxes = [s for s in at.selectbox if s.key and s.key.endswith("_preset")]
        out.append((entry.path, ""))
        out += [(entry.path, p) for p in (boxes[0].options[1:] if boxes else [])]
    return out


@pytest.mark.slow
@pytest.mark.parametrize(("path", "preset"), _states())
def test_every_stated_claim_is_finite_and_gives_its_numbers_near_a_threshold(path, preset):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30).run()
    at.switch_page(path).run()
    if preset:
        next(s for s in at.selectbox if s.key and s.key.endswith("_preset")).set_value(preset).run()
    assert not at.exception, [e.value for e in at.exception]
    for c in at.session_state["claims"].values() if "claims" in at.session_state else []:
        assert c.text and "nan" not in c.text.lower(), c.id
        if c.threshold is not None and c.margin < claims.BAND:
            assert f"{c.threshold:.2f}" in c.text, f"{c.id}: {c.value:.3f} is within 10 % of {c.threshold}"


def test_a_chart_in_words_reports_what_its_data_show():
    import pandas as pd

    t = pd.DataFrame({"time_h": [0.0, 1.0, 2.0], "reward": [0.0, 0.53, 0.1], "occupancy_agonist": [0.2] * 3})
    said = claims.describe_chart("k", "Heroin", t, focus=("reward",)).text
    assert said.startswith("Heroin over time (h) 0 to 2: reward from 0 to 0.53 (highest at time (h) 1)")
    assert "occupancy agonist stays at 0.2" in said
    items = pd.DataFrame({"drug": ["a", "b"], "kd_nm": [1.0, 300.0]})
    assert (
        claims.describe_chart("k", "Drugs", items).text
        == "Drugs for 2 rows: kd (nM) highest for b (300), lowest for a (1)"
    )
    long = pd.DataFrame(
        {"naltrexone_mg": [50.0, 50.0, 150.0, 150.0], "hours": [12.0, 48.0] * 2, "ratio": [0.1, 0.5, 0.02, 0.2]}
    )
    assert claims.describe_chart("k", "Blockade", long).text == (
        "Blockade for 4 rows: ratio highest at naltrexone (mg) 50, hours 48 (0.5), lowest at naltrexone (mg) 150, hours 12 (0.02)"
    )
    moment = pd.DataFrame({"time_h": [24.0], "occupancy_naltrexone": [0.786], "receptors_free": [18.0]})
    assert (
        claims.describe_chart("k", "Receptors", moment).text
        == "Receptors: occupancy naltrexone 0.786; receptors free 18"
    )


@pytest.mark.slow
def test_every_chart_on_every_page_has_its_words():
    for entry in PAGES:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30).run()
        at.switch_page(entry.path).run()
        said = [c for k, c in at.session_state["claims"].items() if k.startswith("chart.")]
        shown = " ".join(c.value.replace("\\", "") for c in at.caption)
        assert said, entry.path  # every page draws at least one chart
        for c in said:
            assert f"Chart in words: {c.text}" in shown, (entry.path, c.id)
