"""Checks the clause catalog: it loads, its loader reports bad catalogs, and it agrees with SEMANTICS.md."""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
from collections import Counter
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from conformance.catalog import (
    Catalog,
    CatalogError,
    CatalogLookupError,
    Level,
    load_catalog,
)
from conformance.schemas import validator_for

SPEC_ENV = "IPC_CONFORMANCE_SPEC"
DEFAULT_SPEC = Path(__file__).resolve().parents[2].parent / "shared" / "spec" / "SEMANTICS.md"

SECTION = re.compile(r"^## (\d+)\. (.+) \(([A-Z][A-Z0-9]*)\)$")
CLAUSE = re.compile(r"^- \*\*(\S+) \(([^)]*)\)\*\* (.+)$")
FILE_NAME = re.compile(r"[\w./-]+\.(?:md|coffee|cc|js|h)\b")


@dataclass(frozen=True)
class SpecSection:
    """A numbered section of SEMANTICS.md, with the text before its first clause."""

    number: int
    title: str
    code: str
    intro: str


@dataclass(frozen=True)
class SpecClause:
    """A clause line of SEMANTICS.md, split into ID, level, section code and text."""

    id: str
    level: str
    area: str
    text: str


@dataclass(frozen=True)
class Spec:
    """What the test reads from SEMANTICS.md."""

    path: Path
    raw: bytes
    title: str
    sections: tuple[SpecSection, ...]
    clauses: tuple[SpecClause, ...]


def plain(markdown: str) -> str:
    """Return ``markdown`` without bold, emphasis and code marks, as the catalog states clauses."""
    text = markdown.replace("**", "").replace("`", "")
    return re.sub(r"\*([^*]+)\*", r"\1", text)


def parse_spec(path: Path) -> Spec:
    """Return the sections and clauses of SEMANTICS.md at ``path``; fail on a malformed clause line."""
    raw = path.read_bytes()
    lines = raw.decode("utf-8").splitlines()
    sections: list[SpecSection] = []
    clauses: list[SpecClause] = []
    code: str | None = None
    for number, line in enumerate(lines, start=1):
        if line.startswith("## "):
            heading = SECTION.match(line)
            code = heading[3] if heading else None
            if heading:
                sections.append(SpecSection(int(heading[1]), heading[2], heading[3], ""))
            continue
        clause = CLAUSE.match(line)
        if clause and code is None:
            pytest.fail(f"{path}:{number}: clause outside a numbered section: {line!r}")
        if code is None or not line.strip():
            continue
        if clause:
            clauses.append(SpecClause(clause[1], clause[2], code, clause[3]))
        elif line.startswith("- ") or (clauses and clauses[-1].area == code):
            pytest.fail(f"{path}:{number}: expected '- **ID (LEVEL)** text' in a section, got {line!r}")
        else:
            sections[-1] = replace(sections[-1], intro=f"{sections[-1].intro} {line}".strip())
    return Spec(path, raw, lines[0].removeprefix("# "), tuple(sections), tuple(clauses))


@cache
def parsed_spec(path: Path) -> Spec:
    """Return SEMANTICS.md at ``path`` as parsed, reading it once per path."""
    return parse_spec(path)


def semantics() -> Spec:
    """Return SEMANTICS.md, from ``$IPC_CONFORMANCE_SPEC`` or beside the repository; fail if absent."""
    configured = os.environ.get(SPEC_ENV)
    path = Path(configured) if configured else DEFAULT_SPEC
    if not path.is_file():
        origin = f"${SPEC_ENV}" if configured else f"the default place (${SPEC_ENV} is not set)"
        pytest.fail(
            f"SEMANTICS.md not found at {path}, taken from {origin}; "
            f"set {SPEC_ENV} to the path of SEMANTICS.md to check the catalog against it",
            pytrace=False,
        )
    return parsed_spec(path)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    """Return the packaged catalog."""
    return load_catalog()


def packaged_document() -> dict[str, Any]:
    """Return the packaged catalog as raw JSON, read the way an installed suite reads it."""
    text = resources.files("conformance.catalog").joinpath("clauses.json").read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


# The packaged catalog


def test_packaged_catalog_matches_schema() -> None:
    validator = validator_for("catalog.schema.json")
    errors = [f"{error.json_path}: {error.message}" for error in validator.iter_errors(packaged_document())]
    assert errors == []


def test_packaged_catalog_ids_are_unique() -> None:
    counts = Counter(clause["id"] for clause in packaged_document()["clauses"])
    assert [clause_id for clause_id, count in counts.items() if count > 1] == []


def test_packaged_catalog_is_loaded_once(catalog: Catalog) -> None:
    assert load_catalog() is catalog


def test_packaged_catalog_is_the_v032_edition(catalog: Catalog) -> None:
    assert catalog.edition == "v0.32"


# The catalog against SEMANTICS.md


def test_catalog_lists_the_clauses_of_semantics_in_order(catalog: Catalog) -> None:
    spec = semantics()
    in_spec = [(clause.id, clause.level, clause.area) for clause in spec.clauses]
    in_catalog = [(clause.id, clause.level.value, clause.area) for clause in catalog]
    spec_ids = {clause_id for clause_id, _, _ in in_spec}
    catalog_ids = {clause_id for clause_id, _, _ in in_catalog}
    assert sorted(spec_ids - catalog_ids) == [], f"clauses of {spec.path} missing from the catalog"
    assert sorted(catalog_ids - spec_ids) == [], f"catalog clauses not in {spec.path}"
    assert in_catalog == in_spec, "(ID, level, area) differ, or the order does"


def test_semantics_uses_only_known_levels_and_unique_ids() -> None:
    spec = semantics()
    known = {level.value for level in Level}
    assert [(clause.id, clause.level) for clause in spec.clauses if clause.level not in known] == []
    counts = Counter(clause.id for clause in spec.clauses)
    assert [clause_id for clause_id, count in counts.items() if count > 1] == []


def test_catalog_areas_are_the_sections_of_semantics(catalog: Catalog) -> None:
    spec = semantics()
    in_spec = [(section.code, plain(section.title), section.number) for section in spec.sections]
    assert [(area.code, area.title, area.section) for area in catalog.areas] == in_spec
    notes = {section.code: plain(section.intro) or None for section in spec.sections}
    assert {area.code: area.note for area in catalog.areas} == notes


def test_statements_are_the_clause_texts(catalog: Catalog) -> None:
    spec = semantics()
    differing = {
        clause.id: (plain(clause.text), catalog.clause(clause.id).statement)
        for clause in spec.clauses
        if clause.id in catalog and catalog.clause(clause.id).statement != plain(clause.text)
    }
    assert differing == {}, "clause ID: (SEMANTICS.md text, catalog statement)"


def test_inferred_flags_follow_the_marker(catalog: Catalog) -> None:
    spec = semantics()
    marked = [clause.id for clause in spec.clauses if "*(inferred)*" in clause.text]
    assert [clause.id for clause in catalog if clause.inferred] == marked


def test_clause_sources_are_those_the_clause_names(catalog: Catalog) -> None:
    spec = semantics()
    for spec_clause in spec.clauses:
        clause = catalog.clause(spec_clause.id)
        named = FILE_NAME.findall(spec_clause.text)
        assert (clause.sources_basis == "clause") == bool(named), clause.id
        if clause.sources_basis == "clause":
            assert set(named) <= set(clause.sources), clause.id
            assert [source for source in clause.sources if source not in spec_clause.text] == [], clause.id


def test_area_sources_follow_their_basis(catalog: Catalog) -> None:
    spec = semantics()
    intros = {section.code: section.intro for section in spec.sections}
    for area in catalog.areas:
        named_by_clauses = list(
            dict.fromkeys(
                source
                for clause in catalog.select(area=area.code, include_retired=True)
                if clause.sources_basis == "clause"
                for source in clause.sources
            )
        )
        intro = intros.get(area.code, "")
        if area.sources_basis == "section":
            assert set(FILE_NAME.findall(intro)) == set(area.sources), area.code
        elif area.sources_basis == "clauses":
            assert (FILE_NAME.findall(intro), list(area.sources)) == ([], named_by_clauses), area.code
        else:
            assert (FILE_NAME.findall(intro), named_by_clauses) == ([], []), area.code


def test_catalog_records_the_semantics_it_was_taken_from(catalog: Catalog) -> None:
    spec = semantics()
    assert catalog.taken_from.title == spec.title
    assert catalog.taken_from.sha256 == hashlib.sha256(spec.raw).hexdigest(), (
        f"{spec.path} changed since the catalog was checked against it: re-read the changed clauses, "
        "update clauses.json, then set taken_from.sha256 to the new digest"
    )


# Lookup and filtering


def test_lookup_by_id_and_code(catalog: Catalog) -> None:
    assert catalog.clause("SER-10").level is Level.IMPL
    assert catalog.area("SER").section == 3
    assert "SER-10" in catalog
    assert "SER-99" not in catalog


def test_select_filters_by_area_and_level(catalog: Catalog) -> None:
    assert [clause.id for clause in catalog.select(area="BLK")] == ["BLK-1", "BLK-2", "BLK-3"]
    assert [clause.id for clause in catalog.select(area="RET", level="UB")] == ["RET-6"]
    musts = catalog.select(level=Level.MUST)
    assert musts and all(clause.level is Level.MUST for clause in musts)
    assert len(catalog.select()) == len(catalog)


@pytest.mark.parametrize(
    ("level", "tested", "exercised", "enforced", "enforced_strict"),
    [
        (Level.MUST, True, True, True, True),
        (Level.IMPL, True, True, False, True),
        (Level.UNSPEC, False, True, False, False),
        (Level.UB, False, False, False, False),
    ],
)
def test_level_helpers(
    level: Level, tested: bool, exercised: bool, enforced: bool, enforced_strict: bool
) -> None:
    assert (level.tested, level.exercised) == (tested, exercised)
    assert (level.enforced(), level.enforced(strict=True)) == (enforced, enforced_strict)


# The loader's error paths, on small catalogs


def small_document() -> dict[str, Any]:
    """Return a valid two-area, three-clause catalog."""
    return {
        "edition": "v0.32",
        "taken_from": {"path": "spec/SEMANTICS.md", "title": "Test", "sha256": "0" * 64},
        "areas": [
            {
                "code": "CH",
                "title": "Channels",
                "section": 1,
                "sources": ["a.md"],
                "sources_basis": "clauses",
            },
            {
                "code": "SER",
                "title": "Conversion",
                "section": 2,
                "note": "Applies to arguments. (c.cc)",
                "sources": ["c.cc"],
                "sources_basis": "section",
            },
        ],
        "clauses": [
            clause("CH-1", "CH", "MUST", ["a.md"], "clause"),
            clause("SER-0", "SER", "IMPL", ["c.cc"], "area"),
            clause("SER-1", "SER", "UNSPEC", ["c.cc"], "area", retired=True),
        ],
    }


def clause(
    clause_id: str, area: str, level: str, sources: list[str], basis: str, *, retired: bool = False
) -> dict[str, Any]:
    """Return one clause entry of a small catalog."""
    return {
        "id": clause_id,
        "area": area,
        "level": level,
        "statement": f"Statement of {clause_id}.",
        "sources": sources,
        "sources_basis": basis,
        "inferred": False,
        "retired": retired,
    }


def write(tmp_path: Path, document: dict[str, Any]) -> Path:
    """Return the path of ``document`` written as a catalog file under ``tmp_path``."""
    path = tmp_path / "clauses.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_small_catalog_loads_in_document_order(tmp_path: Path) -> None:
    small = load_catalog(write(tmp_path, small_document()))
    assert [clause.id for clause in small] == ["CH-1", "SER-0", "SER-1"]
    assert [clause.id for clause in small.select(area="SER")] == ["SER-0"]
    assert [clause.id for clause in small.select(area="SER", include_retired=True)] == ["SER-0", "SER-1"]


def test_unknown_id_names_close_matches(tmp_path: Path) -> None:
    small = load_catalog(write(tmp_path, small_document()))
    with pytest.raises(CatalogLookupError) as raised:
        small.clause("ser-01")
    assert str(raised.value) == "no clause 'ser-01' in the v0.32 catalog; did you mean 'SER-1' or 'SER-0'?"
    assert isinstance(raised.value, KeyError)


def test_unknown_id_without_close_match_shows_the_id_range(tmp_path: Path) -> None:
    small = load_catalog(write(tmp_path, small_document()))
    with pytest.raises(CatalogLookupError, match="known clauses run from 'CH-1' to 'SER-1'"):
        small.clause("nothing")


def test_unknown_area_or_level_in_select(tmp_path: Path) -> None:
    small = load_catalog(write(tmp_path, small_document()))
    with pytest.raises(
        CatalogLookupError, match=r"no area 'SRE' in the v0\.32 catalog; did you mean 'SER'\?"
    ):
        small.select(area="SRE")
    with pytest.raises(ValueError, match="unknown level 'SHOULD'; levels are MUST, IMPL, UNSPEC, UB"):
        small.select(level="SHOULD")


def test_schema_violations_are_reported_with_their_place(tmp_path: Path) -> None:
    document = small_document()
    document["clauses"][1]["level"] = "SHOULD"
    document["clauses"][2]["id"] = "SER-01"
    with pytest.raises(CatalogError) as raised:
        load_catalog(write(tmp_path, document))
    problems = raised.value.problems
    assert len(problems) == 2
    assert problems[0].startswith("at $.clauses[1].level: 'SHOULD' is not one of")
    assert problems[1].startswith("at $.clauses[2].id: 'SER-01' does not match")
    assert str(tmp_path / "clauses.json") in str(raised.value)


def test_invariant_violations_are_all_reported(tmp_path: Path) -> None:
    document = small_document()
    document["clauses"][1]["id"] = "CH-1"
    document["clauses"][2]["area"] = "XX"
    extra = copy.deepcopy(document["clauses"][0])
    extra["sources_basis"] = "area"
    extra["sources"] = ["b.md"]
    extra["id"] = "SER-2"
    document["clauses"].append(extra)
    with pytest.raises(CatalogError) as raised:
        load_catalog(write(tmp_path, document))
    assert raised.value.problems == (
        "at $.clauses[1]: clause ID 'CH-1' is already used at $.clauses[0]",
        "at $.clauses[1]: clause 'CH-1' is filed under 'SER' but its ID says 'CH'",
        "at $.clauses[2]: clause 'SER-1' names area 'XX'; areas are CH, SER",
        "at $.clauses[3]: clause 'SER-2' is filed under 'CH' but its ID says 'SER'",
        "at $.clauses[3]: clause 'SER-2' takes its sources from area 'CH', "
        "so they must be ['a.md'], not ['b.md']",
    )


def test_duplicate_area_code_is_reported(tmp_path: Path) -> None:
    document = small_document()
    document["areas"][1]["code"] = "CH"
    with pytest.raises(CatalogError, match=r"at \$\.areas\[1\]: area code 'CH' is used twice"):
        load_catalog(write(tmp_path, document))


def test_file_that_is_not_json_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "clauses.json"
    path.write_text("{", encoding="utf-8")
    with pytest.raises(CatalogError, match="not JSON"):
        load_catalog(path)
