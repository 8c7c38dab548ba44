"""Where the work of a study runs: in this process, a pool of local processes, or a Dask cluster.

Every task is a pure function of its arguments (seeds included), so results do not depend on the
engine or on how the work is cut into tasks. ``scheduler`` is the address of an existing Dask
distributed scheduler (``tcp://host:8786``); ``distributed`` is imported only then.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def default_workers() -> int:
    """Local worker processes by default: one per core."""
    return max(1, os.cpu_count() or 1)


def map_tasks(
    fn: Callable[[Any], T], tasks: Sequence[Any], workers: int | None = None, scheduler: str | None = None
) -> list[T]:
    """``[fn(t) for t in tasks]`` in order, on ``workers`` local processes (1: in this process) or a Dask scheduler."""
    tasks = list(tasks)
    if scheduler:
        from distributed import Client

        from .scenario import ScenarioError

        try:
            with Client(scheduler, timeout="30s") as client:
                return client.gather(client.map(fn, tasks, pure=False))
        except (OSError, TimeoutError, RuntimeError, ModuleNotFoundError) as err:
            first = (str(err).splitlines() or [type(err).__name__])[0]
            raise ScenarioError(
                f"--scheduler {scheduler[:80]}: {first} (the workers need this program on their "
                "Python path, same version)"
            ) from None
    workers = default_workers() if workers is None else workers
    if workers <= 1 or len(tasks) <= 1:
        return [fn(t) for t in tasks]
    with ProcessPoolExecutor(max_workers=min(workers, len(tasks))) as pool:
        return list(pool.map(fn, tasks))
