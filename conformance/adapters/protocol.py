"""The adapter seam: how the suite hands a scenario to an implementation and gets its trace back.

Every way of reaching an implementation (an in-process Python class, a subprocess
speaking JSON lines) is an ``Adapter``; the runner sees nothing else.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

__all__ = ["PROTOCOL_VERSION", "Adapter", "Hello"]

PROTOCOL_VERSION = 1


@dataclass(frozen=True)
class Hello:
    """An implementation's identity and what it claims (the result of ``hello``)."""

    name: str
    version: str
    edition: str
    capabilities: frozenset[str]
    value_kinds: frozenset[str]
    language: str | None = None
    homepage: str | None = None
    protocol: int = PROTOCOL_VERSION


@runtime_checkable
class Adapter(Protocol):
    """A connection to one implementation, kept alive across many scenarios.

    Methods raise ``conformance.adapters.errors.AdapterError`` subclasses when the
    implementation or the adapter misbehaves.  Subprocess adapters also have
    ``restart()``, to recover after such an error.
    """

    def hello(self) -> Hello:
        """Return the implementation's identity and claims."""
        ...

    def run(self, scenario: Mapping[str, Any], *, timeout: float) -> dict[str, Any]:
        """Return the trace (JSON data, trace.schema.json) of ``scenario`` run from a clean state."""
        ...

    def reset(self, *, timeout: float) -> None:
        """Bring the implementation back to a clean state."""
        ...

    def close(self) -> None:
        """End the session and leave no process behind; calling it again does nothing."""
        ...
