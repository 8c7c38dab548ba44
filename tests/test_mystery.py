"""The mystery opioid: reproducible draws, drugs that behave as their class, every question decidable, the page."""

import json
import math
import re
import stat
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from model import ScenarioError
from model.budget import MAX_MEGABYTES, MAX_SECONDS, check_budget
from model.drugs import molecules
from model.lessons import mystery as M
from tests.app_checks import open_folds

ROOT = Path(__file__).resolve().parents[1]
SECRET = "a-test-secret-not-the-servers"
CLASSES = [(lig, dur, pot) for lig in M.LIGANDS for dur in M.DURATIONS for pot in M.POTENCIES]
EVERY_EXPERIMENT = [
    M.Experiment(d, p, v, a) for d in M.DOSES_MG for p in M.PATTERNS for v in M.VOLUNTEERS for a in M.ANTIDOTES
]


@pytest.fixture(autouse=True)
def secret(monkeypatch, tmp_path):
    """The server secret from the environment; the home directory and the secret file in a temporary one."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv(M.SECRET_ENV, SECRET)
    monkeypatch.setenv(M.SECRET_FILE_ENV, str(tmp_path / "secret"))
    return SECRET


def ident(seed: int) -> str:
    return "-".join(map(str, M._class_of(seed)[:3]))


# --- the draw ---------------------------------------------------------------------------------------------


def test_the_draw_is_reproducible_and_differs_between_students_and_between_secrets():
    a = M.draw("PHARM-2", "Ann Lee", SECRET)
    again = M.draw("PHARM-2", "Ann Lee", SECRET)
    assert (a.kind, dict(a.values)) == (again.kind, dict(again.values))
    # typed as people type it: spaces and letter case do not matter, the class code does
    assert M.seed_of(" pharm-2 ", "ann   LEE", SECRET) == M.seed_of("PHARM-2", "Ann Lee", SECRET)
    seeds = {M.seed_of("PHARM-2", f"student {i}", SECRET) for i in range(50)}
    assert len(seeds) == 50
    assert M.seed_of("PHARM-2", "Ann Lee", "another secret") != M.seed_of("PHARM-2", "Ann Lee", SECRET)
    assert M.seed_of("PHARM-3", "Ann Lee", SECRET) != M.seed_of("PHARM-2", "Ann Lee", SECRET)
    b = M.draw("PHARM-2", "Bob Ray", SECRET)
    c = M.draw("PHARM-2", "Ann Lee", "another secret")
    assert dict(b.values) != dict(a.values) and dict(c.values) != dict(a.values)
    # the class of a seed is the same pure function of it, and covers the 12 classes evenly
    kinds = [M._class_of(s)[:3] for s in range(2400)]
    counts = {k: kinds.count(k) for k in CLASSES}
    assert min(counts.values()) > 150, counts


@pytest.mark.parametrize("kind", CLASSES, ids=["-".join(k) for k in CLASSES])
def test_every_class_can_be_drawn_with_its_own_values_inside_the_bounds(kind):
    drug = M.of_class(*kind, 11)
    assert (drug.ligand, drug.duration, drug.potency) == kind
    assert M.within_bounds(drug) and not M.validate(drug)
    species, route = M.TEMPLATES[drug.ligand]
    own = molecules()[species].parameters
    for name, value in M.overrides(drug, species, route).items():
        p = own[name]
        assert p.min <= value <= p.max, name
        if name not in M.SWITCHED_OFF:
            assert value != p.value, f"{name} is the template's own value"
    assert str(drug.values["kd_nm"]) not in repr(drug)  # the values stay out of its text


def effect_hours(run: M.Run, column: str) -> tuple[float, float]:
    """The peak of ``column`` after the first dose and how long after the dose it stays above half of it."""
    t, y = run.table.time_h.to_numpy(), run.table[column].to_numpy()
    t, y = t[t >= 0], y[t >= 0]
    k = int(np.argmax(y))
    below = np.nonzero(y[k:] < y[k] / 2)[0]
    return float(y[k]), float(t[k + below[0]]) if below.size else math.inf


@pytest.mark.slow  # 12 drugs (~10 s): the full suite's
@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize(("ligand", "potency"), [(lig, pot) for lig in M.LIGANDS for pot in M.POTENCIES])
def test_every_drawn_drug_behaves_as_its_class(ligand, potency, seed):
    short = M.of_class(ligand, "short-acting", potency, seed)
    long = M.of_class(ligand, "long-acting", potency, seed)
    for drug in (short, long):
        healthy = {d: M.measures(M.run(drug, M.Experiment(d))) for d in M.DOSES_MG}
        dependent = {d: M.measures(M.run(drug, M.Experiment(d, volunteer="dependent"))) for d in (1.0, 60.0)}
        top = max(m.peak_reward for m in healthy.values())
        if ligand == "full agonist":
            assert top >= 0.6 and dependent[60.0].peak_withdrawal == 0.0
            assert healthy[60.0].lowest_breathing < 0.5  # an overdose
        elif ligand == "partial agonist":
            assert 0.05 <= top < 0.45  # it levels off
            assert healthy[60.0].lowest_breathing > 0.45  # and so does breathing
            assert dependent[60.0].peak_withdrawal >= 0.2
        else:
            assert top < 0.01 and healthy[60.0].lowest_breathing > 0.99
            assert dependent[60.0].peak_withdrawal >= 0.2
        if ligand != "antagonist":  # potent: a reward from a small dose; weak: next to nothing from 1 mg
            assert (healthy[1.0].first_peak_reward >= 0.1) == (potency == "potent")
            assert (healthy[1.0].first_peak_reward <= 0.03) == (potency == "weak")
        else:
            assert (dependent[1.0].first_peak_withdrawal >= 0.3) == (potency == "potent")
            assert (dependent[1.0].first_peak_withdrawal <= 0.1) == (potency == "weak")
        assert (healthy[1.0].halving_h <= 4.0) == (drug is short)
    # long-acting: the effect clearly outlasts the short-acting drug's (the same values but the half-life)
    volunteer, column = ("dependent", "withdrawal") if ligand == "antagonist" else ("healthy", "reward")
    for mg in M.DOSES_MG:
        peak, lasts_short = effect_hours(M.run(short, M.Experiment(mg, volunteer=volunteer)), column)
        if peak >= 0.05:
            lasts_long = effect_hours(M.run(long, M.Experiment(mg, volunteer=volunteer)), column)[1]
            assert lasts_long >= max(8.0, 3 * lasts_short), (mg, lasts_short, lasts_long)
            break
    else:
        pytest.fail("no dose has an effect")


# --- experiments ------------------------------------------------------------------------------------------


def test_experiments_not_on_offer_are_refused_and_every_one_on_offer_fits_the_budget():
    drug = M.of_class("partial agonist", "long-acting", "potent", 3)
    for bad in (
        M.Experiment(5.0),
        M.Experiment(True),
        M.Experiment(float("nan")),
        M.Experiment(1.0, pattern="every hour"),
        M.Experiment(1.0, volunteer="rat"),
        M.Experiment(1.0, antidote="heroin"),
    ):
        with pytest.raises(ScenarioError):
            M.run(drug, bad)
    for kind in CLASSES[::4]:
        drug = M.of_class(*kind, 3)
        for e in EVERY_EXPERIMENT:
            cost = check_budget(M.scenario(drug, e))
            assert cost.seconds < MAX_SECONDS / 4 and cost.megabytes < MAX_MEGABYTES / 4, (e, str(cost))


@pytest.mark.parametrize("volunteer", M.VOLUNTEERS)
def test_the_antagonist_is_the_same_drug_on_either_template(volunteer):
    """Beside naloxone the antagonist rides on its second template: before naloxone comes, nothing differs."""
    drug = M.of_class("antagonist", "long-acting", "potent", 5)
    assert M.template(drug, M.Experiment(1.0, antidote="naloxone after"))[0] != "naloxone"
    alone = M.run(drug, M.Experiment(3.0, volunteer=volunteer)).table
    beside = M.run(drug, M.Experiment(3.0, volunteer=volunteer, antidote="naloxone after")).table
    before = alone.time_h < 0.99
    for column in M.MEASURED:
        assert beside[column][before].to_numpy() == pytest.approx(alone[column][before].to_numpy(), rel=1e-6, abs=1e-9)


def test_a_run_shows_measurements_only():
    drug = M.of_class("full agonist", "short-acting", "weak", 2)
    r = M.run(drug, M.Experiment(10.0, antidote="naloxone after"))
    assert tuple(r.table.columns) == M.MEASURED
    assert r.table.time_h.iloc[0] == pytest.approx(-M.LEAD_H) and r.table.time_h.iloc[-1] == pytest.approx(
        M.AFTER_LAST_DOSE_H
    )


# --- every question decidable, and no run misleading ------------------------------------------------------


def scripted_student(drug: M.Drug) -> list[M.Run]:
    """A student's plan: 1 mg and the largest dose alone, the dependent volunteer at 1, 10 and 60 mg, then
    naloxone after ever larger doses until their runs say whether it rescues."""
    plan = [M.Experiment(1.0), M.Experiment(60.0)] + [M.Experiment(d, volunteer="dependent") for d in (1.0, 10.0, 60.0)]
    runs = [M.run(drug, e) for e in plan]
    for mg in M.DOSES_MG:
        if M.decided(runs)["rescue"]:
            break
        runs.append(M.run(drug, M.Experiment(mg, antidote="naloxone after")))
    return runs


@pytest.mark.slow  # 36 students (~15 s): the full suite's
@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("kind", CLASSES, ids=["-".join(k) for k in CLASSES])
def test_a_scripted_student_answers_from_their_runs_and_gets_full_marks(kind, seed):
    drug = M.of_class(*kind, seed)
    runs = scripted_student(drug)
    answers = M.decided(runs)  # from the runs' evidence alone, not from the key
    assert None not in answers.values(), answers
    marks = M.mark(drug, answers, runs)
    assert all(m.right and m.decided for m in marks), [(m.question, m.given, m.answer) for m in marks]
    for m in marks:  # each with the numbers of the student's own runs
        said = m.evidence.text.split(": ", 1)
        assert said[0].startswith("run") and re.search(r"\d", said[1]), m.evidence.text
        assert math.isfinite(m.evidence.value)


@pytest.mark.slow
@pytest.mark.parametrize("kind", CLASSES, ids=["-".join(k) for k in CLASSES])
def test_no_experiment_on_offer_supports_a_wrong_answer(kind):
    drug = M.of_class(*kind, 7)
    runs = [M.run(drug, e) for e in EVERY_EXPERIMENT]
    right = M.truth(drug)
    for q, found in M.findings(runs).items():
        assert {f.answer for f in found} == {right[q]}, (q, [f.evidence.text for f in found if f.answer != right[q]])


def test_marks_say_which_experiment_decides_a_question_not_yet_run():
    drug = M.of_class("antagonist", "short-acting", "weak", 4)
    runs = [M.run(drug, M.Experiment(1.0))]
    marks = {m.question: m for m in M.mark(drug, {"ligand": "full agonist", "duration": "short-acting"}, runs)}
    assert not marks["ligand"].right and marks["ligand"].answer == "antagonist" and not marks["ligand"].decided
    assert "dependent volunteer" in marks["ligand"].evidence.text
    assert marks["duration"].right and marks["duration"].decided and "halved every" in marks["duration"].evidence.text
    assert marks["potency"].given is None and not marks["potency"].right


# --- the secret and the lecturer's key --------------------------------------------------------------------


def test_the_secret_comes_from_the_environment_else_a_private_file_outside_the_repository(monkeypatch, tmp_path):
    assert M.server_secret() == SECRET.encode()
    monkeypatch.delenv(M.SECRET_ENV)
    with pytest.raises(ValueError, match="does not exist"):  # a file named by the environment is never made up
        M.server_secret()
    (tmp_path / "secret").write_text("  the lecturer's own secret \n")
    assert M.server_secret() == b"the lecturer's own secret"
    monkeypatch.delenv(M.SECRET_FILE_ENV)
    made = M.server_secret()  # the default file, made in the (temporary) home directory
    path = tmp_path / "home/.config/naltrexone-sim/mystery_secret"
    assert re.fullmatch(rb"[0-9a-f]{64}", made) and path.read_text().strip().encode() == made
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert M.server_secret() == made  # made once
    monkeypatch.setenv(M.SECRET_FILE_ENV, str(ROOT / "mystery_secret"))
    with pytest.raises(ValueError, match="inside the repository"):
        M.server_secret()
    assert not (ROOT / "mystery_secret").exists()
    assert M.is_secret(f" {SECRET} ", SECRET) and not M.is_secret("guess", SECRET) and not M.is_secret("", SECRET)


def test_the_answer_key_lists_each_students_drug():
    key = M.answer_key("PHARM-2", ["Ann Lee", "", " 2417 "], SECRET)
    assert list(key.student) == ["Ann Lee", "2417"]
    ann = M.draw("PHARM-2", "ann lee", SECRET)
    row = key.iloc[0]
    assert (row["class"], row.duration, row.potency) == (ann.ligand, ann.duration, ann.potency)
    assert list(row.iloc[1:]) == list(M.truth(ann).values())


# --- the page ---------------------------------------------------------------------------------------------

#: Words that would give the drug away: the templates that are not also tools the page names, and every
#: parameter name of every template.
HIDDEN_NAMES = sorted(
    {
        word
        for species, _ in [*M.TEMPLATES.values(), *M.ALTERNATE.values()]
        if species not in ("naloxone", "naltrexone")
        for word in (species, molecules()[species].name, molecules()[species].label)
    }
    | {"naltrexol", "6-beta"}
)
HIDDEN_PARAMETERS = sorted(
    {name for species, _ in [*M.TEMPLATES.values(), *M.ALTERNATE.values()] for name in molecules()[species].parameters}
    | {"kd", "ke0", "kon", "koff", "tau", "half_life_h", "v_l_per_kg", "ka_per_h"}
)


def student_for(kind: tuple[str, str]) -> str:
    """A student name whose drug (with the test secret) is of the given ligand and duration."""
    return next(
        f"student {i}" for i in range(500) if M._class_of(M.seed_of("PHARM-2", f"student {i}", SECRET))[:2] == kind
    )


def open_page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page("pages/mystery.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def run_experiment(at: AppTest, dose: float, volunteer: str = "healthy", antidote: str = "none") -> None:
    at.select_slider(key="mys_dose_mg").set_value(dose).run()
    at.toggle(key="mys_dependent").set_value(volunteer == "dependent").run()
    at.radio(key="mys_antidote").set_value(antidote).run()
    at.button(key="mys_run").click().run()
    assert not at.exception, [e.value for e in at.exception]


def shown_text(at: AppTest) -> str:
    """Every element of the page's body as the browser gets it (labels, help, options, tables, chart specs)."""
    parts = []
    for e in at.main:
        proto = getattr(e, "proto", None)
        if proto is not None:
            parts.append(str(proto))
        value = getattr(e, "value", None)
        if hasattr(value, "to_csv"):
            parts.append(value.to_csv())
    return "\n".join(parts)


@pytest.mark.slow  # the page in AppTest: the full suite's
def test_the_page_runs_experiments_and_marks_the_answers():
    at = open_page()
    assert at.title[0].value == "The mystery opioid"
    run_experiment(at, 1.0)
    run_experiment(at, 60.0, "dependent")
    assert len(at.get("vega_lite_chart")) == 3 and len(at.dataframe[0].value) == 2
    assert any(c.value.startswith("Chart in words: Run 2") for c in at.caption)
    at.radio(key="mys_answer_ligand").set_value("antagonist").run()
    at.radio(key="mys_answer_withdrawal").set_value("yes").run()
    at.button(key="mys_mark").click().run()
    assert not at.exception, [e.value for e in at.exception]
    marked = [m.value for m in [*at.success, *at.warning]]
    assert len(marked) == 2 and all("the answer is" in m for m in marked), marked
    assert len([i.value for i in at.info if "Not answered yet" in i.value]) == 3
    assert not open_folds(at).get("download_button")  # nothing carries the drug off the page
    assert set(at.query_params) <= {"mys_dose_mg", "mys_pattern", "mys_dependent", "mys_antidote", "present", "narrow"}


@pytest.mark.slow  # the page in AppTest: the full suite's
@pytest.mark.parametrize("kind", [(lig, "short-acting") for lig in M.LIGANDS], ids=M.LIGANDS)
def test_the_page_never_shows_the_template_nor_a_parameter(kind):
    student = student_for(kind)
    drug = M.draw("PHARM-2", student, SECRET)
    at = open_page()
    at.text_input(key="mys_code").input("PHARM-2").run()
    at.text_input(key="mys_student").input(student).run()
    for dose, volunteer, antidote in (
        (3.0, "healthy", "naloxone after"),
        (1.0, "dependent", "naltrexone tablet before"),
    ):
        run_experiment(at, dose, volunteer, antidote)
    for q in M.QUESTIONS:
        at.radio(key=f"mys_answer_{q.id}").set_value(q.options[0]).run()
    at.button(key="mys_mark").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "PHARM-2" not in json.dumps(dict(at.query_params)) and student not in json.dumps(dict(at.query_params))
    text = shown_text(open_folds(at))
    specs = " ".join(str(c.proto.spec) for c in at.get("vega_lite_chart"))
    strings = " ".join(f"{k} {v}" for k, v in at.session_state.items() if isinstance(v, str))
    for where in (text, specs, strings):
        low = where.lower()
        assert not [w for w in HIDDEN_NAMES if w.lower() in low]
        assert not [p for p in HIDDEN_PARAMETERS if re.search(rf"\b{re.escape(p)}\b", low)]
        values = [v for v in (*drug.values.values(), *M.overrides(drug, *M.TEMPLATES[drug.ligand]).values()) if v]
        assert not [v for v in values if repr(v) in where or f"{v:.8g}" in where]
    for key in at.session_state.keys():  # no key that reaches the browser names them either
        assert not [w for w in HIDDEN_NAMES if w.lower() in str(key).lower()]


@pytest.mark.slow  # the page in AppTest: the full suite's
def test_the_lecturer_view_refuses_a_wrong_secret_and_lists_the_key_for_the_right_one():
    at = open_page()
    at.text_input(key="mys_lecturer_secret").input("not the secret").run()
    assert any("not this server's secret" in e.value for e in at.error)
    assert not at.text_input(key="mys_lecturer_secret") or not [t for t in at.text_input if t.key == "mys_key_code"]
    assert not at.dataframe
    at.text_input(key="mys_lecturer_secret").input(SECRET).run()
    at.text_input(key="mys_key_code").input("PHARM-2").run()
    at.text_area(key="mys_key_names").input("Ann Lee\n2417\n").run()
    assert not at.exception, [e.value for e in at.exception]
    key = at.dataframe[0].value
    assert list(key.student) == ["Ann Lee", "2417"]
    assert key["class"].iloc[0] == M.draw("PHARM-2", "Ann Lee", SECRET).ligand
