"""Overcoming the blockade: dose-response after naltrexone, the rightward shift, Schild, the danger."""

import pandas as pd
import streamlit as st

from model import lessons
from model.drugs import molecules
from model.lessons import claims
from ui import page, state
from ui.boot import via_app
from ui.controls import Control, bind_all
from ui.drawings import mechanism as drawings

via_app()

P = "over_"
AGONISTS = {
    "heroin": ("iv", (5, 10, 25, 50, 100, 250, 500, 1000)),
    "fentanyl": ("iv", (0.02, 0.05, 0.1, 0.3, 1, 3, 10)),
}
TIMES = [6, 24, 48, 72, 96]
page.lesson(
    "Overcoming the blockade",
    "Naltrexone does not cap the effect of an opioid: it moves the whole dose-response curve to the right, so a "
    "big enough dose gets through. As the naltrexone wears off, the curve slides back and the same big dose becomes "
    "an overdose: watch the breathing panel.",
)


@st.cache_data(max_entries=64, show_spinner=False)
def dose_response(agonist: str, ntx_mg: float, hours: tuple[float, ...]) -> pd.DataFrame:
    route, doses = AGONISTS[agonist]
    return lessons.dose_response(agonist, route, doses, ntx_mg, hours)


@st.cache_data(max_entries=8, show_spinner=False)
def schild(agonist: str) -> tuple[pd.DataFrame, float, float]:
    """The Schild analysis of one agonist against naltrexone (it depends on nothing else on the page)."""
    return lessons.schild(agonist)


AGONIST = Control(P + "agonist", "heroin", "Opioid (IV)", "selectbox", options=list(AGONISTS))
NTX = Control(
    P + "ntx_mg", 50, "Naltrexone tablet (mg)", lo=25, hi=150, step=25, help=page.param_help("naltrexone", "kd_nm")
)
HOURS = Control(P + "hours", [24, 72], "Opioid given this many hours after the tablet", "multiselect", options=TIMES)
BIG = Control(
    P + "big_mg",
    100,
    "dose taken to get through the blockade (mg)",
    lo=25,
    hi=1000,
    step=25,
    help="The same dose is taken on day 1 and again on day 4 after one tablet, by a person who used daily "
    "until recently (tolerant at the start; without opioids most tolerance is gone within one to two weeks).",
)
bind_all(AGONIST, NTX, HOURS, BIG)
state.presets(
    P + "preset",
    {
        "Heroin after 50 mg: 24 h vs 72 h": {P + "agonist": "heroin", P + "ntx_mg": 50, P + "hours": [24, 72]},
        "Fentanyl after 50 mg: 6 h to 4 days": {P + "agonist": "fentanyl", P + "ntx_mg": 50, P + "hours": [6, 48, 96]},
        "Heroin after 150 mg": {P + "agonist": "heroin", P + "ntx_mg": 150, P + "hours": [24, 72]},
    },
)
c1, c2, c3 = st.columns(3)
AGONIST.widget(c1)
NTX.widget(c2)
HOURS.widget(c3)
hours = tuple(sorted(HOURS.value or [24]))
state.write_url(P)

agonist, ntx = AGONIST.value, NTX.value
dr = dose_response(agonist, float(ntx), tuple(float(h) for h in hours))
title = f"{agonist} dose-response after naltrexone {ntx} mg"
with page.stage():
    page.plot("dose_response", title, drawings.dose_response(dr, agonist), dr)

left = right = st.container()
with left:
    st.subheader("Schild plot")
    sch, slope, pa2 = schild(agonist)
    page.plot("schild", f"Schild plot {agonist} vs naltrexone", drawings.schild(sch, slope, pa2), sch)
    st.caption(
        f"Slope {slope:.2f} (1 = simple competition). pA2 {pa2:.2f} = -log10 of naltrexone's Kd in mol/L "
        f"({molecules()['naltrexone']['kd_nm']:g} nM)."
    )
with right:
    st.subheader("Why escalating is dangerous")
    big = BIG.widget(label=f"{agonist} {BIG.label}") if agonist == "heroin" else None
    big = float(big) if big is not None else 1.0
    route = AGONISTS[agonist][0]
    raw = {
        "title": f"{agonist} {big:g} mg at 24 h and 96 h after naltrexone {ntx} mg",
        "duration_h": 102.0,
        "output_step_h": 0.1,
        "patient": {"opioid_tolerant": True},
        "dose": [
            {"drug": "naltrexone", "route": "oral", "amount_mg": float(ntx), "at_h": [0.0]},
            {"drug": agonist, "route": route, "amount_mg": big, "at_h": [24.0, 96.0]},
        ],
    }
    res = page.run(raw)
    ch = res.challenges
    said = claims.challenge("overcoming.day1", ch.iloc[0])
    st.caption(f"{agonist} {big:g} mg IV on day 1 is {page.stated(said)}; on day 4 the blockade has faded.")
    st.metric("Effect on day 1 (with blockade)", f"{ch.increment_with.iloc[0]:.2f}")
    st.metric(
        "Same dose on day 4",
        f"{ch.increment_with.iloc[1]:.2f}",
        delta=f"{ch.increment_with.iloc[1] - ch.increment_with.iloc[0]:+.2f}",
        delta_color="inverse",
    )
    tab = res.table
    t, breathing = res.curves.t_h, res.curves.responses.respiratory_drive  # the nadir, on the solver's grid
    drive = [float(breathing[(t >= h) & (t <= h + 12)].min()) for h in (24.0, 96.0)]
    st.metric(
        "Lowest breathing after the day-4 dose",
        f"{drive[1]:.2f}",
        delta=f"{drive[1] - drive[0]:+.2f} vs day 1",
        help="Respiratory drive, 1 = normal breathing, 0 = stops breathing.",
    )
    page.timecourse("danger", raw["title"], tab, ("reward", "breathing"), result=res)
    page.headline(
        f"{agonist} {big:g} mg after naltrexone {ntx} mg is {claims.blocked_phrase(ch.ratio.iloc[0])} on day 1; "
        f"on day 4 the same dose gives {ch.increment_with.iloc[1]:.2f} reward and breathing falls to {drive[1]:.2f}."
    )

page.predict(
    P + "q1",
    "One day after a 50 mg tablet, someone who used daily until recently takes 100 mg heroin to get "
    "through the blockade. They take 100 mg again three days later. What happens?",
    ["The same modest effect", "A much stronger effect, and breathing falls towards an overdose", "No effect at all"],
    1,
    "By day 4 most naltrexone is gone, so the dose meets free receptors, and without opioids tolerance "
    "fades: the same dose can stop breathing (watch the breathing panel at the starting settings).",
)
page.why(
    "The antagonist and the agonist compete for the same site, so enough agonist displaces naltrexone: the "
    "blockade is surmountable. In the Schild plot each tenfold rise in naltrexone requires about tenfold more "
    "agonist (slope 1), the signature of competition. A dose that was needed to break through on day 1 is an "
    "overdose on day 4, when the blockade has faded."
)
