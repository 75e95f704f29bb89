"""The kill matrix: the conformance suite run on every faulty implementation of ``tests/fakes/faults``.

``python -m tests.faults.kill_matrix [--seed N] [--out reports/kill-matrix.md] [-n WORKERS] [--fault NAME]``
runs the whole suite (``--ipc-strict``, every test with a Hypothesis seed of its own derived
from a fixed one) on the reference and on each fault in its own pytest process, judges every
run, and writes the matrix as Markdown: fault x clause, killed or not, by which tests, after
how many examples.

A fault is *killed* when some test fails naming a clause the fault ``breaks`` (not only
in a joint verdict, see ``JOINT``); the run is *clean* when every test that did not pass
failed on clauses the fault breaks or ``implies``.  ``tests/faults/test_kill_matrix.py``
makes the same judgement in CI on a selection of the suite.

This module is also the pytest plugin those runs load (``-p tests.faults.kill_matrix
--kill-json FILE``): it records each test's status, clauses, violated clauses and the
number of examples (``Checker`` instances) up to its first failure; ``--kill-seed`` gives
every test its own seed, and ``--kill-random-seed`` with ``--kill-random-clauses`` runs the
property tests of those clauses a second time, from a random seed.
"""

from __future__ import annotations

import argparse
import hashlib
import inspect
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Generator, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Final

import pytest

REPO: Final = Path(__file__).resolve().parents[2]
KILL_SEED: Final = 32
"""The fixed Hypothesis seed of the CI runs and of the committed matrix."""
RUN_TIMEOUT: Final = 1800.0
JOINT: Final = frozenset(f"SER-{n}" for n in range(2, 13))
"""What the catch-all conversion tests name together for any departure: a joint verdict.

It shows that something failed, not which rule: it counts as a failure the fault may
cause when it meets a clause of ``breaks`` or ``implies``, and never as a kill."""
SUITE_PREFIX: Final = "conformance/suite/"
FAILED: Final = frozenset({"FAIL", "INCOMPATIBLE"})

__all__ = [
    "JOINT",
    "KILL_SEED",
    "Outcome",
    "SuiteRun",
    "SuiteTest",
    "Verdict",
    "base_id",
    "collect_suite",
    "derived_seed",
    "judge",
    "render_catalogue",
    "render_matrix",
    "run_suite",
    "selection",
]


# --- The plugin loaded into each run -------------------------------------------------

ROLE_FIXTURE: Final = "kill_seed_role"
"""The parameter a property test gets when it runs twice: with the fixed seed, then a random one."""
_ROLE_IDS: Final = {"fixed": "fixed-seed", "random": "random-seed"}
_ROLE_ID: Final = re.compile(r"-?\b(?:fixed|random)-seed\b")

_counts: dict[str, int | None] = {"checks": 0, "first": None}


def derived_seed(seed: int, test: str) -> int:
    """Return the Hypothesis seed of ``test`` (a node id without its seed role) in a run seeded ``seed``.

    Every test draws from a seed of its own, as in a run of the suite without a seed, so
    that the paths of a parametrized test draw different examples; the same run seed
    gives a test the same examples whichever other tests run with it.
    """
    digest = hashlib.sha256(f"{seed}:{test}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def base_id(nodeid: str) -> str:
    """Return ``nodeid`` without the seed role a doubled test has in its parameters."""
    name, bracket, params = nodeid.partition("[")
    if not bracket:
        return nodeid
    params = _ROLE_ID.sub("", params[:-1]).strip("-")
    return f"{name}[{params}]" if params else name


def _role(item: pytest.Item) -> str:
    """Return ``fixed``, ``random`` (a property test of a doubled run), or ``any`` (no examples drawn)."""
    callspec = getattr(item, "callspec", None)
    if callspec is not None and ROLE_FIXTURE in callspec.params:
        return str(callspec.params[ROLE_FIXTURE])
    return "fixed" if _draws_examples(getattr(item, "function", None)) else "any"


def _count_examples() -> None:
    """Make every ``Checker`` count as one example, and remember the one whose ``verify`` fails first."""
    from conformance.verdicts import Checker, ClauseViolation

    if getattr(Checker, "_kill_counted", False):
        return
    init, verify = Checker.__init__, Checker.verify

    def counted_init(self: Checker) -> None:
        _counts["checks"] = int(_counts["checks"] or 0) + 1
        init(self)

    def counted_verify(self: Checker) -> None:
        try:
            verify(self)
        except ClauseViolation:
            if _counts["first"] is None:
                _counts["first"] = _counts["checks"]
            raise

    Checker.__init__ = counted_init  # type: ignore[method-assign]
    Checker.verify = counted_verify  # type: ignore[method-assign]
    Checker._kill_counted = True  # type: ignore[attr-defined]


class _Seeds:
    """Gives every test its own Hypothesis seed, derived from the run's fixed or random seed."""

    def __init__(self, fixed: int | None, random: int | None) -> None:
        self.fixed = fixed
        self.random = random

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_call(self, item: pytest.Item) -> Generator[None, None, None]:
        from hypothesis import core

        seed = self.random if _role(item) == "random" else self.fixed
        saved = core.global_force_seed
        if seed is not None:
            core.global_force_seed = derived_seed(seed, base_id(item.nodeid))  # type: ignore[assignment]
        try:
            yield
        finally:
            core.global_force_seed = saved


class _Recorder:
    """Counts examples per test (in every process) and writes the results (in the controller)."""

    def __init__(self, path: Path, *, writes: bool) -> None:
        self.path = path
        self.writes = writes
        self.items: dict[str, dict[str, Any]] = {}
        self.results: dict[str, dict[str, Any]] = {}
        _count_examples()

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_call(self, item: pytest.Item) -> Generator[None, None, None]:
        _counts["checks"], _counts["first"] = 0, None
        yield
        item.user_properties.append(("kill_examples", _counts["first"]))
        item.user_properties.append(("kill_checks", _counts["checks"]))

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        for item in session.items:
            clauses = [c for m in item.iter_markers("clause") for c in m.args]
            self.items[item.nodeid] = {"clauses": clauses, "role": _role(item)}

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        props: dict[str, Any] = dict(report.user_properties)
        if "ipc_status" not in props:
            return
        message = report.longreprtext or str(getattr(report, "wasxfail", ""))
        self.results[report.nodeid] = {
            "status": props["ipc_status"],
            "clauses": list(props.get("ipc_clauses", [])),
            "violated": list(props.get("ipc_violated", [])),
            "examples": props.get("kill_examples"),
            "checks": props.get("kill_checks") or 0,
            "seconds": report.duration,
            "message": _first_lines(message),
        }

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if self.writes:
            data = {"items": self.items, "results": self.results}
            self.path.write_text(json.dumps(data, indent=1), encoding="utf-8")


def _draws_examples(function: object) -> bool:
    """Return whether a test is property-based: Hypothesis draws its examples (a seed changes them)."""
    if function is None:
        return False
    if hasattr(function, "hypothesis"):
        return True
    try:
        return "run_state_machine_as_test" in inspect.getsource(function)  # type: ignore[arg-type]
    except (OSError, TypeError):
        return False


def _first_lines(text: str, count: int = 12) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    violations = [n for n, line in enumerate(lines) if line.startswith("E ")]
    start = violations[0] if violations else 0
    return "\n".join(lines[start : start + count])


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("kill-matrix", "the kill matrix of tests/fakes/faults")
    group.addoption(
        "--kill-json", dest="kill_json", metavar="FILE", help="write every test's verdict and example count"
    )
    group.addoption(
        "--kill-no-shrink",
        dest="kill_no_shrink",
        action="store_true",
        help="report the first failing example as it came, without shrinking it (faster)",
    )
    group.addoption(
        "--kill-seed",
        dest="kill_seed",
        type=int,
        metavar="SEED",
        help="give every test a Hypothesis seed of its own, derived from SEED and its node id",
    )
    group.addoption(
        "--kill-random-seed",
        dest="kill_random_seed",
        type=int,
        metavar="SEED",
        help="run the property tests of --kill-random-clauses again, with seeds derived from SEED",
    )
    group.addoption(
        "--kill-random-clauses",
        dest="kill_random_clauses",
        default="",
        metavar="IDS",
        help="comma-separated clause IDs whose property tests run a second time (with --kill-random-seed)",
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Double the property tests of ``--kill-random-clauses``: once per seed role."""
    config = metafunc.config
    wanted = set(filter(None, str(config.getoption("kill_random_clauses", "") or "").split(",")))
    if not wanted or config.getoption("kill_random_seed", None) is None:
        return
    clauses = {c for marker in metafunc.definition.iter_markers("clause") for c in marker.args}
    if clauses & wanted and _draws_examples(metafunc.function):
        metafunc.fixturenames.append(ROLE_FIXTURE)
        metafunc.parametrize(ROLE_FIXTURE, list(_ROLE_IDS), ids=list(_ROLE_IDS.values()), indirect=True)


@pytest.fixture
def kill_seed_role(request: pytest.FixtureRequest) -> str:
    """Return the seed role of a doubled property test (``fixed`` or ``random``)."""
    return str(request.param)


@pytest.hookimpl(trylast=True)  # after the suite's plugin has activated its profile
def pytest_configure(config: pytest.Config) -> None:
    path = config.getoption("kill_json", None)
    if path:
        writes = not hasattr(config, "workerinput")  # xdist workers send their reports to the controller
        config.pluginmanager.register(_Recorder(Path(path), writes=writes), "kill-recorder")
    fixed, random = config.getoption("kill_seed", None), config.getoption("kill_random_seed", None)
    if fixed is not None or random is not None:
        config.pluginmanager.register(_Seeds(fixed, random), "kill-seeds")
    if config.getoption("kill_no_shrink", False):
        from hypothesis import Phase, settings

        from conformance.suite import profiles

        phases = [phase for phase in profiles._active.phases if phase is not Phase.shrink]
        profiles._active = settings(profiles._active, phases=phases)


# --- Running the suite -----------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """One test's result in one run."""

    test: str
    status: str
    clauses: tuple[str, ...]
    violated: tuple[str, ...]
    examples: int | None
    """Examples run up to and including the first that failed (None: no clause failed)."""
    checks: int
    """Examples run in all, shrinking included."""
    seconds: float = 0.0
    message: str = ""
    role: str = "any"
    """``fixed`` or ``random``: the seed the examples came from; ``any``: the test draws none."""

    @property
    def joint(self) -> bool:
        """Return whether the test named every conversion clause at once (see ``JOINT``)."""
        return frozenset(self.violated) == JOINT

    @property
    def short(self) -> str:
        """Return the test's name without its file."""
        return self.test.rpartition("::")[2]


@dataclass
class SuiteRun:
    """What one pytest process over (part of) the suite gave."""

    outcomes: dict[str, Outcome]
    seconds: float
    returncode: int
    output: str = ""
    collected: dict[str, SuiteTest] = field(default_factory=dict)

    def not_passed(self) -> list[Outcome]:
        """Return the outcomes other than PASS, in test order."""
        return [o for o in self.outcomes.values() if o.status != "PASS"]


def _environment(scratch: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "HYPOTHESIS_"))}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env["HYPOTHESIS_STORAGE_DIRECTORY"] = str(scratch / "hypothesis")  # no example replayed from a database
    return env


def run_suite(
    adapter: str,
    *,
    tests: Sequence[str] | None = None,
    seed: int | None = KILL_SEED,
    random_seed: int | None = None,
    random_clauses: Iterable[str] = (),
    workers: int = 0,
    collect_only: bool = False,
    shrink: bool = True,
    timeout: float = RUN_TIMEOUT,
) -> SuiteRun:
    """Return the outcomes of the suite (or of ``tests``, node ids) run on ``adapter`` in a new process.

    The run is strict (IMPL violations fail) and starts in an empty directory with no
    Hypothesis database. Every test draws from a seed of its own derived from ``seed``
    (None: a fresh random seed each, as the suite does by default); with ``random_seed``,
    the property tests of ``random_clauses`` run a second time, their seeds derived from it.
    Without ``shrink``, a failing property test reports its first failing example as drawn.
    """
    with tempfile.TemporaryDirectory(prefix="kill-matrix-") as scratch:
        results = Path(scratch) / "results.json"
        command = [
            sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "tests.faults.kill_matrix",
            f"--kill-json={results}", "--ipc-strict", f"--ipc-adapter={adapter}", "-q",
            f"--rootdir={REPO}", "-c", str(REPO / "pyproject.toml"),
        ]  # fmt: skip
        if seed is not None:
            command.append(f"--kill-seed={seed}")
        random_clauses = ",".join(random_clauses)
        if random_seed is not None and random_clauses:
            command += [f"--kill-random-seed={random_seed}", f"--kill-random-clauses={random_clauses}"]
        if workers:
            command += ["-n", str(workers)]
        if collect_only:
            command.append("--collect-only")
        if not shrink:
            command.append("--kill-no-shrink")
        command += ["--pyargs", "conformance.suite"] if tests is None else [str(REPO / t) for t in tests]
        started = time.monotonic()
        try:
            done = subprocess.run(
                command,
                cwd=scratch,
                env=_environment(Path(scratch)),
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
            returncode, output = done.returncode, done.stdout + done.stderr
        except subprocess.TimeoutExpired as expired:
            partial = expired.stdout or ""
            if isinstance(partial, bytes):
                partial = partial.decode(errors="replace")
            returncode, output = -1, f"timed out after {timeout} s\n{partial}"
        seconds = time.monotonic() - started
        data = json.loads(results.read_text(encoding="utf-8")) if results.is_file() else {}
    outcomes = {
        test: Outcome(
            test=test,
            status=r["status"],
            clauses=tuple(r["clauses"]),
            violated=tuple(r["violated"]),
            examples=r["examples"],
            checks=r["checks"],
            seconds=r["seconds"],
            message=r["message"],
            role=data["items"].get(test, {}).get("role", "any"),
        )
        for test, r in sorted(data.get("results", {}).items())
    }
    run = SuiteRun(outcomes, seconds, returncode, output[-6000:])
    run.collected = {
        test: SuiteTest(test, tuple(item["clauses"])) for test, item in sorted(data.get("items", {}).items())
    }
    return run


@dataclass(frozen=True)
class SuiteTest:
    """A test of the suite, as collected: the clauses it checks."""

    test: str
    clauses: tuple[str, ...]

    @property
    def function(self) -> str:
        """Return the node id without parameters."""
        return self.test.partition("[")[0]

    @property
    def name(self) -> str:
        """Return the test function's name."""
        return self.function.rpartition("::")[2]

    @property
    def catch_all(self) -> bool:
        """Return whether the test checks every conversion clause at once (its verdicts are joint)."""
        return set(self.clauses) >= JOINT


@cache
def collect_suite() -> dict[str, SuiteTest]:
    """Return every test of the suite by node id."""
    run = run_suite("reference", collect_only=True, timeout=300)
    if not run.collected:
        raise RuntimeError(f"collecting the suite failed:\n{run.output}")
    return run.collected


def selection(
    clauses: Iterable[str],
    suite: dict[str, SuiteTest],
    *,
    also: Iterable[str] = (),
    catch_all: bool = True,
) -> list[str]:
    """Return the test functions (node ids without parameters) that check any of ``clauses``, with ``also``.

    ``also`` names test functions (``test_x``) to add. Without ``catch_all``, the tests
    that check every conversion clause at once are left out.
    """
    wanted, extra = set(clauses), set(also)
    return sorted(
        {
            test.function
            for test in suite.values()
            if (wanted & set(test.clauses) or test.name in extra) and (catch_all or not test.catch_all)
        }
    )


# --- Judging ---------------------------------------------------------------------------


@dataclass
class Verdict:
    """How the suite judged one fault: the tests that killed it, those it may fail, the unexpected."""

    fault: Any
    run: SuiteRun
    kills: list[Outcome] = field(default_factory=list)
    implied: list[Outcome] = field(default_factory=list)
    unexpected: list[Outcome] = field(default_factory=list)

    @property
    def killed(self) -> bool:
        """Return whether some test failed naming a clause the fault breaks (a joint verdict aside)."""
        return bool(self.kills)

    def killed_with(self, role: str) -> bool:
        """Return whether a test killed it with examples from the ``fixed`` or ``random`` seed (or none)."""
        return any(outcome.role in (role, "any") for outcome in self.kills)

    @property
    def doubled(self) -> bool:
        """Return whether the run had property tests run a second time, on the random seed."""
        return any(outcome.role == "random" for outcome in self.run.outcomes.values())

    @property
    def clean(self) -> bool:
        """Return whether the run gave results, and no test failed outside breaks and implies."""
        return bool(self.run.outcomes) and not self.unexpected

    def explain(self) -> str:
        """Return what went wrong, for an assertion message."""
        lines = [f"{self.fault.__name__} (breaks {', '.join(self.fault.breaks)}):"]
        if not self.killed_with("fixed"):
            lines.append("  NOT KILLED: no test failed naming a clause it breaks")
        if self.doubled and not self.killed_with("random"):
            lines.append("  NOT KILLED ON THE RANDOM SEED: no test failed naming a clause it breaks")
        for outcome in self.unexpected:
            lines.append(
                f"  UNEXPECTED {outcome.status} {outcome.test} violated {list(outcome.violated)}"
                f" (allowed: breaks {list(self.fault.breaks)}, implies {list(self.fault.implies)})"
            )
            lines.extend("    " + line for line in outcome.message.splitlines())
        if not self.run.outcomes:
            lines.append(f"  the run gave no results (exit code {self.run.returncode}):")
            lines.extend("    " + line for line in self.run.output.splitlines()[-40:])
        return "\n".join(lines)


def judge(fault: Any, run: SuiteRun) -> Verdict:
    """Return the suite's verdict on ``fault`` from ``run``.

    A failure is allowed when the clauses it names are among ``breaks`` and ``implies``
    (for a joint verdict: when they meet them); ERROR, TIMEOUT and UNSUPPORTED never are.
    A kill is an allowed failure naming a clause of ``breaks``, outside a joint verdict.
    """
    allowed = set(fault.breaks) | set(fault.implies)
    verdict = Verdict(fault, run)
    for outcome in run.not_passed():
        violated = set(outcome.violated)
        if outcome.status not in FAILED or not violated:
            verdict.unexpected.append(outcome)
        elif outcome.joint:
            (verdict.implied if violated & allowed else verdict.unexpected).append(outcome)
        elif not violated <= allowed:
            verdict.unexpected.append(outcome)
        elif violated & set(fault.breaks):
            verdict.kills.append(outcome)
        else:
            verdict.implied.append(outcome)
    return verdict


# --- Rendering ---------------------------------------------------------------------------


def _duration(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest:02d} s" if minutes else f"{seconds:.1f} s"


def _examples(outcome: Outcome) -> str:
    first = "?" if outcome.examples is None else str(outcome.examples)
    return f"{first} of {outcome.checks}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_catalogue(catalogue: Sequence[Any]) -> str:
    """Return the catalogue as a Markdown table (the one in ``tests/fakes/faults/README.md``)."""
    lines = [
        "| fault | module | breaks | implies | shows | what it does |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for fault in catalogue:
        module = fault.__module__.rpartition(".")[2]
        implies = ", ".join(fault.implies) or "-"
        lines.append(
            f"| `{fault.__name__}` | `{module}` | {', '.join(fault.breaks)} | {implies} | {fault.shows}"
            f" | {_cell(fault.summary())} |"
        )
    return "\n".join(lines) + "\n"


def render_matrix(
    verdicts: Sequence[Verdict],
    reference: SuiteRun,
    *,
    seed: int,
    shrink: bool,
    seconds: float,
    levels: dict[str, str],
) -> str:
    """Return the kill matrix as Markdown: a summary per fault, then fault x clause, then MUST clauses.

    ``seconds`` is the time the generation took, in one run or as the sum of its parts.
    """
    killed = sum(v.killed for v in verdicts)
    clean = sum(v.clean for v in verdicts)
    killed_on = _killed_on(verdicts, levels)
    covered = sum(bool(faults) for faults in killed_on.values())
    ref_passed = sum(o.status == "PASS" for o in reference.outcomes.values())
    shrinking = "shrinking included" if shrink else "first failing examples unshrunk (`--no-shrink`)"
    command = f"python -m tests.faults.kill_matrix --seed {seed}" + ("" if shrink else " --no-shrink")
    lines = [
        "# Kill matrix",
        "",
        "The conformance suite run on every faulty implementation of `tests/fakes/faults`:",
        f"`{command}`. The whole suite, `--ipc-strict`, profile `quick`, {shrinking},",
        "one pytest process per implementation, every test with a Hypothesis seed of its own",
        "derived from the run's. A fault is *killed* when a test fails naming a clause it breaks",
        "(a catch-all conversion test naming every SER IMPL clause at once gives a *joint* verdict,",
        "which kills nothing); *unexpected* lists the tests that failed on other clauses than those",
        "it breaks or implies, or broke down. Examples: how many examples a test ran up to its",
        "first failure, of all it ran (shrinking included).",
        "",
        f"- **Killed: {killed} of {len(verdicts)}** faults; {clean} of {len(verdicts)} with no unexpected"
        " failure.",
        f"- **Clauses: {covered} of {len(killed_on)}** MUST and IMPL clauses have a fault killed on them.",
        f"- The reference passes {ref_passed} of {len(reference.outcomes)} tests.",
        f"- Run time: {_duration(seconds)} ({_duration(reference.seconds)} for the reference; per fault"
        f" below), {platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs.",
        "",
        "## Faults",
        "",
        "| fault | breaks | shows | killed | killed by (examples) | also failed | unexpected | time |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for v in verdicts:
        first = min(v.kills, key=lambda o: (o.examples or 0, o.test)) if v.kills else None
        by = f"`{first.short}` ({_examples(first)})" if first else "-"
        others = sorted({c for o in v.implied for c in o.violated if not o.joint}, key=_clause_order)
        if any(o.joint for o in v.implied):
            others.append("joint SER")
        unexpected = ", ".join(f"`{o.short}` {o.status}" for o in v.unexpected) or "none"
        if not v.run.outcomes:
            unexpected = f"no results (exit code {v.run.returncode})"
        lines.append(
            f"| `{v.fault.__name__}` | {', '.join(v.fault.breaks)} | {v.fault.shows}"
            f" | {'yes' if v.killed else '**NO**'} | {by} | {', '.join(others) or '-'} | {unexpected}"
            f" | {_duration(v.run.seconds)} |"
        )
    lines += [
        "",
        "## Fault x clause",
        "",
        "Every clause a fault breaks or implies, and every other clause a test named against it.",
        "",
        "| fault | clause | level | role | verdict | tests that failed on it (examples) |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for v in verdicts:
        named: dict[str, list[Outcome]] = {}
        for outcome in v.run.not_passed():
            for clause in outcome.violated:
                named.setdefault(clause, []).append(outcome)
        clauses = [*v.fault.breaks, *v.fault.implies]
        clauses += sorted(set(named) - set(clauses), key=_clause_order)
        for n, clause in enumerate(clauses):
            lines.append(_clause_row(v, clause, named.get(clause, []), levels, first=n == 0))
    lines += [
        "",
        "## Clauses",
        "",
        "Every MUST and IMPL clause, and the faults the suite killed on it (UNSPEC clauses are only",
        "observed, UB ones never exercised: no fault can be failed on them).",
        "",
        "| clause | level | faults killed on it |",
        "| --- | --- | --- |",
    ]
    for clause, faults in killed_on.items():
        shown = ", ".join(f"`{name}`" for name in faults) or "**none**"
        lines.append(f"| {clause} | {levels[clause]} | {shown} |")
    return "\n".join(lines) + "\n"


def _killed_on(verdicts: Sequence[Verdict], levels: dict[str, str]) -> dict[str, list[str]]:
    """Return, for every MUST and IMPL clause, the faults breaking it that a test killed naming it."""
    tested = [c for c, level in levels.items() if level in ("MUST", "IMPL")]  # in the catalog's order
    return {
        clause: [
            v.fault.__name__
            for v in verdicts
            if clause in v.fault.breaks and any(clause in o.violated for o in v.kills)
        ]
        for clause in tested
    }


def _clause_row(
    v: Verdict, clause: str, failing: list[Outcome], levels: dict[str, str], *, first: bool
) -> str:
    precise = [o for o in failing if not o.joint]
    if clause in v.fault.breaks:
        role, status = "breaks", "killed" if precise else "**not killed**"
    elif clause in v.fault.implies:
        role, status = "implies", "failed" if failing else "passed"
    else:
        role, status = "other", "joint" if failing and not precise else "**unexpected**"
    tests = ", ".join(f"`{o.short}` ({_examples(o)})" for o in precise)
    if len(failing) > len(precise):
        joint = len(failing) - len(precise)
        tests = ", ".join(filter(None, [tests, f"joint: {joint} test{'s' if joint > 1 else ''}"]))
    name = f"`{v.fault.__name__}`" if first else ""
    return f"| {name} | {clause} | {levels.get(clause, '?')} | {role} | {status} | {tests or '-'} |"


def _clause_order(clause: str) -> tuple[str, int]:
    area, _, number = clause.partition("-")
    return area, int(number)


# --- The command line ------------------------------------------------------------------


def _catalogue(names: Sequence[str]) -> list[Any]:
    from tests.fakes.faults import CATALOGUE

    if not names:
        return list(CATALOGUE)
    by_name = {fault.__name__: fault for fault in CATALOGUE}
    unknown = [name for name in names if name not in by_name]
    if unknown:
        raise SystemExit(f"unknown faults {unknown}; the catalogue has {sorted(by_name)}")
    return [by_name[name] for name in names]


def _run_to_json(run: SuiteRun) -> dict[str, Any]:
    return {
        "seconds": run.seconds,
        "returncode": run.returncode,
        "output": run.output if not run.outcomes else "",
        "outcomes": [asdict(outcome) for outcome in run.outcomes.values()],
    }


def _run_from_json(doc: dict[str, Any]) -> SuiteRun:
    outcomes = {}
    for item in doc["outcomes"]:
        item = {**item, "clauses": tuple(item["clauses"]), "violated": tuple(item["violated"])}
        outcomes[item["test"]] = Outcome(**item)
    return SuiteRun(outcomes, doc["seconds"], doc["returncode"], doc.get("output", ""))


def main(argv: Sequence[str] | None = None, *, echo: Callable[[str], object] = print) -> int:
    """Run the command line; return the exit code (1 if a fault survives or fails unexpectedly).

    The raw results go to ``_scratch/<name>.json`` beside ``--out`` (not committed); with
    ``--fault``, the named faults run again and replace theirs there, the others' are kept.
    """
    parser = argparse.ArgumentParser(
        prog="python -m tests.faults.kill_matrix", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--seed", type=int, default=KILL_SEED, help=f"Hypothesis seed (default {KILL_SEED})")
    parser.add_argument("--out", type=Path, default=REPO / "reports" / "kill-matrix.md", help="Markdown file")
    parser.add_argument("-n", dest="workers", type=int, default=2, help="pytest-xdist workers per run (2)")
    parser.add_argument("--fault", action="append", default=[], help="run only this fault again (repeatable)")
    parser.add_argument("--no-shrink", action="store_true", help="report first failing examples unshrunk")
    parser.add_argument("--catalogue", action="store_true", help="print the catalogue table and stop")
    parser.add_argument(
        "--render",
        action="store_true",
        help="write the matrix again from the last run's results, running nothing",
    )
    args = parser.parse_args(argv)
    if args.catalogue:
        echo(render_catalogue(_catalogue([])))
        return 0
    from conformance.catalog import load_catalog

    shrink = not args.no_shrink
    raw_file = args.out.parent / "_scratch" / f"{args.out.stem}.json"
    raw: dict[str, Any] = {"seed": args.seed, "shrink": shrink, "reference": None, "faults": {}}
    if args.render and not raw_file.is_file():
        raise SystemExit(f"no results to render in {raw_file}: run python -m tests.faults.kill_matrix first")
    if (args.fault or args.render) and raw_file.is_file():
        kept = json.loads(raw_file.read_text(encoding="utf-8"))
        if args.render or (kept["seed"], kept["shrink"]) == (args.seed, shrink):
            raw = kept
            args.seed, shrink = raw["seed"], raw["shrink"]
    started = time.monotonic()

    def run(adapter: str) -> SuiteRun:
        return run_suite(adapter, seed=args.seed, workers=args.workers, shrink=shrink)

    if raw["reference"] is None and not args.render:
        reference = run("reference")
        raw["reference"] = _run_to_json(reference)
        echo(f"reference: {len(reference.not_passed())} of {len(reference.outcomes)} not passed"
             f" ({_duration(reference.seconds)})")  # fmt: skip
    for fault in [] if args.render else _catalogue(args.fault):
        verdict = judge(fault, run(fault.spec()))
        raw["faults"][fault.__name__] = _run_to_json(verdict.run)
        state = "killed" if verdict.killed else "SURVIVED"
        took = _duration(verdict.run.seconds)
        echo(f"{fault.__name__}: {state}, {len(verdict.unexpected)} unexpected ({took})")
        if not (verdict.killed and verdict.clean):
            echo(verdict.explain())
        raw_file.parent.mkdir(parents=True, exist_ok=True)
        raw_file.write_text(json.dumps(raw, indent=1) + "\n", encoding="utf-8")
    reference = _run_from_json(raw["reference"])
    verdicts = [
        judge(fault, _run_from_json(raw["faults"][fault.__name__]))
        if fault.__name__ in raw["faults"]
        else judge(fault, SuiteRun({}, 0.0, -1, "not run"))
        for fault in _catalogue([])
    ]
    if not args.fault and not args.render:
        raw["seconds"] = time.monotonic() - started
    seconds = raw.get("seconds") or sum(v.run.seconds for v in verdicts) + reference.seconds
    levels = {clause.id: clause.level.value for clause in load_catalog()}
    args.out.write_text(
        render_matrix(verdicts, reference, seed=args.seed, shrink=shrink, seconds=seconds, levels=levels),
        encoding="utf-8",
    )
    raw_file.write_text(json.dumps(raw, indent=1) + "\n", encoding="utf-8")
    killed = sum(v.killed for v in verdicts)
    echo(f"{killed} of {len(verdicts)} faults killed in {_duration(seconds)}; matrix in {args.out}")
    good = all(v.killed and v.clean for v in verdicts) and not reference.not_passed()
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
