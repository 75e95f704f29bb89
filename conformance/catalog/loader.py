"""The clause catalog as Python values: the first stage of the data flow, read by tests and reports.

``load_catalog`` reads ``clauses.json`` (packaged beside this module), checks it against
``catalog.schema.json`` and the invariants a schema cannot state (unique IDs, known areas),
and returns a ``Catalog`` that looks clauses up by ID and filters them by area and level.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from conformance.schemas import validator_for

__all__ = [
    "CATALOG_FILE",
    "SCHEMA",
    "Area",
    "Catalog",
    "CatalogError",
    "CatalogLookupError",
    "Clause",
    "Level",
    "SpecSource",
    "load_catalog",
]

CATALOG_FILE = "clauses.json"
SCHEMA = "catalog.schema.json"


class Level(StrEnum):
    """How binding a clause is, as SEMANTICS.md defines its levels."""

    MUST = "MUST"
    """The documents say it; a violation makes an implementation non-conformant."""
    IMPL = "IMPL"
    """Electron's code does it; a violation makes an implementation incompatible (strict mode gates it)."""
    UNSPEC = "UNSPEC"
    """Neither settles it; never failed, observations are informational."""
    UB = "UB"
    """Electron itself corrupts memory or crashes; never exercised."""

    @property
    def tested(self) -> bool:
        """Return whether every clause at this level needs a test checking it (MUST and IMPL)."""
        return self in (Level.MUST, Level.IMPL)

    @property
    def exercised(self) -> bool:
        """Return whether scenarios may exercise this level at all (every level but UB)."""
        return self is not Level.UB

    def enforced(self, *, strict: bool = False) -> bool:
        """Return whether a violation fails the run: MUST always, IMPL only in strict mode."""
        return self is Level.MUST or (strict and self is Level.IMPL)


@dataclass(frozen=True)
class SpecSource:
    """The SEMANTICS.md a catalog was taken from."""

    path: str
    title: str
    sha256: str


@dataclass(frozen=True)
class Area:
    """One numbered section of SEMANTICS.md (e.g. ``SER``, "Argument conversion", section 3)."""

    code: str
    title: str
    section: int
    sources: tuple[str, ...]
    sources_basis: Literal["section", "clauses", "attributed"]
    note: str | None = None


@dataclass(frozen=True)
class Clause:
    """One clause; ``inferred`` marks a clause with a part to treat as UNSPEC."""

    id: str
    area: str
    level: Level
    statement: str
    sources: tuple[str, ...]
    sources_basis: Literal["clause", "area"]
    inferred: bool
    retired: bool


class CatalogError(ValueError):
    """A catalog file that is not valid JSON, breaks the schema, or breaks an invariant."""

    def __init__(self, origin: str, problems: Iterable[str]) -> None:
        self.origin = origin
        self.problems = tuple(problems)
        listed = "\n".join(f"  - {problem}" for problem in self.problems)
        super().__init__(f"invalid clause catalog {origin}:\n{listed}")


class CatalogLookupError(KeyError):
    """An unknown clause ID or area code; the message suggests close matches."""

    def __str__(self) -> str:
        return str(self.args[0])


def _unknown(kind: str, name: str, known: list[str], edition: str) -> CatalogLookupError:
    close = difflib.get_close_matches(name.upper(), known, n=3, cutoff=0.6)
    if close:
        hint = "did you mean " + " or ".join(repr(match) for match in close) + "?"
    else:
        hint = f"known {kind}s run from {known[0]!r} to {known[-1]!r}"
    return CatalogLookupError(f"no {kind} {name!r} in the {edition} catalog; {hint}")


def _level(value: Level | str) -> Level:
    try:
        return Level(value)
    except ValueError:
        levels = ", ".join(level.value for level in Level)
        raise ValueError(f"unknown level {value!r}; levels are {levels}") from None


@dataclass(frozen=True)
class Catalog:
    """The clauses of one edition in document order; iterating yields every clause, retired ones too."""

    edition: str
    taken_from: SpecSource
    areas: tuple[Area, ...]
    clauses: tuple[Clause, ...]
    _by_id: dict[str, Clause] = field(init=False, repr=False, compare=False)
    _by_code: dict[str, Area] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {clause.id: clause for clause in self.clauses})
        object.__setattr__(self, "_by_code", {area.code: area for area in self.areas})

    def __iter__(self) -> Iterator[Clause]:
        return iter(self.clauses)

    def __len__(self) -> int:
        return len(self.clauses)

    def __contains__(self, clause_id: object) -> bool:
        return clause_id in self._by_id

    def clause(self, clause_id: str) -> Clause:
        """Return the clause ``clause_id``; raise ``CatalogLookupError`` naming close IDs."""
        try:
            return self._by_id[clause_id]
        except KeyError:
            raise _unknown("clause", clause_id, list(self._by_id), self.edition) from None

    def area(self, code: str) -> Area:
        """Return the area ``code``; raise ``CatalogLookupError`` naming close codes."""
        try:
            return self._by_code[code]
        except KeyError:
            raise _unknown("area", code, list(self._by_code), self.edition) from None

    def select(
        self,
        *,
        area: str | None = None,
        level: Level | str | None = None,
        include_retired: bool = False,
    ) -> tuple[Clause, ...]:
        """Return the clauses in ``area`` and at ``level`` (either may be omitted), in document order."""
        code = None if area is None else self.area(area).code
        wanted = None if level is None else _level(level)
        return tuple(
            clause
            for clause in self.clauses
            if (code is None or clause.area == code)
            and (wanted is None or clause.level is wanted)
            and (include_retired or not clause.retired)
        )


def load_catalog(path: Path | None = None) -> Catalog:
    """Return the validated catalog at ``path``, by default the packaged one (read once, then cached)."""
    if path is None:
        return _packaged_catalog()
    return _parse(path.read_text(encoding="utf-8"), str(path))


@cache
def _packaged_catalog() -> Catalog:
    resource = resources.files("conformance.catalog").joinpath(CATALOG_FILE)
    return _parse(resource.read_text(encoding="utf-8"), str(resource))


def _parse(text: str, origin: str) -> Catalog:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise CatalogError(origin, [f"not JSON: {error}"]) from None
    errors = validator_for(SCHEMA).iter_errors(document)
    problems = [f"at {error.json_path}: {error.message}" for error in errors]
    if problems:
        raise CatalogError(origin, problems)
    catalog = _build(document)
    problems = list(_invariant_problems(catalog))
    if problems:
        raise CatalogError(origin, problems)
    return catalog


def _build(document: dict[str, Any]) -> Catalog:
    areas = tuple(
        Area(
            code=area["code"],
            title=area["title"],
            section=area["section"],
            sources=tuple(area["sources"]),
            sources_basis=area["sources_basis"],
            note=area.get("note"),
        )
        for area in document["areas"]
    )
    clauses = tuple(
        Clause(
            id=clause["id"],
            area=clause["area"],
            level=Level(clause["level"]),
            statement=clause["statement"],
            sources=tuple(clause["sources"]),
            sources_basis=clause["sources_basis"],
            inferred=clause["inferred"],
            retired=clause["retired"],
        )
        for clause in document["clauses"]
    )
    return Catalog(
        edition=document["edition"],
        taken_from=SpecSource(**document["taken_from"]),
        areas=areas,
        clauses=clauses,
    )


def _invariant_problems(catalog: Catalog) -> Iterator[str]:
    """Yield each way the catalog breaks a rule the schema cannot express."""
    areas: dict[str, Area] = {}
    for index, area in enumerate(catalog.areas):
        if area.code in areas:
            yield f"at $.areas[{index}]: area code {area.code!r} is used twice"
        areas.setdefault(area.code, area)
    seen: dict[str, int] = {}
    for index, clause in enumerate(catalog.clauses):
        where = f"at $.clauses[{index}]"
        if clause.id in seen:
            yield f"{where}: clause ID {clause.id!r} is already used at $.clauses[{seen[clause.id]}]"
        seen.setdefault(clause.id, index)
        home = areas.get(clause.area)
        if home is None:
            yield f"{where}: clause {clause.id!r} names area {clause.area!r}; areas are {', '.join(areas)}"
            continue
        if (prefix := clause.id.partition("-")[0]) != home.code:
            yield f"{where}: clause {clause.id!r} is filed under {home.code!r} but its ID says {prefix!r}"
        if clause.sources_basis == "area" and clause.sources != home.sources:
            yield (
                f"{where}: clause {clause.id!r} takes its sources from area {home.code!r}, "
                f"so they must be {list(home.sources)}, not {list(clause.sources)}"
            )
