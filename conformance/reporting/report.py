"""The report document (report.schema.json): its shape as typed dictionaries, and reading and writing it.

``report.json`` is the source of truth of a run; every other file is rendered from
it.  ``dump_report`` and ``load_report`` validate it against its schema both ways.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Literal, NotRequired, TypedDict, cast

from conformance.schemas import validator_for

__all__ = [
    "FORMAT",
    "REPORT_FILE",
    "SCHEMA",
    "Area",
    "BaselineUse",
    "ClauseSummary",
    "Failure",
    "Gate",
    "HypothesisBlob",
    "Implementation",
    "Interruption",
    "KnownFailure",
    "Observation",
    "Platform",
    "Replay",
    "Report",
    "ReportError",
    "Result",
    "RunInfo",
    "Score",
    "Scores",
    "dump_report",
    "load_report",
    "validate_report",
    "write_atomically",
]

FORMAT = 1
REPORT_FILE = "report.json"
SCHEMA = "report.schema.json"


class Implementation(TypedDict):
    name: str
    version: str
    protocol: int
    language: str | None
    homepage: str | None
    edition: str
    capabilities: list[str]
    valueKinds: list[str]


class Platform(TypedDict):
    system: str
    python: str
    pytest: str
    hypothesis: str


class Interruption(TypedDict):
    by: str
    planned: int


class RunInfo(TypedDict):
    id: str
    suite: dict[str, str]
    edition: str
    strict: bool
    profile: str
    seed: int
    keyword: str | None
    timeout: float
    adapter: str
    implementation: Implementation
    started: str
    finished: str
    duration: float
    platform: Platform
    interrupted: Interruption | None


class HypothesisBlob(TypedDict):
    version: str
    blob: str


class Replay(TypedDict):
    test: str
    seed: int
    adapter: str
    edition: str
    profile: str
    strict: bool
    timeout: float
    hypothesis: HypothesisBlob | None


class Failure(TypedDict):
    counterexample: str | None
    scenario: dict[str, Any] | None
    trace: dict[str, Any] | None
    details: str | None
    replay: Replay


class KnownFailure(TypedDict):
    entry: str
    reason: str
    link: NotRequired[str]


class Observation(TypedDict):
    clause: str
    text: str


class Result(TypedDict):
    id: str
    clauses: list[str]
    status: str
    duration: float
    message: str
    violated: list[str]
    observations: list[Observation]
    failure: NotRequired[Failure]
    known: NotRequired[KnownFailure]


class ClauseSummary(TypedDict):
    area: str
    level: str
    statement: str
    status: str
    tests: list[str]
    observations: list[str]
    known: bool


class Area(TypedDict):
    code: str
    title: str
    status: str
    counts: dict[str, int]


class Score(TypedDict):
    level: Literal["MUST", "IMPL"]
    passed: int
    of: int
    unsupported: int
    untested: int
    percent: float | None


class BaselineUse(TypedDict):
    file: str
    known: list[str]
    unexpected: list[str]
    fixed: list[str]


class Gate(TypedDict):
    passed: bool
    reason: str


class Scores(TypedDict):
    conformance: Score
    compatibility: Score


class Report(TypedDict):
    format: int
    run: RunInfo
    verdict: str
    gate: Gate
    scores: Scores
    areas: list[Area]
    clauses: dict[str, ClauseSummary]
    results: list[Result]
    baseline: NotRequired[BaselineUse]


class ReportError(ValueError):
    """A report file that cannot be read, is not JSON, or breaks report.schema.json."""


def validate_report(doc: object, origin: str = "the report") -> Report:
    """Return ``doc`` as a ``Report`` if it is valid; raise ``ReportError`` naming the first problem."""
    errors = sorted(validator_for(SCHEMA).iter_errors(doc), key=lambda e: list(e.absolute_path))
    if errors:
        where = "/".join(str(part) for part in errors[0].absolute_path) or "(top level)"
        more = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
        raise ReportError(f"{origin} breaks {SCHEMA} at {where}: {errors[0].message[:300]}{more}")
    return cast(Report, doc)


def load_report(path: Path) -> Report:
    """Return the validated report at ``path`` (a report.json, or a folder holding one)."""
    if path.is_dir():
        path = path / REPORT_FILE
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ReportError(f"cannot read {path}: {error.strerror or error}") from None
    except ValueError as error:
        raise ReportError(f"{path} is not JSON: {error}") from None
    return validate_report(doc, str(path))


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file beside it: ``path`` is never half written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def dump_report(report: Report, path: Path) -> None:
    """Validate ``report`` and write it to ``path`` as UTF-8 JSON, atomically.

    A lone surrogate in a string (implementations may send them) is written as its
    ``\\uXXXX`` escape, which is still valid JSON and reads back as the same string.
    """
    validate_report(report)
    text = json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    write_atomically(path, text.encode("utf-8", errors="backslashreplace"))
