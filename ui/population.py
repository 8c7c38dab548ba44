"""The optional 'population band' switch: 5-95 % of simulated people under the single-patient curve."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from model import parse_scenario
from model.budget import affordable_people
from model.population import simulate_population
from model.scenario import Scenario, scenario_to_toml

from .controls import Control
from .page import ByteCache
from .runs import costly

#: People simulated for a band in the app (kept modest for speed; cached).
PEOPLE = 200


def control(prefix: str) -> Control:
    """The page's population switch."""
    return Control(
        prefix + "band",
        False,
        f"Show population band ({PEOPLE} people)",
        "toggle",
        help=f"Simulates {PEOPLE} people whose drug handling and receptors differ; draws the "
        "5-95 % range and the median under the single-patient curve.",
    )


def bind(prefix: str) -> None:
    """Seed the switch from the link (call with the page's other bindings)."""
    control(prefix).bind()


def toggle(prefix: str, container: Any = None) -> bool:
    """The switch; returns whether the band is wanted."""
    return bool(control(prefix).widget(container))


BANDS = ByteCache(64_000_000)


def scenario(raw: Mapping[str, Any]) -> Scenario:
    """The population scenario behind a band: ``raw`` with :data:`PEOPLE` people, fewer when the budget asks.

    Run on its own (``python -m model run``) it gives the single patient's columns and the band's.
    """
    scen = {**dict(raw), "options": {**dict(raw.get("options", {})), "population": PEOPLE}}
    s = parse_scenario(scen)
    people = affordable_people(s, PEOPLE)
    return s if people == PEOPLE else parse_scenario({**scen, "options": {**scen["options"], "population": people}})


def bands(raw: Mapping[str, Any]) -> pd.DataFrame | None:
    """Percentile bands of a raw scenario (see :func:`scenario`); None below 10 people."""
    s = scenario(raw)
    people = s.options.population
    if people < PEOPLE:
        st.caption(f"The band here uses {people} people: {PEOPLE} would take longer than one run may.")
        if people < 10:
            return None
    with st.spinner(f"Simulating {people} people ..."):
        return BANDS.get(scenario_to_toml(s), lambda: costly(s, lambda: simulate_population(s).bands))


def with_band(table: pd.DataFrame, bands: pd.DataFrame | None) -> pd.DataFrame:
    """``table`` with the band's percentiles beside it (``population_<column>_<p05|p50|p95>``).

    So the band travels with the plot's data and its CSV.
    """
    if bands is None:
        return table
    return table.assign(**{f"population_{c}": bands[c].to_numpy() for c in bands if c != "time_h"})
