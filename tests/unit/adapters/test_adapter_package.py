"""The public API of ``conformance.adapters`` is what its ``__all__`` says, imported on first use."""

import subprocess
import sys

import pytest

import conformance.adapters as adapters


def test_every_public_name_exists_and_is_unique() -> None:
    assert len(set(adapters.__all__)) == len(adapters.__all__)
    missing = [name for name in adapters.__all__ if not hasattr(adapters, name)]
    assert missing == []
    assert set(adapters.__all__) <= set(dir(adapters))


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="has no attribute 'Nothing'"):
        adapters.Nothing  # type: ignore[attr-defined]  # noqa: B018


def test_importing_the_package_leaves_the_schema_machinery_alone() -> None:
    code = "import sys, conformance.adapters; print('jsonschema' in sys.modules)"
    finished = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert finished.stdout.strip() == "False"
