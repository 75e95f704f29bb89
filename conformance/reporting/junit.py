"""Renders a report as JUnit XML (``junit.xml``) for CI systems.

The format is the one pytest's junitxml writes (Jenkins' junit-10.xsd): FAIL is a
``<failure>``, ERROR and TIMEOUT are ``<error>``, and what does not gate the run
(UNSUPPORTED, INCOMPATIBLE outside strict mode, tests that only observe UNSPEC
clauses, failures the baseline knows) is ``<skipped>``.  Test names carry their
clause IDs.  Characters XML cannot hold are written as visible escapes.
"""

from __future__ import annotations

import json
import re
import shlex
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from pathlib import Path
from typing import Final

from conformance.reporting.report import Report, Result, write_atomically
from conformance.verdicts import Status

__all__ = ["JUNIT_FILE", "junit_xml", "replay_command", "write_junit", "xml_safe"]

JUNIT_FILE: Final = "junit.xml"
SUITE_PACKAGE: Final = "conformance.suite"
"""Test IDs are relative to the suite's folder; class names are the test modules' full names."""
_NOT_XML: Final = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    """Return ``text``, each character XML 1.0 forbids (controls, lone surrogates) escaped: ``\\x1b``."""
    return _NOT_XML.sub(lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100 else f"\\u{ord(m[0]):04x}", text)


def replay_command(test: str, report_path: str = "report.json") -> str:
    """Return the shell command that replays ``test`` from the report at ``report_path``."""
    return f"ipc-conformance replay {shlex.quote(report_path)} {shlex.quote(test)}"


def _element(
    parent: ET.Element, tag: str, attributes: Mapping[str, str], text: str | None = None
) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: xml_safe(v) for k, v in attributes.items()})
    if text is not None:
        element.text = xml_safe(text)
    return element


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def _failure_text(result: Result) -> str:
    parts = [result["message"]]
    failure = result.get("failure")
    if failure is not None:
        if failure["counterexample"]:
            parts.append("minimal example:\n" + failure["counterexample"])
        if failure["details"]:
            parts.append(failure["details"])
        parts.append("replay: " + replay_command(result["id"]))
    return "\n\n".join(parts)


def _outcome(result: Result, report: Report, levels: Mapping[str, str]) -> tuple[str, str, str] | None:
    """Return the child element of a test case as (tag, type, message), or None for a pass."""
    status = result["status"]
    strict = report["run"]["strict"]
    if "known" in result:
        known = result["known"]
        return "skipped", "KNOWN", f"known {status} ({known['entry']}): {known['reason']}"
    if status == Status.PASS:
        if all(levels.get(c) == "UNSPEC" for c in result["clauses"]):
            seen = "; ".join(o["text"] for o in result["observations"]) or "nothing recorded"
            return "skipped", "INFO", f"informational (UNSPEC): {seen}"
        return None
    message = _first_line(result["message"]) or status
    if status == Status.FAIL or (status == Status.INCOMPATIBLE and strict):
        return "failure", status, message
    if status in (Status.ERROR, Status.TIMEOUT):
        return "error", status, message
    return "skipped", status, message


def junit_xml(report: Report) -> bytes:
    """Return ``report`` as a JUnit XML document (UTF-8)."""
    run = report["run"]
    implementation = run["implementation"]
    levels = {clause_id: c["level"] for clause_id, c in report["clauses"].items()}
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    root = ET.Element("testsuites", {"name": "electron-ipc-conformance"})
    suite = _element(
        root,
        "testsuite",
        {
            "name": f"ipc-conformance {run['edition']}: {implementation['name']} {implementation['version']}",
            "timestamp": run["started"],
            "time": f"{run['duration']:.3f}",
        },
    )
    properties = _element(suite, "properties", {})
    for name, value in (
        ("verdict", report["verdict"]),
        ("gate", report["gate"]["reason"]),
        ("implementation", f"{implementation['name']} {implementation['version']}"),
        ("adapter", run["adapter"]),
        ("edition", run["edition"]),
        ("strict", str(run["strict"]).lower()),
        ("profile", run["profile"]),
        ("seed", str(run["seed"])),
        ("suite", f"{run['suite']['name']} {run['suite']['version']}"),
        *([("interrupted", run["interrupted"]["by"])] if run["interrupted"] else []),
    ):
        _element(properties, "property", {"name": name, "value": value})
    for result in report["results"]:
        path, _, name = result["id"].partition("::")
        case = _element(
            suite,
            "testcase",
            {
                "classname": SUITE_PACKAGE + "." + path.removesuffix(".py").replace("/", "."),
                "name": f"{name} [{', '.join(result['clauses'])}]",
                "time": f"{result['duration']:.3f}",
            },
        )
        counts["tests"] += 1
        outcome = _outcome(result, report, levels)
        if outcome is None:
            continue
        tag, kind, message = outcome
        counts[{"failure": "failures", "error": "errors", "skipped": "skipped"}[tag]] += 1
        text = _failure_text(result) if tag != "skipped" else None
        _element(case, tag, {"type": kind, "message": message}, text)
        failure = result.get("failure")
        if tag != "skipped" and failure is not None and failure["scenario"] is not None:
            out = "scenario:\n" + json.dumps(failure["scenario"], indent=2, ensure_ascii=False)
            if failure["trace"] is not None:
                out += "\n\ntrace:\n" + json.dumps(failure["trace"], indent=2, ensure_ascii=False)
            _element(case, "system-out", {}, out)
    for element in (root, suite):
        for key, count in counts.items():
            element.set(key, str(count))
    ET.indent(root)
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return document + b"\n"


def write_junit(report: Report, directory: Path) -> Path:
    """Write ``junit.xml`` into ``directory``; return its path."""
    path = directory / JUNIT_FILE
    write_atomically(path, junit_xml(report))
    return path
