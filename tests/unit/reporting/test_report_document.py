"""report.json: what the renderers trust is checked against report.schema.json when written and read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from report_samples import report, result

from conformance.reporting.outputs import render
from conformance.reporting.report import ReportError, dump_report, load_report, validate_report


def test_a_report_survives_writing_and_reading(tmp_path: Path) -> None:
    written = report([result("test_a", ["CH-1"]), result("test_b", ["SER-3"], "INCOMPATIBLE")])
    dump_report(written, tmp_path / "report.json")
    assert load_report(tmp_path / "report.json") == written
    assert load_report(tmp_path) == written  # a folder holding a report.json will do


def test_a_lone_surrogate_from_an_implementation_is_written_as_an_escape(tmp_path: Path) -> None:
    written = report([result("test_a", ["CH-1"], "FAIL", message="observed: '\ud800' and 'é'")])
    dump_report(written, tmp_path / "report.json")
    text = (tmp_path / "report.json").read_bytes().decode("utf-8")  # strict UTF-8: no surrogate written raw
    assert "\\ud800" in text and "é" in text
    assert load_report(tmp_path / "report.json")["results"][0]["message"] == "observed: '\ud800' and 'é'"


def test_a_report_breaking_the_schema_is_not_written(tmp_path: Path) -> None:
    broken = report([result("test_a", ["CH-1"])])
    broken["results"][0]["status"] = "MAYBE"
    with pytest.raises(ReportError, match=r"at results/0/status: 'MAYBE' is not one of"):
        dump_report(broken, tmp_path / "report.json")
    assert not (tmp_path / "report.json").exists()


def test_reading_names_the_file_and_the_problem(tmp_path: Path) -> None:
    path = tmp_path / "report.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(ReportError, match=r"report\.json is not JSON"):
        load_report(path)
    path.write_text(json.dumps({"format": 1}), encoding="utf-8")
    with pytest.raises(
        ReportError, match=r"report\.json breaks report\.schema\.json at \(top level\): 'run'"
    ):
        load_report(path)
    with pytest.raises(ReportError, match="cannot read"):
        load_report(tmp_path / "missing.json")


def test_every_clause_and_area_of_the_catalog_is_in_a_report() -> None:
    doc = validate_report(report([]))
    assert len(doc["clauses"]) > 40
    assert [a["code"] for a in doc["areas"]][:3] == ["CH", "ORD", "SER"]
    assert doc["clauses"]["CH-1"]["status"] == "UNTESTED"


def test_the_committed_example_is_valid_and_rendered_from_its_report_json(tmp_path: Path) -> None:
    """reports/reference_impl/latest/ shows visitors a report: it must be what the renderers make today.

    After changing a renderer: ipc-conformance render reports/reference_impl/latest/report.json
    """
    example = Path(__file__).resolve().parents[3] / "reports" / "reference_impl" / "latest"
    report = load_report(example)
    assert report["verdict"] == "CONFORMANT"
    assert report["run"]["implementation"]["name"] == "reference_impl"
    for path in render(report, tmp_path):
        assert path.read_bytes() == (example / path.name).read_bytes(), f"{path.name} is stale"
