"""Write the hostile scenario corpus (run from the repository root: python corpora/hostile/make_corpus.py).

Each file starts with '# expect: <text>', a part of the one-line error it must give (usually the key).
Files in accepted/ are odd but valid and must simulate.
"""

import os
import pickle
from pathlib import Path

D = Path(__file__).resolve().parent
H = "duration_h = 48\n"
NTX = '[[dose]]\ndrug = "naltrexone"\nroute = "oral"\namount_mg = 50\nat_h = [0]\n'


def dose(body):  # a heroin dose with a replaced body
    return "[[dose]]\n" + body


HER = 'drug = "heroin"\nroute = "iv"\namount_mg = 25\n'
files = {
    # malformed TOML
    "malformed_unclosed_string": ("scenario", 'title = "abc\n' + H),
    "malformed_unclosed_table": ("scenario", H + "[patient\nweight_kg = 70\n"),
    "malformed_missing_value": ("scenario", "duration_h =\n"),
    "malformed_bare_words": ("scenario", "this is not toml at all\n"),
    "malformed_json": ("scenario", '{"duration_h": 48, "dose": []}\n'),
    "malformed_yaml_python_tag": (
        "scenario",
        'duration_h: !!python/object/apply:os.system ["touch /tmp/naltrexone_hostile_marker"]\n',
    ),
    "malformed_python_code": ("scenario", '__import__("os").system("touch /tmp/naltrexone_hostile_marker")\n'),
    "malformed_duplicate_key": ("scenario", H + "duration_h = 96\n"),
    "malformed_duplicate_table": ("scenario", H + "[patient]\nweight_kg = 70\n[patient]\nweight_kg = 80\n"),
    "malformed_array_of_tables_clash": ("scenario", H + "dose = 1\n" + NTX),
    "malformed_bad_date": ("scenario", "duration_h = 1979-13-45\n"),
    "malformed_nul_byte": ("scenario", H.replace("\n", "\x00\n")),
    "malformed_unterminated_array": ("scenario", H + NTX.replace("at_h = [0]", "at_h = [0, 1")),
    "malformed_nested_deep": ("nested too deeply", "x = " + "[" * 200 + "]" * 200 + "\n" + H),
    "malformed_inline_tables_deep": ("nested too deeply", H + "x = " + "{a = " * 200 + "1" + "}" * 200 + "\n"),
    "empty": ("duration_h", ""),
    "only_comments": ("duration_h", "# a scenario\n# with nothing in it\n"),
    # wrong types
    "type_duration_string": ("duration_h", 'duration_h = "48"\n'),
    "type_duration_bool": ("duration_h", "duration_h = true\n"),
    "type_duration_array": ("duration_h", "duration_h = [48]\n"),
    "type_duration_table": ("duration_h", "[duration_h]\nvalue = 48\n"),
    "type_duration_date": ("duration_h", "duration_h = 1979-05-27\n"),
    "type_duration_long_string": ("duration_h", 'duration_h = "' + "x" * 20000 + '"\n'),
    "type_output_step_string": ("output_step_h", H + 'output_step_h = "0.1"\n'),
    "type_title_number": ("title", "title = 5\n" + H),
    "type_title_too_long": ("title", 'title = "' + "t" * 300 + '"\n' + H),
    "type_description_table": ("description", H + '[description]\ntext = "x"\n'),
    "type_dose_table": ("dose", H + "[dose]\n" + HER + "at_h = [1]\n"),
    "type_dose_ints": ("dose", H + "dose = [1, 2, 3]\n"),
    "type_dose_string": ("dose", H + 'dose = "heroin"\n'),
    "type_drug_array": ("dose[0].drug", H + dose(HER.replace('"heroin"', '["heroin"]') + "at_h = [1]\n")),
    "type_drug_table": (
        "dose[0].drug",
        H + dose(HER.replace('drug = "heroin"', 'drug = {name = "heroin"}') + "at_h = [1]\n"),
    ),
    "type_drug_number": ("dose[0].drug", H + dose(HER.replace('"heroin"', "1") + "at_h = [1]\n")),
    "type_route_table": ("dose[0].route", H + dose(HER.replace('"iv"', "{a = 1}") + "at_h = [1]\n")),
    "type_amount_bool": ("dose[0].amount_mg", H + dose(HER.replace("25", "true") + "at_h = [1]\n")),
    "type_amount_string": ("dose[0].amount_mg", H + dose(HER.replace("25", '"25"') + "at_h = [1]\n")),
    "type_amount_array": ("dose[0].amount_mg", H + dose(HER.replace("25", "[25]") + "at_h = [1]\n")),
    "type_at_h_number": ("dose[0].at_h", H + dose(HER + "at_h = 1\n")),
    "type_at_h_table": ("dose[0].at_h", H + dose(HER + "at_h = {t = 1}\n")),
    "type_at_h_bools": ("dose[0].at_h[0]", H + dose(HER + "at_h = [true, false]\n")),
    "type_at_h_strings": ("dose[0].at_h[0]", H + dose(HER + 'at_h = ["1", "2"]\n')),
    "type_at_h_nested": ("dose[0].at_h[0]", H + dose(HER + "at_h = [[1], [2]]\n")),
    "type_at_h_empty": ("dose[0].at_h", H + dose(HER + "at_h = []\n")),
    "type_count_float": ("dose[0].count", H + dose(HER + "every_h = 6\ncount = 2.5\n")),
    "type_count_string": ("dose[0].count", H + dose(HER + 'every_h = 6\ncount = "3"\n')),
    "type_every_bool": ("dose[0].every_h", H + dose(HER + "every_h = true\ncount = 3\n")),
    "type_start_string": ("dose[0].start_h", H + dose(HER + 'every_h = 6\ncount = 3\nstart_h = "soon"\n')),
    "type_probability_string": (
        "dose[0].taken_probability",
        H + dose(HER + 'at_h = [1]\ntaken_probability = "often"\n'),
    ),
    "type_patient_array": ("patient", H + "patient = [70]\n"),
    "type_patient_weight_string": ("patient.weight_kg", H + '[patient]\nweight_kg = "70 kg"\n'),
    "type_patient_sex_number": ("patient.sex", H + "[patient]\nsex = 1\n"),
    "type_patient_sex_array": ("patient.sex", H + '[patient]\nsex = ["male"]\n'),
    "type_patient_tolerant_string": ("patient.opioid_tolerant", H + '[patient]\nopioid_tolerant = "yes"\n'),
    "type_options_string": ("options", H + 'options = "fast"\n'),
    "type_options_adaptation_int": ("options.adaptation", H + "[options]\nadaptation = 1\n"),
    "type_options_seed_float": ("options.seed", H + "[options]\nseed = 1.5\n"),
    "type_options_population_bool": ("options.population", H + "[options]\npopulation = true\n"),
    "type_parameters_array": ("parameters", H + "parameters = [1, 2]\n"),
    "type_parameters_species_number": ("parameters.naltrexone", H + "[parameters]\nnaltrexone = 5\n"),
    "type_parameter_value_string": ("parameters.naltrexone.kd_nm", H + '[parameters.naltrexone]\nkd_nm = "0.1"\n'),
    "type_parameter_value_bool": ("parameters.naltrexone.kd_nm", H + "[parameters.naltrexone]\nkd_nm = false\n"),
    "type_parameter_value_table": ("parameters.naltrexone.kd_nm", H + "[parameters.naltrexone.kd_nm]\nvalue = 1\n"),
    # NaN and infinity
    "nan_duration": ("duration_h", "duration_h = nan\n"),
    "inf_duration": ("duration_h", "duration_h = inf\n"),
    "nan_output_step": ("output_step_h", H + "output_step_h = nan\n"),
    "nan_amount": ("dose[0].amount_mg", H + dose(HER.replace("25", "nan") + "at_h = [1]\n")),
    "neginf_amount": ("dose[0].amount_mg", H + dose(HER.replace("25", "-inf") + "at_h = [1]\n")),
    "inf_amount": ("dose[0].amount_mg", H + dose(HER.replace("25", "+inf") + "at_h = [1]\n")),
    "nan_at_h": ("dose[0].at_h[1]", H + dose(HER + "at_h = [1, nan]\n")),
    "inf_every_h": ("dose[0].every_h", H + dose(HER + "every_h = inf\ncount = 2\n")),
    "nan_start_h": ("dose[0].start_h", H + dose(HER + "every_h = 6\ncount = 2\nstart_h = nan\n")),
    "nan_probability": ("dose[0].taken_probability", H + dose(HER + "at_h = [1]\ntaken_probability = nan\n")),
    "nan_weight": ("patient.weight_kg", H + "[patient]\nweight_kg = nan\n"),
    "nan_parameter": ("parameters.naltrexone.kd_nm", H + "[parameters.naltrexone]\nkd_nm = nan\n"),
    "inf_parameter": ("parameters.heroin.ke0_per_h", H + "[parameters.heroin]\nke0_per_h = inf\n"),
    # negative and absurd sizes
    "size_duration_negative": ("duration_h", "duration_h = -48\n"),
    "size_duration_zero": ("duration_h", "duration_h = 0\n"),
    "size_duration_tiny": ("duration_h", "duration_h = 0.001\n"),
    "size_duration_huge": ("duration_h", "duration_h = 1e9\n"),
    "size_duration_bigint": ("duration_h", "duration_h = " + "9" * 400 + "\n"),
    "size_duration_int64": ("duration_h", "duration_h = 9223372036854775807\n"),
    "size_output_step_tiny": ("output_step_h", "duration_h = 17520\noutput_step_h = 0.02\n"),
    "size_output_step_rows": ("output_step_h", "duration_h = 17520\noutput_step_h = 0.1\n"),
    "size_output_step_negative": ("output_step_h", H + "output_step_h = -1\n"),
    "size_output_step_zero": ("output_step_h", H + "output_step_h = 0\n"),
    "size_output_step_huge": ("output_step_h", H + "output_step_h = 1e6\n"),
    "size_amount_zero": ("dose[0].amount_mg", H + dose(HER.replace("25", "0") + "at_h = [1]\n")),
    "size_amount_negative": ("dose[0].amount_mg", H + dose(HER.replace("25", "-25") + "at_h = [1]\n")),
    "size_amount_huge": ("dose[0].amount_mg", H + dose(HER.replace("25", "1e12") + "at_h = [1]\n")),
    "size_alcohol_huge": (
        "dose[0].amount_g",
        H + dose('drug = "alcohol"\nroute = "oral"\namount_g = 1e5\nat_h = [1]\n'),
    ),
    "size_count_zero": ("dose[0].count", H + dose(HER + "every_h = 6\ncount = 0\n")),
    "size_count_negative": ("dose[0].count", H + dose(HER + "every_h = 6\ncount = -3\n")),
    "size_count_huge": ("dose[0].count", H + dose(HER + "every_h = 6\ncount = 1000000000\n")),
    "size_count_bigint": ("dose[0].count", H + dose(HER + "every_h = 6\ncount = " + "9" * 100 + "\n")),
    "size_every_h_tiny": ("dose[0].every_h", H + dose(HER + "every_h = 0.0001\ncount = 3\n")),
    "size_every_h_negative": ("dose[0].every_h", H + dose(HER + "every_h = -6\ncount = 3\n")),
    "size_probability_above_one": (
        "dose[0].taken_probability",
        H + dose(HER + "at_h = [1]\ntaken_probability = 1.5\n"),
    ),
    "size_probability_negative": (
        "dose[0].taken_probability",
        H + dose(HER + "at_h = [1]\ntaken_probability = -0.1\n"),
    ),
    "size_release_months_huge": (
        "dose[0].release_months",
        H + dose('drug = "naltrexone"\nroute = "implant"\namount_mg = 1000\nat_h = [0]\nrelease_months = 1000\n'),
    ),
    "size_release_months_not_implant": ("dose[0].release_months", H + dose(HER + "at_h = [1]\nrelease_months = 6\n")),
    "size_weight_zero": ("patient.weight_kg", H + "[patient]\nweight_kg = 0\n"),
    "size_weight_huge": ("patient.weight_kg", H + "[patient]\nweight_kg = 1e6\n"),
    "size_population_negative": ("options.population", H + "[options]\npopulation = -1\n"),
    "size_population_huge": ("options.population", H + "[options]\npopulation = 100000000\n"),
    "size_seed_negative": ("options.seed", H + "[options]\nseed = -1\n"),
    "size_seed_huge": ("options.seed", H + "[options]\nseed = 99999999999999999999\n"),
    "size_parameter_below_min": ("parameters.naltrexone.kd_nm", H + "[parameters.naltrexone]\nkd_nm = -1\n"),
    "size_parameter_above_max": ("parameters.heroin.cl_l_per_h", H + "[parameters.heroin]\ncl_l_per_h = 1e30\n"),
    # unknown drugs, routes and keys
    "unknown_drug": ("dose[0].drug", H + dose(HER.replace('"heroin"', '"cocaine"') + "at_h = [1]\n")),
    "unknown_drug_case": ("dose[0].drug", H + dose(HER.replace('"heroin"', '"Heroin"') + "at_h = [1]\n")),
    "unknown_route": ("dose[0].route", H + dose(HER.replace('"iv"', '"smoked"') + "at_h = [1]\n")),
    "unknown_route_for_drug": ("dose[0].route", H + dose(HER.replace('"iv"', '"oral"') + "at_h = [1]\n")),
    "unknown_top_key": ("colour", H + 'colour = "blue"\n'),
    "unknown_misspelled_duration": ("duration", "duration = 48\n"),
    "unknown_dose_key": ("dose[0].speed", H + dose(HER + 'at_h = [1]\nspeed = "fast"\n')),
    "unknown_patient_key": ("patient.age", H + "[patient]\nage = 30\n"),
    "unknown_option_key": ("options.turbo", H + "[options]\nturbo = true\n"),
    "unknown_species": ("parameters.cocaine", H + "[parameters.cocaine]\nkd_nm = 1\n"),
    "unknown_parameter": ("parameters.naltrexone.potency", H + "[parameters.naltrexone]\npotency = 1\n"),
    "unknown_key_with_newline": ("unknown key", H + '"evil\\nkey" = 1\n'),
    "unknown_key_very_long": ("unknown key", H + "k" * 5000 + " = 1\n"),
    "unknown_key_dotted_deep": ("dotted parts", H + ".".join(["a"] * 2000) + " = 1\n"),
    "missing_drug": ("dose[0].drug", H + dose('route = "iv"\namount_mg = 25\nat_h = [1]\n')),
    "missing_amount": ("dose[0].amount_mg", H + dose('drug = "heroin"\nroute = "iv"\nat_h = [1]\n')),
    "missing_schedule": ("dose[0]", H + dose(HER)),
    "missing_count": ("dose[0]", H + dose(HER + "every_h = 6\n")),
    "mixed_at_h_and_every_h": ("dose[0].at_h", H + dose(HER + "at_h = [1]\nevery_h = 6\ncount = 2\n")),
    "wrong_unit_grams_for_heroin": (
        "dose[0].amount_g",
        H + dose('drug = "heroin"\nroute = "iv"\namount_g = 25\nat_h = [1]\n'),
    ),
    "wrong_unit_mg_for_alcohol": (
        "dose[0].amount_mg",
        H + dose('drug = "alcohol"\nroute = "oral"\namount_mg = 25\nat_h = [1]\n'),
    ),
    # dose times outside the window
    "time_after_end": ("dose[0].at_h[0]", H + dose(HER + "at_h = [100]\n")),
    "time_negative": ("dose[0].at_h[0]", H + dose(HER + "at_h = [-1]\n")),
    "time_schedule_overruns": ("dose[0].count", H + dose(HER + "every_h = 24\ncount = 5\n")),
    "time_start_after_end": ("dose[0].start_h", H + dose(HER + "every_h = 6\ncount = 1\nstart_h = 49\n")),
    "time_second_dose_after_end": ("dose[1].at_h[2]", H + NTX + dose(HER + "at_h = [1, 2, 48.5]\n")),
    # text shapes that would make a TOML parser slow, deep or big
    "shape_escaped_quote_key": ("dotted parts", H + ".".join(['"\\""'] * 2000) + " = 1\n"),
    "shape_escaped_quote_header": ("dotted parts", H + "[" + ".".join(['"\\""'] * 40) + "]\n"),
    "shape_literal_key_parts": ("dotted parts", H + ".".join(["'a'"] * 40) + " = 1\n"),
    "shape_int_5000_digits": ("digits", "duration_h = " + "9" * 5000 + "\n"),
    "shape_count_4301_digits": ("digits", H + dose(HER + "every_h = 6\ncount = " + "1" * 4301 + "\n")),
    "shape_hex_digits": ("digits", H + "x = 0x" + "f" * 1500 + "\n"),
    "shape_float_digits": ("digits", "duration_h = 0." + "1" * 2000 + "\n"),
    "shape_nested_arrays_40": ("nested too deeply", H + "x = " + "[" * 40 + "]" * 40 + "\n"),
    "shape_unterminated_escapes": ("scenario", H + 'title = "' + '\\"' * 5000 + "\\\n"),
    "shape_many_dose_tables": ("[[dose]] tables", "duration_h = 17520\n" + dose(HER + "at_h = [1]\n") * 1001),
    # amounts that underflow and shares of one dose that add up to more than the dose
    "nan_alcohol_underflow": (
        "dose[0].amount_g",
        H + dose('drug = "alcohol"\nroute = "oral"\namount_g = 1e-300\nat_h = [1]\n'),
    ),
    "nan_heroin_denormal": ("dose[0].amount_mg", H + dose(HER.replace("25", "5e-324") + "at_h = [1]\n")),
    "joint_oral_bioavailability": (
        "oral_first_pass_to_naltrexol",
        H + NTX + "[parameters.naltrexone]\noral_bioavailability = 1\noral_first_pass_to_naltrexol = 1\n",
    ),
    "joint_xr_fractions": (
        "xr_burst_fraction + xr_diffusion_fraction",
        H + "[parameters.naltrexone]\nxr_burst_fraction = 1\nxr_diffusion_fraction = 1\n",
    ),
    # too many doses
    "too_many_at_h": (
        "dose[0].at_h",
        "duration_h = 17520\n" + dose(HER + "at_h = [" + ", ".join(["1"] * 5001) + "]\n"),
    ),
    "too_many_in_all": ("dose: ", "duration_h = 17520\n" + (dose(HER + "every_h = 1\ncount = 3000\n")) * 2),
}
for name, (expect, text) in files.items():
    (D / f"{name}.toml").write_bytes(
        f"# expect: {expect}\n".encode() + text.encode("utf-8") if name not in ("empty",) else text.encode()
    )
# binary and encoding cases (no expect line; checked for a one-line error)
(D / "encoding_latin1.toml").write_bytes('title = "café"\nduration_h = 48\n'.encode("latin-1"))
(D / "encoding_utf16_bom.toml").write_bytes("duration_h = 48\n".encode("utf-16"))
(D / "encoding_utf32.toml").write_bytes("duration_h = 48\n".encode("utf-32"))
(D / "encoding_random_bytes.toml").write_bytes(bytes(range(256)) * 4)
(D / "encoding_lone_surrogate.toml").write_bytes(b'title = "\xed\xa0\x80"\nduration_h = 48\n')
(D / "encoding_overlong_utf8.toml").write_bytes(b'title = "\xc0\xaf"\nduration_h = 48\n')
(D / "encoding_gzip.toml").write_bytes(b"\x1f\x8b\x08\x00" + bytes(60))


class Evil:
    def __reduce__(self):
        return (os.system, ("touch /tmp/naltrexone_hostile_marker",))


(D / "encoding_pickle.toml").write_bytes(pickle.dumps(Evil()))
# accepted: odd but valid files
A = D / "accepted"
good = H + NTX + dose(HER + "at_h = [24]\n")
(A / "utf8_bom.toml").write_bytes(b"\xef\xbb\xbf" + good.encode())
(A / "crlf_line_endings.toml").write_bytes(good.replace("\n", "\r\n").encode())
(A / "unicode_title.toml").write_bytes(('title = "Naltrexon – Heroin 💉 24 h, נלטרקסון, 纳曲酮"\n' + good).encode())
(A / "tiny_doses.toml").write_bytes(
    (H + NTX.replace("50", "1e-6") + dose(HER.replace("25", "1e-6") + "at_h = [24]\n")).encode()
)
(A / "integers_everywhere.toml").write_bytes(
    (
        "duration_h = 48\noutput_step_h = 1\n"
        + NTX
        + dose(HER + "every_h = 12\ncount = 3\nstart_h = 1\n")
        + "[patient]\nweight_kg = 70\n[options]\nseed = 4294967295\n"
    ).encode()
)
(A / "no_doses.toml").write_bytes(b"duration_h = 1\n")
(A / "doses_at_the_edges.toml").write_bytes((H + dose(HER + "at_h = [0, 48]\n")).encode())
print(len(list(D.glob("*.toml"))), "hostile;", len(list(A.glob("*.toml"))), "accepted")
