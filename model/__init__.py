"""Naltrexone teaching model: competitive mu-opioid receptor occupancy and reward over time."""

from .scenario import Scenario, ScenarioError, load_scenario, parse_scenario
from .simulation import Result, simulate

__version__ = "0.3.0"
__all__ = ["Result", "Scenario", "ScenarioError", "load_scenario", "parse_scenario", "simulate", "__version__"]
