"""The progress line: tests done of the total, failures so far, time left, on a terminal or in a log."""

from __future__ import annotations

import io
from types import SimpleNamespace
from typing import Any

from conformance.reporting.progress import Progress


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _finish(progress: Progress, nodeid: str, status: str = "PASS") -> None:
    """Feed the reports of one test, as pytest's controller sees them."""
    call: Any = SimpleNamespace(nodeid=nodeid, when="call", user_properties=[("ipc_status", status)])
    teardown: Any = SimpleNamespace(nodeid=nodeid, when="teardown", user_properties=[])
    progress.pytest_runtest_logreport(call)
    progress.pytest_runtest_logreport(teardown)


def test_the_line_counts_tests_failures_and_time_left() -> None:
    clock = _Clock()
    progress = Progress(io.StringIO(), interactive=False, clock=clock)
    assert progress.line == "0/? tests | 0 failing | time left unknown"
    progress.pytest_xdist_node_collection_finished(node=None, ids=["a"] * 10)
    clock.now += 20
    _finish(progress, "t1", "FAIL")
    _finish(progress, "t2", "INCOMPATIBLE")
    _finish(progress, "t3", "TIMEOUT")
    _finish(progress, "t4")
    assert progress.line == "4/10 tests | 2 failing | 1 incompatible | about 0:30 left"
    clock.now += 3600
    assert progress.line.endswith("about 1:30:30 left")


def test_in_a_log_it_prints_a_line_each_tenth_of_the_run() -> None:
    stream = io.StringIO()
    progress = Progress(stream, interactive=False, clock=_Clock())
    progress.pytest_xdist_node_collection_finished(node=None, ids=["a"] * 20)
    for n in range(20):
        _finish(progress, f"t{n}")
    progress.pytest_sessionfinish()
    lines = stream.getvalue().splitlines()
    assert [line.split()[0] for line in lines] == [f"{n}/20" for n in range(2, 21, 2)]


def test_on_a_terminal_it_rewrites_one_line() -> None:
    stream = io.StringIO()
    clock = _Clock()
    progress = Progress(stream, interactive=True, clock=clock)
    progress.pytest_xdist_node_collection_finished(node=None, ids=["a"] * 3)
    for n in range(3):
        clock.now += 1
        _finish(progress, f"t{n}", "ERROR" if n == 1 else "PASS")
    progress.pytest_sessionfinish()
    text = stream.getvalue()
    assert text.count("\n") == 1 and text.endswith("\n")
    assert text.count("\r") == 4
    assert text.rstrip().rpartition("\r")[2] == "3/3 tests | 1 failing | about 0:00 left"
