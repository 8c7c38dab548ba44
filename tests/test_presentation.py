"""Presentation mode carries the lesson: a computed headline with its number, steady axes, large chart text."""

import json
import re
from pathlib import Path

import pytest
from drawing_checks import walk
from streamlit.testing.v1 import AppTest

from ui.registry import PAGES

ROOT = Path(__file__).resolve().parents[1]
#: A control on each page that changes the run but not its duration, and a new value for it.
MOVES = {
    "pages/home.py": ("home_ntx_mg", 100),
    "pages/mechanism.py": ("mech_ntx_mg", 100),
    "pages/alcohol.py": ("alc_ntx_mg", 100),
    "pages/naloxone.py": ("nlx_fentanyl_mg", 0.5),
    "pages/overcoming.py": ("over_ntx_mg", 100),
    "pages/regimens.py": ("reg_tablets", 90),
    "pages/cravings.py": ("crv_heroin_mg", 50),
    "pages/compare.py": ("cmp_ntx_level", 4.0),
}


def projector(path: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.session_state["present"] = True
    at.switch_page(path).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def charts(at: AppTest) -> list[dict]:
    return [json.loads(e.proto.spec) for e in at.main if getattr(e, "type", "") == "vega_lite_chart"]


def domains(spec: dict) -> list:
    return [
        (axis, enc[axis]["scale"]["domain"])
        for enc in walk(spec)
        for axis in ("x", "y")
        if isinstance(enc.get(axis), dict)
        and isinstance(enc[axis].get("scale"), dict)
        and "domain" in enc[axis]["scale"]
    ]


@pytest.mark.slow  # every page in AppTest: the full suite's
@pytest.mark.parametrize("path", [p.path for p in PAGES])
def test_every_page_opens_with_a_computed_headline_and_its_number(path):
    at = projector(path)
    headline = at.session_state["headline"]
    assert headline and re.search(r"\d", headline) and not headline[0].islower(), (path, headline)
    shown = [m.value.replace("\\", "") for m in at.markdown if m.value.startswith("### ")]
    assert shown and shown[0] == "### " + headline, (path, shown[:1])  # the first heading under the title
    for spec in charts(at):  # every text on a chart at least 18 px
        config = spec["config"]
        sizes = [config["axis"]["labelFontSize"], config["axis"]["titleFontSize"], config["legend"]["labelFontSize"]]
        sizes += [config["text"]["fontSize"], spec.get("title", {}).get("fontSize", 18)]
        sizes += [n["fontSize"] for n in walk(spec.get("layer", [])) if "fontSize" in n]
        assert min(sizes) >= 18, (path, sizes)


@pytest.mark.slow  # two runs of eight pages: the full suite's
@pytest.mark.parametrize("path", sorted(MOVES))
def test_moving_a_control_on_a_projector_keeps_every_axis_where_it_was(path):
    key, value = MOVES[path]
    at = projector(path)
    before = [domains(s) for s in charts(at)]
    at.query_params.clear()
    widget = next(w for w in [*at.slider, *at.select_slider, *at.number_input] if w.key == key)
    widget.set_value(value).run()
    assert not at.exception, [e.value for e in at.exception]
    after = [domains(s) for s in charts(at)]
    assert len(before) == len(after) and before, path
    assert before == after, path
