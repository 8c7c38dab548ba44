"""Running scenarios for the pages: a cache bounded by bytes, a cap on scripts running at once, error guarding."""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from model import Scenario, ScenarioError, lessons, parse_scenario, simulate
from model.drugs import Molecule
from model.scenario import parse_scenario_bytes, scenario_to_toml
from model.simulation import Result

from .text import plain

CACHE_BYTES = 256_000_000  # results kept for every session together, by their size in memory
#: Page scripts running at once in this server; the others wait for their turn. The Python parts of a rerun
#: share one interpreter lock anyway, so this bounds memory and keeps the server answering without slowing a class.
RUNNING = threading.BoundedSemaphore(2)
FRIENDLY = (
    "Something went wrong on this page; it has been logged. Change a setting, reload the page, or open another lesson."
)
log = logging.getLogger("naltrexone.app")


def nbytes(obj: Any) -> int:
    """Approximate memory held by a result: its arrays, tables and the mappings and dataclasses holding them."""
    if isinstance(obj, np.ndarray):
        return obj.nbytes
    if isinstance(obj, (bytes, bytearray)):
        return len(obj)
    if isinstance(obj, (pd.DataFrame, pd.Series)):
        return int(obj.memory_usage(index=True, deep=False).sum()) if isinstance(obj, pd.DataFrame) else obj.nbytes
    if isinstance(obj, Mapping):
        return sum(nbytes(v) for v in obj.values())
    if isinstance(obj, (Scenario, Molecule)):  # small, and molecules are mostly the shared registry's
        return 0
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return sum(nbytes(getattr(obj, f.name)) for f in dataclasses.fields(obj))
    return 0


class ByteCache:
    """A thread-safe cache shared by all sessions that drops the least recently used entries beyond ``limit`` bytes."""

    def __init__(self, limit: int) -> None:
        self.limit, self.used = limit, 0
        self._items: OrderedDict[str, tuple[Any, int]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str, make: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key][0]
        value = make()
        size = nbytes(value) + len(key)
        with self._lock:
            if key not in self._items and size <= self.limit:
                self._items[key] = (value, size)
                self.used += size
                while self.used > self.limit:
                    self.used -= self._items.popitem(last=False)[1][1]
        return value


RESULTS = ByteCache(CACHE_BYTES)


def _simulate(toml_text: str, s: Scenario) -> Result:
    """Simulate ``s`` (whose TOML text is ``toml_text``), shared between sessions in :data:`RESULTS`.

    A shared result's arrays are read-only; each caller gets its own (copy-on-write) tables.
    """
    r = RESULTS.get(toml_text, lambda: simulate(s))
    return dataclasses.replace(r, table=r.table.copy(deep=False), challenges=r.challenges.copy(deep=False))


@st.cache_data(max_entries=64, show_spinner=False)
def protection_table(toml_text: str) -> pd.DataFrame:
    """Days protected against 25 mg IV heroin for a regimen scenario (cached on its TOML text)."""
    return lessons.days_protected(_simulate(toml_text, parse_scenario_bytes(toml_text.encode("utf-8"))))


def toml_of(raw: Mapping[str, Any]) -> str:
    """Validated TOML text of a scenario mapping (the cache key of every simulation)."""
    return scenario_to_toml(parse_scenario(dict(raw)))


def run(raw: Mapping[str, Any]) -> Result:
    """Validate a scenario mapping and simulate it (cached on its TOML text)."""
    return run_scenario(parse_scenario(dict(raw)))


def run_scenario(s: Scenario) -> Result:
    """Simulate an already parsed Scenario (cached on its TOML text)."""
    return _simulate(scenario_to_toml(s), s)


def guarded(body: Callable[[], None]) -> None:
    """Run a page: a scenario error is shown as its one line, anything else as a short message (details logged)."""
    try:
        with RUNNING:
            body()
    except ScenarioError as err:
        st.error(f"This scenario cannot be simulated: {plain(err)}")
    except Exception:  # st.stop and reruns are not Exceptions; they pass
        log.exception("page failed")
        st.error(FRIENDLY, icon=":material/error:")


def try_run(raw: Mapping[str, Any]) -> Result | None:
    """Like :func:`run`, but shows a readable error instead of raising."""
    try:
        return run(raw)
    except ScenarioError as err:
        st.error(f"This scenario cannot be simulated: {plain(err)}")
        return None
