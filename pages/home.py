"""Home: one heroin dose with and without naltrexone, the lessons, the notice and how to cite."""

import pandas as pd
import streamlit as st

from model import lessons
from model.lessons import claims
from ui import page, population, state
from ui.boot import via_app
from ui.controls import Control, bind_all
from ui.registry import PAGES
from ui.theme import colour_name

via_app()

P = "home_"
present = page.lesson(
    "Naltrexone vs opioids at the mu-opioid receptor",
    "Naltrexone sits on the receptors the heroin needs, so the same heroin dose gives a much smaller reward. "
    f"Watch the {colour_name('naltrexone')} band (receptors held by naltrexone) and how little room it leaves for "
    f"heroin's: {colour_name('monoacetylmorphine')} (6-MAM, what heroin becomes within minutes) and "
    f"{colour_name('morphine')} (morphine).",
)
(st.caption if state.presentation() else st.warning)(
    f"**{page.NOTICE}** The numbers come from a simplified model calibrated to published averages; "
    "real people differ a lot.",
    **({} if state.presentation() else {"icon": ":material/info:"}),
)

NTX = Control(
    P + "ntx_mg",
    50,
    "Naltrexone tablet (mg)",
    lo=0,
    hi=150,
    step=25,
    help=page.param_help("naltrexone", "oral_bioavailability"),
)
GAP = Control(
    P + "gap_h",
    24,
    "Heroin 25 mg IV given this many hours after the tablet (h)",
    lo=1,
    hi=120,
    step=1,
    help="The Revia label: 50 mg blocks 25 mg IV heroin for 24 h, 100 mg for 48 h, 150 mg for 72 h.",
)
bind_all(NTX, GAP)
population.bind(P)
state.presets(
    P + "preset",
    {
        "Label test: 50 mg, heroin 24 h later": {P + "ntx_mg": 50, P + "gap_h": 24},
        "Label test: 50 mg, heroin 72 h later": {P + "ntx_mg": 50, P + "gap_h": 72},
        "No naltrexone": {P + "ntx_mg": 0, P + "gap_h": 24},
        "100 mg, heroin 48 h later": {P + "ntx_mg": 100, P + "gap_h": 48},
    },
)
c1, c2 = st.columns(2)
NTX.widget(c1)
GAP.widget(c2)
show_band = population.toggle(P)
state.write_url(P)

ntx, gap = NTX.value, GAP.value
title = f"Heroin 25 mg IV {gap} h after naltrexone {ntx} mg" if ntx else "Heroin 25 mg IV without naltrexone"
doses = [{"drug": "heroin", "route": "iv", "amount_mg": 25.0, "at_h": [float(gap)]}]
if ntx:
    doses.insert(0, {"drug": "naltrexone", "route": "oral", "amount_mg": float(ntx), "at_h": [0.0]})
raw = {"title": title, "duration_h": float(gap + 8), "output_step_h": 0.05, "dose": doses}
result = page.run(raw)
bands = population.bands(raw) if show_band else None
table = result.table
ch = result.challenges.iloc[0]

page.headline(f"{title}: ", claims.challenge("home.verdict", ch) if ntx else "the full effect.")
numbers = st.container()  # the key numbers: above the plot, below it on a projector (the plot first at 1280x720)
window = population.with_band(
    table, bands
)  # the whole story: naltrexone takes the receptors first, then heroin arrives
with page.stage():
    page.timecourse(
        "timecourse",
        title,
        table,
        ("occupancy", "reward"),
        window,
        result if bands is None else None,
        population.scenario(raw) if bands is not None else None,
        titled=True,
        bands=bands,
    )

m1, m2, m3 = (st.container() if present else numbers).columns(3)
m1.metric("Heroin effect without naltrexone", f"{ch.increment_without:.2f}", help="Peak rise in reward, 0-1 scale.")
m2.metric(
    "With naltrexone",
    f"{ch.increment_with:.2f}",
    delta=f"{ch.increment_with - ch.increment_without:+.2f}",
    delta_color="inverse",
)
m3.metric(
    "Blocked?",
    "n/a" if pd.isna(ch.blocked) else "yes" if ch.blocked else "no",
    help="Blocked = at most 25 % of the effect without naltrexone.",
)

at_72 = page.run(
    {
        "title": "Heroin 25 mg IV 72 h after naltrexone 50 mg",
        "duration_h": 80.0,
        "output_step_h": 0.05,
        "dose": [
            {"drug": "naltrexone", "route": "oral", "amount_mg": 50.0, "at_h": [0.0]},
            {"drug": "heroin", "route": "iv", "amount_mg": 25.0, "at_h": [72.0]},
        ],
    }
).challenges.iloc[0]
AT_72 = claims.challenge("home.heroin_at_72h", at_72)
page.predict(
    P + "q1",
    "A 50 mg tablet blocks 25 mg heroin at 24 h. What happens at 72 h?",
    ["Still fully blocked", "Partly blocked: heroin works again, but weaker", "Heroin works better than before"],
    0 if at_72.ratio <= lessons.blocked_ratio() else 1 if at_72.ratio < 0.9 else 2,
    "Naltrexone leaves the brain over days, so fewer receptors are held and heroin competes its way "
    f"back: at 72 h it is {page.stated(AT_72)} (try the slider).",
)

page.why(
    "Naltrexone and heroin compete for the same mu-opioid receptors. Naltrexone binds far more tightly "
    "but does not activate them, so while it is present a heroin dose finds few receptors free and the "
    "reward stays small. As naltrexone is cleared, the share it holds falls and the blockade fades."
)

st.header("The lessons")
for entry in PAGES[1:]:
    c1, c2 = st.columns([1, 3])
    c1.page_link(entry.path, label=entry.name)
    c2.markdown(entry.blurb)

st.header("What this model leaves out")
st.markdown(
    "The model follows drugs to the mu-opioid receptor and turns what the receptors hold into a 0-1 reward, "
    "breathing, tolerance and dependence. It does **not** include:\n"
    "- **mood and well-being**: low mood, anxiety, sleep and the dysphoria some people feel on naltrexone;\n"
    "- **counselling and support**, which go with naltrexone in every guideline and in the trials behind it;\n"
    "- **relapse as behaviour**: why a person uses, stops taking tablets or misses an injection (cues, stress, "
    "company, money); missed doses here are dice rolls, and the craving page's learning rule is illustrative;\n"
    "- **alcohol's other actions** (GABA, glutamate, dopamine) beyond two numbers: the share of its reward that "
    "runs through opioid receptors and the blood level at which it alone would halve breathing;\n"
    "- **individual genetics**, such as receptor (OPRM1) or liver-enzyme variants: the population band varies "
    "drug handling and receptors at random, not by genotype."
)

st.header("How to cite")
st.markdown(
    "Please cite the software as described in `CITATION.cff` at the root of the repository "
    "(author, title, version and year). Every model parameter lists its own source in the "
    "workbench's parameter table; cite those primary sources for any number you reuse."
)
