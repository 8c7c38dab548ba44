"""The model as a function of named parameters: the forward-model contract of chi and PINTS.

A parameter is named ``species.name`` (``naltrexone.kd_nm``: ``python -m model drugs`` lists them).
:class:`ForwardModel` fixes a scenario and a list of such names; ``simulate(values, times)`` runs
the scenario with those values and returns the chosen output columns at the given times, an array
``(n_times, n_outputs)``. Sensitivity designs, the antagonists' refit and ``python -m model fit``
all name and override parameters through this module. Every run is one budgeted simulation.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

import numpy as np

from . import columns
from .drugs import DATA_DIR, Parameter, molecules
from .scenario import Options, Scenario, ScenarioError
from .simulation import Result, simulate

FIXED = {"molar_mass_g_per_mol"}  # physical constants: never varied or fitted
MAX_PARAMETERS = 12

Overrides = dict[str, dict[str, float]]


@cache
def plausible_ranges() -> dict[str, Any]:
    """The design and the plausible range (low, high, scale, reason) of each parameter (data/plausible_ranges.toml)."""
    raw = tomllib.loads((DATA_DIR / "plausible_ranges.toml").read_text(encoding="utf-8"))
    for key, v in raw["parameters"].items():
        p = parameter(key)
        if not (p.min <= v["low"] < v["high"] <= p.max) or not v.get("reason"):
            raise ValueError(f"plausible_ranges.toml: {key} needs low < high inside {p.min:g}..{p.max:g} and a reason")
    return raw


def parameter(name: str) -> Parameter:
    """The registered parameter ``species.name``; a clear error for an unknown or fixed one."""
    sp, _, pn = name.partition(".")
    mols = molecules()
    if sp not in mols:
        raise ScenarioError(f"parameter {name[:60]!r}: unknown species; use species.name (python -m model drugs)")
    if pn not in mols[sp].parameters:
        raise ScenarioError(f"parameter {name[:60]!r}: {sp} has no such parameter (python -m model drugs)")
    if pn in FIXED:
        raise ScenarioError(f"parameter {name[:60]!r}: a physical constant, not a model parameter")
    return mols[sp].parameters[pn]


def overrides(names: Sequence[str], values: Sequence[float]) -> Overrides:
    """``{species: {parameter: value}}`` from names ``species.name`` and values."""
    out: Overrides = {}
    for name, v in zip(names, values, strict=True):
        sp, _, pn = name.partition(".")
        out.setdefault(sp, {})[pn] = float(v)
    return out


def with_parameters(s: Scenario, over: Mapping[str, Mapping[str, float]]) -> Scenario:
    """The scenario with ``over`` on top of its own parameter overrides, each value checked against its guard."""
    for sp, kv in over.items():
        for pn, v in kv.items():
            p = parameter(f"{sp}.{pn}")
            if not (math.isfinite(v) and p.min <= v <= p.max):
                raise ScenarioError(f"parameter {sp}.{pn} = {v:g}: allowed {p.min:g}..{p.max:g} {p.unit}")
    merged: Overrides = {sp: dict(kv) for sp, kv in s.parameters.items()}
    for sp, kv in over.items():
        merged.setdefault(sp, {}).update(kv)
    return replace(s, parameters=merged)


def single_person(s: Scenario) -> Scenario:
    """The scenario for one typical person (any population option dropped)."""
    return replace(s, options=Options(adaptation=s.options.adaptation, seed=s.options.seed, population=0))


def bounds(names: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """(low, high) of each parameter: its plausible range where registered, else its input guard."""
    ranges = plausible_ranges()["parameters"]
    lo, hi = [], []
    for n in names:
        p = parameter(n)
        r = ranges.get(n)
        lo.append(r["low"] if r else p.min)
        hi.append(r["high"] if r else p.max)
    return np.array(lo, float), np.array(hi, float)


@dataclass(frozen=True)
class ForwardModel:
    """A scenario as a function of ``parameter_names``, observed through ``output_names`` (output columns)."""

    scenario: Scenario
    parameter_names: tuple[str, ...]
    output_names: tuple[str, ...] = ("reward",)

    def __post_init__(self) -> None:
        if not 1 <= len(self.parameter_names) <= MAX_PARAMETERS:
            raise ScenarioError(f"--parameters: give 1 to {MAX_PARAMETERS} parameter names")
        if len(set(self.parameter_names)) != len(self.parameter_names):
            raise ScenarioError("--parameters: a parameter is named twice")
        for n in self.parameter_names:
            parameter(n)
        for c in self.output_names:
            entry = columns.lookup(c)
            if entry is None or entry.table != "curves" or c == "time_h":
                raise ScenarioError(f"output {c[:60]!r} is not an output column (python -m model columns)")
        object.__setattr__(self, "scenario", single_person(self.scenario))

    def n_parameters(self) -> int:
        return len(self.parameter_names)

    def n_outputs(self) -> int:
        return len(self.output_names)

    def parameters(self) -> list[str]:
        """The parameter names, in the order ``simulate`` takes their values."""
        return list(self.parameter_names)

    def outputs(self) -> list[str]:
        """The output column names, in the order of ``simulate``'s columns."""
        return list(self.output_names)

    def values(self) -> np.ndarray:
        """Each parameter's value in the scenario (its own override, else the registered value)."""
        return np.array(
            [
                self.scenario.parameters.get(n.partition(".")[0], {}).get(n.partition(".")[2], parameter(n).value)
                for n in self.parameter_names
            ],
            float,
        )

    def run(self, values: Sequence[float]) -> Result:
        """One budgeted simulation with these parameter values."""
        return simulate(with_parameters(self.scenario, overrides(self.parameter_names, values)))

    def simulate(self, values: Sequence[float], times: Sequence[float]) -> np.ndarray:
        """Outputs at ``times`` (h, inside the run), linear between output rows: shape (n_times, n_outputs)."""
        t = np.asarray(times, float)
        if (
            t.ndim != 1
            or not np.all(np.isfinite(t))
            or t.min(initial=0.0) < 0
            or t.max(initial=0.0) > self.scenario.duration_h
        ):
            raise ScenarioError(f"times: finite hours within the run (0..{self.scenario.duration_h:g} h)")
        table = self.run(values).table
        tt = table["time_h"].to_numpy(float)
        out = np.column_stack([np.interp(t, tt, table[c].to_numpy(float)) for c in self.output_names])
        if not np.all(np.isfinite(out)):
            raise ScenarioError("the run gave non-finite outputs for these parameter values")
        return out
