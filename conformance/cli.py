"""The ``ipc-conformance`` command: wires options to the suite run and the report writers.

``run`` executes the suite (a pytest session over ``conformance.suite``) against an
adapter and writes the report; the exit code is 0 when the implementation is
conformant, 1 when it is not, 2 when the run itself could not be made.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path

__all__ = ["main"]

EXIT_CONFORMANT, EXIT_NOT_CONFORMANT, EXIT_UNUSABLE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ipc-conformance", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run the suite against an implementation and write a report")
    run.add_argument(
        "--adapter",
        default="reference",
        help="'reference', 'reference-subprocess', module:Class, or a command line (default: reference)",
    )
    run.add_argument("--edition", default="v0.32", help="spec edition (default: v0.32)")
    run.add_argument(
        "--strict", action="store_true", help="IMPL (Electron v0.32 compatibility) failures fail too"
    )
    run.add_argument("-n", dest="workers", default="0", help="parallel workers (pytest-xdist), or 'auto'")
    run.add_argument("--seed", type=int, help="Hypothesis seed, to replay a run")
    run.add_argument("--profile", choices=("quick", "thorough"), default="quick", help="Hypothesis effort")
    run.add_argument(
        "--report-dir", type=Path, help="where to write the report (default: reports/<impl>/<run>)"
    )
    run.add_argument("-k", dest="keyword", help="only tests matching this pytest -k expression")
    run.add_argument(
        "--timeout", type=float, default=10.0, help="base timeout of every adapter call, seconds"
    )
    commands.add_parser("clauses", help="list the clause catalog")
    return parser


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.")[:80] or "implementation"


def _run(args: argparse.Namespace) -> int:
    import pytest

    from conformance.adapters import AdapterError, load_adapter
    from conformance.reporting.collector import ReportCollector

    try:
        adapter = load_adapter(args.adapter)
        hello = adapter.hello()
        adapter.close()
    except (AdapterError, ImportError, ValueError, OSError) as error:
        reason = str(error)
        if isinstance(error, AdapterError):
            reason = error.reason + (f" (try: {error.hint})" if error.hint else "")
        print(f"ipc-conformance: cannot use adapter {args.adapter!r}: {reason}", file=sys.stderr)
        if isinstance(error, AdapterError) and error.stderr:
            print("adapter stderr (last lines):", error.stderr, sep="\n", file=sys.stderr)
        return EXIT_UNUSABLE
    stamp = time.strftime("%Y%m%dT%H%M%S")
    report_dir = args.report_dir or Path("reports") / _slug(hello.name) / stamp
    run_info = {
        "adapter": args.adapter,
        "implementation": {"name": hello.name, "version": hello.version, "language": hello.language},
        "edition": args.edition,
        "strict": args.strict,
        "profile": args.profile,
        "seed": args.seed,
    }
    collector = ReportCollector(report_dir, run_info)
    pytest_args = [
        "--pyargs",
        "conformance.suite",
        "-p",
        "no:cacheprovider",
        f"--ipc-adapter={args.adapter}",
        f"--ipc-edition={args.edition}",
        f"--ipc-profile={args.profile}",
        f"--ipc-timeout={args.timeout}",
        "-q",
    ]
    if args.workers not in ("0", 0):
        pytest_args += ["-n", str(args.workers)]
    if args.strict:
        pytest_args.append("--ipc-strict")
    if args.seed is not None:
        pytest_args.append(f"--hypothesis-seed={args.seed}")
    if args.keyword:
        pytest_args += ["-k", args.keyword]
    code = pytest.main(pytest_args, plugins=[collector])
    if code in (pytest.ExitCode.USAGE_ERROR, pytest.ExitCode.INTERNAL_ERROR, pytest.ExitCode.INTERRUPTED):
        print(f"ipc-conformance: the run could not be made (pytest exit code {int(code)})", file=sys.stderr)
        return EXIT_UNUSABLE
    print(f"{collector.verdict}: {hello.name} {hello.version}; report in {report_dir}")
    return EXIT_CONFORMANT if collector.verdict == "CONFORMANT" else EXIT_NOT_CONFORMANT


def _clauses() -> int:
    from conformance.catalog import load_catalog

    for clause in load_catalog():
        print(f"{clause.id:8} {clause.level.value:7} {clause.statement}")
    return EXIT_CONFORMANT


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = _parser().parse_args(argv)
    if args.command == "run":
        return _run(args)
    return _clauses()


if __name__ == "__main__":
    sys.exit(main())
