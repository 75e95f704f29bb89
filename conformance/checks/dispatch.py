"""A model of one process's ``ipc`` emitter, to predict which listeners each message must reach.

Node's EventEmitter as CH-3 and CH-8 describe it: listeners run in registration
order; the list is taken when a message is dispatched (a listener added meanwhile
is not called for it, one removed meanwhile still is); a ``once`` listener is
removed just before it runs; a listener that throws stops the rest.  Replaying a
trace's messages through the model, with the scripted actions of the listeners
that ran, gives the listener calls every message must have produced (ORD-6).

What throws out of a listener: a ``throw`` action, and on a sendSync message an
assignment of ``returnValue`` that throws in main (RET-3), when the edition says so.
Calls (``webContentsSend``, ``reply``, ``webviewSend``...) never do, even when the
call throws (M2R-7, HOST-6): a scenario records their exception, and the listener
goes on (scenario.schema.json).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from conformance.values.codec import decode
from conformance.values.model import Value

__all__ = ["EmitterModel", "Registration", "expected_calls"]


@dataclass(frozen=True)
class Registration:
    """One ``on``/``once`` registration of a scenario listener."""

    listener_id: str
    channel: str
    once: bool
    actions: tuple[Mapping[str, Any], ...]

    @classmethod
    def from_json(cls, doc: Mapping[str, Any]) -> Registration:
        """Return the registration of a scenario listener document."""
        return cls(doc["id"], doc["channel"], bool(doc.get("once", False)), tuple(doc.get("actions", ())))

    @property
    def throws(self) -> bool:
        """Return whether the listener has a ``throw`` action (it always throws out of the listener)."""
        return any(action["op"] == "throw" for action in self.actions)


def _never(value: Value) -> bool:
    return False


@dataclass
class EmitterModel:
    """The listeners of one process, by channel, in registration order.

    ``assignment_throws`` tells whether assigning a value to a sync event's
    ``returnValue`` throws (RET-3; the edition's rule); by default it never does.
    """

    by_channel: dict[str, list[Registration]] = field(default_factory=dict)
    assignment_throws: Callable[[Value], bool] = _never

    def add(self, registration: Registration) -> None:
        """Register ``registration`` last on its channel."""
        self.by_channel.setdefault(registration.channel, []).append(registration)

    def remove(self, listener_id: str) -> None:
        """Remove the most recent registration of ``listener_id`` (``removeListener``)."""
        for registrations in self.by_channel.values():
            for i in range(len(registrations) - 1, -1, -1):
                if registrations[i].listener_id == listener_id:
                    del registrations[i]
                    return

    def remove_all(self, channel: str | None) -> None:
        """Remove every registration of ``channel``, or of every channel (``removeAllListeners``)."""
        if channel is None:
            self.by_channel.clear()
        else:
            self.by_channel.pop(channel, None)

    def dispatch(self, channel: str, *, sync: bool = False) -> list[str]:
        """Dispatch one message on ``channel`` (a sendSync one if ``sync``); return the listeners that run.

        Applies what those listeners do to the emitter as they run (adding and
        removing listeners), and stops after a listener that throws.
        """
        snapshot = list(self.by_channel.get(channel, ()))
        called = []
        for registration in snapshot:
            if registration.once:
                self._forget(registration)
            called.append(registration.listener_id)
            for action in registration.actions:
                if action["op"] == "throw" or (sync and self._assignment_throws(action)):
                    return called
                self.apply(action)
        return called

    def _assignment_throws(self, action: Mapping[str, Any]) -> bool:
        """Return whether ``action`` assigns ``returnValue`` now (not from a timer) a value that throws."""
        if action["op"] != "return" or "afterMs" in action or action.get("echo"):
            return False  # an echo assigns the received arguments: an array JSON always carries
        return self.assignment_throws(decode(action["value"]))

    def _forget(self, registration: Registration) -> None:
        registrations = self.by_channel.get(registration.channel, [])
        for i, candidate in enumerate(registrations):
            if candidate is registration:
                del registrations[i]
                return

    def apply(self, action: Mapping[str, Any]) -> None:
        """Apply an ``on``/``removeListener``/``removeAllListeners`` action; ignore the others."""
        match action["op"]:
            case "on":
                self.add(Registration.from_json(action["listener"]))
            case "removeListener":
                self.remove(action["id"])
            case "removeAllListeners":
                self.remove_all(action.get("channel"))


def expected_calls(
    listeners: Iterable[Mapping[str, Any]],
    channels: Sequence[str],
    observed: Sequence[Sequence[str]] | None = None,
) -> list[list[str]]:
    """Return, for each message dispatched on ``channels`` in that order, the listeners it must reach.

    ``listeners`` are the scenario's listener documents installed before the script.
    With ``observed`` (the listeners each message reached), a message that reached none
    although it had listeners is taken as lost: it changes no listener for the next
    ones, so that only the loss (ORD-6) shows, not what follows from it.
    """
    model = EmitterModel()
    for doc in listeners:
        model.add(Registration.from_json(doc))
    expected = []
    for n, channel in enumerate(channels):
        before = {key: list(registrations) for key, registrations in model.by_channel.items()}
        expected.append(model.dispatch(channel))
        if observed is not None and expected[-1] and not observed[n]:
            model.by_channel = before
    return expected
