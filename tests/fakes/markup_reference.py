"""The reference implementation with markup in what it reports: fixture material for report rendering.

``MarkupReference`` runs every scenario on the real reference implementation, then
changes what main's deliveries carry: a delivery with a string argument (at any
depth) gets its first string replaced by a script tag and its channel by an
attribute breakout.  Its name, version and homepage are hostile too: a script tag,
a template expression with an ``onerror`` image, a ``javascript:`` URL.  Every
payload, if it ever ran in a browser, would log a message starting with ``PWNED``
to the console.  A report of a run against it has failures whose every
implementation-provided string must come out as text.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Final

from conformance.adapters.protocol import Hello
from conformance.adapters.reference.adapter import ReferenceAdapter

__all__ = [
    "CHANNEL_PAYLOAD",
    "HOMEPAGE_PAYLOAD",
    "NAME",
    "NAME_PAYLOAD",
    "RAN",
    "VALUE_PAYLOAD",
    "VERSION",
    "MarkupReference",
]

RAN: Final = "PWNED"
"""What every payload logs if it runs."""
NAME_PAYLOAD: Final = f"<script>console.log('{RAN} by the name')</script>"
NAME: Final = f"{NAME_PAYLOAD} markup-reference"
VERSION: Final = f"{{{{ 7 * 7 }}}}<img src=x onerror=\"console.log('{RAN} by the version')\">"
HOMEPAGE_PAYLOAD: Final = f"javascript:console.log('{RAN} by the homepage')"
VALUE_PAYLOAD: Final = f"<script>console.log('{RAN} by a value')</script>"
CHANNEL_PAYLOAD: Final = f"\"'><img src=x onerror=\"console.log('{RAN} by a channel')\">"


class MarkupReference(ReferenceAdapter):
    """The reference implementation, reporting markup instead of the first string main receives."""

    def hello(self) -> Hello:
        """Return the reference's handshake under a name, version and homepage that are markup."""
        real = super().hello()
        return Hello(
            name=NAME,
            version=VERSION,
            edition=real.edition,
            capabilities=real.capabilities,
            value_kinds=real.value_kinds,
            language=real.language,
            homepage=HOMEPAGE_PAYLOAD,
        )

    def run(self, scenario: Mapping[str, Any], *, timeout: float) -> dict[str, Any]:
        """Return the reference's trace with main's first string argument and channel replaced."""
        trace = super().run(scenario, timeout=timeout)
        for event in trace["processes"]["main"]:
            string = next(_strings(event.get("args", [])), None)
            if event["type"] == "deliver" and string is not None:
                string["value"] = VALUE_PAYLOAD
                event["channel"] = CHANNEL_PAYLOAD
        return trace


def _strings(node: object) -> Iterator[dict[str, Any]]:
    """Yield the encoded strings in ``node`` (value.schema.json), depth first."""
    if isinstance(node, dict):
        if node.get("type") == "string":
            yield node
        for child in node.values():
            yield from _strings(child)
    elif isinstance(node, list):
        for child in node:
            yield from _strings(child)
