"""The pytest plugin: options, the ``clause`` marker, the ``ipc`` fixture, and verdicts per test.

Loaded through the ``pytest11`` entry point, so ``pytest --pyargs conformance
--ipc-adapter ADAPTER`` runs the suite.  Every test of the suite carries the
clause IDs it checks; the outcome of each test is mapped onto the closed set of
``Status`` values (an IMPL violation is INCOMPATIBLE, and fails the run only
with ``--ipc-strict``; an adapter failure is ERROR or TIMEOUT, never FAIL).

A test may be skipped only as UNSUPPORTED (a capability the implementation does
not claim); any other skip or xfail of a suite test is ERROR, and fails the pytest
run, for a skip is no verdict.  A test whose xdist worker died is ERROR too.
While adapters are in use, SIGTERM interrupts the run as Ctrl-C does (unless
something else handles it), so that the session ends and closes its adapters.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Generator, Iterator, Mapping
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

from conformance.verdicts import Status

__all__ = ["AdapterFailure", "IpcFixture"]

_SESSION_KEY = pytest.StashKey["Any"]()
_STRICT_KEY = pytest.StashKey[bool]()
UNSUPPORTED_PREFIX = "UNSUPPORTED: "


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("ipc-conformance", "Electron IPC conformance suite")
    group.addoption(
        "--ipc-adapter",
        dest="ipc_adapter",
        default="reference",
        metavar="ADAPTER",
        help="implementation under test: 'reference', 'reference-subprocess', module:Class, "
        "or a command line speaking the adapter protocol (default: reference)",
    )
    group.addoption(
        "--ipc-edition", dest="ipc_edition", default="v0.32", metavar="EDITION", help="spec edition (v0.32)"
    )
    group.addoption(
        "--ipc-strict",
        dest="ipc_strict",
        action="store_true",
        help="fail on IMPL clauses (Electron v0.32 compatibility) too, not only on MUST clauses",
    )
    group.addoption(
        "--ipc-profile",
        dest="ipc_profile",
        default="quick",
        choices=("quick", "thorough"),
        help="Hypothesis effort: quick (CI) or thorough (release runs)",
    )
    group.addoption(
        "--ipc-timeout",
        dest="ipc_timeout",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help="base timeout of every call into the adapter; a scenario adds its scripted time (default 10)",
    )
    group.addoption(
        "--ipc-start-timeout",
        dest="ipc_start_timeout",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help="how long a subprocess adapter may take to start and answer hello (default 10)",
    )
    group.addoption(
        "--ipc-restart-budget",
        dest="ipc_restart_budget",
        type=int,
        default=3,
        metavar="N",
        help="how many times a broken adapter is restarted before the remaining tests are ERROR (default 3)",
    )


def pytest_configure(config: pytest.Config) -> None:
    from conformance.editions import edition_for
    from conformance.suite import profiles

    config.addinivalue_line("markers", "clause(*ids): the SEMANTICS.md clause IDs this test checks")
    config.stash[_STRICT_KEY] = bool(config.getoption("ipc_strict"))
    profiles.activate(config.getoption("ipc_profile"))
    try:
        edition_for(config.getoption("ipc_edition"))
    except LookupError as error:
        raise pytest.UsageError(str(error)) from None
    config.pluginmanager.register(_CrashedWorkers(config), "ipc-crashed-workers")


def _interrupt(signum: int, frame: FrameType | None) -> None:
    """Turn SIGTERM into KeyboardInterrupt: pytest then ends the session and its fixtures close."""
    raise KeyboardInterrupt(signal.Signals(signum).name)


@contextlib.contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """Within, SIGTERM raises KeyboardInterrupt, unless something else already handles SIGTERM."""
    main_thread = threading.current_thread() is threading.main_thread()
    if not main_thread or signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        yield
        return
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


class _CrashedWorkers:
    """Gives a test whose xdist worker died an ERROR, so that it is not missing from the report."""

    def __init__(self, config: pytest.Config) -> None:
        self._root = config.rootpath

    @pytest.hookimpl(optionalhook=True)
    def pytest_handlecrashitem(self, crashitem: str, report: pytest.TestReport) -> None:
        if clauses := _clauses_of(self._root, crashitem):
            report.user_properties.append(("ipc_status", Status.ERROR.value))
            report.user_properties.append(("ipc_clauses", clauses))


def _clauses_of(root: Path, nodeid: str) -> list[str]:
    """Return the clause IDs that the test ``nodeid`` (under ``root``) is marked with, or []."""
    import importlib

    path, *names = nodeid.split("::")
    module_path = (root / path).resolve()
    parts = [module_path.stem]
    package = module_path.parent
    while (package / "__init__.py").exists():
        parts.insert(0, package.name)
        package = package.parent
    try:
        target: Any = importlib.import_module(".".join(parts))
        for name in names:
            target = getattr(target, name.split("[", 1)[0])
    except Exception:  # a module that does not import, a name not found: no clauses known
        return []
    marks = getattr(target, "pytestmark", [])
    return [clause for mark in marks if mark.name == "clause" for clause in mark.args]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    from conformance.catalog import load_catalog

    catalog = load_catalog()
    for item in items:
        for marker in item.iter_markers("clause"):
            for clause_id in marker.args:
                if clause_id not in catalog:
                    raise pytest.UsageError(f"{item.nodeid} names clause {clause_id!r}, which does not exist")


class AdapterFailure(BaseException):
    """An adapter error leaving a Hypothesis test at once: a broken adapter is no example to shrink.

    A ``BaseException``, so that Hypothesis neither shrinks nor replays it; ``error`` is the cause.
    """

    def __init__(self, error: BaseException) -> None:
        super().__init__(str(error))
        self.error = error


class IpcFixture:
    """What a suite test gets as ``ipc``: runs scenarios against the implementation under test."""

    def __init__(self, session: Any, edition: str) -> None:
        from conformance.editions import edition_for

        self._session = session
        self.edition = edition_for(edition)
        self.last_scenario: Mapping[str, Any] | None = None
        self.last_trace: Any = None
        self.last_rejected: Any = None
        """Why the last example was rejected (an ``Unsupported``), inside a Hypothesis test."""

    @property
    def hello(self) -> Any:
        """Return the implementation's handshake (name, version, capabilities)."""
        return self._session.hello

    def run(self, scenario: Any) -> Any:
        """Run ``scenario`` and return its ``Trace``.

        A scenario the implementation cannot express is UNSUPPORTED: inside a
        Hypothesis test, an example needing an unclaimed value kind is rejected;
        a missing capability skips the test.  Inside a Hypothesis test, an
        adapter error leaves as ``AdapterFailure``.
        """
        import hypothesis

        from conformance.adapters import AdapterError
        from conformance.session import Unsupported

        doc = scenario.to_json() if hasattr(scenario, "to_json") else scenario
        self.last_scenario, self.last_trace = doc, None
        try:
            self.last_trace = self._session.run(doc)
            return self.last_trace
        except Unsupported as unsupported:
            if not unsupported.capabilities and hypothesis.currently_in_test_context():
                self.last_rejected = unsupported
                hypothesis.reject()
            pytest.skip(UNSUPPORTED_PREFIX + str(unsupported))
        except AdapterError as error:
            if hypothesis.currently_in_test_context():
                raise AdapterFailure(error) from error
            raise


@pytest.fixture(scope="session")
def ipc_session(request: pytest.FixtureRequest) -> Iterator[Any]:
    """Return the session's ``SuiteSession`` (one adapter per pytest process)."""
    from conformance.adapters import load_adapter
    from conformance.session import SuiteSession

    config = request.config
    spec = config.getoption("ipc_adapter")
    start_timeout = config.getoption("ipc_start_timeout")
    session = SuiteSession(
        lambda: load_adapter(spec, start_timeout=start_timeout),
        call_timeout=config.getoption("ipc_timeout"),
        restart_budget=config.getoption("ipc_restart_budget"),
    )
    config.stash[_SESSION_KEY] = session
    with _sigterm_interrupts():
        try:
            yield session
        finally:
            session.close()


@pytest.fixture
def ipc(ipc_session: Any, request: pytest.FixtureRequest) -> IpcFixture:
    """Return the implementation under test, restarted first if an earlier test broke it."""
    ipc_session.begin_test()
    return IpcFixture(ipc_session, request.config.getoption("ipc_edition"))


@pytest.fixture
def observe(request: pytest.FixtureRequest) -> Callable[[str, str], None]:
    """Return ``observe(clause, text)``: record what the implementation does where the spec is silent.

    For UNSPEC clauses: the observation goes into the report as information, never as a verdict.
    """
    from conformance.catalog import Level, load_catalog

    def record(clause: str, text: str) -> None:
        level = load_catalog().clause(clause).level
        if level is not Level.UNSPEC:
            raise ValueError(f"{clause} is {level.value}: check it with a Checker, do not just observe it")
        request.node.user_properties.append(("ipc_info", [clause, text]))

    return record


def _violations(error: BaseException | None) -> list[Any]:
    from conformance.verdicts import ClauseViolation

    if isinstance(error, ClauseViolation):
        return list(error.violations)
    if isinstance(error, BaseExceptionGroup):
        return [v for e in error.exceptions for v in _violations(e)]
    return []


def _adapter_status(error: BaseException | None) -> Status | None:
    from conformance.adapters import AdapterError, AdapterTimeout

    if isinstance(error, AdapterFailure):
        error = error.error
    if isinstance(error, AdapterTimeout):
        return Status.TIMEOUT
    if isinstance(error, AdapterError):
        return Status.ERROR
    if isinstance(error, BaseExceptionGroup):
        statuses = [_adapter_status(e) for e in error.exceptions]
        return next((s for s in statuses if s is not None), None)
    return None


def _skip_reason(report: pytest.TestReport) -> str:
    wasxfail = getattr(report, "wasxfail", None)
    if wasxfail is not None:
        return f"xfail: {wasxfail}" if wasxfail else "xfail"
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    return str(reason).removeprefix("Skipped: ")


def _status(report: pytest.TestReport, error: BaseException | None, strict: bool) -> Status:
    import hypothesis.errors

    from conformance.catalog import load_catalog

    if report.skipped:
        return Status.UNSUPPORTED if _skip_reason(report).startswith(UNSUPPORTED_PREFIX) else Status.ERROR
    if report.passed:
        return Status.PASS
    if isinstance(error, hypothesis.errors.Unsatisfiable):
        return Status.UNSUPPORTED  # every example needed a value kind the implementation does not claim
    if (adapter_status := _adapter_status(error)) is not None:
        return adapter_status
    violations = _violations(error)
    if not violations:
        return Status.ERROR
    catalog = load_catalog()
    if any(catalog.clause(v.clause).level.enforced(strict=strict) for v in violations):
        return Status.FAIL
    return Status.INCOMPATIBLE


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, None]:
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    clauses = [c for marker in item.iter_markers("clause") for c in marker.args]
    if not clauses or (report.when != "call" and not (report.skipped or report.failed)):
        return
    error = call.excinfo.value if call.excinfo is not None else None
    status = _status(report, error, item.config.stash.get(_STRICT_KEY, False))
    report.user_properties.append(("ipc_status", status.value))
    report.user_properties.append(("ipc_clauses", clauses))
    violated = sorted({v.clause for v in _violations(error)})
    if violated:
        report.user_properties.append(("ipc_violated", violated))
    ipc = getattr(item, "funcargs", {}).get("ipc")
    if status is not Status.PASS and isinstance(ipc, IpcFixture) and ipc.last_scenario is not None:
        _attach_scenario(report, ipc)
    if status is Status.INCOMPATIBLE:
        report.outcome = "skipped"
        report.wasxfail = "INCOMPATIBLE with Electron v0.32 (IMPL): " + ", ".join(violated)
    if status is Status.ERROR and report.skipped:
        report.longrepr = (
            f"the test was skipped ({_skip_reason(report)}), but a suite test may be skipped only as "
            "UNSUPPORTED: a skip is no verdict"
        )
        report.outcome = "failed"
        with contextlib.suppress(AttributeError):
            del report.wasxfail
    if status is Status.UNSUPPORTED and report.failed:  # Hypothesis rejected every example
        why = ipc.last_rejected if isinstance(ipc, IpcFixture) else None
        path, lineno, _ = item.location
        report.outcome = "skipped"
        report.longrepr = (path, (lineno or 0) + 1, UNSUPPORTED_PREFIX + str(why or "every example rejected"))


def _attach_scenario(report: pytest.TestReport, ipc: IpcFixture) -> None:
    """Add the last scenario run (with Hypothesis, the minimal one) and its trace to the report."""
    import json

    scenario = json.dumps(ipc.last_scenario, ensure_ascii=False)
    trace = json.dumps(ipc.last_trace.raw, ensure_ascii=False) if ipc.last_trace is not None else "(no trace)"
    report.sections.append(("ipc scenario (last run)", scenario))
    report.sections.append(("ipc trace (last run)", trace))
    report.user_properties.append(("ipc_scenario", ipc.last_scenario))
    if ipc.last_trace is not None:
        report.user_properties.append(("ipc_trace", ipc.last_trace.raw))


def pytest_report_teststatus(report: pytest.TestReport | pytest.CollectReport) -> tuple[str, str, str] | None:
    status = dict(getattr(report, "user_properties", ())).get("ipc_status")  # collect reports have none
    mapping: Mapping[str, tuple[str, str, str]] = {
        Status.INCOMPATIBLE: ("incompatible", "I", "INCOMPATIBLE"),
        Status.UNSUPPORTED: ("unsupported", "U", "UNSUPPORTED"),
        Status.ERROR: ("error", "E", "ERROR"),
        Status.TIMEOUT: ("timeout", "T", "TIMEOUT"),
    }
    return mapping.get(status) if isinstance(status, str) else None
