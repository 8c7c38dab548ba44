"""One source of truth per drug: identity and drawing in each molecule's file; a new drug needs no code."""

import json
import shutil

import pytest

from model import drugs, parse_scenario, simulate
from model.drugs import DRUG_SPECIES, molecules
from ui import theme
from ui.drawings import mpl, vega
from ui.drawings.time import timecourse

TOY = """id = "toyorphine"
name = "Toyorphine"
role = "agonist"
summary = "A made-up agonist for the registry test."
drug = "toyorphine"

[display]
label = "toyorphine"
palette = 12
line = "--"

[routes.iv]
kind = "iv"
max_dose_mg = 100

[teaching]
order = 7
dose = { route = "iv", amount_mg = 10, tag = "illustrative", source = "test" }
chronic_use = { route = "iv", amount_mg = 10, every_h = 8, tag = "illustrative", source = "test" }

[parameters]
molar_mass_g_per_mol = { value = 300, unit = "g/mol", min = 100, max = 5000, tag = "illustrative", source = "test" }
fraction_unbound = { value = 0.5, unit = "1", min = 0.01, max = 1, tag = "illustrative", source = "test" }
cl_l_per_h = { value = 50, unit = "L/h", min = 1, max = 1000, tag = "illustrative", source = "test" }
v_central_l_per_kg = { value = 2, unit = "L/kg", min = 0.01, max = 100, tag = "illustrative", source = "test" }
ke0_per_h = { value = 5, unit = "1/h", min = 0.001, max = 1000, tag = "illustrative", source = "test" }
kp_uu = { value = 1, unit = "1", min = 0.001, max = 100, tag = "illustrative", source = "test" }
kd_nm = { value = 100, unit = "nM", min = 0.001, max = 1000000, tag = "illustrative", source = "test" }
kon_per_nm_per_h = { value = 36, unit = "1/(nM h)", min = 0.001, max = 100000, tag = "illustrative", source = "test" }
tau = { value = 5, unit = "1", min = 0, max = 1000, tag = "illustrative", source = "test" }
tau_respiratory = { value = 5, unit = "1", min = 0, max = 1000, tag = "illustrative", source = "test" }
"""


def test_every_molecule_has_its_own_colour():
    colours = [theme.colour(m) for m in molecules()]
    assert len(set(colours)) == len(colours)
    assert all(theme.label(m) for m in molecules())


def test_colour_words_name_the_colours_drawn():
    assert theme.colour_name("naltrexone") == "blue" and theme.colour_name("monoacetylmorphine") == "orange"
    assert theme.colour_name("agonist") == theme.colour_name("heroin")  # role colours are palette colours too
    assert len(theme.COLOUR_NAMES) == len(theme.PALETTE)


def test_a_molecule_without_a_colour_of_its_own_is_refused_by_name(toy_data, monkeypatch):
    monkeypatch.setattr(theme, "PALETTE", theme.PALETTE[:-1])
    monkeypatch.setattr(theme, "COLOUR_NAMES", theme.COLOUR_NAMES[:-1])
    with pytest.raises(ValueError, match="toyorphine.*palette = 12 is not a slot"):
        theme.check_palette()
    (drugs.DATA_DIR / "molecules" / "toyorphine.toml").write_text(TOY.replace("palette = 12", "palette = 11"))
    drugs.molecules.cache_clear()
    with pytest.raises(ValueError, match="palette = 11 is already"):
        theme.check_palette()


def test_drug_names_come_from_the_molecule_files():
    assert DRUG_SPECIES["alcohol"] == "ethanol" and DRUG_SPECIES["heroin"] == "heroin"
    assert all(molecules()[sp].drug == drug for drug, sp in DRUG_SPECIES.items())


@pytest.fixture
def toy_data(tmp_path, monkeypatch):
    """A data directory with every real molecule plus a toy agonist."""
    data = tmp_path / "data"
    shutil.copytree(drugs.DATA_DIR, data)
    (data / "molecules" / "toyorphine.toml").write_text(TOY, encoding="utf-8")
    monkeypatch.setattr(drugs, "DATA_DIR", data)
    # the contributor's one UI step: a 13th colour and its word
    monkeypatch.setattr(theme, "PALETTE", (*theme.PALETTE, "#117733"))
    monkeypatch.setattr(theme, "COLOUR_NAMES", (*theme.COLOUR_NAMES, "green"))
    drugs.molecules.cache_clear()
    drugs.response_parameters.cache_clear()
    theme.check_palette()
    yield
    drugs.molecules.cache_clear()
    drugs.response_parameters.cache_clear()


def test_a_new_agonist_file_is_all_it_takes(toy_data, capsys):
    from model import cli

    s = parse_scenario(
        {
            "title": "toy",
            "duration_h": 6,
            "dose": [
                {"drug": "naltrexone", "route": "oral", "amount_mg": 50, "at_h": [0]},
                {"drug": "toyorphine", "route": "iv", "amount_mg": 10, "at_h": [2]},
            ],
        }
    )
    r = simulate(s)
    assert {"toyorphine_plasma_ng_per_ml", "occupancy_toyorphine"} <= set(r.table.columns)
    assert r.table.occupancy_toyorphine.max() > 0
    assert r.challenges.drug.tolist() == ["toyorphine"]
    assert theme.label("toyorphine") == "toyorphine" and theme.line_style("toyorphine") == "--"
    fig = timecourse(r.table, ("plasma", "occupancy"))
    for ax in mpl.render(fig, False).axes:  # the file and the screen draw it in its own colour
        assert "toyorphine" in [t.get_text() for t in ax.get_legend().get_texts()]
    for chart in vega.render(fig, False):
        scale = chart["layer"][0]["layer"][0]["encoding"]["color"]["scale"]
        assert dict(zip(scale["domain"], scale["range"]))["toyorphine"] == "#117733"
    assert cli.main(["drugs"]) == 0
    assert "toyorphine" in capsys.readouterr().out


def test_a_new_agonist_appears_on_every_page_that_lists_agonists_and_in_both_drawings(toy_data):
    """Compare, Stopping, Mechanism and the Workbench list it from its file; each figure draws it both ways."""
    from pathlib import Path

    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from model.scenario import scenario_to_toml
    from ui.editor import encode

    root = Path(__file__).resolve().parents[1]
    st.cache_data.clear()  # lesson tables cached before the toy existed

    def page(path: str, **query: str) -> AppTest:
        at = AppTest.from_file(str(root / "app.py"), default_timeout=90)
        for k, v in query.items():
            at.query_params[k] = v
        at.switch_page(path).run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    def drawn_both_ways(at: AppTest, key: str) -> None:
        fig = at.session_state["plot_figures"][key]
        shown = json.dumps(vega.render(fig, False), default=lambda x: vega.records(x))
        assert "toyorphine" in shown and "#117733" in shown, key
        texts = [
            t.get_text() for ax in mpl.render(fig, False).axes if ax.get_legend() for t in ax.get_legend().get_texts()
        ]
        texts += [t.get_text() for ax in mpl.render(fig, False).axes for t in ax.get_yticklabels()]
        assert any("toyorphine" in t for t in texts), key

    compare = page("pages/compare.py")
    assert "toyorphine" in set(compare.session_state["plot_data"]["compare"].drug)
    drawn_both_ways(compare, "compare")

    stopping = page("pages/stopping.py")
    assert any("toyorphine" in str(o) for box in stopping.selectbox for o in box.options)
    drawn_both_ways(stopping, "intervals")

    mechanism = page("pages/mechanism.py", mech_agonist="toyorphine")
    assert "toyorphine" in mechanism.selectbox(key="mech_agonist").options
    assert mechanism.selectbox(key="mech_agonist").value == "toyorphine"
    drawn_both_ways(mechanism, "chain")

    toy = parse_scenario(
        {
            "title": "toy",
            "duration_h": 12,
            "dose": [{"drug": "toyorphine", "route": "iv", "amount_mg": 10, "at_h": [1]}],
        }
    )
    workbench = page("pages/workbench.py", wb_s=encode(scenario_to_toml(toy)))
    drawn_both_ways(workbench, "timecourse")
    st.cache_data.clear()  # nothing of the toy outlives the test
