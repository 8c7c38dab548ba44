"""The server's admission of costly runs: cheap runs never wait, costly ones in arrival order within a memory pool."""

import threading
import time
from types import SimpleNamespace

from ui.runs import Admission


def cost(seconds: float, megabytes: float) -> SimpleNamespace:
    return SimpleNamespace(seconds=seconds, megabytes=megabytes)


def hold(gate: Admission, c: SimpleNamespace, log: list, name: str, release: threading.Event) -> threading.Thread:
    def body() -> None:
        with gate.admit(c):
            log.append(name)
            release.wait(5)

    t = threading.Thread(target=body, daemon=True)
    t.start()
    return t


def test_a_cheap_run_passes_while_costly_ones_fill_every_place():
    gate, log, release = Admission(slots=2, megabytes=400), [], threading.Event()
    busy = [hold(gate, cost(3.0, 100), log, f"heavy{i}", release) for i in range(3)]
    time.sleep(0.2)
    assert sorted(log) == ["heavy0", "heavy1"] and gate.running == 2  # the third waits
    t0 = time.perf_counter()
    with gate.admit(cost(0.05, 5)):  # a lesson's usual run
        pass
    assert time.perf_counter() - t0 < 0.05
    release.set()
    for t in busy:
        t.join(5)
    assert gate.running == 0 and gate.held_mb == 0


def test_costly_runs_are_admitted_in_arrival_order_and_within_the_memory_pool():
    gate, log, release = Admission(slots=3, megabytes=400), [], threading.Event()
    first = hold(gate, cost(3.0, 300), log, "a", release)
    time.sleep(0.1)
    later = []
    for name in ("b", "c"):  # b needs 300 MB more (over the pool), c only 50: c still waits behind b
        later.append(hold(gate, cost(3.0, 300 if name == "b" else 50), log, name, release))
        time.sleep(0.1)
    assert log == ["a"]
    release.set()
    for t in [first, *later]:
        t.join(5)
    assert log == ["a", "b", "c"]


def test_one_run_over_the_pool_still_runs_alone():
    gate, log, release = Admission(slots=2, megabytes=400), [], threading.Event()
    release.set()
    hold(gate, cost(3.0, 480), log, "big", release).join(5)
    assert log == ["big"]
