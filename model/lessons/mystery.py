"""The mystery opioid: an unknown drug drawn from a seed, experiments on a simulated volunteer, marks.

A student identifies an unknown mu-opioid ligand ("drug X") from experiments they design:

- :func:`draw` gives every student of a class their own drug, a pure function of a seed derived with
  HMAC-SHA256(server secret, class code + newline + student); :func:`practice` gives one from any seed.
  The drug is one of 3 ligand classes x short/long-acting x potent/weak, built by overriding the
  parameters of a template molecule with values drawn within the parameters' registered bounds (never
  the named drug's own values), and kept only if every experiment that decides a question shows its
  class, with a margin (:func:`validate`).
- :func:`run` performs one :class:`Experiment` (one budgeted simulation; anything but the offered
  doses, patterns, volunteers and antidotes is refused with a :class:`ScenarioError`) and returns only
  what a laboratory would measure: drug X in plasma, reward, breathing and withdrawal over time.
- :func:`mark` marks the answers to :data:`QUESTIONS`, each with the evidence from the student's own
  runs that decides it (a :class:`Claim` with the runs' numbers), or the experiment that would.

No Streamlit and no plotting here; ``pages/mystery.py`` draws what these return.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import os
import random
import secrets
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from ..budget import check_budget
from ..drugs import DRUG_SPECIES, molecules, response_parameters
from ..scenario import Scenario, ScenarioError, parse_scenario
from ..simulation import Result, simulate
from .claims import Claim, close
from .regimens import chronic_use_doses

Simulate = Callable[[Scenario], Result]

# --- what a student can do --------------------------------------------------------------------------

LIGANDS = ("full agonist", "partial agonist", "antagonist")
DURATIONS = ("short-acting", "long-acting")
POTENCIES = ("potent", "weak")
#: Doses of drug X a student can give (mg, injected into a muscle).
DOSES_MG = (0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 60.0)
TEST_DOSE_MG = 1.0  # the potency test: what 1 mg does
#: Dosing patterns: number of doses and the hours between them.
PATTERNS: Mapping[str, tuple[int, float]] = {"one dose": (1, 0.0), "four doses, 6 h apart": (4, 6.0)}
VOLUNTEERS = ("healthy", "dependent")
#: Antidotes: (drug, route, mg, hours from the first dose of drug X) and how the page says it.
ANTIDOTES: Mapping[str, tuple[str, str, float, float] | None] = {
    "none": None,
    "naltrexone tablet before": ("naltrexone", "oral", 50.0, -2.0),
    "naloxone before": ("naloxone", "iv", 2.0, -0.25),
    "naloxone after": ("naloxone", "iv", 2.0, 1.0),
}
ANTIDOTE_WORDS = {
    "none": "no antidote",
    "naltrexone tablet before": "naltrexone 50 mg tablet 2 h before",
    "naloxone before": "naloxone 2 mg IV 15 min before",
    "naloxone after": "naloxone 2 mg IV 1 h after",
}
#: The dependent volunteer: a methadone patient (weeks of use, ``opioid_tolerant``, then five daily doses),
#: given drug X this many hours after the last methadone dose.
MAINTENANCE = "methadone"
AFTER_MAINTENANCE_H = 4.0
LEAD_H = 2.0  # time shown before the first dose of drug X (room for a tablet before it)
STEP_H = 0.05  # output step (3 min)
AFTER_LAST_DOSE_H = 22.0  # simulated time after the last dose of drug X
WEIGHT_KG = 70.0
#: The named reference for potency (not a template, so its name may be shown): drug, route, mg.
REFERENCE = ("morphine", "iv", 10.0)

#: Template molecules and their first-order route (an injection into a muscle, absorbed within minutes):
#: the unknown's values replace theirs. The antagonist has a second template for experiments that give
#: naloxone, so that the tool keeps its own values; the dependent volunteer's methadone is never a template.
TEMPLATES: Mapping[str, tuple[str, str]] = {
    "full agonist": ("oxycodone", "oral"),
    "partial agonist": ("buprenorphine", "sublingual"),
    "antagonist": ("naloxone", "intranasal"),
}
ALTERNATE: Mapping[str, tuple[str, str]] = {"antagonist": ("naltrexone", "oral")}
#: Compartments and pathways of the templates switched off: every unknown is one plain compartment, so
#: its plasma level halves at a constant rate (its half-life) and the two antagonist templates agree.
SWITCHED_OFF = (
    "q_peripheral_l_per_h",
    "q_deep_l_per_h",
    "retention_efflux_per_h",
    "fraction_metabolised_to_naltrexol",
    "oral_first_pass_to_naltrexol",
)


# --- the thresholds that decide each question (the question texts state them) --------------------


@dataclass(frozen=True)
class Rules:
    """The thresholds the rules compare each run with; :meth:`loosened` moves them all towards accepting."""

    full_reward: float = 0.60  # a peak reward above it: only full agonists get there (partial ones level off below)
    active_reward: float = 0.05  # a reward at least this: drug X activates the receptors
    no_reward: float = 0.02  # below it at the largest dose: no reward of its own
    potent_reward: float = 0.10  # from 1 mg or less: a potent agonist
    weak_reward: float = 0.03  # at 1 mg or more, at most this: a weak agonist
    withdrawal: float = 0.20  # precipitated withdrawal at least this: drug X pushed the methadone off
    no_withdrawal: float = 0.05
    potent_withdrawal: float = 0.30  # from 1 mg or less in the dependent volunteer: a potent antagonist
    weak_withdrawal: float = 0.10
    adds_reward: float = 0.05  # reward rise on top of the methadone: drug X adds to it
    short_h: float = 4.0  # plasma halving time (h): short-acting at most this
    long_h: float = 8.0  # long-acting at least this
    depressed: float = 0.85  # breathing at most this when naloxone is given: an overdose to rescue
    deep: float = 0.45  # breathing below this: an overdose too deep for one 2 mg dose to judge by
    rescued: float = 0.60  # share of the way back to normal within 30 min of naloxone: rescued
    hardly: float = 0.35  # at most this: hardly rescued
    untouched: float = 0.97  # lowest breathing at least this: breathing not depressed

    def loosened(self, share: float) -> Rules:
        """Every threshold moved by ``share`` towards accepting its answer (a margin for checking draws)."""
        up = 1.0 + share
        down = 1.0 - share
        return Rules(
            full_reward=self.full_reward * down,
            active_reward=self.active_reward * down,
            no_reward=self.no_reward * up,
            potent_reward=self.potent_reward * down,
            weak_reward=self.weak_reward * up,
            withdrawal=self.withdrawal * down,
            no_withdrawal=self.no_withdrawal * up,
            potent_withdrawal=self.potent_withdrawal * down,
            weak_withdrawal=self.weak_withdrawal * up,
            adds_reward=self.adds_reward * down,
            short_h=self.short_h * up,
            long_h=self.long_h * down,
            depressed=min(1.0, self.depressed * up),
            deep=self.deep * down,
            rescued=self.rescued * down,
            hardly=self.hardly * up,
            untouched=1.0 - (1.0 - self.untouched) * up,
        )


RULES = Rules()
FIRST_H = 6.0  # the first dose's window (h): before any second dose
RESCUE_WINDOW_H = 0.5  # h after naloxone in which breathing is read


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    options: tuple[str, ...]


def questions(rules: Rules = RULES) -> tuple[Question, ...]:
    """The questions, each stating the thresholds its answer rests on."""
    return (
        Question(
            "ligand",
            "What kind of ligand is drug X? Only a full agonist gives a peak reward above "
            f"{rules.full_reward:.2f}; a partial agonist levels off below that and, like an antagonist, pushes "
            "methadone off the receptors of the dependent volunteer (withdrawal of "
            f"{rules.withdrawal:.2f} or more); an antagonist gives no reward even at {DOSES_MG[-1]:g} mg.",
            LIGANDS,
        ),
        Question(
            "duration",
            f"Short- or long-acting? Short-acting: its plasma level halves within {rules.short_h:g} h; "
            f"long-acting: it takes {rules.long_h:g} h or more to halve.",
            DURATIONS,
        ),
        Question(
            "potency",
            f"Potent or weak, milligram for milligram? Potent: {TEST_DOSE_MG:g} mg or less does the job (an "
            f"agonist: a peak reward of {rules.potent_reward:.2f} or more in the healthy volunteer; an antagonist: "
            f"withdrawal of {rules.potent_withdrawal:.2f} or more in the dependent volunteer). Weak: "
            f"{TEST_DOSE_MG:g} mg does next to nothing (reward {rules.weak_reward:.2f} or less; withdrawal "
            f"{rules.weak_withdrawal:.2f} or less), as with the reference opioid.",
            POTENCIES,
        ),
        Question(
            "rescue",
            "If someone took too much drug X, would naloxone (2 mg IV) bring their breathing back? Judge it on an "
            f"overdose that leaves breathing between {rules.deep:.2f} and {rules.depressed:.2f}: a deeper one needs "
            "more naloxone than one dose.",
            ("yes, within minutes", "only slowly or partly", "nothing to rescue: it does not depress breathing"),
        ),
        Question(
            "withdrawal",
            "Would drug X bring on withdrawal in a person dependent on opioids (precipitated withdrawal)?",
            ("yes", "no"),
        ),
    )


QUESTIONS = questions()
QUESTION = {q.id: q for q in QUESTIONS}
RESCUE_ANSWER = dict(zip(LIGANDS, QUESTION["rescue"].options))


# --- the unknown drug ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Drug:
    """An unknown drug: its class (the answers) and its values (never shown; left out of ``repr``)."""

    ligand: str
    duration: str
    potency: str
    values: Mapping[str, float] = field(repr=False, compare=False)
    seed: int = field(repr=False, default=0)

    @property
    def kind(self) -> str:
        """The class in words, e.g. 'potent, short-acting full agonist'."""
        return f"{self.potency}, {self.duration} {self.ligand}"


#: Ranges of the unknown's own values (named independently of any template), shared by every class:
#: molar mass, protein binding, volume, absorption from the muscle, brain entry (log-uniform where a range
#: spans more than a factor of 3).
COMMON_RANGES: Mapping[str, tuple[float, float]] = {
    "molar_mass_g_per_mol": (280.0, 480.0),  # opioids: 285 (morphine) to 468 (buprenorphine)
    "fraction_unbound": (0.3, 0.9),
    "v_l_per_kg": (1.5, 5.0),  # one compartment, between naloxone's central volume and morphine's Vd
    "ka_per_h": (4.0, 12.0),  # intramuscular injection: absorbed with a half-time of 3-10 min
    "bioavailability": (0.9, 1.0),
    "ke0_per_h": (1.5, 8.0),  # the brain follows the blood within 5-30 min (methadone 1 /h, fentanyl 10.8 /h)
}
HALF_LIFE_H: Mapping[str, tuple[float, float]] = {
    "short-acting": (0.75, 2.5),  # naloxone ~1 h, morphine 2-3 h
    "long-acting": (12.0, 30.0),  # methadone ~24 h, buprenorphine's terminal phase ~28 h
}
CLASS_RANGES: Mapping[str, Mapping[str, tuple[float, float]]] = {
    "full agonist": {
        "tau": (12.0, 40.0),  # efficacy: oxycodone 15, morphine 20, fentanyl 30 in the model
        "kon_per_nm_per_h": (5.0, 40.0),  # with kd of 10-10,000 nM: off the receptor within seconds
        "kp_uu": (0.5, 2.0),
    },
    "partial agonist": {
        "tau": (0.5, 0.75),  # levels off at a reward of 0.25-0.39 (buprenorphine 1.0: 0.5)
        "tau_respiratory": (0.2, 0.35),  # breathing levels off near half (buprenorphine 0.28)
        "koff_per_h": (0.25, 0.8),  # slow to let go, half-time 50-170 min (buprenorphine 84 min)
        "kp_uu": (0.5, 2.0),
    },
    "antagonist": {
        "kon_per_nm_per_h": (30.0, 200.0),  # naloxone 120, naltrexone 36
        "kp_uu": (1.0, 5.0),  # naloxone 5 (it enters the brain on a transporter)
    },
}
#: What the 1 mg test dose does at its peak, drawn per class and potency: a full agonist's reward, a partial
#: agonist's reward as a share of its ceiling (potent) or its reward (weak), an antagonist's share of the
#: receptors. kd is then set to give it (equilibrium binding at the peak brain level of 1 mg), so that
#: potency is drawn directly rather than left to the product of volume, binding, brain entry and affinity.
AT_TEST_DOSE: Mapping[tuple[str, str], tuple[float, float]] = {
    ("full agonist", "potent"): (0.2, 0.8),
    ("full agonist", "weak"): (0.004, 0.015),
    ("partial agonist", "potent"): (0.6, 0.9),
    ("partial agonist", "weak"): (0.002, 0.01),
    ("antagonist", "potent"): (0.5, 0.95),
    ("antagonist", "weak"): (0.002, 0.008),
}
MAX_TRIES = 40


def _uniform(rng: random.Random, lo: float, hi: float) -> float:
    """Log-uniform where the range spans more than a factor of 3, else uniform."""
    return math.exp(rng.uniform(math.log(lo), math.log(hi))) if lo > 0 and hi / lo > 3 else rng.uniform(lo, hi)


def _draw_values(rng: random.Random, ligand: str) -> dict[str, float]:
    """Every value but kd (set from the drawn potency) and the half-life (from the drawn duration)."""
    v = {name: _uniform(rng, lo, hi) for name, (lo, hi) in COMMON_RANGES.items()}
    r = CLASS_RANGES[ligand]
    v["kp_uu"] = _uniform(rng, *r["kp_uu"])
    if ligand == "full agonist":
        v["tau"] = _uniform(rng, *r["tau"])
        v["tau_respiratory"] = v["tau"] * rng.uniform(0.8, 1.2)
        v["kon_per_nm_per_h"] = _uniform(rng, *r["kon_per_nm_per_h"])
    elif ligand == "partial agonist":
        v["tau"] = _uniform(rng, *r["tau"])
        v["tau_respiratory"] = _uniform(rng, *r["tau_respiratory"])
        v["koff_per_h"] = _uniform(rng, *r["koff_per_h"])
    else:
        v["tau"] = v["tau_respiratory"] = 0.0
        v["kon_per_nm_per_h"] = _uniform(rng, *r["kon_per_nm_per_h"])
    return v


def _kd_for(ligand: str, potency: str, v: Mapping[str, float], target: float, brain_nm: float) -> float:
    """The kd (nM) at which 1 mg gives ``target`` (see :data:`AT_TEST_DOSE`) at a brain level of ``brain_nm``."""
    if ligand == "antagonist":
        share = target
    else:
        n = response_parameters()["hill_n"].value
        tau = v["tau"]
        reward = target * tau**n / (1 + tau**n) if (ligand, potency) == ("partial agonist", "potent") else target
        share = (reward / (1 - reward)) ** (1 / n) / tau
    return brain_nm * (1 - share) / share if 0 < share < 1 else math.nan


def overrides(drug: Drug, species: str, route: str) -> dict[str, float]:
    """The template ``species``' parameters replaced by the unknown's values (a scenario's overrides)."""
    v = drug.values
    known = molecules()[species].parameters
    p = {
        "molar_mass_g_per_mol": v["molar_mass_g_per_mol"],
        "fraction_unbound": v["fraction_unbound"],
        "v_central_l_per_kg": v["v_l_per_kg"],
        "cl_l_per_h": math.log(2) * v["v_l_per_kg"] * WEIGHT_KG / v["half_life_h"],
        f"{route}_bioavailability": v["bioavailability"],
        f"{route}_ka_per_h": v["ka_per_h"],
        "ke0_per_h": v["ke0_per_h"],
        "kp_uu": v["kp_uu"],
        "kd_nm": v["kd_nm"],
        "kon_per_nm_per_h": v["kon_per_nm_per_h"],
    }
    for name in ("tau", "tau_respiratory"):
        if name in known and known[name].max > 0:
            p[name] = v[name]
    p.update({name: 0.0 for name in SWITCHED_OFF if name in known})
    return p


def within_bounds(drug: Drug) -> bool:
    """Whether every override of every template the drug can be given as lies within its registered bounds."""
    for species, route in [TEMPLATES[drug.ligand], *([ALTERNATE[drug.ligand]] if drug.ligand in ALTERNATE else [])]:
        try:
            molecules()[species].with_overrides(overrides(drug, species, route))
        except ValueError:
            return False
    return True


def template(drug: Drug, e: Experiment | None = None) -> tuple[str, str]:
    """The template (species, route) that carries the unknown in experiment ``e``: never one of its tools."""
    species, route = TEMPLATES[drug.ligand]
    tool = ANTIDOTES[e.antidote] if e is not None else None
    if tool and tool[0] == species:
        species, route = ALTERNATE[drug.ligand]
    return species, route


def seed_of(class_code: str, student: str, secret: bytes | str) -> int:
    """The drug's seed: the first 8 bytes of HMAC-SHA256(secret, class code + newline + student).

    Code and name are read as people type them: spaces around and between words and letter case do not
    matter ("Ann  Lee " is "ann lee").
    """
    key = secret.encode("utf-8") if isinstance(secret, str) else bytes(secret)
    message = f"{_normal(class_code)}\n{_normal(student)}".encode()
    return int.from_bytes(hmac.new(key, message, hashlib.sha256).digest()[:8], "big")


def _normal(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", str(text)).split()).casefold()


def draw(class_code: str, student: str, secret: bytes | str) -> Drug:
    """The unknown drug of ``student`` in class ``class_code`` (the same for the same secret)."""
    return practice(seed_of(class_code, student, secret))


@lru_cache(maxsize=512)
def practice(seed: int) -> Drug:
    """The unknown drug of ``seed``: one of the 12 classes with equal chances, then its values."""
    *kind, values_seed = _class_of(seed)
    for attempt in range(8):  # a seed whose draws all fail (never seen) moves on to the next, the same each time
        try:
            return of_class(*kind, values_seed + attempt)
        except RuntimeError:
            continue
    raise RuntimeError(f"no drug found for seed {seed}")


def _class_of(seed: int) -> tuple[str, str, str, int]:
    """The class of ``seed``'s drug (each of the 12 with equal chances) and the seed of its values."""
    rng = random.Random(seed)
    ligand, duration, potency = rng.choice(LIGANDS), rng.choice(DURATIONS), rng.choice(POTENCIES)
    return ligand, duration, potency, rng.getrandbits(64)


@lru_cache(maxsize=256)
def of_class(ligand: str, duration: str, potency: str, seed: int) -> Drug:
    """A drug of the given class from ``seed``: values drawn until it behaves as its class (:func:`validate`)."""
    if ligand not in LIGANDS or duration not in DURATIONS or potency not in POTENCIES:
        raise ValueError(f"unknown class: {potency!r}, {duration!r}, {ligand!r}")
    rng = random.Random(seed)
    for _ in range(MAX_TRIES):
        v = _draw_values(rng, ligand)
        v["half_life_h"] = _uniform(rng, *HALF_LIFE_H[duration])
        target = _uniform(rng, *AT_TEST_DOSE[ligand, potency])
        v["kd_nm"] = 1.0  # any value: the brain level does not depend on binding
        if ligand == "partial agonist":
            v["kon_per_nm_per_h"] = 1.0
        probe = Drug(ligand, duration, potency, v, seed)
        brain = float(np.max(simulate(scenario(probe, Experiment(TEST_DOSE_MG))).curves.brain_nm[template(probe)[0]]))
        v["kd_nm"] = _kd_for(ligand, potency, v, target, brain)
        if ligand == "partial agonist":
            v["kon_per_nm_per_h"] = v.pop("koff_per_h") / v["kd_nm"]
        drug = Drug(ligand, duration, potency, MappingProxyType(dict(v)), seed)
        if math.isfinite(v["kd_nm"]) and within_bounds(drug) and not validate(drug):
            return drug
    raise RuntimeError(f"no {potency}, {duration} {ligand} found in {MAX_TRIES} draws from seed {seed}")


# --- experiments ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Experiment:
    """One experiment a student can run: a dose of drug X, a pattern, a volunteer and an antidote."""

    dose_mg: float
    pattern: str = "one dose"
    volunteer: str = "healthy"
    antidote: str = "none"

    @property
    def dependent(self) -> bool:
        return self.volunteer == "dependent"

    @property
    def count(self) -> int:
        return PATTERNS[self.pattern][0]

    @property
    def dose_times_h(self) -> tuple[float, ...]:
        """Times of the doses of drug X (h after the first)."""
        n, every = PATTERNS[self.pattern]
        return tuple(every * k for k in range(n))

    def check(self) -> None:
        """Refuse an experiment that is not on offer, with one line naming what is offered."""
        doses = ", ".join(f"{d:g}" for d in DOSES_MG)
        dose = self.dose_mg
        if isinstance(dose, bool) or not isinstance(dose, (int, float)) or not math.isfinite(dose):
            raise ScenarioError(f"dose_mg: must be one of {doses} mg")
        if not any(math.isclose(float(dose), d, rel_tol=1e-9) for d in DOSES_MG):
            raise ScenarioError(f"dose_mg: {dose!r} is not one of {doses} mg")
        for name, value, allowed in (
            ("pattern", self.pattern, PATTERNS),
            ("volunteer", self.volunteer, VOLUNTEERS),
            ("antidote", self.antidote, ANTIDOTES),
        ):
            if not isinstance(value, str) or value not in allowed:
                raise ScenarioError(f"{name}: {str(value)[:40]!r} is not one of {', '.join(allowed)}")

    def describe(self) -> str:
        """The experiment in words (nothing of the drug's identity)."""
        what = f"{self.dose_mg:g} mg" + ("" if self.count == 1 else f" x {self.count}, 6 h apart")
        return f"{what}, {self.volunteer} volunteer, {ANTIDOTE_WORDS[self.antidote]}"

    @property
    def short(self) -> str:
        """The experiment in a few words, for the list of runs."""
        what = f"{self.dose_mg:g} mg" + ("" if self.count == 1 else " x4")
        extra = {"none": "", "naltrexone tablet before": ", naltrexone before"}.get(self.antidote, f", {self.antidote}")
        return f"{what}, {self.volunteer}{extra}"


def _start_h(e: Experiment) -> float:
    """Simulated time of the first dose of drug X."""
    return chronic_use_doses(MAINTENANCE)[1] + AFTER_MAINTENANCE_H if e.dependent else LEAD_H


def scenario(drug: Drug, e: Experiment) -> Scenario:
    """The scenario of experiment ``e`` on ``drug``: validated, and refused if over the per-run budget."""
    e.check()
    species, route = template(drug, e)
    t0 = _start_h(e)
    doses: list[dict[str, Any]] = [chronic_use_doses(MAINTENANCE)[0]] if e.dependent else []
    doses.append(
        {
            "drug": molecules()[species].drug,
            "route": route,
            "amount_mg": float(e.dose_mg),
            "at_h": [t0 + t for t in e.dose_times_h],
        }
    )
    tool = ANTIDOTES[e.antidote]
    if tool:
        doses.append({"drug": tool[0], "route": tool[1], "amount_mg": tool[2], "at_h": [t0 + tool[3]]})
    s = parse_scenario(
        {
            "title": "Mystery opioid experiment",
            "duration_h": t0 + e.dose_times_h[-1] + AFTER_LAST_DOSE_H,
            "output_step_h": STEP_H,
            "dose": doses,
            "patient": {"weight_kg": WEIGHT_KG, "opioid_tolerant": e.dependent},
            "parameters": {species: overrides(drug, species, route)},
        }
    )
    check_budget(s)
    return s


#: The columns of a run: what a laboratory measures.
MEASURED = ("time_h", "plasma_ng_per_ml", "reward", "respiratory_drive", "withdrawal")


@dataclass(frozen=True)
class Run:
    """One experiment's measurements: ``table`` has :data:`MEASURED` columns, time 0 = the first dose of drug X."""

    experiment: Experiment
    table: pd.DataFrame = field(repr=False)


def _lab_table(tab: pd.DataFrame, species: str, t0: float) -> pd.DataFrame:
    """What a laboratory measures of ``species`` in a simulation table, from :data:`LEAD_H` before ``t0`` (time 0)."""
    keep = tab.time_h.to_numpy() >= t0 - LEAD_H - 1e-9
    return pd.DataFrame(
        {
            "time_h": np.round(tab.time_h.to_numpy()[keep] - t0, 6),
            "plasma_ng_per_ml": tab[f"{species}_plasma_ng_per_ml"].to_numpy()[keep],
            "reward": tab.reward.to_numpy()[keep],
            "respiratory_drive": tab.respiratory_drive.to_numpy()[keep],
            "withdrawal": tab.precipitated_withdrawal.to_numpy()[keep],
        }
    )


def measured(drug: Drug, e: Experiment, result: Result) -> Run:
    """The measurable part of experiment ``e``'s simulation, from 2 h before the first dose of drug X."""
    return Run(e, _lab_table(result.table, template(drug, e)[0], _start_h(e)))


def run(drug: Drug, e: Experiment, simulate_fn: Simulate = simulate) -> Run:
    """Perform experiment ``e`` on ``drug``: one budgeted simulation (``simulate_fn``, e.g. a cached one)."""
    return measured(drug, e, simulate_fn(scenario(drug, e)))


# --- what a run shows -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Measures:
    """Numbers read off one run (the page's table of runs, and the rules below)."""

    peak_reward: float  # after the first dose of drug X
    first_peak_reward: float  # in the first 6 h (before any second dose)
    reward_before: float  # at the first dose
    reward_rise: float  # highest reward in the first 6 h minus reward_before
    lowest_breathing: float  # after the first dose
    peak_withdrawal: float  # after the first dose
    first_peak_withdrawal: float  # in the first 6 h
    halving_h: float  # plasma halving time after the last dose (nan when not measurable)
    breathing_at_naloxone: float = math.nan
    breathing_after_naloxone: float = math.nan  # highest in the 30 min after naloxone

    @property
    def recovered(self) -> float:
        """Share of the way back to normal breathing within 30 min of naloxone."""
        b0 = self.breathing_at_naloxone
        return (self.breathing_after_naloxone - b0) / (1.0 - b0) if b0 < 1.0 else math.nan


def measures(r: Run) -> Measures:
    """What run ``r`` shows, in numbers."""
    t = r.table.time_h.to_numpy()
    after = t >= -1e-9
    first = after & (t < FIRST_H - 1e-9)
    reward, drive = r.table.reward.to_numpy(), r.table.respiratory_drive.to_numpy()
    withdrawal = r.table.withdrawal.to_numpy()
    i0 = int(np.argmin(np.abs(t)))
    m = Measures(
        peak_reward=float(reward[after].max()),
        first_peak_reward=float(reward[first].max()),
        reward_before=float(reward[i0]),
        reward_rise=float(reward[first].max() - reward[i0]),
        lowest_breathing=float(drive[after].min()),
        peak_withdrawal=float(withdrawal[after].max()),
        first_peak_withdrawal=float(withdrawal[first].max()),
        halving_h=halving_time_h(r),
    )
    tool = ANTIDOTES[r.experiment.antidote]
    if tool and tool[0] == "naloxone" and tool[3] > 0:
        at = int(np.argmin(np.abs(t - tool[3])))
        window = (t >= tool[3] - 1e-9) & (t <= tool[3] + RESCUE_WINDOW_H + 1e-9)
        m = replace(m, breathing_at_naloxone=float(drive[at]), breathing_after_naloxone=float(drive[window].max()))
    return m


def halving_time_h(r: Run) -> float:
    """Plasma halving time (h) after the last dose of drug X: the log-linear fall from 1.5 h after it on."""
    t = r.table.time_h.to_numpy()
    c = r.table.plasma_ng_per_ml.to_numpy()
    last = r.experiment.dose_times_h[-1]
    tail = (t >= last + 1.5) & (c > 1e-6 * max(float(c.max()), 1e-300)) & (c > 1e-9)
    if tail.sum() < 10 or np.ptp(t[tail]) < 1.0:
        return math.nan
    slope = float(np.polyfit(t[tail], np.log(c[tail]), 1)[0])
    return math.log(2) / -slope if slope < 0 else math.inf


# --- the rules that decide each question from a student's runs ------------------------------------------


@dataclass(frozen=True)
class Finding:
    """An answer that runs support, with the evidence: the runs' numbers in a sentence."""

    answer: str
    evidence: Claim
    runs: tuple[int, ...]  # positions in the list of runs (the page numbers them from 1)


def _mg(e: Experiment) -> str:
    return f"{e.dose_mg:g} mg{'' if e.count == 1 else ' x4'}"


def _vs(value: float, threshold: float, fmt: str = ".2f") -> str:
    """The value, with its threshold beside it when the two are within the claims' dead band."""
    return f"{value:{fmt}}" + (f" (against the threshold {threshold:.2f})" if close(value, threshold) else "")


def findings(runs: Sequence[Run], rules: Rules = RULES) -> dict[str, list[Finding]]:
    """Every answer to every question that the runs support, with its evidence."""
    ms = [measures(r) for r in runs]
    ex = [r.experiment for r in runs]
    out: dict[str, list[Finding]] = {q.id: [] for q in QUESTIONS}

    def add(q: str, answer: str, tag: str, text: str, value: float, threshold: float, idx: Iterable[int]) -> None:
        claim = Claim(f"mystery.{q}.{tag}", text, float(value), float(threshold))
        out[q].append(Finding(answer, claim, tuple(idx)))

    healthy = [i for i, e in enumerate(ex) if not e.dependent and e.antidote == "none"]
    dependent = [i for i, e in enumerate(ex) if e.dependent and e.antidote == "none"]
    agonist = [i for i in healthy if ms[i].peak_reward >= rules.active_reward]
    displaced = [i for i in dependent if ms[i].peak_withdrawal >= rules.withdrawal]
    largest = [j for j in healthy if ex[j].dose_mg == DOSES_MG[-1] and ms[j].peak_reward < rules.no_reward]
    antagonist = [(i, j) for i in displaced for j in largest]

    # what kind of ligand
    for i in healthy:
        if ms[i].peak_reward >= rules.full_reward:
            add(
                "ligand",
                "full agonist",
                "full",
                f"alone at {_mg(ex[i])} in the healthy volunteer drug X gave a peak reward of "
                f"{_vs(ms[i].peak_reward, rules.full_reward)}: only a full agonist gets above {rules.full_reward:.2f}",
                ms[i].peak_reward,
                rules.full_reward,
                [i],
            )
    for i in displaced:
        for j in agonist:
            add(
                "ligand",
                "partial agonist",
                "partial",
                f"alone at {_mg(ex[j])} drug X gave a reward of {_vs(ms[j].peak_reward, rules.active_reward)}, so it "
                f"activates the receptors, yet at {_mg(ex[i])} it brought on withdrawal in the dependent volunteer "
                f"(score {_vs(ms[i].peak_withdrawal, rules.withdrawal)}): it pushed methadone off the receptors and "
                "activates them less than methadone does",
                ms[i].peak_withdrawal,
                rules.withdrawal,
                [j, i],
            )
    for i, j in antagonist:
        add(
            "ligand",
            "antagonist",
            "antagonist",
            f"at {_mg(ex[i])} drug X brought on withdrawal in the dependent volunteer (score "
            f"{_vs(ms[i].peak_withdrawal, rules.withdrawal)}), yet alone at {_mg(ex[j])} it gave no reward "
            f"({ms[j].peak_reward:.2f}): it holds the receptors without activating them",
            ms[i].peak_withdrawal,
            rules.withdrawal,
            [i, j],
        )
    # how long it acts
    for i, m in enumerate(ms):
        h = m.halving_h
        if h <= rules.short_h:
            add(
                "duration",
                "short-acting",
                "short",
                f"at {_mg(ex[i])} drug X's plasma level halved every {_vs(h, rules.short_h, '.1f')} h "
                f"after the last dose: within {rules.short_h:g} h",
                h,
                rules.short_h,
                [i],
            )
        elif h >= rules.long_h:
            took = "more than 100" if h > 100 else _vs(h, rules.long_h, ".0f")
            add(
                "duration",
                "long-acting",
                "long",
                f"at {_mg(ex[i])} drug X's plasma level took {took} h to halve after the last dose: "
                f"{rules.long_h:g} h or more",
                min(h, 1e6),
                rules.long_h,
                [i],
            )
    # potency: an agonist's reward in the healthy volunteer, an antagonist's withdrawal in the dependent one
    for i in healthy:
        m, mg = ms[i], ex[i].dose_mg
        if mg <= TEST_DOSE_MG and m.first_peak_reward >= rules.potent_reward:
            add(
                "potency",
                "potent",
                "potent_agonist",
                f"alone at only {mg:g} mg drug X gave a peak reward of {_vs(m.first_peak_reward, rules.potent_reward)}",
                m.first_peak_reward,
                rules.potent_reward,
                [i],
            )
        if mg >= TEST_DOSE_MG and m.first_peak_reward <= rules.weak_reward:
            for j in (j for j in agonist if ex[j].dose_mg > mg):
                add(
                    "potency",
                    "weak",
                    "weak_agonist",
                    f"alone at {mg:g} mg drug X gave a peak reward of only {_vs(m.first_peak_reward, rules.weak_reward)}, "
                    f"while {_mg(ex[j])} gave {ms[j].peak_reward:.2f}: it takes many milligrams",
                    m.first_peak_reward,
                    rules.weak_reward,
                    [i, j],
                )
    for i, j in antagonist:
        m, mg = ms[i], ex[i].dose_mg
        if mg <= TEST_DOSE_MG and m.first_peak_withdrawal >= rules.potent_withdrawal:
            add(
                "potency",
                "potent",
                "potent_antagonist",
                f"drug X, an antagonist (no reward alone at {_mg(ex[j])}), brought on withdrawal of "
                f"{_vs(m.first_peak_withdrawal, rules.potent_withdrawal)} at only {mg:g} mg",
                m.first_peak_withdrawal,
                rules.potent_withdrawal,
                [i, j],
            )
        for k in dependent:
            if TEST_DOSE_MG <= ex[k].dose_mg < mg and ms[k].first_peak_withdrawal <= rules.weak_withdrawal:
                add(
                    "potency",
                    "weak",
                    "weak_antagonist",
                    f"drug X, an antagonist (no reward alone at {_mg(ex[j])}, withdrawal {m.peak_withdrawal:.2f} at "
                    f"{_mg(ex[i])}), brought on withdrawal of only "
                    f"{_vs(ms[k].first_peak_withdrawal, rules.weak_withdrawal)} at {ex[k].dose_mg:g} mg",
                    ms[k].first_peak_withdrawal,
                    rules.weak_withdrawal,
                    [k, i, j],
                )
    # naloxone after an overdose
    for i, e in enumerate(ex):
        m = ms[i]
        if e.dependent or e.antidote != "naloxone after" or not m.breathing_at_naloxone <= rules.depressed:
            continue
        said = (
            f"at {_mg(e)} breathing was {m.breathing_at_naloxone:.2f} when naloxone was given and at best "
            f"{m.breathing_after_naloxone:.2f} in the next 30 min"
        )
        if m.recovered >= rules.rescued:
            add(
                "rescue",
                RESCUE_ANSWER["full agonist"],
                "yes",
                f"{said}: {_vs(m.recovered, rules.rescued)} of the way back to normal",
                m.recovered,
                rules.rescued,
                [i],
            )
        elif m.recovered <= rules.hardly and m.breathing_at_naloxone >= rules.deep:
            add(
                "rescue",
                RESCUE_ANSWER["partial agonist"],
                "partly",
                f"{said}: only {_vs(m.recovered, rules.hardly)} of the way back to normal",
                m.recovered,
                rules.hardly,
                [i],
            )
    for i, j in antagonist:
        if ms[j].lowest_breathing >= rules.untouched:
            add(
                "rescue",
                RESCUE_ANSWER["antagonist"],
                "nothing",
                f"alone at {_mg(ex[j])} drug X lowered breathing by only "
                f"{_vs(1 - ms[j].lowest_breathing, 1 - rules.untouched)} (1 = normal breathing), although it acts on "
                f"the receptors ({_mg(ex[i])} brought on withdrawal)",
                1 - ms[j].lowest_breathing,
                1 - rules.untouched,
                [j, i],
            )
    # precipitated withdrawal
    for i in displaced:
        add(
            "withdrawal",
            "yes",
            "yes",
            f"at {_mg(ex[i])} the dependent volunteer's withdrawal score rose to "
            f"{_vs(ms[i].peak_withdrawal, rules.withdrawal)}",
            ms[i].peak_withdrawal,
            rules.withdrawal,
            [i],
        )
    for i in dependent:
        m = ms[i]
        if m.reward_rise >= rules.adds_reward and m.peak_withdrawal < rules.no_withdrawal:
            add(
                "withdrawal",
                "no",
                "no",
                f"at {_mg(ex[i])} in the dependent volunteer reward rose from {m.reward_before:.2f} to "
                f"{m.reward_before + m.reward_rise:.2f} and withdrawal stayed at "
                f"{_vs(m.peak_withdrawal, rules.no_withdrawal)}: drug X adds to the methadone instead of pushing it off",
                m.peak_withdrawal,
                rules.no_withdrawal,
                [i],
            )
    return out


#: Which experiment decides each question, for a student who has not run it yet.
HOW_TO_DECIDE = {
    "ligand": "give drug X alone to the healthy volunteer at a high dose (a reward above "
    f"{RULES.full_reward:.2f}: a full agonist), and to the dependent volunteer (withdrawal: it pushes methadone "
    f"off, a partial agonist if it gives a reward of its own, an antagonist if it gives none even at "
    f"{DOSES_MG[-1]:g} mg)",
    "duration": "run any experiment and read how fast drug X's plasma level halves after the last dose",
    "potency": f"give {TEST_DOSE_MG:g} mg alone, to the healthy volunteer if drug X is an agonist, to the dependent "
    "volunteer if it is an antagonist (and a larger dose to compare)",
    "rescue": f"give drug X at a dose that lowers breathing to between {RULES.deep:.2f} and {RULES.depressed:.2f}, "
    "with naloxone 1 h after; if no dose lowers it, find out whether drug X acts on the receptors at all",
    "withdrawal": "give drug X to the dependent volunteer without an antidote, at a dose that acts",
}


def truth(drug: Drug) -> dict[str, str]:
    """The right answer to every question."""
    return {
        "ligand": drug.ligand,
        "duration": drug.duration,
        "potency": drug.potency,
        "rescue": RESCUE_ANSWER[drug.ligand],
        "withdrawal": "no" if drug.ligand == "full agonist" else "yes",
    }


@dataclass(frozen=True)
class Mark:
    """One question marked: the answer given, whether it is right, the right answer and what decides it."""

    question: str
    given: str | None
    right: bool
    answer: str
    evidence: Claim
    decided: bool  # whether the student's own runs decide it


def mark(drug: Drug, answers: Mapping[str, str | None], runs: Sequence[Run]) -> list[Mark]:
    """Marks for ``answers`` (question id -> option) with the evidence from the student's own ``runs``."""
    right = truth(drug)
    found = findings(runs)
    out = []
    for q in QUESTIONS:
        given = answers.get(q.id)
        support = [f for f in found[q.id] if f.answer == right[q.id]]
        if support:
            best = support[0]
            numbers = [str(i + 1) for i in sorted(set(best.runs))]
            which = numbers[0] if len(numbers) == 1 else ", ".join(numbers[:-1]) + " and " + numbers[-1]
            evidence = replace(
                best.evidence, text=f"run{'s' if len(set(best.runs)) > 1 else ''} {which}: {best.evidence.text}"
            )
        else:
            evidence = Claim(
                f"mystery.{q.id}.undecided", f"your runs do not decide this yet: {HOW_TO_DECIDE[q.id]}", 0.0
            )
        out.append(Mark(q.id, given, given == right[q.id], right[q.id], evidence, bool(support)))
    return out


def decided(runs: Sequence[Run], rules: Rules = RULES) -> dict[str, str | None]:
    """The answer the runs decide for each question (None where they decide nothing or disagree)."""
    out = {}
    for q, fs in findings(runs, rules).items():
        answers = {f.answer for f in fs}
        out[q] = answers.pop() if len(answers) == 1 else None
    return out


# --- checking that a drawn drug behaves as its class -----------------------------------------------------

#: The experiments whose runs the rules read, one dose each: every dose alone in both volunteers, and with
#: naloxone after it in the healthy one. (Four doses change nothing the rules read in the first 6 h, and
#: only add to an effect later: tests/test_mystery.py checks them too.)
DECIDING = tuple(
    Experiment(d, "one dose", v, a)
    for d in DOSES_MG
    for v, a in (("healthy", "none"), ("dependent", "none"), ("healthy", "naloxone after"))
)
MARGIN = 0.3  # no run may support a wrong answer even with every threshold moved 30 % towards it


def validate(drug: Drug, experiments: Sequence[Experiment] = DECIDING, simulate_fn: Simulate = simulate) -> list[str]:
    """What keeps ``drug`` from behaving as its class (empty: nothing).

    Every question must be decided by the ``experiments`` taken together, and no run, nor pair of runs,
    may support a wrong answer even with the thresholds moved :data:`MARGIN` towards it.
    """
    runs = [run(drug, e, simulate_fn) for e in experiments]
    right = truth(drug)
    problems = [f"{q}: undecided" for q, fs in findings(runs).items() if not any(f.answer == right[q] for f in fs)]
    for q, fs in findings(runs, RULES.loosened(MARGIN)).items():
        wrong = [f for f in fs if f.answer != right[q]]
        if wrong:
            problems.append(f"{q}: runs support {wrong[0].answer!r} ({wrong[0].evidence.text})")
    return problems


# --- the server secret and the lecturer's key ------------------------------------------------------------

SECRET_ENV = "NALTREXONE_MYSTERY_SECRET"
SECRET_FILE_ENV = "NALTREXONE_MYSTERY_SECRET_FILE"
DEFAULT_SECRET_FILE = Path("~/.config/naltrexone-sim/mystery_secret")
REPOSITORY = Path(__file__).resolve().parents[2]


def secret_path() -> Path:
    """Where the server secret is kept: ``$NALTREXONE_MYSTERY_SECRET_FILE``, else the default in the home directory.

    Never inside the repository (a file there could be committed): such a path is refused.
    """
    named = os.environ.get(SECRET_FILE_ENV, "").strip()
    path = Path(named).expanduser() if named else DEFAULT_SECRET_FILE.expanduser()
    resolved = path.resolve()
    if resolved == REPOSITORY or REPOSITORY in resolved.parents:
        raise ValueError(f"the mystery secret file may not be inside the repository ({REPOSITORY}): {resolved}")
    return path


def server_secret() -> bytes:
    """The server's secret: from the environment, else from a file (the default one is made once if missing).

    ``$NALTREXONE_MYSTERY_SECRET``, else the file ``$NALTREXONE_MYSTERY_SECRET_FILE`` names (which must exist),
    else :data:`DEFAULT_SECRET_FILE`, made if missing (mode 0600, its folder 0700).

    A new file holds 32 random bytes as 64 hexadecimal characters, so that a lecturer can type it.
    """
    value = os.environ.get(SECRET_ENV, "").strip()
    if value:
        return value.encode("utf-8")
    path = secret_path()
    if os.environ.get(SECRET_FILE_ENV, "").strip() and not path.exists():  # a named file is never made up
        raise ValueError(f"the mystery secret file {path} ({SECRET_FILE_ENV}) does not exist")
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it meanwhile
            pass
        else:
            with os.fdopen(fd, "w", encoding="ascii") as f:
                f.write(secrets.token_hex(32) + "\n")
    text = path.read_text(encoding="utf-8").strip()
    if not text:
        raise ValueError(f"the mystery secret file {path} is empty")
    return text.encode("utf-8")


def is_secret(entered: str, secret: bytes | str) -> bool:
    """Whether ``entered`` is the server secret (compared in constant time)."""
    key = secret.encode("utf-8") if isinstance(secret, str) else bytes(secret)
    return hmac.compare_digest(str(entered).strip().encode("utf-8"), key.strip())


#: The key's columns: the class is the answer to questions 1-3; the other two answers follow.
KEY_COLUMNS = ("student", "class", "duration", "potency", "naloxone rescue", "precipitated withdrawal")


def answer_key(class_code: str, students: Iterable[str], secret: bytes | str) -> pd.DataFrame:
    """The lecturer's key: each student's class (ligand, duration, potency) and the answers to the other questions."""
    rows = []
    for student in students:
        if not str(student).strip():
            continue
        answers = truth(draw(class_code, student, secret))
        rows.append(
            (
                " ".join(str(student).split()),
                *(answers[q] for q in ("ligand", "duration", "potency", "rescue", "withdrawal")),
            )
        )
    return pd.DataFrame(rows, columns=list(KEY_COLUMNS))


def reference_run(simulate_fn: Simulate = simulate) -> Run:
    """The reference opioid's standard dose in the healthy volunteer, measured as a run of drug X is."""
    drug, route, mg = REFERENCE
    s = parse_scenario(
        {
            "title": "reference opioid",
            "duration_h": LEAD_H + AFTER_LAST_DOSE_H,
            "output_step_h": STEP_H,
            "dose": [{"drug": drug, "route": route, "amount_mg": mg, "at_h": [LEAD_H]}],
            "patient": {"weight_kg": WEIGHT_KG},
        }
    )
    return Run(Experiment(mg), _lab_table(simulate_fn(s).table, DRUG_SPECIES[drug], LEAD_H))


def reference_effect(simulate_fn: Simulate = simulate) -> dict[str, float]:
    """Peak reward and lowest breathing of the reference opioid's standard dose in the healthy volunteer."""
    m = measures(reference_run(simulate_fn))
    return {"mg": REFERENCE[2], "peak_reward": m.peak_reward, "lowest_breathing": m.lowest_breathing}
