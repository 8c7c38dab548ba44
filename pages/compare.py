"""Compare agonists: full vs partial, fast vs slow dissociation, how much naltrexone each needs."""

import pandas as pd
import streamlit as st

from model import lessons
from model.lessons import claims
from ui import page, state
from ui.boot import via_app
from ui.controls import Control, bind_all
from ui.drawings import compare as drawings

via_app()

P = "cmp_"
page.lesson(
    "Compare agonists",
    "Full agonists (fentanyl, heroin, morphine, oxycodone, methadone) keep rising with the dose; buprenorphine, a "
    "partial agonist, levels off lower and lets go of the receptor slowly (try a larger dose multiple). How much "
    "naltrexone a dose needs depends on how many receptors it can take and how strongly each one signals, not on "
    "affinity alone, and bigger doses need more: the sentence above the chart names the one that needs the most.",
)


@st.cache_data(max_entries=16, show_spinner=False)
def comparison(factor: float, uses: tuple) -> pd.DataFrame:
    """Every agonist at ``factor`` times its teaching dose (cached on the doses ``uses`` too)."""
    return lessons.compare_agonists(dose_factor=factor)


FACTOR = Control(
    P + "factor",
    1.0,
    "Dose, as a multiple of the typical dose",
    "select_slider",
    options=[0.25, 0.5, 1.0, 2.0, 4.0, 8.0],
    help="Typical doses: " + ", ".join(f"{d} {m:g} mg {r}" for d, (r, m) in lessons.AGONIST_DOSES.items()),
)
LEVEL = Control(
    P + "ntx_level",
    2.0,
    "Steady naltrexone level to test (ng/mL plasma)",
    "select_slider",
    options=[0.1, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0],
    help="XR 380 mg gives about 1-2 ng/mL near day 28 (Comer 2002).",
)
bind_all(FACTOR, LEVEL)
state.presets(
    P + "preset",
    {
        "Typical doses": {P + "factor": 1.0},
        "Double doses": {P + "factor": 2.0},
        "Four times the typical dose": {P + "factor": 4.0},
    },
)
c1, c2 = st.columns(2)
FACTOR.widget(c1)
LEVEL.widget(c2)
state.write_url(P)

factor, level = float(FACTOR.value), float(LEVEL.value)
table = comparison(factor, tuple(lessons.AGONIST_DOSES.items()))
table["blocked_at_chosen_level"] = table.naltrexone_plasma_ng_per_ml_to_block <= level
curves = {}
for drug, (route, mg) in lessons.AGONIST_DOSES.items():
    r = page.run(
        {
            "title": drug,
            "duration_h": 12.0,
            "output_step_h": 0.05,
            "dose": [{"drug": drug, "route": route, "amount_mg": mg * factor, "at_h": [0.0]}],
        }
    )
    curves[drug] = r.table[["time_h", "reward_without_naltrexone", "occupancy_agonist"]]
title = f"Agonists at {factor:g} x typical dose"
long = pd.concat([c.assign(drug=d) for d, c in curves.items()], ignore_index=True)
state.store_plot_data("compare_curves", long)
need = table.set_index("drug").naltrexone_plasma_ng_per_ml_to_block
open_ = [d for d, ok in zip(table.drug, table.blocked_at_chosen_level) if not ok]
st.markdown(
    f"At **{factor:g} x** the typical dose, **{need.idxmax()}** needs the most naltrexone "
    f"({need.max():.2g} ng/mL) and **{need.idxmin()}** the least ({need.min():.2g} ng/mL). A steady "
    f"**{level:g} ng/mL** blocks **{len(table) - len(open_)} of {len(table)}**"
    + (f"; not blocked: {', '.join(open_)} (faint bars)." if open_ else ": every one.")
)
page.headline(
    f"At {factor:g} x the typical dose, {need.idxmax()} needs the most naltrexone ({need.max():.2g} ng/mL); "
    f"a steady {level:g} ng/mL blocks {len(table) - len(open_)} of {len(table)}."
)
with page.stage():
    page.plot("compare", title, drawings.compare(table, curves, level), table)

show = table.rename(
    columns={
        "dose_mg": "dose (mg)",
        "kd_nm": "Kd (nM)",
        "kd_tag": "Kd is",
        "tau": "efficacy tau",
        "tau_tag": "tau is",
        "dissociation_half_life_min": "stays bound, half-life (min)",
        "dissociation_tag": "half-life is",
        "naltrexone_brain_nm_to_block": "naltrexone to block (nM, brain)",
        "naltrexone_plasma_ng_per_ml_to_block": "naltrexone to block (ng/mL plasma)",
        "blocked_at_chosen_level": f"blocked at {level:g} ng/mL?",
    }
)
key = ["drug", "naltrexone to block (ng/mL plasma)", f"blocked at {level:g} ng/mL?"]  # first: in view on a phone
st.dataframe(
    show,
    hide_index=True,
    width="stretch",
    column_order=key + [c for c in show.columns if c not in key],
    column_config={c: st.column_config.NumberColumn(format="%.3g") for c in show.columns if show[c].dtype.kind == "f"},
)
st.caption(
    "The Kd and efficacy values are the model's in vivo values, not membrane binding constants: an agonist "
    "binds far more weakly in the living brain (sodium and GTP) than in a test tube, and full agonists act "
    "through a receptor reserve. **calibrated** = set so the model meets the human data on the Validation "
    "page; **illustrative** = a plausible teaching value, not measured; **measured** = from a study. "
    "Each value's source: the Workbench's parameter table or `python -m model drugs`."
)

page.predict(
    P + "q1",
    "Which agonist is hardest for naltrexone to push off the receptor once it is bound?",
    ["Heroin", "Fentanyl", "Buprenorphine"],
    2,
    "Buprenorphine binds very tightly and dissociates over hours; heroin and fentanyl let go in "
    "seconds to minutes and compete again almost at once.",
)
page.why(
    "An agonist's effect depends on how many receptors it holds (affinity, Kd) and how strongly each one "
    "signals (efficacy, tau). Full agonists with high efficacy need only a few receptors, so naltrexone must "
    "hold almost all of them. Buprenorphine's low efficacy caps its reward, and its slow dissociation means "
    "it keeps the receptors it holds even when naltrexone arrives: "
    f"{page.stated(claims.Claim('compare.needs_most', f'here {need.idxmax()} needs the most naltrexone ({need.max():.3g} ng/mL)', float(need.max())))}."
)
