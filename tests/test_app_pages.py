"""Move a control on each page and check that the plotted numbers move the right way."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]


def open_page(path: str | None = None, **query: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    if path:
        at.switch_page(path).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def data(at: AppTest, key: str):
    return at.session_state["plot_data"][key]


def test_home_larger_naltrexone_dose_lowers_heroin_reward_peak():
    at = open_page()
    low = data(at, "timecourse").reward.max()
    at.slider(key="home_ntx_mg").set_value(150).run()
    high = data(at, "timecourse").reward.max()
    assert high < low
    at.slider(key="home_ntx_mg").set_value(0).run()
    assert data(at, "timecourse").reward.max() > low


def test_home_url_reproduces_the_scenario_and_follows_the_controls():
    at = open_page(home_ntx_mg="100", home_gap_h="48")
    assert at.slider(key="home_ntx_mg").value == 100
    assert at.slider(key="home_gap_h").value == 48
    first = data(at, "timecourse")
    again = open_page(home_ntx_mg="100", home_gap_h="48")
    assert data(again, "timecourse").equals(first)
    at.slider(key="home_gap_h").set_value(72).run()
    assert at.query_params["home_gap_h"] == "72"


def test_home_bad_url_values_fall_back_to_defaults():
    at = open_page(home_ntx_mg="lots", home_gap_h="9999")
    assert at.slider(key="home_ntx_mg").value == 50
    assert at.slider(key="home_gap_h").value == 120


def test_home_preset_sets_the_controls():
    at = open_page()
    at.selectbox(key="home_preset").set_value("No naltrexone").run()
    assert at.slider(key="home_ntx_mg").value == 0


def test_home_predict_then_reveal():
    at = open_page()
    at.radio(key="home_q1_guess").set_value(at.radio(key="home_q1_guess").options[1]).run()
    at.button(key="home_q1_reveal").click().run()
    assert at.success, "a correct prediction is confirmed after the reveal"


def test_mechanism_later_opioid_dose_meets_fewer_blocked_receptors():
    at = open_page("pages/mechanism.py")
    early = data(at, "chain")
    at.slider(key="mech_gap_h").set_value(72).run()
    late = data(at, "chain")
    after = lambda t, gap: t[t.time_h >= gap]  # noqa: E731
    assert after(late, 72).occupancy_agonist.max() > after(early, 24).occupancy_agonist.max()
    assert after(late, 72).occupancy_antagonist.min() < after(early, 24).occupancy_antagonist.min()


def test_mechanism_receptor_picture_follows_the_time_slider():
    at = open_page("pages/mechanism.py")
    at.slider(key="mech_t_h").set_value(1.0).run()
    before = data(at, "receptors").receptors_free_of_100.iloc[0]
    at.slider(key="mech_t_h").set_value(0.0).run()
    assert data(at, "receptors").receptors_free_of_100.iloc[0] == 100 > before


def test_mechanism_more_naltrexone_shifts_equilibrium_reward_right():
    at = open_page("pages/mechanism.py")
    eq = data(at, "equilibrium")
    levels = sorted(eq.naltrexone_nm.unique())
    mid = eq.agonist_nm.unique()[len(eq.agonist_nm.unique()) // 2]
    rewards = [eq[(eq.naltrexone_nm == lv) & (eq.agonist_nm == mid)].reward.iloc[0] for lv in levels]
    assert rewards == sorted(rewards, reverse=True)
