"""Controls keep their values across pages, links restore and snap them, every download works."""

import re
from pathlib import Path

import numpy as np
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest, app_test

from tests.app_checks import open_folds
from ui import registry

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py"))
REGISTERED = registry.PAGES


def open_page(path: str | None = None, **query: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if path:  # a link straight to the page
        at.switch_page(path)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def warnings(at: AppTest) -> str:
    """The warnings as a student reads them (Markdown escapes removed)."""
    return re.sub(r"\\(.)", r"\1", " ".join(w.value for w in at.warning))


@pytest.mark.parametrize(
    ("path", "key", "text", "kind", "expected"),
    [
        ("pages/alcohol.py", "alc_ntx_mg", "30", "select_slider", 25),
        ("pages/compare.py", "cmp_factor", "3.5", "select_slider", 4.0),
        ("pages/stopping.py", "stop_gap_h", "5", "slider", 6),
        ("pages/home.py", "home_gap_h", "9999", "slider", 120),
        ("pages/naloxone.py", "nlx_naloxone_mg", "0.3", "select_slider", 0.2),
    ],
)
def test_link_values_between_options_or_out_of_range_snap_and_say_so(path, key, text, kind, expected):
    at = open_page(path, **{key: text})
    assert getattr(at, kind)(key=key).value == expected
    assert key in warnings(at) and "nearest" in warnings(at)
    at.run()
    assert at.query_params[key] == f"{expected:g}"


@pytest.mark.parametrize("text", ["nan", "inf", "lots", ""])
def test_unreadable_or_non_finite_link_values_fall_back_to_the_default(text):
    at = open_page(home_ntx_mg=text)
    assert at.slider(key="home_ntx_mg").value == 50
    assert "home_ntx_mg" in warnings(at) and "default" in warnings(at)


def test_exact_link_values_are_taken_silently():
    at = open_page("pages/alcohol.py", alc_ntx_mg="100", alc_every_h="0.5")
    assert at.select_slider(key="alc_ntx_mg").value == 100
    assert at.slider(key="alc_every_h").value == 0.5
    assert "alc_" not in warnings(at)


def test_a_multiselect_link_keeps_the_allowed_picks_and_says_what_it_dropped():
    at = open_page("pages/overcoming.py", over_hours="96,30,6")
    assert at.multiselect(key="over_hours").value == [6, 96]
    assert "over_hours" in warnings(at) and "6,96 is used" in warnings(at)
    at.multiselect(key="over_hours").select(48).run()
    assert at.query_params["over_hours"] == "6,96,48"


def test_controls_keep_their_values_across_pages():
    at = open_page()
    at.slider(key="home_ntx_mg").set_value(100).run()
    at.switch_page("pages/naloxone.py").run()
    at.slider(key="nlx_fentanyl_mg").set_value(1.0).run()
    at.radio(key="nlx_opioid").set_value("methadone (oral)").run()  # the fentanyl slider disappears ...
    at.radio(key="nlx_opioid").set_value("fentanyl IV").run()  # ... and comes back with its value
    assert at.slider(key="nlx_fentanyl_mg").value == 1.0
    at.switch_page("pages/home.py").run()
    assert at.slider(key="home_ntx_mg").value == 100
    at.switch_page("pages/naloxone.py").run()
    assert at.slider(key="nlx_fentanyl_mg").value == 1.0
    assert not at.exception


def test_presentation_mode_keeps_secondary_controls():
    at = open_page("pages/alcohol.py")
    at.slider(key="alc_grams").set_value(20.0).run()
    at.toggle(key="present").set_value(True).run()
    at.toggle(key="present").set_value(False).run()
    assert at.slider(key="alc_grams").value == 20.0


def test_workbench_edits_survive_a_page_change_and_the_link_holds_a_and_b():
    at = open_page("pages/workbench.py")
    at.button(key="wb_try_kd").click().run()
    assert "wb_compare" in at.session_state
    title = at.text_input(key=f"wb_title_{at.session_state['wb_version']}").value
    assert "Kd x 2" in title
    at.switch_page("pages/home.py").run()
    at.switch_page("pages/workbench.py").run()
    assert at.text_input(key=f"wb_title_{at.session_state['wb_version']}").value == title
    link = {k: at.query_params[k] for k in ("wb_s", "wb_b")}
    again = open_page("pages/workbench.py", **link)
    assert again.text_input(key="wb_title_0").value == title
    assert again.session_state["wb_compare"] == at.session_state["wb_compare"]


@pytest.fixture
def managers(monkeypatch):
    made: list[MediaFileManager] = []

    def factory(storage):
        made.append(MediaFileManager(storage))
        return made[-1]

    monkeypatch.setattr(app_test, "MediaFileManager", factory)
    return made


def fetch(mgr: MediaFileManager, proto) -> bytes:
    """The bytes a click on a download button gets (deferred ones run outside any script run, as on a server)."""
    url = mgr.execute_deferred(proto.deferred_file_id) if proto.deferred_file_id else proto.url
    return mgr._storage.get_file(url.rsplit("/", 1)[-1].split(".")[0]).content


MAGIC = {"csv": b"", "json": b"{", "png": b"\x89PNG", "svg": b"<?xml", "pdf": b"%PDF", "toml": b""}


@pytest.mark.slow
@pytest.mark.parametrize("path", [p.path for p in REGISTERED if p.downloads])
def test_every_download_on_every_page_works(path, managers):
    at = open_folds(open_page(path))
    buttons = at.get("download_button")
    assert buttons, "every page offers downloads"
    for b in buttons:
        proto = b.proto
        data = fetch(managers[-1], proto)
        ext = (proto.label or "").lower() if proto.label in ("CSV", "JSON", "PNG", "SVG", "PDF") else "toml"
        assert len(data) > 20, proto.label
        assert data.startswith(MAGIC[ext]), (path, proto.label, data[:20])


def test_a_cursor_reads_every_series_at_output_step_resolution():
    at = open_page("pages/home.py")
    assert not [s for s in at.slider if s.key.startswith("read_")], "a closed readout costs nothing"
    cursor = open_folds(at).slider(key="read_timecourse")
    assert cursor.step == pytest.approx(0.05)
    cursor.set_value(24.4).run()
    shown = at.dataframe[0].value.set_index("series (unit in the name)")["value"]
    table = at.session_state["plot_data"]["timecourse"]
    row = table[(table.time_h - 24.4).abs() < 1e-9].iloc[0]
    assert set(shown.index) == set(table.select_dtypes("number").columns)
    assert shown["reward"] == pytest.approx(row.reward)
    assert shown["naltrexone_plasma_ng_per_ml"] == pytest.approx(row.naltrexone_plasma_ng_per_ml)


def download(at: AppTest, managers, key: str) -> dict:
    """The JSON a download button of the page gives (a descriptor or a table), parsed."""
    import json

    button = next(b for b in open_folds(at).get("download_button") if key in b.proto.id)
    return json.loads(fetch(managers[-1], button.proto))


def test_a_band_exports_the_population_scenario_that_reproduces_it(managers):
    from model import simulate
    from model.export import scenario_of

    at = open_page("pages/home.py", home_band="1")
    shown = at.session_state["plot_data"]["timecourse"]
    desc = download(at, managers, "dl_timecourse_datapackage_json")
    s = scenario_of(desc)
    assert s.options.population == 200
    again = simulate(s).table
    for col in ("reward_p50", "occupancy_antagonist_p95"):
        assert again[col].to_numpy() == pytest.approx(shown[f"population_{col}"].to_numpy())
    assert again.reward.to_numpy() == pytest.approx(shown.reward.to_numpy())


def test_the_stopping_sweep_exports_its_baseline_and_every_scenario_behind_it(managers):
    from model import simulate
    from model.scenario import loads_scenario

    at = open_page("pages/stopping.py")
    shown = at.session_state["plot_data"]["stopping"]
    doc = download(at, managers, "dl_stopping_json")
    arms = [loads_scenario(t) for t in doc["arms_toml"]]
    assert len(arms) == len(shown) + 1 and arms[0].title == "before treatment"
    before = simulate(arms[0]).challenges.increment_with.iloc[0]
    assert shown.effect_before_treatment.to_numpy() == pytest.approx(before)
    k = int(np.argmax(shown.days_after_last_naltrexone.to_numpy() == 7))
    # the sweep runs as one batch on a common time grid: the same numbers to solver precision
    assert simulate(arms[1 + k]).challenges.increment_with.iloc[0] == pytest.approx(shown.effect.iloc[k], rel=1e-4)


def test_the_phone_layout_shapes_the_downloaded_figure(managers):
    import struct

    def png_size(at: AppTest) -> tuple[int, int]:
        button = next(b for b in open_folds(at).get("download_button") if "dl_timecourse_png" in b.proto.id)
        data = fetch(managers[-1], button.proto)
        return struct.unpack(">II", data[16:24])

    wide_w, wide_h = png_size(open_page("pages/home.py"))
    narrow_w, narrow_h = png_size(open_page("pages/home.py", narrow="1"))
    assert narrow_h / narrow_w > wide_h / wide_w  # taller for a phone
