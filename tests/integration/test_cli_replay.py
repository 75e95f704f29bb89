"""``ipc-conformance replay``: a report's failure run again with its seed and blob, or its scenario alone.

The report is the markup fake's shared run (``cli_runs.markup_run``): a property
test of CH-1 that it fails (shrunk by Hypothesis) and a test it passes.  Each
replay runs in a folder of its own, so the shared report stays as written.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_runs import FAILING_TEST, PASSING_TEST, SEED, Run, cli, markup_run
from fakes.markup_reference import CHANNEL_PAYLOAD, VALUE_PAYLOAD

from conformance.reporting.report import dump_report, load_report


@pytest.fixture
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the report.json of a run with one FAIL (with a blob) and one PASS."""
    run: Run = markup_run(tmp_path_factory)
    assert run.returncode == 1, run.output
    return run.cwd / "report" / "report.json"


def test_a_failure_that_remains_exits_1(report: Path, tmp_path: Path) -> None:
    run = cli(tmp_path, "replay", str(report), "every_argument")
    assert run.returncode == 1, run.output
    last = run.stdout.splitlines()[-1]
    how = f"seed {SEED} and the recorded Hypothesis example"
    assert last == f"still FAIL ({how}): CH-1 (MUST): arguments of the listener"
    assert "args=['']" in run.stdout  # pytest's own account of the failure comes first


def test_a_failure_that_is_gone_exits_0(report: Path, tmp_path: Path) -> None:
    run = cli(
        tmp_path, "replay", str(report.parent), f"test_channels.py::{FAILING_TEST}", "--adapter", "reference"
    )
    assert run.returncode == 0, run.output
    assert run.stdout.splitlines()[-1] == (
        f"passes now (seed {SEED} and the recorded Hypothesis example): was FAIL in the report"
    )


def test_without_a_usable_blob_the_seed_replays_the_run(report: Path, tmp_path: Path) -> None:
    """Hypothesis searches and shrinks again from the seed: seconds."""
    doc = load_report(report)
    failure = next(r["failure"] for r in doc["results"] if "failure" in r)
    assert failure["replay"]["hypothesis"] is not None
    failure["replay"]["hypothesis"]["version"] = "0.0.1"
    dump_report(doc, tmp_path / "report.json")
    run = cli(tmp_path, "replay", "report.json", FAILING_TEST)
    assert run.returncode == 1, run.output
    lines = run.stdout.splitlines()
    assert lines[0] == "note: the blob is from Hypothesis 0.0.1: replaying by seed only"
    assert lines[-1] == f"still FAIL (seed {SEED}): CH-1 (MUST): arguments of the listener"


def test_the_scenario_alone_goes_through_the_adapter_and_its_trace_is_printed(
    report: Path, tmp_path: Path
) -> None:
    run = cli(tmp_path, "replay", str(report), FAILING_TEST, "--scenario")
    assert run.returncode == 0, run.output
    trace = json.loads(run.stdout)
    (delivery,) = [event for event in trace["processes"]["main"] if event["type"] == "deliver"]
    assert (delivery["channel"], delivery["args"]) == (
        CHANNEL_PAYLOAD,
        [{"type": "string", "value": VALUE_PAYLOAD}],
    )
    assert run.stderr.splitlines()[-1] == "the same events as recorded (timestamps and order aside)"
    other = cli(tmp_path, "replay", str(report), FAILING_TEST, "--scenario", "--adapter", "reference")
    assert other.returncode == 0, other.stderr
    assert other.stderr.splitlines()[-1] == "other events than recorded"


@pytest.mark.parametrize(
    ("test", "reason"),
    [
        ("no_such_test", f"no test of the report matches 'no_such_test'; its failing tests: {FAILING_TEST}"),
        ("test_", "'test_' matches 2 tests"),
        (PASSING_TEST, "did not fail in that run (PASS): nothing to replay"),
    ],
)
def test_what_cannot_be_replayed_exits_2_saying_why(
    report: Path, test: str, reason: str, tmp_path: Path
) -> None:
    run = cli(tmp_path, "replay", str(report), test)
    assert run.returncode == 2
    (line,) = run.stderr.splitlines()
    assert line.startswith("ipc-conformance: ") and reason in line
