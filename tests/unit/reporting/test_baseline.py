"""Baselines: reading TOML and YAML, judging a run by them, and writing one from a run's failures."""

from __future__ import annotations

from pathlib import Path

import pytest
from report_samples import report, result

from conformance.reporting.baseline import (
    Baseline,
    BaselineError,
    Entry,
    apply_baseline,
    baseline_from_report,
    load_baseline,
    write_baseline,
)

TOML = """
implementation = "sample-impl 1.0"

[[known]]
clause = "CH-1"
reason = "drops every argument but the first"
link = "https://example.org/issues/1"

[[known]]
test = "test_sample.py::slow"
reason = "times out on CI"
"""
YAML = """
known:
  - clause: CH-1
    reason: drops every argument but the first
    link: https://example.org/issues/1
  - test: test_sample.py::slow
    reason: times out on CI
"""


def _baseline(*entries: Entry) -> Baseline:
    return Baseline(entries, Path("baseline.toml"))


@pytest.mark.parametrize(("name", "text"), [("known.toml", TOML), ("known.yaml", YAML)])
def test_toml_and_yaml_say_the_same(tmp_path: Path, name: str, text: str) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    baseline = load_baseline(tmp_path / name)
    assert baseline.entries == (
        Entry("drops every argument but the first", clause="CH-1", link="https://example.org/issues/1"),
        Entry("times out on CI", test="test_sample.py::slow"),
    )


@pytest.mark.parametrize(
    ("name", "text", "problem"),
    [
        ("b.toml", "[[known]]\nclause = 'CH-1'\n", r"at known/0: 'reason' is a required property"),
        (
            "b.toml",
            "[[known]]\nclause = 'CH-1'\ntest = 'x'\nreason = 'r'\n",
            r"at known/0: .* is valid under each of",
        ),
        ("b.toml", "[[known]]\nclause = 'CH-99'\nreason = 'r'\n", r"no clause 'CH-99' .* did you mean"),
        ("b.toml", "[[known]]\nclause = 'ORD-4'\nreason = 'r'\n", r"ORD-4 is UNSPEC, which never fails"),
        ("b.toml", "known = [\n", r"is not valid TOML"),
        ("b.yaml", "known: [", r"is not valid YAML"),
        ("b.json", "{}", r"a baseline is a \.toml, \.yaml or \.yml file"),
    ],
)
def test_a_bad_baseline_says_what_is_wrong(tmp_path: Path, name: str, text: str, problem: str) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(BaselineError, match=problem):
        load_baseline(tmp_path / name)


def test_a_listed_failure_does_not_fail_the_run() -> None:
    judged = apply_baseline(report([result("a", ["CH-1"], "FAIL")]), _baseline(Entry("known", clause="CH-1")))
    assert judged["verdict"] == "NOT CONFORMANT"  # the implementation is what it is
    assert judged["gate"] == {
        "passed": True,
        "reason": "matches the baseline: 1 known failure (CH-1), no other",
    }
    assert judged["results"][0]["known"] == {"entry": "clause CH-1", "reason": "known"}
    assert judged["clauses"]["CH-1"]["known"] is True
    assert judged["baseline"] == {
        "file": "baseline.toml",
        "known": ["test_sample.py::a"],
        "unexpected": [],
        "fixed": [],
    }


def test_an_unlisted_failure_fails_the_run() -> None:
    results = [result("a", ["CH-1"], "FAIL"), result("b", ["SER-0"], "ERROR")]
    judged = apply_baseline(report(results), _baseline(Entry("known", clause="CH-1")))
    assert judged["gate"] == {"passed": False, "reason": "1 failure not in the baseline: b (SER-0)"}
    assert judged["baseline"]["unexpected"] == ["test_sample.py::b"]


def test_a_test_failing_on_two_clauses_is_known_only_if_both_are_listed() -> None:
    failing = result("a", ["CH-1", "ORD-6"], "FAIL")
    only_one = apply_baseline(report([failing]), _baseline(Entry("r", clause="CH-1")))
    assert not only_one["gate"]["passed"]
    both = apply_baseline(report([failing]), _baseline(Entry("r", clause="CH-1"), Entry("r", clause="ORD-6")))
    assert both["gate"]["passed"]


def test_a_listed_test_that_passes_now_fails_the_run_until_removed() -> None:
    results = [result("a", ["CH-1"]), result("b", ["CH-2"])]
    judged = apply_baseline(
        report(results), _baseline(Entry("old", test="test_sample.py::a"), Entry("x", clause="CH-2"))
    )
    assert judged["gate"]["passed"] is False
    assert judged["gate"]["reason"] == (
        "test test_sample.py::a, clause CH-2 now pass: remove it from the baseline baseline.toml"
    )
    assert judged["baseline"]["fixed"] == ["test test_sample.py::a", "clause CH-2"]


def test_entries_for_tests_that_did_not_run_are_not_fixed() -> None:
    judged = apply_baseline(
        report([result("a", ["CH-1"])]), _baseline(Entry("r", test="test_sample.py::gone"))
    )
    assert judged["gate"]["passed"] and judged["baseline"]["fixed"] == []


def test_an_interrupted_run_matching_its_baseline_still_fails_the_gate() -> None:
    stopped = report([result("a", ["CH-1"], "FAIL")], interrupted={"by": "SIGINT", "planned": 5})
    judged = apply_baseline(stopped, _baseline(Entry("known", clause="CH-1")))
    assert judged["gate"] == {
        "passed": False,
        "reason": "INCOMPLETE: interrupted by SIGINT after 1 of 5 tests; "
        "until then: matches the baseline: 1 known failure (CH-1), no other",
    }


def test_incompatibilities_are_judged_only_in_strict_mode() -> None:
    results = [result("a", ["CH-3"], "INCOMPATIBLE")]
    assert apply_baseline(report(results), _baseline())["gate"]["passed"]
    assert not apply_baseline(report(results, strict=True), _baseline())["gate"]["passed"]


@pytest.mark.parametrize("suffix", [".toml", ".yaml"])
def test_a_written_baseline_lists_every_failure_and_reads_back(tmp_path: Path, suffix: str) -> None:
    results = [
        result("a", ["CH-1"], "FAIL", message='CH-1 (MUST): arguments | "quoted"\nsecond line'),
        result("b", ["SER-0", "ORD-6"], "TIMEOUT"),
        result("c", ["CH-2"]),
    ]
    written = baseline_from_report(report(results), tmp_path / f"known{suffix}")
    write_baseline(written, comment="Known failures\nof sample-impl")
    text = (tmp_path / f"known{suffix}").read_text(encoding="utf-8")
    assert text.startswith("# Known failures\n# of sample-impl\n")
    again = load_baseline(tmp_path / f"known{suffix}")
    assert again.entries == written.entries
    assert [e.test for e in again.entries] == ["test_sample.py::a", "test_sample.py::b"]
    assert again.entries[0].reason == 'FAIL on CH-1: CH-1 (MUST): arguments | "quoted"'
    assert apply_baseline(report(results), again)["gate"]["passed"]


def test_writing_again_keeps_the_entries_that_still_apply() -> None:
    results = [result("a", ["CH-1"], "FAIL"), result("b", ["SER-0"], "FAIL")]
    old = (
        Entry("why CH-1 fails", clause="CH-1", link="https://example.org/1"),
        Entry("fixed", clause="CH-2"),
    )
    written = baseline_from_report(report(results), Path("b.toml"), old)
    assert written.entries[0] == old[0]
    assert [e.describe() for e in written.entries] == ["clause CH-1", "test test_sample.py::b"]
