"""Sums up a run's results: each clause's status, each area's counts, the two scores and the verdict.

A clause's status is the worst outcome among the tests that check it (a test that
failed on other clauses counts as a pass for this one); conformance is scored over
MUST clauses and Electron v0.32 compatibility over IMPL clauses, apart.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Final

from conformance.catalog import Catalog, Level
from conformance.reporting.report import Area, ClauseSummary, Gate, Interruption, Result, Score, Scores
from conformance.verdicts import Status

__all__ = [
    "CLAUSE_ORDER",
    "CONFORMANT",
    "INCOMPLETE",
    "INFO",
    "NOT_CONFORMANT",
    "UNTESTED",
    "failed_clauses",
    "failing_statuses",
    "gate_without_baseline",
    "interrupted_gate",
    "is_failing",
    "listing",
    "not_passing",
    "scores",
    "summarise_areas",
    "summarise_clauses",
    "verdict",
    "worst",
]

CONFORMANT: Final = "CONFORMANT"
NOT_CONFORMANT: Final = "NOT CONFORMANT"
INCOMPLETE: Final = "INCOMPLETE"
INFO: Final = "INFO"
UNTESTED: Final = "UNTESTED"
CLAUSE_ORDER: Final = (
    Status.PASS.value,
    INFO,
    UNTESTED,
    Status.UNSUPPORTED.value,
    Status.INCOMPATIBLE.value,
    Status.TIMEOUT.value,
    Status.ERROR.value,
    Status.FAIL.value,
)
"""Clause statuses from best to worst."""
_LISTED: Final = 5


def worst(statuses: Iterable[str], *, default: str = UNTESTED) -> str:
    """Return the worst of ``statuses`` (by ``CLAUSE_ORDER``), or ``default`` if there are none."""
    return max(statuses, key=CLAUSE_ORDER.index, default=default)


def failing_statuses(*, strict: bool) -> frozenset[str]:
    """Return the test statuses that make an implementation not conformant."""
    failing = {Status.FAIL, Status.ERROR, Status.TIMEOUT}
    return frozenset(s.value for s in (failing | {Status.INCOMPATIBLE} if strict else failing))


def is_failing(result: Result, *, strict: bool) -> bool:
    """Return whether ``result`` makes the implementation not conformant."""
    return result["status"] in failing_statuses(strict=strict)


def not_passing(results: Sequence[Result]) -> list[Result]:
    """Return the results with a failure (FAIL, INCOMPATIBLE, ERROR, TIMEOUT), the worst first."""
    failed = [r for r in results if "failure" in r]
    return sorted(failed, key=lambda r: -CLAUSE_ORDER.index(r["status"]))


def failed_clauses(result: Result) -> list[str]:
    """Return the clauses ``result`` failed on: those it violated, or all it checks if it broke."""
    return list(result["violated"]) if result["violated"] else list(result["clauses"])


def summarise_clauses(results: Sequence[Result], catalog: Catalog) -> dict[str, ClauseSummary]:
    """Return every clause of ``catalog`` by ID, in document order, with its status in ``results``."""
    statuses: dict[str, list[str]] = {c.id: [] for c in catalog}
    tests: dict[str, list[str]] = {c.id: [] for c in catalog}
    notes: dict[str, set[str]] = {c.id: set() for c in catalog}
    for result in results:
        for observation in result["observations"]:
            notes.setdefault(observation["clause"], set()).add(observation["text"])
        for clause_id in result["clauses"]:
            tests.setdefault(clause_id, []).append(result["id"])
            status = result["status"]
            if status in (Status.FAIL, Status.INCOMPATIBLE) and clause_id not in result["violated"]:
                continue  # the test stopped at another clause's failure: it did not judge this one
            statuses.setdefault(clause_id, []).append(status)
    summaries: dict[str, ClauseSummary] = {}
    for clause in catalog:
        status = worst(statuses[clause.id])
        observed = status == Status.PASS or (status == UNTESTED and notes[clause.id])
        if clause.level is Level.UNSPEC and observed:
            status = INFO  # never judged: the tests ran, what they saw is informational
        summaries[clause.id] = {
            "area": clause.area,
            "level": clause.level.value,
            "statement": clause.statement,
            "status": status,
            "tests": tests[clause.id],
            "observations": sorted(notes[clause.id]),
            "known": False,
        }
    return summaries


def summarise_areas(clauses: Mapping[str, ClauseSummary], catalog: Catalog) -> list[Area]:
    """Return every area of ``catalog`` with its clauses' statuses counted."""
    areas: list[Area] = []
    for area in catalog.areas:
        mine = [c for c in clauses.values() if c["area"] == area.code]
        judged = [c["status"] for c in mine if Level(c["level"]).tested]
        counts = Counter(c["status"] for c in mine)
        areas.append(
            {
                "code": area.code,
                "title": area.title,
                "status": worst(judged),
                "counts": dict(sorted(counts.items())),
            }
        )
    return areas


def _score(clauses: Mapping[str, ClauseSummary], level: Level) -> Score:
    mine = [c["status"] for c in clauses.values() if c["level"] == level.value]
    passed = mine.count(Status.PASS)
    unsupported = mine.count(Status.UNSUPPORTED)
    untested = mine.count(UNTESTED)
    judged = len(mine) - unsupported - untested
    return {
        "level": "MUST" if level is Level.MUST else "IMPL",
        "passed": passed,
        "of": judged,
        "unsupported": unsupported,
        "untested": untested,
        "percent": round(100 * passed / judged, 1) if judged else None,
    }


def scores(clauses: Mapping[str, ClauseSummary]) -> Scores:
    """Return the two scores: conformance (MUST clauses) and Electron v0.32 compatibility (IMPL clauses)."""
    return {"conformance": _score(clauses, Level.MUST), "compatibility": _score(clauses, Level.IMPL)}


def verdict(results: Sequence[Result], *, strict: bool, interrupted: bool = False) -> str:
    """Return NOT CONFORMANT if a test failed (see ``failing_statuses``), INCOMPLETE if the run was
    interrupted before any did, NOT CONFORMANT if no test ran at all, else CONFORMANT."""
    if any(is_failing(r, strict=strict) for r in results):
        return NOT_CONFORMANT
    if interrupted:
        return INCOMPLETE
    return CONFORMANT if results else NOT_CONFORMANT


def listing(items: Sequence[str], limit: int = _LISTED) -> str:
    """Return ``items`` joined by commas, cut after ``limit`` with a count of the rest."""
    shown = ", ".join(items[:limit])
    return f"{shown} and {len(items) - limit} more" if len(items) > limit else shown


def gate_without_baseline(
    results: Sequence[Result], *, strict: bool, interruption: Interruption | None = None
) -> Gate:
    """Return the CI gate of a run judged on its verdict alone, with a one-line reason."""
    failing = [r for r in results if is_failing(r, strict=strict)]
    if not failing and interruption is not None:
        stopped = _stopped(interruption, len(results))
        return {"passed": False, "reason": f"{INCOMPLETE}: {stopped}, none of them failing"}
    if not results:
        return {"passed": False, "reason": f"{NOT_CONFORMANT}: no test ran"}
    if not failing:
        levels = "MUST and IMPL clause" if strict else "MUST clause"
        return {"passed": True, "reason": f"{CONFORMANT}: every tested {levels} held and no test broke"}
    violated = sorted(
        {c for r in failing if r["status"] in (Status.FAIL, Status.INCOMPATIBLE) for c in r["violated"]}
    )
    broken = Counter(r["status"] for r in failing if r["status"] in (Status.ERROR, Status.TIMEOUT))
    parts = [f"{listing(violated)} violated"] if violated else []
    parts += [f"{n} test{'s' * (n != 1)} in {status}" for status, n in sorted(broken.items())]
    gate: Gate = {"passed": False, "reason": f"{NOT_CONFORMANT}: " + "; ".join(parts)}
    return interrupted_gate(gate, interruption, len(results))


def _stopped(interruption: Interruption, ran: int) -> str:
    return f"interrupted by {interruption['by']} after {ran} of {interruption['planned']} tests"


def interrupted_gate(gate: Gate, interruption: Interruption | None, ran: int) -> Gate:
    """Return ``gate``, failed and saying so if the run was interrupted: what did not run is not judged."""
    if interruption is None:
        return gate
    stopped = _stopped(interruption, ran)
    if gate["passed"]:
        return {"passed": False, "reason": f"{INCOMPLETE}: {stopped}; until then: {gate['reason']}"}
    return {"passed": False, "reason": f"{gate['reason']}; {stopped}"}
