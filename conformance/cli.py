"""The ``ipc-conformance`` command: option wiring only; each subcommand lives in ``conformance.commands``.

Exit codes: 0 yes (conformant, or matching the baseline), 1 no (not conformant),
2 the command could not do its job (bad arguments, an adapter that does not start
or fails its handshake, an unreadable report); always with a one-line reason.
"""

from __future__ import annotations

import argparse
import importlib
import math
import sys
from collections.abc import Sequence
from pathlib import Path

__all__ = ["main", "parser"]

_EDITION = "v0.32"


def _workers(text: str) -> str:
    if text in ("auto", "logical") or (text.isdigit() and int(text) >= 0):
        return text
    raise argparse.ArgumentTypeError(f"expected a number of workers or 'auto', got {text!r}")


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value < math.inf:
        raise argparse.ArgumentTypeError(f"expected a positive number of seconds, got {text!r}")
    return value


def _budget(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"expected a whole number of restarts (0 or more), got {text!r}")
    return int(text)


def _adapter_option(parser: argparse.ArgumentParser, default: str | None = "reference") -> None:
    parser.add_argument(
        "--adapter",
        default=default,
        metavar="ADAPTER",
        help="'reference', 'reference-subprocess', module:Class, or a command line"
        + (f" (default: {default})" if default else ""),
    )


def _timeout_option(parser: argparse.ArgumentParser, default: float | None = 10.0) -> None:
    parser.add_argument(
        "--timeout",
        type=_positive,
        default=default,
        metavar="SECONDS",
        help="base timeout of every adapter call"
        + (f" (default: {default})" if default else " (default: as recorded)"),
    )


def _run_options(run: argparse.ArgumentParser) -> None:
    _adapter_option(run)
    run.add_argument("--edition", default=_EDITION, help=f"spec edition (default: {_EDITION})")
    run.add_argument(
        "--strict", action="store_true", help="IMPL (Electron v0.32 compatibility) failures fail too"
    )
    run.add_argument(
        "-n", dest="workers", type=_workers, default="0", metavar="N", help="parallel workers, or auto"
    )
    run.add_argument("--seed", type=int, help="Hypothesis seed (default: a new one, recorded in the report)")
    run.add_argument("--profile", choices=("quick", "thorough"), default="quick", help="Hypothesis effort")
    run.add_argument("--report-dir", type=Path, metavar="DIR", help="default: reports/<implementation>/<run>")
    run.add_argument("--baseline", type=Path, metavar="FILE", help="known failures (TOML or YAML)")
    run.add_argument(
        "--write-baseline",
        type=Path,
        metavar="FILE",
        help="write the current failures as a baseline, judge by it",
    )
    run.add_argument(
        "-k", dest="keyword", metavar="PATTERN", help="only tests matching this pytest -k expression"
    )
    _timeout_option(run)
    run.add_argument(
        "--start-timeout",
        type=_positive,
        default=10.0,
        metavar="SECONDS",
        help="how long the adapter may take to start and answer hello (default: 10)",
    )
    run.add_argument(
        "--restart-budget",
        type=_budget,
        default=3,
        metavar="N",
        help="restarts of a broken adapter per worker before the remaining tests are ERROR (default: 3)",
    )


def parser() -> argparse.ArgumentParser:
    """Return the parser of the command line and its subcommands."""
    top = argparse.ArgumentParser(
        prog="ipc-conformance",
        description="The Electron v0.32 renderer IPC conformance suite.",
        epilog="Exit codes: 0 yes (conformant, or matching the baseline), 1 no (not conformant), "
        "2 the command could not do its job (or the run was interrupted); the last line says why.",
    )
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _run_options(
        commands.add_parser("run", help="run the suite against an implementation; write the reports")
    )

    clauses = commands.add_parser("clauses", help="list the clause catalog")
    clauses.add_argument("--area", help="only this area (CH, ORD, SER, RET, BLK, HOST, M2R, DEP, ERR)")
    clauses.add_argument(
        "--level", type=str.upper, choices=("MUST", "IMPL", "UNSPEC", "UB"), help="only this level"
    )

    check = commands.add_parser("check-adapter", help="smoke-test an adapter's protocol, step by step")
    check.add_argument("adapter", metavar="ADAPTER", help="as for run --adapter")
    _timeout_option(check)

    compare = commands.add_parser(
        "compare", help="a matrix of implementations by clause from several reports"
    )
    compare.add_argument(
        "reports", nargs="+", type=Path, metavar="REPORT", help="report.json files or their folders"
    )
    compare.add_argument("--format", choices=("markdown", "html"), default="markdown")
    compare.add_argument("-o", "--output", type=Path, metavar="FILE", help="write here instead of stdout")

    replay = commands.add_parser("replay", help="run one failing test of a report again, with its seed")
    replay.add_argument("report", type=Path, metavar="REPORT", help="a report.json or its folder")
    replay.add_argument("test", metavar="TEST", help="the test's ID, or a unique part of it")
    _adapter_option(replay, default=None)
    replay.add_argument(
        "--scenario",
        action="store_true",
        help="run only the recorded scenario through the adapter; print its trace",
    )
    _timeout_option(replay, default=None)

    render = commands.add_parser(
        "render", help="render junit.xml, report.html and summary.md from a report.json"
    )
    render.add_argument("report", type=Path, metavar="REPORT", help="a report.json or its folder")
    render.add_argument("--output-dir", type=Path, metavar="DIR", help="default: beside the report")
    return top


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (argparse's 2 for bad arguments)."""
    try:
        args = parser().parse_args(argv)
    except SystemExit as exit:
        return exit.code if isinstance(exit.code, int) else 2
    module = importlib.import_module(f"conformance.commands.{args.command.replace('-', '_')}")
    code: int = module.main(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
