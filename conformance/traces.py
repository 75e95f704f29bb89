"""Reads traces: what each process observed while a scenario ran (trace.schema.json).

``Trace.from_json`` validates an adapter's trace and decodes its values into the
value model, so that checks can query deliveries, calls and timers per process.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from conformance.schemas import validator_for
from conformance.values.codec import decode, decode_list
from conformance.values.model import Value

__all__ = ["Call", "Event", "Trace"]

_NOTHING: Any = object()


@dataclass(frozen=True)
class Event:
    """One observation of one process, with its values decoded.

    ``fields`` holds the event's other members as in the trace (``listener``,
    ``channel``, ``origin`` ...); ``args`` and ``value`` are decoded.
    """

    process: str
    position: int
    type: str
    t: float
    fields: Mapping[str, Any]
    args: list[Value] = field(default_factory=list)
    value: Value = None
    has_value: bool = False

    def get(self, name: str, default: Any = None) -> Any:
        """Return the member ``name`` of the event, or ``default``."""
        return self.fields.get(name, default)

    @property
    def origin(self) -> tuple[str | None, int | None, int]:
        """Return the event's origin as (listener, call, index); listener is None for a script step."""
        origin = self.fields["origin"]
        return (origin.get("listener"), origin.get("call"), origin["index"])


@dataclass(frozen=True)
class Call:
    """A call step: its start event and, unless it never returned, its end event."""

    start: Event
    end: Event | None

    @property
    def returned(self) -> bool:
        """Return whether the call ended with a value (not blocked, not thrown)."""
        return self.end is not None and self.end.has_value

    @property
    def error(self) -> Mapping[str, str] | None:
        """Return the error the call threw, if it threw."""
        return None if self.end is None else self.end.get("error")


def _decode_event(process: str, position: int, doc: Mapping[str, Any]) -> Event:
    args: list[Value] = []
    value: Value = None
    has_value = False
    if "args" in doc:
        args = decode_list(doc["args"])
    if "value" in doc:
        value, has_value = decode(doc["value"]), True
    fields = {k: v for k, v in doc.items() if k not in ("type", "t", "args", "value")}
    if doc["type"] == "host-message":
        fields["channel"] = decode(doc["channel"])
    return Event(process, position, doc["type"], float(doc["t"]), fields, args, value, has_value)


@dataclass(frozen=True)
class Trace:
    """A decoded trace: events by process, each list in that process's order."""

    processes: Mapping[str, list[Event]]
    raw: Mapping[str, Any]

    @classmethod
    def from_json(cls, doc: Mapping[str, Any]) -> Trace:
        """Return the trace ``doc``, validated against trace.schema.json and decoded."""
        validator_for("trace.schema.json").validate(doc)
        processes = {
            name: [_decode_event(name, i, event) for i, event in enumerate(events)]
            for name, events in doc["processes"].items()
        }
        return cls(processes, doc)

    def events(self, process: str, type: str | None = None) -> list[Event]:
        """Return the events of ``process`` (of one ``type`` if given), in order."""
        events = self.processes.get(process, [])
        return [e for e in events if type is None or e.type == type]

    def all_events(self) -> Iterator[Event]:
        """Yield every event of every process."""
        for events in self.processes.values():
            yield from events

    def deliveries(self, process: str, listener: str | None = None) -> list[Event]:
        """Return the ``deliver`` events of ``process`` (to one listener if given)."""
        return [
            e for e in self.events(process, "deliver") if listener is None or e.get("listener") == listener
        ]

    def host_messages(self, process: str) -> list[Event]:
        """Return the ``host-message`` events of the embedder ``process``."""
        return self.events(process, "host-message")

    def calls(self, process: str, op: str | None = None) -> list[Call]:
        """Return the calls of ``process`` (of one ``op`` if given), pairing starts with ends."""
        ends: dict[tuple[Any, ...], Event] = {}
        for event in self.events(process, "call-end"):
            ends.setdefault(event.origin, event)
        return [
            Call(start, ends.get(start.origin))
            for start in self.events(process, "call-start")
            if op is None or start.get("op") == op
        ]

    def call(self, process: str, index: int) -> Call:
        """Return the call made by step ``index`` of the script of ``process``."""
        for call in self.calls(process):
            if call.start.origin == (None, None, index):
                return call
        raise LookupError(f"no call by step {index} of the script of {process!r} in the trace")
