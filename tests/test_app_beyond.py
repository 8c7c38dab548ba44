"""Beyond the blockade: move a control on the craving, stopping and naloxone pages and check the direction."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]


def open_page(path: str, **values: object) -> AppTest:
    """Open a page with some controls set first (as a link with those URL values would)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for k, v in values.items():
        at.session_state[k] = v
    at.run()
    at.switch_page(path).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def data(at: AppTest, key: str):
    return at.session_state["plot_data"][key]


def week_end_craving(at: AppTest, plan: str) -> float:
    d = data(at, "craving")
    return float(d[d.plan == plan].craving.iloc[-1])


def test_cravings_higher_adherence_lowers_craving_and_unblocked_episodes():
    at = open_page("pages/cravings.py", crv_adherence=20, crv_seed=3)
    low_craving = week_end_craving(at, "daily tablets")
    low_unblocked = (~data(at, "episodes").blocked).sum()
    at.slider(key="crv_adherence").set_value(100).run()
    assert not at.exception
    assert week_end_craving(at, "daily tablets") < low_craving
    assert (~data(at, "episodes").blocked).sum() < low_unblocked
    assert at.query_params["crv_adherence"] == "100"
    # the kept injection extinguishes craving more than a missed second injection, and both beat no naltrexone
    assert (
        week_end_craving(at, "monthly injection kept")
        < week_end_craving(at, "second injection missed")
        < week_end_craving(at, "no naltrexone")
    )


def test_cravings_preset_and_reveal():
    at = open_page("pages/cravings.py")
    at.selectbox(key="crv_preset").set_value("Missed second injection").run()
    assert at.selectbox(key="crv_shown").value == "second injection missed"
    at.radio(key="crv_q1_guess").set_value(at.radio(key="crv_q1_guess").options[2]).run()
    at.button(key="crv_q1_reveal").click().run()
    assert at.success


def test_stopping_longer_gap_within_the_window_increases_the_usual_dose_effect():
    at = open_page("pages/stopping.py", stop_day=1)
    early = data(at, "stopping_day").iloc[0]
    at.slider(key="stop_day").set_value(6).run()
    assert not at.exception
    late = data(at, "stopping_day").iloc[0]
    assert late.effect > early.effect
    assert late.min_respiratory_drive < early.min_respiratory_drive
    sweep = data(at, "stopping")
    assert sweep.risk_window.any() and not sweep.risk_window.iloc[0]


def test_stopping_bigger_naltrexone_dose_displaces_more_methadone():
    def displaced(at: AppTest) -> float:
        c = data(at, "withdrawal")
        return float((c.occupancy_agonist_without - c.occupancy_agonist_with).max())

    at = open_page("pages/stopping.py", stop_agonist="methadone", stop_gap_h=12, stop_ntx_mg=25)
    small = displaced(at)
    at.select_slider(key="stop_ntx_mg").set_value(100).run()
    assert not at.exception
    assert displaced(at) > small > 0.01  # methadone holds a few % of the receptors; naltrexone takes them
    t = data(at, "intervals").set_index("drug")
    assert t.hours_opioid_free["methadone"] > t.hours_opioid_free["heroin"]


def test_naloxone_later_dose_leaves_breathing_lower_in_the_first_hour_and_methadone_renarcotises():
    def first_hour(at: AppTest):
        c = data(at, "rescue")
        return c[c.time_h.between(0.0, 1.0)].drive_rescue

    at = open_page("pages/naloxone.py", nlx_at_min=10)
    early = first_hour(at)
    at.slider(key="nlx_at_min").set_value(45).run()
    assert not at.exception
    late = first_hour(at)
    assert late.mean() < early.mean()
    course = data(at, "rescue")
    assert (
        course.drive_rescue[course.time_h.between(0.9, 1.2)].min()
        > course.drive_no_rescue[course.time_h.between(0.9, 1.2)].min()
    )
    at.selectbox(key="nlx_preset").set_value("Methadone 60 mg, naloxone 2 mg IV at 4 h").run()
    s = data(at, "rescue_summary").iloc[0]
    assert s.best_after > 0.5 > s.min_later and s.renarcotised_h < 14


def test_naloxone_naltrexone_comparison_keeps_breathing_up():
    at = open_page("pages/naloxone.py", nlx_compare_ntx=True)
    c = data(at, "rescue")
    assert c.drive_on_naltrexone.min() > c.drive_no_rescue.min() + 0.15


def test_population_band_is_drawn_and_exported_when_switched_on():
    at = open_page("pages/naloxone.py", nlx_band=True)
    c = data(at, "rescue")
    lo, mid, hi = (c[f"population_respiratory_drive_{q}"] for q in ("p05", "p50", "p95"))
    assert (lo <= mid + 1e-12).all() and (mid <= hi + 1e-12).all() and (hi - lo).max() > 0.05
    assert at.query_params["nlx_band"] == "1"


def test_home_population_band_switch_adds_the_band_to_the_plot_data():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert "population_reward_p95" not in data(at, "timecourse")
    at.toggle(key="home_band").set_value(True).run()
    assert not at.exception
    d = data(at, "timecourse")
    assert (d.population_reward_p95 >= d.population_reward_p05).all()
    assert d.population_occupancy_antagonist_p50.max() > 0.5
