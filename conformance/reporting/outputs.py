"""Writes a report's files: ``report.json`` (the source of truth), and what is rendered from it alone.

``render`` is all that ``ipc-conformance render`` needs: a report copied off a CI
machine renders to the same ``junit.xml``, ``report.html`` and ``summary.md``.
``new_report_directory`` names a run's folder after the implementation, which
names itself: whatever it says, the folder stays inside the reports folder.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final

from conformance.reporting.html import write_html
from conformance.reporting.junit import write_junit
from conformance.reporting.markdown import write_summary
from conformance.reporting.report import REPORT_FILE, Report, dump_report

__all__ = ["folder_name", "new_report_directory", "render", "write_report"]

NAME_LIMIT: Final = 80
"""Characters kept of an implementation's name in a folder name."""
_UNSAFE: Final = re.compile(r"[^A-Za-z0-9._-]+")


def folder_name(text: str, fallback: str = "implementation") -> str:
    """Return ``text`` as one safe path component: ASCII letters, digits, ``.``, ``_`` and ``-``.

    Runs of anything else become one ``-``; leading and trailing dots and dashes go,
    so the result is never ``.``, ``..``, hidden, or taken for a command-line option.
    """
    return _UNSAFE.sub("-", text).strip("-.")[:NAME_LIMIT].strip("-.") or fallback


def new_report_directory(base: Path, implementation: str, run_id: str) -> Path:
    """Create and return ``base/<implementation>/<run_id>``, both names made safe by ``folder_name``.

    A run started in the same second as another of the same implementation gets
    ``-2``, ``-3``, ... appended: no run overwrites another's report.
    """
    parent = base / folder_name(implementation)
    stem = folder_name(run_id, fallback="run")
    parent.mkdir(parents=True, exist_ok=True)
    for number in range(1, 1000):
        candidate = parent / (stem if number == 1 else f"{stem}-{number}")
        try:
            candidate.mkdir()
        except FileExistsError:
            continue
        return candidate
    raise FileExistsError(f"{parent} holds 999 runs named {stem}: give --report-dir")


def render(report: Report, directory: Path) -> list[Path]:
    """Write junit.xml, report.html and summary.md for ``report`` into ``directory``; return their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    return [write_junit(report, directory), write_html(report, directory), write_summary(report, directory)]


def write_report(report: Report, directory: Path) -> list[Path]:
    """Write ``report.json`` and every file rendered from it into ``directory``; return their paths."""
    path = directory / REPORT_FILE
    dump_report(report, path)
    return [path, *render(report, directory)]
