"""``ipc-conformance render``: junit.xml, report.html and summary.md again, from a report.json alone."""

from __future__ import annotations

import argparse

from conformance.commands import EXIT_YES, unusable

__all__ = ["main"]


def main(args: argparse.Namespace) -> int:
    """Render the report beside itself (or into ``--output-dir``); return 0, or 2 for an unreadable report."""
    from conformance.reporting.outputs import render
    from conformance.reporting.report import ReportError, load_report

    try:
        report = load_report(args.report)
    except ReportError as error:
        return unusable(str(error))
    directory = args.output_dir or (args.report if args.report.is_dir() else args.report.parent)
    for path in render(report, directory):
        print(path)
    return EXIT_YES
