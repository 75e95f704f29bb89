"""junit.xml: each status as the element CI systems expect, clause IDs in names, any text made valid XML."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from report_samples import report, result

from conformance.reporting.junit import junit_xml, xml_safe
from conformance.reporting.report import Report


def _cases(doc: Report) -> tuple[ET.Element, dict[str, ET.Element]]:
    root = ET.fromstring(junit_xml(doc))
    suite = root.find("testsuite")
    assert suite is not None
    return suite, {case.attrib["name"]: case for case in suite.iter("testcase")}


def test_each_status_becomes_the_element_ci_systems_expect() -> None:
    doc = report(
        [
            result("passes", ["CH-1"]),
            result("fails", ["CH-2", "ORD-6"], "FAIL"),
            result("breaks", ["CH-3"], "ERROR"),
            result("hangs", ["CH-4"], "TIMEOUT"),
            result("lacks", ["CH-5"], "UNSUPPORTED", message="UNSUPPORTED: no capability 'webview'"),
            result("differs", ["CH-6"], "INCOMPATIBLE"),
            result("observes", ["ORD-4"], observations=[{"clause": "ORD-4", "text": "p2 first"}]),
        ]
    )
    suite, cases = _cases(doc)
    children = {name: [(c.tag, c.attrib.get("type")) for c in case] for name, case in cases.items()}
    assert children == {
        "passes [CH-1]": [],
        "fails [CH-2, ORD-6]": [("failure", "FAIL"), ("system-out", None)],
        "breaks [CH-3]": [("error", "ERROR"), ("system-out", None)],
        "hangs [CH-4]": [("error", "TIMEOUT"), ("system-out", None)],
        "lacks [CH-5]": [("skipped", "UNSUPPORTED")],
        "differs [CH-6]": [("skipped", "INCOMPATIBLE")],
        "observes [ORD-4]": [("skipped", "INFO")],
    }
    counts = {key: suite.attrib[key] for key in ("tests", "failures", "errors", "skipped")}
    assert counts == {"tests": "7", "failures": "1", "errors": "2", "skipped": "3"}
    assert cases["passes [CH-1]"].attrib["classname"] == "conformance.suite.test_sample"
    assert "p2 first" in cases["observes [ORD-4]"][0].attrib["message"]


def test_a_failure_carries_its_message_example_and_replay_command() -> None:
    _, cases = _cases(report([result("fails", ["CH-1"], "FAIL")]))
    failure = cases["fails [CH-1]"].find("failure")
    assert failure is not None and failure.text is not None
    assert failure.attrib["message"] == "CH-1 (FAIL): what went wrong"
    assert "minimal example:\nf(args=[''])" in failure.text
    assert "replay: ipc-conformance replay report.json test_sample.py::fails" in failure.text
    out = cases["fails [CH-1]"].find("system-out")
    assert out is not None and out.text is not None and '"listener": "m1"' in out.text


def test_incompatible_fails_in_strict_mode_and_known_failures_are_skipped() -> None:
    strict = report([result("differs", ["CH-6"], "INCOMPATIBLE")], strict=True)
    _, cases = _cases(strict)
    assert next(c.tag for c in cases["differs [CH-6]"]) == "failure"
    known = report(
        [result("fails", ["CH-1"], "FAIL", known={"entry": "clause CH-1", "reason": "one arg only"})]
    )
    _, cases = _cases(known)
    (skipped,) = cases["fails [CH-1]"]
    assert (skipped.tag, skipped.attrib["type"]) == ("skipped", "KNOWN")
    assert skipped.attrib["message"] == "known FAIL (clause CH-1): one arg only"


def test_characters_xml_forbids_are_escaped_and_markup_is_text() -> None:
    text = "esc \x1b[31m nul \x00 lone \ud800 tag <b>&</b>"
    doc = report([result("fails", ["CH-1"], "FAIL", message=text)], name="impl \x07 <i>")
    suite, cases = _cases(doc)  # parses: the document is well-formed
    failure = cases["fails [CH-1]"].find("failure")
    assert failure is not None
    assert failure.attrib["message"] == "esc \\x1b[31m nul \\x00 lone \\ud800 tag <b>&</b>"
    assert suite.attrib["name"].endswith("impl \\x07 <i> 1.0")
    assert xml_safe("tab\tnew\nline\r ok \U0001f600") == "tab\tnew\nline\r ok \U0001f600"
