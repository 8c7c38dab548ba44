"""Registry of every output column: name or pattern, unit ("1" for fractions and ratios) and description.

One registry feeds the data-package descriptor beside each CSV, ``python -m model columns``, the
README's column list and the app's tooltips. Patterns hold one placeholder: ``<species>`` (a
molecule id from ``python -m model drugs``) or ``<column>`` (any registered column, for bands).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .drugs import molecules


@dataclass(frozen=True)
class Column:
    """One registered column (or family of columns) with its unit and meaning."""

    pattern: str
    unit: str
    description: str
    table: str = "curves"  # curves | people | events


_BANDS = {"p05": "5th percentile", "p50": "median", "p95": "95th percentile"}

COLUMNS: tuple[Column, ...] = (
    Column("time_h", "h", "Time since the start of the scenario."),
    Column("<species>_plasma_ng_per_ml", "ng/mL", "Plasma concentration of the molecule."),
    Column("ethanol_blood_mg_per_dl", "mg/dL", "Blood alcohol concentration (present when the scenario has alcohol)."),
    Column(
        "occupancy_antagonist",
        "1",
        "Fraction of the receptors present that hold an antagonist (naltrexone, 6-beta-naltrexol, naloxone).",
    ),
    Column("occupancy_agonist", "1", "Fraction of the receptors present that hold an agonist (endorphin included)."),
    Column("occupancy_<species>", "1", "Fraction of the receptors present that hold this molecule."),
    Column("receptor_density", "1", "Receptor density relative to baseline (1 = normal; moves only with adaptation)."),
    Column(
        "reward", "1", "Reward signal, 0..1 (1 = the most any opioid can give); alcohol's non-opioid share included."
    ),
    Column("reward_opioid", "1", "Part of the reward signal that runs through mu receptors, 0..1."),
    Column("reward_without_naltrexone", "1", "Reward of the same scenario with the naltrexone doses removed, 0..1."),
    Column(
        "blockade_fraction",
        "1",
        "1 - reward / reward_without_naltrexone; empty where reward_without_naltrexone < 0.01 "
        "(no reward to block, so the ratio is undefined).",
    ),
    Column(
        "respiratory_drive",
        "1",
        "Resting breathing relative to the person's own normal (1 = normal, 0 = apnoea), CO2 feedback included.",
    ),
    Column(
        "respiratory_drive_isohypercapnic",
        "1",
        "Breathing at fixed (high) CO2, as isohypercapnic studies measure it: the drugs' effect without CO2 feedback.",
    ),
    Column(
        "opioid_tolerance",
        "1",
        "Tolerance of breathing to opioids (potency shift - 1): 0 naive, 1 = a chronic user on 90 mg oral morphine a day.",
    ),
    Column(
        "reward_tolerance",
        "1",
        "Tolerance of the reward signal to opioids (potency shift - 1): 0 naive, 1 = a chronic user on 90 mg oral morphine a day.",
    ),
    Column("physical_dependence", "1", "Physical dependence, 0..1."),
    Column("precipitated_withdrawal", "1", "Withdrawal precipitated by an antagonist, 0..1."),
    Column("craving", "1", "Expected reward learnt from use episodes (illustrative), 0..1."),
    Column("craving_without_naltrexone", "1", "Craving in the same scenario without naltrexone, 0..1."),
    Column("<column>_p05", "", "5th percentile across the simulated people of the column."),
    Column("<column>_p50", "", "Median across the simulated people of the column."),
    Column("<column>_p95", "", "95th percentile across the simulated people of the column."),
    # per-person table (model.population)
    Column("person", "1", "Person number in the population (0-based).", "people"),
    Column("doses_scheduled", "1", "Doses scheduled in the scenario.", "people"),
    Column("doses_taken", "1", "Doses this person took (missed doses drawn with the seed).", "people"),
    Column("peak_reward", "1", "Highest reward over the run, 0..1.", "people"),
    Column("min_respiratory_drive", "1", "Lowest respiratory drive over the run (1 = normal).", "people"),
    Column("mean_occupancy_antagonist", "1", "Antagonist occupancy averaged over the time of the run.", "people"),
    Column(
        "days_protected",
        "d",
        "Whole days on which the lowest antagonist occupancy stayed at or above the level at which "
        "25 mg IV heroin is blocked (model.challenge.protection_occupancy).",
        "people",
    ),
    Column(
        "<species>.<parameter>",
        "",
        "This person's drawn value of a parameter of the molecule (unit as in `python -m model drugs`).",
        "people",
    ),
    # event dataset (NONMEM / nlmixr2 convention)
    Column("ID", "1", "Person identifier (1-based).", "events"),
    Column("TIME", "h", "Time of the record.", "events"),
    Column(
        "AMT",
        "mg",
        "Dose amount (g for alcohol, see UNIT); 0 on observations. DV is in ng/mL (= ug/L): with volumes in L, "
        "a model needs AMT x 1000 (ug) for DV.",
        "events",
    ),
    Column("EVID", "1", "Event type: 0 observation, 1 dose.", "events"),
    Column(
        "CMT",
        "1",
        "Compartment: each drug has its own pair, depot 2 x DRUGN - 1 (doses by every route but iv) and central "
        "2 x DRUGN (iv doses); observations are naltrexone's central compartment, 2.",
        "events",
    ),
    Column("DV", "ng/mL", "Observed (here: simulated) plasma naltrexone; 0 on dose records.", "events"),
    Column("MDV", "1", "Missing dependent variable: 1 on dose records, 0 on observations.", "events"),
    Column("DRUG", "", "Drug of the dose record; on observations the drug DV measures (naltrexone).", "events"),
    Column("ROUTE", "", "Route of the dose record (empty on observations).", "events"),
    Column("UNIT", "", "Unit of AMT on doses (mg, or g for alcohol); of DV on observations (ng/mL).", "events"),
    Column("DRUGN", "1", "DRUG as a number (for NONMEM): CODES_DRUG.", "events"),
    Column("ROUTEN", "1", "ROUTE as a number (for NONMEM), 0 on observations: CODES_ROUTE.", "events"),
    Column("WT", "kg", "Body weight covariate.", "events"),
    Column("SEXF", "1", "Sex covariate: 1 female, 0 male.", "events"),
    Column("TOL", "1", "Opioid-tolerant covariate: 1 yes, 0 no.", "events"),
    # sensitivity (python -m model sensitivity / gsa)
    Column("species", "", "Molecule id (python -m model drugs).", "sensitivity"),
    Column("parameter", "", "Parameter name (species.parameter in global analyses).", "sensitivity"),
    Column("unit", "", "Unit of the parameter.", "sensitivity"),
    Column("value", "", "Parameter value in the scenario (unit in the unit column).", "sensitivity"),
    Column("low_value", "", "Parameter moved down by the step, kept inside its bounds.", "sensitivity"),
    Column("high_value", "", "Parameter moved up by the step, kept inside its bounds.", "sensitivity"),
    Column("metric_low", "", "Metric with the parameter at low_value (unit of the metric).", "sensitivity"),
    Column("metric_base", "", "Metric of the scenario as given.", "sensitivity"),
    Column("metric_high", "", "Metric with the parameter at high_value.", "sensitivity"),
    Column(
        "elasticity",
        "1",
        "(dY/Y)/(dp/p) by central difference: % change of the metric per % change of the parameter.",
        "sensitivity",
    ),
    Column("mu_star", "", "Morris mu*: mean absolute elementary effect (metric unit per unit range).", "sensitivity"),
    Column("mu_star_conf", "", "95 % bootstrap half-width of mu*.", "sensitivity"),
    Column("sigma", "", "Morris sigma: spread of the elementary effects (interactions, non-linearity).", "sensitivity"),
    Column("mu", "", "Morris mu: mean signed elementary effect.", "sensitivity"),
    Column(
        "S1", "1", "Sobol first-order index: share of the metric's variance from this parameter alone.", "sensitivity"
    ),
    Column("S1_conf", "1", "95 % bootstrap half-width of S1.", "sensitivity"),
    Column("ST", "1", "Sobol total index: share of variance involving this parameter.", "sensitivity"),
    Column("ST_conf", "1", "95 % bootstrap half-width of ST.", "sensitivity"),
    # fits (python -m model fit); parameter and unit as for sensitivity
    Column("start", "", "Parameter value the search started from (the scenario's; unit in the unit column).", "fit"),
    Column("estimate", "", "Least-squares estimate of the parameter.", "fit"),
    Column("se", "", "Standard error of the estimate (Jacobian at the estimate; empty with too few points).", "fit"),
    Column("low", "", "Lowest value searched: the plausible range, else the input guard.", "fit"),
    Column("high", "", "Highest value searched: the plausible range, else the input guard.", "fit"),
    Column("at_bound", "", "True when the estimate sits on low or high (the data push it out of range).", "fit"),
    # virtual trials (python -m model trial)
    Column("arm", "", "Arm: the title of its scenario.", "trial"),
    Column("dose_mg", "mg", "Dose of the arm (dose sweeps).", "trial"),
    Column("people", "1", "Simulated people in the arm.", "trial"),
    Column("endpoint", "", "Per-person endpoint summarised.", "trial"),
    Column("mean", "", "Mean of the endpoint across people (a share for blocked_on_day).", "trial"),
    Column("ci95_low", "", "Lower end of the 95 % confidence interval of the mean (Wilson for shares).", "trial"),
    Column("ci95_high", "", "Upper end of the 95 % confidence interval of the mean.", "trial"),
)


@cache
def _compiled() -> tuple[tuple[re.Pattern[str], Column], ...]:
    species = "|".join(sorted(molecules(), key=len, reverse=True))
    out = []
    for c in COLUMNS:
        rx = re.escape(c.pattern).replace(re.escape("<species>"), f"(?P<species>{species})")
        rx = rx.replace(re.escape("<column>"), "(?P<base>.+)").replace(
            re.escape("<parameter>"), "(?P<parameter>[a-z0-9_]+)"
        )
        out.append((re.compile(rx + r"\Z"), c))
    return tuple(out)


#: Dimensionless output columns that are ratios, not fractions: they may exceed 1.
RATIOS = ("receptor_density", "opioid_tolerance", "reward_tolerance")


def is_fraction(name: str) -> bool:
    """Whether an output column holds a fraction 0..1 (occupancy, reward, breathing, dependence, craving)."""
    entry = lookup(name)
    return entry is not None and entry.unit == "1" and entry.table == "curves" and name not in RATIOS


def lookup(name: str) -> Column | None:
    """The registry entry of a concrete column name, or None if it is not registered."""
    for rx, c in _compiled():
        m = rx.match(name)
        if m is None:
            continue
        if "base" in rx.groupindex:
            base = lookup(m["base"])
            if base is None:
                continue
            band = _BANDS[name.rsplit("_", 1)[1]]
            return Column(
                c.pattern,
                base.unit,
                f"{band[0].upper()}{band[1:]} across the simulated people of {m['base']}: {base.description}",
                base.table,
            )
        if "species" in rx.groupindex:
            mol = molecules()[m["species"]].name
            unit = c.unit
            if "parameter" in rx.groupindex:
                par = molecules()[m["species"]].parameters.get(m["parameter"])
                if par is None:
                    continue
                unit = par.unit
            return Column(
                c.pattern, unit, c.description.replace("the molecule", mol).replace("this molecule", mol), c.table
            )
        return c
    return None


def unit_of(name: str) -> str:
    """Unit of a concrete column ("1" for fractions); KeyError if unregistered."""
    c = lookup(name)
    if c is None:
        raise KeyError(name)
    return c.unit


def help_text(name: str) -> str:
    """One-line tooltip: description and unit."""
    c = lookup(name)
    return "" if c is None else f"{c.description} Unit: {c.unit or 'none'}."


#: Numeric route codes of the event dataset (fixed; a new route is appended after these).
ROUTE_ORDER = ("oral", "iv", "sublingual", "intranasal", "im_xr", "implant")


def drug_codes() -> dict[str, int]:
    """DRUGN of each drug name: the molecule files' display order (naltrexone 1), fixed by their palette slots."""
    from .drugs import DRUG_SPECIES

    return {drug: i + 1 for i, drug in enumerate(DRUG_SPECIES)}


def route_codes() -> dict[str, int]:
    """ROUTEN of each route (:data:`ROUTE_ORDER`, then any other route alphabetically)."""
    extra = sorted({r for m in molecules().values() for r in m.routes} - set(ROUTE_ORDER))
    return {r: i + 1 for i, r in enumerate((*ROUTE_ORDER, *extra))}


def _legend(text: str) -> str:
    """A description with its code legend filled in."""
    drugs = ", ".join(f"{n} {d}" for d, n in drug_codes().items())
    routes = ", ".join(f"{n} {r}" for r, n in route_codes().items())
    return text.replace("CODES_DRUG", drugs).replace("CODES_ROUTE", routes)


def field(name: str, dtype: str = "number", strict: bool = True) -> dict[str, str]:
    """A Frictionless Table Schema field for a concrete column name (unregistered: an error, or blank if not strict)."""
    c = lookup(name)
    if c is None and not strict:
        return {"name": name, "type": dtype, "unit": "", "description": "Derived column; its unit is in its name."}
    if c is None:
        raise KeyError(f"column {name!r} is not in model/columns.py")
    return {"name": name, "type": dtype, "unit": c.unit, "description": _legend(c.description)}


def listing() -> str:
    """The registry as text for ``python -m model columns``: table, pattern, unit, description."""
    w = max(len(c.pattern) for c in COLUMNS)
    return "\n".join(
        f"{c.table:<7} {c.pattern:<{w}}  [{c.unit or 'unit of <column>' if '<column>' in c.pattern else c.unit or '-'}]"
        f"  {_legend(c.description)}"
        for c in COLUMNS
    )
