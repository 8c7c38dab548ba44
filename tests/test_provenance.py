import io
import json
import re
import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from model import columns, load_scenario, simulate
from model.cli import main
from model.drugs import DRUG_SPECIES, molecules
from model.export import datapackage, descriptor_name, figure_metadata, scenario_of
from model.scenario import parse_scenario

ROOT = Path(__file__).resolve().parents[1]


def _every_kind_of_scenario():
    """Every drug by every route, alcohol, adaptation, tolerance and a population."""
    for drug, sp in DRUG_SPECIES.items():
        for route in molecules()[sp].routes:
            amount = {"alcohol": ("amount_g", 20)}.get(drug, ("amount_mg", 2000 if route == "implant" else 5))
            doses = [{"drug": drug, "route": route, amount[0]: amount[1], "at_h": [1]}]
            if drug != "naltrexone":
                doses.append({"drug": "naltrexone", "route": "oral", "amount_mg": 50, "at_h": [0]})
            yield f"{drug}-{route}", {"title": f"{drug} {route}", "duration_h": 24, "dose": doses}
    yield (
        "adaptation-population",
        {
            "title": "all layers",
            "duration_h": 72,
            "patient": {"opioid_tolerant": True},
            "options": {"adaptation": True, "population": 5, "seed": 3},
            "dose": [
                {
                    "drug": "naltrexone",
                    "route": "oral",
                    "amount_mg": 50,
                    "every_h": 24,
                    "count": 3,
                    "start_h": 0,
                    "taken_probability": 0.7,
                },
                {"drug": "heroin", "route": "iv", "amount_mg": 25, "at_h": [12, 36]},
                {"drug": "alcohol", "route": "oral", "amount_g": 30, "at_h": [40]},
            ],
        },
    )


CASES = list(_every_kind_of_scenario())


@pytest.mark.parametrize("raw", [c[1] for c in CASES], ids=[c[0] for c in CASES])
def test_every_column_simulate_produces_is_registered_with_a_unit(raw):
    r = simulate(parse_scenario(raw))
    for c in r.table.columns:
        entry = columns.lookup(c)
        assert entry is not None, c
        assert entry.unit and entry.description
        if c.startswith(("occupancy_", "reward", "blockade")):
            assert entry.unit == "1"
    if r.population is not None:
        for c in r.population.people.columns:
            assert columns.lookup(c) is not None, c


def test_columns_command_lists_the_registry(capsys):
    assert main(["columns"]) == 0
    out = capsys.readouterr().out
    assert "blockade_fraction" in out and "empty where" in out and "occupancy_<species>" in out


def test_csv_gets_a_descriptor_and_its_scenario_reproduces_the_numbers(tmp_path):
    src = ROOT / "examples" / "population_adherence.toml"
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    assert main(["run", str(src), "--out", str(a)]) == 0
    assert main(["run", str(ROOT / "examples" / "heroin_after_naltrexone.toml"), "--out", str(b)]) == 0
    da, db = tmp_path / "a.datapackage.json", tmp_path / "b.datapackage.json"
    assert da.exists() and db.exists()  # two exports in one folder: two descriptors
    desc = json.loads(da.read_text())
    res = desc["resources"][0]
    got = pd.read_csv(tmp_path / res["path"])
    assert [f["name"] for f in res["schema"]["fields"]] == list(got.columns)
    units = {f["name"]: f["unit"] for f in res["schema"]["fields"]}
    assert units["occupancy_antagonist"] == "1" and units["naltrexone_plasma_ng_per_ml"] == "ng/mL"
    assert units["reward_p05"] == "1"
    prov = desc["provenance"]
    assert prov["version"] and re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", prov["created"])
    assert prov["seed"] == 1 or prov["seed"] == load_scenario(src).options.seed
    again = simulate(scenario_of(desc)).table
    np.testing.assert_allclose(got.to_numpy(float), again.to_numpy(float), rtol=1e-5, atol=1e-7, equal_nan=True)


def test_json_export_reproduces_and_states_units(tmp_path):
    src = ROOT / "examples" / "oral_daily_missed_doses.toml"
    out = tmp_path / "r.json"
    assert main(["run", str(src), "--out", str(out)]) == 0
    doc = json.loads(out.read_text())
    assert doc["created"] and doc["units"]["reward"] == "1"
    again = simulate(scenario_of(doc)).table
    got = pd.DataFrame({k: [np.nan if v is None else v for v in vals] for k, vals in doc["columns"].items()})
    np.testing.assert_allclose(got.to_numpy(float), again.to_numpy(float), rtol=1e-9, equal_nan=True)


def _read_meta(data: bytes, fmt: str) -> dict:
    if fmt == "png":  # tEXt chunks: keyword NUL text
        pos, text = 8, {}
        while pos < len(data):
            size, kind = struct.unpack(">I4s", data[pos : pos + 8])
            if kind == b"tEXt":
                key, _, val = data[pos + 8 : pos + 8 + size].partition(b"\0")
                text[key.decode("latin-1")] = val.decode("latin-1")
            pos += 12 + size
        return json.loads(text["Description"])
    if fmt == "svg":
        el = ET.fromstring(data).find(".//{http://purl.org/dc/elements/1.1/}description")
        return json.loads(el.text)
    m = re.search(rb"/Subject \((.*?)(?<!\\)\)", data, re.S)
    raw = re.sub(rb"\\(.)", lambda x: {b"n": b"\n", b"r": b"\r"}.get(x.group(1), x.group(1)), m.group(1))
    return json.loads(raw.decode("latin-1"))


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_figures_carry_the_scenario_that_reproduces_them(fmt):
    s = load_scenario(ROOT / "examples" / "heroin_after_naltrexone.toml")
    fig = Figure()
    fig.add_subplot().plot([0, 1], [0, 1])
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, metadata=figure_metadata(s, fmt, title="t"))
    meta = _read_meta(buf.getvalue(), fmt)
    assert meta["version"] and meta["created"]
    assert scenario_of(meta) == s


def test_descriptor_name_never_collides():
    assert descriptor_name("curves.csv") == "curves.datapackage.json"
    assert descriptor_name("x.CSV") != descriptor_name("y.csv")
    df = pd.DataFrame({"time_h": [0.0], "mood_score": [1.0]})
    with pytest.raises(KeyError):
        datapackage(df, "t.csv", None)
    assert json.loads(datapackage(df, "t.csv", None, strict=False))["resources"][0]["path"] == "t.csv"


def test_readme_lists_every_curve_column_of_the_registry():
    readme = (ROOT / "README.md").read_text()
    for c in columns.COLUMNS:
        if c.table == "curves" and not c.pattern.startswith("<column>"):
            assert f"`{c.pattern}`" in readme or c.pattern.replace("<species>", "") in readme, c.pattern


def test_app_downloads_carry_the_scenario():
    from ui import page

    s = load_scenario(ROOT / "examples" / "heroin_after_naltrexone.toml")
    r = simulate(s)
    band = r.table[["time_h", "reward"]]
    doc = json.loads(page.table_json(band, "a derived table", s))
    assert scenario_of(doc) == s and doc["version"] and doc["created"]
    fig = Figure()
    fig.add_subplot().plot([0, 1], [0, 1])
    for fmt in ("png", "svg", "pdf"):
        assert scenario_of(_read_meta(page.fig_bytes(fig, fmt, scenario=s, title="t"), fmt)) == s
    desc = json.loads(datapackage(band, "x_timecourse.csv", s, title="t", strict=False))
    assert scenario_of(desc) == s
    again = simulate(scenario_of(desc)).table
    np.testing.assert_allclose(band.to_numpy(float), again[["time_h", "reward"]].to_numpy(float))
