"""The ``ipc-conformance`` command: exit codes 0 (conformant) and 2 (no run), report folders, the plugin.

Exit code 1 and the reports' contents are in ``test_cli_reports.py``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from conformance.catalog import load_catalog
from conformance.cli import main
from conformance.reporting.report import load_report

HOSTILE_NAMES = '''
"""The reference implementation under names and versions that are paths (report folders take the name)."""

from conformance.adapters import Hello
from conformance.adapters.reference.adapter import ReferenceAdapter


class NamedAs(ReferenceAdapter):
    name = version = ""

    def hello(self):
        real = super().hello()
        return Hello(self.name, self.version, real.edition, real.capabilities, real.value_kinds)


class DotDot(NamedAs):
    name, version = "../../../escaped", "../../v1"


class Absolute(NamedAs):
    name, version = "/tmp/escaped", "/etc/passwd"


class Odd(NamedAs):
    name, version = "..", "1.0\\n\\x1b[31mred"
'''
QUICK_TEST = "test_listeners_run_in_order_with_one_event"
"""One quick test of the real suite (no Hypothesis), checking CH-3."""


def _cli(cwd: Path, *args: str, importable: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the command in a fresh process (it runs pytest itself), with ``importable`` on the path."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(importable or cwd), env.get("PYTHONPATH")]))
    command = [sys.executable, "-m", "conformance.cli", *args]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def test_the_command_is_installed() -> None:
    (script,) = [ep for ep in entry_points(group="console_scripts") if ep.name == "ipc-conformance"]
    assert script.value == "conformance.cli:main"


def test_clauses_lists_the_catalog(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["clauses"]) == 0
    lines = capsys.readouterr().out.splitlines()
    catalog = load_catalog()
    assert len(lines) == len(catalog)
    for line, clause in zip(lines, catalog, strict=True):
        assert line.split()[:2] == [clause.id, clause.level.value]
        assert line.endswith(clause.statement)


@pytest.mark.parametrize(
    ("adapter", "named"),
    [
        ("no_such_module_xyz:Adapter", "no_such_module_xyz"),
        ("/nonexistent/implementation --serve", "/nonexistent"),
    ],
    ids=["module", "command"],
)
def test_a_nonexistent_adapter_exits_2_with_a_one_line_reason(
    adapter: str, named: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["run", "--adapter", adapter, "--report-dir", str(tmp_path / "report")]) == 2
    out, err = capsys.readouterr()
    (line,) = err.splitlines()
    assert line.startswith(f"ipc-conformance: cannot use adapter {adapter!r}: ")
    assert named in line.removeprefix("ipc-conformance: cannot use adapter")
    assert out == ""
    assert not (tmp_path / "report").exists()


def test_the_reference_implementation_exits_0_with_a_report(tmp_path: Path) -> None:
    result = _cli(tmp_path, "run", "--adapter", "reference", "--report-dir", "report", "-k", "test_channels")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1] == "CONFORMANT: reference_impl 0.1.0; report in report"
    report = load_report(tmp_path / "report")
    assert report["verdict"] == "CONFORMANT"
    assert report["run"]["adapter"] == "reference"
    assert report["run"]["implementation"]["name"] == "reference_impl"
    assert report["results"], "no test of test_channels.py ran"
    assert {r["status"] for r in report["results"]} == {"PASS"}
    assert all(r["id"].startswith("test_channels.py::") for r in report["results"])
    assert report["clauses"]["CH-1"]["status"] == "PASS"
    assert sorted(p.name for p in (tmp_path / "report").iterdir()) == [
        "junit.xml",
        "report.html",
        "report.json",
        "summary.md",
    ]


def test_a_run_that_cannot_be_made_exits_2(tmp_path: Path) -> None:
    result = _cli(tmp_path, "run", "--adapter", "reference", "--edition", "v9.9", "--report-dir", "report")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "the run could not be made" in result.stderr


@pytest.mark.parametrize(
    ("adapter", "folder"),
    [("DotDot", "escaped"), ("Absolute", "tmp-escaped"), ("Odd", "implementation")],
)
def test_a_name_cannot_put_the_report_outside_the_reports_folder(
    adapter: str, folder: str, tmp_path: Path
) -> None:
    """A run of one quick test (a few seconds) in ``tmp_path/work``, into the default report folder."""
    (tmp_path / "hostile_names.py").write_text(HOSTILE_NAMES, encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    run = _cli(work, "run", "--adapter", f"hostile_names:{adapter}", "-k", QUICK_TEST, importable=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    (made,) = (work / "reports").iterdir()
    assert made.name == folder
    (run_folder,) = made.iterdir()
    assert load_report(run_folder)["run"]["id"] == run_folder.name
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hostile_names.py", "work"]
    assert not Path("/tmp/escaped").exists()
    last = run.stdout.splitlines()[-1]
    assert last.endswith(f"; report in reports/{folder}/{run_folder.name}")
    assert "\x1b" not in run.stdout  # the version's escape sequence is printed as text


def test_the_suite_is_also_a_plain_pytest_plugin(tmp_path: Path) -> None:
    """pytest with options of one's own (here --junitxml) runs the suite through its entry point."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    command = [sys.executable, "-m", "pytest", "--pyargs", "conformance", "-p", "no:cacheprovider"]
    command += ["--ipc-adapter", "reference", "-k", QUICK_TEST, "--junitxml", "own.xml"]
    run = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 passed" in run.stdout
    (case,) = ET.parse(tmp_path / "own.xml").getroot().iter("testcase")
    assert case.attrib["name"] == QUICK_TEST
