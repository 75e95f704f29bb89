"""Node's EventEmitter, as Electron v0.32's ``ipc`` modules use it on both sides.

Main's ``ipc``, each page's ``ipc`` and each ``WebContents`` are one of these.
Listeners run synchronously in registration order (CH-3); ``emit`` works on a
copy of the listener list, so a listener added during an emit is not called for
it and one removed during an emit still is; a listener that raises stops the
rest and the exception leaves ``emit``; ``'error'`` with no listener raises
(CH-6). Event names become property keys with ``String()`` (CH-5).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final, Self

from conformance.values.model import JSSymbol
from reference_impl.js_rules import property_key

__all__ = ["EventEmitter", "Listener", "UnhandledErrorEvent"]

Listener = Callable[..., object]


class UnhandledErrorEvent(Exception):
    """Raised by ``emit('error', ...)`` when nothing listens to ``'error'`` (Node's message)."""

    def __init__(self) -> None:
        super().__init__('Uncaught, unspecified "error" event.')


@dataclass(eq=False)
class _Registration:
    listener: Listener
    once: bool
    fired: bool = False


class _AllEvents:
    def __repr__(self) -> str:
        return "ALL_EVENTS"


_ALL_EVENTS: Final = _AllEvents()


class EventEmitter:
    """Listeners per event name, with Node's EventEmitter semantics."""

    def __init__(self) -> None:
        self._registrations: dict[str | JSSymbol, list[_Registration]] = {}

    def on(self, event: object, listener: Listener) -> Self:
        """Add ``listener`` at the end of ``event``'s list (twice if added twice); return self."""
        self._registrations.setdefault(property_key(event), []).append(_Registration(listener, once=False))
        return self

    add_listener = on

    def once(self, event: object, listener: Listener) -> Self:
        """Add ``listener`` to be called at most once, for the next ``event``; return self."""
        self._registrations.setdefault(property_key(event), []).append(_Registration(listener, once=True))
        return self

    def remove_listener(self, event: object, listener: Listener) -> Self:
        """Remove the most recently added registration of ``listener`` for ``event``; return self."""
        key = property_key(event)
        registrations = self._registrations.get(key, [])
        for index in range(len(registrations) - 1, -1, -1):
            if registrations[index].listener == listener:
                del registrations[index]
                break
        if not registrations:
            self._registrations.pop(key, None)
        return self

    def remove_all_listeners(self, event: object = _ALL_EVENTS) -> Self:
        """Remove every listener of ``event``, or of every event when none is given; return self."""
        if event is _ALL_EVENTS:
            self._registrations.clear()
        else:
            self._registrations.pop(property_key(event), None)
        return self

    def listeners(self, event: object) -> list[Listener]:
        """Return a copy of ``event``'s listeners in the order they will be called."""
        return [registration.listener for registration in self._registrations.get(property_key(event), [])]

    def listener_count(self, event: object) -> int:
        """Return how many listeners ``event`` has."""
        return len(self._registrations.get(property_key(event), []))

    def emit(self, event: object, *args: object) -> bool:
        """Call ``event``'s listeners with ``args``; return whether it had any.

        Raises what a listener raised (the remaining listeners are not called), and
        ``UnhandledErrorEvent`` (or ``args[0]`` if it is an exception) for an
        ``'error'`` event with no listener.
        """
        key = property_key(event)
        registrations = self._registrations.get(key)
        if not registrations:
            if key == "error":
                if args and isinstance(args[0], BaseException):
                    raise args[0]
                raise UnhandledErrorEvent()
            return False
        for registration in list(registrations):
            if registration.once:
                if registration.fired:
                    continue
                registration.fired = True
                self._forget(key, registration)
            registration.listener(*args)
        return True

    def _forget(self, key: str | JSSymbol, registration: _Registration) -> None:
        registrations = self._registrations.get(key, [])
        if registration in registrations:
            registrations.remove(registration)
        if not registrations:
            self._registrations.pop(key, None)
