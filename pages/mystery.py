"""The mystery opioid: identify an unknown drug from experiments on a simulated volunteer."""

import streamlit as st

from model import ScenarioError
from model.lessons import claims, mystery
from ui import mystery as kept
from ui import page, state
from ui.boot import via_app
from ui.controls import Control, bind_all
from ui.drawings import mystery as drawings

via_app()

P = "mys_"
kept.no_downloads()
present = page.lesson(
    "The mystery opioid",
    "Drug X acts on the mu-opioid receptor, but nobody has told you what it is. Design experiments on a "
    "simulated volunteer, read what each one measures (the drug in the blood, reward, breathing, withdrawal) and "
    "decide what kind of drug it is. Every answer can be decided from runs you choose; the marks show which of "
    "your runs decides it.",
)

DOSE = Control(
    P + "dose_mg",
    1.0,
    "Dose of drug X (mg, injected into a muscle)",
    "select_slider",
    options=list(mystery.DOSES_MG),
    format_func=lambda mg: f"{mg:g} mg",
    help="Absorbed within minutes. 1 mg is the potency test: what does 1 mg do?",
)
PATTERN = Control(
    P + "pattern",
    "one dose",
    "Doses",
    "radio",
    options=list(mystery.PATTERNS),
    help="Four doses show whether drug X builds up from dose to dose.",
)
DEPENDENT = Control(
    P + "dependent",
    False,
    "Dependent volunteer (on methadone 60 mg a day)",
    "toggle",
    help="Off: a healthy volunteer who has never used opioids. On: a volunteer who has taken methadone every day "
    f"for weeks (tolerant and physically dependent); drug X comes {mystery.AFTER_MAINTENANCE_H:g} h after their "
    "daily dose.",
)
ANTIDOTE = Control(
    P + "antidote",
    "none",
    "Antidote",
    "radio",
    options=list(mystery.ANTIDOTES),
    format_func=mystery.ANTIDOTE_WORDS.get,
    help="Naltrexone and naloxone are antagonists: they hold the receptors without activating them.",
)
bind_all(DOSE, PATTERN, DEPENDENT, ANTIDOTE)

# --- 1. whose drug ----------------------------------------------------------------------------------------
st.subheader("1. Your drug X")
c1, c2, c3 = st.columns([2, 2, 1])
code, student = kept.identity(c1, c2)
if code and student:
    try:
        seed = mystery.seed_of(code, student, mystery.server_secret())
    except (OSError, ValueError) as err:
        st.error(
            f"The server cannot give out class drugs: {page.plain(err)}. Ask the lecturer; a practice drug for now."
        )
        seed = kept.practice_seed()
        whose = "your practice drug"
    else:
        whose = f"the drug of {page.plain(student)} in class {page.plain(code)}"
else:
    if code or student:
        st.warning("Enter both the class code and your name for your class drug; for now, a practice drug.")
    c3.write("")
    seed = kept.practice_seed(new=c3.button("New practice drug", key=P + "new", help="Another drug, drawn at random."))
    whose = "your practice drug"
with st.spinner("Preparing drug X ..."):
    drug = mystery.practice(seed)
st.caption(f"Drug X is {whose}. Everything below is measured on a simulated volunteer.")

# --- 2. the experiment ------------------------------------------------------------------------------------
st.subheader("2. Design an experiment")
ref = mystery.reference_effect(page.run_scenario)
r_drug, r_route, r_mg = mystery.REFERENCE
d1, d2, d3, d4 = st.columns([3, 2, 2, 3])
DOSE.widget(d1)
PATTERN.widget(d2)
DEPENDENT.widget(d3)
ANTIDOTE.widget(d4)
state.write_url(P)
experiment = mystery.Experiment(
    DOSE.value, PATTERN.value, "dependent" if DEPENDENT.value else "healthy", ANTIDOTE.value
)
st.caption(
    f"For scale: the reference opioid, {r_drug} {r_mg:g} mg {r_route.upper()}, gives the healthy volunteer a peak "
    f"reward of {ref['peak_reward']:.2f} and lowers breathing to {ref['lowest_breathing']:.2f}."
)
if st.button(f"Run: {experiment.describe()}", type="primary", key=P + "run", icon=":material/play_arrow:"):
    try:
        kept.add_run(seed, mystery.run(drug, experiment, page.run_scenario))
    except ScenarioError as err:
        st.error(f"This experiment cannot be run: {page.plain(err)}")

# --- 3. the runs ------------------------------------------------------------------------------------------
st.subheader("3. Your runs")
runs = kept.runs(seed)
if not runs:
    page.headline(
        f"What does {mystery.TEST_DOSE_MG:g} mg of drug X do? For scale, {r_drug} {r_mg:g} mg {r_route.upper()} "
        f"gives a peak reward of {ref['peak_reward']:.2f}."
    )
    st.info(
        f"No runs yet. Start with {mystery.TEST_DOSE_MG:g} mg in the healthy volunteer, then change one thing at a "
        f"time. The list keeps your last {kept.MAX_RUNS} runs of this drug. Until then the chart shows the "
        "reference opioid, for scale.",
        icon=":material/science:",
    )
    run, name = mystery.reference_run(page.run_scenario), r_drug
    title = f"For scale: {r_drug} {r_mg:g} mg {r_route.upper()} in the healthy volunteer"
else:
    measured = kept.runs_table(runs)
    k = kept.choose_run([f"Run {i}: {r.experiment.describe()}" for i, r in enumerate(runs, 1)])
    run, name, shown = runs[k], "drug X", measured[k]
    title = f"Run {k + 1}: {run.experiment.describe()}"
    page.headline(
        f"Run {k + 1} of drug X: peak reward {shown.peak_reward:.2f}, lowest breathing "
        f"{shown.lowest_breathing:.2f}, withdrawal {shown.peak_withdrawal:.2f}"
    )
with page.stage():
    kept.chart("mystery_run", drawings.run_figure(run, title, name), present)
words = claims.describe_chart("mystery_run", title, drawings.shown(run.table, name), ("reward", "breathing"))
st.caption(f"Chart in words: {page.plain(page.stated(words))}.")
if runs and st.button("Clear my runs", key=P + "clear", icon=":material/delete:"):
    kept.clear_runs(seed)
    st.rerun()

# --- 4. the answers ---------------------------------------------------------------------------------------
st.subheader("4. What is drug X?")
answers = kept.answers(mystery.QUESTIONS)
if kept.marked(seed, now=st.button("Mark my answers", key=P + "mark", icon=":material/grading:")):
    kept.show_marks(mystery.mark(drug, answers, runs))

# --- the lecturer's key -----------------------------------------------------------------------------------
with st.expander("For the lecturer: the answer key", icon=":material/key:"):
    kept.lecturer_key()

page.why(
    "Pharmacologists tell opioids apart in the same way. How far the effect can go tells a full agonist from a "
    "partial one: a partial agonist activates each receptor it holds less, so its effect levels off however much "
    "is given. Given to someone dependent on a full agonist, a partial agonist or an antagonist takes receptors "
    "from it and the signal drops: precipitated withdrawal. How long the blood level takes to halve tells a "
    "short-acting drug from a long-acting one; what 1 mg does tells potent from weak. Naloxone "
    "competes for the receptors: it reverses a full agonist within minutes, but a drug that binds tightly and lets "
    "go slowly keeps its receptors for hours, and one 2 mg dose cannot outweigh a huge overdose."
)
