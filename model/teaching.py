"""Teaching constants: doses, treatments and challenge windows, each with unit, tag and source.

The challenge, treatments and death rates are in data/teaching.toml; each user-facing drug's typical
dose and chronic use are in its molecule file ([teaching]), so a new drug brings its own. Only numbers
live here (no simulation), so every part of the model can read them without an import cycle.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from .drugs import DATA_DIR, molecules

_TEACHING = tomllib.loads((DATA_DIR / "teaching.toml").read_text(encoding="utf-8"))


class _FromMolecules(Mapping[str, Any]):
    """Drug name -> one field of its molecule's [teaching], in the lessons' order; read when used."""

    def __init__(self, field: Callable[[Any], Any]) -> None:
        self._field = field

    def _now(self) -> dict[str, Any]:
        uses = sorted((m.teaching.order, m.drug, m.teaching) for m in molecules().values() if m.teaching and m.drug)
        return {drug: self._field(use) for _, drug, use in uses}

    def __getitem__(self, drug: str) -> Any:
        return self._now()[drug]

    def __iter__(self) -> Iterator[str]:
        return iter(self._now())

    def __len__(self) -> int:
        return len(self._now())


#: Agonists a user takes, with a typical route and dose (mg) for the comparison page.
AGONIST_DOSES: Mapping[str, tuple[str, float]] = _FromMolecules(lambda use: use.dose)
#: Typical chronic use of each agonist before starting naltrexone: route, dose (mg), interval (h).
CHRONIC_USE: Mapping[str, tuple[str, float, float]] = _FromMolecules(lambda use: use.chronic)
#: Naltrexone treatments on the stopping page: route, dose (mg), dosing interval (h).
TREATMENTS: Mapping[str, tuple[str, float, float]] = {
    d: (v["route"], v["amount_mg"], v["every_h"]) for d, v in _TEACHING["treatments"].items()
}
HEROIN_CHALLENGE_MG: float = _TEACHING["challenge"]["heroin_mg"]["value"]
CHALLENGE_H: float = _TEACHING["challenge"]["window_h"]["value"]
#: Overdose deaths per 100 person-years after oral naltrexone ended vs during treatment.
DEATHS_PER_100PY_AFTER: float = _TEACHING["post_treatment_deaths"]["after_per_100_person_years"]["value"]
DEATHS_PER_100PY_DURING: float = _TEACHING["post_treatment_deaths"]["during_per_100_person_years"]["value"]
