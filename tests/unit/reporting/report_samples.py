"""Reports built by hand for the renderer and judge tests: results in, a schema-valid ``Report`` out.

The tallies come from the real catalog and ``tally``; only the run information is
made up, so each test states just the results it is about.
"""

from __future__ import annotations

from typing import Any

from conformance.catalog import load_catalog
from conformance.reporting import tally
from conformance.reporting.report import Failure, Interruption, Report, Result

SCENARIO: dict[str, Any] = {
    "pages": [{"id": "p1"}],
    "main": {"listeners": [{"id": "m1", "channel": "c", "actions": []}], "script": []},
    "renderers": {
        "p1": {"script": [{"op": "send", "channel": "c", "args": [{"type": "string", "value": ""}]}]}
    },
}


def trace(channel: str = "c", value: str = "") -> dict[str, Any]:
    """Return a trace in which main's listener m1 got one string on ``channel``."""
    delivery = {"type": "deliver", "t": 1.5, "listener": "m1", "channel": channel, "sender": "p1"}
    delivery["args"] = [{"type": "string", "value": value}]
    return {"processes": {"main": [delivery], "p1": [{"type": "script-end", "t": 1.0}]}}


def failure(
    test: str, *, counterexample: str | None = "f(args=[''])", blob: str | None = "AAFBAEEEQQAA", **extra: Any
) -> Failure:
    """Return a failure block for ``test``, with a scenario and trace unless ``extra`` says otherwise."""
    block: Failure = {
        "counterexample": counterexample,
        "scenario": SCENARIO,
        "trace": trace(),
        "details": None,
        "replay": {
            "test": test,
            "seed": 7,
            "adapter": "reference",
            "edition": "v0.32",
            "profile": "quick",
            "strict": False,
            "timeout": 10.0,
            "hypothesis": None if blob is None else {"version": "6.155.2", "blob": blob},
        },
    }
    block.update(extra)  # type: ignore[typeddict-item]
    return block


def result(test: str, clauses: list[str], status: str = "PASS", **extra: Any) -> Result:
    """Return the result of ``test`` (``name`` or ``file.py::name``); a failing one gets a failure block."""
    test_id = test if "::" in test else f"test_sample.py::{test}"
    made: Result = {
        "id": test_id,
        "clauses": clauses,
        "status": status,
        "duration": 0.25,
        "message": "" if status == "PASS" else f"{clauses[0]} ({status}): what went wrong",
        "violated": list(clauses) if status in ("FAIL", "INCOMPATIBLE") else [],
        "observations": [],
    }
    if status in ("FAIL", "INCOMPATIBLE", "ERROR", "TIMEOUT"):
        made["failure"] = failure(test_id)
    made.update(extra)  # type: ignore[typeddict-item]
    return made


def report(
    results: list[Result],
    *,
    strict: bool = False,
    name: str = "sample-impl",
    version: str = "1.0",
    interrupted: Interruption | None = None,
) -> Report:
    """Return a report of ``results`` for an implementation ``name`` ``version``, maybe ``interrupted``."""
    catalog = load_catalog()
    clauses = tally.summarise_clauses(results, catalog)
    return {
        "format": 1,
        "run": {
            "id": "20250102T030405Z",
            "suite": {"name": "electron-ipc-conformance", "version": "0.1.0"},
            "edition": "v0.32",
            "strict": strict,
            "profile": "quick",
            "seed": 7,
            "keyword": None,
            "timeout": 10.0,
            "adapter": "reference",
            "implementation": {
                "name": name,
                "version": version,
                "protocol": 1,
                "language": "Python",
                "homepage": None,
                "edition": "v0.32",
                "capabilities": ["sendSync"],
                "valueKinds": ["string"],
            },
            "started": "2025-01-02T03:04:05Z",
            "finished": "2025-01-02T03:04:35Z",
            "duration": 30.0,
            "platform": {"system": "Linux", "python": "3.11.7", "pytest": "9.0.0", "hypothesis": "6.155.2"},
            "interrupted": interrupted,
        },
        "verdict": tally.verdict(results, strict=strict, interrupted=interrupted is not None),
        "gate": tally.gate_without_baseline(results, strict=strict, interruption=interrupted),
        "scores": tally.scores(clauses),
        "areas": tally.summarise_areas(clauses, catalog),
        "clauses": clauses,
        "results": results,
    }
