"""compare: implementations as columns, clauses as rows, in Markdown and HTML."""

from __future__ import annotations

from report_samples import report, result

from conformance.reporting.compare import compare_html, compare_markdown, matrix
from conformance.reporting.report import Report


def _two() -> list[Report]:
    first = report([result("a", ["CH-1"]), result("b", ["CH-2"], "FAIL")], name="alpha")
    second = report([result("a", ["CH-1"], "TIMEOUT")], name="<b>beta</b>")
    return [first, second]


def test_each_clause_has_its_status_in_each_report() -> None:
    m = matrix(_two())
    assert m.columns == ("alpha 1.0", "<b>beta</b> 1.0")
    rows = {clause_id: cells for clause_id, _, cells in m.rows}
    assert rows["CH-1"] == ("PASS", "TIMEOUT")
    assert rows["CH-2"] == ("FAIL", "UNTESTED")
    assert [clause_id for clause_id, _, _ in m.rows][:2] == ["CH-1", "CH-2"]


def test_a_clause_a_report_does_not_know_is_a_dash() -> None:
    older = report([result("a", ["CH-1"])], name="old")
    del older["clauses"]["CH-8"]
    rows = {clause_id: cells for clause_id, _, cells in matrix([report([], name="new"), older]).rows}
    assert rows["CH-8"] == ("UNTESTED", "-")


def test_the_same_implementation_twice_is_told_apart_by_run() -> None:
    one = report([], name="same")
    two = report([], name="same")
    two["run"]["id"] = "20250103T000000Z"
    assert matrix([one, two]).columns == ("same 1.0 (20250102T030405Z)", "same 1.0 (20250103T000000Z)")


def test_markdown_and_html_render_the_matrix_escaped() -> None:
    text = compare_markdown(_two())
    assert "| | alpha 1.0 | &lt;b&gt;beta&lt;/b&gt; 1.0 |" in text
    assert "| CH-1 | MUST | PASS | TIMEOUT |" in text
    assert "| verdict | NOT CONFORMANT | NOT CONFORMANT |" in text
    html = compare_html(_two())
    assert "<th>&lt;b&gt;beta&lt;/b&gt; 1.0</th>" in html
    assert "<b>beta" not in html
