"""Nothing an implementation sends is evaluated or unpickled: no such call exists in the suite's code.

What an adapter sends (handshakes, traces, error text) travels through
``conformance/`` as JSON data into the reports.  This test reads the package's
source and fails on any call that would run data as code or revive objects from
bytes: ``eval``, ``exec``, ``compile``, ``ast.literal_eval``, pickle and its
kin, YAML's unsafe loaders, and Jinja2 templates made from strings.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Final

import pytest

import conformance

PACKAGE: Final = Path(conformance.__file__).resolve().parent
FORBIDDEN_MODULES: Final = frozenset(
    {"pickle", "cPickle", "_pickle", "dill", "marshal", "shelve", "jsonpickle"}
)
FORBIDDEN_NAMES: Final = frozenset({"eval", "exec", "compile", "literal_eval", "__import__"})
FORBIDDEN_ATTRIBUTES: Final = frozenset({"literal_eval", "unsafe_load", "full_load", "from_string"})
_SAFE_YAML: Final = frozenset({"SafeLoader", "CSafeLoader"})


def _problems(source: str) -> list[str]:
    """Return what in ``source`` runs data as code or unpickles it, one line each."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import | ast.ImportFrom):
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            found += [
                f"line {node.lineno}: imports {m}" for m in modules if m.split(".")[0] in FORBIDDEN_MODULES
            ]
        if not isinstance(node, ast.Call):
            continue
        function = node.func
        if isinstance(function, ast.Name) and function.id in FORBIDDEN_NAMES:
            found.append(f"line {node.lineno}: calls {function.id}")
        if isinstance(function, ast.Attribute):
            if function.attr in FORBIDDEN_ATTRIBUTES:
                found.append(f"line {node.lineno}: calls .{function.attr}")
            if (
                function.attr == "load"
                and isinstance(function.value, ast.Name)
                and function.value.id == "yaml"
            ):
                loader = next((k.value for k in node.keywords if k.arg == "Loader"), None)
                safe = isinstance(loader, ast.Attribute) and loader.attr in _SAFE_YAML
                if not safe:
                    found.append(f"line {node.lineno}: calls yaml.load without a safe loader")
    return found


@pytest.mark.parametrize(
    "source",
    [
        "import pickle",
        "from marshal import loads",
        "eval(text)",
        "ast.literal_eval(text)",
        "yaml.load(text)",
        "yaml.unsafe_load(text)",
        "env.from_string(name)",
    ],
)
def test_the_check_finds_each_kind_of_evaluation(source: str) -> None:
    assert _problems(source), source


def test_safe_loading_passes_the_check() -> None:
    assert _problems("json.loads(text); yaml.safe_load(text); yaml.load(text, Loader=yaml.SafeLoader)") == []


def test_the_suite_never_evaluates_or_unpickles() -> None:
    modules = sorted(PACKAGE.rglob("*.py"))
    assert len(modules) > 30, "the package was not found"
    found = {
        str(path.relative_to(PACKAGE)): problems
        for path in modules
        if (problems := _problems(path.read_text(encoding="utf-8")))
    }
    assert found == {}
