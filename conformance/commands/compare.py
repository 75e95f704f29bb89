"""``ipc-conformance compare``: several reports side by side, implementations by clause."""

from __future__ import annotations

import argparse

from conformance.commands import EXIT_YES, unusable

__all__ = ["main"]


def main(args: argparse.Namespace) -> int:
    """Print (or write to ``--output``) the matrix; return 0, or 2 for an unreadable report."""
    from conformance.reporting.compare import compare_html, compare_markdown
    from conformance.reporting.report import ReportError, load_report

    try:
        reports = [load_report(path) for path in args.reports]
    except ReportError as error:
        return unusable(str(error))
    text = compare_html(reports) if args.format == "html" else compare_markdown(reports)
    if args.output is None:
        print(text, end="")
    else:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8", errors="backslashreplace")
        print(args.output)
    return EXIT_YES
