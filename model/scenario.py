"""Scenario files (TOML): parse, validate with messages that name the key, expand regimens to doses.

A scenario is plain data. :func:`parse_scenario` turns a mapping (from TOML or a page) into a
frozen :class:`Scenario`; every error is a :class:`ScenarioError` whose message names the key and
the allowed range. :func:`dose_events` expands repeating schedules and missed doses (seeded).
"""

from __future__ import annotations

import math
import os
import re
import stat
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import tomli_w

from .drugs import DRUG_SPECIES, molecules
from .errors import ScenarioError
from .toml_shape import check_toml_shape

MAX_FILE_BYTES = 256_000
MAX_DURATION_H = 24 * 730.0
MAX_OUTPUT_ROWS = 100_000
MAX_DOSE_EVENTS = 5_000
MAX_POPULATION = 5_000
MIN_OUTPUT_STEP_H = 1 / 60
MAX_DOSE_TABLES = 1000
MIN_DOSE = 1e-9  # mg (g for alcohol); smaller amounts underflow in the binding step
TOP_KEYS = {"title", "description", "duration_h", "output_step_h", "dose", "patient", "parameters", "options"}
DOSE_KEYS = {
    "drug",
    "route",
    "amount_mg",
    "amount_g",
    "at_h",
    "every_h",
    "count",
    "start_h",
    "taken_probability",
    "release_months",
}
PATIENT_KEYS = {"weight_kg", "sex", "opioid_tolerant"}
OPTION_KEYS = {"adaptation", "seed", "population"}


@dataclass(frozen=True)
class Dose:
    """One ``[[dose]]`` entry: a drug, a route, an amount and either explicit times or a schedule."""

    drug: str
    route: str
    amount: float  # mg, or g for alcohol
    at_h: tuple[float, ...] = ()
    every_h: float = 0.0
    count: int = 0
    start_h: float = 0.0
    taken_probability: float = 1.0
    release_months: float = 6.0

    @property
    def species(self) -> str:
        return DRUG_SPECIES[self.drug]

    @property
    def amount_key(self) -> str:
        return "amount_g" if self.drug == "alcohol" else "amount_mg"

    def times_h(self) -> np.ndarray:
        """Scheduled times in hours (before any missed doses)."""
        if self.at_h:
            return np.asarray(self.at_h, dtype=float)
        return self.start_h + self.every_h * np.arange(self.count)


@dataclass(frozen=True)
class Patient:
    weight_kg: float = 70.0
    sex: str = "male"
    opioid_tolerant: bool = False


@dataclass(frozen=True)
class Options:
    adaptation: bool = False
    seed: int = 0
    population: int = 0


@dataclass(frozen=True)
class Scenario:
    """A whole experiment: doses over a time window for one patient, with optional overrides."""

    title: str
    duration_h: float
    doses: tuple[Dose, ...]
    output_step_h: float = 0.0  # 0: chosen from the duration
    patient: Patient = field(default_factory=Patient)
    parameters: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    options: Options = field(default_factory=Options)
    description: str = ""

    @property
    def step_h(self) -> float:
        """Output step in hours (the given one, or a default that suits the duration)."""
        if self.output_step_h > 0:
            return self.output_step_h
        if self.duration_h <= 24:
            return 0.05
        return 0.25 if self.duration_h <= 24 * 21 else 1.0

    def without_naltrexone(self) -> Scenario:
        """The counterfactual: the same scenario with the naltrexone doses removed."""
        return replace(self, doses=tuple(d for d in self.doses if d.drug != "naltrexone"))


@dataclass(frozen=True)
class DoseEvent:
    """One dose actually taken: species, route, time (h), amount (mg; g for alcohol)."""

    species: str
    route: str
    at_h: float
    amount: float
    release_months: float = 6.0


def _show(value: Any, limit: int = 60) -> str:
    """A short one-line repr of a user value for error messages."""
    try:
        text = repr(value)
    except RecursionError:  # pragma: no cover - only for pathological mappings built in code
        text = f"<{type(value).__name__}>"
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return text


def quoted(path: str | Path) -> str:
    """A path as written in messages: quoted, on one line, shortened."""
    return _show(str(path), 120)


def _key(name: Any) -> str:
    """A key as written in messages: plain names as they are, anything odd quoted and shortened."""
    text = str(name)
    if isinstance(name, str) and text.isprintable() and " " not in text and len(text) <= 60:
        return text
    return _show(name, 40)


def _number(where: str, value: Any, lo: float, hi: float, unit: str = "", *, integer: bool = False) -> float:
    ok_type = isinstance(value, int) if integer else isinstance(value, (int, float))
    if isinstance(value, bool) or not ok_type:
        kind = "a whole number" if integer else "a number"
        raise ScenarioError(f"{where}: must be {kind}, got {_show(value)}")
    try:
        finite = math.isfinite(value)
    except OverflowError:  # an integer too large for a float
        finite = False
    if not finite or not lo <= value <= hi:
        raise ScenarioError(
            f"{where}: {_show(value)} is outside the allowed range [{lo:g}, {hi:g}]{' ' + unit if unit else ''}"
        )
    return value


def _table(where: str, value: Any, allowed: set[str]) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ScenarioError(f"{where}: must be a table")
    unknown = sorted((k for k in value if k not in allowed), key=str)
    if unknown:
        prefix = "" if where == "scenario" else f"{where}."
        raise ScenarioError(f"{prefix}{_key(unknown[0])}: unknown key; allowed: {', '.join(sorted(allowed))}")
    return value


def _parse_dose(i: int, raw: Any, duration_h: float) -> Dose:
    where = f"dose[{i}]"
    raw = _table(where, raw, DOSE_KEYS)
    drug = raw.get("drug")
    if not isinstance(drug, str) or drug not in DRUG_SPECIES:
        raise ScenarioError(f"{where}.drug: {_show(drug)} is not one of {', '.join(DRUG_SPECIES)}")
    routes = molecules()[DRUG_SPECIES[drug]].routes
    route = raw.get("route")
    if not isinstance(route, str) or route not in routes:
        raise ScenarioError(f"{where}.route: {_show(route)} is not a route of {drug}; use one of {', '.join(routes)}")
    r = routes[route]
    key = f"amount_{r.dose_unit}"
    other = "amount_mg" if key == "amount_g" else "amount_g"
    if other in raw:
        raise ScenarioError(f"{where}.{other}: {drug} doses are given as {key}")
    if key not in raw:
        raise ScenarioError(f"{where}.{key}: required")
    amount = _number(f"{where}.{key}", raw[key], MIN_DOSE, r.max_dose, r.dose_unit)
    prob = _number(f"{where}.taken_probability", raw.get("taken_probability", 1.0), 0, 1)
    months = raw.get("release_months", 6.0)
    if "release_months" in raw and route != "implant":
        raise ScenarioError(f'{where}.release_months: only for route = "implant"')
    months = _number(f"{where}.release_months", months, 0.5, 24, "months")
    if "at_h" in raw:
        if any(k in raw for k in ("every_h", "count", "start_h")):
            raise ScenarioError(f"{where}.at_h: give either at_h or every_h/count/start_h, not both")
        at = raw["at_h"]
        if not isinstance(at, list) or not at:
            raise ScenarioError(f"{where}.at_h: must be a non-empty list of times in hours")
        if len(at) > MAX_DOSE_EVENTS:
            raise ScenarioError(f"{where}.at_h: at most {MAX_DOSE_EVENTS} times")
        times = tuple(float(_number(f"{where}.at_h[{j}]", t, 0, duration_h, "h")) for j, t in enumerate(at))
        return Dose(drug, route, float(amount), at_h=times, taken_probability=float(prob), release_months=float(months))
    for k in ("every_h", "count"):
        if k not in raw:
            raise ScenarioError(f"{where}: give at_h = [...] or every_h with count")
    every = _number(f"{where}.every_h", raw["every_h"], 0.25, duration_h, "h")
    count = int(_number(f"{where}.count", raw["count"], 1, MAX_DOSE_EVENTS, integer=True))
    start = _number(f"{where}.start_h", raw.get("start_h", 0.0), 0, duration_h, "h")
    last = start + every * (count - 1)
    if last > duration_h:
        raise ScenarioError(f"{where}.count: the last dose would be at {last:g} h, after duration_h = {duration_h:g} h")
    return Dose(
        drug,
        route,
        float(amount),
        every_h=float(every),
        count=count,
        start_h=float(start),
        taken_probability=float(prob),
        release_months=float(months),
    )


def parse_scenario(raw: Mapping[str, Any]) -> Scenario:
    """Validate a scenario mapping (as read from TOML) and return a :class:`Scenario`."""
    raw = _table("scenario", raw, TOP_KEYS)
    title = raw.get("title", "Untitled scenario")
    if not isinstance(title, str) or len(title) > 200:
        raise ScenarioError("title: must be text of at most 200 characters")
    description = raw.get("description", "")
    if not isinstance(description, str) or len(description) > 5000:
        raise ScenarioError("description: must be text of at most 5000 characters")
    if "duration_h" not in raw:
        raise ScenarioError("duration_h: required (simulated time in hours)")
    duration = float(_number("duration_h", raw["duration_h"], 0, MAX_DURATION_H, "h"))
    if duration < 1:
        raise ScenarioError(f"duration_h: {duration:g} is outside the allowed range [1, {MAX_DURATION_H:g}] h")
    step = 0.0
    if "output_step_h" in raw:
        step = float(_number("output_step_h", raw["output_step_h"], MIN_OUTPUT_STEP_H, 24, "h"))
        if duration / step > MAX_OUTPUT_ROWS:
            raise ScenarioError(
                f"output_step_h: {step:g} h gives {duration / step:.0f} rows; at most {MAX_OUTPUT_ROWS} "
                f"(use output_step_h >= {duration / MAX_OUTPUT_ROWS:.3g})"
            )
    doses_raw = raw.get("dose", [])
    if not isinstance(doses_raw, list):
        raise ScenarioError("dose: must be an array of tables ([[dose]])")
    if len(doses_raw) > MAX_DOSE_TABLES:
        raise ScenarioError(f"dose: {len(doses_raw)} [[dose]] tables; at most {MAX_DOSE_TABLES} (use every_h/count)")
    doses = tuple(_parse_dose(i, d, duration) for i, d in enumerate(doses_raw))
    n_events = sum(len(d.at_h) or d.count for d in doses)
    if n_events > MAX_DOSE_EVENTS:
        raise ScenarioError(f"dose: {n_events} doses in all; at most {MAX_DOSE_EVENTS}")

    p = _table("patient", raw.get("patient", {}), PATIENT_KEYS)
    sex = p.get("sex", "male")
    if not isinstance(sex, str) or sex not in ("male", "female"):
        raise ScenarioError(f'patient.sex: {_show(sex)}; use "male" or "female"')
    tolerant = p.get("opioid_tolerant", False)
    if not isinstance(tolerant, bool):
        raise ScenarioError("patient.opioid_tolerant: must be true or false")
    patient = Patient(float(_number("patient.weight_kg", p.get("weight_kg", 70.0), 30, 250, "kg")), sex, tolerant)

    o = _table("options", raw.get("options", {}), OPTION_KEYS)
    adaptation = o.get("adaptation", False)
    if not isinstance(adaptation, bool):
        raise ScenarioError("options.adaptation: must be true or false")
    options = Options(
        adaptation,
        int(_number("options.seed", o.get("seed", 0), 0, 2**32 - 1, integer=True)),
        int(_number("options.population", o.get("population", 0), 0, MAX_POPULATION, integer=True)),
    )

    overrides = _table("parameters", raw.get("parameters", {}), set(molecules()))
    params: dict[str, dict[str, float]] = {}
    for species, values in overrides.items():
        known = molecules()[species].parameters
        values = _table(f"parameters.{species}", values, set(known))
        for k, v in values.items():
            _number(f"parameters.{species}.{k}", v, known[k].min, known[k].max, known[k].unit)
        try:
            molecules()[species].with_overrides(values)
        except ValueError as err:
            raise ScenarioError(str(err)) from None
        params[species] = {k: float(v) for k, v in values.items()}
    scenario = Scenario(title, duration, doses, step, patient, params, options, description)
    # The simulated window ends at the last whole output step (duration rounded to the step); a dose after
    # it would fall outside the time grid.
    end = round(round(duration / scenario.step_h) * scenario.step_h, 9)
    for i, d in enumerate(doses):
        times = d.times_h()
        if times.size and times.max() > end + 1e-9:
            j = int(np.argmax(times))
            where = f"dose[{i}].at_h[{j}]" if d.at_h else f"dose[{i}].count"
            raise ScenarioError(
                f"{where}: a dose at {times[j]:g} h is after the end of the simulated window, "
                f"{end:g} h (duration_h in whole output steps of {scenario.step_h:g} h)"
            )
    return scenario


def read_scenario(path: str | Path) -> Scenario:
    """Read a scenario file (a regular file of at most MAX_FILE_BYTES); errors quote the path."""
    path = Path(path)
    shown = quoted(path)
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then refuses anything but a file.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as err:
        raise ScenarioError(f"{shown}: cannot read ({err.strerror})") from None
    except ValueError:  # a NUL byte in the path
        raise ScenarioError(f"{shown}: not a file name (it contains a NUL byte)") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ScenarioError(f"{shown}: not a regular file")
        data = os.read(fd, MAX_FILE_BYTES + 1)  # one byte past the cap is enough to refuse a bigger file
        while len(data) <= MAX_FILE_BYTES and (more := os.read(fd, MAX_FILE_BYTES + 1 - len(data))):
            data += more
    except OSError as err:
        raise ScenarioError(f"{shown}: cannot read ({err.strerror})") from None
    finally:
        os.close(fd)
    if len(data) > MAX_FILE_BYTES:
        raise ScenarioError(f"{shown}: file is larger than {MAX_FILE_BYTES // 1000} kB")
    return parse_scenario_bytes(data)


def loads_scenario(text: str | bytes) -> Scenario:
    """Parse TOML text (str, or UTF-8 bytes) into a Scenario; never reads a file."""
    if isinstance(text, str):
        text = text.encode("utf-8", "surrogatepass")
    return parse_scenario_bytes(text)


def load_scenario(source: str | bytes | Path) -> Scenario:
    """A scenario from a file or from TOML text, by one rule.

    ``Path``: a file. ``bytes``: TOML content. ``str``: TOML text if it contains a newline or ``=``
    (every scenario has ``duration_h = ...``), otherwise a file path. Anything else is refused.
    """
    if isinstance(source, Path):
        return read_scenario(source)
    if isinstance(source, (bytes, bytearray)):
        return loads_scenario(bytes(source))
    if isinstance(source, str):
        return loads_scenario(source) if "\n" in source or "=" in source else read_scenario(source)
    raise ScenarioError(f"scenario: expected a path, TOML text or bytes, got {type(source).__name__}")


def parse_scenario_bytes(data: bytes) -> Scenario:
    """Parse uploaded bytes (size-capped, UTF-8, TOML) into a Scenario. Nothing is executed."""
    if not isinstance(data, (bytes, bytearray)):
        raise ScenarioError(f"scenario: expected bytes, got {type(data).__name__}")
    if len(data) > MAX_FILE_BYTES:
        raise ScenarioError(f"scenario: file is larger than {MAX_FILE_BYTES // 1000} kB")
    try:
        text = bytes(data).decode("utf-8-sig")  # a UTF-8 byte-order mark (Windows editors) is allowed
    except UnicodeDecodeError:
        raise ScenarioError("scenario: the file is not UTF-8 text") from None
    check_toml_shape(text)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ScenarioError(f"scenario: not valid TOML ({err})") from None
    except (RecursionError, ValueError):
        raise ScenarioError("scenario: nested too deeply or a number too long") from None
    return parse_scenario(raw)


def scenario_to_dict(s: Scenario) -> dict[str, Any]:
    """The scenario as a plain mapping in the file format (round-trips through parse_scenario)."""
    out: dict[str, Any] = {"title": s.title}
    if s.description:
        out["description"] = s.description
    out["duration_h"] = s.duration_h
    if s.output_step_h:
        out["output_step_h"] = s.output_step_h
    doses = []
    for d in s.doses:
        e: dict[str, Any] = {"drug": d.drug, "route": d.route, d.amount_key: d.amount}
        if d.at_h:
            e["at_h"] = list(d.at_h)
        else:
            e.update(every_h=d.every_h, count=d.count, start_h=d.start_h)
        if d.taken_probability < 1:
            e["taken_probability"] = d.taken_probability
        if d.route == "implant":
            e["release_months"] = d.release_months
        doses.append(e)
    out["dose"] = doses
    out["patient"] = {
        "weight_kg": s.patient.weight_kg,
        "sex": s.patient.sex,
        "opioid_tolerant": s.patient.opioid_tolerant,
    }
    if s.parameters:
        out["parameters"] = {k: dict(v) for k, v in s.parameters.items()}
    out["options"] = {"adaptation": s.options.adaptation, "seed": s.options.seed, "population": s.options.population}
    return out


def whole_day(text: str, where: str, duration_h: float) -> int:
    """A day number written in ASCII digits that lies inside a run of ``duration_h`` hours (day 1 = 0-24 h)."""
    last = int(math.floor(duration_h / 24 + 1e-9))
    if not re.fullmatch(r"[0-9]{1,6}", text) or not 1 <= int(text) <= last:
        raise ScenarioError(f"{where}: the day must be a whole day inside the run, in digits 0-9 (1..{last})")
    return int(text)


def checked(s: object) -> Scenario:
    """``s`` validated the way a parsed scenario is (a hand-made one with NaN or a negative dose is refused)."""
    if not isinstance(s, Scenario):
        raise ScenarioError(f"scenario: expected a Scenario (parse_scenario or load_scenario), got {type(s).__name__}")
    try:
        return parse_scenario(scenario_to_dict(s))
    except ScenarioError:
        raise
    except (TypeError, ValueError, AttributeError, KeyError) as err:
        raise ScenarioError(f"scenario: not a valid Scenario ({type(err).__name__})") from None


def scenario_to_toml(s: Scenario) -> str:
    """The scenario as TOML text (written with tomli-w)."""
    return tomli_w.dumps(scenario_to_dict(s))


def dose_events(s: Scenario, rng: np.random.Generator | None = None) -> tuple[DoseEvent, ...]:
    """Expand every ``[[dose]]`` into the doses actually taken, sorted by time.

    Doses with ``taken_probability < 1`` are each kept with that probability, drawn from ``rng``
    (default: a generator seeded with ``options.seed``) in file order, so a seed fixes the pattern.
    """
    rng = np.random.default_rng(s.options.seed) if rng is None else rng
    events = []
    for d in s.doses:
        times = d.times_h()
        if d.taken_probability < 1:
            times = times[rng.random(times.size) < d.taken_probability]
        events += [DoseEvent(d.species, d.route, float(t), d.amount, d.release_months) for t in times]
    return tuple(sorted(events, key=lambda e: e.at_h))
