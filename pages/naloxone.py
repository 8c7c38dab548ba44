"""Naloxone rescue: an opioid overdose reversed by naloxone, re-narcotisation, and naltrexone's long blockade."""

import numpy as np
import pandas as pd
import streamlit as st

from model import lessons
from ui import page, population, state
from ui.boot import via_app
from ui.controls import Control, bind_all
from ui.drawings import time as drawings

via_app()

P = "nlx_"
OPIOIDS = ["fentanyl IV", "methadone (oral)"]
WINDOW_MG = (0.4, 2.0, 4.0)  # naloxone doses whose re-narcotisation window the page states
present = page.lesson(
    "Naloxone rescue",
    "Naloxone pushes the opioid off the receptors within minutes and breathing comes back, but it leaves the "
    "receptors again over the next few hours. If the opioid lasts longer, as methadone does, breathing falls "
    "again: watch for the shaded danger after the rescue. A very large fentanyl dose needs a larger naloxone dose.",
)

OPIOID = Control(
    P + "opioid",
    "fentanyl IV",
    "Opioid taken (the person has not used for a long time: no tolerance)",
    "radio",
    options=OPIOIDS,
    help="Fentanyl acts within minutes and wears off within hours; oral methadone builds up over hours "
    "and lasts a day or more.",
)
FENTANYL = Control(
    P + "fentanyl_mg",
    0.25,
    "Fentanyl dose (mg IV)",
    lo=0.05,
    hi=2.0,
    step=0.05,
    help="0.1 mg is an anaesthetic dose; street overdoses are often larger.",
)
METHADONE = Control(
    P + "methadone_mg",
    60,
    "Methadone dose (mg by mouth)",
    lo=10,
    hi=200,
    step=10,
    help="Methadone builds up over the first days (half-life a day or more): deaths early in methadone "
    "treatment come around the third day, as the level rises (Drummer OH et al. 1992).",
)
AT_MIN = Control(
    P + "at_min",
    15,
    "Naloxone given at (minutes after the opioid)",
    lo=5,
    hi=480,
    step=5,
    help="Time from the opioid dose to the naloxone dose.",
)
ROUTE = Control(
    P + "route",
    "iv",
    "Naloxone route",
    "radio",
    options=["iv", "intranasal"],
    format_func=lambda r: {"iv": "IV (injection)", "intranasal": "nasal spray"}[r],
    help="IV acts within a minute; the nasal spray within a few minutes, with about half reaching the blood.",
)
NALOXONE = Control(
    P + "naloxone_mg",
    0.4,
    "Naloxone dose (mg)",
    "select_slider",
    options=[0.04, 0.1, 0.2, 0.4, 0.8, 2.0, 4.0, 8.0],
    help="Usual: 0.4 mg IV (repeatable); nasal spray 4 mg.",
)
COMPARE = Control(
    P + "compare_ntx",
    False,
    "Compare: on naltrexone injection",
    "toggle",
    help="The same overdose in someone who had the monthly 380 mg naltrexone injection a week before.",
)
bind_all(OPIOID, FENTANYL, METHADONE, ROUTE, NALOXONE, AT_MIN, COMPARE)
population.bind(P)
state.presets(
    P + "preset",
    {
        "Fentanyl 0.25 mg IV, naloxone 0.4 mg IV at 15 min": {
            P + "opioid": "fentanyl IV",
            P + "fentanyl_mg": 0.25,
            P + "route": "iv",
            P + "naloxone_mg": 0.4,
            P + "at_min": 15,
        },
        "Large fentanyl dose (1.5 mg), naloxone 2 mg IV": {
            P + "opioid": "fentanyl IV",
            P + "fentanyl_mg": 1.5,
            P + "route": "iv",
            P + "naloxone_mg": 2.0,
            P + "at_min": 15,
        },
        "Methadone 60 mg, naloxone 2 mg IV at 4 h": {
            P + "opioid": "methadone (oral)",
            P + "methadone_mg": 60,
            P + "route": "iv",
            P + "naloxone_mg": 2.0,
            P + "at_min": 240,
        },
        "Fentanyl overdose on monthly naltrexone": {
            P + "opioid": "fentanyl IV",
            P + "fentanyl_mg": 0.25,
            P + "compare_ntx": True,
            P + "at_min": 15,
        },
    },
)
c1, c2, c3 = st.columns(3)
OPIOID.widget(c1, horizontal=True)
DOSE = FENTANYL if OPIOID.value == "fentanyl IV" else METHADONE
DOSE.widget(c2)
AT_MIN.widget(c3)
d1, d2, d3 = st.columns(3)
ROUTE.widget(d1, horizontal=True)
NALOXONE.widget(d2)
COMPARE.widget(d3)
show_band = population.toggle(P)
state.write_url(P)

opioid = "fentanyl" if DOSE is FENTANYL else "methadone"
mg = float(DOSE.value)
route, nlx_mg = ROUTE.value, float(NALOXONE.value)
at_h = 0.25 + AT_MIN.value / 60.0
duration = max(8.0 if opioid == "fentanyl" else 24.0, at_h + 6.0)
what = f"{opioid} {mg:g} mg" + (" IV" if opioid == "fentanyl" else " by mouth")
base = {"duration_h": duration, "output_step_h": 0.05}
raw_rescue = {
    **base,
    "title": f"{what}, naloxone {nlx_mg:g} mg {route} at {at_h - 0.25:.2g} h",
    "dose": lessons.overdose_doses(opioid, mg, route, nlx_mg, at_h),
}
runs = [
    page.run(raw_rescue),
    page.run({**base, "title": f"{what}, no naloxone", "dose": lessons.overdose_doses(opioid, mg, None, 0, at_h)}),
]
rescue, alone = (r.table for r in runs)
course = pd.DataFrame(
    {"time_h": rescue.time_h, "drive_no_rescue": alone.respiratory_drive, "drive_rescue": rescue.respiratory_drive}
)
if COMPARE.value:
    shift = 24.0 * 7
    runs.append(
        page.run(
            {
                "duration_h": shift + duration,
                "output_step_h": 0.05,
                "title": f"{what} a week after naltrexone XR",
                "dose": lessons.overdose_doses(opioid, mg, None, 0, at_h, naltrexone_xr_days_before=7),
            }
        )
    )
    on = runs[-1].table
    course["drive_on_naltrexone"] = np.interp(course.time_h, on.time_h - shift, on.respiratory_drive)
for col in rescue.columns:
    if col.startswith("occupancy_") and col not in ("occupancy_agonist", "occupancy_antagonist"):
        course[col] = rescue[col]
bands = population.bands(raw_rescue) if show_band else None
if bands is not None:
    bands = bands.assign(time_h=bands.time_h - 0.25)  # time 0 = the opioid dose, as in the plot
    for q in ("p05", "p50", "p95"):
        course[f"population_respiratory_drive_{q}"] = bands[f"respiratory_drive_{q}"].to_numpy()

s = lessons.rescue_summary(rescue, at_h)
m1, m2, m3, m4 = st.columns(4)
m1.metric("Lowest breathing, before", f"{s['min_before']:.2f}", help="Respiratory drive, 1 = normal, 0 = apnoea.")
m2.metric("Best breathing, after", f"{s['best_after']:.2f}", help="Highest drive in the 2 h after naloxone.")
m3.metric(
    "Below 0.5 again at",
    "not in view" if np.isnan(s["renarcotised_h"]) else f"{s['renarcotised_h'] - 0.25:.1f} h",
    help="Re-narcotisation: the opioid outlasts naloxone.",
)
m4.metric("Time below 0.5", f"{s['hours_below_limit']:.1f} h")


def _window_sentence(windows: dict[float, float]) -> str:
    """How long each naloxone dose keeps breathing above half, in words computed from the runs."""
    doses = ", ".join(f"{d:g}" for d in windows)
    if all(np.isinf(h) for h in windows.values()):
        return f"every dose ({doses} mg) until the opioid has worn off: it is gone before naloxone is."
    words = [
        f"{d:g} mg: "
        + (
            "does not lift it above half"
            if np.isnan(h)
            else "until the opioid has worn off"
            if np.isinf(h)
            else f"{h:.1f} h"
        )
        for d, h in windows.items()
    ]
    per_doubling = (windows[4.0] - windows[0.4]) / np.log2(4.0 / 0.4)
    tail = (
        f" Each doubling of the naloxone dose adds only about {per_doubling:.1f} h: it is cleared within hours "
        "whatever the dose, and a long-acting opioid outlasts it."
        if np.isfinite(per_doubling)
        else ""
    )
    return "; ".join(words) + "." + tail


windows = {
    dose_mg: lessons.rescue_window_h(
        page.run({**raw_rescue, "dose": lessons.overdose_doses(opioid, mg, route, dose_mg, at_h)}).table, at_h
    )
    for dose_mg in WINDOW_MG
}
state.store_plot_data("rescue_summary", pd.DataFrame([s]))
course = course.assign(time_h=course.time_h - 0.25)
title = f"{what}; naloxone {nlx_mg:g} mg {route}"
arms = [r.scenario for r in runs] + ([population.scenario(raw_rescue)] if bands is not None else [])
again = s["renarcotised_h"]
page.headline(
    f"{what}: breathing falls to {s['min_before']:.2f}; naloxone {nlx_mg:g} mg lifts it to {s['best_after']:.2f}"
    + (f", and it falls below 0.5 again at {again - 0.25:.1f} h." if np.isfinite(again) else ".")
)
with page.stage():
    page.plot(
        "rescue",
        title,
        drawings.rescue(course, at_h - 0.25, bands),
        course,
        arms=arms,
    )
st.caption(
    "Time 0 = the opioid dose. Top: breathing (1 = normal). Bottom: who holds the receptors in the rescue. "
    "Fentanyl stops breathing while holding only a few % of the receptors (receptor reserve), so a little "
    "naloxone goes a long way, until it is cleared."
)
st.markdown(
    f"**How long naloxone ({'IV' if route == 'iv' else 'nasal spray'}, at {AT_MIN.value} min) keeps breathing "
    "above half on this overdose:** " + _window_sentence(windows)
)

page.predict(
    P + "q1",
    "Someone who swallowed 60 mg methadone is revived with naloxone at 4 h and wakes up. "
    "Can they be sent home an hour later?",
    [
        "Yes, the naloxone has reversed the overdose",
        "No, breathing can fall again when naloxone wears off",
        "Yes, if they feel well",
    ],
    1,
    "Naloxone's effect lasts a few hours, methadone's a day or more: the opioid takes the receptors back "
    "(re-narcotisation). Try the methadone preset and watch the shaded part after the rescue.",
)
page.why(
    "Naloxone is a competitive antagonist like naltrexone, binding more tightly than the opioid, so it takes the "
    "receptors within minutes. But it is cleared from the blood quickly (half-life about an hour; from the "
    "receptors over a few hours) and barely works by mouth, "
    "while naltrexone lasts long and works by mouth, which is why naloxone is the rescue drug and naltrexone the "
    "treatment. Anyone revived with naloxone needs watching for hours, with repeat doses ready. A person on "
    "monthly naltrexone is protected from ordinary doses, but a potent opioid such as fentanyl in a large enough "
    "dose still gets through (try 1 mg with the comparison on; see Overcoming the blockade)."
)
