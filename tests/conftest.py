"""Shared configuration of the project's own tests: the ``clause`` marker."""

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "clause(*ids): the SEMANTICS.md clause IDs this test checks"
    )
