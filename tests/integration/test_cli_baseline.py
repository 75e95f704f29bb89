"""``run --baseline`` and ``--write-baseline``: known failures pass the gate, new and fixed ones fail it.

Real runs: ``tests/fakes/markup_reference.py`` fails a property test of ORD-6; the
reference implementation passes a test that a baseline says fails.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Final

from cli_runs import MARKUP, PASSING_TEST, cli

from conformance.reporting.report import load_report

FAILING_TEST: Final = "test_messages_reach_the_listeners_registered_at_dispatch"
"""A property test of ORD-6 (MUST) that the markup fake fails on its first example: a short run."""


def test_a_written_baseline_makes_the_same_failures_pass_the_gate(tmp_path: Path) -> None:
    """Two runs of a failing property test (a few seconds each): writing the baseline, then using it."""
    common = ("run", "--adapter", MARKUP, "-k", FAILING_TEST, "--seed", "5")
    written = cli(tmp_path, *common, "--write-baseline", "known.toml", "--report-dir", "first")
    assert written.returncode == 0, written.output
    baseline = tomllib.loads((tmp_path / "known.toml").read_text(encoding="utf-8"))
    (entry,) = baseline["known"]
    assert entry["test"] == f"test_ordering.py::{FAILING_TEST}"
    assert entry["reason"].startswith("FAIL on ORD-6: ORD-6 (MUST): main: messages sent to it never reached")
    assert written.stdout.splitlines()[-2] == "matches the baseline: 1 known failure (ORD-6), no other"

    judged = cli(tmp_path, *common, "--baseline", "known.toml", "--report-dir", "second")
    assert judged.returncode == 0, judged.output
    assert judged.stdout.splitlines()[-1].startswith("NOT CONFORMANT (matches the baseline): ")
    report = load_report(tmp_path / "second")
    assert report["baseline"] == {
        "file": "known.toml",
        "known": [entry["test"]],
        "unexpected": [],
        "fixed": [],
    }
    assert report["results"][0]["known"]["entry"] == f"test {entry['test']}"


def test_a_listed_test_that_passes_fails_the_run_until_removed(tmp_path: Path) -> None:
    (tmp_path / "known.yaml").write_text(
        f"known:\n  - test: test_channels.py::{PASSING_TEST}\n    reason: listeners ran out of order\n",
        encoding="utf-8",
    )
    run = cli(tmp_path, "run", "--adapter", "reference", "-k", PASSING_TEST, "--baseline", "known.yaml")
    assert run.returncode == 1, run.output
    lines = run.stdout.splitlines()
    assert lines[-2] == (
        f"test test_channels.py::{PASSING_TEST} now passes: remove it from the baseline known.yaml"
    )
    assert lines[-1].startswith("CONFORMANT (does not match the baseline): reference_impl 0.1.0")


def test_a_bad_baseline_stops_the_run_before_it_starts(tmp_path: Path) -> None:
    (tmp_path / "known.toml").write_text('[[known]]\nclause = "CH-99"\nreason = "typo"\n', encoding="utf-8")
    run = cli(tmp_path, "run", "--adapter", "reference", "--baseline", "known.toml")
    assert run.returncode == 2
    (line,) = run.stderr.splitlines()
    assert line.startswith("ipc-conformance: known.toml: no clause 'CH-99' in the v0.32 catalog")
    assert not (tmp_path / "reports").exists()
