"""Mechanism: concentrations -> occupancy -> reward on one time axis, receptor picture, equilibrium."""

from dataclasses import replace

import numpy as np
import pandas as pd
import streamlit as st

from model import lessons
from model.drugs import DRUG_SPECIES, molecules
from model.lessons import claims
from ui import page, pictures, population, state
from ui.boot import via_app
from ui.controls import Control, bind_all
from ui.drawings import mechanism as drawings
from ui.theme import colour_name, label

via_app()

P = "mech_"
#: Full agonists with an IV teaching dose (each molecule's [teaching]): route, dose and the slider's range (mg).
AGONISTS = {
    drug: (route, mg, mg / 5, mg * 10)
    for drug, (route, mg) in lessons.AGONIST_DOSES.items()
    if route == "iv" and molecules()[DRUG_SPECIES[drug]].role == "agonist"
}
page.lesson(
    "Mechanism: from blood to receptor to reward",
    "Each panel shares the same time axis: plasma levels drive what sits on the receptors, and only the "
    f"agonist's share makes reward. Naltrexone ({colour_name('naltrexone')}, its metabolite "
    f"{colour_name('naltrexol')}) holds its receptors long after its plasma level has fallen.",
)

AGONIST = Control(
    P + "agonist", "heroin", "Opioid (IV)", "selectbox", options=list(AGONISTS), help="Which full agonist is injected."
)
DOSE = Control(
    P + "dose_mg",
    25.0,
    "dose (mg)",
    "number",
    lo=min(v[2] for v in AGONISTS.values()),
    hi=max(v[3] for v in AGONISTS.values()),
    step=0.01,
)
NTX = Control(
    P + "ntx_mg", 50, "Naltrexone tablet (mg)", lo=0, hi=150, step=5, help=page.param_help("naltrexone", "kd_nm")
)
GAP = Control(P + "gap_h", 24, "Opioid given after the tablet (h)", lo=1, hi=96, step=1)
T_SHOW = Control(
    P + "t_h",
    25.0,
    "Time shown in the receptor picture (h)",
    lo=0.0,
    hi=110.0,
    step=0.25,
    help="Move through time and watch who holds the 100 receptors.",
)
bind_all(AGONIST, DOSE, NTX, GAP, T_SHOW)
population.bind(P)
state.presets(
    P + "preset",
    {
        "Heroin 25 mg, 24 h after 50 mg": {
            P + "agonist": "heroin",
            P + "dose_mg": 25.0,
            P + "ntx_mg": 50,
            P + "gap_h": 24,
            P + "t_h": 24.5,
        },
        "Heroin 25 mg, no naltrexone": {
            P + "agonist": "heroin",
            P + "dose_mg": 25.0,
            P + "ntx_mg": 0,
            P + "gap_h": 24,
            P + "t_h": 24.5,
        },
        "Fentanyl 0.1 mg, 6 h after 50 mg": {
            P + "agonist": "fentanyl",
            P + "dose_mg": 0.1,
            P + "ntx_mg": 50,
            P + "gap_h": 6,
            P + "t_h": 6.2,
        },
        "Morphine 20 mg, 48 h after 50 mg": {
            P + "agonist": "morphine",
            P + "dose_mg": 20.0,
            P + "ntx_mg": 50,
            P + "gap_h": 48,
            P + "t_h": 49.0,
        },
    },
)
c1, c2, c3, c4 = st.columns(4)
AGONIST.widget(c1)
agonist = AGONIST.value
route, _, lo, hi = AGONISTS[agonist]
dose_control = replace(DOSE, lo=lo, hi=hi, step=lo)
dose_control.set(DOSE.value)
dose_control.widget(c2, f"{agonist} dose (mg)", help=page.param_help(agonist, "kd_nm"))
NTX.widget(c3)
GAP.widget(c4)
gap = GAP.value
duration = float(gap + 12)
time_control = replace(T_SHOW, hi=duration)
time_control.set(T_SHOW.value)
time_control.widget()
show_band = population.toggle(P)
state.write_url(P)

ntx, dose, t_show = NTX.value, float(DOSE.value), T_SHOW.value
title = f"{agonist} {dose:g} mg IV {gap} h after naltrexone {ntx} mg"
doses = [{"drug": agonist, "route": route, "amount_mg": dose, "at_h": [float(gap)]}]
if ntx:
    doses.insert(0, {"drug": "naltrexone", "route": "oral", "amount_mg": float(ntx), "at_h": [0.0]})
raw = {"title": title, "duration_h": duration, "output_step_h": 0.05, "dose": doses}
result = page.run(raw)
bands = population.bands(raw) if show_band else None
table = result.table

page.headline(f"{title}: ", claims.challenge("mechanism.verdict", result.challenges.iloc[0]))
st.subheader("Concentrations -> occupancy -> reward")
window = population.with_band(table, bands)
with page.stage():
    page.timecourse(
        "chain",
        title,
        table,
        ("plasma", "occupancy", "reward"),
        window,
        result if bands is None else None,
        population.scenario(raw) if bands is not None else None,
        marker_h=t_show,
        bands=bands,
    )

left, right = st.columns([3, 2])
with left:
    st.subheader(f"100 receptors at {t_show:g} h")
    occ = lessons.occupancy_at(result, t_show)
    labels = pictures.receptor_grid(occ)

    grid_table = pd.DataFrame(
        {
            "time_h": [t_show],
            **{f"occupancy_{k}": [v] for k, v in occ.items()},
            **{
                f"receptors_{k}_of_100": [int((labels == k).sum())]
                for k in ("free", "naltrexone", "naltrexol", "agonist")
            },
        }
    )
    page.plot("receptors", title, drawings.receptor_picture(labels), grid_table)
with right:
    st.subheader("Who holds the receptors")
    for k in ("naltrexone", "naltrexol", "agonist"):
        st.metric(label(k), f"{100 * occ[k]:.1f} %")
    st.caption(
        "Move the time slider above: before the tablet every receptor is free; the naltrexone family "
        "takes most of them within hours and gives them back over days."
    )
st.subheader("At equilibrium: occupancy and reward vs opioid concentration")
kd = molecules()["naltrexone"]["kd_nm"]
levels = (0.0, kd, 10 * kd, 100 * kd)
eq = lessons.equilibrium_curves(agonist, levels)
page.plot("equilibrium", f"{agonist} equilibrium with naltrexone", drawings.equilibrium(eq, agonist), eq)
st.caption(
    f"Naltrexone levels: 0, 1, 10 and 100 x its Kd ({kd:g} nM). Each level moves the reward curve to the "
    "right by the dose ratio 1 + level/Kd (2, 11 and 101 times), so at high levels each tenfold step is "
    "about tenfold: that is competition."
)

AFTER_TABLET = claims.naltrexone_family_share(
    page.run(
        {
            "title": "naltrexone 50 mg",
            "duration_h": 25.0,
            "output_step_h": 0.25,
            "dose": [{"drug": "naltrexone", "route": "oral", "amount_mg": 50.0, "at_h": [0.0]}],
        }
    ).table,
    24.0,
)
OPTIONS = ["Almost none", "About half", "Most of them"]
page.predict(
    P + "q1",
    "Twenty-four hours after a 50 mg tablet, plasma naltrexone is almost gone. "
    "What share of the receptors does the naltrexone family still hold?",
    OPTIONS,
    int(np.argmin(np.abs(np.array([0.05, 0.5, 0.9]) - AFTER_TABLET.value))),
    "Naltrexone binds very tightly and leaves the brain much more slowly than the blood, so the trace "
    f"that is left still holds {page.stated(AFTER_TABLET)}. Its metabolite lasts longer in blood but barely "
    "enters the brain (see the receptor picture at 24 h).",
)
page.why(
    "Binding is a competition: each molecule's share of the receptors depends on its concentration "
    "divided by its Kd. Naltrexone's Kd is tiny, so even a trace holds many receptors. Reward comes only "
    "from the receptors an agonist holds, weighted by its efficacy; because full agonists have receptor "
    f"reserve, a few receptors give a clear reward: on the equilibrium plot above, "
    f"{page.stated(claims.receptors_for_half_reward(eq, agonist))}."
)
