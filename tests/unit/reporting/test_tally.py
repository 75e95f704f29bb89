"""Summing up: clause statuses, area counts, the two scores, the verdict and the gate's reason."""

from __future__ import annotations

from report_samples import report, result

from conformance.catalog import load_catalog
from conformance.reporting import tally
from conformance.reporting.report import Interruption


def test_a_clause_takes_the_worst_status_of_its_tests() -> None:
    clauses = tally.summarise_clauses(
        [result("a", ["CH-1"]), result("b", ["CH-1"], "TIMEOUT"), result("c", ["CH-2"], "UNSUPPORTED")],
        load_catalog(),
    )
    assert clauses["CH-1"]["status"] == "TIMEOUT"
    assert clauses["CH-1"]["tests"] == ["test_sample.py::a", "test_sample.py::b"]
    assert clauses["CH-2"]["status"] == "UNSUPPORTED"
    assert clauses["CH-3"]["status"] == "UNTESTED"


def test_a_test_failing_on_another_clause_leaves_the_others_unjudged() -> None:
    """It stopped at that failure, so it did not check its other clauses on every example."""
    failed = result("a", ["CH-1", "ORD-6", "CH-2"], "FAIL", violated=["ORD-6"])
    clauses = tally.summarise_clauses([failed, result("b", ["CH-2"])], load_catalog())
    assert (clauses["CH-1"]["status"], clauses["ORD-6"]["status"]) == ("UNTESTED", "FAIL")
    assert clauses["CH-1"]["tests"] == ["test_sample.py::a"]
    assert clauses["CH-2"]["status"] == "PASS"  # judged by b alone


def test_unspec_clauses_are_informational_with_what_was_observed() -> None:
    observed = result("a", ["ORD-4"], observations=[{"clause": "ORD-4", "text": "p2 came first"}])
    aside = result("b", ["CH-1"], observations=[{"clause": "BLK-3", "text": "delivered while blocked"}])
    clauses = tally.summarise_clauses([observed, aside, result("c", ["ERR-3"], "ERROR")], load_catalog())
    assert clauses["ORD-4"]["status"] == "INFO"
    assert clauses["ORD-4"]["observations"] == ["p2 came first"]
    assert clauses["BLK-3"]["status"] == "INFO"  # observed by a test of another clause
    assert clauses["ERR-3"]["status"] == "ERROR"  # a broken test is not an observation


def test_the_scores_count_only_judged_clauses_of_their_level() -> None:
    results = [
        result("a", ["CH-1"]),
        result("b", ["CH-2"], "FAIL"),
        result("c", ["ORD-6"], "UNSUPPORTED"),
        result("d", ["CH-3"], "INCOMPATIBLE"),
        result("e", ["CH-4"]),
    ]
    scores = tally.scores(tally.summarise_clauses(results, load_catalog()))
    must, impl = scores["conformance"], scores["compatibility"]
    assert (must["passed"], must["of"], must["unsupported"], must["percent"]) == (1, 2, 1, 50.0)
    assert (impl["passed"], impl["of"], impl["unsupported"]) == (1, 2, 0)
    assert must["untested"] + must["of"] + must["unsupported"] == len(load_catalog().select(level="MUST"))


def test_a_score_of_nothing_judged_has_no_percent() -> None:
    assert tally.scores(tally.summarise_clauses([], load_catalog()))["conformance"]["percent"] is None


def test_areas_count_their_clauses_and_take_the_worst_judged_status() -> None:
    results = [result("a", ["CH-1"]), result("b", ["CH-3"], "INCOMPATIBLE"), result("c", ["ORD-4"])]
    areas = {a["code"]: a for a in report(results)["areas"]}
    assert areas["CH"]["status"] == "INCOMPATIBLE"
    assert areas["CH"]["counts"] == {"INCOMPATIBLE": 1, "PASS": 1, "UNTESTED": 6}
    assert areas["ORD"]["status"] == "UNTESTED"  # an observed UNSPEC clause is not a tested one
    assert areas["ORD"]["counts"]["INFO"] == 1


def test_the_verdict_fails_on_must_violations_and_broken_tests_and_impl_only_when_strict() -> None:
    incompatible = [result("a", ["CH-3"], "INCOMPATIBLE")]
    assert tally.verdict(incompatible, strict=False) == "CONFORMANT"
    assert tally.verdict(incompatible, strict=True) == "NOT CONFORMANT"
    for status in ("FAIL", "ERROR", "TIMEOUT"):
        assert tally.verdict([result("a", ["CH-1"], status)], strict=False) == "NOT CONFORMANT"
    assert tally.verdict([result("a", ["CH-1"], "UNSUPPORTED")], strict=False) == "CONFORMANT"
    assert tally.verdict([], strict=False) == "NOT CONFORMANT"


def test_the_gate_reason_names_what_failed() -> None:
    results = [
        result("a", ["CH-1"], "FAIL"),
        result("b", ["SER-0"], "FAIL"),
        result("c", ["ORD-1"], "TIMEOUT"),
        result("d", ["ORD-2"], "ERROR"),
        result("e", ["ORD-3"], "ERROR"),
    ]
    gate = tally.gate_without_baseline(results, strict=False)
    assert gate == {
        "passed": False,
        "reason": "NOT CONFORMANT: CH-1, SER-0 violated; 2 tests in ERROR; 1 test in TIMEOUT",
    }
    assert tally.gate_without_baseline([result("a", ["CH-1"])], strict=True) == {
        "passed": True,
        "reason": "CONFORMANT: every tested MUST and IMPL clause held and no test broke",
    }
    assert tally.gate_without_baseline([], strict=False)["reason"] == "NOT CONFORMANT: no test ran"


def test_long_listings_are_cut() -> None:
    assert tally.listing(["a", "b", "c"], limit=2) == "a, b and 1 more"


def test_what_did_not_pass_comes_worst_first() -> None:
    results = [
        result("a", ["CH-3"], "INCOMPATIBLE"),
        result("b", ["CH-1"], "FAIL"),
        result("c", ["CH-2"], "TIMEOUT"),
        result("d", ["CH-4"]),
        result("e", ["CH-5"], "UNSUPPORTED"),
    ]
    assert [r["id"].rpartition("::")[2] for r in tally.not_passing(results)] == ["b", "c", "a"]


def test_an_interrupted_run_is_incomplete_unless_a_test_already_failed() -> None:
    stopped: Interruption = {"by": "SIGTERM", "planned": 10}
    passed = [result("a", ["CH-1"]), result("b", ["CH-2"])]
    assert tally.verdict(passed, strict=False, interrupted=True) == "INCOMPLETE"
    assert tally.gate_without_baseline(passed, strict=False, interruption=stopped) == {
        "passed": False,
        "reason": "INCOMPLETE: interrupted by SIGTERM after 2 of 10 tests, none of them failing",
    }
    failed = [*passed, result("c", ["CH-3"], "FAIL")]
    assert tally.verdict(failed, strict=False, interrupted=True) == "NOT CONFORMANT"
    assert tally.gate_without_baseline(failed, strict=False, interruption=stopped)["reason"] == (
        "NOT CONFORMANT: CH-3 violated; interrupted by SIGTERM after 3 of 10 tests"
    )
    assert tally.verdict([], strict=False, interrupted=True) == "INCOMPLETE"
