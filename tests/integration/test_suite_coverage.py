"""The self-test: the real suite's clause markers against the clause catalog.

Collects ``conformance.suite`` (without running it) and fails when a MUST or IMPL
clause has no test, a test names no clause, or a test names a clause that does
not exist, is never exercised (UB) or is retired.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pytest

from conformance.catalog import Catalog, load_catalog

pytest_plugins = ["pytester"]


def collect_clauses(pytester: pytest.Pytester, *args: str) -> tuple[dict[str, list[str]], list[str]]:
    """Return the clause IDs of every collected test by node id, and the collection errors.

    Items are read as they are collected, so a test naming an unknown clause (which the
    plugin refuses after collection) is still seen here.
    """
    items, recorder = pytester.inline_genitems(*args, "-p", "no:cacheprovider")
    clauses = {item.nodeid: [c for m in item.iter_markers("clause") for c in m.args] for item in items}
    errors = [
        f"{report.nodeid} failed to collect: {report.longreprtext.strip().splitlines()[-1]}"
        for report in recorder.getreports("pytest_collectreport")
        if report.failed
    ]
    return clauses, errors


def coverage_problems(collected: Mapping[str, Sequence[str]], catalog: Catalog) -> list[str]:
    """Return every way the tests' clause markers and the catalog disagree (empty when they agree)."""
    problems = []
    for nodeid, clauses in collected.items():
        if not clauses:
            problems.append(f"{nodeid} names no clause: mark it @pytest.mark.clause(...)")
        for clause_id in clauses:
            if clause_id not in catalog:
                problems.append(f"{nodeid} names clause {clause_id!r}, which does not exist")
            elif not catalog.clause(clause_id).level.exercised:
                problems.append(f"{nodeid} names {clause_id}, a UB clause, which is never exercised")
            elif catalog.clause(clause_id).retired:
                problems.append(f"{nodeid} names {clause_id}, which is retired")
    named = {clause_id for clauses in collected.values() for clause_id in clauses}
    problems.extend(
        f"{clause.id} ({clause.level.value}) has no test: {clause.statement}"
        for clause in catalog
        if clause.level.tested and not clause.retired and clause.id not in named
    )
    return problems


def test_every_must_and_impl_clause_has_a_test_and_every_test_a_known_clause(
    pytester: pytest.Pytester,
) -> None:
    collected, errors = collect_clauses(pytester, "--pyargs", "conformance.suite")
    assert not errors, "\n".join(errors)
    assert len(collected) >= len(load_catalog().select(level="MUST")), "the suite collected too few tests"
    problems = coverage_problems(collected, load_catalog())
    assert not problems, "the suite and the clause catalog disagree:\n" + "\n".join(problems)


# The self-test's own checks, on made-up suites: each must find what it is for.


def test_an_untested_clause_is_found() -> None:
    catalog = load_catalog()
    collected = {"t.py::test": [c.id for c in catalog if c.level.tested and c.id != "SER-3"]}
    assert coverage_problems(collected, catalog) == [
        f"SER-3 (IMPL) has no test: {catalog.clause('SER-3').statement}"
    ]


def test_a_fully_covered_catalog_has_no_problem() -> None:
    catalog = load_catalog()
    collected = {"t.py::test_all": [c.id for c in catalog if c.level.tested], "t.py::test_ord4": ["ORD-4"]}
    assert coverage_problems(collected, catalog) == []


def test_bad_markers_are_found() -> None:
    catalog = load_catalog()
    collected = {
        "t.py::test_all": [c.id for c in catalog if c.level.tested],
        "t.py::test_none": [],
        "t.py::test_typo": ["CH-99"],
        "t.py::test_ub": ["RET-6"],
    }
    assert coverage_problems(collected, catalog) == [
        "t.py::test_none names no clause: mark it @pytest.mark.clause(...)",
        "t.py::test_typo names clause 'CH-99', which does not exist",
        "t.py::test_ub names RET-6, a UB clause, which is never exercised",
    ]


def test_collection_reads_markers_even_of_a_suite_the_plugin_refuses(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_coverage_toy="""
        import pytest

        pytestmark = pytest.mark.clause("CH-1")

        @pytest.mark.clause("CH-99")
        @pytest.mark.parametrize("n", [1, 2])
        def test_typo(n):
            pass

        class TestGroup:
            def test_inherits(self):
                pass
        """,
        test_coverage_broken="import no_such_module_xyz",
    )
    collected, errors = collect_clauses(pytester)
    assert collected == {
        "test_coverage_toy.py::test_typo[1]": ["CH-99", "CH-1"],
        "test_coverage_toy.py::test_typo[2]": ["CH-99", "CH-1"],
        "test_coverage_toy.py::TestGroup::test_inherits": ["CH-1"],
    }
    (error,) = errors
    assert error.startswith("test_coverage_broken.py failed to collect: ")
    assert error.endswith("ModuleNotFoundError: No module named 'no_such_module_xyz'")
