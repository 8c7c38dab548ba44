"""Workbench research panels: measurements over the run, sensitivity with a Run button, the people table."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]


def workbench() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/workbench.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_measurements_upload_shows_residuals_and_refuses_bad_files():
    at = workbench()
    good = b"time_h,column,value,sd,n,study\n3,occupancy_antagonist,0.95,0.03,2,Rabiner\n"
    at.file_uploader(key="wb_research_obs").set_value(("m.csv", good, "text/csv")).run()
    assert not at.exception and not at.error
    res = at.session_state["plot_data"]["observed"]
    assert len(res) == 1 and abs(res.residual.iloc[0]) < 0.2
    at.file_uploader(key="wb_research_obs").set_value(
        ("m.csv", b"time_h,column,value,study\n1,mood,1,a\n", "text/csv")
    ).run()
    assert at.error and "mood" in at.error[0].value


def test_sensitivity_runs_behind_its_button_and_draws_a_tornado():
    at = workbench()
    assert "tornado" not in at.session_state["plot_data"]
    at.selectbox(key="wb_research_metric").set_value("blockade_ratio:2").run()
    at.button(key="wb_research_run").click().run()
    assert not at.exception, [e.value for e in at.exception]
    t = at.session_state["plot_data"]["tornado"]
    assert (
        t.parameter.iloc[:6]
        .isin(["cl_l_per_h", "kd_nm", "oral_bioavailability", "fraction_unbound", "retention_kp_uu", "kp_uu"])
        .any()
    )


def test_a_comparison_over_budget_is_reported_and_scenario_a_still_shown():
    from model.scenario import parse_scenario, scenario_to_toml
    from ui.editor import encode

    huge = {
        "title": "huge",
        "duration_h": 24 * 365.0,
        "output_step_h": 0.25,
        "dose": [{"drug": "naltrexone", "route": "oral", "amount_mg": 50, "every_h": 24, "count": 365}],
        "options": {"population": 5000},
    }
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["wb_b"] = encode(scenario_to_toml(parse_scenario(huge)))
    at.switch_page("pages/workbench.py").run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert any("comparison (B) cannot be simulated" in e and "too costly" in e for e in errors), errors
    assert "overlay" in at.session_state["plot_specs"]  # A's chart is still drawn
