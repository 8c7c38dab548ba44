"""Teaching constants (data/teaching.toml): doses, treatments and challenge windows, each with unit, tag and source.

Only numbers live here (no simulation), so every part of the model can read them without an import cycle.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping

from .drugs import DATA_DIR

_TEACHING = tomllib.loads((DATA_DIR / "teaching.toml").read_text(encoding="utf-8"))
#: Agonists a user takes, with a typical route and dose (mg) for the comparison page.
AGONIST_DOSES: Mapping[str, tuple[str, float]] = {
    d: (v["route"], v["amount_mg"]) for d, v in _TEACHING["agonist_doses"].items()
}
#: Typical chronic use of each agonist before starting naltrexone: route, dose (mg), interval (h).
CHRONIC_USE: Mapping[str, tuple[str, float, float]] = {
    d: (v["route"], v["amount_mg"], v["every_h"]) for d, v in _TEACHING["chronic_use"].items()
}
#: Naltrexone treatments on the stopping page: route, dose (mg), dosing interval (h).
TREATMENTS: Mapping[str, tuple[str, float, float]] = {
    d: (v["route"], v["amount_mg"], v["every_h"]) for d, v in _TEACHING["treatments"].items()
}
HEROIN_CHALLENGE_MG: float = _TEACHING["challenge"]["heroin_mg"]["value"]
CHALLENGE_H: float = _TEACHING["challenge"]["window_h"]["value"]
#: Overdose deaths per 100 person-years after oral naltrexone ended vs during treatment.
DEATHS_PER_100PY_AFTER: float = _TEACHING["post_treatment_deaths"]["after_per_100_person_years"]["value"]
DEATHS_PER_100PY_DURING: float = _TEACHING["post_treatment_deaths"]["during_per_100_person_years"]["value"]
