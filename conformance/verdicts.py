"""Verdicts: the closed set of outcomes, and the clause violations that checks report.

A check never asserts bare conditions: it tells a ``Checker`` which clause an
expectation comes from, so that a failure names the clause (and its level decides
whether it is a FAIL or an incompatibility).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from conformance.catalog import load_catalog
from conformance.values.model import Value, js_equal, js_equal_lists
from conformance.values.render import render, render_list

__all__ = ["Checker", "ClauseViolation", "Status", "Violation"]


class Status(StrEnum):
    """What a test of an implementation came to."""

    PASS = "PASS"
    FAIL = "FAIL"
    """A MUST clause is violated (or an IMPL clause, in strict mode)."""
    INCOMPATIBLE = "INCOMPATIBLE"
    """An IMPL clause is violated: incompatible with Electron v0.32, not non-conformant."""
    UNSUPPORTED = "UNSUPPORTED"
    """The test needs a capability the implementation said it lacks."""
    ERROR = "ERROR"
    """The implementation or its adapter broke (crashed, answered nonsense, broke the protocol), or
    the test gave no verdict: it was skipped for another reason than a missing capability, or the
    process running it died."""
    TIMEOUT = "TIMEOUT"
    """The adapter did not answer within the call's timeout."""


@dataclass(frozen=True)
class Violation:
    """One expectation of one clause that an observation did not meet."""

    clause: str
    message: str
    expected: str | None = None
    observed: str | None = None

    def describe(self) -> str:
        """Return the violation as text: the clause, its statement, and what differed."""
        clause = load_catalog().clause(self.clause)
        lines = [f"{clause.id} ({clause.level.value}): {self.message}", f"  clause: {clause.statement}"]
        if self.expected is not None:
            lines.append(f"  expected: {self.expected}")
        if self.observed is not None:
            lines.append(f"  observed: {self.observed}")
        return "\n".join(lines)


class ClauseViolation(AssertionError):
    """Raised by a check when the trace violates one or more clauses."""

    def __init__(self, violations: Sequence[Violation]) -> None:
        self.violations = tuple(violations)
        super().__init__("\n".join(v.describe() for v in self.violations))

    @property
    def clauses(self) -> frozenset[str]:
        """Return the IDs of the violated clauses."""
        return frozenset(v.clause for v in self.violations)


class Checker:
    """Collects the violations of one test; ``verify`` raises them all at once."""

    def __init__(self) -> None:
        self.violations: list[Violation] = []

    def expect(
        self, clause: str, ok: bool, message: str, *, expected: str | None = None, observed: str | None = None
    ) -> bool:
        """Record a violation of ``clause`` unless ``ok``; return ``ok``.

        Only MUST and IMPL clauses can be violated: UNSPEC behaviour is observed, never judged.
        """
        if not load_catalog().clause(clause).level.tested:
            raise ValueError(f"{clause} is not a MUST or IMPL clause: the suite must not fail anyone for it")
        if not ok:
            self.violations.append(Violation(clause, message, expected, observed))
        return ok

    def expect_value(
        self,
        clauses: str | Iterable[str],
        observed: Value,
        expected: Value,
        where: str,
        *,
        key_order: bool = True,
    ) -> bool:
        """Expect ``observed`` to be the same JavaScript value as ``expected``."""
        ok = js_equal(observed, expected, key_order=key_order)
        for clause in [clauses] if isinstance(clauses, str) else clauses:
            self.expect(clause, ok, where, expected=render(expected), observed=render(observed))
        return ok

    def expect_args(
        self,
        clauses: str | Iterable[str],
        observed: list[Value],
        expected: list[Value],
        where: str,
        *,
        key_order: bool = True,
    ) -> bool:
        """Expect an argument list to be the same values as ``expected``."""
        ok = js_equal_lists(observed, expected, key_order=key_order)
        for clause in [clauses] if isinstance(clauses, str) else clauses:
            self.expect(
                clause, ok, where, expected=render_list(list(expected)), observed=render_list(list(observed))
            )
        return ok

    def verify(self) -> None:
        """Raise ``ClauseViolation`` if any expectation failed."""
        if self.violations:
            raise ClauseViolation(self.violations)
