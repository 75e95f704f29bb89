"""``ipc-conformance run``: the suite against one implementation, its report, and the CI gate.

The adapter is started once first (a handshake), so that an unusable adapter is
a one-line reason and exit code 2 rather than a run of ERRORs; then the suite runs
as a pytest session with the collector and the progress line; the report is
judged against the baseline, if any, and written with its renderings.  A run
stopped by SIGINT or SIGTERM (or by pytest, before every selected test ended)
still writes the report of the tests that ended, marked as interrupted, and exits
with 2.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from types import FrameType
from typing import Final

import pytest

import conformance
from conformance.adapters import Hello
from conformance.commands import EXIT_NO, EXIT_YES, adapter_problem, one_line, printable, unusable
from conformance.reporting import tally
from conformance.reporting.baseline import Baseline, BaselineError
from conformance.reporting.collector import ReportCollector, RunSettings
from conformance.reporting.report import Report, ReportError

__all__ = ["Interruption", "main", "preflight", "pytest_arguments", "run_pytest", "suite_root"]

SEED_RANGE: Final = 10**9
REPORTS: Final = Path("reports")
"""The default folder of reports, relative to where the command runs."""
PLUGINS: Final = ("_hypothesis_pytestplugin", "xdist.plugin", "conformance.plugin")
"""The only pytest plugins a run loads: whatever else is installed does not change it."""
_SHOWN: Final = 10
_NO_RUN: Final[dict[int, str]] = {
    pytest.ExitCode.USAGE_ERROR: "pytest refused the arguments (its message is above)",
    pytest.ExitCode.INTERNAL_ERROR: "pytest failed (its message is above)",
}
_SIGNALS: Final = (signal.SIGINT, signal.SIGTERM)


def suite_root() -> Path:
    """Return the folder of the suite's test modules (``conformance/suite``): test IDs are relative to it."""
    return Path(conformance.__file__).resolve().parent / "suite"


def preflight(spec: str, *, start_timeout: float = 10.0) -> Hello:
    """Start the adapter ``spec``, shake hands, close it; return its hello or raise what went wrong."""
    from conformance.adapters import load_adapter

    adapter = load_adapter(spec, start_timeout=start_timeout)
    try:
        return adapter.hello()
    finally:
        adapter.close()


def pytest_arguments(settings: RunSettings, targets: Sequence[str], *, workers: str = "0") -> list[str]:
    """Return the pytest command line that runs ``targets`` of the suite as ``settings`` say.

    No configuration file is read (``-c`` the null device) and only ``PLUGINS`` are
    loaded (by ``run_pytest``): a project's pytest settings or plugins around the
    installed suite do not change a run.
    """
    args = [*targets, "-c", os.devnull, f"--rootdir={suite_root()}", "-p", "no:cacheprovider"]
    for plugin in PLUGINS:
        args += ["-p", plugin]
    args += [
        f"--ipc-adapter={settings.adapter}",
        f"--ipc-edition={settings.edition}",
        f"--ipc-profile={settings.profile}",
        f"--ipc-timeout={settings.timeout}",
        f"--ipc-start-timeout={settings.start_timeout}",
        f"--ipc-restart-budget={settings.restart_budget}",
        f"--hypothesis-seed={settings.seed}",
    ]
    if settings.strict:
        args.append("--ipc-strict")
    if settings.keyword:
        args += ["-k", settings.keyword]
    if workers not in ("0", ""):
        args += ["-n", workers]
    return args


def run_pytest(arguments: Sequence[str], plugins: Sequence[object]) -> int:
    """Run pytest with ``arguments`` (from ``pytest_arguments``) and ``plugins``; return its exit code.

    pytest loads no installed plugin on its own meanwhile (xdist workers inherit
    this): only those ``pytest_arguments`` names.
    """
    name = "PYTEST_DISABLE_PLUGIN_AUTOLOAD"
    before = os.environ.get(name)
    os.environ[name] = "1"
    try:
        return pytest.main(list(arguments), plugins=list(plugins))
    finally:
        if before is None:
            del os.environ[name]
        else:
            os.environ[name] = before


class Interruption:
    """While armed, turns SIGINT and SIGTERM into ``KeyboardInterrupt`` and remembers the first.

    pytest (and xdist's controller) stop on ``KeyboardInterrupt`` as on Ctrl-C: the
    test under way is dropped, fixtures are torn down (adapters closed), and the
    results so far stay with the collector; a second signal cuts the teardown short.
    Once disarmed, for writing the report, both signals are ignored.
    """

    def __init__(self) -> None:
        self.signal: str | None = None
        self.armed = True
        self._previous: dict[int, object] = {}

    def __enter__(self) -> Interruption:
        for signum in _SIGNALS:
            self._previous[signum] = signal.signal(signum, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)  # type: ignore[arg-type]  # as signal.signal returned it

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if not self.armed:
            return
        name = signal.Signals(signum).name
        self.signal = self.signal or name
        raise KeyboardInterrupt(name)


def _load_baseline(args: argparse.Namespace) -> Baseline | None:
    """Return the ``--baseline``, if any, once ``--write-baseline`` (if any) is known to be writable."""
    from conformance.reporting.baseline import check_format, load_baseline

    if args.write_baseline is not None:
        check_format(args.write_baseline)
    return None if args.baseline is None else load_baseline(args.baseline)


def _judge(report: Report, baseline: Baseline | None, write_to: Path | None) -> Report:
    """Return ``report`` judged against ``baseline``, or against a new one written to ``write_to``.

    An interrupted run writes no baseline: its failures are not all the failures.
    """
    from conformance.reporting.baseline import apply_baseline, baseline_from_report, write_baseline

    if write_to is not None and report["run"]["interrupted"] is None:
        baseline = baseline_from_report(report, write_to, baseline.entries if baseline else ())
        run = report["run"]
        write_baseline(
            baseline,
            comment=f"Known failures of {run['implementation']['name']} {run['implementation']['version']}, "
            f"written by ipc-conformance run --write-baseline from run {run['id']} (seed {run['seed']}).\n"
            "Give each entry the real reason (and a link), or fix the failure and remove the entry.",
        )
    return report if baseline is None else apply_baseline(report, baseline)


def _print_summary(report: Report, directory: Path) -> None:
    """Print the scores, what did not pass, the gate's reason; last, the verdict and the report's place."""
    run, scores = report["run"], report["scores"]
    impl = run["implementation"]
    print(
        f"conformance (MUST) {scores['conformance']['passed']}/{scores['conformance']['of']}"
        f"  |  Electron v0.32 compatibility (IMPL) "
        f"{scores['compatibility']['passed']}/{scores['compatibility']['of']}"
    )
    failures = tally.not_passing(report["results"])
    for result in failures[:_SHOWN]:
        known = " (known)" if "known" in result else ""
        clauses = ", ".join(result["violated"] or result["clauses"])
        first = (result["message"].strip().splitlines() or [""])[0][:160]
        print(one_line(f"  {result['status']}{known} {result['id'].rpartition('::')[2]} [{clauses}] {first}"))
    if len(failures) > _SHOWN:
        print(f"  ... and {len(failures) - _SHOWN} more")
    print(one_line(report["gate"]["reason"]))
    matched = ""
    if "baseline" in report:
        matched = " (matches the baseline)" if report["gate"]["passed"] else " (does not match the baseline)"
    print(one_line(f"{report['verdict']}{matched}: {impl['name']} {impl['version']}; report in {directory}"))


def _settings(args: argparse.Namespace) -> RunSettings:
    return RunSettings(
        adapter=args.adapter,
        edition=args.edition,
        strict=args.strict,
        profile=args.profile,
        seed=args.seed if args.seed is not None else secrets.randbelow(SEED_RANGE),
        timeout=args.timeout,
        keyword=args.keyword,
        start_timeout=args.start_timeout,
        restart_budget=args.restart_budget,
    )


def _run_suite(
    args: argparse.Namespace, settings: RunSettings, collector: ReportCollector, interruption: Interruption
) -> int:
    """Run the suite into ``collector``; return pytest's exit code (INTERRUPTED after a signal)."""
    from conformance.reporting.progress import Progress

    progress = Progress(sys.stderr)
    arguments = [*pytest_arguments(settings, [str(suite_root())], workers=args.workers), "-p", "no:terminal"]
    try:
        return run_pytest(arguments, [collector, progress])
    except KeyboardInterrupt:
        if interruption.signal is None:
            raise
        return pytest.ExitCode.INTERRUPTED
    finally:
        interruption.armed = False


def _stopped_by(code: int, collector: ReportCollector, interruption: Interruption) -> str | None:
    """Return what stopped the run before every selected test ended (a signal, or pytest), or None."""
    if interruption.signal is not None:
        return interruption.signal
    if code == pytest.ExitCode.INTERRUPTED or len(collector.results) < collector.planned:
        return f"pytest, which stopped early (exit code {int(code)})"
    return None


def _run(args: argparse.Namespace, interruption: Interruption) -> int:
    from conformance.editions import edition_for
    from conformance.reporting.outputs import new_report_directory, write_report

    try:
        baseline = _load_baseline(args)
    except BaselineError as error:
        return unusable(str(error))
    try:
        edition_for(args.edition)
    except LookupError as error:
        return unusable(f"the run could not be made: {error}")
    try:
        hello = preflight(args.adapter, start_timeout=args.start_timeout)
    except KeyboardInterrupt:
        return unusable(f"interrupted by {interruption.signal} before any test ran: no report")
    except Exception as error:
        if tail := getattr(error, "stderr", ""):
            print("adapter stderr (last lines):", printable(tail), sep="\n", file=sys.stderr)
        return unusable(f"cannot use adapter {args.adapter!r}: {adapter_problem(error)}")
    settings = _settings(args)
    collector = ReportCollector(settings, hello)
    try:
        code = _run_suite(args, settings, collector, interruption)
    except KeyboardInterrupt:  # a signal between pytest's end and disarming
        interruption.armed = False
        code = pytest.ExitCode.INTERRUPTED
    if interruption.signal is None:
        if code == pytest.ExitCode.NO_TESTS_COLLECTED:
            return unusable(f"no test of the suite matches -k {args.keyword!r}")
        if code in _NO_RUN or collector.collection_errors:
            cause = collector.collection_errors[0] if collector.collection_errors else _NO_RUN[code]
            return unusable(f"the run could not be made (pytest exit code {int(code)}): {cause}")
    stopped_by = _stopped_by(code, collector, interruption)
    report = _judge(collector.report(interrupted_by=stopped_by), baseline, args.write_baseline)
    try:
        directory = args.report_dir or new_report_directory(REPORTS, hello.name, report["run"]["id"])
        write_report(report, directory)
    except (OSError, ReportError) as error:
        return unusable(f"the report could not be written: {error}")
    _print_summary(report, directory)
    if stopped_by is not None:
        unwritten = f" ({args.write_baseline} not written)" if args.write_baseline else ""
        return unusable(f"{report['gate']['reason']}; the report of what ran is in {directory}{unwritten}")
    return EXIT_YES if report["gate"]["passed"] else EXIT_NO


def main(args: argparse.Namespace) -> int:
    """Run the suite as ``args`` say; return 0 (conformant or as the baseline says), 1 (not), 2 (no run).

    A run interrupted by SIGINT or SIGTERM writes the report of what ran and returns 2.
    """
    with Interruption() as interruption:
        return _run(args, interruption)
