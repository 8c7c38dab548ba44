import math
import re

import pytest

from model import drugs
from model.drugs import DRUG_SPECIES, TAGS, molecules, response_parameters

REQUIRED_ROUTES = {
    "naltrexone": {"oral", "im_xr", "implant"},
    "heroin": {"iv"},
    "morphine": {"iv", "oral"},
    "fentanyl": {"iv", "intranasal"},
    "oxycodone": {"oral"},
    "methadone": {"oral"},
    "buprenorphine": {"sublingual"},
    "naloxone": {"iv", "intranasal"},
    "alcohol": {"oral"},
}
CITED = re.compile(r"(19|20)\d\d|label|PubChem|UniProt|Fachinformation|EPAR|Miller's Anesthesia|Neutral antagonist")
UNIT_SUFFIX = re.compile(
    r"_(per_h|l|l_per_kg|l_per_h|nm|per_nm_per_h|g_per_mol|mg_per_h|mg_per_l|l_per_kg|per_mg_per_dl|mg_per_dl)$"
)


def test_every_molecule_of_the_design_is_present():
    assert set(molecules()) >= {
        "naltrexone",
        "naltrexol",
        "naloxone",
        "heroin",
        "monoacetylmorphine",
        "morphine",
        "fentanyl",
        "oxycodone",
        "methadone",
        "buprenorphine",
        "ethanol",
        "endorphin",
    }


@pytest.mark.parametrize("drug,routes", REQUIRED_ROUTES.items())
def test_each_drug_has_its_routes(drug, routes):
    assert routes <= set(molecules()[DRUG_SPECIES[drug]].routes)


def test_every_parameter_has_unit_tag_source_and_lies_in_its_range():
    for m in molecules().values():
        for p in m.parameters.values():
            assert p.unit and p.source.strip(), (m.id, p.name)
            assert p.tag in TAGS
            assert math.isfinite(p.value) and p.min <= p.value <= p.max
            if p.tag == "measured":  # a measured value names where it was measured
                assert CITED.search(p.source), (m.id, p.name, p.source)
    for p in response_parameters().values():
        assert p.source


def test_dimensioned_parameter_names_carry_their_unit():
    dimensionless = {"fraction_unbound", "kp_uu", "tau"}
    for m in molecules().values():
        for p in m.parameters.values():
            if p.unit == "1" or p.name in dimensionless:
                continue
            assert UNIT_SUFFIX.search(p.name), f"{m.id}.{p.name} ({p.unit}) has no unit in its name"


def test_binding_ligands_have_affinity_kinetics_and_efficacy():
    for m in molecules().values():
        if m.role in ("antagonist", "agonist", "partial_agonist"):
            for key in ("kd_nm", "kon_per_nm_per_h", "tau"):
                assert key in m.parameters, (m.id, key)
            assert (m["tau"] == 0) == (m.role == "antagonist")


def test_override_outside_range_names_the_key():
    with pytest.raises(ValueError, match=r"parameters\.naltrexone\.kd_nm.*allowed range"):
        molecules()["naltrexone"].with_overrides({"kd_nm": -1.0})


def test_every_teaching_constant_has_unit_or_route_tag_and_source():
    import tomllib

    raw = tomllib.loads((drugs.DATA_DIR / "teaching.toml").read_text(encoding="utf-8"))
    entries = [e for table in raw.values() for e in table.values()]
    for path in sorted((drugs.DATA_DIR / "molecules").glob("*.toml")):
        use = tomllib.loads(path.read_text(encoding="utf-8")).get("teaching", {})
        entries += [use[k] for k in ("dose", "chronic_use") if k in use]
    assert len(entries) > 10
    for e in entries:
        assert e["tag"] in TAGS and e["source"].strip()
        assert "unit" in e or ("route" in e and "amount_mg" in e)


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ("[teaching]\norder = 0\n", "order"),
        ('[teaching]\norder = 1\ndose = { route = "oral", amount_mg = 1, tag = "measured", source = "x" }\n', "route"),
        (
            '[teaching]\norder = 1\ndose = { route = "iv", amount_mg = -1, tag = "measured", source = "x" }\n'
            'chronic_use = { route = "iv", amount_mg = 1, every_h = 8, tag = "measured", source = "x" }\n',
            "amount_mg",
        ),
        (
            '[teaching]\norder = 1\ndose = { route = "iv", amount_mg = 1, tag = "guess", source = "x" }\n',
            "tag",
        ),
    ],
)
def test_a_bad_teaching_use_is_refused_with_its_file_and_field(tmp_path, section, message):
    body = (drugs.DATA_DIR / "molecules" / "fentanyl.toml").read_text(encoding="utf-8")
    start = body.index("[teaching]")
    end = body.index("[parameters]")
    path = tmp_path / "fentanyl.toml"
    path.write_text(body[:start] + section + "\n" + body[end:], encoding="utf-8")
    with pytest.raises(ValueError, match=f"fentanyl.toml: \\[teaching\\].*{message}"):
        drugs._parse_molecule(path)


def test_the_parameter_table_lists_every_parameter_with_its_source_and_is_the_callers_own():
    from model.drugs import parameter_table

    table = parameter_table()
    expected = sum(len(m.parameters) for m in molecules().values()) + len(response_parameters())
    assert len(table) == expected
    assert (table.source.str.len() > 0).all() and (table.unit.str.len() > 0).all()
    table.loc[0, "value"] = -1.0  # a caller's change stays the caller's
    assert parameter_table().loc[0, "value"] != -1.0
