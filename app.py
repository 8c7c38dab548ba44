"""Naltrexone teaching simulator: entry point with navigation, presentation mode and glossary."""

import streamlit as st

from ui import boot, page, runs
from ui.controls import Control
from ui.page import NOTICE
from ui.registry import PAGES

GLOSSARY = {
    "Agonist": "A drug that binds the mu-opioid receptor and activates it (heroin, morphine, fentanyl).",
    "Antagonist": "A drug that binds the receptor without activating it and keeps agonists out (naltrexone).",
    "Partial agonist": "Activates the receptor, but less than a full agonist can (buprenorphine).",
    "6-beta-naltrexol": "Naltrexone's main metabolite: plenty in blood, but it barely enters the brain, so it adds little to the blockade.",
    "Occupancy": "The share of receptors that hold a given drug at a moment (0-100 %).",
    "Kd": "Concentration at which half the receptors would hold the drug (nM); lower = binds more tightly.",
    "Dissociation half-life": "How long a bound drug stays on a receptor before half has let go.",
    "Reward": "The model's opioid effect on a 0-1 scale (1 = the most any opioid can give).",
    "Blockade ratio": "Effect of an opioid dose with naltrexone divided by its effect without; <= 0.25 counts as blocked.",
    "Dose ratio": "How many times more agonist is needed for the same effect in the presence of the antagonist.",
    "Receptor reserve": "Full agonists give a large effect while holding only a few receptors.",
    "XR": "Extended-release: the monthly 380 mg naltrexone injection.",
    "ng/mL": "Nanograms per millilitre of plasma; nM = nanomoles per litre at the receptor.",
    "mg/dL": "Milligrams of alcohol per decilitre of blood (80 mg/dL = UK driving limit).",
    "Respiratory drive": "How strongly a person breathes (1 = normal, 0 = stops breathing); opioids lower it.",
    "Tolerance": "After regular use the same dose depresses breathing less; it fades within weeks without opioids.",
    "Craving (model)": "The reward a person has learnt to expect from a use episode (illustrative learning rule).",
    "Physical dependence": "The body's adaptation to regular opioid use (0-1 in the model); it fades over days after the last dose.",
    "Opioid-free interval": "Days to wait after the last opioid before naltrexone: about a week after heroin, about two after methadone.",
    "Precipitated withdrawal": "Sudden withdrawal when an antagonist pushes an opioid off the receptors of a dependent person.",
    "Naloxone": "A short-acting antagonist used to reverse overdoses; its effect lasts one to a few hours.",
    "Re-narcotisation": "Breathing falls again when naloxone wears off before a long-acting opioid does.",
}

PRESENT = Control(
    "present",
    False,
    "Presentation mode",
    "toggle",
    help="Larger text, lines and plots, the sidebar closed, fixed axes: for a projector.",
)
NARROW = Control(
    "narrow",
    False,
    "Phone layout",
    "toggle",
    help="Downloaded figures drawn for a narrow screen: one panel above the other, each legend above its "
    "panel (the plots on the page fit any screen by themselves).",
)
#: Presentation mode: larger interface text (Streamlit sizes in rem), less empty space above the page.
PRESENT_CSS = """<style>
html { font-size: 21px; }
[data-testid="stMainBlockContainer"] { padding-top: 4.2rem; padding-bottom: 1rem; }
[data-testid="stMainBlockContainer"] h2 { font-size: 1.3rem; padding: 0.4rem 0 0.1rem 0; }
[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] { gap: 0.45rem; }
[data-testid="stMainBlockContainer"] h1 { font-size: 1.6rem; padding: 0 0 0.2rem 0; }
[data-testid="stMetricValue"] { font-size: 1.6rem; }
</style>"""
#: Every screen: captions dark enough for WCAG AA text contrast (Streamlit fades them to 3.1:1 with
#: opacity 0.6; #595959 is 7:1 on white). Any narrow screen: less padding, tables scroll sideways, equations shrink instead of
#: becoming scroll areas that a keyboard cannot reach.
PAGE_CSS = """<style>
[data-testid="stCaptionContainer"] { opacity: 1 !important; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] * { color: #595959 !important; }
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"] { padding-left: 0.6rem; padding-right: 0.6rem; padding-top: 2.5rem; }
  [data-testid="stMarkdownContainer"] table { display: block; overflow-x: auto; }
  .katex-display { font-size: 0.68em; overflow: visible !important; }
}
</style>"""

PRESENT.bind()
NARROW.bind()
present = bool(PRESENT.value)
st.set_page_config(
    page_title="Naltrexone teaching simulator",
    page_icon=":material/medication:",
    layout="wide",
    initial_sidebar_state="collapsed" if present else "auto",
)
st.sidebar.html(PAGE_CSS + (PRESENT_CSS if present else ""))

pages = [st.Page(p.path, title=p.title, icon=p.icon, url_path=p.url, default=(p.url == "home")) for p in PAGES]
nav = st.navigation(pages)

with st.sidebar:
    PRESENT.widget()
    NARROW.widget()
    st.caption(NOTICE)
    with st.expander("Glossary"):
        for term, text in GLOSSARY.items():
            st.markdown(f"**{term}**: {text}")

st.session_state["claims"] = {}  # the claims the page states in this run (read by the tests)
with boot.running_app():
    page.guarded(nav.run)
runs.freeze_heap_once()
