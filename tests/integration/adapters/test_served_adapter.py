"""An in-process adapter served by ``serve`` in a subprocess, driven by ``SubprocessAdapter``."""

from __future__ import annotations

import gc
import shlex
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import pytest

from conformance.adapters import (
    AdapterError,
    AdapterReportedError,
    HandshakeError,
    Hello,
    MessageError,
    Step,
    SubprocessAdapter,
    load_adapter,
)

MARKS: dict[str, Any] = {
    "pages": [],
    "main": {"script": [{"op": "mark", "label": "one"}, {"op": "mark", "label": "two"}]},
}
TRACE = {
    "processes": {
        "main": [
            {"type": "mark", "t": 0.0, "label": "one"},
            {"type": "mark", "t": 1.0, "label": "two"},
            {"type": "script-end", "t": 2.0},
        ]
    }
}
UNSUPPORTED: dict[str, Any] = {
    "pages": [{"id": "p"}],
    "main": {"script": [{"op": "webContentsSend", "page": "p"}]},
}


@pytest.fixture
def echo(start: Callable[..., SubprocessAdapter]) -> SubprocessAdapter:
    return start("echo")


def test_hello_run_reset_close_round_trip(echo: SubprocessAdapter, gone: Callable[..., bool]) -> None:
    assert echo.hello() == Hello(
        name="echo",
        version="1.0",
        edition="v0.32",
        capabilities=frozenset({"timers"}),
        value_kinds=frozenset({"null", "string"}),
        language="python",
    )
    assert echo.run(MARKS, timeout=2.0) == TRACE
    echo.reset(timeout=2.0)
    assert echo.run(MARKS, timeout=2.0) == TRACE
    pid = echo.pid
    echo.close()
    echo.close()
    assert gone(pid)


def test_stray_output_of_the_adapter_goes_to_stderr(echo: SubprocessAdapter) -> None:
    echo.run(MARKS, timeout=2.0)
    deadline = time.monotonic() + 5.0
    while "stray bytes on file descriptor 1" not in echo.stderr_tail() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert "a stray print from the adapter" in echo.stderr_tail()
    assert "stray bytes on file descriptor 1" in echo.stderr_tail()


def test_an_exception_in_the_adapter_is_reported_and_the_session_goes_on(echo: SubprocessAdapter) -> None:
    with pytest.raises(AdapterReportedError, match="ValueError: echo cannot do 'webContentsSend'") as caught:
        echo.run(UNSUPPORTED, timeout=2.0)
    assert caught.value.step is Step.RUN
    assert caught.value.detail is not None and "Traceback" in caught.value.detail
    assert not echo.broken
    assert echo.run(MARKS, timeout=2.0) == TRACE


def test_an_invalid_scenario_is_refused_before_sending(echo: SubprocessAdapter) -> None:
    with pytest.raises(MessageError, match=r"at \$\.scenario: 'main' is a required property"):
        echo.run({"pages": []}, timeout=2.0)
    assert not echo.broken
    assert echo.run(MARKS, timeout=2.0) == TRACE


def test_the_adapter_is_usable_as_a_context_manager(
    fake_argv: Callable[[str], list[str]], fake_env: dict[str, str], gone: Callable[..., bool]
) -> None:
    with SubprocessAdapter(fake_argv("echo"), env=fake_env) as adapter:
        pid = adapter.pid
        assert adapter.run(MARKS, timeout=2.0) == TRACE
    assert gone(pid)
    with pytest.raises(AdapterError, match="the adapter is closed"):
        adapter.run(MARKS, timeout=2.0)


def test_a_command_line_spec_loads_a_subprocess_adapter(
    fake_argv: Callable[[str], list[str]], fake_env: dict[str, str]
) -> None:
    adapter = load_adapter(shlex.join(fake_argv("echo")), env=fake_env)
    try:
        assert isinstance(adapter, SubprocessAdapter)
        assert adapter.run(MARKS, timeout=2.0) == TRACE
    finally:
        adapter.close()


def test_an_adapter_that_cannot_be_created_fails_the_handshake_with_its_reason(
    fake_env: dict[str, str],
) -> None:
    code = "from conformance.adapters import serve; raise SystemExit(serve(lambda: 1 / 0))"
    with pytest.raises(HandshakeError) as caught:
        SubprocessAdapter([sys.executable, "-c", code], env=fake_env, start_timeout=5.0, grace=0.5)
    assert "answered hello with an error: the adapter could not be created: ZeroDivisionError" in str(
        caught.value
    )
    assert caught.value.detail is not None and "ZeroDivisionError" in caught.value.detail


def test_an_adapter_dropped_without_close_leaves_nothing_behind(
    fake_argv: Callable[[str], list[str]], fake_env: dict[str, str], gone: Callable[..., bool]
) -> None:
    adapter = SubprocessAdapter(fake_argv("stops_reading"), env=fake_env, grace=0.5)
    pid = adapter.pid
    del adapter
    gc.collect()
    assert gone(pid)


def test_nothing_is_left_behind_at_interpreter_exit(
    fake_argv: Callable[[str], list[str]], fake_env: dict[str, str], gone: Callable[..., bool]
) -> None:
    code = (
        "import sys\n"
        "from conformance.adapters import SubprocessAdapter\n"
        "ADAPTER = SubprocessAdapter(sys.argv[1:], grace=0.5)\n"
        "print(ADAPTER.pid)\n"
    )
    finished = subprocess.run(
        [sys.executable, "-c", code, *fake_argv("stops_reading")],
        env=fake_env,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    assert gone(int(finished.stdout))
