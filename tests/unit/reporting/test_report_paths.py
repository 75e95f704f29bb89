"""Report folders are named after the implementation, which names itself: none leaves the reports folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conformance.reporting.outputs import NAME_LIMIT, folder_name, new_report_directory

HOSTILE = [
    "../../../etc",
    "..",
    ".",
    "",
    "/etc/passwd",
    "//server/share",
    "C:\\Windows\\System32",
    "a/../../b",
    "-rf --no-preserve-root",
    ".hidden",
    "name\x00with\nnul and newline",
    "<script>alert(1)</script>",
    "名前",
    "~root",
    "x" * 500,
]


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_name_becomes_one_harmless_component(name: str) -> None:
    component = folder_name(name)
    assert Path(component).name == component  # no separator, not "." or ".."
    assert component not in (".", "..")
    assert component[0].isalnum() or component[0] == "_"  # not hidden, not an option
    assert len(component) <= NAME_LIMIT


def test_names_keep_what_is_already_safe() -> None:
    assert folder_name("electron-ipc-mock_2.1") == "electron-ipc-mock_2.1"
    assert folder_name("../../../etc") == "etc"
    assert folder_name("<script>alert(1)</script>") == "script-alert-1-script"
    assert folder_name("名前") == "implementation"


@pytest.mark.parametrize("name", HOSTILE)
def test_the_run_folder_is_created_inside_the_reports_folder(name: str, tmp_path: Path) -> None:
    base = tmp_path / "reports"
    folder = new_report_directory(base, name, "20250102T030405Z")
    assert folder.is_dir()
    assert folder.resolve().parent.parent == base.resolve()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reports"]  # nothing was made elsewhere


@settings(max_examples=200, deadline=None)
@given(name=st.text(max_size=120), run_id=st.text(max_size=40))
def test_any_name_and_run_id_stay_inside(
    tmp_path_factory: pytest.TempPathFactory, name: str, run_id: str
) -> None:
    base = tmp_path_factory.mktemp("reports")
    folder = new_report_directory(base, name, run_id)
    assert folder.resolve().parent.parent == base.resolve()


def test_a_second_run_in_the_same_second_gets_its_own_folder(tmp_path: Path) -> None:
    first = new_report_directory(tmp_path, "impl", "20250102T030405Z")
    (first / "report.json").write_text("{}", encoding="utf-8")
    second = new_report_directory(tmp_path, "impl", "20250102T030405Z")
    assert (first.name, second.name) == ("20250102T030405Z", "20250102T030405Z-2")
    assert (first / "report.json").read_text(encoding="utf-8") == "{}"
