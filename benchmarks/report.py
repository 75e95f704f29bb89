"""Writes the results: ``results.json`` (the source, valid under ``results.schema.json``), ``results.md``."""

from __future__ import annotations

import json
import os
import platform
import sys
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from benchmarks.harness import Section

__all__ = ["FORMAT", "SCHEMA", "machine", "render_markdown", "results_document", "write"]

FORMAT: Final = 1
SCHEMA: Final = Path(__file__).with_name("results.schema.json")


def machine() -> dict[str, Any]:
    """Return what the figures were measured on, and how loaded it was when this was called."""
    return {
        "cpus": os.cpu_count(),
        "python": sys.version.split()[0],
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "load_average": list(os.getloadavg()),
        "pythondontwritebytecode": bool(os.environ.get("PYTHONDONTWRITEBYTECODE")),
    }


def results_document(
    sections: Sequence[Section], *, repeats: int, quick: bool, started: Mapping[str, Any], argv: Sequence[str]
) -> dict[str, Any]:
    """Return the results as JSON data: machine before and after, every section, and the targets."""
    section_docs = [section.to_json() for section in sections]
    targets = [
        {
            "section": section["id"],
            "figure": figure["id"],
            "title": figure["title"],
            "target": figure["target"]["text"],
            "on": figure["target"]["on"],
            "limit": figure["target"]["limit"],
            "measured": (figure["ratio"] if figure["target"]["on"] == "ratio" else figure["value"]),
            "met": figure["target"]["met"],
        }
        for section in section_docs
        for figure in section["figures"]
        if figure["target"] is not None
    ]
    return {
        "format": FORMAT,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": list(argv),
        "quick": quick,
        "repeats": repeats,
        "machine": {"start": dict(started), "end": machine()},
        "sections": section_docs,
        "targets": targets,
    }


def _number(value: float) -> str:
    if value == 0:
        return "0"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if abs(value) >= 100:
        return f"{value:.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    if abs(value) >= 1:
        return f"{value:.2f}"
    return f"{value:.3g}"


def _spread(summary: Mapping[str, float]) -> str:
    return f"{_number(summary['median'])} ({_number(summary['min'])}-{_number(summary['max'])})"


def _loads(machine: Mapping[str, Any]) -> str:
    return ", ".join(f"{load:.1f}" for load in machine["load_average"])


def _verdict(met: bool | None) -> str:
    return {True: "met", False: "**missed**", None: "n/a"}[met]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(doc: Mapping[str, Any]) -> str:
    """Return the results as Markdown: the targets first, then one table per section."""
    start, end = doc["machine"]["start"], doc["machine"]["end"]
    lines = [
        "# Benchmarks",
        "",
        f"Measured {doc['created']} with `{' '.join(doc['command'])}`: {doc['repeats']} repeats per figure,"
        f" {'quick' if doc['quick'] else 'full'} sizes. Python {start['python']} on {start['platform']},"
        f" {start['cpus']} CPUs; load average {_loads(start)} at the start, {_loads(end)} at the end"
        + (
            " (PYTHONDONTWRITEBYTECODE=1 in the environment)."
            if start.get("pythondontwritebytecode")
            else "."
        ),
        "",
        "Every figure is the median (min-max) over the repeats; a ratio divides each repeat's figure by its"
        " baseline's in the same repeat, then summarises those ratios.",
        "",
        "## Targets",
        "",
        "| figure | target | measured (median, min-max) | |",
        "|---|---|---|---|",
    ]
    for target in doc["targets"]:
        measured = _spread(target["measured"]) + (" (ratio)" if target["on"] == "ratio" else " s")
        lines.append(
            f"| {_cell(target['section'])}: {_cell(target['title'])} | {_cell(target['target'])}"
            f" | {measured} | {_verdict(target['met'])} |"
        )
    for section in doc["sections"]:
        lines += ["", f"## {section['title']}", ""]
        if section["skipped"]:
            lines += [f"Skipped: {section['skipped']}", ""]
            continue
        lines += [
            "| figure | unit | median (min-max) | baseline | ratio (min-max) | target |",
            "|---|---|---|---|---|---|",
        ]
        for figure in section["figures"]:
            ratio = "" if figure["ratio"] is None else _spread(figure["ratio"])
            target = (
                ""
                if figure["target"] is None
                else f"{figure['target']['text']}: {_verdict(figure['target']['met'])}"
            )
            lines.append(
                f"| {_cell(figure['title'])} | {figure['unit']} | {_spread(figure['value'])}"
                f" | {_cell(figure['baseline'] or '')} | {ratio} | {_cell(target)} |"
            )
        details = [
            f"- {figure['id']}: {_cell(figure['note'])}" for figure in section["figures"] if figure["note"]
        ] + [f"- {_cell(note)}" for note in section["notes"]]
        for figure in section["figures"]:
            extra = figure.get("extra", {})
            if extra:
                shown = "; ".join(f"{key}: {_extra(value)}" for key, value in extra.items())
                details.append(f"- {figure['id']}: {_cell(shown)}")
        if details:
            lines += ["", *details]
    return "\n".join(lines) + "\n"


def _extra(value: Any) -> str:
    if isinstance(value, Mapping):
        return ", ".join(f"{key} {_extra(item)}" for key, item in value.items())
    if isinstance(value, float):
        return _number(value)
    if isinstance(value, list):
        return ", ".join(_extra(item) for item in value)
    return str(value)


def write(doc: Mapping[str, Any], out: Path) -> tuple[Path, Path]:
    """Write ``results.json`` and ``results.md`` into ``out``; return their paths."""
    out.mkdir(parents=True, exist_ok=True)
    json_path, md_path = out / "results.json", out / "results.md"
    json_path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    md_path.write_text(render_markdown(doc), encoding="utf-8")
    return json_path, md_path
