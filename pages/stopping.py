"""Stopping and starting: the overdose risk after naltrexone ends; precipitated withdrawal when it starts."""

import pandas as pd
import streamlit as st

from model import Scenario, lessons
from model.lessons import claims
from ui import page, state
from ui.boot import via_app
from ui.controls import Control, bind_all
from ui.drawings import stopping as drawings

via_app()

P = "stop_"
USUAL = {
    "heroin 20 mg IV": ("heroin", "iv", 20.0),
    "heroin 25 mg IV": ("heroin", "iv", 25.0),
    "heroin 40 mg IV": ("heroin", "iv", 40.0),
    "fentanyl 0.1 mg IV": ("fentanyl", "iv", 0.1),
    "fentanyl 0.2 mg IV": ("fentanyl", "iv", 0.2),
}
AGONISTS = list(lessons.CHRONIC_USE)
page.lesson(
    "Stopping and starting",
    "After weeks on naltrexone the body has lost its tolerance and grown extra receptors, so the dose a person "
    "used to take hits much harder once the blockade wears off: watch the shaded risk window. Starting naltrexone "
    "too soon does the opposite: it throws the opioid off the receptors within hours (precipitated withdrawal).",
)

TREATMENT = Control(
    P + "treatment",
    "daily tablets",
    "Naltrexone treatment",
    "selectbox",
    options=list(lessons.TREATMENTS),
    help="Daily 50 mg tablets, or the 380 mg injection every 28 days.",
)
WEEKS = Control(
    P + "weeks",
    4,
    "Weeks of treatment (weeks)",
    lo=2,
    hi=12,
    step=1,
    help="The person was a tolerant daily user and stopped using when treatment began.",
)
USUAL_C = Control(
    P + "usual",
    "heroin 20 mg IV",
    "The formerly usual dose",
    "selectbox",
    options=list(USUAL),
    help="What the person used to take every day before treatment.",
)
DAY = Control(
    P + "day",
    7,
    "Taken this many days after the last naltrexone dose (days)",
    lo=0,
    hi=56,
    step=1,
    help="Day 0 = the day of the last tablet or injection.",
)
AGONIST = Control(
    P + "agonist",
    "methadone",
    "Opioid used until now",
    "selectbox",
    options=AGONISTS,
    format_func=lambda d: (
        f"{d} ({lessons.CHRONIC_USE[d][1]:g} mg {lessons.CHRONIC_USE[d][0]}, every {lessons.CHRONIC_USE[d][2]:g} h)"
    ),
    help="Five days of regular use (the bars below: a week), the last dose at time 0 of the chart.",
)
GAP = Control(
    P + "gap_h",
    12,
    "Hours since the last opioid dose (h)",
    lo=0,
    hi=168,
    step=2,
    help="When the first naltrexone tablet is taken.",
)
NTX = Control(
    P + "ntx_mg",
    50,
    "Naltrexone tablet (mg)",
    "select_slider",
    options=[25, 50, 100],
    help=page.param_help("naltrexone", "oral_bioavailability"),
)
THRESHOLD = Control(
    P + "threshold_pct",
    2.0,
    "Acceptable displacement (% of receptors)",
    lo=0.5,
    hi=10.0,
    step=0.5,
    help="The dots in the plot below mark when the tablet would take at most this share of receptors "
    "from the opioid; the bars wait until physical dependence has faded.",
)
bind_all(TREATMENT, WEEKS, USUAL_C, DAY, AGONIST, GAP, NTX, THRESHOLD)
state.presets(
    P + "preset",
    {
        "A week after the last tablet": {
            P + "treatment": "daily tablets",
            P + "weeks": 4,
            P + "day": 7,
            P + "usual": "heroin 20 mg IV",
        },
        "The day after the last tablet": {P + "treatment": "daily tablets", P + "weeks": 4, P + "day": 1},
        "Six weeks after the last injection": {P + "treatment": "monthly injection", P + "weeks": 8, P + "day": 42},
        "Methadone 12 h ago, 50 mg tablet": {P + "agonist": "methadone", P + "gap_h": 12, P + "ntx_mg": 50},
        "Heroin a day ago, 50 mg tablet": {P + "agonist": "heroin", P + "gap_h": 24, P + "ntx_mg": 50},
    },
)

# --- (a) after naltrexone ends ------------------------------------------------------------------
st.header("After naltrexone ends")
c1, c2, c3, c4 = st.columns(4)
TREATMENT.widget(c1)
WEEKS.widget(c2)
USUAL_C.widget(c3)
DAY.widget(c4)

treatment, weeks, day = TREATMENT.value, WEEKS.value, DAY.value
drug, route, mg = USUAL[USUAL_C.value]


def gaps(treatment: str) -> list[int]:
    """Days after the last naltrexone dose on which the usual dose is tried."""
    return [*range(0, 15), *range(16, 57, 2)] if treatment == "daily tablets" else list(range(0, 57, 2))


@st.cache_data(max_entries=32, show_spinner="Trying the usual dose on every day after stopping ...")
def sweep(drug: str, route: str, mg: float, treatment: str, weeks: int) -> pd.DataFrame:
    """The usual dose on each day after the last naltrexone dose (cached)."""
    return lessons.usual_dose_after_stopping(drug, route, mg, treatment, weeks, gaps(treatment))


@st.cache_data(max_entries=32, show_spinner=False)
def sweep_arms(drug: str, route: str, mg: float, treatment: str, weeks: int) -> list[Scenario]:
    """Every scenario behind the sweep, the baseline first: the provenance of its downloads (cached)."""
    return [
        lessons.usual_dose_before_scenario(drug, route, mg),
        *lessons.usual_dose_after_scenarios(drug, route, mg, treatment, weeks, gaps(treatment)),
    ]


@st.cache_data(max_entries=64, show_spinner=False)
def on_day(drug: str, route: str, mg: float, treatment: str, weeks: int, day: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The usual dose on the chosen day, with the extra receptors and without them (cached)."""
    return tuple(
        lessons.usual_dose_after_stopping(drug, route, mg, treatment, weeks, (day,), receptors_adapt=adapt)
        for adapt in (True, False)
    )


before = lessons.usual_dose_before_treatment(drug, route, mg, simulate_fn=page.run_scenario)
after = sweep(drug, route, mg, treatment, weeks)
chosen, no_extra_receptors = on_day(drug, route, mg, treatment, weeks, day)
risk = lessons.risk_window(after, before).to_numpy()
row = chosen.iloc[0]
state.store_plot_data("stopping_day", chosen)

m1, m2, m3 = st.columns(3)
m1.metric(
    f"Effect on day {day} (0-1)",
    f"{row.effect:.2f}",
    delta=f"{row.effect - before['effect']:+.2f} vs before",
    delta_color="inverse",
    help="Peak rise in reward from the usual dose; 'before' = the same person before treatment.",
)
m2.metric(
    f"Lowest breathing on day {day}",
    f"{row.min_respiratory_drive:.2f}",
    delta=f"{row.min_respiratory_drive - before['min_drive']:+.2f} vs before",
    help="Respiratory drive, 1 = normal breathing, 0 = stops breathing.",
)
days_risk = after.days_after_last_naltrexone[risk]
m3.metric(
    "Risk window starts",
    f"day {days_risk.iloc[0]:g}" if len(days_risk) else "none in view",
    help="First day on which the usual dose depresses breathing more than before treatment, or below 0.5.",
)
tolerance_part = float(no_extra_receptors.min_respiratory_drive.iloc[0]) - before["min_drive"]
receptor_part = float(row.min_respiratory_drive - no_extra_receptors.min_respiratory_drive.iloc[0])
state.store_plot_data(
    "stopping_split",
    pd.DataFrame([{"day": day, "lost_tolerance": tolerance_part, "extra_receptors": receptor_part}]),
)
usual = USUAL_C.value
title = f"{usual} after {weeks} weeks of {treatment}"
page.headline(
    f"Day {day} after {weeks} weeks of {treatment}: {usual} lowers breathing to {row.min_respiratory_drive:.2f} "
    f"({before['min_drive']:.2f} before treatment)"
    + (f"; the risk window starts on day {days_risk.iloc[0]:g}." if len(days_risk) else ".")
)
with page.stage():
    page.plot(
        "stopping",
        title,
        drawings.stopping(after, before, risk, day, usual),
        after.assign(
            risk_window=risk,
            effect_before_treatment=before["effect"],
            min_respiratory_drive_before_treatment=before["min_drive"],
        ),
        arms=sweep_arms(drug, route, mg, treatment, weeks),
    )
split = claims.stopping_split(
    day, before["min_drive"], row.min_respiratory_drive, tolerance_part, receptor_part, row.occupancy_antagonist
)
st.markdown(
    f"{page.stated(split)}. Tolerance is lost in any weeks without opioids; the extra receptors are seen in "
    "rodents after naltrexone and their size in people is not known, so that part is illustrative."
)
st.info(
    f"**In people.** Deaths from overdose were {lessons.DEATHS_PER_100PY_AFTER:g} per 100 person-years in the "
    f"weeks after oral naltrexone ended, against {lessons.DEATHS_PER_100PY_DURING:g} during treatment "
    "(Gibson & Degenhardt 2007, Drug Alcohol Rev 26:405).",
    icon=":material/groups:",
)

page.predict(
    P + "q1",
    "A week after the last tablet, the person takes the dose they used to take every day. Compared "
    "with before treatment, the effect is ...",
    ["Much smaller: naltrexone still blocks it", "About the same", "Bigger, and breathing drops further"],
    2,
    "The blockade has faded within a few days, but the tolerance is gone and there are more receptors "
    "than before, so the old dose now acts like an overdose.",
)

# --- (b) starting naltrexone -----------------------------------------------------------------------
st.header("Starting naltrexone with an opioid on board")
d1, d2, d3, d4 = st.columns(4)
AGONIST.widget(d1)
GAP.widget(d2)
NTX.widget(d3)
THRESHOLD.widget(d4)
state.write_url(P)

agonist, gap, ntx = AGONIST.value, GAP.value, NTX.value
with_tab, course, tablet = lessons.tablet_after_use(agonist, gap, ntx, simulate_fn=page.run_scenario)
after_tablet = course[course.time_h >= tablet]
displaced = float((after_tablet.occupancy_agonist_without - after_tablet.occupancy_agonist_with).max())
lost = float((after_tablet.reward_without - after_tablet.reward_with).max())
withdrawal = float(with_tab.precipitated_withdrawal[with_tab.time_h >= tablet].max())
e1, e2, e3, e4 = st.columns(4)
e1.metric(
    "Receptors held by the opioid at the tablet",
    f"{100 * course.occupancy_agonist_with[course.time_h <= tablet].iloc[-1]:.1f} %",
)
e2.metric(
    "Receptors taken from the opioid",
    f"{100 * displaced:.1f} %",
    help="Largest extra loss of opioid-held receptors in the 24 h after the tablet.",
)
e3.metric(
    "Opioid effect lost (0-1)",
    f"{lost:.2f}",
    help="Largest drop in the opioid's effect in the 24 h after the tablet.",
)
e4.metric(
    "Precipitated withdrawal (model, 0-1)",
    f"{withdrawal:.2f}",
    help="The model's withdrawal score: how fast the opioid signal is taken away, set against how dependent "
    "the body is. Even a small loss of effect precipitates withdrawal in a dependent person: sweating, "
    "vomiting, pain, agitation.",
)
wtitle = f"Naltrexone {ntx} mg {gap} h after the last {agonist} dose"
page.plot(
    "withdrawal",
    wtitle,
    drawings.displacement(course, agonist, tablet),
    course,
)


@st.cache_data(max_entries=16, show_spinner="Finding the opioid-free interval for each opioid ...")
def intervals(ntx_mg: float, threshold: float, uses: tuple) -> pd.DataFrame:
    """Per agonist: days until dependence has faded, and days until the tablet displaces little.

    Cached on the agonists' regular use ``uses`` too, which their molecule files give.
    """
    t = lessons.opioid_free_interval(ntx_mg, threshold, simulate_fn=page.run_scenario)
    free = [lessons.opioid_free_days(d, simulate_fn=page.run_scenario) for d in t.drug]
    return t.rename(columns={"days_opioid_free": "days_receptors_free"}).assign(days_opioid_free=free)


thr = THRESHOLD.value
table = intervals(float(ntx), thr / 100, tuple(lessons.CHRONIC_USE.items()))
st.subheader("How long to wait before the first tablet")
page.plot(
    "intervals",
    f"Opioid-free interval before naltrexone {ntx} mg",
    drawings.intervals(table, thr),
    table,
)
st.caption(
    "Bars: days from the last dose of a week of regular use until physical dependence has faded, so the "
    "tablet no longer precipitates withdrawal. Dots: days until the tablet would take at most "
    f"{thr:g} % of the receptors from the opioid; short-acting opioids leave the receptors within hours, "
    "but dependence outlasts them by days. Labels ask for 7-10 opioid-free days after short-acting opioids "
    "and up to 14 days after methadone or buprenorphine, often with a naloxone challenge first: these "
    "include a safety margin beyond the average person shown here."
)
free = table.set_index("drug").days_opioid_free
page.predict(
    P + "q2",
    "Who needs the longest opioid-free interval before naltrexone?",
    ["Someone using heroin", "Someone on methadone", "It is the same for every opioid"],
    1,
    f"Methadone leaves the body over days, so dependence fades later: about {free['methadone']:.0f} days "
    f"against {free['heroin']:.0f} for heroin in the model (shaded: the labels' 7-10 and 14 days).",
)
page.why(
    "Weeks of naltrexone keep the receptors empty, and the brain answers by making more of them: in rodents up to "
    "nearly twice as many after one to two weeks of naltrexone (Yoburn BC et al. 1988; Lesscher HMB et al. 2003); in "
    "people this has not been measured, so the model's size for it is illustrative. They relax back over days once "
    "naltrexone is gone. At the same time, without opioids, tolerance fades (in the model, half-life about "
    f"{lessons.breathing_tolerance_half_life_days():.1f} days for breathing). When the blockade wears off, the usual dose meets more receptors and a body "
    "that no longer tolerates it: a bigger effect and deeper respiratory depression. Starting naltrexone works the "
    "other way round: it binds far more tightly than the opioid and pushes it off the receptors within hours, "
    "so a dependent person goes into sudden withdrawal unless the opioid has left and the dependence has faded, "
    "which takes days longer."
)
