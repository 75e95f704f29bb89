"""A minimal in-process adapter, served over the subprocess protocol when run as a script.

``EchoAdapter.run`` records a ``mark`` event for each ``mark`` step of the main
script, then ``script-end``; any other step is refused with ``ValueError`` (an error
answer).  It prints to stdout on purpose: ``serve`` must keep that off the protocol.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from typing import Any

from conformance.adapters import Hello, serve


class EchoAdapter:
    """Echoes the marks of a scenario's main script as a trace."""

    def __init__(self) -> None:
        self.resets = 0
        self.closed = False

    def hello(self) -> Hello:
        """Return a fixed identity."""
        return Hello(
            name="echo",
            version="1.0",
            edition="v0.32",
            capabilities=frozenset({"timers"}),
            value_kinds=frozenset({"null", "string"}),
            language="python",
        )

    def run(self, scenario: Mapping[str, Any], *, timeout: float) -> dict[str, Any]:
        """Return a trace with one ``mark`` event per ``mark`` step of the main script."""
        print("a stray print from the adapter")
        os.write(1, b"stray bytes on file descriptor 1\n")
        events: list[dict[str, Any]] = []
        for step in scenario["main"].get("script", []):
            if step["op"] != "mark":
                raise ValueError(f"echo cannot do {step['op']!r}")
            events.append({"type": "mark", "t": float(len(events)), "label": step["label"]})
        events.append({"type": "script-end", "t": float(len(events))})
        return {"processes": {"main": events}}

    def reset(self, *, timeout: float) -> None:
        """Count resets."""
        self.resets += 1

    def close(self) -> None:
        """Remember being closed."""
        self.closed = True


if __name__ == "__main__":
    sys.exit(serve(EchoAdapter))
