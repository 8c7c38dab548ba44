"""Running scenarios for the pages: a cache bounded by bytes, fair admission of costly runs, error guarding."""

from __future__ import annotations

import ctypes
import ctypes.util
import dataclasses
import gc
import logging
import threading
from collections import OrderedDict, deque
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from model import Scenario, ScenarioError, lessons, parse_scenario, simulate
from model.budget import Cost, run_cost
from model.drugs import Molecule
from model.scenario import scenario_to_toml
from model.simulation import Result

from .text import plain

CACHE_BYTES = 160_000_000  # results kept for every session together, by their size in memory
FRIENDLY = (
    "Something went wrong on this page; it has been logged. Change a setting, reload the page, or open another lesson."
)
log = logging.getLogger("naltrexone.app")


def frame_bytes(table: pd.DataFrame) -> int:
    """Memory held by a table's columns and index: numpy columns by their item size, others as pandas counts them."""
    dtypes = table.dtypes
    simple = sum(d.itemsize for d in dtypes if isinstance(d, np.dtype) and not d.hasobject)
    other = sum(
        table.iloc[:, i].array.nbytes for i, d in enumerate(dtypes) if not isinstance(d, np.dtype) or d.hasobject
    )
    return len(table) * simple + other + table.index.nbytes


def nbytes(obj: Any) -> int:
    """Approximate memory held by a result: its arrays, tables and the mappings and dataclasses holding them."""
    if isinstance(obj, np.ndarray):
        return obj.nbytes
    if isinstance(obj, (bytes, bytearray)):
        return len(obj)
    if isinstance(obj, (pd.DataFrame, pd.Series)):
        return frame_bytes(obj) if isinstance(obj, pd.DataFrame) else obj.nbytes
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


class Admission:
    """Costly runs share the server fairly: at most ``slots`` at once and ``megabytes`` of predicted memory.

    Runs wait in arrival order, so a session waits for the costly runs ahead of its own, never for a
    stream of later ones; a run predicted under ``cheap_s`` and 50 MB (a lesson's usual run) never
    waits, so a student opening a page is not queued behind anyone's heavy work. One run over
    ``megabytes`` alone still runs (the per-run budget bounds it), but alone.
    """

    def __init__(self, slots: int = 2, megabytes: float = 400.0, cheap_s: float = 0.3) -> None:
        self.slots, self.megabytes, self.cheap_s = slots, megabytes, cheap_s
        self.running, self.held_mb = 0, 0.0
        self._queue: deque[object] = deque()
        self._cond = threading.Condition()

    def _full(self, mb: float) -> bool:
        return self.running >= self.slots or (self.running > 0 and self.held_mb + mb > self.megabytes)

    @contextmanager
    def admit(self, cost: Cost) -> Iterator[None]:
        """Hold a place for a run of ``cost`` while inside the block (at once when it is cheap)."""
        if cost.seconds < self.cheap_s and cost.megabytes < 50:
            yield
            return
        ticket, mb = object(), float(cost.megabytes)
        with self._cond:
            self._queue.append(ticket)
            while self._queue[0] is not ticket or self._full(mb):
                self._cond.wait()
            self._queue.popleft()
            self.running += 1
            self.held_mb += mb
            self._cond.notify_all()
        try:
            yield
        finally:
            with self._cond:
                self.running -= 1
                self.held_mb -= mb
                self._cond.notify_all()
            if LIBC is not None:
                LIBC.malloc_trim(0)  # give a costly run's freed memory back to the system


#: The server's one admission for costly simulations (runs and population bands).
HEAVY = Admission()


def _libc() -> Any:
    """The C library when it is glibc (its malloc tunables), else None."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc if hasattr(libc, "mallopt") and hasattr(libc, "malloc_trim") else None
    except OSError:
        return None


LIBC = _libc()
if LIBC is not None:
    # Each session's script thread would get malloc arenas of its own that keep freed memory: two
    # arenas for the whole server keep its resident memory near what it uses (M_ARENA_MAX = -8).
    LIBC.mallopt(-8, 2)


_heap_frozen = threading.Event()


def freeze_heap_once() -> None:
    """After the process's first page run: take every object alive so far out of the cyclic collector's scans.

    A full collection scans every object the process holds, the libraries' included (numba, pandas,
    Streamlit); each took 60-120 ms and fell on some student's control change at random. Objects alive
    after the first run (modules, the registries) live as long as the process anyway.
    """
    if not _heap_frozen.is_set():
        _heap_frozen.set()
        gc.freeze()


def costly(s: Scenario, make: Callable[[], Any]) -> Any:
    """``make()`` once the server admits a run of ``s``'s predicted cost."""
    with HEAVY.admit(run_cost(s)):
        return make()


def _simulate(toml_text: str, s: Scenario) -> Result:
    """Simulate ``s`` (whose TOML text is ``toml_text``), shared between sessions in :data:`RESULTS`.

    A shared result's arrays are read-only; each caller gets its own (copy-on-write) tables, and its
    own scenario (the shared run may have been asked for with another seed that draws nothing).
    """
    r = RESULTS.get(toml_text, lambda: costly(s, lambda: simulate(s)))
    return dataclasses.replace(r, scenario=s, table=r.table.copy(deep=False), challenges=r.challenges.copy(deep=False))


def cache_key(s: Scenario) -> str:
    """The TOML text of ``s``, with a seed that draws nothing (no missed doses, no people) set to 0: the same run."""
    if s.options.seed and not s.options.population and all(d.taken_probability >= 1 for d in s.doses):
        s = dataclasses.replace(s, options=dataclasses.replace(s.options, seed=0))
    return scenario_to_toml(s)


def protection_table(raw: Mapping[str, Any]) -> pd.DataFrame:
    """Days protected against 25 mg IV heroin for a regimen scenario, without the per-day challenge ratio.

    Shared between sessions in :data:`RESULTS` (cached on the scenario's :func:`cache_key`), like its run.
    """
    s = parse_scenario(dict(raw))
    key = cache_key(s)

    def make() -> pd.DataFrame:
        return lessons.days_protected(_simulate(key, s), heroin_ratio=False)

    return RESULTS.get("days protected\n" + key, make).copy(deep=False)


def run(raw: Mapping[str, Any]) -> Result:
    """Validate a scenario mapping and simulate it (cached on its TOML text)."""
    return run_scenario(parse_scenario(dict(raw)))


def run_scenario(s: Scenario) -> Result:
    """Simulate an already parsed Scenario (cached on :func:`cache_key`)."""
    return _simulate(cache_key(s), s)


def guarded(body: Callable[[], None]) -> None:
    """Run a page: a scenario error is shown as its one line, anything else as a short message (details logged)."""
    try:
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
