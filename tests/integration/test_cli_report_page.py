"""report.html in a real browser: headless Chromium (Debian's ``chromium``, installed by ``.ci/run``).

The page of the markup fake's failing run (``cli_runs.markup_run``) must load with
no console message at all (no script error, nothing blocked), show the verdict and
the failure's details, and keep a screenshot beside the report.  The fake's name,
version, homepage, a value and a channel carry script and markup payloads that log
``PWNED`` if they ever run: a page built from them unescaped shows that Chromium
would report it here, and the report's page, even stripped of its
Content-Security-Policy, and the comparison page must not.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Final

import pytest
from cli_runs import Run, cli, markup_run
from fakes.markup_reference import (
    CHANNEL_PAYLOAD,
    NAME,
    NAME_PAYLOAD,
    RAN,
    VALUE_PAYLOAD,
    VERSION,
)

CHROMIUM: Final = "chromium"
BROWSER_TIMEOUT: Final = 180
"""Seconds: a bound only a hung browser reaches (a page takes a second or two)."""
CSP: Final = (
    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
)


@pytest.fixture
def failing(tmp_path_factory: pytest.TempPathFactory) -> Run:
    return markup_run(tmp_path_factory)


def _chromium() -> str:
    found = shutil.which(CHROMIUM)
    if found is None:
        pytest.skip("Chromium is not installed (Debian's chromium package; .ci/run installs it)")
    return found


class _Dom(HTMLParser):
    """The elements of a page and the text inside chosen elements (by id or last class)."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[str] = []
        self.texts: dict[str, str] = {}
        self._open: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [name for name, _ in attrs]
        if tag in ("h1", "pre", "p"):  # text of elements inside them counts for them
            named = dict(attrs)
            self._open.append(named.get("id") or (named.get("class") or "").split(" ")[-1])

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h1", "pre", "p") and self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if self._open and self._open[-1]:
            self.texts[self._open[-1]] = self.texts.get(self._open[-1], "") + data


def _open(page: Path, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Load ``page`` in headless Chromium with console messages logged to stderr."""
    command = [
        _chromium(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--enable-logging=stderr",
        "--v=0",
        f"--user-data-dir={profile}",
        *args,
        page.as_uri(),
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=BROWSER_TIMEOUT)


def _console(loaded: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in loaded.stderr.splitlines() if ":CONSOLE" in line]


def test_chromium_shows_a_payload_that_runs(tmp_path: Path) -> None:
    """The control: the payloads, written into a page unescaped, do log to the console here."""
    page = tmp_path / "unescaped.html"
    body = f'<p>{NAME_PAYLOAD}</p><p>{VERSION}</p><a href="{CHANNEL_PAYLOAD}">x</a>'
    page.write_text(f"<!DOCTYPE html><html><body>{body}</body></html>", encoding="utf-8")
    loaded = _open(page, tmp_path / "profile", "--dump-dom")
    assert loaded.returncode == 0, loaded.stderr
    ran = [line for line in _console(loaded) if RAN in line]
    assert len(ran) >= 3, f"the payloads did not log to the console:\n{loaded.stderr[-3000:]}"


def test_the_page_loads_cleanly_with_the_verdict_and_the_failure(failing: Run, tmp_path: Path) -> None:
    """Two Chromium runs (seconds): the DOM and console messages, then a screenshot beside the report."""
    assert failing.returncode == 1, failing.output
    report = failing.cwd / "report"
    page = tmp_path / "report" / "report.html"  # a copy, so the shared report folder stays as written
    shutil.copytree(report, page.parent)
    loaded = _open(page, tmp_path / "profile", "--dump-dom")
    assert loaded.returncode == 0, loaded.stderr
    assert _console(loaded) == [], "the page logged to the console (a script error, a blocked script or load)"
    dom = _Dom(loaded.stdout)
    assert "script" not in dom.tags and "img" not in dom.tags
    assert dom.texts["verdict"] == "NOT CONFORMANT"
    assert " ".join(dom.texts["implementation"].split()).startswith(f"{NAME} {VERSION}")
    assert "args=[''" in dom.texts["counterexample"]
    assert CHANNEL_PAYLOAD.replace('"', '\\"') in dom.texts["trace"]
    assert f"observed: ({VALUE_PAYLOAD!r})" in dom.texts["message"]
    assert "javascript:" not in loaded.stdout  # the homepage is no http(s) URL: neither link nor text

    shot = page.parent / "report.png"
    taken = _open(page, tmp_path / "profile", f"--screenshot={shot}", "--window-size=1280,2000")
    assert taken.returncode == 0, taken.stderr
    header = shot.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", header[16:24]) == (1280, 2000)


def test_nothing_from_the_implementation_runs_even_without_the_page_s_policy(
    failing: Run, tmp_path: Path
) -> None:
    """The escaping alone must hold: the Content-Security-Policy is a second line, taken away here."""
    source = (failing.cwd / "report" / "report.html").read_text(encoding="utf-8")
    assert CSP in source
    page = tmp_path / "report.html"
    page.write_text(source.replace(CSP, ""), encoding="utf-8")
    loaded = _open(page, tmp_path / "profile", "--dump-dom")
    assert loaded.returncode == 0, loaded.stderr
    assert [line for line in _console(loaded) if RAN in line] == []
    dom = _Dom(loaded.stdout)
    assert "script" not in dom.tags and "img" not in dom.tags
    assert not [name for name in dom.attributes if name.startswith("on")]


def test_the_comparison_page_runs_nothing_either(failing: Run, tmp_path: Path) -> None:
    page = tmp_path / "matrix.html"
    made = cli(tmp_path, "compare", str(failing.cwd / "report"), "--format", "html", "-o", str(page))
    assert made.returncode == 0, made.stderr
    loaded = _open(page, tmp_path / "profile", "--dump-dom")
    assert loaded.returncode == 0, loaded.stderr
    assert _console(loaded) == []
    dom = _Dom(loaded.stdout)
    assert "script" not in dom.tags and "img" not in dom.tags
    assert NAME in loaded.stdout.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def test_ci_installs_chromium() -> None:
    """.ci/run installs Debian's chromium, so that these tests run there rather than skip."""
    script = (Path(__file__).resolve().parents[2] / ".ci" / "run").read_text(encoding="utf-8")
    assert "apt-get install -y chromium" in script and "/usr/bin/chromium --version" in script
