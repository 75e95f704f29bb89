"""Running ``ipc-conformance`` in a fresh process, and runs shared by the command-line tests.

A run of the suite costs seconds (a failing property test is shrunk); several test
modules read the same run's report.  ``shared_run`` makes each named run once per
test session, also under xdist, where every worker would otherwise make its own:
the first worker to ask runs it under a file lock, the others read its outcome.
"""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import pytest

__all__ = [
    "FAILING_TEST",
    "FAKES",
    "MARKUP",
    "PASSING_TEST",
    "SEED",
    "Run",
    "cli",
    "cli_env",
    "markup_run",
    "reference_run",
    "shared_run",
]

FAKES: Final = Path(__file__).resolve().parents[1] / "fakes"
RUN_TIMEOUT: Final = 600
"""Seconds: a bound only a hung command reaches."""


@dataclass(frozen=True)
class Run:
    """A finished command: its exit code, its output, and where it ran."""

    returncode: int
    stdout: str
    stderr: str
    cwd: Path

    @property
    def output(self) -> str:
        """Return stdout and stderr, for assertion messages."""
        return self.stdout + self.stderr


def cli_env() -> dict[str, str]:
    """Return the environment of a command run: this one's, without pytest's, with the fakes importable."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(FAKES), env.get("PYTHONPATH")]))
    return env


def cli(cwd: Path, *args: str, **options: Any) -> Run:
    """Run ``ipc-conformance ARGS`` in ``cwd`` in a fresh process; return how it ended."""
    command = [sys.executable, "-m", "conformance.cli", *args]
    done = subprocess.run(
        command, cwd=cwd, env=cli_env(), capture_output=True, text=True, timeout=RUN_TIMEOUT, **options
    )
    return Run(done.returncode, done.stdout, done.stderr, cwd)


def _session_folder(factory: pytest.TempPathFactory) -> Path:
    """Return a folder of this test session that all its xdist workers share."""
    base = factory.getbasetemp()
    return base.parent if "PYTEST_XDIST_WORKER" in os.environ else base


def shared_run(factory: pytest.TempPathFactory, name: str, *args: str) -> Run:
    """Return the run ``ipc-conformance ARGS`` called ``name``, made once per test session."""
    folder = _session_folder(factory) / f"shared-{name}"
    with open(folder.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        outcome = folder / "outcome.json"
        if not outcome.exists():
            folder.mkdir(exist_ok=True)
            run = cli(folder, *args)
            kept = {"returncode": run.returncode, "stdout": run.stdout, "stderr": run.stderr}
            outcome.write_text(json.dumps(kept), encoding="utf-8")
        kept = json.loads(outcome.read_text(encoding="utf-8"))
    return Run(kept["returncode"], kept["stdout"], kept["stderr"], folder)


MARKUP: Final = "markup_reference:MarkupReference"
FAILING_TEST: Final = "test_send_emits_every_argument_in_order"
"""A property test of CH-1 (MUST): the markup fake's changed string fails it; Hypothesis shrinks it."""
PASSING_TEST: Final = "test_listeners_run_in_order_with_one_event"
"""A test without strings in main's deliveries: the markup fake passes it, as the reference does."""
SEED: Final = 20250102


def markup_run(factory: pytest.TempPathFactory) -> Run:
    """Return the run of the markup fake on FAILING_TEST (FAIL) and PASSING_TEST (PASS), into ``report``."""
    keyword = f"{FAILING_TEST} or {PASSING_TEST}"
    args = ("run", "--adapter", MARKUP, "-k", keyword, "--seed", str(SEED), "--report-dir", "report")
    return shared_run(factory, "markup", *args)


def reference_run(factory: pytest.TempPathFactory) -> Run:
    """Return a run of the reference on PASSING_TEST, without a seed, into the default report folder."""
    return shared_run(factory, "reference", "run", "--adapter", "reference", "-k", PASSING_TEST)
