"""Timing of the reference implementation: ``python -m reference_impl.benchmark [ROUND_TRIPS]``.

Prints the page spawn time, the ``sendSync`` round trip, and for scale a raw pipe
ping-pong between two Python processes, measured alternately so that both see
the same machine load.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import threading
import time
from typing import Final

from reference_impl.main_process import Main
from reference_impl.page import Page

_ECHO: Final = (
    "import os, sys\nwhile data := os.read(int(sys.argv[1]), 64):\n    os.write(int(sys.argv[2]), data)\n"
)
_WARM_UP: Final = 200
_ROUNDS: Final = 5
_SPAWNS: Final = 10


def page_program(page: Page, round_trips: int) -> None:
    """Time ``round_trips`` answered ``send_sync`` calls; post the mean in seconds."""
    for number in range(_WARM_UP):
        page.ipc.send_sync("benchmark", number)
    started = time.perf_counter()
    for number in range(round_trips):
        page.ipc.send_sync("benchmark", number)
    page.post((time.perf_counter() - started) / round_trips)


def raw_ping_pong(round_trips: int) -> float:
    """Return the mean round trip of one byte line through two pipes and an echoing Python process."""
    to_child_read, to_child_write = os.pipe()
    from_child_read, from_child_write = os.pipe()
    child = subprocess.Popen(
        [sys.executable, "-S", "-c", _ECHO, str(to_child_read), str(from_child_write)],
        pass_fds=(to_child_read, from_child_write),
    )
    os.close(to_child_read)
    os.close(from_child_write)
    for _ in range(_WARM_UP):
        os.write(to_child_write, b"x\n")
        os.read(from_child_read, 64)
    started = time.perf_counter()
    for _ in range(round_trips):
        os.write(to_child_write, b"x\n")
        os.read(from_child_read, 64)
    elapsed = time.perf_counter() - started
    os.close(to_child_write)
    child.wait()
    os.close(from_child_read)
    return elapsed / round_trips


def run(round_trips: int) -> None:
    """Measure and print."""
    with Main() as main:
        main.ipc.on("benchmark", lambda event, number: setattr(event, "return_value", number))
        spawns = []
        for _ in range(_SPAWNS):
            started = time.perf_counter()
            main.create_page().destroy()
            spawns.append(time.perf_counter() - started)
        print(f"page spawn: median {statistics.median(spawns) * 1e3:.1f} ms, min {min(spawns) * 1e3:.1f} ms")
        page = main.create_page()
        results: list[float] = []
        posted = threading.Event()

        def on_post(mean: float) -> None:
            results.append(mean)
            posted.set()

        page.on("console-message", on_post)
        for _ in range(_ROUNDS):
            raw = raw_ping_pong(round_trips)
            posted.clear()
            page.load("reference_impl.benchmark:page_program", round_trips)
            if not posted.wait(60 + round_trips / 1000):
                raise TimeoutError("the page did not finish its round trips")
            sync = results[-1]
            print(f"sendSync {sync * 1e6:6.1f} us, raw pipe ping-pong {raw * 1e6:5.1f} us: {sync / raw:.1f}x")


if __name__ == "__main__":
    run(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
