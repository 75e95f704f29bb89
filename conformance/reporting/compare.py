"""Compares reports side by side: a matrix of implementations (columns) by clause (rows).

Rows follow the clause order of the first report, then clauses only later reports
know; a clause a report does not know shows as a dash.  Rendered as Markdown or
as one self-contained HTML page (the report page's templates and escaping).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from conformance.reporting.markdown import md_text, score_text
from conformance.reporting.report import ClauseSummary, Report

__all__ = ["Matrix", "compare_html", "compare_markdown", "matrix"]

MISSING = "-"


@dataclass(frozen=True)
class Matrix:
    """The comparison: one column per report, one row per clause, grouped by area."""

    reports: tuple[Report, ...]
    columns: tuple[str, ...]
    areas: tuple[tuple[str, str], ...]
    """(code, title) of every area, in order."""
    rows: tuple[tuple[str, ClauseSummary, tuple[str, ...]], ...]
    """Each clause's ID, the clause (as the first report that knows it has it), its status in every report."""


def _labels(reports: Sequence[Report]) -> tuple[str, ...]:
    names = [f"{r['run']['implementation']['name']} {r['run']['implementation']['version']}" for r in reports]
    return tuple(
        f"{name} ({r['run']['id']})" if names.count(name) > 1 else name
        for name, r in zip(names, reports, strict=True)
    )


def matrix(reports: Sequence[Report]) -> Matrix:
    """Return the matrix of ``reports`` by clause."""
    if not reports:
        raise ValueError("compare needs at least one report")
    clauses: dict[str, ClauseSummary] = {}
    areas: dict[str, str] = {}
    for report in reports:
        for area in report["areas"]:
            areas.setdefault(area["code"], area["title"])
        for clause_id, clause in report["clauses"].items():
            clauses.setdefault(clause_id, clause)
    order = list(areas)
    rows = sorted(
        (
            (
                clause_id,
                clause,
                tuple(
                    r["clauses"][clause_id]["status"] if clause_id in r["clauses"] else MISSING
                    for r in reports
                ),
            )
            for clause_id, clause in clauses.items()
        ),
        key=lambda row: order.index(row[1]["area"]) if row[1]["area"] in areas else len(order),
    )
    return Matrix(tuple(reports), _labels(reports), tuple(areas.items()), tuple(rows))


def compare_markdown(reports: Sequence[Report]) -> str:
    """Return the comparison of ``reports`` as Markdown tables."""
    m = matrix(reports)
    header = "| | " + " | ".join(md_text(c) for c in m.columns) + " |"
    rule = "| --- " * (len(m.columns) + 1) + "|"
    lines = ["## Implementations by clause", "", header, rule]
    lines.append("| verdict | " + " | ".join(r["verdict"] for r in m.reports) + " |")
    conformance = " | ".join(score_text(r["scores"]["conformance"]) for r in m.reports)
    compatibility = " | ".join(score_text(r["scores"]["compatibility"]) for r in m.reports)
    lines.append(f"| conformance (MUST) | {conformance} |")
    lines.append(f"| Electron v0.32 compatibility (IMPL) | {compatibility} |")
    lines += [
        "",
        "| clause | level | " + " | ".join(md_text(c) for c in m.columns) + " |",
        "| --- " * (len(m.columns) + 2) + "|",
    ]
    for code, title in m.areas:
        lines.append(f"| **{code}** | {md_text(title)} |" + " |" * len(m.columns))
        lines += [
            f"| {clause_id} | {clause['level']} | " + " | ".join(cells) + " |"
            for clause_id, clause, cells in m.rows
            if clause["area"] == code
        ]
    return "\n".join(lines) + "\n"


def compare_html(reports: Sequence[Report]) -> str:
    """Return the comparison of ``reports`` as a self-contained HTML page."""
    from conformance.reporting.html import environment

    return environment().get_template("compare.html.j2").render(m=matrix(reports))
