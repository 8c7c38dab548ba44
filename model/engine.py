"""Where the work of a study runs: in this process, a pool of local processes, or a Dask cluster.

Every task is a pure function of its arguments (seeds included), so results do not depend on the
engine or on how the work is cut into tasks. ``scheduler`` is the address of an existing Dask
distributed scheduler (``tcp://host:8786``); ``distributed`` is imported only then.
"""

from __future__ import annotations

import logging
import os
import re
import socket
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from .scenario import ScenarioError

T = TypeVar("T")
CONNECT_TIMEOUT_S = 8.0
#: Called with (tasks done, tasks in all) as a study's tasks finish; set with :func:`reporting`.
_PROGRESS: ContextVar[Callable[[int, int], None] | None] = ContextVar("progress", default=None)


@contextmanager
def reporting(progress: Callable[[int, int], None]) -> Iterator[None]:
    """Inside this block :func:`map_tasks` calls ``progress(done, total)`` as each task finishes."""
    token = _PROGRESS.set(progress)
    try:
        yield
    finally:
        _PROGRESS.reset(token)


_ADDRESS = re.compile(r"(tcp|tls)://(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252}))(?::([0-9]{1,5}))?")


def scheduler_address(address: str) -> tuple[str, str, int]:
    """(scheme, host, port) of a Dask scheduler address ``tcp://host:port`` (or ``tls://``); one clear error otherwise."""
    shown = repr(address[:60])
    m = _ADDRESS.fullmatch(address) if len(address) <= 300 else None
    if m is None:
        raise ScenarioError(
            f"--scheduler {shown}: give tcp://HOST:PORT or tls://HOST:PORT (no user names, paths or spaces)"
        )
    port = int(m.group(3) or 8786)
    if not 1 <= port <= 65535:
        raise ScenarioError(f"--scheduler {shown}: the port must be 1..65535")
    return m.group(1), m.group(2).strip("[]"), port


def default_workers() -> int:
    """Local worker processes by default: one per core."""
    return max(1, os.cpu_count() or 1)


def map_tasks(
    fn: Callable[[Any], T], tasks: Sequence[Any], workers: int | None = None, scheduler: str | None = None
) -> list[T]:
    """``[fn(t) for t in tasks]`` in order, on ``workers`` local processes (1: in this process) or a Dask scheduler."""
    tasks = list(tasks)
    progress = _PROGRESS.get() or (lambda done, total: None)
    if scheduler:
        return _on_dask(fn, tasks, scheduler, progress)
    workers = default_workers() if workers is None else workers
    if workers <= 1 or len(tasks) <= 1:
        out = []
        for t in tasks:
            out.append(fn(t))
            progress(len(out), len(tasks))
        return out
    with ProcessPoolExecutor(max_workers=min(workers, len(tasks))) as pool:
        futures = {pool.submit(fn, t): i for i, t in enumerate(tasks)}
        results: list[Any] = [None] * len(tasks)
        for done, f in enumerate(as_completed(futures), 1):
            results[futures[f]] = f.result()
            progress(done, len(tasks))
        return results


def _on_dask(fn: Callable[[Any], T], tasks: list[Any], scheduler: str, progress: Callable[[int, int], None]) -> list[T]:
    """The tasks on an existing Dask scheduler; every failure to reach it is one line within ~8 s."""
    scheme, host, port = scheduler_address(scheduler)
    shown = f"--scheduler {scheduler[:80]}"
    try:  # is anything listening? (refused or silent addresses fail here, fast)
        socket.create_connection((host, port), timeout=CONNECT_TIMEOUT_S).close()
    except OSError as err:
        raise ScenarioError(f"{shown}: cannot connect ({err.strerror or type(err).__name__})") from None
    from distributed import Client

    logging.getLogger("distributed").setLevel(logging.CRITICAL)
    made: dict[str, Any] = {}

    def connect() -> None:  # in a thread: a server that accepts and never answers must not hold the command
        try:
            made["client"] = Client(f"{scheme}://{host}:{port}", timeout=f"{CONNECT_TIMEOUT_S:g}s")
        except Exception as err:  # noqa: BLE001 - a foreign server (HTTP, TLS mismatch) fails in many ways
            made["error"] = err

    attempt = threading.Thread(target=connect, daemon=True)
    attempt.start()
    attempt.join(CONNECT_TIMEOUT_S + 0.5)
    if "client" not in made:
        err = made.get("error")
        why = (
            ((str(err).splitlines() or [""])[0][:160] or type(err).__name__)
            if err
            else f"no answer in {CONNECT_TIMEOUT_S:g} s"
        )
        raise ScenarioError(f"{shown}: not a Dask scheduler ({why})")
    client = made["client"]
    with client:
        try:
            client.wait_for_workers(1, timeout=CONNECT_TIMEOUT_S)
        except TimeoutError:
            raise ScenarioError(f"{shown}: the scheduler has no workers; start some with dask worker") from None
        try:
            from distributed import as_completed as finished

            futures = client.map(fn, tasks, pure=False)
            for done, _ in enumerate(finished(futures), 1):
                progress(done, len(tasks))
            return client.gather(futures)
        except (OSError, ModuleNotFoundError) as err:
            first = (str(err).splitlines() or [type(err).__name__])[0][:160]
            raise ScenarioError(
                f"{shown}: {first} (the workers need this program on their Python path, same version)"
            ) from None
