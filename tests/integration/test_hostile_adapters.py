"""The runner against hostile adapters, through the command line: every run ends in time, truthfully.

Each test runs ``ipc-conformance run`` on a fake of ``tests/fakes/adapters`` (the
reference implementation behind the protocol, broken in one documented way in the
requests its selection picks) over a few fixed tests of the suite, with a short
``--timeout``.  Most runs take two tests: one whose scenario calls sendSync (where
the fake misbehaves), then one that only sends.  The checks: the broken test is
ERROR or TIMEOUT (never PASS, never FAIL), with the reason and the tail of the
adapter's stderr in report.json; the adapter was started again and the next test
passed; report.json has a result for every test and is valid; the run ended within
the bound of docs/timeouts.md; and no process carrying the run's marker is left.

Every run starts the command line, pytest and adapters: a few seconds each.
"""

from __future__ import annotations

import json
import os
import shlex
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import pytest

from conformance.schemas import validator_for

ROOT: Final = Path(__file__).resolve().parents[2]
FAKES: Final = ROOT / "tests" / "fakes" / "adapters"
MARKER: Final = "IPC_HOSTILE_RUN"
"""Set, to a value unique to each run, in the environment of the command line: all it starts inherits it."""

SYNC: Final = "test_blocking.py::test_messages_to_a_page_waiting_in_send_sync"
PLAIN: Final = "test_channels.py::test_listeners_run_in_order_with_one_event"
ONE_RUN_EACH: Final = (  # in test_channels.py, in file order: one scenario each, no sendSync
    PLAIN,
    "test_channels.py::test_a_throwing_listener_stops_the_rest_and_stays_in_main",
    "test_channels.py::test_a_message_without_listener_is_dropped",
    "test_channels.py::test_error_channel_without_listener_throws_in_the_receiver",
)
SIX: Final = (
    PLAIN,
    *(
        f"test_errors.py::test_a_listener_exception_never_reaches_the_sender[{how}]"
        for how in ("send", "webContents.send", "event.sender.send", "sendToHost", "webview.send")
    ),
)

START_TIMEOUT: Final = 10.0
GRACE: Final = 1.0
BUDGET: Final = 3
SCRIPTED: Final = 3.0
WORK: Final = 60.0
"""Seconds allowed for W, the work of docs/timeouts.md: generous, so that only a hang goes past it."""


def run_bound(timeout: float) -> float:
    """Return the bound of docs/timeouts.md on a run with ``--timeout timeout``, without its work W."""
    call = timeout + SCRIPTED
    return (START_TIMEOUT + 5 * GRACE) + (BUDGET + 1) * (START_TIMEOUT + call + 5 * GRACE)


def _marked(value: str) -> dict[int, str]:
    """Return the live processes whose environment holds ``MARKER=value``, with their command lines."""
    entry = f"{MARKER}={value}".encode()
    found = {}
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if entry not in (proc / "environ").read_bytes().split(b"\0"):
                continue
            state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
            command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except (OSError, IndexError):
            continue
        if state != "Z":
            found[int(proc.name)] = command
    return found


def left_behind(value: str) -> dict[int, str]:
    """Return the processes marked with ``value`` still alive after 5 s (killing them, for the next tests)."""
    deadline = time.monotonic() + 5.0
    while (found := _marked(value)) and time.monotonic() < deadline:
        time.sleep(0.05)
    for pid in found:
        os.kill(pid, signal.SIGKILL)
    return found


@dataclass
class HostileRun:
    """One ``ipc-conformance run`` and what it left: exit code, output, report, starts of the adapter."""

    code: int
    stdout: str
    stderr: str
    wall: float
    bound: float
    report: dict[str, Any] | None
    starts: int
    leftovers: dict[int, str]

    @property
    def results(self) -> dict[str, dict[str, Any]]:
        assert self.report is not None, f"no report.json; stderr:\n{self.stderr}"
        return {result["id"]: result for result in self.report["results"]}

    def status(self, test: str) -> str:
        return str(self.results[test]["status"])

    def check(self, expected: dict[str, str]) -> None:
        """Check the report (valid, complete, ``expected`` statuses), the time, and what was left."""
        assert self.report is not None, f"no report.json; stderr:\n{self.stderr}"
        validator_for("report.schema.json").validate(self.report)
        assert {test: self.status(test) for test in self.results} == expected
        self.check_ended()

    def check_ended(self) -> None:
        """Check that the run stayed under its bound and left no process behind."""
        assert self.wall < self.bound + WORK, f"{self.wall:.1f} s is past the bound {self.bound:.0f} s + W"
        assert self.leftovers == {}, f"left behind: {self.leftovers}"


def _environment(tmp_path: Path, marker: str) -> dict[str, str]:
    path = os.pathsep.join(filter(None, [str(tmp_path), str(ROOT), os.environ.get("PYTHONPATH")]))
    return {
        **os.environ,
        MARKER: marker,
        "FAKE_ADAPTER_LOG": str(tmp_path / "starts.log"),
        "PYTHONPATH": path,
    }


def _keyword(tests: Sequence[str]) -> str:
    return " or ".join(sorted({test.split("::")[1].split("[")[0] for test in tests}))


def _command(adapter: str, tests: Sequence[str], report_dir: Path, timeout: float, workers: int) -> list[str]:
    return [
        *(sys.executable, "-m", "conformance.cli", "run", "--adapter", adapter, "-k", _keyword(tests)),
        *("--report-dir", str(report_dir), "--seed", "1", "--timeout", str(timeout), "-n", str(workers)),
    ]


def fake(name: str, *args: str) -> str:
    """Return the ``--adapter`` command line of the fake adapter ``name`` with ``args``."""
    return shlex.join([sys.executable, str(FAKES / f"{name}.py"), *args])


def hostile_run(
    tmp_path: Path, adapter: str, tests: Sequence[str], *, timeout: float = 1.0, workers: int = 0
) -> HostileRun:
    """Run ``ipc-conformance run`` on ``adapter`` over ``tests``; return what came of it."""
    marker = uuid.uuid4().hex
    tmp_path.mkdir(parents=True, exist_ok=True)
    report_dir = tmp_path / "report"
    bound = run_bound(timeout)
    began = time.monotonic()
    finished = subprocess.run(
        _command(adapter, tests, report_dir, timeout, workers),
        env=_environment(tmp_path, marker),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=bound + WORK + 60,
    )
    wall = time.monotonic() - began
    print(f"hostile run {adapter.split(str(FAKES))[-1]!r}: wall {wall:.1f} s, bound {bound:.0f} s + W")
    report_file = report_dir / "report.json"
    log = tmp_path / "starts.log"
    return HostileRun(
        code=finished.returncode,
        stdout=finished.stdout,
        stderr=finished.stderr,
        wall=wall,
        bound=bound,
        report=json.loads(report_file.read_text(encoding="utf-8")) if report_file.exists() else None,
        starts=len(log.read_text().splitlines()) if log.exists() else 0,
        leftovers=left_behind(marker),
    )


@dataclass(frozen=True)
class Broken:
    """A fake that breaks the sendSync test: the status it must get, and what its message must say."""

    fake: str
    args: tuple[str, ...]
    status: str
    says: str
    stderr: str


BROKEN: Final = [
    Broken(
        "exits_mid_call", ("sendSync",), "ERROR", "exited with code 7 before answering the run", "crashing"
    ),
    Broken("hangs", ("sendSync",), "TIMEOUT", "run a scenario: no answer within", "hanging in run"),
    Broken("writes_garbage", ("sendSync",), "ERROR", "the line is not JSON", "writing garbage"),
    Broken(
        "partial_line_then_exit", ("sendSync",), "ERROR", "ended in the middle of a line", "half an answer"
    ),
    Broken("invalid_utf8", ("sendSync",), "ERROR", "the line is not valid UTF-8", "writing invalid UTF-8"),
    Broken("line_over_limit", ("sendSync",), "ERROR", "longer than max_line_bytes=16777216", "100 MiB line"),
    Broken("breaks_schema", ("sendSync",), "ERROR", "'main' is a required property", "trace without main"),
    Broken("wrong_seq", ("sendSync",), "ERROR", "an answer with seq 102 came instead", "the wrong seq"),
    Broken("answers_twice", ("sendSync",), "ERROR", "a second answer to request seq 2", "run twice"),
    Broken(
        "leaves_child", ("sendSync", "detached"), "ERROR", "exited with code 0 before answering", "child pid"
    ),
    Broken(
        "ignores_sigterm", ("sendSync",), "TIMEOUT", "run a scenario: no answer within", "deaf to SIGTERM"
    ),
]


@pytest.mark.parametrize("case", BROKEN, ids=lambda case: "-".join((case.fake, *case.args)))
def test_a_broken_call_is_error_or_timeout_and_the_run_goes_on(case: Broken, tmp_path: Path) -> None:
    run = hostile_run(tmp_path, fake(case.fake, *case.args), [SYNC, PLAIN])
    run.check({SYNC: case.status, PLAIN: "PASS"})
    message = run.results[SYNC]["message"]
    assert case.says in message
    assert "stderr (last lines):" in message and case.stderr in message
    assert run.results[SYNC]["failure"]["scenario"] is not None
    assert run.starts == 3  # the first start (naming the report), the tests' adapter, its restart
    assert run.code == 1


def test_an_adapter_that_crashes_after_n_scenarios_is_started_again_each_time(tmp_path: Path) -> None:
    run = hostile_run(tmp_path, fake("crashes_after", "1"), ONE_RUN_EACH)
    run.check(dict(zip(ONE_RUN_EACH, ["PASS", "ERROR", "PASS", "ERROR"], strict=True)))
    assert "exited with code 9" in run.results[ONE_RUN_EACH[1]]["message"]
    assert "crashing after 1 scenarios" in run.results[ONE_RUN_EACH[3]]["message"]
    assert run.starts == 3


def test_after_the_restart_budget_the_rest_is_error_without_starting_anything(tmp_path: Path) -> None:
    run = hostile_run(tmp_path, fake("hangs", "reset"), SIX, timeout=0.5)
    statuses = sorted(run.status(test) for test in SIX)
    assert statuses == ["ERROR", "ERROR", "TIMEOUT", "TIMEOUT", "TIMEOUT", "TIMEOUT"]
    run.check({test: run.status(test) for test in SIX})
    for test in SIX:
        message = run.results[test]["message"]
        if run.status(test) == "ERROR":
            assert "restart budget" in message and "no answer within 0.5 s" in message
        else:
            assert "no answer within 0.5 s" in message and "hanging in reset" in message
    assert run.starts == 1 + 1 + BUDGET


def test_an_adapter_that_exits_at_once_makes_no_run(tmp_path: Path) -> None:
    run = hostile_run(tmp_path, fake("exits_at_once"), [PLAIN])
    assert run.code == 2
    assert "exited with code 3 before answering the hello request" in run.stderr
    assert "fatal: the fake implementation cannot start" in run.stderr
    run.check_ended()


def test_a_slow_adapter_times_out_until_the_timeout_is_raised(tmp_path: Path) -> None:
    short = hostile_run(tmp_path / "short", fake("slow", "0.6"), [SYNC, PLAIN], timeout=0.3)
    short.check({SYNC: "TIMEOUT", PLAIN: "TIMEOUT"})
    assert "no answer within 0.3 s" in short.results[PLAIN]["message"]
    assert "raise the timeout" in short.results[PLAIN]["message"]
    raised = hostile_run(tmp_path / "raised", fake("slow", "0.6"), [SYNC, PLAIN], timeout=5.0)
    raised.check({SYNC: "PASS", PLAIN: "PASS"})
    assert raised.code == 0
    assert raised.starts == 2


def test_an_adapter_flooding_stderr_passes(tmp_path: Path) -> None:
    run = hostile_run(tmp_path, fake("floods_stderr"), [SYNC, PLAIN])
    run.check({SYNC: "PASS", PLAIN: "PASS"})
    assert run.code == 0


CRASHING_ADAPTER: Final = '''
"""The reference implementation in-process, which ends the whole process in a scenario calling sendSync."""

import json
import os

from conformance.adapters.reference.adapter import ReferenceAdapter


class CrashesInSendSync(ReferenceAdapter):
    def run(self, scenario, *, timeout):
        if '"sendSync"' in json.dumps(scenario):
            os._exit(70)
        return super().run(scenario, timeout=timeout)
'''


def test_a_test_whose_worker_died_is_error_in_a_complete_report(tmp_path: Path) -> None:
    (tmp_path / "crashing_adapter.py").write_text(CRASHING_ADAPTER, encoding="utf-8")
    run = hostile_run(tmp_path, "crashing_adapter:CrashesInSendSync", [SYNC, PLAIN], workers=2)
    run.check({SYNC: "ERROR", PLAIN: "PASS"})
    assert "crashed while running" in run.results[SYNC]["message"]
    assert run.results[SYNC]["clauses"] == ["BLK-3", "ORD-3", "ORD-6"]


def _wait_for_starts(log: Path, count: int, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if log.exists() and len(log.read_text().splitlines()) >= count:
            time.sleep(0.5)  # into the hanging call
            return
        time.sleep(0.05)
    pytest.fail(f"the adapter was not started {count} times within 60 s")


@pytest.mark.parametrize(
    ("signum", "workers", "group"),
    [
        (signal.SIGINT, 0, False),
        (signal.SIGTERM, 0, False),
        (signal.SIGTERM, 2, False),
        (signal.SIGTERM, 2, True),
    ],
    ids=["SIGINT", "SIGTERM", "SIGTERM-2-workers", "SIGTERM-2-workers-group"],
)
def test_an_interrupted_run_ends_soon_and_kills_its_adapters(
    signum: signal.Signals, workers: int, group: bool, tmp_path: Path
) -> None:
    """The signal goes to the command line only (``kill PID``), or to its process group as well."""
    marker = uuid.uuid4().hex
    command = _command(fake("hangs"), SIX, tmp_path / "report", 60.0, workers)
    with subprocess.Popen(
        command,
        env=_environment(tmp_path, marker),
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    ) as process:
        _wait_for_starts(tmp_path / "starts.log", 1 + max(workers, 1), process)
        if group:
            os.killpg(process.pid, signum)
        else:
            process.send_signal(signum)
        try:
            process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            pytest.fail(f"the run went on for 30 s after {signum.name}")
    assert process.returncode != 0
    assert left_behind(marker) == {}


def test_sigterm_interrupts_a_plain_pytest_run_which_closes_its_adapter(tmp_path: Path) -> None:
    marker = uuid.uuid4().hex
    command = [
        *(sys.executable, "-m", "pytest", "--pyargs", "conformance.suite", "-p", "no:cacheprovider"),
        *("--ipc-adapter", fake("hangs"), "--ipc-timeout", "60", "-k", _keyword([PLAIN])),
    ]
    with subprocess.Popen(
        command, env=_environment(tmp_path, marker), cwd=tmp_path, stdout=subprocess.PIPE, text=True
    ) as process:
        _wait_for_starts(tmp_path / "starts.log", 1, process)
        process.send_signal(signal.SIGTERM)
        stdout, _ = process.communicate(timeout=30)
    assert process.returncode == pytest.ExitCode.INTERRUPTED, stdout
    assert "KeyboardInterrupt" in stdout
    assert left_behind(marker) == {}
