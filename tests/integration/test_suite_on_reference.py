"""The slow end-to-end test: the whole suite against the reference implementation, through both adapters.

Runs ``ipc-conformance run`` (pytest with two xdist workers over ``conformance.suite``)
once in-process (``reference``) and once over the subprocess protocol
(``reference-subprocess``), and requires every test of the suite to PASS.  Deselect
it with ``-m "not slow"``; it takes minutes.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conformance.catalog import Level, load_catalog
from conformance.reporting.report import load_report

pytest_plugins = ["pytester"]
pytestmark = pytest.mark.slow

RUN_TIMEOUT = 1800
"""Seconds: a bound for a hung run only, far above a normal run's few minutes."""


@pytest.mark.parametrize("adapter", ["reference", "reference-subprocess"])
def test_the_reference_passes_the_whole_suite(
    adapter: str, tmp_path: Path, pytester: pytest.Pytester
) -> None:
    items, _ = pytester.inline_genitems("--pyargs", "conformance.suite", "-p", "no:cacheprovider")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    command = [sys.executable, "-m", "conformance.cli", "run", "--adapter", adapter, "--report-dir", "report"]
    result = subprocess.run(
        [*command, "-n", "2"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT
    )
    assert (tmp_path / "report").is_dir(), f"no report (exit code {result.returncode}):\n{result.stderr}"
    report = load_report(tmp_path / "report")

    not_passed = [
        f"{r['id']}: {r['status']}\n{r['message']}" for r in report["results"] if r["status"] != "PASS"
    ]
    assert not not_passed, f"{len(not_passed)} tests did not pass:\n" + "\n\n".join(not_passed)
    assert sorted(r["id"] for r in report["results"]) == sorted(item.nodeid for item in items)

    catalog = load_catalog()
    allowed = {Level.MUST: {"PASS"}, Level.IMPL: {"PASS"}, Level.UNSPEC: {"PASS", "INFO", "UNTESTED"}}
    wrong = {
        clause_id: summary["status"]
        for clause_id, summary in report["clauses"].items()
        if summary["status"] not in allowed.get(catalog.clause(clause_id).level, {"UNTESTED"})
    }
    assert not wrong, f"clauses with an unexpected status: {wrong}"
    assert report["verdict"] == "CONFORMANT"
    assert report["scores"]["conformance"]["percent"] == report["scores"]["compatibility"]["percent"] == 100.0
    assert result.returncode == 0, result.stderr
