"""Every concrete adapter satisfies the ``Adapter`` protocol, for mypy and at runtime.

The assignments below are the static check: ``mypy --strict`` fails on this module
if a class drifts from the protocol; the last test runs mypy on it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conformance.adapters import Adapter, SubprocessAdapter

_subprocess_adapter: type[Adapter] = SubprocessAdapter

CONCRETE_ADAPTERS: list[type[Adapter]] = [SubprocessAdapter]


class NotAnAdapter:
    """Has everything but ``run``."""

    def hello(self) -> None: ...

    def reset(self, *, timeout: float) -> None: ...

    def close(self) -> None: ...


@pytest.mark.parametrize("kind", CONCRETE_ADAPTERS, ids=lambda kind: kind.__name__)
def test_concrete_adapters_satisfy_the_protocol_at_runtime(kind: type[Adapter]) -> None:
    assert issubclass(kind, Adapter)


def test_a_class_without_run_is_no_adapter() -> None:
    assert not issubclass(NotAnAdapter, Adapter)


def test_mypy_accepts_this_module() -> None:
    api = pytest.importorskip("mypy.api")
    root = Path(__file__).resolve().parents[3]
    stdout, stderr, status = api.run(["--config-file", str(root / "pyproject.toml"), __file__])
    assert status == 0, stdout + stderr
