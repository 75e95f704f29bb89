"""Collects the verdict of every test of a run and writes the report (``report.json``, ``summary.md``).

A pytest plugin object: the controller receives every test report (also from
xdist workers), keeps the status the suite's plugin gave it, and at the end of
the session summarises per clause and per area, with two scores kept apart:
conformance (MUST clauses) and Electron v0.32 compatibility (IMPL clauses).
"""

from __future__ import annotations

import json
import platform
import time
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pytest

import conformance
from conformance.catalog import Catalog, Level, load_catalog
from conformance.verdicts import Status

__all__ = ["ReportCollector", "TestResult", "summarise_clauses"]

_SEVERITY = [Status.PASS, Status.UNSUPPORTED, Status.INCOMPATIBLE, Status.TIMEOUT, Status.ERROR, Status.FAIL]


@dataclass
class TestResult:
    """The outcome of one test of the suite."""

    id: str
    clauses: list[str]
    status: str
    duration: float = 0.0
    violated: list[str] = field(default_factory=list)
    message: str = ""
    info: list[list[str]] = field(default_factory=list)
    """Observations of UNSPEC behaviour: [clause, text] pairs."""


def _worst(statuses: Iterable[str]) -> str:
    ranked = sorted((Status(s) for s in statuses), key=_SEVERITY.index)
    return ranked[-1].value if ranked else "UNTESTED"


def summarise_clauses(results: Iterable[TestResult], catalog: Catalog) -> dict[str, dict[str, Any]]:
    """Return each clause's status: the worst outcome among the tests that check it.

    A test that failed on other clauses counts as a pass for this one.
    """
    by_clause: dict[str, list[str]] = {c.id: [] for c in catalog}
    tests: dict[str, list[str]] = {c.id: [] for c in catalog}
    notes: dict[str, list[str]] = {c.id: [] for c in catalog}
    for result in results:
        for clause, text in result.info:
            notes.setdefault(clause, []).append(text)
        for clause in result.clauses:
            status = result.status
            if status in (Status.FAIL, Status.INCOMPATIBLE) and clause not in result.violated:
                status = Status.PASS
            by_clause.setdefault(clause, []).append(status)
            tests.setdefault(clause, []).append(result.id)
    return {
        clause.id: {
            "level": clause.level.value,
            "area": clause.area,
            "status": "INFO"
            if clause.level is Level.UNSPEC and notes[clause.id]
            else _worst(by_clause[clause.id]),
            "tests": tests[clause.id],
            "observations": sorted(set(notes[clause.id])),
        }
        for clause in catalog
    }


def _score(clauses: Mapping[str, Mapping[str, Any]], level: Level) -> dict[str, Any]:
    judged = [c for c in clauses.values() if c["level"] == level.value and c["status"] != "UNTESTED"]
    passed = sum(1 for c in judged if c["status"] == Status.PASS)
    considered = [c for c in judged if c["status"] != Status.UNSUPPORTED]
    return {
        "passed": passed,
        "of": len(considered),
        "unsupported": len(judged) - len(considered),
        "percent": round(100 * passed / len(considered), 1) if considered else None,
    }


class ReportCollector:
    """A pytest plugin that gathers results and writes the report into ``report_dir``."""

    def __init__(self, report_dir: Path, run_info: Mapping[str, Any]) -> None:
        self.report_dir = report_dir
        self.run_info = dict(run_info)
        self.results: dict[str, TestResult] = {}
        self.started = time.time()
        self.verdict: str = "ERROR"

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        props_list: list[tuple[str, Any]] = list(report.user_properties)
        props: dict[str, Any] = dict(props_list)
        if "ipc_status" not in props:
            return
        result = self.results.setdefault(
            report.nodeid, TestResult(report.nodeid, list(props["ipc_clauses"]), "")
        )
        result.duration += report.duration
        result.status = _worst([result.status, props["ipc_status"]]) if result.status else props["ipc_status"]
        result.violated = sorted(set(result.violated) | set(props.get("ipc_violated", [])))
        if report.failed or props["ipc_status"] != Status.PASS:
            result.message = report.longreprtext or str(getattr(report, "wasxfail", ""))
        result.info.extend([str(part) for part in value] for name, value in props_list if name == "ipc_info")

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        catalog = load_catalog()
        results = list(self.results.values())
        clauses = summarise_clauses(results, catalog)
        statuses = {r.status for r in results}
        strict = bool(self.run_info.get("strict"))
        failing = {Status.FAIL, Status.ERROR, Status.TIMEOUT} | ({Status.INCOMPATIBLE} if strict else set())
        self.verdict = "NOT CONFORMANT" if statuses & failing or not results else "CONFORMANT"
        report = {
            "run": {
                **self.run_info,
                "suite": {"name": "electron-ipc-conformance", "version": conformance.__version__},
                "started": self.started,
                "finished": time.time(),
                "platform": platform.platform(),
                "python": platform.python_version(),
            },
            "verdict": self.verdict,
            "scores": {
                "conformance": _score(clauses, Level.MUST),
                "compatibility": _score(clauses, Level.IMPL),
            },
            "results": [asdict(r) for r in sorted(results, key=lambda r: r.id)],
            "clauses": clauses,
        }
        self.report_dir.mkdir(parents=True, exist_ok=True)
        (self.report_dir / "report.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        (self.report_dir / "summary.md").write_text(_summary(report), encoding="utf-8")


def _summary(report: Mapping[str, Any]) -> str:
    """Return the report as Markdown for CI step summaries: verdict, scores, what did not pass."""
    implementation = report["run"]["implementation"]
    scores = report["scores"]
    lines = [
        f"# {report['verdict']}: {implementation['name']} {implementation['version']}",
        "",
        "| score | passed | of | unsupported |",
        "| --- | --- | --- | --- |",
        *(
            f"| {name} ({level}) | {s['passed']} | {s['of']} | {s['unsupported']} |"
            for name, level, s in (
                ("conformance", "MUST", scores["conformance"]),
                ("Electron v0.32 compatibility", "IMPL", scores["compatibility"]),
            )
        ),
        "",
    ]
    failing = [
        (cid, c) for cid, c in report["clauses"].items() if c["status"] not in ("PASS", "UNTESTED", "INFO")
    ]
    if failing:
        lines += ["| clause | level | status |", "| --- | --- | --- |"]
        lines += [f"| {cid} | {c['level']} | {c['status']} |" for cid, c in failing]
    else:
        lines.append("Every tested clause passed.")
    return "\n".join(lines) + "\n"
