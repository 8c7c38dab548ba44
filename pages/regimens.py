"""Regimens and adherence: daily tablets vs monthly injection vs implant, missed doses, days protected."""

import pandas as pd
import streamlit as st

from model import lessons, parse_scenario
from model.lessons import claims
from ui import page, population, state
from ui.boot import via_app
from ui.controls import Control, bind_all
from ui.drawings import regimens as drawings

via_app()

P = "reg_"
KINDS = {"oral daily": "oral", "monthly injection": "im_xr", "implant": "implant"}
#: Starting settings: real-world oral adherence is often below 50 %; injections are missed less often.
TABLETS_PCT, INJECTIONS_PCT = 40, 80


@st.cache_data(max_entries=4, show_spinner=False)
def missed_tablets() -> pd.DataFrame:
    """25 mg IV heroin at the trough after 0-7 tablets missed in a row (cached)."""
    return lessons.missed_tablets_table(simulate_fn=page.run_scenario)


gaps = missed_tablets()
lost_after = int(gaps.missed_tablets[~gaps.blocked].iloc[0]) if (~gaps.blocked).any() else None
n_text = f"{lost_after} missed tablets in a row" if lost_after else "a week of missed tablets"
COVERED = {None: "Missed tablets are", 1: "No missed tablet is", 2: "One missed tablet is"}.get(
    lost_after, f"Up to {(lost_after or 1) - 1} missed tablets in a row are"
)
page.lesson(
    "Regimens and adherence",
    "A daily tablet keeps the blockade only while few tablets are missed: after "
    f"{page.stated(claims.tablets_to_lose_blockade(gaps))} an ordinary heroin dose "
    "gets through. An injection or implant keeps a steady level for weeks, and injections are missed less often "
    "than tablets. Compare the days protected against a 25 mg heroin dose with the days on which 90 % of "
    "receptors are blocked.",
)

DAYS = Control(P + "days", 90, "Days simulated", lo=30, hi=180, step=10)
TABLETS = Control(
    P + "tablets",
    TABLETS_PCT,
    "Tablets taken (%)",
    lo=0,
    hi=100,
    step=5,
    help="Each daily 50 mg tablet is taken with this probability; the seed fixes which are missed. "
    "Real-world oral adherence in opioid use disorder is often below 50 %: in the trials reviewed "
    "by Minozzi S et al. 2011 (Cochrane Database Syst Rev CD001333) fewer than a third of patients "
    f"stayed on oral naltrexone; {TABLETS_PCT} % is a cautious starting value.",
)
INJECTIONS = Control(
    P + "injections",
    INJECTIONS_PCT,
    "Injections received (%)",
    lo=0,
    hi=100,
    step=5,
    help="Each monthly 380 mg injection is received with this probability. One visit covers a "
    "month, so injections are missed less often than tablets: in Krupitsky E et al. 2011 "
    "(Lancet 377:1506) about half the patients on monthly injections stayed for the whole 24 "
    f"weeks; {INJECTIONS_PCT} % is an illustrative starting value.",
)
SEED = Control(P + "seed", 1, "Random seed (which doses are missed)", "number", lo=0, hi=9999, step=1)
IMPLANT_MG = Control(
    P + "implant_mg",
    1700,
    "Implant naltrexone (mg)",
    lo=500,
    hi=4000,
    step=100,
    help="Hulse 2004 used a 1.7 g implant (plasma > 2 ng/mL for ~90 days).",
)
IMPLANT_MONTHS = Control(
    P + "implant_months",
    5.0,
    "Implant release period (months)",
    lo=1.0,
    hi=12.0,
    step=0.5,
    help=page.param_help("naltrexone", "implant_release_fraction_in_period"),
)
bind_all(DAYS, TABLETS, INJECTIONS, SEED, IMPLANT_MG, IMPLANT_MONTHS)
population.bind(P)
state.presets(
    P + "preset",
    {
        "Every dose taken, 90 days": {P + "days": 90, P + "tablets": 100, P + "injections": 100},
        f"Real world: tablets {TABLETS_PCT} %, injections {INJECTIONS_PCT} %, 90 days": {
            P + "days": 90,
            P + "tablets": TABLETS_PCT,
            P + "injections": INJECTIONS_PCT,
        },
        "Good tablet adherence (80 %), 90 days": {P + "days": 90, P + "tablets": 80, P + "injections": 100},
        "Poor adherence (20 % tablets, 60 % injections), 180 days": {
            P + "days": 180,
            P + "tablets": 20,
            P + "injections": 60,
        },
    },
)
c1, c2, c3, c4 = st.columns(4)
DAYS.widget(c1)
TABLETS.widget(c2)
INJECTIONS.widget(c3)
SEED.widget(c4)
with st.expander("Implant settings"):
    IMPLANT_MG.widget()
    IMPLANT_MONTHS.widget()
show_band = population.toggle(P)
state.write_url(P)

days = DAYS.value
tablets = max(TABLETS.value, 0.1) / 100
injections = max(INJECTIONS.value, 0.1) / 100
share = {"oral daily": tablets, "monthly injection": injections, "implant": 1.0}
BAND_FOR = "monthly injection"  # daily tablets swing every day: their band would hide the curves


def regimen(name: str, taken: float) -> dict:
    """The raw scenario of one regimen with this share of its doses taken."""
    return {
        "title": f"{name}, {days} days, {taken:.0%} of doses taken",
        "duration_h": 24.0 * days,
        "output_step_h": 1.0,
        "options": {"seed": int(SEED.value) if taken < 1 else 1},  # no dose left to chance
        "dose": lessons.regimen_doses(
            KINDS[name],
            days,
            taken,
            implant_mg=float(IMPLANT_MG.value),
            implant_months=float(IMPLANT_MONTHS.value),
            attendance=taken,
        ),
    }


tables, protected, rows, bands = {}, {}, [], None
for name in KINDS:
    raw = regimen(name, share[name])
    tables[name] = page.run(raw).table
    if show_band and name == BAND_FOR:
        bands = population.bands(raw)
    protected[name] = page.protection_table(raw)
    p = protected[name]
    every = int(page.protection_table(regimen(name, 1.0)).protected.sum())
    rows.append(
        {
            "regimen": name,
            "days": days,
            "doses_taken_pct": round(100 * share[name]),
            "days_protected": int(p.protected.sum()),
            "days_protected_every_dose_taken": every,
            "days_lost_to_missed_doses": every - int(p.protected.sum()),
            "days_occupancy_ge_90": int(p.occupancy_ge_90.sum()),
            "days_lowest_plasma_ge_1_ng_per_ml": int((p.naltrexone_plasma_ng_per_ml >= 1).sum()),
        }
    )
summary = pd.DataFrame(rows)
title = f"Naltrexone regimens over {days} days, tablets {tablets:.0%} taken, injections {injections:.0%} received"

long = pd.concat(
    [
        t[["time_h", "naltrexone_plasma_ng_per_ml", "naltrexol_plasma_ng_per_ml", "occupancy_antagonist"]].assign(
            regimen=n
        )
        for n, t in tables.items()
    ],
    ignore_index=True,
)
if bands is not None:  # the band travels with the plot's data (and its CSV), on the rows of its regimen
    mine = long.regimen == BAND_FOR
    for c in bands:
        if c != "time_h" and c.startswith(("naltrexone_plasma_ng_per_ml_", "occupancy_antagonist_")):
            long.loc[mine, f"population_{c}"] = bands[c].to_numpy()
arms = [parse_scenario(regimen(name, share[name])) for name in KINDS]  # the scenario of each regimen
if bands is not None:
    arms.append(population.scenario(regimen(BAND_FOR, share[BAND_FOR])))
page.plot("regimens", title, drawings.regimens(tables, protected, bands, BAND_FOR), long, arms=arms)
if bands is not None:
    st.caption(
        f"Shaded band (top two panels), for the monthly injection only (daily tablets swing too much from day "
        f"to day for a readable band): 5-95 % of {population.PEOPLE} people, each with their own drug handling "
        "and their own missed injections; the dotted line is their median."
    )
page.headline(
    f"Days protected out of {days}: "
    + ", ".join(f"{r.regimen} {r.days_protected}" for r in summary.itertuples())
    + f" (tablets {tablets:.0%} taken, injections {injections:.0%} received)."
)
st.subheader("Days protected")
with page.stage():
    page.plot("protection", title, drawings.protection_bars(summary), summary, arms=arms)
st.caption(
    "A day counts as protected when 25 mg IV heroin, taken at that day's lowest naltrexone level, "
    "would be blocked (its effect at most 25 % of the effect without naltrexone). The table adds the days "
    "the same regimen would protect if every dose were taken."
)
st.dataframe(  # the columns that carry the message first: on a phone they are the ones in view
    summary,
    hide_index=True,
    width="stretch",
    column_order=["regimen", "days_protected", "days_protected_every_dose_taken", "days"]
    + [c for c in summary.columns if c not in ("regimen", "days_protected", "days_protected_every_dose_taken", "days")],
)

st.subheader("How many missed tablets lose the blockade?")
state.store_plot_data("missed_tablets", gaps)
m1, m2 = st.columns([1, 2])
m1.metric(
    "Missed tablets in a row that lose the blockade",
    str(lost_after) if lost_after is not None else "more than 7",
    help="After two weeks of daily 50 mg tablets: the fewest tablets missed in a row after which 25 mg IV "
    "heroin, taken just before the next tablet is due, is no longer blocked.",
)
m2.dataframe(
    gaps.assign(heroin_ratio=gaps.heroin_ratio.round(3)),
    hide_index=True,
    height=180,
    column_order=["missed_tablets", "blocked", "heroin_ratio"]
    + [c for c in gaps.columns if c not in ("missed_tablets", "blocked", "heroin_ratio")],
    column_config={
        "hours_since_last_tablet": "hours since the last tablet",
        "heroin_ratio": "heroin effect with / without",
        "missed_tablets": "tablets missed",
    },
)

page.predict(
    P + "q1",
    f"At the starting settings (tablets {TABLETS_PCT} % taken, injections {INJECTIONS_PCT} % "
    "received, 90 days), which regimen loses the most protected days compared with taking every dose?",
    ["Daily tablets", "Monthly injection", "Implant"],
    0,
    f"{COVERED} covered by the days before, but {n_text} open a gap, and at "
    f"{TABLETS_PCT} % adherence such runs are common; a missed monthly injection opens a longer gap but "
    "only once in a while, and an implant cannot be missed at all. Compare with the table.",
)
LEVELS = [
    claims.steady_level(page.run(regimen(name, 1.0)).table, name, 2, 28)
    for name in ("monthly injection", "implant")
    if name in KINDS
]
page.why(
    "Oral naltrexone's plasma half-life is a few hours, but its receptor blockade lasts days because naltrexone "
    "itself leaves the brain slowly (its metabolite 6-beta-naltrexol lasts longer in blood but barely enters the "
    "brain and adds little). The monthly injection and the implant release naltrexone steadily, with every dose "
    f"taken: {page.stated(*LEVELS)}, enough to block a 25 mg heroin dose (peaks in the first days after an "
    "injection are higher). Receptor occupancy of 90 % is a stricter yardstick than protection against one "
    "ordinary dose: it is not needed to block 25 mg. The table's plasma column counts days whose lowest level "
    "is at least 1 ng/mL, so tablets, which fall below it between doses, count none."
)
