import pytest

from model.scenario import (
    MAX_FILE_BYTES,
    ScenarioError,
    dose_events,
    load_scenario,
    parse_scenario,
    parse_scenario_bytes,
    scenario_to_toml,
)

BASE = {"title": "t", "duration_h": 48, "dose": [{"drug": "naltrexone", "route": "oral", "amount_mg": 50, "at_h": [0]}]}


def with_dose(**changes):
    d = dict(BASE["dose"][0], **changes)
    return dict(BASE, dose=[{k: v for k, v in d.items() if v is not None}])


@pytest.mark.parametrize(
    "raw,key",
    [
        (dict(BASE, duration_h=-5), "duration_h"),
        (dict(BASE, duration_h=float("nan")), "duration_h"),
        (dict(BASE, duration_h="long"), "duration_h"),
        (dict(BASE, duration_h=1e9), "duration_h"),
        (dict(BASE, output_step_h=0.0001), "output_step_h"),
        (dict(BASE, duration_h=17000, output_step_h=0.1), "output_step_h"),
        (dict(BASE, colour="red"), "colour"),
        (with_dose(amount_mg=-50), "dose[0].amount_mg"),
        (with_dose(amount_mg=0), "dose[0].amount_mg"),
        (with_dose(amount_mg=float("inf")), "dose[0].amount_mg"),
        (with_dose(amount_mg=1e7), "dose[0].amount_mg"),
        (with_dose(amount_mg="fifty"), "dose[0].amount_mg"),
        (with_dose(amount_mg=True), "dose[0].amount_mg"),
        (with_dose(drug="cocaine"), "dose[0].drug"),
        (with_dose(route="sublingual"), "dose[0].route"),
        (with_dose(at_h=[100]), "dose[0].at_h[0]"),
        (with_dose(at_h=[]), "dose[0].at_h"),
        (with_dose(at_h=None, every_h=24, count=5), "dose[0].count"),
        (with_dose(at_h=None, every_h=24, count=10**7), "dose[0].count"),
        (with_dose(taken_probability=1.5), "dose[0].taken_probability"),
        (with_dose(release_months=3), "dose[0].release_months"),
        (with_dose(amount_g=5), "dose[0].amount_g"),
        (dict(BASE, patient={"weight_kg": 5}), "patient.weight_kg"),
        (dict(BASE, patient={"sex": "x"}), "patient.sex"),
        (dict(BASE, options={"population": -1}), "options.population"),
        (dict(BASE, options={"seed": 1.5}), "options.seed"),
        (dict(BASE, parameters={"naltrexone": {"kd_nm": 0}}), "parameters.naltrexone.kd_nm"),
        (dict(BASE, parameters={"naltrexone": {"colour": 1}}), "parameters.naltrexone.colour"),
        (dict(BASE, parameters={"unobtainium": {}}), "parameters.unobtainium"),
        (dict(BASE, dose="lots"), "dose"),
    ],
)
def test_bad_input_names_the_key(raw, key):
    with pytest.raises(ScenarioError) as err:
        parse_scenario(raw)
    assert str(err.value).startswith(key), str(err.value)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize(
    "data,fragment",
    [
        (b"title = \n", "not valid TOML"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        (b"a = " + b"[" * 5000 + b"]" * 5000, "scenario"),
        (b"x" * (MAX_FILE_BYTES + 1), "larger than"),
        (b"", "duration_h"),
    ],
)
def test_malformed_files_get_one_readable_line(data, fragment):
    with pytest.raises(ScenarioError, match=fragment):
        parse_scenario_bytes(data)


def test_toml_round_trip_keeps_the_scenario():
    s = parse_scenario(
        dict(
            BASE,
            dose=BASE["dose"]
            + [
                {
                    "drug": "heroin",
                    "route": "iv",
                    "amount_mg": 25,
                    "every_h": 24,
                    "count": 2,
                    "start_h": 24,
                    "taken_probability": 0.5,
                },
                {"drug": "naltrexone", "route": "implant", "amount_mg": 1000, "release_months": 4, "at_h": [1]},
                {"drug": "alcohol", "route": "oral", "amount_g": 14, "at_h": [2, 3]},
            ],
            parameters={"naltrexone": {"ke0_per_h": 1.0}},
            options={"seed": 7},
        )
    )
    assert load_scenario(scenario_to_toml(s)) == s


def test_missed_doses_follow_the_seed():
    raw = with_dose(at_h=None, every_h=24, count=30, taken_probability=0.5)
    raw["duration_h"] = 800
    a = dose_events(parse_scenario(dict(raw, options={"seed": 1})))
    b = dose_events(parse_scenario(dict(raw, options={"seed": 1})))
    c = dose_events(parse_scenario(dict(raw, options={"seed": 2})))
    assert a == b and a != c
    assert 5 < len(a) < 25


def test_counterfactual_removes_only_naltrexone():
    s = parse_scenario(
        dict(BASE, dose=BASE["dose"] + [{"drug": "naloxone", "route": "iv", "amount_mg": 0.4, "at_h": [1]}])
    )
    assert [d.drug for d in s.without_naltrexone().doses] == ["naloxone"]
