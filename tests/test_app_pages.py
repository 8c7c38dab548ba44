"""Move a control on each page and check that the plotted numbers move the right way."""

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]


def shown(markdown: str) -> str:
    """What a student reads: Markdown escapes removed."""
    return re.sub(r"\\(.)", r"\1", markdown)


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


def test_regimens_better_adherence_protects_more_oral_days():
    at = open_page("pages/regimens.py")
    at.slider(key="reg_tablets").set_value(40).run()
    poor = data(at, "protection").set_index("regimen").days_protected["oral daily"]
    at.slider(key="reg_tablets").set_value(100).run()
    full = data(at, "protection").set_index("regimen")
    assert full.days_protected["oral daily"] > poor
    assert (full.days_protected <= full.days).all()


def test_overcoming_more_naltrexone_lowers_the_dose_response():
    at = open_page("pages/overcoming.py")
    low = data(at, "dose_response").increment_with.sum()
    at.slider(key="over_ntx_mg").set_value(150).run()
    high = data(at, "dose_response").increment_with.sum()
    assert high < low
    schild = data(at, "schild")
    assert schild.dose_ratio.is_monotonic_increasing


def test_overcoming_same_big_dose_hits_harder_when_blockade_has_faded():
    at = open_page("pages/overcoming.py")
    t = data(at, "danger")
    day1 = t[(t.time_h >= 24) & (t.time_h < 30)].reward.max()
    day4 = t[t.time_h >= 96].reward.max()
    assert day4 > day1


def test_alcohol_more_drinks_raise_blood_alcohol_and_naltrexone_lowers_reward():
    at = open_page("pages/alcohol.py")
    few = data(at, "alcohol").ethanol_blood_mg_per_dl.max()
    at.slider(key="alc_drinks").set_value(8).run()
    t = data(at, "alcohol")
    assert t.ethanol_blood_mg_per_dl.max() > few
    assert t.reward.max() < t.reward_without_naltrexone.max()


def test_compare_bigger_doses_need_more_naltrexone():
    at = open_page("pages/compare.py")
    base = data(at, "compare").set_index("drug").naltrexone_brain_nm_to_block
    at.select_slider(key="cmp_factor").set_value(4.0).run()
    big = data(at, "compare").set_index("drug").naltrexone_brain_nm_to_block
    both = base.notna() & big.notna()
    assert (big[both] >= base[both]).all() and (big[both] > base[both]).any()
    t = data(at, "compare").set_index("drug")
    assert t.dissociation_half_life_min["buprenorphine"] > t.dissociation_half_life_min["heroin"]


def test_validation_bigger_heroin_challenge_is_blocked_less():
    at = open_page("pages/validation.py")
    small = data(at, "blockade").ratio.mean()
    at.select_slider(key="val_heroin_mg").set_value(100).run()
    assert data(at, "blockade").ratio.mean() > small
    checks = data(at, "checks")
    assert {"target", "source", "model_value", "pass"} <= set(checks.columns)


def test_workbench_editing_doses_changes_the_result():
    at = open_page("pages/workbench.py")
    before = data(at, "timecourse").occupancy_antagonist.max()
    good = b'title = "No naltrexone"\nduration_h = 24\n[[dose]]\ndrug = "heroin"\nroute = "iv"\namount_mg = 25\nat_h = [2]\n'
    at.file_uploader(key="wb_upload").set_value(("ok.toml", good, "application/toml")).run()
    assert not at.error
    t = data(at, "timecourse")
    assert t.occupancy_antagonist.max() < before
    assert t.time_h.iloc[-1] == 24


def test_workbench_malformed_upload_shows_error_and_keeps_the_scenario():
    at = open_page("pages/workbench.py")
    before = data(at, "timecourse")
    at.file_uploader(key="wb_upload").set_value(
        ("bad.toml", b"title = [unclosed\nduration_h = -1", "application/toml")
    ).run()
    assert at.error and "bad.toml" in shown(at.error[0].value)
    assert data(at, "timecourse").equals(before)
    at.text_area(key="wb_paste").input('duration_h = 10\n[[dose]]\ndrug = "heroin"\nroute = "oral"\n').run()
    at.button(key="wb_load_paste").click().run()
    assert at.error and "route" in shown(at.error[0].value)
    assert data(at, "timecourse").equals(before)


def test_workbench_link_reopens_the_same_scenario():
    at = open_page("pages/workbench.py")
    code = at.query_params["wb_s"]
    again = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    again.run()
    again.query_params["wb_s"] = code
    again.switch_page("pages/workbench.py").run()
    assert data(again, "timecourse").equals(data(at, "timecourse"))


def first(at: AppTest, wanted) -> int:
    """Position in the page (top to bottom) of the first element that ``wanted`` accepts."""
    return next(i for i, node in enumerate(at.main) if wanted(node))


def test_workbench_on_a_projector_shows_the_plot_before_the_editors():
    at = open_page("pages/workbench.py", present="1")
    chart = lambda node: node.type in ("vega_lite_chart", "imgs")  # noqa: E731
    doses = lambda node: node.type == "dataframe" and (node.key or "").startswith("wb_doses_")  # noqa: E731
    assert first(at, chart) < first(at, doses)
    at.toggle(key="present").set_value(False).run()  # on a desktop the editors stay above the plot
    assert not at.exception
    assert first(at, doses) < first(at, chart)
