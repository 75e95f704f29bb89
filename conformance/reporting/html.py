"""Renders a report as one self-contained HTML page (``report.html``): what a person reads first.

Jinja2 templates (``templates/``) with autoescaping on: every string, above all
those that came from the implementation, is escaped; links are kept only when
they are http(s); the page loads nothing from the network and runs no script
(its Content-Security-Policy forbids both).
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlsplit

import jinja2

from conformance.reporting import tally
from conformance.reporting.junit import replay_command
from conformance.reporting.markdown import score_text
from conformance.reporting.report import Report, write_atomically

__all__ = ["HTML_FILE", "environment", "report_html", "write_html"]

HTML_FILE: Final = "report.html"
_GOOD: Final = frozenset({"PASS", "INFO"})
_QUIET: Final = frozenset({"UNTESTED", "UNSUPPORTED"})


def anchor(text: str) -> str:
    """Return a stable, markup-free HTML id for ``text`` (a test or clause ID)."""
    return "t-" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:12]


def pretty(value: Any) -> str:
    """Return ``value`` as indented JSON (escaped later, like any other text)."""
    return json.dumps(value, indent=2, ensure_ascii=False)


def http_url(url: str | None) -> str | None:
    """Return ``url`` if it is an http(s) URL, else None: no ``javascript:`` link ever reaches the page."""
    if url and urlsplit(url).scheme in ("http", "https"):
        return url
    return None


def tone(status: str) -> str:
    """Return the CSS class of a status: good, bad, warn or quiet."""
    if status in _GOOD:
        return "good"
    if status in _QUIET:
        return "quiet"
    return "warn" if status == "INCOMPATIBLE" else "bad"


def verdict_tone(verdict: str) -> str:
    """Return the CSS class of a verdict: good (CONFORMANT), warn (INCOMPLETE) or bad."""
    return {tally.CONFORMANT: "good", tally.INCOMPLETE: "warn"}.get(verdict, "bad")


@cache
def environment() -> jinja2.Environment:
    """Return the Jinja2 environment of the report templates (autoescaping on, undefined names fail)."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("conformance.reporting", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        anchor=anchor,
        pretty=pretty,
        http_url=http_url,
        tone=tone,
        verdict_tone=verdict_tone,
        score=score_text,
    )
    env.globals.update(replay_command=replay_command)
    return env


def report_html(report: Report) -> str:
    """Return ``report`` as a self-contained HTML page."""
    failures = tally.not_passing(report["results"])
    by_clause: dict[str, list[str]] = {}
    for result in failures:
        for clause in result["violated"] or result["clauses"]:
            by_clause.setdefault(clause, []).append(result["id"])
    template = environment().get_template("report.html.j2")
    return template.render(report=report, run=report["run"], failures=failures, failing_tests=by_clause)


def write_html(report: Report, directory: Path) -> Path:
    """Write ``report.html`` into ``directory``; return its path."""
    path = directory / HTML_FILE
    write_atomically(path, report_html(report).encode("utf-8", errors="backslashreplace"))
    return path
