"""The pytest plugin end to end: small suites run against fake implementations, one status each.

Each test writes a toy suite and the fakes into a ``pytester`` directory, runs
pytest in-process with ``--ipc-adapter plugin_test_fakes:<Class>``, and reads the status the
plugin gave every test (``ipc_status``) and the exit code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest

pytest_plugins = ["pytester"]

FAKES = '''
"""Fake implementations, each broken in one way; every start and run is logged to adapter.log."""

from pathlib import Path

from conformance.adapters import AdapterCrashed, AdapterTimeout, Hello, Step

LOG = Path(__file__).with_name("adapter.log")


def log(entry):
    with LOG.open("a") as file:
        file.write(entry + "\\n")


class Faithful:
    """Delivers the sends of every page to main's listeners of their channel, unchanged."""

    capabilities = frozenset({"sendSync"})

    def __init__(self):
        log("start")

    def hello(self):
        return Hello(type(self).__name__, "0", "v0.32", self.capabilities, frozenset({"number", "string"}))

    def reset(self, *, timeout):
        pass

    def close(self):
        log("close")

    def run(self, scenario, *, timeout):
        log("run")
        main = [
            {"type": "deliver", "t": 0, "listener": listener["id"], "channel": listener["channel"],
             "args": self.convert(step["args"]), "sender": page}
            for page, part in scenario.get("renderers", {}).items()
            for step in part.get("script", [])
            for listener in scenario["main"]["listeners"]
            if listener["channel"] == step.get("channel")
        ]
        return {"processes": {"main": main}}

    def convert(self, args):
        return args


class DropsArguments(Faithful):
    """Delivers the first argument only: breaks CH-1 (MUST)."""

    def convert(self, args):
        return args[:1]


class LosesNegativeZero(Faithful):
    """Delivers -0 as 0: breaks SER-3 (IMPL)."""

    def convert(self, args):
        return [{"type": "number", "value": 0} if a == {"type": "number", "value": "-0"} else a for a in args]


class Hangs(Faithful):
    """Never answers a run."""

    def run(self, scenario, *, timeout):
        log("run")
        raise AdapterTimeout("no answer", step=Step.RUN, timeout=timeout)


class Crashes(Faithful):
    """Dies in every run."""

    def run(self, scenario, *, timeout):
        log("run")
        raise AdapterCrashed("the implementation died", step=Step.RUN, returncode=-11)


class CrashesOnce(Faithful):
    """Dies in the first run of the session, then works."""

    def run(self, scenario, *, timeout):
        if "crashed" not in LOG.read_text():
            log("crashed")
            raise AdapterCrashed("the implementation died", step=Step.RUN, returncode=-11)
        return super().run(scenario, timeout=timeout)


class WithoutSendSync(Faithful):
    """Claims no sendSync."""

    capabilities = frozenset()
'''

SUITE = """
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from conformance.scenarios import MAIN, Listener, Scenario, send, send_sync
from conformance.verdicts import Checker


def arrivals(ipc, step):
    with open("calls.log", "a") as log:
        log.write("call\\n")
    trace = ipc.run(Scenario("p1").listen(MAIN, Listener("m1", "c")).script("p1", step))
    return [d.args for d in trace.deliveries(MAIN, "m1")]


def expect_one(clause, got, args):
    check = Checker()
    check.expect_args(clause, got[0] if len(got) == 1 else [], args, "arguments of the listener")
    check.verify()


@pytest.mark.clause("CH-1")
def test_every_argument(ipc):
    expect_one("CH-1", arrivals(ipc, send("c", 1, "two")), [1, "two"])


@pytest.mark.clause("CH-1")
@settings(
    max_examples=20, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(args=st.lists(st.integers(-1000, 1000), max_size=3))
def test_every_argument_of_any_list(ipc, args):
    expect_one("CH-1", arrivals(ipc, send("c", *args)), args)


@pytest.mark.clause("SER-3")
def test_negative_zero(ipc):
    expect_one("SER-3", arrivals(ipc, send("c", -0.0)), [-0.0])


@pytest.mark.clause("RET-1")
def test_send_sync(ipc):
    expect_one("RET-1", arrivals(ipc, send_sync("c", "x")), ["x"])
"""

NAMES = ("test_every_argument", "test_every_argument_of_any_list", "test_negative_zero", "test_send_sync")


@dataclass
class Run:
    """The outcome of one inner pytest run."""

    ret: int
    reports: dict[str, pytest.TestReport]
    log: list[str]

    @property
    def statuses(self) -> dict[str, str]:
        return {name: dict(r.user_properties)["ipc_status"] for name, r in self.reports.items()}

    def prop(self, name: str, key: str) -> Any:
        return dict(self.reports[name].user_properties).get(key)


@pytest.fixture
def run_suite(pytester: pytest.Pytester) -> Any:
    pytester.makepyfile(plugin_test_fakes=FAKES, test_toy_suite=SUITE)
    pytester.syspathinsert()

    def run(adapter: str, *args: str) -> Run:
        log = pytester.path / "adapter.log"
        log.write_text("")
        result = pytester.inline_run(
            f"--ipc-adapter=plugin_test_fakes:{adapter}", "-p", "no:cacheprovider", *args
        )
        reports = {
            r.nodeid.rpartition("::")[2]: r
            for r in result.getreports("pytest_runtest_logreport")
            if "ipc_status" in dict(r.user_properties)
        }
        return Run(int(result.ret), reports, log.read_text().split())

    return run


def test_a_faithful_implementation_passes(run_suite: Any) -> None:
    run = run_suite("Faithful")
    assert run.statuses == dict.fromkeys(NAMES, "PASS")
    assert run.ret == pytest.ExitCode.OK
    assert run.log.count("start") == 1


def test_a_must_violation_fails_the_run(run_suite: Any) -> None:
    run = run_suite("DropsArguments")
    assert run.statuses == {
        "test_every_argument": "FAIL",
        "test_every_argument_of_any_list": "FAIL",
        "test_negative_zero": "PASS",
        "test_send_sync": "PASS",
    }
    assert run.ret == pytest.ExitCode.TESTS_FAILED
    assert run.prop("test_every_argument", "ipc_violated") == ["CH-1"]
    assert run.prop("test_every_argument", "ipc_clauses") == ["CH-1"]


def test_a_failure_shows_the_minimal_scenario_and_its_trace(run_suite: Any) -> None:
    run = run_suite("DropsArguments", "-k", "any_list")
    report = run.reports["test_every_argument_of_any_list"]
    sections = dict(report.sections)
    scenario = json.loads(sections["ipc scenario (last run)"])
    assert scenario == run.prop("test_every_argument_of_any_list", "ipc_scenario")
    (step,) = scenario["renderers"]["p1"]["script"]
    assert step["args"] == [{"type": "number", "value": 0}] * 2
    trace = json.loads(sections["ipc trace (last run)"])
    assert [event["args"] for event in trace["processes"]["main"]] == [[{"type": "number", "value": 0}]]
    assert "CH-1 (MUST)" in report.longreprtext


def test_an_impl_violation_is_incompatible_shown_as_xfail(run_suite: Any) -> None:
    run = run_suite("LosesNegativeZero")
    assert run.statuses == {**dict.fromkeys(NAMES, "PASS"), "test_negative_zero": "INCOMPATIBLE"}
    assert run.ret == pytest.ExitCode.OK
    report = run.reports["test_negative_zero"]
    assert report.skipped
    assert report.wasxfail == "INCOMPATIBLE with Electron v0.32 (IMPL): SER-3"  # type: ignore[attr-defined]


def test_an_impl_violation_fails_in_strict_mode(run_suite: Any) -> None:
    run = run_suite("LosesNegativeZero", "--ipc-strict")
    assert run.statuses["test_negative_zero"] == "FAIL"
    assert run.reports["test_negative_zero"].failed
    assert run.ret == pytest.ExitCode.TESTS_FAILED


def test_an_adapter_timeout_is_timeout(run_suite: Any, pytester: pytest.Pytester) -> None:
    run = run_suite("Hangs", "--ipc-restart-budget=9")
    assert run.statuses == dict.fromkeys(NAMES, "TIMEOUT")
    assert run.ret == pytest.ExitCode.TESTS_FAILED
    calls = (pytester.path / "calls.log").read_text().split()
    assert len(calls) == len(NAMES)  # a Hypothesis test stops at once: a broken adapter is nothing to shrink


def test_a_crash_is_error_and_the_next_test_gets_a_fresh_adapter(run_suite: Any) -> None:
    run = run_suite("CrashesOnce")
    assert run.statuses == {**dict.fromkeys(NAMES, "PASS"), "test_every_argument": "ERROR"}
    assert run.ret == pytest.ExitCode.TESTS_FAILED
    assert run.log[:4] == ["start", "crashed", "close", "start"]


def test_after_the_restart_budget_the_rest_error_without_running(run_suite: Any) -> None:
    run = run_suite("Crashes", "--ipc-restart-budget=1")
    assert run.statuses == dict.fromkeys(NAMES, "ERROR")
    assert run.log == ["start", "run", "close", "start", "run", "close"]
    for name in NAMES[2:]:
        assert "restart budget" in run.reports[name].longreprtext


def test_a_missing_capability_is_unsupported(run_suite: Any) -> None:
    run = run_suite("WithoutSendSync")
    assert run.statuses == {**dict.fromkeys(NAMES, "PASS"), "test_send_sync": "UNSUPPORTED"}
    assert run.ret == pytest.ExitCode.OK
    assert run.reports["test_send_sync"].skipped
    assert "UNSUPPORTED: the implementation does not claim capability 'sendSync'" in str(
        run.reports["test_send_sync"].longrepr
    )


def test_examples_needing_an_unclaimed_value_kind_are_unsupported(
    run_suite: Any, pytester: pytest.Pytester
) -> None:
    pytester.makepyfile(
        test_toy_kinds="""
        import pytest
        from hypothesis import HealthCheck, given, settings, strategies as st

        from conformance.scenarios import MAIN, Listener, Scenario, send

        def run(ipc, value):
            ipc.run(Scenario("p1").listen(MAIN, Listener("m1", "c")).script("p1", send("c", value)))

        quick = settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))

        @pytest.mark.clause("CH-1")
        @quick
        @given(value=st.booleans())
        def test_only_booleans(ipc, value):
            run(ipc, value)

        @pytest.mark.clause("CH-1")
        @quick
        @given(value=st.one_of(st.booleans(), st.integers(-1000, 1000)))
        def test_some_booleans(ipc, value):
            run(ipc, value)
        """
    )
    run = run_suite("Faithful", "test_toy_kinds.py")
    assert run.statuses == {"test_only_booleans": "UNSUPPORTED", "test_some_booleans": "PASS"}
    assert run.ret == pytest.ExitCode.OK
    assert run.reports["test_only_booleans"].skipped
    reason = "UNSUPPORTED: the implementation does not claim value kind 'boolean'"
    assert reason in str(run.reports["test_only_booleans"].longrepr)


def test_a_skip_for_another_reason_than_a_missing_capability_is_error(
    run_suite: Any, pytester: pytest.Pytester
) -> None:
    pytester.makepyfile(
        test_toy_skips="""
        import pytest

        @pytest.mark.clause("CH-1")
        def test_skips_itself(ipc):
            pytest.skip("not today")

        @pytest.mark.clause("CH-1")
        @pytest.mark.skip(reason="flaky on Tuesdays")
        def test_marked_skip(ipc):
            pass

        @pytest.mark.clause("CH-1")
        @pytest.mark.xfail(reason="known bad")
        def test_marked_xfail(ipc):
            assert False

        @pytest.mark.clause("CH-1")
        def test_xfails_itself(ipc):
            pytest.xfail("gave up")
        """
    )
    run = run_suite("Faithful", "test_toy_skips.py")
    reasons = {
        "test_skips_itself": "not today",
        "test_marked_skip": "flaky on Tuesdays",
        "test_marked_xfail": "xfail: known bad",
        "test_xfails_itself": "xfail: gave up",
    }
    assert run.statuses == dict.fromkeys(reasons, "ERROR")
    assert run.ret == pytest.ExitCode.TESTS_FAILED
    for name, reason in reasons.items():
        report = run.reports[name]
        assert report.failed
        assert not hasattr(report, "wasxfail")
        assert f"the test was skipped ({reason}), but a suite test may be skipped only as UNSUPPORTED" in (
            report.longreprtext
        )


def test_observations_of_unspec_clauses_are_recorded_never_judged(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.clause("ORD-4")
        def test_observes(observe):
            observe("ORD-4", "p2 came first")

        @pytest.mark.clause("CH-1")
        def test_observes_a_must_clause(observe):
            observe("CH-1", "one argument")
        """
    )
    result = pytester.inline_run("-p", "no:cacheprovider")
    reports = {
        r.nodeid.rpartition("::")[2]: r
        for r in result.getreports("pytest_runtest_logreport")
        if r.when == "call"
    }
    assert ("ipc_info", ["ORD-4", "p2 came first"]) in reports["test_observes"].user_properties
    assert dict(reports["test_observes"].user_properties)["ipc_status"] == "PASS"
    failed = reports["test_observes_a_must_clause"]
    assert dict(failed.user_properties)["ipc_status"] == "ERROR"
    assert "check it with a Checker" in failed.longreprtext


def test_a_test_naming_an_unknown_clause_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_typo="""
        import pytest

        @pytest.mark.clause("CH-1")
        def test_fine():
            pass

        @pytest.mark.clause("CH-1", "CH-99")
        def test_typo():
            pass
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*test_typo.py::test_typo names clause 'CH-99', which does not exist*"])


def test_an_unknown_edition_is_a_usage_error(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("-p", "no:cacheprovider", "--ipc-edition=v9.9")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*v9.9*"])
