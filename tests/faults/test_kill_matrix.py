"""The suite against the catalogue of faulty implementations (``tests/fakes/faults``).

Each fault must be rejected for a clause it breaks, and fail no test on other clauses
than those it breaks or implies, while the reference passes the same tests. Every fault
runs in a pytest process of its own (``kill_matrix.run_suite``) on the tests that check
the clauses it breaks plus a few sentinels from other areas, strict, with the fixed seed
and without shrinking (same verdict, minutes faster); for the faults that show only for
some inputs or interleavings, the property tests among them run a second time in that
process, from a random seed, which a failure prints. The whole
suite on every fault, shrinking included, is ``python -m tests.faults.kill_matrix``: it
writes ``reports/kill-matrix.md``, which the last test checks against the catalogue.

These tests start processes: together they take minutes (two workers: about three).
"""

from __future__ import annotations

import os
import re
import secrets
import sys
from pathlib import Path
from typing import Any, Final

import pytest

REPO: Final = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))  # for ``tests.fakes`` and ``tests.faults`` under any import mode

from conformance.catalog import Level, load_catalog  # noqa: E402
from tests.fakes.faults import AREAS, CATALOGUE, SHOWS, Fault  # noqa: E402
from tests.faults.kill_matrix import (  # noqa: E402
    JOINT,
    KILL_SEED,
    Outcome,
    SuiteRun,
    base_id,
    collect_suite,
    derived_seed,
    judge,
    render_catalogue,
    run_suite,
    selection,
)

SENTINELS: Final = (
    "test_listeners_run_in_order_with_one_event",
    "test_send_to_host_from_a_top_level_page_is_dropped",
    "test_return_value_reads_undefined_on_a_sync_event",
    "test_send_to_a_destroyed_page_returns_false",
)
"""Fast tests of other areas, run on every fault too: it must pass them unless it implies their clauses."""
RUN_TIMEOUT: Final = 600.0
MIN_FAULTS: Final = 30
RANDOM_SEED_VARIABLE: Final = "KILL_RANDOM_SEED"
"""Set it to replay a random-seed run: the seed a failure printed."""

_ids = [fault.__name__ for fault in CATALOGUE]


def _selection(fault: type[Fault]) -> list[str]:
    """Return the tests of the clauses the fault breaks and the sentinels, but the catch-all conversion tests.

    The targeted conversion tests kill what those would; the tests of the clauses a fault
    only implies never have to fail. The matrix runs them all.
    """
    return selection(fault.breaks, collect_suite(), also=SENTINELS, catch_all=False)


def _random_seed() -> int:
    """Return a fresh random seed, or the one ``KILL_RANDOM_SEED`` names."""
    return int(os.environ.get(RANDOM_SEED_VARIABLE) or secrets.randbits(32))


def _replay(seed: int | None, test: str) -> str:
    if seed is None:
        return f"fixed seed {KILL_SEED}"
    return (
        f"fixed seed {KILL_SEED}, random seed {seed}; replay: {RANDOM_SEED_VARIABLE}={seed}"
        f' python -m pytest "tests/faults/test_kill_matrix.py::{test}"'
    )


# --- The catalogue ---------------------------------------------------------------------


def test_the_catalogue_covers_every_tested_clause_and_every_area() -> None:
    catalog = load_catalog()
    broken = {clause for fault in CATALOGUE for clause in fault.breaks}
    tested = {clause.id for clause in catalog if clause.level.tested and not clause.retired}
    must = {clause.id for clause in catalog if clause.level is Level.MUST}
    assert len(CATALOGUE) >= MIN_FAULTS, f"{len(CATALOGUE)} faults; the catalogue needs {MIN_FAULTS}"
    assert must <= broken, f"MUST clauses no fault breaks: {sorted(must - broken)}"
    assert tested <= broken, f"MUST and IMPL clauses no fault breaks: {sorted(tested - broken)}"
    areas = {clause.split("-")[0] for clause in broken}
    assert areas == set(AREAS), f"areas no fault breaks: {sorted(set(AREAS) - areas)}"
    assert {clause.area for clause in catalog} == set(AREAS)
    shows = {fault.shows for fault in CATALOGUE}
    assert shows == set(SHOWS), f"the catalogue needs faults of every kind of showing, has {shows}"
    assert len(set(_ids)) == len(_ids), "two faults share a name"


@pytest.mark.parametrize("fault", CATALOGUE, ids=_ids)
def test_each_fault_says_what_it_breaks(fault: type[Fault]) -> None:
    catalog = load_catalog()
    assert fault.__doc__ and len(fault.__doc__.strip().splitlines()) >= 3, (
        "a summary, then how real code does it"
    )
    assert fault.breaks, "a fault breaks at least one clause"
    for clause in (*fault.breaks, *fault.implies):
        assert catalog.clause(clause).level.tested, f"{clause} is not a MUST or IMPL clause"
    assert not set(fault.breaks) & set(fault.implies), "a clause is either broken or implied"
    assert fault.shows in SHOWS
    assert fault.spec() == f"{fault.__module__}:{fault.__name__}"
    assert fault.preload is None or fault.preload.startswith("tests.fakes.faults.")


def test_the_readme_lists_the_catalogue() -> None:
    readme = (REPO / "tests" / "fakes" / "faults" / "README.md").read_text(encoding="utf-8")
    assert render_catalogue(CATALOGUE) in readme, (
        "tests/fakes/faults/README.md is out of date: paste the table of"
        " `python -m tests.faults.kill_matrix --catalogue`"
    )


# --- The judgement ---------------------------------------------------------------------


class _Sample(Fault):
    """A fault for the judgement's own test.

    It claims to break ORD-6, which implies nothing else but CH-1.
    Never run.
    """

    breaks = ("ORD-6",)
    implies = ("CH-1",)


def _run(*outcomes: tuple[str, str, tuple[str, ...]]) -> SuiteRun:
    return SuiteRun(
        {test: Outcome(test, status, (), violated, 1, 1) for test, status, violated in outcomes}, 1.0, 1
    )


def test_the_judgement_needs_a_kill_on_a_broken_clause_and_nothing_else() -> None:
    killed = judge(_Sample, _run(("a", "FAIL", ("ORD-6",)), ("b", "FAIL", ("CH-1",)), ("c", "PASS", ())))
    assert killed.killed and killed.clean and [o.test for o in killed.implied] == ["b"]
    only_implied = judge(_Sample, _run(("b", "FAIL", ("CH-1",))))
    assert not only_implied.killed and only_implied.clean
    stray = judge(_Sample, _run(("a", "FAIL", ("ORD-6", "ORD-1"))))
    assert not stray.killed and not stray.clean, "a failure naming a clause outside breaks and implies"
    broken_down = judge(_Sample, _run(("a", "FAIL", ("ORD-6",)), ("e", "ERROR", ()), ("t", "TIMEOUT", ())))
    assert broken_down.killed and [o.test for o in broken_down.unexpected] == ["e", "t"]
    joint = judge(_Sample, _run(("j", "INCOMPATIBLE", tuple(sorted(JOINT)))))
    assert not joint.killed and not joint.clean, "a joint verdict on clauses the fault does not touch"
    assert "NOT KILLED" in only_implied.explain() and "UNEXPECTED" in stray.explain()


def test_a_doubled_run_needs_a_kill_on_each_seed() -> None:
    def outcome(test: str, status: str, violated: tuple[str, ...], role: str) -> Outcome:
        return Outcome(test, status, (), violated, 1 if violated else None, 1, role=role)

    fixed_only = judge(
        _Sample,
        SuiteRun(
            {
                "a[fixed-seed]": outcome("a[fixed-seed]", "FAIL", ("ORD-6",), "fixed"),
                "a[random-seed]": outcome("a[random-seed]", "PASS", (), "random"),
            },
            1.0,
            1,
        ),
    )
    assert fixed_only.doubled and fixed_only.killed_with("fixed") and not fixed_only.killed_with("random")
    assert "NOT KILLED ON THE RANDOM SEED" in fixed_only.explain()
    seedless = judge(_Sample, SuiteRun({"b": outcome("b", "FAIL", ("ORD-6",), "any")}, 1.0, 1))
    assert seedless.killed_with("fixed") and seedless.killed_with("random") and not seedless.doubled


def test_each_test_draws_from_a_seed_of_its_own_whatever_its_seed_role() -> None:
    assert base_id("t.py::test_x[send-random-seed]") == "t.py::test_x[send]"
    assert base_id("t.py::test_x[fixed-seed-send]") == "t.py::test_x[send]"
    assert base_id("t.py::test_x[random-seed]") == base_id("t.py::test_x") == "t.py::test_x"
    seeds = {derived_seed(KILL_SEED, test) for test in ("t.py::a[send]", "t.py::a[sendSync]", "t.py::b")}
    assert len(seeds) == 3 and derived_seed(KILL_SEED, "t.py::b") == derived_seed(KILL_SEED, "t.py::b")
    assert derived_seed(KILL_SEED, "t.py::b") != derived_seed(KILL_SEED + 1, "t.py::b")


# --- The suite on each fault ---------------------------------------------------------------


@pytest.mark.parametrize("fault", CATALOGUE, ids=_ids)
def test_the_suite_rejects_the_fault_for_what_it_breaks(fault: type[Fault]) -> None:
    """Runs the tests of the fault's clauses and the sentinels on it, with the fixed seed.

    A fault that shows only for some inputs or interleavings has the property tests of
    its clauses run once more, from a random seed: the default profile must be strong
    enough for Hypothesis to find it whatever the seed. A failure prints that seed.
    """
    random_seed = None if fault.shows == "always" else _random_seed()
    run = run_suite(
        fault.spec(),
        tests=_selection(fault),
        seed=KILL_SEED,
        random_seed=random_seed,
        random_clauses=fault.breaks,
        shrink=False,
        timeout=RUN_TIMEOUT,
    )
    verdict = judge(fault, run)
    replay = _replay(random_seed, f"test_the_suite_rejects_the_fault_for_what_it_breaks[{fault.__name__}]")
    assert run.outcomes, f"{replay}\n{verdict.explain()}"
    assert verdict.killed_with("fixed") and verdict.clean, f"{replay}\n{verdict.explain()}"
    if random_seed is not None and verdict.doubled:
        assert verdict.killed_with("random"), f"{replay}\n{verdict.explain()}"


def _reference_share(share: int, of: int) -> list[str]:
    union = sorted({test for fault in CATALOGUE for test in _selection(fault)})
    return union[share::of]


_HALVES: Final = ("first half", "second half")


@pytest.mark.parametrize("share", [0, 1], ids=_HALVES)
def test_the_reference_passes_what_the_faults_fail(share: int) -> None:
    """The reference passes every test the faults run, with the fixed seed and a random one."""
    tests = _reference_share(share, 2)
    random_seed = _random_seed()
    clauses = sorted({c for fault in CATALOGUE if fault.shows != "always" for c in fault.breaks})
    run = run_suite(
        "reference",
        tests=tests,
        seed=KILL_SEED,
        random_seed=random_seed,
        random_clauses=clauses,
        shrink=False,
        timeout=RUN_TIMEOUT,
    )
    replay = _replay(random_seed, f"test_the_reference_passes_what_the_faults_fail[{_HALVES[share]}]")
    assert run.outcomes, f"no results (exit code {run.returncode}):\n{run.output}"
    failed = [f"{o.test}: {o.status} {list(o.violated)}\n{o.message}" for o in run.not_passed()]
    assert not failed, replay + "\n" + "\n".join(failed)
    ran = {test.partition("[")[0] for test in run.outcomes}
    assert ran == set(tests), f"tests that gave no result: {sorted(set(tests) - ran)}"


# --- The committed matrix ---------------------------------------------------------------

_ROW: Final = re.compile(
    r"^\| `(?P<fault>\w+)` \| (?P<breaks>[^|]+) \| [^|]+ \| (?P<killed>[^|]+) \|"
    r".*\| (?P<unexpected>[^|]+) \| [^|]+ \|$"
)


def _matrix_rows(text: str) -> dict[str, dict[str, Any]]:
    section = text.partition("## Faults")[2].partition("\n## ")[0]
    rows = {}
    for line in section.splitlines():
        if match := _ROW.match(line):
            rows[match["fault"]] = {k: v.strip() for k, v in match.groupdict().items()}
    return rows


def test_the_committed_matrix_covers_the_catalogue() -> None:
    """``reports/kill-matrix.md`` comes from a run of the whole suite on the current catalogue."""
    text = (REPO / "reports" / "kill-matrix.md").read_text(encoding="utf-8")
    rows = _matrix_rows(text)
    assert sorted(rows) == sorted(_ids), "regenerate the matrix: python -m tests.faults.kill_matrix"
    assert f"--seed {KILL_SEED}" in text
    for fault in CATALOGUE:
        row = rows[fault.__name__]
        assert row["breaks"] == ", ".join(fault.breaks), f"{fault.__name__}: breaks changed since the matrix"
        assert row["killed"] == "yes" and row["unexpected"] == "none", f"{fault.__name__}: {row}"
