"""The live progress line of a run: tests done of the total, failures so far, and time left.

A pytest plugin object for the controller (it also counts what xdist workers
report).  On a terminal it rewrites one line; in a log (CI) it prints a line at
every tenth of the run, so the log stays short.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Final, TextIO

import pytest

from conformance.verdicts import Status

__all__ = ["Progress"]

_FAILING: Final = frozenset({Status.FAIL, Status.ERROR, Status.TIMEOUT})
_REDRAW_SECONDS: Final = 0.1
_LOG_STEPS: Final = 10


def _clock(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes // 60}:{minutes % 60:02d}:{secs:02d}" if minutes >= 60 else f"{minutes}:{secs:02d}"


class Progress:
    """Counts finished tests and failures; draws the progress line on ``stream``."""

    def __init__(
        self,
        stream: TextIO,
        *,
        interactive: bool | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream
        self.interactive = stream.isatty() if interactive is None else interactive
        self.clock = clock
        self.total = 0
        self.done = 0
        self.failing: set[str] = set()
        self.incompatible: set[str] = set()
        self._started: float | None = None
        self._drawn_at = float("-inf")
        self._logged_step = 0
        self._width = 0

    @property
    def line(self) -> str:
        """Return the progress line as it stands."""
        parts = [f"{self.done}/{self.total or '?'} tests", f"{len(self.failing)} failing"]
        if self.incompatible:
            parts.append(f"{len(self.incompatible)} incompatible")
        left = self.seconds_left()
        parts.append("time left unknown" if left is None else f"about {_clock(left)} left")
        return " | ".join(parts)

    def seconds_left(self) -> float | None:
        """Return the estimated seconds until the last test ends, from the pace so far."""
        if self._started is None or not self.done or not self.total:
            return None
        pace = (self.clock() - self._started) / self.done
        return pace * max(self.total - self.done, 0)

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        if session.items:  # under xdist the controller collects nothing; its workers say how many
            self._set_total(len(session.items))

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, node: object, ids: Sequence[str]) -> None:
        self._set_total(len(ids))

    def _set_total(self, total: int) -> None:
        self.total = max(self.total, total)
        if self._started is None:
            self._started = self.clock()

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        status = dict(report.user_properties).get("ipc_status")
        if status in _FAILING:
            self.failing.add(report.nodeid)
        elif status == Status.INCOMPATIBLE:
            self.incompatible.add(report.nodeid)
        if report.when == "teardown":
            self.done += 1
            self._draw()

    def _draw(self) -> None:
        now = self.clock()
        if self.interactive:
            if now - self._drawn_at < _REDRAW_SECONDS and self.done < self.total:
                return
            self._drawn_at = now
            line = self.line
            self.stream.write("\r" + line.ljust(self._width))
            self._width = len(line)
        else:
            step = self.done * _LOG_STEPS // self.total if self.total else 0
            if step <= self._logged_step:
                return
            self._logged_step = step
            self.stream.write(self.line + "\n")
        self.stream.flush()

    def pytest_sessionfinish(self) -> None:
        if self.interactive and self._width:
            self.stream.write("\r" + self.line.ljust(self._width) + "\n")
            self.stream.flush()
