"""Verdicts: the closed set of statuses, and checks that name the clause an expectation comes from."""

from __future__ import annotations

import math

import pytest

from conformance.catalog import CatalogLookupError, load_catalog
from conformance.values.model import UNDEFINED, Value
from conformance.verdicts import Checker, ClauseViolation, Status, Violation

MUST, IMPL, UNSPEC, UB = "CH-1", "SER-3", "ORD-4", "RET-6"


def test_the_statuses_are_a_closed_set_named_as_reported() -> None:
    assert {status.value for status in Status} == {
        "PASS", "FAIL", "INCOMPATIBLE", "UNSUPPORTED", "ERROR", "TIMEOUT",
    }  # fmt: skip
    assert all(status == status.name for status in Status)


def test_the_clauses_used_here_have_the_levels_assumed() -> None:
    levels = {c: load_catalog().clause(c).level.value for c in (MUST, IMPL, UNSPEC, UB)}
    assert levels == {MUST: "MUST", IMPL: "IMPL", UNSPEC: "UNSPEC", UB: "UB"}


def test_a_violation_describes_its_clause_and_what_differed() -> None:
    text = Violation(MUST, "the listener got one argument", expected="(1, 2)", observed="(1)").describe()
    statement = load_catalog().clause(MUST).statement
    assert text.splitlines() == [
        f"{MUST} (MUST): the listener got one argument",
        f"  clause: {statement}",
        "  expected: (1, 2)",
        "  observed: (1)",
    ]


def test_a_violation_leaves_out_what_it_does_not_know() -> None:
    text = Violation(IMPL, "lost").describe()
    assert text.startswith(f"{IMPL} (IMPL): lost\n  clause: ")
    assert "expected" not in text and "observed" not in text


def test_a_met_expectation_records_nothing() -> None:
    check = Checker()
    assert check.expect(MUST, True, "fine") is True
    assert check.violations == []
    check.verify()


def test_unmet_expectations_are_all_raised_at_once() -> None:
    check = Checker()
    assert check.expect(MUST, False, "first", expected="a", observed="b") is False
    assert check.expect(IMPL, False, "second") is False
    with pytest.raises(ClauseViolation) as raised:
        check.verify()
    violation = raised.value
    assert isinstance(violation, AssertionError)
    assert [v.message for v in violation.violations] == ["first", "second"]
    assert violation.clauses == {MUST, IMPL}
    assert str(violation) == "\n".join(v.describe() for v in violation.violations)


@pytest.mark.parametrize("clause", [UNSPEC, UB])
@pytest.mark.parametrize("ok", [True, False])
def test_only_must_and_impl_clauses_can_be_judged(clause: str, ok: bool) -> None:
    check = Checker()
    with pytest.raises(ValueError, match=f"{clause} is not a MUST or IMPL clause"):
        check.expect(clause, ok, "observed behaviour")
    assert check.violations == []


def test_an_unknown_clause_is_refused_with_close_matches() -> None:
    with pytest.raises(CatalogLookupError, match="CH-1"):
        Checker().expect("CH-1x", True, "typo")


@pytest.mark.parametrize(
    ("observed", "expected"),
    [(math.nan, math.nan), ([1, {"a": None}], [1.0, {"a": None}]), (UNDEFINED, UNDEFINED)],
    ids=["nan", "nested", "undefined"],
)
def test_expect_value_accepts_the_same_javascript_value(observed: Value, expected: Value) -> None:
    check = Checker()
    assert check.expect_value(IMPL, observed, expected, "the argument")
    assert check.violations == []


def test_expect_value_reports_each_clause_with_rendered_values() -> None:
    check = Checker()
    assert not check.expect_value([MUST, IMPL], 0.0, -0.0, "the argument")
    assert [(v.clause, v.message, v.expected, v.observed) for v in check.violations] == [
        (MUST, "the argument", "-0", "0"),
        (IMPL, "the argument", "-0", "0"),
    ]


def test_key_order_counts_unless_told_otherwise() -> None:
    observed: Value = {"b": 1, "a": 2}
    expected: Value = {"a": 2, "b": 1}
    assert not Checker().expect_value(IMPL, observed, expected, "keys")
    assert Checker().expect_value(IMPL, observed, expected, "keys", key_order=False)


def test_expect_args_compares_the_whole_list_with_sharing() -> None:
    shared: Value = {"k": 1}
    check = Checker()
    assert check.expect_args(MUST, [shared, shared], [shared, shared], "arguments")
    assert not check.expect_args(MUST, [{"k": 1}, {"k": 1}], [shared, shared], "arguments")
    assert not check.expect_args(MUST, [1], [1, 2], "arguments")
    assert [(v.expected, v.observed) for v in check.violations] == [
        ("({k: 1}, <ref *1>)", "({k: 1}, {k: 1})"),
        ("(1, 2)", "(1)"),
    ]
