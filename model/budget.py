"""What one run costs, predicted before it starts, and the one budget every entry point enforces.

The solver's work grows with *cells*: runs x internal time points x width (binding ligands plus
linear PK states). A single patient counts as :data:`SINGLE_RUN_WEIGHT` runs (with and without
naltrexone, up to 32 binding substeps each); a person of a population costs less per cell (one
binding step per grid step, reward and breathing only) on a coarser grid. Internal points are the
output times plus the refinement after every dose. Two paths cost more per point: PK systems
with coinciding rate constants (depot chains) are stepped with matrix exponentials, and every drink
is integrated on its own. Memory grows with the output (rows x people) and the working arrays.
A study of many runs (a lesson page, a table of scenarios) is many budgeted runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .drugs import molecules
from .scenario import DoseEvent, Scenario, ScenarioError

#: The budget of one run (measured on a busy 2-core machine, the most expensive run within it
#: takes under 10 s and 1 GB; see docs/serving.md).
MAX_SECONDS = 4.0
MAX_MEGABYTES = 500.0
SINGLE_RUN_WEIGHT = 6
NS_PER_CELL = 30.0
NS_PER_STEPWISE_POINT = 4_000.0
NS_PER_EXPM = 5_000_000.0  # one matrix exponential per distinct step (about 16 + 2 per dose)
NS_PER_PERSON_CELL = 8.0
NS_PER_PERSON = 30_000.0
NS_PER_PERSON_ROW = 100.0  # a person's band outputs, sorted per output time
NS_PER_CHUNK_DOSE = 60_000.0
NS_PER_ALCOHOL_STEP = 50.0  # a Runge-Kutta step of the alcohol march, or one output time read from it
NS_PER_DRINK = 400_000.0  # with stiff rates LSODA integrates alcohol drink by drink, over each gap (up to a day)
NS_PER_DRINKING_HOUR = 450_000.0
NS_PER_DRINK_POINT = 3.0
OVERHEAD_S = 0.01
BAND_COLUMNS = 5
WORK_ARRAYS = 4  # arrays of points x width alive at once (measured)
#: People per chunk of a population, and at most this many values in each of a chunk's arrays (model.population).
CHUNK, CHUNK_CELLS = 100, 4_000_000


@dataclass(frozen=True)
class Cost:
    """A run's predicted size and its predicted time (s) and memory (MB) on the reference machine."""

    people: int
    points: int
    population_points: int  # a population's coarser grid
    rows: int
    width: int
    stepwise: bool
    doses: int
    drinks: int
    alcohol_ns: float  # the alcohol solve's predicted time

    @property
    def seconds(self) -> float:
        ns = NS_PER_CELL * SINGLE_RUN_WEIGHT * self.points * self.width
        ns += self.people * (
            NS_PER_PERSON_CELL * self.population_points * self.width + NS_PER_PERSON + NS_PER_PERSON_ROW * self.rows
        )
        steps = min(self.points, 16 + 2 * self.doses)
        ns += self.stepwise * (1 + self.people) * (NS_PER_STEPWISE_POINT * self.points + NS_PER_EXPM * steps)
        ns += self.chunks * self.doses * NS_PER_CHUNK_DOSE  # the population's PK steps from dose to dose by chunk
        ns += self.alcohol_ns * (2 if self.people else 1)  # a population solves it again
        return OVERHEAD_S + ns / 1e9

    @property
    def chunks(self) -> int:
        """How many groups of people a population is simulated in (model.population)."""
        size = max(1, min(CHUNK, CHUNK_CELLS // (self.population_points * self.width)))
        return -(-self.people // size)

    @property
    def megabytes(self) -> float:
        work = WORK_ARRAYS * self.points * self.width + (WORK_ARRAYS * CHUNK_CELLS if self.people else 0)
        bands = self.people * self.rows * (BAND_COLUMNS + 2)  # every person's output, then sorted copies
        return 8 * (work + bands + self.rows * 40) / 1e6

    def __str__(self) -> str:
        who = f"1 patient + {self.people:,} people" if self.people else "1 patient"
        return (
            f"{who} x {self.points:,} time points x {self.width} states"
            f"{' (stepwise PK)' if self.stepwise else ''}{f', {self.drinks:,} drinks' if self.drinks else ''}"
            f" ~ {self.seconds:.1f} s, {self.megabytes:,.0f} MB"
        )


@lru_cache(maxsize=512)
def _pk_shape(routes: tuple[tuple[tuple[str, str, float | None], str], ...], registry: int) -> tuple[int, int, bool]:
    """PK states, binding species and whether propagation goes step by step, for these (species, route, months).

    ``registry``: the molecule registry's identity, so that a reloaded one is not mixed up.
    """
    from .pk import build_system

    mols = molecules()
    system, species, _ = build_system(mols, [DoseEvent(sp, r, 0.0, 1.0, m) for (sp, r, m), _ in routes], 70.0)
    stepwise = False
    if routes:
        _, vectors = np.linalg.eig(system.matrix())
        stepwise = bool(np.linalg.cond(vectors) > 1e8)  # as model.pk.propagate decides
    return len(system.names), sum(mols[x].binds for x in species), stepwise


def run_cost(s: Scenario, people: int | None = None) -> Cost:
    """Predict the cost of simulating ``s`` (with ``people`` people; default ``options.population``)."""
    from .core import COARSE_STRIDE, refinement

    mols = molecules()
    people = s.options.population if people is None else people
    rows = int(s.duration_h / s.step_h) + 2
    points, population_points, doses, drinks, kinds = rows, rows, 0, [], {}
    for d in s.doses:
        kind = kinds[d.species, d.route, d.release_months] = mols[d.species].routes[d.route].kind
        doses += len(d.at_h) or d.count
        points += (len(d.at_h) or d.count) * (1 + len(refinement(kind)))
        population_points += (len(d.at_h) or d.count) * (1 + len(refinement(kind, COARSE_STRIDE)))
        if kind == "alcohol":
            drinks.append(d.times_h())
    drink_t = np.sort(np.concatenate([*drinks, [s.duration_h]]))
    alcohol_ns = _alcohol_ns(s, drink_t, points) if drinks else 0.0
    states, binders, stepwise = _pk_shape(tuple((k, kind) for k, kind in kinds.items() if kind != "alcohol"), id(mols))
    ligands = binders + bool(drinks)  # alcohol releases endorphin
    return Cost(
        int(people),
        points,
        population_points,
        rows,
        max(1, ligands + states),
        stepwise,
        doses,
        drink_t.size - 1,
        alcohol_ns,
    )


def _alcohol_ns(s: Scenario, drink_t: np.ndarray, points: int) -> float:
    """Predicted time (ns) of the alcohol solve: the march's steps, or LSODA's when the rates are stiff."""
    from .core import scenario_molecules
    from .pk import ALCOHOL_MAX_STEPS, alcohol_steps

    mols = scenario_molecules(s)
    steps = alcohol_steps(mols["ethanol"], mols["endorphin"], s.patient, s.duration_h - drink_t[0])
    if steps <= ALCOHOL_MAX_STEPS:
        return (steps + points) * NS_PER_ALCOHOL_STEP
    drinking_h = float(np.minimum(np.diff(drink_t), 24.0).sum())
    return (drink_t.size - 1) * (NS_PER_DRINK + NS_PER_DRINK_POINT * points) + drinking_h * NS_PER_DRINKING_HOUR


def affordable_people(s: Scenario, wanted: int) -> int:
    """The most people, up to ``wanted``, whose run of ``s`` fits the budget (0 if none)."""
    lo, hi = 0, wanted
    while lo < hi:
        mid = (lo + hi + 1) // 2
        cost = run_cost(s, mid)
        lo, hi = (mid, hi) if cost.seconds <= MAX_SECONDS and cost.megabytes <= MAX_MEGABYTES else (lo, mid - 1)
    return lo


def check_budget(s: Scenario, people: int | None = None) -> Cost:
    """Refuse, with one line naming the cost and the limit, a run over the budget."""
    cost = run_cost(s, people)
    if cost.seconds > MAX_SECONDS or cost.megabytes > MAX_MEGABYTES:
        raise ScenarioError(
            f"scenario: too costly to simulate: {cost}; the limit is {MAX_SECONDS:g} s and {MAX_MEGABYTES:g} MB "
            "(fewer people, a shorter duration_h, a larger output_step_h or fewer doses)"
        )
    return cost


#: A study (many runs) predicted to need more computing than this needs an explicit ``--long``.
MAX_STUDY_SECONDS = 600.0


def check_study(what: str, runs: int, seconds_each: float, allow_long: bool = False) -> float:
    """A study's predicted computing time (s, one core), refused over :data:`MAX_STUDY_SECONDS` unless ``allow_long``."""
    total = runs * seconds_each
    if total > MAX_STUDY_SECONDS and not allow_long:
        raise ScenarioError(
            f"{what}: {runs:,} runs of ~{seconds_each:.2g} s, about {total / 60:,.0f} min of computing "
            f"(the limit is {MAX_STUDY_SECONDS / 60:g} min); add --long to run it anyway, or ask for fewer runs"
        )
    return total
