"""Regimens and adherence: daily tablets vs monthly injection vs implant, missed doses, days protected."""

import pandas as pd
import streamlit as st

from model import lessons
from ui import page, plots, population, state
from ui.boot import via_app

via_app()

P = "reg_"
KINDS = {"oral daily": "oral", "monthly injection": "im_xr", "implant": "implant"}
page.header(
    "Regimens and adherence",
    "Daily tablets protect only on the days they are taken, while an injection or implant keeps a steady level "
    "for weeks. Compare the days protected against a 25 mg heroin dose with the days on which 90 % of receptors are blocked.",
)
present = state.presentation()

state.bind(P + "days", 90, lo=30, hi=180)
state.bind(P + "adherence", 80, lo=0, hi=100)
state.bind(P + "seed", 1, lo=0, hi=9999)
state.bind(P + "implant_mg", 1700, lo=500, hi=4000)
state.bind(P + "implant_months", 5.0, lo=1.0, hi=12.0)
population.bind(P)
state.presets(P + "preset", {
    "Perfect adherence, 90 days": {P + "days": 90, P + "adherence": 100},
    "Typical adherence (70 %), 90 days": {P + "days": 90, P + "adherence": 70},
    "Poor adherence (40 %), 180 days": {P + "days": 180, P + "adherence": 40},
})
c1, c2, c3 = st.columns(3)
c1.slider("Days simulated", 30, 180, step=10, key=P + "days")
c2.slider("Adherence (% of tablets and injections taken)", 0, 100, step=5, key=P + "adherence",
          help="Each scheduled dose is taken with this probability; the seed fixes which ones are missed.")
c3.number_input("Random seed (which doses are missed)", 0, 9999, key=P + "seed")
if not present:
    with st.expander("Implant settings"):
        st.slider("Implant naltrexone (mg)", 500, 4000, step=100, key=P + "implant_mg",
                  help="Hulse 2004 used a 1.7 g implant (plasma > 2 ng/mL for ~90 days).")
        st.slider("Implant release period (months)", 1.0, 12.0, step=0.5, key=P + "implant_months",
                  help=page.param_help("naltrexone", "implant_release_fraction_in_period"))
show_band = population.toggle(P)
state.write_url(P)

days = st.session_state[P + "days"]
adherence = max(st.session_state[P + "adherence"], 0.1) / 100
BAND_FOR = "monthly injection"  # daily tablets swing every day: their band would hide the curves
tables, protected, rows, bands = {}, {}, [], None
for name, kind in KINDS.items():
    raw = {"title": f"{name}, {days} days, adherence {adherence:.0%}", "duration_h": 24.0 * days,
           "output_step_h": 1.0, "options": {"seed": int(st.session_state[P + "seed"])},
           "dose": lessons.regimen_doses(kind, days, adherence, implant_mg=float(st.session_state[P + "implant_mg"]),
                                         implant_months=float(st.session_state[P + "implant_months"]))}
    text = page.toml_of(raw)
    tables[name] = page.run(raw).table
    if show_band and name == BAND_FOR:
        bands = population.bands(raw)
    protected[name] = page.protection_table(text)
    p = protected[name]
    rows.append({"regimen": name, "days": days, "days_protected": int(p.protected.sum()),
                 "days_occupancy_ge_90": int(p.occupancy_ge_90.sum()),
                 "days_plasma_ge_1_ng_per_ml": int((p.naltrexone_plasma_ng_per_ml >= 1).sum())})
summary = pd.DataFrame(rows)
title = f"Naltrexone regimens over {days} days, adherence {adherence:.0%}"

long = pd.concat([t[["time_h", "naltrexone_plasma_ng_per_ml", "naltrexol_plasma_ng_per_ml", "occupancy_antagonist"]]
                  .assign(regimen=n) for n, t in tables.items()], ignore_index=True)
if bands is not None:  # the band travels with the plot's data (and its CSV), on the rows of its regimen
    mine = long.regimen == BAND_FOR
    for c in bands:
        if c != "time_h" and c.startswith(("naltrexone_plasma_ng_per_ml_", "occupancy_antagonist_")):
            long.loc[mine, f"population_{c}"] = bands[c].to_numpy()
page.plot("regimens", title, lambda: plots.regimens(tables, protected, present, bands, BAND_FOR), long)
if bands is not None:
    st.caption(f"Shaded band (top two panels), for the monthly injection only (daily tablets swing too much from day "
               f"to day for a readable band): 5-95 % of {population.PEOPLE} people, each with their own drug handling "
               "and their own missed injections; the dotted line is their median.")
st.subheader("Days protected")
page.plot("protection", title, lambda: plots.protection_bars(summary, present), summary)
st.caption("A day counts as protected when 25 mg IV heroin, taken at that day's lowest naltrexone level, "
           "would be blocked (its effect at most 25 % of the effect without naltrexone).")

page.predict(P + "q1", "With 70 % adherence, which regimen loses the most protected days compared with perfect adherence?",
             ["Daily tablets", "Monthly injection", "Implant"], 0,
             "A missed tablet opens a gap within a day or two; a missed monthly injection opens a longer gap "
             "but only once in a while, and an implant cannot be missed at all. Compare with the slider at 100 %.")
page.why(
    "Oral naltrexone's plasma half-life is a few hours, but its receptor blockade lasts days because the drug and "
    "6-beta-naltrexol leave the brain slowly. The monthly injection and the implant release naltrexone steadily, so "
    "the level stays near 1-2 ng/mL, which is enough to block a 25 mg heroin dose. Receptor occupancy of 90 % "
    "is a stricter yardstick than protection against one ordinary dose: it is not needed to block 25 mg."
)
