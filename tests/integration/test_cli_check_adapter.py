"""``ipc-conformance check-adapter``: each step of an adapter's life checked, each mistake named."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import pytest

from conformance.cli import main

ADAPTERS = Path(__file__).resolve().parents[1] / "fakes" / "adapters"
WRONG = '''
"""In-process adapters that answer the protocol but get IPC or their claims wrong."""

from conformance.adapters import Hello


class LosesMessages:
    """Runs nothing: every trace is empty."""

    edition = "v0.32"
    capabilities = frozenset({"sendSync"})

    def hello(self):
        return Hello("loses-messages", "1", self.edition, self.capabilities, frozenset({"string"}))

    def run(self, scenario, *, timeout):
        pages = {page["id"]: [] for page in scenario["pages"]}
        return {"processes": {"main": [], **pages}}

    def reset(self, *, timeout):
        pass

    def close(self):
        pass


class ClaimsTooMuch(LosesMessages):
    """Claims an edition and a capability that do not exist."""

    edition = "v9"
    capabilities = frozenset({"telepathy"})


class BrokenTrace(LosesMessages):
    """Answers with a trace that breaks trace.schema.json."""

    def run(self, scenario, *, timeout):
        return {"events": []}
'''


def _check(adapter: str, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, list[str]]:
    code = main(["check-adapter", adapter, *extra])
    return code, capsys.readouterr().out.splitlines()


@pytest.fixture
def wrong(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Return the module name of the in-process wrong adapters."""
    (tmp_path / "wrong_adapters.py").write_text(WRONG, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    return "wrong_adapters"


def _program(name: str) -> str:
    return shlex.join([sys.executable, str(ADAPTERS / f"{name}.py")])


def test_the_reference_implementation_works(capsys: pytest.CaptureFixture[str]) -> None:
    code, lines = _check("reference", capsys)
    assert code == 0, lines
    steps = [line.split(":")[0].split(None, 1) for line in lines[1:-1]]
    assert steps == [
        ["ok", "start and handshake"],
        ["ok", "claims"],
        ["ok", "'ping' from a page to main"],
        ["ok", "sendSync answered by main"],
        ["ok", "the first scenario again, after a reset"],
        ["ok", "close"],
    ]
    assert lines[-1] == "works: the adapter speaks the protocol and passed the smoke scenarios"


def test_an_implementation_that_loses_messages_answers_wrongly(
    wrong: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, lines = _check(f"{wrong}:LosesMessages", capsys)
    assert code == 1
    problem = "'ping' from a page to main: expected main's listener m1 to get ['ping'] once from p1, got []"
    assert f"  FAIL  {problem}" in lines
    expected = "expected sendSync to return 'pong' (main assigns returnValue)"
    assert f"  FAIL  sendSync answered by main: {expected}, got 0 sendSync calls in the page's trace" in lines
    assert lines[-1] == f"answers wrongly: {problem}"


def test_claims_this_suite_does_not_know_are_named(wrong: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, lines = _check(f"{wrong}:ClaimsTooMuch", capsys)
    assert code == 1
    assert "  FAIL  claims: unknown capabilities: telepathy" in lines
    assert "  FAIL  claims: edition 'v9' is not one this suite tests" in lines


def test_a_trace_breaking_its_schema_makes_the_adapter_unusable(
    wrong: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, lines = _check(f"{wrong}:BrokenTrace", capsys)
    assert code == 2
    assert "  FAIL  'ping' from a page to main: the trace breaks trace.schema.json" in lines
    assert lines[-1] == "unusable: 'ping' from a page to main: the trace breaks trace.schema.json"


@pytest.mark.parametrize(
    ("adapter", "step", "reason"),
    [
        ("no_such_module_xyz:Adapter", "start the adapter", "cannot import module 'no_such_module_xyz'"),
        (_program("wrong_protocol"), "handshake", "the adapter speaks protocol version 2"),
        (_program("exits_at_once"), "handshake", "the adapter exited with code 3 before answering"),
    ],
    ids=["missing-module", "wrong-protocol", "exits-at-once"],
)
def test_an_adapter_that_cannot_start_is_unusable(
    adapter: str, step: str, reason: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, lines = _check(adapter, capsys)
    assert code == 2
    assert lines[1].startswith(f"  FAIL  {step}: {reason}")
    assert lines[-1].startswith(f"unusable: {step}: {reason}")


def test_a_hanging_adapter_is_unusable_after_the_timeout(capsys: pytest.CaptureFixture[str]) -> None:
    """Waits out a one-second timeout."""
    code, lines = _check(_program("hangs"), capsys, "--timeout", "1")
    assert code == 2
    assert lines[-1].startswith("unusable: 'ping' from a page to main: no answer within 1 s")
    assert "              | hanging in run" in lines  # the adapter's stderr tail
