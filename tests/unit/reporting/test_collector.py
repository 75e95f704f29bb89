"""The collector: pytest's reports of suite tests become results, with what a replay of a failure needs."""

from __future__ import annotations

from typing import Any

import pytest

from conformance.adapters import Hello
from conformance.reporting.collector import ReportCollector, RunSettings
from conformance.reporting.report import validate_report

SETTINGS = RunSettings(
    adapter="reference", edition="v0.32", strict=False, profile="quick", seed=42, timeout=10.0
)
HELLO = Hello("impl", "2.0", "v0.32", frozenset({"sendSync"}), frozenset({"string"}), language="Rust")
FAILURE_TEXT = """conformance.verdicts.ClauseViolation: CH-1 (MUST): arguments of the listener
  expected: ("")
Falsifying example: test_x(
    ipc=<conformance.plugin.IpcFixture object at 0x7f00>,
    args=[''],
)
You can reproduce this example by temporarily adding @reproduce_failure('6.1.0', b'AAFB') as a decorator"""


def _report(when: Any, outcome: Any, longrepr: Any = None, **props: Any) -> pytest.TestReport:
    return pytest.TestReport(
        "test_channels.py::test_x",
        ("test_channels.py", 1, "test_x"),
        {},
        outcome,
        longrepr,
        when,
        duration=0.5,
        user_properties=list(props.items()),
    )


def test_a_failure_keeps_its_message_example_scenario_trace_and_replay() -> None:
    collector = ReportCollector(SETTINGS, HELLO)
    collector.pytest_runtest_logreport(_report("setup", "passed"))
    collector.pytest_runtest_logreport(
        _report(
            "call",
            "failed",
            FAILURE_TEXT,
            ipc_status="FAIL",
            ipc_clauses=["CH-1"],
            ipc_violated=["CH-1"],
            ipc_scenario={"pages": []},
            ipc_trace={"processes": {"main": []}},
        )
    )
    collector.pytest_runtest_logreport(_report("teardown", "passed"))
    collector.pytest_sessionfinish()
    report = validate_report(collector.report())
    (result,) = report["results"]
    assert result["message"] == 'CH-1 (MUST): arguments of the listener\n  expected: ("")'
    assert result["violated"] == ["CH-1"]
    failure = result["failure"]
    assert failure["counterexample"] == "test_x(\n    args=[''],\n)"
    assert (failure["scenario"], failure["trace"], failure["details"]) == (
        {"pages": []},
        {"processes": {"main": []}},
        None,
    )
    assert failure["replay"] == {
        "test": "test_channels.py::test_x",
        "seed": 42,
        "adapter": "reference",
        "edition": "v0.32",
        "profile": "quick",
        "strict": False,
        "timeout": 10.0,
        "hypothesis": {"version": "6.1.0", "blob": "AAFB"},
    }
    assert report["clauses"]["CH-1"]["status"] == "FAIL"
    assert report["gate"] == {"passed": False, "reason": "NOT CONFORMANT: CH-1 violated"}
    implementation = report["run"]["implementation"]
    assert (implementation["name"], implementation["language"], implementation["capabilities"]) == (
        "impl",
        "Rust",
        ["sendSync"],
    )


def test_a_broken_test_keeps_its_details_and_a_pass_has_no_failure() -> None:
    collector = ReportCollector(SETTINGS, HELLO)
    broken = _report(
        "call",
        "failed",
        "AdapterTimeout: no answer\nstderr: hung",
        ipc_status="TIMEOUT",
        ipc_clauses=["CH-2"],
    )
    collector.pytest_runtest_logreport(broken)
    passed = _report("call", "passed", ipc_status="PASS", ipc_clauses=["CH-3"])
    passed.nodeid = "test_channels.py::test_y"
    collector.pytest_runtest_logreport(passed)
    results = {r["id"]: r for r in collector.report()["results"]}
    assert (
        results["test_channels.py::test_x"]["failure"]["details"] == "AdapterTimeout: no answer\nstderr: hung"
    )
    assert "failure" not in results["test_channels.py::test_y"]
    assert results["test_channels.py::test_y"]["message"] == ""


def test_an_unsupported_test_keeps_the_reason_and_observations_are_kept() -> None:
    collector = ReportCollector(SETTINGS, HELLO)
    skipped = _report(
        "call",
        "skipped",
        ("test_channels.py", 2, "Skipped: UNSUPPORTED: no capability 'webview'"),
        ipc_status="UNSUPPORTED",
        ipc_clauses=["HOST-1"],
    )
    skipped.user_properties.append(("ipc_info", ["ORD-4", "p1 first"]))
    collector.pytest_runtest_logreport(skipped)
    (result,) = collector.report()["results"]
    assert (result["status"], result["message"]) == ("UNSUPPORTED", "UNSUPPORTED: no capability 'webview'")
    assert result["observations"] == [{"clause": "ORD-4", "text": "p1 first"}]
    assert "failure" not in result


def test_a_collection_error_is_remembered_in_one_line() -> None:
    collector = ReportCollector(SETTINGS, HELLO)
    error = pytest.CollectReport(
        "test_bad.py", "failed", "Traceback ...\nE   SyntaxError: invalid syntax", []
    )
    collector.pytest_collectreport(error)
    assert collector.collection_errors == ["test_bad.py: E   SyntaxError: invalid syntax"]


def test_an_interrupted_run_reports_what_stopped_it_and_how_many_tests_were_selected() -> None:
    collector = ReportCollector(SETTINGS, HELLO)
    collector.pytest_xdist_node_collection_finished(node=None, ids=["a", "b", "c"])
    collector.pytest_xdist_node_collection_finished(node=None, ids=["a", "b", "c"])
    collector.pytest_runtest_logreport(_report("call", "passed", ipc_status="PASS", ipc_clauses=["CH-1"]))
    report = validate_report(collector.report(interrupted_by="SIGTERM"))
    assert report["run"]["interrupted"] == {"by": "SIGTERM", "planned": 3}
    assert report["verdict"] == "INCOMPLETE"
    assert (
        report["gate"]["reason"]
        == "INCOMPLETE: interrupted by SIGTERM after 1 of 3 tests, none of them failing"
    )
    assert validate_report(collector.report())["run"]["interrupted"] is None
