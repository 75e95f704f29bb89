"""The cost of the suite itself: full runs through pytest, against the in-memory oracle adapter's.

Each run is ``python -m pytest --pyargs conformance.suite -p no:cacheprovider -q
-n N --ipc-adapter A`` in a child process, timed from outside (wall) and by the
CPU its process tree used.  Runs of one repeat share a Hypothesis seed, so every
configuration draws the same examples.  The runs measure the suite as a developer
runs it again and again: Python's bytecode cache on (in a private
``PYTHONPYCACHEPREFIX``, whatever ``PYTHONDONTWRITEBYTECODE`` says here) and one
Hypothesis storage directory (its Unicode tables), both filled by an untimed first
run.  The example count is scaled with ``benchmarks.examples_plugin``.
"""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from benchmarks.adapters import ORACLE
from benchmarks.harness import Figure, Section, Target

__all__ = ["Run", "SuiteConfig", "SuiteRunner", "command", "machine_parallelism", "measure"]

ROOT: Final = Path(__file__).resolve().parent.parent
_TIMEOUT: Final = 1800.0
_SUMMARY: Final = re.compile(r"^=*\s*(?P<counts>\d+ \w+(?:, \d+ \w+)*) in [\d.]+s")


@dataclass(frozen=True)
class SuiteConfig:
    """One way to run the suite: an adapter, xdist workers (0: none), an example count, part of the suite."""

    adapter: str
    workers: int = 2
    max_examples: int | None = None
    select: str | None = None
    """A ``-k`` expression, to run part of the suite (quick runs)."""


@dataclass(frozen=True)
class Run:
    """What one run took and how it ended."""

    wall: float
    cpu: float
    outcome: str
    returncode: int


def command(config: SuiteConfig, *, seed: int) -> list[str]:
    """Return the command line of one run."""
    argv = [sys.executable, "-m", "pytest", "--pyargs", "conformance.suite", "-p", "no:cacheprovider", "-q"]
    argv += ["-n", str(config.workers), "--ipc-adapter", config.adapter, f"--hypothesis-seed={seed}"]
    if config.max_examples is not None:
        argv += ["-p", "benchmarks.examples_plugin", "--bench-max-examples", str(config.max_examples)]
    if config.select is not None:
        argv += ["-k", config.select]
    return argv


_BURN: Final = "n = 0\nfor i in range(6_000_000):\n    n += i * i"


def machine_parallelism() -> tuple[float, float]:
    """Return the wall times of two CPU-bound processes one after the other, and of two at once.

    Their ratio is the speed-up this machine offers two workers right now: 2 when
    two cores are free, 1 when the other load leaves the equivalent of one.
    """
    burn = [sys.executable, "-S", "-c", _BURN]
    start = time.perf_counter()
    for _ in range(2):
        subprocess.run(burn, check=True)
    sequential = time.perf_counter() - start
    start = time.perf_counter()
    both = [subprocess.Popen(burn) for _ in range(2)]
    for process in both:
        process.wait()
    return sequential, time.perf_counter() - start


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class SuiteRunner:
    """Runs the suite in child processes that share a bytecode cache and a Hypothesis storage directory."""

    def __init__(self, caches: Path) -> None:
        self.env = dict(os.environ)
        self.env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), self.env.get("PYTHONPATH")]))
        self.env.pop("PYTHONDONTWRITEBYTECODE", None)
        self.env["PYTHONPYCACHEPREFIX"] = str(caches / "pycache")
        self.env["HYPOTHESIS_STORAGE_DIRECTORY"] = str(caches / "hypothesis")

    def run(self, config: SuiteConfig, *, seed: int) -> Run:
        """Run the suite once as ``config`` says; return its wall time, CPU time and pytest's summary."""
        cpu = _children_cpu()
        start = time.perf_counter()
        done = subprocess.run(
            command(config, seed=seed),
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=_TIMEOUT,
        )
        wall = time.perf_counter() - start
        cpu = _children_cpu() - cpu
        outcome = next(
            (
                m["counts"]
                for line in reversed(done.stdout.splitlines())
                if (m := _SUMMARY.match(line.strip()))
            ),
            f"no summary (exit {done.returncode}): {done.stdout[-300:]!r} {done.stderr[-300:]!r}",
        )
        return Run(wall, cpu, outcome, done.returncode)


def _figure(
    figure_id: str,
    title: str,
    runs: Sequence[Run],
    baseline: str | None = None,
    target: Target | None = None,
    note: str = "",
) -> Figure:
    return Figure(
        figure_id,
        title,
        "s",
        [run.wall for run in runs],
        baseline,
        target,
        note,
        extra={
            "CPU s": [round(run.cpu, 2) for run in runs],
            "pytest said": sorted({run.outcome for run in runs}),
            "exit codes": sorted({run.returncode for run in runs}),
        },
    )


SUITE_REPEATS: Final = 3
"""Repeats of each suite configuration at most: each one is a whole run of the suite."""
_TITLES: Final = {
    "oracle": "in-memory oracle adapter",
    "reference": "reference adapter, in-process",
    "subprocess": "reference adapter behind the subprocess protocol",
}
_POINTS: Final = (10, 25, 50)
"""Example counts of the growth measurement; 25 is the default (``quick`` profile)."""


def measure(*, repeats: int, quick: bool) -> list[Section]:
    """Return the suite sections: adapters against the oracle, -n 1 against -n 2, and example scaling."""
    select = "test_channels or test_return_values" if quick else None
    repeats = min(repeats, SUITE_REPEATS)
    configs = {
        "oracle -n 1": SuiteConfig(ORACLE, 1, select=select),
        "oracle -n 2": SuiteConfig(ORACLE, 2, select=select),
        "reference -n 1": SuiteConfig("reference", 1, select=select),
        "reference -n 2": SuiteConfig("reference", 2, select=select),
        "subprocess -n 2": SuiteConfig("reference-subprocess", 2, select=select),
    }
    for examples in _POINTS:
        if examples != 25:
            configs[f"reference -n 2, {examples} examples"] = SuiteConfig("reference", 2, examples, select)
    runs: dict[str, list[Run]] = {name: [] for name in configs}
    machine: dict[str, list[float]] = {"sequential": [], "parallel": []}
    with tempfile.TemporaryDirectory(prefix="bench-suite-") as caches:
        runner = SuiteRunner(Path(caches))
        warm_up = runner.run(SuiteConfig("reference", 2, 1, select), seed=0)
        for repeat in range(repeats):
            for name, config in configs.items():
                if name == "reference -n 1":
                    sequential, parallel = machine_parallelism()
                    machine["sequential"].append(sequential)
                    machine["parallel"].append(parallel)
                runs[name].append(runner.run(config, seed=repeat))
    what = f"the tests matching -k {select!r}" if select else "the whole suite"
    wall, cpu = _adapter_sections(runs, what)
    wall.notes.append(
        f"{repeats} repeats (at most {SUITE_REPEATS}); repeat r of every configuration uses"
        f" --hypothesis-seed=r; an untimed first run ({warm_up.wall:.0f} s, {warm_up.outcome}) filled the"
        " bytecode cache and the Hypothesis storage directory"
    )
    return [wall, cpu, _parallel_section(runs, machine, what, quick=quick), _growth_section(runs, what)]


def _adapter_sections(runs: dict[str, list[Run]], what: str) -> tuple[Section, Section]:
    target = Target("ratio", "max", 1.5, "adds at most 50% to the in-memory run")
    wall = Section("suite", f"Suite wall time: {what}, default profile (s, lower is better)")
    cpu = Section("suite_cpu", f"Suite CPU time of every process of the run: {what} (s, lower is better)")
    for workers in (1, 2):
        base = f"oracle -n {workers}"
        title = f"{_TITLES['oracle']}, -n {workers}"
        wall.add(_figure(base, f"{title} (baseline: no process, no IPC)", runs[base]))
        cpu.add(Figure(base, title, "CPU s", [run.cpu for run in runs[base]]))
        for adapter in ("reference", "subprocess"):
            name = f"{adapter} -n {workers}"
            if name in runs:
                title = f"{_TITLES[adapter]}, -n {workers}"
                wall.add(_figure(name, title, runs[name], baseline=base, target=target))
                cpu.add(Figure(name, title, "CPU s", [run.cpu for run in runs[name]], baseline=base))
    return wall, cpu


def _parallel_section(
    runs: dict[str, list[Run]], machine: dict[str, list[float]], what: str, *, quick: bool
) -> Section:
    speed = Section("parallel", f"-n 2 against -n 1: {what} (s, lower is better)")
    speed.add(_figure("reference -n 1", "reference adapter, -n 1 (baseline)", runs["reference -n 1"]))
    speed.add(
        _figure(
            "reference -n 2",
            "reference adapter, -n 2",
            runs["reference -n 2"],
            baseline="reference -n 1",
            target=Target("ratio", "max", 1 / 1.6, "at least 1.6x faster than -n 1 (ratio at most 0.625)"),
        )
    )
    speed.add(
        _figure(
            "reference -n 2 wall",
            "reference adapter, -n 2: the default full run",
            runs["reference -n 2"],
            target=None if quick else Target("value", "max", 30.0, "under 30 s"),
        )
    )
    speed.add(_figure("oracle -n 1", "in-memory oracle adapter, -n 1 (baseline)", runs["oracle -n 1"]))
    speed.add(
        _figure("oracle -n 2", "in-memory oracle adapter, -n 2", runs["oracle -n 2"], baseline="oracle -n 1")
    )
    speed.add(
        Figure(
            "burn x2 sequential", "two CPU-bound processes, one after the other", "s", machine["sequential"]
        )
    )
    speed.add(
        Figure(
            "burn x2 parallel",
            "the same two at once: what parallelism the machine offers now",
            "s",
            machine["parallel"],
            baseline="burn x2 sequential",
            note="ratio 0.5 with two free cores, 1.0 when the rest of the load leaves one",
        )
    )
    return speed


def _growth_section(runs: dict[str, list[Run]], what: str) -> Section:
    growth = Section(
        "examples", f"Wall time against the Hypothesis example count: {what}, reference, -n 2 (s)"
    )
    for examples in _POINTS:
        name = "reference -n 2" if examples == 25 else f"reference -n 2, {examples} examples"
        growth.add(
            _figure(
                f"{examples} examples",
                f"max_examples={examples}" + (" (the default; baseline)" if examples == 25 else ""),
                runs[name],
                baseline=None if examples == 25 else "25 examples",
            )
        )
    slope, intercept = _slope([(float(p), growth.figure(f"{p} examples").summary.median) for p in _POINTS])
    growth.notes.append(
        f"least-squares line through the medians: {intercept:.2f} s + {slope:.3f} s per unit of"
        " max_examples (each test's own count scales by max_examples / 25)"
    )
    return growth


def _slope(points: Sequence[tuple[float, float]]) -> tuple[float, float]:
    """Return the slope and intercept of the least-squares line through ``points``."""
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    var = sum((x - mean_x) ** 2 for x, _ in points)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / var
    return slope, mean_y - slope * mean_x
