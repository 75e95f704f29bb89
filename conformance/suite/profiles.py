"""Hypothesis effort for the suite: ``quick`` for CI, ``thorough`` for release runs.

The plugin activates a profile before the suite's modules are imported, and every
property test of the suite takes its settings from ``suite_settings``.
"""

from __future__ import annotations

from typing import Any, Final

from hypothesis import HealthCheck, settings

__all__ = ["PROFILES", "activate", "suite_settings"]

_COMMON: Final[dict[str, Any]] = {
    "deadline": None,
    "print_blob": True,
    "suppress_health_check": [
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
        HealthCheck.filter_too_much,
    ],
}
PROFILES: Final = {
    "quick": settings(max_examples=25, **_COMMON),
    "thorough": settings(max_examples=250, **_COMMON),
}
_active: settings = PROFILES["quick"]


def activate(name: str) -> None:
    """Make ``name`` the profile of the suite's property tests."""
    global _active
    if name not in PROFILES:
        raise ValueError(f"unknown profile {name!r}; expected one of {sorted(PROFILES)}")
    _active = PROFILES[name]


def suite_settings(**overrides: Any) -> settings:
    """Return the active profile's settings, with ``overrides`` (e.g. fewer examples for slow tests)."""
    if "max_examples" in overrides:
        scale = _active.max_examples / PROFILES["quick"].max_examples
        overrides["max_examples"] = max(1, round(overrides["max_examples"] * scale))
    return settings(_active, **overrides)
