"""Molecule data: parameters with units, bounds and sources, loaded once from TOML files.

Each file in ``model/data/molecules`` describes one circulating species (its ``id`` is the
species id used in columns and overrides). Every parameter is a table with ``value``, ``unit``,
``min``, ``max``, ``tag`` (measured | derived | calibrated | illustrative) and ``source``.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from types import MappingProxyType

import pandas as pd

DATA_DIR = Path(__file__).parent / "data"
TAGS = ("measured", "derived", "calibrated", "illustrative")
ROLES = ("antagonist", "agonist", "partial_agonist", "none")
ROUTE_KINDS = ("iv", "first_order", "xr_microspheres", "implant", "alcohol")

LINE_STYLES = ("-", "--", "-.", ":")


class _DrugSpecies(Mapping[str, str]):
    """What a user takes -> the species it puts into the body, read from each molecule's ``drug``."""

    def _map(self) -> dict[str, str]:
        return {m.drug: m.id for m in sorted(molecules().values(), key=lambda m: m.palette) if m.drug}

    def __getitem__(self, drug: str) -> str:
        return self._map()[drug]

    def __iter__(self) -> Iterator[str]:
        return iter(self._map())

    def __len__(self) -> int:
        return len(self._map())


DRUG_SPECIES: Mapping[str, str] = _DrugSpecies()
#: Species whose molecule carries the antagonist blockade that the counterfactual removes.
NALTREXONE_SPECIES = ("naltrexone", "naltrexol")


@dataclass(frozen=True)
class Parameter:
    """One documented number: value in ``unit``, allowed override range, and where it comes from."""

    name: str
    value: float
    unit: str
    min: float
    max: float
    tag: str
    source: str

    def with_value(self, value: float) -> Parameter:
        """Copy with a new value (range-checked by the caller)."""
        return Parameter(self.name, float(value), self.unit, self.min, self.max, self.tag, self.source)


@dataclass(frozen=True)
class Route:
    """A way a molecule is given: ``kind`` selects the depot model; ``max_dose`` guards input."""

    name: str
    kind: str
    max_dose: float
    dose_unit: str  # "mg" or "g"


@dataclass(frozen=True)
class TeachingUse:
    """A user-facing drug's place in the lessons: typical single dose and regular (chronic) use.

    ``order`` is its place in the lessons' lists; ``dose`` is (route, mg); ``chronic`` is (route, mg,
    every_h). Each comes with a tag and source in the molecule's file.
    """

    order: int
    dose: tuple[str, float]
    chronic: tuple[str, float, float]


@dataclass(frozen=True)
class Molecule:
    """A circulating species with its parameters (by name) and the routes it can be given by."""

    id: str
    name: str
    role: str
    summary: str
    parameters: Mapping[str, Parameter]
    routes: Mapping[str, Route]
    drug: str | None = None  # name in scenario files when a user can take it
    label: str = ""  # readable name in plots and tables
    palette: int = 0  # slot in the app's colour-blind-safe palette (ui/theme.py)
    line: str = "-"  # matplotlib line style
    teaching: TeachingUse | None = None  # the lessons' typical dose and chronic use ([teaching])

    def __getitem__(self, name: str) -> float:
        return self.parameters[name].value

    def get(self, name: str, default: float = 0.0) -> float:
        p = self.parameters.get(name)
        return default if p is None else p.value

    @property
    def binds(self) -> bool:
        return "kd_nm" in self.parameters

    def with_overrides(self, overrides: Mapping[str, float]) -> Molecule:
        """Copy with some parameter values replaced; raises ValueError naming the bad key."""
        params = dict(self.parameters)
        for key, value in overrides.items():
            if key not in params:
                raise ValueError(f"parameters.{self.id}.{key}: unknown parameter; known: {', '.join(sorted(params))}")
            p = params[key]
            if not (isinstance(value, (int, float)) and not isinstance(value, bool)):
                raise ValueError(f"parameters.{self.id}.{key}: must be a number, got {value!r}")
            if not (math.isfinite(value) and p.min <= value <= p.max):
                raise ValueError(
                    f"parameters.{self.id}.{key}: {value!r} outside the allowed range [{p.min:g}, {p.max:g}] {p.unit}"
                )
            params[key] = p.with_value(value)
        for group in fraction_groups(tuple(params)):
            if overrides.keys() & set(group) and sum(params[k].value for k in group) > 1 + 1e-12:
                raise ValueError(
                    f"parameters.{self.id}: {' + '.join(group)} = "
                    f"{sum(params[k].value for k in group):g}; shares of one dose must sum to at most 1"
                )
        return replace(self, parameters=MappingProxyType(params))


@cache
def fraction_groups(names: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Groups of parameters that split one dose, so each group sums to at most 1.

    Shares metabolised to each product; a route's bioavailability with its first-pass products; a
    depot's release fractions (``xr_burst_fraction``, ``xr_diffusion_fraction``).
    """
    groups = [tuple(n for n in names if n.startswith("fraction_metabolised_to_"))]
    for n in names:
        if n.endswith("_bioavailability"):
            route = n[: -len("_bioavailability")]
            groups.append((n, *(m for m in names if m.startswith(f"{route}_first_pass_to_"))))
    for prefix in sorted({n.split("_", 1)[0] for n in names if n.endswith("_fraction") and "_" in n[:-9]}):
        groups.append(tuple(n for n in names if n.startswith(prefix + "_") and n.endswith("_fraction")))
    return [g for g in groups if len(g) > 1]


def parse_parameter(where: str, name: str, raw: object) -> Parameter:
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: parameter {name} must be a table")
    missing = {"value", "unit", "min", "max", "tag", "source"} - raw.keys()
    if missing:
        raise ValueError(f"{where}: parameter {name} lacks {', '.join(sorted(missing))}")
    value, lo, hi = (float(raw[k]) for k in ("value", "min", "max"))
    if not all(math.isfinite(v) for v in (value, lo, hi)) or not lo <= value <= hi:
        raise ValueError(f"{where}: parameter {name} = {value} outside [{lo}, {hi}]")
    if raw["tag"] not in TAGS:
        raise ValueError(f"{where}: parameter {name} has tag {raw['tag']!r}; use one of {TAGS}")
    if not str(raw["source"]).strip():
        raise ValueError(f"{where}: parameter {name} has no source")
    return Parameter(name, value, str(raw["unit"]), lo, hi, raw["tag"], str(raw["source"]))


def _parse_molecule(path: Path) -> Molecule:
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    where = path.name
    if raw.get("id") != path.stem:
        raise ValueError(f"{where}: id must equal the file name")
    if raw.get("role") not in ROLES:
        raise ValueError(f"{where}: role must be one of {ROLES}")
    params = {name: parse_parameter(where, name, value) for name, value in raw.get("parameters", {}).items()}
    if "molar_mass_g_per_mol" not in params:
        raise ValueError(f"{where}: molar_mass_g_per_mol is required")
    routes = {}
    for rname, r in raw.get("routes", {}).items():
        if r.get("kind") not in ROUTE_KINDS:
            raise ValueError(f"{where}: route {rname} kind must be one of {ROUTE_KINDS}")
        unit = "g" if "max_dose_g" in r else "mg"
        routes[rname] = Route(rname, r["kind"], float(r.get("max_dose_g", r.get("max_dose_mg", 0))), unit)
    shown = raw.get("display", {})
    if not isinstance(shown.get("palette"), int) or shown.get("line") not in LINE_STYLES or not shown.get("label"):
        raise ValueError(f"{where}: [display] needs label, an integer palette slot and a line style in {LINE_STYLES}")
    return Molecule(
        raw["id"],
        raw["name"],
        raw["role"],
        raw.get("summary", ""),
        MappingProxyType(params),
        MappingProxyType(routes),
        raw.get("drug"),
        str(shown["label"]),
        shown["palette"],
        shown["line"],
        _parse_teaching(where, raw.get("teaching"), routes),
    )


def _parse_teaching(where: str, raw: object, routes: Mapping[str, Route]) -> TeachingUse | None:
    """The [teaching] table: order, dose = {route, amount_mg, tag, source}, chronic_use (+ every_h)."""
    if raw is None:
        return None
    if not isinstance(raw, dict) or not isinstance(raw.get("order"), int) or raw["order"] < 1:
        raise ValueError(f"{where}: [teaching] needs order (a positive integer), dose and chronic_use")

    def use(key: str, every: bool) -> tuple:
        v = raw.get(key)
        if not isinstance(v, dict) or v.get("route") not in routes:
            raise ValueError(f"{where}: [teaching] {key} needs a route of this molecule ({', '.join(routes)})")
        if v.get("tag") not in TAGS or not str(v.get("source", "")).strip():
            raise ValueError(f"{where}: [teaching] {key} needs a tag in {TAGS} and a source")
        numbers = [v.get("amount_mg")] + ([v.get("every_h")] if every else [])
        if not all(isinstance(x, (int, float)) and not isinstance(x, bool) and 0 < x < math.inf for x in numbers):
            raise ValueError(f"{where}: [teaching] {key} needs amount_mg{' and every_h' if every else ''} > 0")
        if numbers[0] > routes[v["route"]].max_dose:
            raise ValueError(f"{where}: [teaching] {key} amount_mg above the route's max_dose_mg")
        return (v["route"], *map(float, numbers))

    return TeachingUse(raw["order"], use("dose", False), use("chronic_use", True))


@cache
def molecules() -> Mapping[str, Molecule]:
    """All molecules by species id, parsed and validated once."""
    found = {p.stem: _parse_molecule(p) for p in sorted((DATA_DIR / "molecules").glob("*.toml"))}
    return MappingProxyType(found)


@cache
def response_parameters() -> Mapping[str, Parameter]:
    """Parameters of the shared stimulus -> reward transducer."""
    raw = tomllib.loads((DATA_DIR / "response.toml").read_text(encoding="utf-8"))
    return MappingProxyType({n: parse_parameter("response.toml", n, v) for n, v in raw["parameters"].items()})


def parameter_table() -> pd.DataFrame:
    """Every parameter of every molecule and of the response, with unit, tag, allowed range and source."""
    return _parameter_table().copy()


@cache
def _parameter_table() -> pd.DataFrame:
    owned = [(sp, p) for sp, m in molecules().items() for p in m.parameters.values()]
    owned += [("response", p) for p in response_parameters().values()]
    return pd.DataFrame(
        {
            "species": [sp for sp, _ in owned],
            "parameter": [p.name for _, p in owned],
            "value": [p.value for _, p in owned],
            "unit": [p.unit for _, p in owned],
            "tag": [p.tag for _, p in owned],
            "min": [p.min for _, p in owned],
            "max": [p.max for _, p in owned],
            "source": [p.source for _, p in owned],
        }
    )


def drug_routes(drug: str) -> Mapping[str, Route]:
    """Routes by which a user-facing drug can be taken."""
    return molecules()[DRUG_SPECIES[drug]].routes
