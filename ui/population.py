"""The optional 'population band' switch: 5-95 % of simulated people under the single-patient curve."""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from model import parse_scenario
from model.scenario import parse_scenario_bytes, scenario_to_toml

from . import state

#: People simulated for a band in the app (kept modest for speed; cached).
PEOPLE = 200


def available() -> bool:
    """Whether the model's population layer (model/population.py) is installed."""
    return importlib.util.find_spec("model.population") is not None


def bind(prefix: str) -> None:
    """Seed the switch from the URL (call with the page's other bindings)."""
    state.bind(prefix + "band", False)


def toggle(prefix: str, container: Any = None) -> bool:
    """The switch (only when the population layer exists); returns whether the band is wanted."""
    if not available():
        return False
    (container or st).toggle(f"Show population band ({PEOPLE} people)", key=prefix + "band",
                             help=f"Simulates {PEOPLE} people whose drug handling and receptors differ; draws the "
                                  "5-95 % range and the median under the single-patient curve.")
    return bool(st.session_state.get(prefix + "band"))


@st.cache_data(max_entries=16, show_spinner="Simulating 200 people ...")
def _bands(toml_text: str) -> pd.DataFrame:
    from model.population import simulate_population

    return simulate_population(parse_scenario_bytes(toml_text.encode("utf-8"))).bands


def bands(raw: Mapping[str, Any]) -> pd.DataFrame | None:
    """Percentile bands of a raw scenario for :data:`PEOPLE` people (None if unavailable)."""
    if not available():
        return None
    scen = dict(raw)
    scen["options"] = {**dict(raw.get("options", {})), "population": PEOPLE}
    return _bands(scenario_to_toml(parse_scenario(scen)))
