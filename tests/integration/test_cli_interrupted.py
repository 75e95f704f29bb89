"""A run stopped by SIGINT or SIGTERM still writes valid reports of the tests that ended, marked interrupted.

Each test starts a real ``ipc-conformance run`` of part of the suite on the
reference implementation in its own process group, sends the signal to the command
line alone (as ``kill PID`` does) once the first progress line shows tests have
ended, and reads what it left: exit code 2 with a one-line reason, a schema-valid
report of fewer tests than selected, its renderings, and no process of the group.
A few seconds each: the run is cut short.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Final

import pytest
from cli_runs import cli_env

from conformance.reporting.report import load_report

SELECTION: Final = "test_channels or test_errors or test_host or test_main_to_renderer"
"""34 tests of the suite, each a second or less: the first progress line comes after three or four."""
SETTLE_TIMEOUT: Final = 60.0
"""Seconds: bounds only a run that does not stop, or a process that stays."""


def _group_is_gone(pgid: int) -> bool:
    """Return whether no process of group ``pgid`` is left, waiting a while for stragglers."""
    deadline = time.monotonic() + SETTLE_TIMEOUT
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False


def _start(tmp_path: Path, workers: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "conformance.cli", "run", "--report-dir", "report", "-n", workers]
    command += ["-k", SELECTION]
    return subprocess.Popen(
        command,
        cwd=tmp_path,
        env=cli_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def _first_progress(process: subprocess.Popen[str]) -> str:
    """Return the first progress line of the run (tests have ended by then), or "" if none came."""
    assert process.stderr is not None
    return next((line for line in process.stderr if " tests | " in line), "")


def _finish(process: subprocess.Popen[str], what: str) -> tuple[str, str]:
    try:
        stdout, stderr = process.communicate(timeout=SETTLE_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        pytest.fail(f"the run went on for {SETTLE_TIMEOUT} s after {what}")
    return stdout, stderr


@pytest.mark.parametrize(
    ("signum", "workers"), [(signal.SIGINT, "0"), (signal.SIGTERM, "2")], ids=["SIGINT", "SIGTERM-n2"]
)
def test_an_interrupted_run_reports_what_ran(signum: signal.Signals, workers: str, tmp_path: Path) -> None:
    with _start(tmp_path, workers) as process:
        progress = _first_progress(process)
        process.send_signal(signum)
        stdout, stderr = _finish(process, signum.name)
    assert progress, f"no progress line came; stderr:\n{stderr}"
    assert process.returncode == 2, stdout + stderr

    report = load_report(tmp_path / "report")  # valid against report.schema.json
    interrupted = report["run"]["interrupted"]
    assert interrupted is not None and interrupted["by"] == signum.name
    ran = len(report["results"])
    assert int(progress.split("/")[0]) <= ran < interrupted["planned"]
    assert {r["status"] for r in report["results"]} == {"PASS"}
    assert report["verdict"] == "INCOMPLETE" and not report["gate"]["passed"]
    reason = f"interrupted by {signum.name} after {ran} of {interrupted['planned']} tests"
    assert stderr.splitlines()[-1] == (
        f"ipc-conformance: INCOMPLETE: {reason}, none of them failing; the report of what ran is in report"
    )
    assert stdout.splitlines()[-1] == "INCOMPLETE: reference_impl 0.1.0; report in report"

    page = (tmp_path / "report" / "report.html").read_text(encoding="utf-8")
    assert f"Interrupted by {signum.name} after {ran} of {interrupted['planned']} tests" in page
    junit = ET.parse(tmp_path / "report" / "junit.xml").getroot()
    assert len(list(junit.iter("testcase"))) == ran
    assert {p.attrib["name"]: p.attrib["value"] for p in junit.iter("property")}["interrupted"] == signum.name
    assert _group_is_gone(process.pid), "processes of the run are left behind"


def test_a_run_whose_worker_is_stopped_is_not_taken_for_a_whole_one(tmp_path: Path) -> None:
    """SIGTERM to one xdist worker: its test under way is ERROR; if pytest then ends early, the report
    says the run is incomplete; if xdist replaced the worker, every test has its result."""
    with _start(tmp_path, "2") as process:
        progress = _first_progress(process)
        children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
        os.kill(int(children[0]), signal.SIGTERM)
        stdout, stderr = _finish(process, "SIGTERM to a worker")
    assert progress, f"no progress line came; stderr:\n{stderr}"
    report = load_report(tmp_path / "report")
    assert not report["gate"]["passed"]
    interrupted = report["run"]["interrupted"]
    if interrupted is None:
        assert process.returncode == 1, stdout + stderr
        assert "ERROR" in {r["status"] for r in report["results"]}
        assert len(report["results"]) == int(progress.split("/")[1].split()[0])
    else:
        assert process.returncode == 2, stdout + stderr
        assert interrupted["by"].startswith("pytest, which stopped early")
        assert len(report["results"]) < interrupted["planned"]
        assert stderr.splitlines()[-1].endswith("the report of what ran is in report")
    assert _group_is_gone(process.pid), "processes of the run are left behind"
