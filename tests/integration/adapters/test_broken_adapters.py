"""Each broken fake adapter gives the right error, and leaves nothing behind.

The fakes live in ``tests/fakes/adapters``; each misbehaves in one documented way.
"""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from conformance.adapters import (
    AdapterCrashed,
    AdapterError,
    AdapterStartError,
    AdapterTimeout,
    HandshakeError,
    ProtocolError,
    Step,
    SubprocessAdapter,
)

SCENARIO: dict[str, Any] = {"pages": [], "main": {"script": [{"op": "mark", "label": "a"}]}}
CLOSE_BOUND = 5.0  # seconds; generous, only to catch a close() that hangs

Start = Callable[..., SubprocessAdapter]
Gone = Callable[..., bool]


@dataclass(frozen=True)
class BrokenRun:
    fake: str
    error: type[AdapterError]
    says: str
    stderr: str
    step: Step = Step.COLLECT
    timeout: float = 2.0
    args: tuple[str, ...] = ()
    options: dict[str, Any] = field(default_factory=dict)


BROKEN_RUNS = [
    BrokenRun("exits_mid_call", AdapterCrashed, "exited with code 7", "crashing in the middle", Step.RUN),
    BrokenRun("hangs", AdapterTimeout, "no answer within 0.5 s", "hanging in run", Step.RUN, 0.5),
    BrokenRun("writes_garbage", ProtocolError, "not JSON", "writing garbage"),
    BrokenRun("partial_line_then_exit", ProtocolError, "ended in the middle of a line", "half an answer"),
    BrokenRun("invalid_utf8", ProtocolError, "not valid UTF-8", "writing invalid UTF-8"),
    BrokenRun(
        "line_over_limit",
        ProtocolError,
        "longer than max_line_bytes=1048576",
        "2 MiB line",
        args=("run", "2"),
        options={"max_line_bytes": 1 << 20},
    ),
    BrokenRun(
        "line_over_limit",
        ProtocolError,
        "longer than max_line_bytes=16777216",
        "100 MiB line",
        args=("run", "100"),
    ),
    BrokenRun(
        "breaks_schema", ProtocolError, "$.result.trace.processes: 'main' is a required", "without main"
    ),
    BrokenRun("wrong_seq", ProtocolError, "an answer with seq 101 came instead", "wrong seq"),
    BrokenRun(
        "answers_twice",
        ProtocolError,
        "a second answer to request seq 1 came right after the answer to the run request (seq 1)",
        "answering run twice",
    ),
    BrokenRun("ignores_sigterm", AdapterTimeout, "no answer within 0.5 s", "deaf to SIGTERM", Step.RUN, 0.5),
]


@pytest.mark.parametrize("case", BROKEN_RUNS, ids=lambda case: "-".join((case.fake, *case.args)))
def test_a_broken_run_raises_the_right_error_and_restart_recovers(
    case: BrokenRun, start: Start, gone: Gone
) -> None:
    adapter = start(case.fake, *case.args, **case.options)
    first_pid = adapter.pid
    assert first_pid is not None

    with pytest.raises(case.error) as caught:
        adapter.run(SCENARIO, timeout=case.timeout)

    error = caught.value
    assert case.says in str(error)
    assert case.stderr in error.stderr
    assert case.stderr in str(error)
    assert f"fake {case.fake}" in str(error)
    assert error.step is case.step
    broken_after_the_error = adapter.broken
    assert broken_after_the_error
    assert gone(first_pid)
    with pytest.raises(AdapterError, match="broken since an earlier error"):
        adapter.reset(timeout=1.0)

    adapter.restart()
    assert not adapter.broken
    assert adapter.hello().name == f"fake {case.fake}"
    second_pid = adapter.pid
    assert second_pid is not None and second_pid != first_pid
    began = time.monotonic()
    adapter.close()
    assert time.monotonic() - began < CLOSE_BOUND
    assert gone(second_pid)


def test_a_request_the_adapter_does_not_read_times_out(start: Start, gone: Gone) -> None:
    adapter = start("stops_reading")
    big = {"pages": [], "main": {"script": [{"op": "mark", "label": "x" * (4 << 20)}]}}
    with pytest.raises(AdapterTimeout, match=re.escape("no answer within 0.5 s")) as caught:
        adapter.run(big, timeout=0.5)
    assert "not reading any more" in caught.value.stderr
    assert gone(adapter.pid)


def test_an_adapter_that_exits_at_once_fails_the_handshake(
    fake_argv: Callable[..., list[str]],
) -> None:
    with pytest.raises(AdapterCrashed) as caught:
        SubprocessAdapter(fake_argv("exits_at_once"), start_timeout=5.0, grace=0.5)
    assert caught.value.returncode == 3
    assert caught.value.step is Step.HANDSHAKE
    assert "exited with code 3 before answering the hello request" in str(caught.value)
    assert "cannot start" in caught.value.stderr


def test_an_adapter_of_another_protocol_version_fails_the_handshake(
    fake_argv: Callable[..., list[str]],
) -> None:
    with pytest.raises(HandshakeError, match="speaks protocol version 2") as caught:
        SubprocessAdapter(fake_argv("wrong_protocol"), start_timeout=5.0, grace=0.5)
    assert "speaking protocol 2" in str(caught.value)


def test_a_handshake_that_never_comes_times_out(fake_argv: Callable[..., list[str]]) -> None:
    with pytest.raises(AdapterTimeout, match=re.escape("no answer within 3 s")) as caught:
        SubprocessAdapter(fake_argv("hangs", "hello"), start_timeout=3.0, grace=0.5)
    assert caught.value.step is Step.HANDSHAKE
    assert caught.value.timeout == 3.0
    assert "hanging in hello" in caught.value.stderr


def test_a_missing_command_is_a_start_error() -> None:
    with pytest.raises(AdapterStartError, match=re.escape("command not found: '/nonexistent/adapter'")):
        SubprocessAdapter(["/nonexistent/adapter", "--flag"])


def test_a_child_holding_the_pipes_does_not_hide_the_exit(start: Start, gone: Gone) -> None:
    adapter = start("leaves_child")
    pgid = adapter.pid
    with pytest.raises(AdapterCrashed, match="exited with code 0 before answering the run request") as caught:
        adapter.run(SCENARIO, timeout=2.0)
    found = re.search(r"child pid (\d+)", caught.value.stderr)
    assert found is not None
    assert gone(pgid, pid=int(found[1]))
    began = time.monotonic()
    adapter.close()
    assert time.monotonic() - began < CLOSE_BOUND


def _marks(trace: dict[str, Any]) -> list[str]:
    return [event["label"] for event in trace["processes"]["main"] if event["type"] == "mark"]


def test_an_adapter_flooding_stderr_still_works(start: Start) -> None:
    adapter = start("floods_stderr")
    for _ in range(3):
        assert _marks(adapter.run(SCENARIO, timeout=5.0)) == ["a"]
    deadline = time.monotonic() + 5.0  # stderr is drained apart from stdout, and may lag behind
    while not adapter.stderr_tail().endswith("flood done before run") and time.monotonic() < deadline:
        time.sleep(0.02)
    assert adapter.stderr_tail().endswith("flood done before run")
    assert len(adapter.stderr_tail()) <= 4096


def test_a_slow_adapter_within_its_timeout_succeeds(start: Start) -> None:
    adapter = start("slow")
    assert _marks(adapter.run(SCENARIO, timeout=5.0)) == ["a"]
    assert not adapter.broken


def test_close_kills_an_adapter_that_stays_after_close_and_ignores_sigterm(start: Start, gone: Gone) -> None:
    adapter = start("ignores_sigterm")
    pgid = adapter.pid
    began = time.monotonic()
    adapter.close()
    assert time.monotonic() - began < CLOSE_BOUND
    assert gone(pgid)
    adapter.close()


def test_a_child_that_leaves_the_process_group_is_killed_too(start: Start, gone: Gone) -> None:
    adapter = start("leaves_child", "run", "detached")
    with pytest.raises(AdapterCrashed) as caught:
        adapter.run(SCENARIO, timeout=2.0)
    found = re.search(r"child pid (\d+)", caught.value.stderr)
    assert found is not None
    assert gone(pid=int(found[1]))


def test_the_adapter_dies_with_the_process_that_started_it(
    fake_argv: Callable[..., list[str]], fake_env: dict[str, str], gone: Gone
) -> None:
    """The owner is killed with SIGKILL, so only the watchdog can kill the adapter, which reads nothing."""
    code = (
        "import sys, time\n"
        "from conformance.adapters import SubprocessAdapter\n"
        "adapter = SubprocessAdapter(sys.argv[1:], grace=0.5)\n"
        "print(adapter.pid, flush=True)\n"
        "time.sleep(60)\n"
    )
    owner = subprocess.Popen(
        [sys.executable, "-c", code, *fake_argv("stops_reading")],
        env=fake_env,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert owner.stdout is not None
    with owner:
        pgid = int(owner.stdout.readline())
        assert not gone(pgid, within=0.5)
        owner.kill()
    assert gone(pgid)


class _Interrupted(BaseException):
    """Raised by a signal handler in the middle of a call, as KeyboardInterrupt is."""


def _interrupt(signum: int, frame: object) -> None:
    raise _Interrupted


def test_an_interrupted_call_stops_the_adapter(start: Start, gone: Gone) -> None:
    adapter = start("hangs")
    previous = signal.signal(signal.SIGALRM, _interrupt)
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.3)
        with pytest.raises(_Interrupted):
            adapter.run(SCENARIO, timeout=60.0)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert adapter.broken
    assert gone(adapter.pid)
    with pytest.raises(
        AdapterError, match="interrupted by _Interrupted while waiting for the answer to the run"
    ):
        adapter.reset(timeout=1.0)
