"""Researcher workbench: editable doses, parameter overrides, TOML upload/download, overlays, the model."""

import pandas as pd
import streamlit as st

from model import ScenarioError, parse_scenario
from model.drugs import DRUG_SPECIES, molecules, parameter_table
from model.lessons import claims
from model.scenario import MAX_FILE_BYTES, parse_scenario_bytes, scenario_to_toml
from ui import controls, page, population, research, state
from ui.boot import via_app
from ui.controls import Control
from ui.drawings import time as drawings
from ui.editor import Editor, times_entry, times_text

via_app()

P = "wb_"
DEFAULT = {
    "title": "Heroin 25 mg IV at 24, 48 and 72 h after naltrexone 50 mg",
    "duration_h": 96.0,
    "dose": [
        {"drug": "naltrexone", "route": "oral", "amount_mg": 50.0, "at_h": [0.0]},
        {"drug": "heroin", "route": "iv", "amount_mg": 25.0, "at_h": [24.0, 48.0, 72.0]},
    ],
}
ROUTES = sorted({r for s in set(DRUG_SPECIES.values()) for r in molecules()[s].routes})
present = page.lesson(
    "Researcher workbench",
    "Everything the other pages hide is editable here: doses, any parameter, and whole scenario files. "
    "Keep one scenario as a comparison and change the other to see exactly what a parameter does.",
)
SPECIES = Control(
    P + "ptab_species", "all", "Show parameters of", "selectbox", options=["all", *sorted({*molecules(), "response"})]
)
SPECIES.bind()
figure = page.stage()  # on a projector the plot and its numbers come first, the editors below them

editor = Editor(DEFAULT, population.PEOPLE)
with st.expander("Load or save a scenario file (TOML)", expanded=not (present or state.narrow())):  # closed on a phone
    c1, c2 = st.columns(2)
    editor.upload(
        c1.file_uploader(
            f"Upload a scenario (.toml, at most {MAX_FILE_BYTES // 1000} kB)",
            type=["toml"],
            key=P + "upload",
            help="The same format as the examples/ folder and `python -m model run`.",
        )
    )
    pasted = c2.text_area("...or paste TOML text", key=P + "paste", height=120)
    if c2.button("Load pasted TOML", key=P + "load_paste", disabled=not pasted):
        editor.load_bytes(pasted.encode("utf-8"), "pasted text")
version, current = editor.version, editor.current
if editor.error:
    st.error(page.plain(editor.error) + " - the previous scenario is kept.")
elif editor.message:
    st.success(page.plain(editor.message))
if editor.people_note:
    st.info(editor.people_note)

c1, c2 = st.columns([3, 1])
title = c1.text_input("Title", current.get("title", "Untitled scenario"), key=f"{P}title_{version}")
duration = c2.number_input(
    "Duration (h)", 1.0, 24.0 * 730, float(current["duration_h"]), step=12.0, key=f"{P}duration_{version}"
)

rows = [
    {
        "drug": d["drug"],
        "route": d["route"],
        "amount": d.get("amount_mg", d.get("amount_g")),
        "times_h": times_text(d),
        "taken_probability": d.get("taken_probability", 1.0),
        "release_months": d.get("release_months"),
    }
    for d in current.get("dose", [])
]
st.markdown(
    "**Doses** (amount in mg; grams for alcohol; times in hours separated by commas, or a schedule such as "
    "`every 24 h x 30 from 0 h`; release months for implants)"
)
edited = st.data_editor(
    pd.DataFrame(rows, columns=["drug", "route", "amount", "times_h", "taken_probability", "release_months"]),
    num_rows="dynamic",
    key=f"{P}doses_{version}",
    width="stretch",
    column_config={
        "drug": st.column_config.SelectboxColumn("drug", options=list(DRUG_SPECIES), required=True),
        "route": st.column_config.SelectboxColumn("route", options=ROUTES, required=True),
        "amount": st.column_config.NumberColumn("amount (mg, g for alcohol)", min_value=0.0),
        "times_h": st.column_config.TextColumn("times (h)"),
        "taken_probability": st.column_config.NumberColumn("taken probability", min_value=0.0, max_value=1.0),
        "release_months": st.column_config.NumberColumn("release (months, implants)", min_value=0.0),
    },
)
over_rows = [
    {"species": sp, "parameter": k, "value": v}
    for sp, ps in current.get("parameters", {}).items()
    for k, v in ps.items()
]
with st.expander("Parameter overrides", expanded=bool(over_rows)):
    overrides = st.data_editor(
        pd.DataFrame(over_rows, columns=["species", "parameter", "value"]),
        num_rows="dynamic",
        key=f"{P}over_{version}",
        width="stretch",
        column_config={
            "species": st.column_config.SelectboxColumn(options=sorted(molecules())),
            "value": st.column_config.NumberColumn(format="%.6g"),
        },
    )
    st.caption("Names as in the parameter table below, e.g. naltrexone / ke0_per_h.")


def build() -> dict:
    doses = []
    for i, r in edited.iterrows():
        if pd.isna(r.drug) or pd.isna(r.amount):
            continue
        d = {
            "drug": r.drug,
            "route": r.route,
            "amount_g" if r.drug == "alcohol" else "amount_mg": float(r.amount),
            **times_entry("" if pd.isna(r.times_h) else str(r.times_h), f"dose[{i}] times"),
        }
        if pd.notna(r.taken_probability) and float(r.taken_probability) < 1:
            d["taken_probability"] = float(r.taken_probability)
        if r.route == "implant" and pd.notna(r.release_months):
            d["release_months"] = float(r.release_months)
        doses.append(d)
    params: dict = {}
    for _, r in overrides.iterrows():
        if pd.notna(r.species) and pd.notna(r.parameter) and pd.notna(r.value):
            params.setdefault(r.species, {})[str(r.parameter)] = float(r.value)
    raw = {"title": title, "duration_h": float(duration), "dose": doses}
    for k in ("output_step_h", "patient", "options", "description"):
        if k in current:
            raw[k] = current[k]
    if params:
        raw["parameters"] = params
    return raw


try:
    raw = build()
    scenario = parse_scenario(raw)
    good = True
except ScenarioError as err:
    st.error(f"This scenario cannot be simulated: {page.plain(err)}. The plots show the last valid scenario.")
    scenario, good = parse_scenario(current), False
toml_text = scenario_to_toml(scenario)
if good:
    editor.edited(raw, toml_text)
try:
    result = page.run_scenario(scenario)
except ScenarioError as err:  # over the cost budget
    st.error(f"This scenario cannot be simulated: {page.plain(err)}")
    st.stop()

b1, b2, b3 = st.columns(3)
b1.download_button(
    "Download this scenario (TOML)",
    toml_text,
    f"{page.slug(scenario.title)}.toml",
    "application/toml",
    key=P + "dl_toml",
    on_click="ignore",
    icon=":material/download:",
)
if b2.button("Keep as comparison (B)", key=P + "keep", help="Freeze the current scenario as a dashed overlay."):
    editor.compare = toml_text
if b3.button("Clear comparison", key=P + "clear", disabled=editor.compare is None):
    editor.compare = None
link = editor.link(toml_text)  # empty when too long for a link: share the TOML file instead

other = None
if editor.compare is not None:
    try:  # a comparison that cannot run is reported on its own; scenario A is still shown
        other = page.run_scenario(parse_scenario_bytes(editor.compare.encode("utf-8")))
    except ScenarioError as err:
        st.error(f"The comparison (B) cannot be simulated, so only A is shown: {page.plain(err)}")
name_b = other.scenario.title + " (B)" if other is not None else ""
table = result.table
both = (
    table.assign(scenario="A")
    if other is None
    else pd.concat([table.assign(scenario="A"), other.table.assign(scenario="B")], ignore_index=True)
)
table_b = other.table if other is not None else None
ch = result.challenges
judged = ch.blocked.dropna()
page.headline(
    f"{scenario.title}: {int(judged.sum())} of {len(judged)} agonist doses blocked"
    + (f" (ratios {', '.join(f'{r:.2f}' for r in ch.ratio.dropna())})." if len(judged) else ".")
    if len(ch)
    else f"{scenario.title}: peak reward {table.reward.max():.2f}, lowest breathing {table.respiratory_drive.min():.2f}."
)
with figure:  # the plot and its numbers
    st.caption(
        f"A (solid): {page.plain(scenario.title)}"
        + (f"  |  B (dashed): {page.plain(name_b)}" if other is not None else "")
    )
    page.plot(
        "overlay",
        scenario.title,
        drawings.overlay(table, table_b, "A", "B"),
        both,
        result if other is None else None,
        arms=[scenario, other.scenario] if other is not None else (),
    )
    st.markdown("**Agonist challenges** (increments are peak reward rises, 0-1; blocked = ratio <= 0.25)")
    state.store_plot_data("challenges", result.challenges)
    st.dataframe(result.challenges, hide_index=True, width="stretch")
    if other is not None and not other.challenges.empty:
        st.markdown("**Agonist challenges of B** (the comparison)")
        st.dataframe(other.challenges, hide_index=True, width="stretch")
page.timecourse("timecourse", scenario.title, table, ("plasma", "occupancy", "reward"), result=result)
research.panel(result)

st.header("Parameters, with units and sources")
ptab = parameter_table()
sp_pick = SPECIES.widget()
controls.write_url(P, extra=link)
st.dataframe(ptab if sp_pick == "all" else ptab[ptab.species == sp_pick], hide_index=True, width="stretch")

st.header("The model")
st.markdown("**Pharmacokinetics** (linear, per molecule; oral and depot routes feed first-order chains):")
st.latex(
    r"\frac{dA_c}{dt} = \text{inputs} - \frac{CL}{V_1}A_c - Q\left(\frac{A_c}{V_1}-\frac{A_p}{V_2}\right),"
    r"\qquad \frac{dC_e}{dt} = k_{e0}\,(K_{p,uu}\, f_u\, C_p - C_e)"
)
st.markdown("**Receptor binding**: every ligand competes for the same receptors (brain concentrations in nM):")
st.latex(
    r"\frac{dB_i}{dt} = k_{on,i}\, C_i\, R_{free} - k_{off,i}\, B_i,\qquad R_{free} = R_{total} - \sum_j B_j,"
    r"\qquad K_{d,i} = k_{off,i}/k_{on,i}"
)
st.latex(r"B_i^{eq} = R_{total}\,\frac{C_i/K_i}{1 + \sum_j C_j/K_j}")
st.markdown("**Response** (operational model, Black and Leff 1983):")
st.latex(
    r"S = \sum_i \tau_i B_i,\qquad \text{reward} = \frac{S^n}{1+S^n},\qquad"
    r"\text{blockade} = 1 - \frac{\text{reward}_{with}}{\text{reward}_{without}}"
)
st.markdown("**Alcohol**: Michaelis-Menten elimination; beta-endorphin released in proportion to blood alcohol.")
st.latex(r"\frac{dC_{EtOH}}{dt} = \text{absorption} - \frac{V_{max}\,C_{EtOH}}{K_m + C_{EtOH}}")

st.header("Assumptions and limits")
st.markdown("""
- One pool of mu-opioid receptors; every ligand competes for the same site (no allosteric effects, no other receptors).
- Linear pharmacokinetics between doses (alcohol aside); average adults; between-person variability only when the
  population option is on.
- In-vivo affinities and efficacies are **calibrated** to the human data on the validation page; they are not
  membrane-binding constants. The reward scale (0-1) is a model construct, not a measured feeling.
- Receptor up- and down-regulation only when the adaptation option is on; tolerance of reward and of breathing
  grows over days of use (one dose leaves little) and mostly fades within one to two weeks without opioids
  (respiratory drive is in the downloads, not in these plots).
- Only part of alcohol's reward runs through the opioid receptors (`ethanol.opioid_share_of_reward`).
- Teaching model: **not for clinical decisions**.
""")
st.header("References")
st.markdown("""
1. Black JW, Leff P 1983 Proc R Soc Lond B 220:141, doi:10.1098/rspb.1983.0093 (operational model).
2. Arunlakshana O, Schild HO 1959 Br J Pharmacol 14:48 (Schild analysis).
3. Rabiner EA et al. 2011 Mol Psychiatry 16:826, doi:10.1038/mp.2011.29 (PET occupancy).
4. Lee MC et al. 1988 J Nucl Med 29:1207 (duration of receptor blockade).
5. Revia (naltrexone) and Vivitrol labels; Comer SD et al. 2002 Psychopharmacology 159:351 (XR naltrexone).
6. Every parameter's own source is in the parameter table above.
""")
KD_CLAIMS = claims.kd_doubling(
    page.run(DEFAULT).challenges,
    page.run({**DEFAULT, "parameters": {"naltrexone": {"kd_nm": 2 * molecules()["naltrexone"]["kd_nm"]}}}).challenges,
)
page.predict(
    P + "q1",
    "Double naltrexone's Kd (weaker binding): what happens to the heroin challenges of the "
    "starting scenario (25 mg IV at 24, 48 and 72 h after a 50 mg tablet)?",
    ["They are blocked better", "They get through more easily", "Nothing changes"],
    1,
    "A larger Kd means naltrexone needs twice the concentration to hold the same share of receptors, so "
    f"{page.stated(*KD_CLAIMS)}. Press the button below to run it: the doubled Kd becomes A, the scenario before it B.",
)
st.button(
    "Try it: double naltrexone's Kd",
    key=P + "try_kd",
    on_click=editor.double_kd,
    help="Keeps the current scenario as comparison B and loads it again with naltrexone's kd_nm doubled "
    "(a parameter override you can edit above).",
)
page.why(
    "The workbench runs exactly the same model as the teaching pages and the command line "
    "(`python -m model run file.toml`); files saved here load there and back."
)
