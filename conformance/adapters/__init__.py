"""The adapter boundary: how the suite reaches an implementation, in-process or in a subprocess.

Scenarios go in and traces come out through an ``Adapter``; ``load_adapter`` builds
one from a spec, ``serve`` puts an in-process adapter behind the subprocess protocol.
Names are imported on first use, so that processes which only need a submodule
(e.g. the reference implementation's pages) do not pay for the JSON Schema machinery.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from conformance.adapters.errors import (
        AdapterCrashed,
        AdapterError,
        AdapterReportedError,
        AdapterStartError,
        AdapterTimeout,
        HandshakeError,
        MessageError,
        ProtocolError,
        Step,
    )
    from conformance.adapters.loader import load_adapter
    from conformance.adapters.protocol import PROTOCOL_VERSION, Adapter, Hello
    from conformance.adapters.serve import serve
    from conformance.adapters.subprocess_adapter import SubprocessAdapter

__all__ = [
    "PROTOCOL_VERSION",
    "Adapter",
    "AdapterCrashed",
    "AdapterError",
    "AdapterReportedError",
    "AdapterStartError",
    "AdapterTimeout",
    "HandshakeError",
    "Hello",
    "MessageError",
    "ProtocolError",
    "Step",
    "SubprocessAdapter",
    "load_adapter",
    "serve",
]

_ERRORS = "conformance.adapters.errors"
_PROTOCOL = "conformance.adapters.protocol"
_HOMES = {
    "PROTOCOL_VERSION": _PROTOCOL,
    "Adapter": _PROTOCOL,
    "Hello": _PROTOCOL,
    "AdapterCrashed": _ERRORS,
    "AdapterError": _ERRORS,
    "AdapterReportedError": _ERRORS,
    "AdapterStartError": _ERRORS,
    "AdapterTimeout": _ERRORS,
    "HandshakeError": _ERRORS,
    "MessageError": _ERRORS,
    "ProtocolError": _ERRORS,
    "Step": _ERRORS,
    "SubprocessAdapter": "conformance.adapters.subprocess_adapter",
    "load_adapter": "conformance.adapters.loader",
    "serve": "conformance.adapters.serve",
}


if not TYPE_CHECKING:  # mypy sees the imports above, so a misspelt name stays an error

    def __getattr__(name: str) -> Any:
        """Return the public name ``name``, importing the module that defines it."""
        if (home := _HOMES.get(name)) is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(home), name)
        globals()[name] = value
        return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
