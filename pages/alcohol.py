"""Alcohol: drinks over an evening -> blood alcohol -> endorphin -> reward, with and without naltrexone."""

import streamlit as st

from model.drugs import molecules
from ui import page, population, state
from ui.boot import via_app
from ui.controls import Control, bind_all
from ui.drawings import time as drawings

via_app()

P = "alc_"
present = page.lesson(
    "Alcohol",
    "Alcohol itself does not bind the opioid receptor: it releases the body's own opioid, beta-endorphin, which does. "
    "Naltrexone leaves blood alcohol unchanged and blunts part of alcohol's reward, not all of it: only the share "
    "that runs through the opioid receptors (the slider), which is why it helps some people drink less.",
)
SHARE = "opioid_share_of_reward"
SHARE_DEFAULT = float(molecules()["ethanol"][SHARE])

DRINKS = Control(P + "drinks", 4, "Drinks", lo=0, hi=10, step=1, help="Standard drinks over the evening.")
EVERY = Control(P + "every_h", 1.0, "Hours between drinks (h)", lo=0.25, hi=3.0, step=0.25)
NTX = Control(
    P + "ntx_mg",
    50,
    "Naltrexone tablet 2 h before the first drink (mg)",
    "select_slider",
    options=[0, 25, 50, 100],
    help=page.param_help("naltrexone", "oral_bioavailability"),
)
SHARE_C = Control(
    P + "share",
    SHARE_DEFAULT,
    "Share of alcohol's reward stimulus that runs through opioid receptors",
    lo=0.05,
    hi=1.0,
    step=0.05,
    help="Naltrexone can only blunt this share; the rest (GABA, glutamate, dopamine actions) it does "
    "not touch. Moving the slider moves part of alcohol's reward from one path to the other: the reward "
    "without naltrexone stays the same. " + page.param_help("ethanol", SHARE),
)
GRAMS = Control(
    P + "grams",
    14.0,
    "Alcohol per drink (g)",
    lo=8.0,
    hi=28.0,
    step=1.0,
    help="A standard drink is 10 g (UK unit 8 g, US drink 14 g).",
)
WEIGHT = Control(
    P + "weight", 80, "Body weight (kg)", lo=40, hi=150, step=1, help="Sets the Widmark volume of distribution."
)
SEX = Control(P + "sex", "male", "Sex (alcohol distribution)", "radio", options=["male", "female"])
bind_all(DRINKS, GRAMS, EVERY, NTX, WEIGHT, SEX, SHARE_C)
population.bind(P)
state.presets(
    P + "preset",
    {
        "Four drinks, one an hour, on 50 mg": {
            P + "drinks": 4,
            P + "every_h": 1.0,
            P + "ntx_mg": 50,
            P + "grams": 14.0,
        },
        "Binge: eight drinks in four hours": {P + "drinks": 8, P + "every_h": 0.5, P + "ntx_mg": 50, P + "grams": 14.0},
        "Four drinks without naltrexone": {P + "drinks": 4, P + "every_h": 1.0, P + "ntx_mg": 0, P + "grams": 14.0},
    },
)
c1, c2, c3 = st.columns(3)
DRINKS.widget(c1)
EVERY.widget(c2)
NTX.widget(c3)
SHARE_C.widget()
with page.more_settings(present):
    d1, d2, d3 = st.columns(3)
    GRAMS.widget(d1)
    WEIGHT.widget(d2)
    SEX.widget(d3, horizontal=True)
show_band = population.toggle(P)
state.write_url(P)

n, g, every, ntx = DRINKS.value, GRAMS.value, EVERY.value, NTX.value
title = f"{n} drinks of {g:g} g every {every:g} h" + (f" on naltrexone {ntx} mg" if ntx else " without naltrexone")
doses = []
if ntx:
    doses.append({"drug": "naltrexone", "route": "oral", "amount_mg": float(ntx), "at_h": [0.0]})
if n:
    doses.append(
        {
            "drug": "alcohol",
            "route": "oral",
            "amount_g": float(g),
            "every_h": float(every),
            "count": int(n),
            "start_h": 2.0,
        }
    )
raw = {
    "title": title,
    "duration_h": float(max(12.0, 2 + every * n + 8)),
    "output_step_h": 0.05,
    "dose": doses,
    "patient": {"weight_kg": float(WEIGHT.value), "sex": SEX.value},
    "parameters": {"ethanol": {SHARE: float(SHARE_C.value)}},
}
result = page.run(raw)
bands = population.bands(raw) if show_band else None
table = result.table

numbers = st.container()  # the key numbers: above the plot, below it on a projector (the plot first at 1280x720)
window = population.with_band(table, bands)
peak_without = float(table.reward_without_naltrexone.max())
removed = 1 - float(table.reward.max()) / peak_without if peak_without > 0 else float("nan")
page.headline(
    f"{title}: naltrexone removes {removed:.0%} of the peak reward ({peak_without:.3f} -> {table.reward.max():.3f})."
    if peak_without > 0
    else f"{title}: no reward to remove."
)
with page.stage():
    page.plot(
        "alcohol",
        title,
        drawings.alcohol(table, bands),
        window,
        result if bands is None else None,
        population.scenario(raw) if bands is not None else None,
    )
m1, m2, m3, m4 = (st.container() if present else numbers).columns(4)
bac = table.get("ethanol_blood_mg_per_dl")
m1.metric("Peak blood alcohol (mg/dL)", f"{(bac.max() if bac is not None else 0):.0f}")
m2.metric("Peak reward without naltrexone", f"{table.reward_without_naltrexone.max():.3f}")
m3.metric("Peak reward with naltrexone", f"{table.reward.max():.3f}")
m4.metric(
    "Reward removed by naltrexone",
    f"{100 * (1 - table.reward.max() / peak_without):.0f} %" if peak_without > 0 else "-",
    help=f"1 - peak with / peak without naltrexone. Not the opioid share itself ({SHARE_C.value:.0%} of the "
    "stimulus): the reward is a curved, saturating function of the stimulus, so removing the same share takes "
    "off less reward when much alcohol is drunk and about the share when little is.",
)

page.predict(
    P + "q1",
    "Does naltrexone lower blood alcohol?",
    [
        "Yes, it speeds up alcohol breakdown",
        "No, blood alcohol is the same; the reward is smaller",
        "Yes, it stops alcohol being absorbed",
    ],
    1,
    "Naltrexone acts only at the opioid receptors. The alcohol curve (top) does not move; the "
    "endorphin's share of the receptors and the reward (below) do.",
)
page.why(
    "Alcohol makes the brain release beta-endorphin in proportion to blood alcohol. The endorphin is a full "
    "opioid agonist and competes with naltrexone for the same receptors, but it carries only part of alcohol's "
    "reward: the rest comes from alcohol's actions on GABA, glutamate and dopamine, which naltrexone does not touch. "
    f"The share is uncertain (default {SHARE_DEFAULT:g}, an illustrative value); human laboratory studies find "
    "small-to-moderate effects of naltrexone on alcohol's stimulation and craving (Ray LA et al. 2019 Addict Biol "
    "24:1138). Driving limits refer to blood alcohol, which naltrexone does not change."
)
