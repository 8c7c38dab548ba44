"""The optional 'population band' switch: 5-95 % of simulated people under the single-patient curve."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from model import parse_scenario
from model.population import simulate_population
from model.scenario import parse_scenario_bytes, scenario_to_toml

from .controls import Control

#: People simulated for a band in the app (kept modest for speed; cached).
PEOPLE = 200


def control(prefix: str) -> Control:
    """The page's population switch."""
    return Control(prefix + "band", False, f"Show population band ({PEOPLE} people)", "toggle",
                   help=f"Simulates {PEOPLE} people whose drug handling and receptors differ; draws the "
                        "5-95 % range and the median under the single-patient curve.")


def bind(prefix: str) -> None:
    """Seed the switch from the link (call with the page's other bindings)."""
    control(prefix).bind()


def toggle(prefix: str, container: Any = None) -> bool:
    """The switch; returns whether the band is wanted."""
    return bool(control(prefix).widget(container))


@st.cache_data(max_entries=16, show_spinner=f"Simulating {PEOPLE} people ...")
def _bands(toml_text: str) -> pd.DataFrame:
    return simulate_population(parse_scenario_bytes(toml_text.encode("utf-8"))).bands


def bands(raw: Mapping[str, Any]) -> pd.DataFrame:
    """Percentile bands of a raw scenario for :data:`PEOPLE` people."""
    scen = dict(raw)
    scen["options"] = {**dict(raw.get("options", {})), "population": PEOPLE}
    return _bands(scenario_to_toml(parse_scenario(scen)))
