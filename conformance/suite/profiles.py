"""Hypothesis effort for the suite: ``quick`` for CI, ``thorough`` for release runs.

The plugin activates a profile before the suite's modules are imported, and every
property test of the suite takes its settings from ``suite_settings``.
"""

from __future__ import annotations

from typing import Any, Final

from hypothesis import HealthCheck, Phase, settings

__all__ = ["PROFILES", "activate", "suite_settings"]

_COMMON: Final[dict[str, Any]] = {
    "deadline": None,
    "print_blob": True,
    # No example database: a run is decided by its seed alone (and a failure replays from its
    # blob), not by what earlier runs in the same folder happened to find.
    "database": None,
    # No explain phase: once a test fails, it traces every later example with sys.settrace,
    # which on Python 3.11 makes shrinking a failure 50-100 times slower (minutes per test).
    "phases": tuple(phase for phase in Phase if phase is not Phase.explain),
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


def activate(name: str, *, max_examples: int | None = None) -> None:
    """Make ``name`` the profile of the suite's property tests.

    ``max_examples`` replaces the profile's example count; every test's own count
    scales with it as it does between profiles (the benchmarks use this to measure
    how a run grows with the example count).
    """
    global _active
    if name not in PROFILES:
        raise ValueError(f"unknown profile {name!r}; expected one of {sorted(PROFILES)}")
    if max_examples is not None and (
        isinstance(max_examples, bool) or not isinstance(max_examples, int) or max_examples < 1
    ):
        raise ValueError(f"max_examples={max_examples!r} must be a positive int, e.g. max_examples=50")
    _active = PROFILES[name] if max_examples is None else settings(PROFILES[name], max_examples=max_examples)


def suite_settings(**overrides: Any) -> settings:
    """Return the active profile's settings, with ``overrides`` (e.g. fewer examples for slow tests)."""
    if "max_examples" in overrides:
        scale = _active.max_examples / PROFILES["quick"].max_examples
        overrides["max_examples"] = max(1, round(overrides["max_examples"] * scale))
    return settings(_active, **overrides)
