"""Cravings and relapse: weeks of use episodes with and without naltrexone; kept vs missed doses."""

import pandas as pd
import streamlit as st

from model import lessons
from model.lessons import claims
from ui import page, population, state
from ui.boot import via_app
from ui.controls import Control, bind_all
from ui.drawings import craving as drawings
from ui.theme import colour_name

via_app()

P = "crv_"
PLANS = list(lessons.CRAVING_PLANS)
present = page.lesson(
    "Cravings and relapse",
    "Every use episode teaches the brain how rewarding the drug is: while naltrexone blocks the high, the expected "
    "reward (craving) fades, and one missed injection or a run of missed tablets lets it climb back. "
    f"Compare the craving curves and look for the {colour_name('without')} crosses: episodes that were not blocked.",
)
st.caption(
    "The craving layer is **illustrative**: a simple learning rule (Rescorla-Wagner) on the model's reward, "
    "not a measured craving score."
)

WEEKS = Control(
    P + "weeks", 8, "Weeks simulated", lo=4, hi=12, step=1, help="Weeks of use episodes under each naltrexone plan."
)
HEROIN = Control(
    P + "heroin_mg",
    25,
    "Heroin per use episode (mg IV)",
    lo=5,
    hi=50,
    step=5,
    help="Each episode is one IV heroin dose; 25 mg is the label's test dose.",
)
EVERY = Control(
    P + "every_days",
    2.0,
    "Days between use episodes (days)",
    lo=1.0,
    hi=7.0,
    step=0.5,
    help="The person keeps using on this schedule whatever the naltrexone plan.",
)
ADHERENCE = Control(
    P + "adherence",
    70,
    "Tablets taken (% adherence)",
    lo=0,
    hi=100,
    step=5,
    help="Each daily 50 mg tablet is taken with this probability (taken_probability); the seed fixes which.",
)
SEED = Control(
    P + "seed",
    1,
    "Random seed (which tablets are missed)",
    "number",
    lo=0,
    hi=9999,
    step=1,
    help="Same seed, same missed tablets: the scenario is reproducible.",
)
SHOWN = Control(
    P + "shown",
    "daily tablets",
    "Show the episodes of",
    "selectbox",
    options=PLANS,
    help="The lower plot marks each use episode of this plan as blocked or not.",
)
bind_all(WEEKS, HEROIN, EVERY, ADHERENCE, SEED, SHOWN)
population.bind(P)
state.presets(
    P + "preset",
    {
        "Heroin every 2 days for 8 weeks, tablets 70 %": {
            P + "weeks": 8,
            P + "every_days": 2.0,
            P + "adherence": 70,
            P + "shown": "daily tablets",
        },
        "Missed second injection": {P + "weeks": 8, P + "every_days": 2.0, P + "shown": "second injection missed"},
        "Perfect tablets": {P + "weeks": 8, P + "every_days": 2.0, P + "adherence": 100, P + "shown": "daily tablets"},
        "Poor adherence (30 %), daily use": {
            P + "weeks": 8,
            P + "every_days": 1.0,
            P + "adherence": 30,
            P + "shown": "daily tablets",
        },
    },
)
c1, c2, c3 = st.columns(3)
WEEKS.widget(c1)
HEROIN.widget(c2)
EVERY.widget(c3)
d1, d2, d3 = st.columns(3)
ADHERENCE.widget(d1)
SEED.widget(d2)
SHOWN.widget(d3)
show_band = population.toggle(P)
state.write_url(P)

weeks, mg, every = WEEKS.value, HEROIN.value, EVERY.value
adherence = ADHERENCE.value / 100
seed, shown = int(SEED.value), SHOWN.value


def scenario(plan: str) -> dict:
    """The raw scenario of one plan (tolerant user, same use schedule)."""
    extra = f", {adherence:.0%} taken" if plan == "daily tablets" else ""
    return {
        "title": f"Heroin {mg} mg IV every {every:g} days for {weeks} weeks, {plan}{extra}",
        "duration_h": 24.0 * 7 * weeks,
        "output_step_h": 2.0,
        "patient": {"opioid_tolerant": True},
        "options": {"seed": seed},
        "dose": lessons.craving_doses(plan, weeks, float(mg), float(every), adherence),
    }


results = {plan: page.run(scenario(plan)) for plan in PLANS}
tables = {plan: r.table for plan, r in results.items()}
episodes = lessons.episode_table(results[shown])
bands = population.bands(scenario(shown)) if show_band else None

numbers = st.container()  # the key numbers: above the plot, below it on a projector (the plot first at 1280x720)
SHORT_NAMES = {
    "no naltrexone": "no naltrexone",
    "monthly injection kept": "injection kept",
    "second injection missed": "2nd injection missed",
    "daily tablets": f"tablets, {adherence:.0%} taken",
}
long = pd.concat(
    [t[["time_h", "craving", "craving_without_naltrexone"]].assign(plan=p) for p, t in tables.items()],
    ignore_index=True,
)
if bands is not None:
    mine = long.plan == shown
    for q in ("p05", "p50", "p95"):
        long.loc[mine, f"population_craving_{q}"] = bands[f"craving_{q}"].to_numpy()
title = f"Craving with heroin {mg} mg every {every:g} days for {weeks} weeks"
arms = [r.scenario for r in results.values()] + ([population.scenario(scenario(shown))] if bands is not None else [])
page.headline(
    f"Craving after {weeks} weeks: "
    + ", ".join(f"{SHORT_NAMES[plan]} {tables[plan].craving.iloc[-1]:.2f}" for plan in PLANS)
    + " (it starts at 0.5)."
)
with page.stage():
    page.plot(
        "craving",
        title,
        drawings.craving(tables, episodes, shown, bands),
        long,
        arms=arms,
    )
if present:
    numbers = st.container()
numbers.markdown(f"**Craving at week {weeks}** (expected reward, 0-1; it starts at 0.5)")
m = numbers.columns(5)
for col, plan in zip(m, PLANS):
    col.metric(
        SHORT_NAMES[plan],
        f"{tables[plan].craving.iloc[-1]:.2f}",
        help="Expected reward learnt from the use episodes (0-1, illustrative); 0.5 at the start.",
    )
m[4].metric(
    "Episodes not blocked",
    f"{int((~episodes.blocked).sum())} of {len(episodes)}",
    help=f"With {shown}. Blocked = the high was at most 25 % of the high without naltrexone.",
)

st.caption(
    f"Top: craving under each plan (the {colour_name('without')} dashed line is the same person without naltrexone). "
    f"Bottom: each use episode of the chosen plan; open {colour_name('with')} circles were blocked, "
    f"{colour_name('without')} crosses were not."
)
st.subheader("Use episodes")
state.store_plot_data("episodes", episodes)
page.downloads("episodes", f"Use episodes, {shown}", None, episodes, results[shown])
if not present:
    st.dataframe(episodes.round(3), hide_index=True, height=220)

page.predict(
    P + "q1",
    "A person on a kept monthly injection keeps using heroin every 2 days. What happens to craving?",
    ["It rises: more use, more craving", "It stays where it was", "It fades: each blocked high teaches less reward"],
    2,
    "Every blocked episode gives a small reward, so the expected reward drifts down (extinction). "
    "Missing the second injection lets unblocked highs teach the old reward again.",
)
page.why(
    "Craving is modelled as the reward the person expects, updated after every use episode by the Rescorla-Wagner "
    "rule (V <- V + alpha (r - V), r = the high actually felt). Under naltrexone the high is small, so the "
    "expectation falls, which is one explanation of why naltrexone helps people who keep taking it. An episode "
    "that gets through teaches the old reward again, more the fuller the high: here, "
    f"{page.stated(claims.episodes_through(episodes, shown))}. "
    "This layer is illustrative: its learning rate is not fitted to human craving scores."
)
