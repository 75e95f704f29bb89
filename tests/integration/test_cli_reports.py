"""Reports: ``run`` writes them, ``render`` writes them again from report.json, ``compare`` lines them up.

Two real runs, shared with the other command-line tests (``cli_runs``): the markup
fake (``tests/fakes/markup_reference.py``) failing one property test and passing
another, with markup in its name, version, a value and a channel; and the
reference implementation on one quick test, in the default report folder.
"""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import hypothesis
import pytest
from cli_runs import FAILING_TEST, MARKUP, PASSING_TEST, SEED, Run, cli, markup_run, reference_run
from fakes.markup_reference import CHANNEL_PAYLOAD, NAME, VALUE_PAYLOAD, VERSION

from conformance.reporting.report import load_report

RENDERED = ("junit.xml", "report.html", "summary.md")
FILES = ("junit.xml", "report.html", "report.json", "summary.md")


@pytest.fixture
def failing(tmp_path_factory: pytest.TempPathFactory) -> Run:
    return markup_run(tmp_path_factory)


@pytest.fixture
def passing(tmp_path_factory: pytest.TempPathFactory) -> Run:
    return reference_run(tmp_path_factory)


def _folder(run: Run) -> Path:
    """Return the report folder of a run into the default place, ``reports/<implementation>/<run>``."""
    (folder,) = (run.cwd / "reports" / "reference_impl").iterdir()
    return folder


def test_a_failing_run_exits_1_and_says_why_last(failing: Run) -> None:
    assert failing.returncode == 1, failing.output
    lines = failing.stdout.splitlines()
    assert lines[-2] == "NOT CONFORMANT: CH-1 violated"
    assert lines[-1] == f"NOT CONFORMANT: {NAME} {VERSION}; report in report"
    assert f"FAIL {FAILING_TEST} [CH-1] CH-1 (MUST): arguments of the listener" in failing.stdout
    assert "2/2 tests | 1 failing" in failing.stderr  # the progress line, in a log
    folder = failing.cwd / "report"
    assert set(FILES) <= {p.name for p in folder.iterdir()}
    assert not [p.name for p in folder.iterdir() if p.name.startswith(".")]  # no temporary file left


def test_the_report_keeps_what_a_replay_needs(failing: Run) -> None:
    report = load_report(failing.cwd / "report")
    assert [(r["id"], r["status"]) for r in report["results"]] == [
        (f"test_channels.py::{PASSING_TEST}", "PASS"),
        (f"test_channels.py::{FAILING_TEST}", "FAIL"),
    ]
    result = report["results"][1]
    assert result["violated"] == ["CH-1"]
    assert result["message"].startswith("CH-1 (MUST): arguments of the listener")
    failure = result["failure"]
    assert failure["counterexample"] is not None and "args=[''" in failure["counterexample"]
    assert (
        failure["scenario"] is not None
        and failure["scenario"]["renderers"]["p1"]["script"][0]["op"] == "send"
    )
    assert failure["trace"] is not None
    (delivery,) = [e for e in failure["trace"]["processes"]["main"] if e["type"] == "deliver"]
    assert (delivery["channel"], delivery["args"][0]["value"]) == (CHANNEL_PAYLOAD, VALUE_PAYLOAD)
    replay = failure["replay"]
    assert (replay["test"], replay["seed"], replay["adapter"]) == (result["id"], SEED, MARKUP)
    assert replay["hypothesis"] is not None and replay["hypothesis"]["version"] == hypothesis.__version__
    assert (report["run"]["seed"], report["run"]["keyword"]) == (SEED, f"{FAILING_TEST} or {PASSING_TEST}")
    assert report["run"]["implementation"]["name"] == NAME  # kept as the implementation said it
    assert report["run"]["interrupted"] is None
    assert report["clauses"]["CH-1"]["status"] == "FAIL"
    assert report["clauses"]["CH-3"]["status"] == "PASS"


def test_junit_xml_reports_the_failure_by_clause(failing: Run) -> None:
    suite = ET.parse(failing.cwd / "report" / "junit.xml").getroot().find("testsuite")
    assert suite is not None
    cases = {case.attrib["name"]: case for case in suite.iter("testcase")}
    assert sorted(cases) == sorted([f"{FAILING_TEST} [CH-1]", f"{PASSING_TEST} [CH-3]"])
    failure = cases[f"{FAILING_TEST} [CH-1]"].find("failure")
    assert failure is not None and failure.attrib["message"] == "CH-1 (MUST): arguments of the listener"
    assert list(cases[f"{PASSING_TEST} [CH-3]"]) == []
    assert suite.attrib["name"] == f"ipc-conformance v0.32: {NAME} {VERSION}"
    assert (suite.attrib["tests"], suite.attrib["failures"]) == ("2", "1")


def test_summary_md_escapes_the_implementation_s_markup(failing: Run) -> None:
    summary = (failing.cwd / "report" / "summary.md").read_text(encoding="utf-8")
    assert summary.startswith("## NOT CONFORMANT: &lt;script&gt;console.log")
    assert "<script>" not in summary.replace("```", "").split("<details>")[0]
    assert "<img" not in summary


def test_a_run_without_a_seed_draws_one_and_records_it(passing: Run) -> None:
    assert passing.returncode == 0, passing.output
    folder = _folder(passing)
    report = load_report(folder)
    assert report["verdict"] == "CONFORMANT" and report["gate"]["passed"]
    assert folder.name == report["run"]["id"]
    assert isinstance(report["run"]["seed"], int)
    assert passing.stdout.splitlines()[-1] == (
        f"CONFORMANT: reference_impl 0.1.0; report in reports/reference_impl/{folder.name}"
    )


def test_render_makes_the_same_files_from_report_json_alone(failing: Run, tmp_path: Path) -> None:
    copy = tmp_path / "copied"
    copy.mkdir()
    shutil.copy(failing.cwd / "report" / "report.json", copy / "report.json")
    run = cli(tmp_path, "render", str(copy / "report.json"))
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == [str(copy / name) for name in RENDERED]
    for name in RENDERED:
        assert (copy / name).read_bytes() == (failing.cwd / "report" / name).read_bytes(), name


def test_render_refuses_a_report_that_breaks_its_schema(tmp_path: Path) -> None:
    (tmp_path / "report.json").write_text('{"format": 1}', encoding="utf-8")
    run = cli(tmp_path, "render", "report.json")
    assert run.returncode == 2
    assert run.stderr.startswith(
        "ipc-conformance: report.json breaks report.schema.json at (top level): 'run' is a required property"
    )


def test_compare_lines_up_implementations_by_clause(failing: Run, passing: Run, tmp_path: Path) -> None:
    markdown = cli(tmp_path, "compare", str(_folder(passing)), str(failing.cwd / "report" / "report.json"))
    assert markdown.returncode == 0, markdown.stderr
    header = markdown.stdout.splitlines()[2]
    assert header.startswith("| | reference\\_impl 0.1.0 | &lt;script&gt;console.log(")
    assert "| CH-1 | MUST | UNTESTED | FAIL |" in markdown.stdout
    assert "| CH-3 | IMPL | PASS | PASS |" in markdown.stdout
    assert "| verdict | CONFORMANT | NOT CONFORMANT |" in markdown.stdout
    run = cli(tmp_path, "compare", str(_folder(passing)), str(failing.cwd / "report"), "--format", "html")
    assert run.returncode == 0, run.stderr
    page = run.stdout
    assert NAME not in page and "&lt;script&gt;console.log(" in page
    written = cli(tmp_path, "compare", str(failing.cwd / "report"), "--format", "html", "-o", "m/matrix.html")
    assert written.returncode == 0 and written.stdout.strip() == "m/matrix.html"
    assert (tmp_path / "m" / "matrix.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
