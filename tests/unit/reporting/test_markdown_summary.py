"""summary.md for CI step summaries: verdict, scores and failures, the implementation's text escaped."""

from __future__ import annotations

from report_samples import report, result

from conformance.reporting.markdown import code_block, md_text, summary_markdown


def test_the_summary_leads_with_the_verdict_and_the_gate() -> None:
    text = summary_markdown(report([result("fails", ["CH-1"], "FAIL"), result("passes", ["CH-3"])]))
    lines = text.splitlines()
    assert lines[0] == "## NOT CONFORMANT: sample-impl 1.0"
    assert lines[2] == "**Failed**: NOT CONFORMANT: CH-1 violated"
    assert "| Conformance (MUST) | 0/1 (0.0%) | 0 | 13 |" in lines
    assert "| Electron v0.32 compatibility (IMPL) | 1/1 (100.0%) | 0 | 37 |" in lines
    assert "<summary>FAIL fails: CH-1</summary>" in lines
    assert "ipc-conformance replay report.json test_sample.py::fails" in lines


def test_text_from_the_implementation_cannot_make_markup() -> None:
    name = "<script>alert(1)</script> | *bold* [link](x)"
    text = summary_markdown(report([result("fails", ["CH-1"], "FAIL", message="``` <b>")], name=name))
    assert text.splitlines()[0] == (
        "## NOT CONFORMANT: &lt;script&gt;alert(1)&lt;/script&gt; \\| \\*bold\\* \\[link\\](x) 1.0"
    )
    assert "````text\n``` <b>\n````" in text  # a fence longer than any run of backticks inside


def test_md_text_keeps_one_line() -> None:
    assert md_text("a\nb\t c") == "a b c"
    assert code_block("plain", "sh") == "```sh\nplain\n```"


def test_an_interrupted_run_is_said_to_be_one() -> None:
    text = summary_markdown(report([result("a", ["CH-1"])], interrupted={"by": "SIGINT", "planned": 9}))
    lines = text.splitlines()
    assert lines[0] == "## INCOMPLETE: sample-impl 1.0"
    assert "> Interrupted by SIGINT after 1 of 9 tests: the others were not judged." in lines
