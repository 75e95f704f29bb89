"""``python -m benchmarks [--quick] [--repeats N] [--only NAME ...] [--out DIR]``: measure, write results.

Runs the measurement modules in order and rewrites ``DIR/results.json`` and
``DIR/results.md`` after each one, so that a long run interrupted late keeps what
it measured.  Exit status 0 whatever the figures: targets are reported, not enforced.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Final

from benchmarks import adapters, reference_ipc, report, startup, strategies, suite
from benchmarks.harness import Section

MODULES: Final[dict[str, Callable[..., list[Section]]]] = {
    "ipc": reference_ipc.measure,
    "startup": startup.measure,
    "strategies": strategies.measure,
    "adapters": adapters.measure,
    "suite": suite.measure,
}
"""The measurements, by the name ``--only`` takes, in the order they run."""


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive count, e.g. 5")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Measure the reference implementation, the adapters and the suite against baselines"
        " taken in the same run; write results.json and results.md.",
    )
    parser.add_argument(
        "--quick", action="store_true", help="small sizes and part of the suite (a smoke run)"
    )
    parser.add_argument(
        "--repeats", type=_positive, default=5, metavar="N",
        help="repeats per figure (default 5; at most 3 for the suite's, each a whole run of the suite)",
    )  # fmt: skip
    parser.add_argument(
        "--only", nargs="+", choices=list(MODULES), default=list(MODULES), metavar="NAME",
        help=f"measure only these: {', '.join(MODULES)} (default: all)",
    )  # fmt: skip
    parser.add_argument(
        "--out", type=Path, default=Path("reports/benchmarks"), metavar="DIR",
        help="where results.json and results.md go (default reports/benchmarks)",
    )  # fmt: skip
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmarks the command line asks for; return the exit status."""
    args = _parser().parse_args(argv)
    started = report.machine()
    command = ["python", "-m", "benchmarks", *(sys.argv[1:] if argv is None else argv)]
    sections: list[Section] = []
    for name in args.only:
        began = time.perf_counter()
        print(f"measuring {name} ...", file=sys.stderr, flush=True)
        sections += MODULES[name](repeats=args.repeats, quick=args.quick)
        doc = report.results_document(
            sections, repeats=args.repeats, quick=args.quick, started=started, argv=command
        )
        json_path, md_path = report.write(doc, args.out)
        print(
            f"  {name}: {time.perf_counter() - began:.0f} s; wrote {json_path} and {md_path}", file=sys.stderr
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
