"""Collects the outcome of every test of a run into a ``Report`` (report.schema.json).

A pytest plugin object: the controller receives every test report (also from
xdist workers) with the status, clauses, scenario and trace that the suite's
plugin attached as user properties, and keeps, for each failure, what is needed
to see it again (message, minimal example, trace, replay seed and blob).
"""

from __future__ import annotations

import platform
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

import pytest

import conformance
from conformance.adapters import Hello
from conformance.catalog import Catalog, load_catalog
from conformance.reporting import failures, tally
from conformance.reporting.report import (
    FORMAT,
    Failure,
    Interruption,
    Observation,
    Report,
    Result,
    RunInfo,
)
from conformance.verdicts import Status

__all__ = ["ReportCollector", "RunSettings"]

DETAILS_LIMIT: Final = 20_000
"""Characters kept of a broken test's traceback (its end, where the cause is)."""
_QUIET_TYPES: Final = ("ClauseViolation", "AdapterFailure")
"""Exception types whose text says it all: their names are left out of messages."""
_WITH_FAILURE: Final = frozenset({Status.FAIL, Status.INCOMPATIBLE, Status.ERROR, Status.TIMEOUT})
_BROKEN: Final = frozenset({Status.ERROR, Status.TIMEOUT})


@dataclass(frozen=True)
class RunSettings:
    """How the suite was run: what a replay needs to run a test the same way again."""

    adapter: str
    edition: str
    strict: bool
    profile: str
    seed: int
    timeout: float
    keyword: str | None = None
    start_timeout: float = 10.0
    restart_budget: int = 3


def _utc(stamp: float) -> str:
    return datetime.fromtimestamp(stamp, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _texts(report: pytest.TestReport) -> tuple[str, str]:
    """Return a report's exception text (the crash message with its notes) and its full text."""
    longrepr = report.longrepr
    if isinstance(longrepr, tuple):
        reason = str(longrepr[2]).removeprefix("Skipped: ")
        return reason, reason
    crash = getattr(longrepr, "reprcrash", None)
    full = report.longreprtext
    return (crash.message if crash is not None else full), full


class ReportCollector:
    """A pytest plugin that gathers the results of a run; ``report()`` returns them as a ``Report``."""

    def __init__(self, settings: RunSettings, hello: Hello) -> None:
        self.settings = settings
        self.hello = hello
        self.results: dict[str, Result] = {}
        self.collection_errors: list[str] = []
        self.planned = 0
        """How many tests the run selected (under xdist, as many as a worker collected)."""
        self.started = time.time()
        self.finished: float | None = None

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self.planned = max(self.planned, len(session.items))

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, node: object, ids: Sequence[str]) -> None:
        self.planned = max(self.planned, len(ids))

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            last = report.longreprtext.strip().splitlines()[-1:] or ["(no message)"]
            self.collection_errors.append(f"{report.nodeid or 'collection'}: {last[0]}")

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        props: dict[str, Any] = dict(report.user_properties)
        if "ipc_status" not in props:
            return
        status = str(props["ipc_status"])
        result = self.results.setdefault(
            report.nodeid,
            {
                "id": report.nodeid,
                "clauses": list(props["ipc_clauses"]),
                "status": Status.PASS.value,
                "duration": 0.0,
                "message": "",
                "violated": [],
                "observations": [],
            },
        )
        result["duration"] = round(result["duration"] + report.duration, 4)
        result["violated"] = sorted({*result["violated"], *props.get("ipc_violated", [])})
        info: list[tuple[str, Any]] = [(name, value) for name, value in report.user_properties]
        result["observations"] += [
            Observation(clause=value[0], text=value[1]) for name, value in info if name == "ipc_info"
        ]
        if status == Status.PASS or tally.worst([result["status"], status]) != status:
            return
        result["status"] = status
        crash, full = _texts(report)
        result["message"] = failures.message(crash, quiet_types=_QUIET_TYPES)
        if status in _WITH_FAILURE:
            result["failure"] = self._failure(report.nodeid, status, props, crash, full)

    def _failure(self, nodeid: str, status: str, props: dict[str, Any], crash: str, full: str) -> Failure:
        s = self.settings
        return {
            "counterexample": failures.counterexample(crash),
            "scenario": props.get("ipc_scenario"),
            "trace": props.get("ipc_trace"),
            "details": full[-DETAILS_LIMIT:] if status in _BROKEN else None,
            "replay": {
                "test": nodeid,
                "seed": s.seed,
                "adapter": s.adapter,
                "edition": s.edition,
                "profile": s.profile,
                "strict": s.strict,
                "timeout": s.timeout,
                "hypothesis": failures.hypothesis_blob(full),
            },
        }

    def pytest_sessionfinish(self) -> None:
        self.finished = time.time()

    def run_info(self, interrupted_by: str | None = None) -> RunInfo:
        """Return what identifies this run: the suite, the implementation, the settings, when and where.

        ``interrupted_by`` says what stopped the run early (a signal's name), if anything did.
        """
        import hypothesis  # not before pytest has started: its plugin module is rewritten

        finished = self.finished or time.time()
        s, hello = self.settings, self.hello
        return {
            "id": datetime.fromtimestamp(self.started, UTC).strftime("%Y%m%dT%H%M%SZ"),
            "suite": {"name": "electron-ipc-conformance", "version": conformance.__version__},
            "edition": s.edition,
            "strict": s.strict,
            "profile": s.profile,
            "seed": s.seed,
            "keyword": s.keyword,
            "timeout": s.timeout,
            "adapter": s.adapter,
            "implementation": {
                "name": hello.name,
                "version": hello.version,
                "protocol": hello.protocol,
                "language": hello.language,
                "homepage": hello.homepage,
                "edition": hello.edition,
                "capabilities": sorted(hello.capabilities),
                "valueKinds": sorted(hello.value_kinds),
            },
            "started": _utc(self.started),
            "finished": _utc(finished),
            "duration": round(finished - self.started, 3),
            "platform": {
                "system": platform.platform(),
                "python": platform.python_version(),
                "pytest": pytest.__version__,
                "hypothesis": hypothesis.__version__,
            },
            "interrupted": None
            if interrupted_by is None
            else Interruption(by=interrupted_by, planned=self.planned),
        }

    def report(self, catalog: Catalog | None = None, *, interrupted_by: str | None = None) -> Report:
        """Return the run's report, judged on its verdict alone (a baseline is applied afterwards).

        A run stopped early by ``interrupted_by`` (a signal's name) reports the tests that ended before.
        """
        catalog = catalog or load_catalog()
        results = sorted(self.results.values(), key=lambda r: r["id"])
        clauses = tally.summarise_clauses(results, catalog)
        strict = self.settings.strict
        run = self.run_info(interrupted_by)
        return {
            "format": FORMAT,
            "run": run,
            "verdict": tally.verdict(results, strict=strict, interrupted=interrupted_by is not None),
            "gate": tally.gate_without_baseline(results, strict=strict, interruption=run["interrupted"]),
            "scores": tally.scores(clauses),
            "areas": tally.summarise_areas(clauses, catalog),
            "clauses": clauses,
            "results": results,
        }
