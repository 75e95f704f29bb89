"""``load_adapter``: from a spec to an adapter, with clear messages for what cannot be loaded."""

from __future__ import annotations

import sys
import textwrap
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conformance.adapters import loader
from conformance.adapters.errors import AdapterStartError
from conformance.adapters.loader import load_adapter

MODULE = "loader_test_adapters"
SOURCE = """
from conformance.adapters.protocol import Hello

class Good:
    def hello(self):
        return Hello("good", "1", "v0.32", frozenset(), frozenset())
    def run(self, scenario, *, timeout):
        return {"processes": {"main": []}}
    def reset(self, *, timeout):
        pass
    def close(self):
        pass

class Partial:
    def hello(self):
        pass
    def close(self):
        pass

class Exploding(Good):
    def __init__(self):
        raise RuntimeError("no device")

NOT_A_CLASS = 3
"""


@pytest.fixture
def adapters_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Return the name of an importable module of adapter classes, good and bad."""
    (tmp_path / f"{MODULE}.py").write_text(textwrap.dedent(SOURCE))
    (tmp_path / "unimportable_adapters.py").write_text("raise ImportError('needs libfoo')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield MODULE
    for name in (MODULE, "unimportable_adapters"):
        sys.modules.pop(name, None)


def test_a_module_class_spec_gives_an_instance(adapters_module: str) -> None:
    adapter = load_adapter(f"{adapters_module}:Good")
    assert type(adapter).__name__ == "Good"
    assert adapter.hello().name == "good"


@pytest.mark.parametrize(
    ("spec", "says"),
    [
        (
            "unimportable_adapters:Good",
            "cannot import module 'unimportable_adapters': ImportError: needs libfoo",
        ),
        ("no_such_module_here:Good", "cannot import module 'no_such_module_here': ModuleNotFoundError"),
        (f"{MODULE}:Missing", f"module '{MODULE}' has no class 'Missing'"),
        (f"{MODULE}:NOT_A_CLASS", f"module '{MODULE}' has no class 'NOT_A_CLASS'"),
        (f"{MODULE}:Partial", "Partial is not an adapter: it lacks run, reset"),
        (f"{MODULE}:Exploding", "Exploding() failed: RuntimeError: no device"),
    ],
)
def test_what_cannot_be_loaded_is_said_clearly(adapters_module: str, spec: str, says: str) -> None:
    with pytest.raises(AdapterStartError) as caught:
        load_adapter(spec)
    assert says in str(caught.value)
    assert caught.value.implementation == spec
    assert caught.value.hint


def test_reference_is_imported_lazily_and_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    reference = types.ModuleType(loader.REFERENCE_MODULE)

    class ReferenceAdapter:
        def hello(self) -> None: ...
        def run(self, scenario: Any, *, timeout: float) -> None: ...
        def reset(self, *, timeout: float) -> None: ...
        def close(self) -> None: ...

    reference.ReferenceAdapter = ReferenceAdapter  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, loader.REFERENCE_MODULE, reference)
    assert isinstance(load_adapter("reference"), ReferenceAdapter)


@pytest.mark.parametrize(
    ("spec", "argv"),
    [
        ("reference-subprocess", [sys.executable, "-m", "conformance.adapters.reference"]),
        ("node 'my adapter.js' --fast", ["node", "my adapter.js", "--fast"]),
        ("./adapter", ["./adapter"]),
    ],
)
def test_other_specs_are_subprocess_commands(
    monkeypatch: pytest.MonkeyPatch, spec: str, argv: list[str]
) -> None:
    started: list[list[str]] = []

    class Recorded:
        def __init__(self, argv: list[str], **options: Any) -> None:
            started.append(argv)

    monkeypatch.setattr(loader, "SubprocessAdapter", Recorded)
    assert isinstance(load_adapter(spec), Recorded)
    assert started == [argv]


def test_a_command_that_does_not_exist_is_a_start_error() -> None:
    with pytest.raises(AdapterStartError, match="command not found: '/no/such dir/adapter'"):
        load_adapter("'/no/such dir/adapter' --flag")


@pytest.mark.parametrize(
    ("spec", "says"), [('node "unclosed', "cannot split the command line"), ("  ", "empty")]
)
def test_a_spec_that_is_no_command_line_is_a_start_error(spec: str, says: str) -> None:
    with pytest.raises(AdapterStartError, match=says):
        load_adapter(spec)
