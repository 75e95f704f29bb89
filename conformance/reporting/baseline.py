"""Baselines: the failures an implementation is known to have (baseline.schema.json, in TOML or YAML).

A run judged against a baseline passes when its failures are exactly the listed
ones: an unlisted failure fails it, and so does an entry whose clause or test now
passes ("remove it from the baseline"), so that a baseline only ever shrinks.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import tomli_w
import yaml

from conformance.catalog import Catalog, CatalogLookupError, load_catalog
from conformance.reporting import tally
from conformance.reporting.report import BaselineUse, ClauseSummary, Gate, KnownFailure, Report, Result
from conformance.schemas import validator_for
from conformance.verdicts import Status

__all__ = [
    "Baseline",
    "BaselineError",
    "Entry",
    "apply_baseline",
    "baseline_from_report",
    "check_format",
    "load_baseline",
    "write_baseline",
]

SCHEMA: Final = "baseline.schema.json"
_TOML: Final = (".toml",)
_YAML: Final = (".yaml", ".yml")


class BaselineError(ValueError):
    """A baseline file that cannot be read, breaks baseline.schema.json, or names an unknown clause."""


@dataclass(frozen=True)
class Entry:
    """One known failure: every failure on ``clause``, or the failure of ``test``."""

    reason: str
    clause: str | None = None
    test: str | None = None
    link: str | None = None

    def describe(self) -> str:
        """Return what the entry lists, e.g. ``clause CH-1`` or ``test conformance/...::test_x``."""
        return f"clause {self.clause}" if self.clause else f"test {self.test}"

    def known(self) -> KnownFailure:
        """Return the entry as the ``known`` member of a result."""
        known: KnownFailure = {"entry": self.describe(), "reason": self.reason}
        if self.link:
            known["link"] = self.link
        return known

    def to_json(self) -> dict[str, str]:
        """Return the entry as in a baseline file."""
        doc: dict[str, str] = {"clause": self.clause} if self.clause else {"test": self.test or ""}
        doc["reason"] = self.reason
        if self.link:
            doc["link"] = self.link
        return doc


@dataclass(frozen=True)
class Baseline:
    """The known failures of one implementation."""

    entries: tuple[Entry, ...]
    path: Path
    implementation: str | None = None
    edition: str | None = None

    def excuse(self, result: Result) -> Entry | None:
        """Return the entry that lists ``result``'s failure: its test, or else every clause it failed on."""
        by_test = next((e for e in self.entries if e.test == result["id"]), None)
        if by_test is not None:
            return by_test
        listed = {e.clause: e for e in self.entries if e.clause}
        failed = tally.failed_clauses(result)
        if failed and all(clause in listed for clause in failed):
            return listed[failed[0]]
        return None


def check_format(path: Path) -> None:
    """Raise ``BaselineError`` unless ``path`` names a TOML or YAML file."""
    if path.suffix not in (*_TOML, *_YAML):
        raise BaselineError(f"{path}: a baseline is a .toml, .yaml or .yml file")


def load_baseline(path: Path, catalog: Catalog | None = None) -> Baseline:
    """Return the validated baseline at ``path``; raise ``BaselineError`` saying what is wrong."""
    check_format(path)
    try:
        text = path.read_text(encoding="utf-8")
        doc: Any = tomllib.loads(text) if path.suffix in _TOML else yaml.safe_load(text)
    except OSError as error:
        raise BaselineError(f"cannot read the baseline {path}: {error.strerror or error}") from None
    except (tomllib.TOMLDecodeError, yaml.YAMLError) as error:
        raise BaselineError(f"{path} is not valid {path.suffix[1:].upper()}: {error}") from None
    errors = sorted(validator_for(SCHEMA).iter_errors(doc), key=lambda e: list(e.absolute_path))
    if errors:
        where = "/".join(str(p) for p in errors[0].absolute_path) or "(top level)"
        raise BaselineError(f"{path} breaks {SCHEMA} at {where}: {errors[0].message[:300]}")
    catalog = catalog or load_catalog()
    entries = tuple(Entry(**item) for item in doc["known"])
    for entry in entries:
        if entry.clause is None:
            continue
        try:
            level = catalog.clause(entry.clause).level
        except CatalogLookupError as error:
            raise BaselineError(f"{path}: {error}") from None
        if not level.tested:
            raise BaselineError(f"{path}: {entry.clause} is {level.value}, which never fails: remove it")
    return Baseline(entries, path, doc.get("implementation"), doc.get("edition"))


def _fixed(entry: Entry, results: Sequence[Result], clauses: Mapping[str, ClauseSummary]) -> bool:
    """Return whether ``entry``'s clause or test ran in this run and passed."""
    if entry.test is not None:
        return any(r["id"] == entry.test and r["status"] == Status.PASS for r in results)
    clause = clauses.get(entry.clause or "")
    return clause is not None and clause["status"] == Status.PASS


def _gate(
    report: Report, known: list[Result], unexpected: list[Result], fixed: list[str], path: Path
) -> Gate:
    problems = []
    if unexpected:
        described = [
            f"{r['id'].rpartition('::')[2]} ({', '.join(tally.failed_clauses(r))})" for r in unexpected
        ]
        plural = "s" if len(unexpected) > 1 else ""
        problems.append(f"{len(unexpected)} failure{plural} not in the baseline: {tally.listing(described)}")
    if fixed:
        verb = "pass" if len(fixed) > 1 else "passes"
        problems.append(f"{tally.listing(fixed)} now {verb}: remove it from the baseline {path}")
    interruption, ran = report["run"]["interrupted"], len(report["results"])
    if problems:
        return tally.interrupted_gate({"passed": False, "reason": "; ".join(problems)}, interruption, ran)
    if not known:
        return report["gate"]
    clauses = sorted({c for r in known for c in tally.failed_clauses(r)})
    plural = "s" if len(known) > 1 else ""
    listed = tally.listing(clauses)
    reason = f"matches the baseline: {len(known)} known failure{plural} ({listed}), no other"
    return tally.interrupted_gate({"passed": True, "reason": reason}, interruption, ran)


def apply_baseline(report: Report, baseline: Baseline) -> Report:
    """Return ``report`` judged against ``baseline``: known failures marked, the gate decided anew."""
    strict = report["run"]["strict"]
    results: list[Result] = []
    known: list[Result] = []
    unexpected: list[Result] = []
    for result in report["results"]:
        entry = baseline.excuse(result) if tally.is_failing(result, strict=strict) else None
        if entry is not None:
            result = {**result, "known": entry.known()}
            known.append(result)
        elif tally.is_failing(result, strict=strict):
            unexpected.append(result)
        results.append(result)
    fixed = [e.describe() for e in baseline.entries if _fixed(e, results, report["clauses"])]
    clauses: dict[str, ClauseSummary] = {}
    for clause_id, clause in report["clauses"].items():
        failing = [r for r in known + unexpected if clause_id in tally.failed_clauses(r)]
        clauses[clause_id] = {**clause, "known": bool(failing) and all("known" in r for r in failing)}
    use: BaselineUse = {
        "file": str(baseline.path),
        "known": [r["id"] for r in known],
        "unexpected": [r["id"] for r in unexpected],
        "fixed": fixed,
    }
    gate = _gate(report, known, unexpected, fixed, baseline.path)
    return {**report, "results": results, "clauses": clauses, "baseline": use, "gate": gate}


def baseline_from_report(report: Report, path: Path, keep: Iterable[Entry] = ()) -> Baseline:
    """Return a baseline listing ``report``'s failures.

    The entries of ``keep`` (an earlier baseline) that still list a failure stay,
    with their reasons; every other failing test gets an entry of its own.
    """
    check_format(path)
    strict = report["run"]["strict"]
    failing = [r for r in report["results"] if tally.is_failing(r, strict=strict)]
    old = Baseline(tuple(keep), path)
    excused = [r for r in failing if old.excuse(r) is not None]
    entries = [
        e
        for e in old.entries
        if any(r["id"] == e.test or e.clause in tally.failed_clauses(r) for r in excused)
    ]
    for result in failing:
        if old.excuse(result) is None:
            clauses = ", ".join(tally.failed_clauses(result))
            first = result["message"].strip().splitlines()[:1] or [result["status"]]
            reason = f"{result['status']} on {clauses}: {first[0][:200]}"
            entries.append(Entry(reason=reason, test=result["id"]))
    implementation = report["run"]["implementation"]
    return Baseline(
        tuple(entries),
        path,
        f"{implementation['name']} {implementation['version']}",
        report["run"]["edition"],
    )


def write_baseline(baseline: Baseline, *, comment: str) -> None:
    """Write ``baseline`` to its path, in TOML or YAML by the file's suffix, under a ``comment``."""
    doc: dict[str, Any] = {}
    if baseline.implementation:
        doc["implementation"] = baseline.implementation
    if baseline.edition:
        doc["edition"] = baseline.edition
    doc["known"] = [e.to_json() for e in baseline.entries]
    validator_for(SCHEMA).validate(doc)
    body = (
        tomli_w.dumps(doc)
        if baseline.path.suffix in _TOML
        else yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)
    )
    header = "".join(f"# {' '.join(line.split())}\n" for line in comment.splitlines())
    baseline.path.parent.mkdir(parents=True, exist_ok=True)
    baseline.path.write_text(header + body, encoding="utf-8")
