"""The README tells the truth: its example is the tested one, CI runs its test command, its commands parse."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml

from conformance.cli import parser

ROOT = Path(__file__).resolve().parents[2]
_COMMAND = re.compile(r"(?<![\w-])ipc-conformance (?P<argv>[a-z].*)")


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


def _commands() -> list[list[str]]:
    """Return every ``ipc-conformance`` command of the README's sh and yaml blocks, split as a shell would."""
    blocks = re.findall(r"```(?:sh|yaml)\n(.*?)```", _readme(), flags=re.DOTALL)
    found = []
    for block in blocks:
        for line in block.splitlines():
            if (command := _COMMAND.search(line)) is not None:
                found.append(shlex.split(command["argv"].split(" #")[0].split(" ||")[0]))
    return found


def test_every_command_the_readme_shows_parses() -> None:
    commands = _commands()
    shown = {argv[0] for argv in commands}
    assert shown >= {"run", "clauses", "check-adapter", "compare", "replay", "render"}, shown
    for argv in commands:
        try:
            parser().parse_args(argv)
        except SystemExit:
            pytest.fail(f"README shows a command that does not parse: ipc-conformance {shlex.join(argv)}")


def test_the_github_actions_snippet_gates_on_the_run() -> None:
    (block,) = re.findall(r"```yaml\n(.*?)```", _readme(), flags=re.DOTALL)
    steps = yaml.safe_load(block)["jobs"]["ipc-conformance"]["steps"]
    runs = [step["run"] for step in steps if "run" in step]
    (gate,) = [run for run in runs if run.startswith("ipc-conformance run ")]
    assert not any("if" in step for step in steps if step.get("run") == gate)  # it runs, and fails the job
    assert any(step.get("if", "").startswith("always()") for step in steps if "uses" in step)  # report kept
