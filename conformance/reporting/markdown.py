"""Renders a report as Markdown (``summary.md``), for CI step summaries and pull-request comments.

Text from the implementation is escaped: in running text and tables, HTML is
turned into entities and Markdown punctuation is backslashed; longer text goes
into fenced code blocks, whose fence is longer than any backtick run inside.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Final

from conformance.reporting import tally
from conformance.reporting.junit import replay_command
from conformance.reporting.report import Report, Result, Score, write_atomically

__all__ = ["SUMMARY_FILE", "code_block", "md_text", "score_text", "summary_markdown", "write_summary"]

SUMMARY_FILE: Final = "summary.md"
_PUNCTUATION: Final = re.compile(r"([\\`*_\[\]|#~!])")
_FAILURES_SHOWN: Final = 20


def md_text(text: str) -> str:
    """Return ``text`` on one line, safe in Markdown running text and table cells."""
    one_line = " ".join(text.split())
    return _PUNCTUATION.sub(r"\\\1", html.escape(one_line, quote=False))


def code_block(text: str, language: str = "text") -> str:
    """Return ``text`` as a fenced code block that nothing inside can close."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{text}\n{fence}"


def score_text(score: Score) -> str:
    """Return a score as ``passed/of (percent)``, e.g. ``14/14 (100.0%)``."""
    percent = "n/a" if score["percent"] is None else f"{score['percent']}%"
    return f"{score['passed']}/{score['of']} ({percent})"


def _failure(result: Result) -> list[str]:
    clauses = ", ".join(result["violated"] or result["clauses"])
    known = " (known)" if "known" in result else ""
    title = html.escape(f"{result['status']}{known} {result['id'].rpartition('::')[2]}: {clauses}")
    lines = [
        "<details>",
        f"<summary>{title}</summary>",
        "",
        code_block(result["message"] or result["status"]),
    ]
    if "known" in result:
        lines += ["", f"Known failure: {md_text(result['known']['reason'])}"]
    failure = result.get("failure")
    if failure is not None and failure["counterexample"]:
        lines += ["", "Minimal example:", "", code_block(failure["counterexample"], "python")]
    lines += ["", "Replay:", "", code_block(replay_command(result["id"]), "sh"), "", "</details>", ""]
    return lines


def _interruption(report: Report) -> list[str]:
    interrupted = report["run"]["interrupted"]
    if interrupted is None:
        return []
    return [
        f"> Interrupted by {md_text(interrupted['by'])} after {len(report['results'])} of "
        f"{interrupted['planned']} tests: the others were not judged.",
        "",
    ]


def summary_markdown(report: Report) -> str:
    """Return ``report`` as Markdown: verdict, scores, areas, the failures, and the run's settings."""
    run = report["run"]
    implementation = run["implementation"]
    scores = report["scores"]
    lines = [
        f"## {report['verdict']}: {md_text(implementation['name'])} {md_text(implementation['version'])}",
        "",
        f"**{'Passed' if report['gate']['passed'] else 'Failed'}**: {md_text(report['gate']['reason'])}",
        "",
        *_interruption(report),
        "| score | passed | unsupported | untested |",
        "| --- | --- | --- | --- |",
        f"| Conformance (MUST) | {score_text(scores['conformance'])} | "
        f"{scores['conformance']['unsupported']} | {scores['conformance']['untested']} |",
        f"| Electron v0.32 compatibility (IMPL) | {score_text(scores['compatibility'])} | "
        f"{scores['compatibility']['unsupported']} | {scores['compatibility']['untested']} |",
        "",
        "| area | status | clauses |",
        "| --- | --- | --- |",
    ]
    for area in report["areas"]:
        counts = ", ".join(f"{n} {status}" for status, n in area["counts"].items())
        lines.append(f"| {area['code']}: {md_text(area['title'])} | {area['status']} | {counts} |")
    not_passing = tally.not_passing(report["results"])
    if not_passing:
        lines += ["", f"### Tests not passing ({len(not_passing)})", ""]
        for result in not_passing[:_FAILURES_SHOWN]:
            lines += _failure(result)
        if len(not_passing) > _FAILURES_SHOWN:
            lines.append(f"... and {len(not_passing) - _FAILURES_SHOWN} more: see report.html.")
    baseline = report.get("baseline")
    if baseline is not None:
        lines += [
            "",
            f"Baseline {md_text(baseline['file'])}: {len(baseline['known'])} known, "
            f"{len(baseline['unexpected'])} unexpected, {len(baseline['fixed'])} fixed.",
        ]
    lines += [
        "",
        f"Run {run['id']}: adapter {md_text(run['adapter'])}, edition {run['edition']}, "
        f"{'strict, ' if run['strict'] else ''}profile {run['profile']}, seed {run['seed']}, "
        f"{len(report['results'])} tests in {run['duration']:.0f} s; "
        f"{run['suite']['name']} {run['suite']['version']}.",
    ]
    return "\n".join(lines) + "\n"


def write_summary(report: Report, directory: Path) -> Path:
    """Write ``summary.md`` into ``directory``; return its path."""
    path = directory / SUMMARY_FILE
    write_atomically(path, summary_markdown(report).encode("utf-8", errors="backslashreplace"))
    return path
