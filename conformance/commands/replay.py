"""``ipc-conformance replay``: one failing test of a report, run again as it ran then.

By default the test runs again under pytest with the recorded seed, edition,
profile and strictness, and, when Hypothesis printed a ``@reproduce_failure``
blob of this Hypothesis version, with that exact example.  With ``--scenario``,
the recorded minimal scenario goes straight to the adapter and its trace is printed.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping
from importlib.metadata import version
from typing import Any

import pytest

from conformance.commands import EXIT_NO, EXIT_YES, adapter_problem, printable, unusable
from conformance.commands.run import preflight, pytest_arguments, run_pytest, suite_root
from conformance.reporting.collector import ReportCollector, RunSettings
from conformance.reporting.report import Failure, HypothesisBlob, Report, ReportError, Result, load_report
from conformance.verdicts import Status

__all__ = ["ReproduceBlob", "find_result", "main"]


class ReproduceBlob:
    """A pytest plugin that applies Hypothesis's ``@reproduce_failure`` to the collected ``@given`` tests."""

    def __init__(self, blob: HypothesisBlob | None) -> None:
        self.blob = blob
        self.applied = False

    @property
    def usable(self) -> bool:
        """Return whether the blob can be replayed: there is one, from this version of Hypothesis."""
        installed = version("hypothesis")  # read without importing it before pytest's assertion rewriting
        return self.blob is not None and self.blob["version"] == installed

    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        from hypothesis import reproduce_failure

        if self.blob is None or not self.usable:
            return
        for item in items:
            function = getattr(item, "obj", None)
            if function is not None and hasattr(function, "hypothesis"):  # a @given test
                reproduce_failure(self.blob["version"], self.blob["blob"].encode("ascii"))(function)
                self.applied = True


def find_result(report: Report, pattern: str) -> Result:
    """Return the result whose ID is, or else contains, ``pattern``; raise LookupError saying why not."""
    results = report["results"]
    exact = [r for r in results if r["id"] == pattern]
    matches = exact or [r for r in results if pattern in r["id"]]
    if len(matches) == 1:
        return matches[0]
    failing = [r["id"].rpartition("::")[2] for r in results if "failure" in r]
    if not matches:
        listed = ", ".join(failing[:8]) or "none"
        raise LookupError(f"no test of the report matches {pattern!r}; its failing tests: {listed}")
    names = ", ".join(r["id"] for r in matches[:5])
    raise LookupError(f"{pattern!r} matches {len(matches)} tests ({names}...): give more of the ID")


def _events(trace: Mapping[str, Any]) -> dict[str, list[str]]:
    """Return each process's events without timestamps, sorted: what happened, whatever the interleaving."""
    return {
        process: sorted(
            json.dumps({k: v for k, v in event.items() if k != "t"}, sort_keys=True) for event in events
        )
        for process, events in trace["processes"].items()
    }


def _replay_scenario(failure: Failure, adapter: str, timeout: float) -> int:
    from conformance.adapters import AdapterError, load_adapter
    from conformance.session import SuiteSession, Unsupported

    if failure["scenario"] is None:
        return unusable("the report recorded no scenario for this failure: replay the test instead")
    session = SuiteSession(lambda: load_adapter(adapter), call_timeout=timeout, restart_budget=0)
    try:
        trace = session.run(failure["scenario"])
    except Unsupported as error:
        return unusable(f"the adapter cannot run the scenario: {error}")
    except AdapterError as error:
        print(printable(str(error)), file=sys.stderr)
        return unusable(f"the scenario did not run: {adapter_problem(error)}")
    finally:
        session.close()
    print(json.dumps(trace.raw, indent=2))
    same = failure["trace"] is not None and _events(trace.raw) == _events(failure["trace"])
    if same:
        print("the same events as recorded (timestamps and order aside)", file=sys.stderr)
    else:
        print("other events than recorded", file=sys.stderr)
    return EXIT_YES


def _replay_test(result: Result, failure: Failure, adapter: str, timeout: float) -> int:
    recorded = failure["replay"]
    path, separator, name = recorded["test"].partition("::")
    if not (suite_root() / path).is_file():
        return unusable(f"{path} is not part of this installation of the suite (under {suite_root()})")
    try:
        hello = preflight(adapter)
    except Exception as error:
        return unusable(f"cannot use adapter {adapter!r}: {adapter_problem(error)}")
    settings = RunSettings(
        adapter=adapter,
        edition=recorded["edition"],
        strict=recorded["strict"],
        profile=recorded["profile"],
        seed=recorded["seed"],
        timeout=timeout,
    )
    blob = ReproduceBlob(recorded["hypothesis"])
    if recorded["hypothesis"] is not None and not blob.usable:
        print(
            f"note: the blob is from Hypothesis {recorded['hypothesis']['version']}: replaying by seed only"
        )
    collector = ReportCollector(settings, hello)
    target = f"{suite_root() / path}{separator}{name}"
    code = run_pytest(pytest_arguments(settings, [target]), [blob, collector])
    again = collector.results.get(recorded["test"])
    if code in (pytest.ExitCode.USAGE_ERROR, pytest.ExitCode.INTERNAL_ERROR) or again is None:
        return unusable(f"the test did not run (pytest exit code {int(code)})")
    how = f"seed {settings.seed}" + (" and the recorded Hypothesis example" if blob.applied else "")
    if again["status"] == Status.PASS or again["message"].startswith("DidNotReproduce"):
        print(printable(f"passes now ({how}): was {result['status']} in the report"))
        return EXIT_YES
    first = (again["message"].splitlines() or [""])[0]
    print(printable(f"still {again['status']} ({how}): {first}"))
    return EXIT_NO


def main(args: argparse.Namespace) -> int:
    """Replay one failure; return 0 if it is gone, 1 if it is not, 2 if it could not be replayed.

    With ``--scenario``: 0 once the trace is printed, whatever it shows.
    """
    try:
        report = load_report(args.report)
        result = find_result(report, args.test)
    except (ReportError, LookupError) as error:
        return unusable(str(error))
    failure = result.get("failure")
    if failure is None:
        return unusable(f"{result['id']} did not fail in that run ({result['status']}): nothing to replay")
    adapter = args.adapter or failure["replay"]["adapter"]
    timeout = args.timeout or failure["replay"]["timeout"]
    if args.scenario:
        return _replay_scenario(failure, adapter, timeout)
    return _replay_test(result, failure, adapter, timeout)
