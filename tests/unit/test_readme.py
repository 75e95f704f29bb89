"""The README tells the truth: its example is the tested one, and CI runs its test command."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _readme() -> str:
    return (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_readme_example_is_the_tested_program() -> None:
    example = (ROOT / "docs" / "examples" / "two_process.py").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", _readme(), flags=re.DOTALL)
    assert example in blocks, "README.md must show docs/examples/two_process.py verbatim"


def test_ci_runs_the_readme_test_command() -> None:
    opening = re.search(r"```sh\n(.*?)```", _readme(), flags=re.DOTALL)
    assert opening is not None, "README.md must open with a sh block of the two commands"
    commands = [line.split("#")[0].strip() for line in opening.group(1).splitlines() if line.strip()]
    assert len(commands) == 2, commands
    assert commands[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
