"""The command line's arguments: ``clauses`` filters, and the ways of asking for the impossible (exit 2)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conformance.catalog import load_catalog
from conformance.cli import main


def _last_error(capsys: pytest.CaptureFixture[str]) -> str:
    return capsys.readouterr().err.strip().splitlines()[-1]


def test_clauses_filters_by_area_and_level(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["clauses", "--area", "ser", "--level", "must"]) == 0
    lines = capsys.readouterr().out.splitlines()
    expected = [c.id for c in load_catalog() if c.area == "SER" and c.level.value == "MUST"]
    assert [line.split()[0] for line in lines] == expected == ["SER-0", "SER-1"]


def test_clauses_of_an_unknown_area_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["clauses", "--area", "SRE"]) == 2
    assert _last_error(capsys).startswith(
        "ipc-conformance: no area 'SRE' in the v0.32 catalog; did you mean 'SER'"
    )


@pytest.mark.parametrize(
    ("argv", "reason"),
    [
        ([], "the following arguments are required: COMMAND"),
        (["run", "-n", "many"], "argument -n: expected a number of workers or 'auto', got 'many'"),
        (
            ["run", "--profile", "slow"],
            "argument --profile: invalid choice: 'slow' (choose from 'quick', 'thorough')",
        ),
        (["run", "--timeout", "0"], "argument --timeout: expected a positive number of seconds, got '0'"),
        (["run", "--timeout", "nan"], "argument --timeout: expected a positive number of seconds, got 'nan'"),
        (
            ["run", "--start-timeout", "-1"],
            "argument --start-timeout: expected a positive number of seconds, got '-1'",
        ),
        (
            ["run", "--restart-budget", "-1"],
            "argument --restart-budget: expected a whole number of restarts (0 or more), got '-1'",
        ),
        (["replay", "report.json"], "the following arguments are required: TEST"),
        (["compare"], "the following arguments are required: REPORT"),
    ],
)
def test_bad_arguments_exit_2_with_the_reason_last(
    argv: list[str], reason: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    assert _last_error(capsys).endswith(f"error: {reason}")


def test_an_unknown_edition_exits_2_before_anything_starts(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "--edition", "v9.9"]) == 2
    line = _last_error(capsys)
    assert line.startswith("ipc-conformance: the run could not be made: ") and "v9.9" in line


def test_reports_that_cannot_be_read_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "missing.json"
    assert main(["render", str(missing)]) == 2
    assert _last_error(capsys).startswith(f"ipc-conformance: cannot read {missing}")
    assert main(["compare", str(missing)]) == 2
    assert main(["replay", str(missing), "test_x"]) == 2


def test_a_pattern_matching_no_test_exits_2(tmp_path: Path) -> None:
    """Collects the suite in a fresh process (a few seconds)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    command = [sys.executable, "-m", "conformance.cli", "run", "-k", "no_test_is_called_this"]
    run = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 2
    assert run.stderr.strip().splitlines()[-1] == (
        "ipc-conformance: no test of the suite matches -k 'no_test_is_called_this'"
    )
    assert not (tmp_path / "reports").exists()


def test_a_report_that_cannot_be_written_exits_2(tmp_path: Path) -> None:
    """Runs one quick test (a few seconds), then cannot write into a 'folder' that is a file."""
    (tmp_path / "taken").write_text("a file, not a folder", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    command = [sys.executable, "-m", "conformance.cli", "run", "--report-dir", "taken/report"]
    command += ["-k", "test_listeners_run_in_order_with_one_event"]
    run = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 2, run.stdout + run.stderr
    last = run.stderr.strip().splitlines()[-1]
    assert last.startswith("ipc-conformance: the report could not be written: ")


def test_the_adapter_limits_reach_the_suite() -> None:
    """The run's timeouts and restart budget become the plugin's options, as the plugin parses them."""
    from conformance.cli import parser
    from conformance.commands.run import _settings, pytest_arguments

    args = parser().parse_args(
        ["run", "--timeout", "2.5", "--start-timeout", "30", "--restart-budget", "0", "--seed", "1"]
    )
    arguments = pytest_arguments(_settings(args), ["suite"])
    assert {"--ipc-timeout=2.5", "--ipc-start-timeout=30.0", "--ipc-restart-budget=0"} <= set(arguments)
