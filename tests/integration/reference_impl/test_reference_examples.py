"""The README's two-process example and ``python -m reference_impl.demo`` run as real programs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from ref_helpers import TIMEOUT

ROOT = Path(__file__).resolve().parents[3]


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "PYTHONUNBUFFERED"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, *command], capture_output=True, text=True, timeout=TIMEOUT * 3, env=env, check=False
    )


def test_two_process_example_prints_both_answers() -> None:
    result = _run(str(ROOT / "docs" / "examples" / "two_process.py"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "page: sendSync returned pong",
        "page: asynchronous-reply brought pong",
    ]
    assert result.stderr == ""


def test_demo_prints_what_each_side_saw() -> None:
    result = _run("-m", "reference_impl.demo")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("main: started page 1 (process ")
    assert lines[1:] == [
        "main: 'synchronous-message' brought 'ping'",
        "page: sendSync returned 'pong'",
        "main: 'asynchronous-message' brought 'ping'",
        "page: 'asynchronous-reply' brought 'pong'",
        "main: closed; the page's process is gone",
    ]


def test_benchmark_prints_its_measurements() -> None:
    result = _run("-m", "reference_impl.benchmark", "50")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("page spawn: median ")
    assert len(lines) == 6 and all(line.startswith("sendSync ") for line in lines[1:])
