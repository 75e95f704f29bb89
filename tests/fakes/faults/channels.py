"""Faults in channels and dispatch (CH): main's emitter, event keys, and a page's own emitter."""

from __future__ import annotations

from typing import Any

from reference_impl import EventEmitter, IpcEvent, Main, Page, WebContents
from reference_impl.framing import SEND
from reference_impl.js_rules import property_key
from reference_impl.json_answer import stringify
from tests.fakes.faults._base import Fault, MainFault, preload_of, split_message

__all__ = [
    "CallsListenersAddedDuringDispatch",
    "ChannelKeyedByJson",
    "ErrorChannelDropped",
    "LongChannelNamesCut",
    "OnceIsOnInPages",
    "ReversesThreeOrMoreListeners",
    "SenderOfPreviousMessage",
    "SpreadsTrailingArray",
    "UnlistenedChannelThrows",
]


class SpreadsTrailingArray(MainFault):
    """Main's listeners get the items of a last array argument as arguments of their own.

    The ``[event, ...init].concat(last)`` mistake of hand-written varargs bridges:
    ``concat`` spreads an array, so ``send('c', 1, [2, 3])`` reaches main as
    ``(event, 1, 2, 3)``. The argument tests of the ``send`` path (SER-0, SER-2, SER-5,
    SER-10) and CH-5's, whose last arguments may be arrays, fail with it.
    """

    breaks = ("CH-1",)
    implies = ("CH-5", "SER-0", "SER-2", "SER-5", "SER-10")
    shows = "some inputs"

    def patch_page(self, contents: WebContents) -> None:
        def page_send(payload: bytes) -> None:
            channel, args = split_message(payload)
            if args and isinstance(args[-1], list):
                args = [*args[:-1], *args[-1]]
            self.main.ipc.emit(channel, IpcEvent(contents), *args)

        contents._handlers[SEND] = page_send


class SenderOfPreviousMessage(MainFault):
    """``event.sender`` is the page that sent the previous message on the same channel.

    One "current sender" slot per channel, updated after the listeners ran: right for
    a single page, wrong as soon as two pages use one channel. Replies then go to the
    wrong page (M2R-3), and ``sender`` is not the sending page's web contents (M2R-4).
    """

    breaks = ("CH-2",)
    implies = ("M2R-3", "M2R-4")
    shows = "some interleavings"

    def patch_main(self, main: Main) -> None:
        self.last_sender: dict[object, WebContents] = {}

    def patch_page(self, contents: WebContents) -> None:
        def page_send(payload: bytes) -> None:
            channel, args = split_message(payload)
            key = property_key(channel)
            sender = self.last_sender.get(key, contents)
            try:
                self.main.ipc.emit(channel, IpcEvent(sender), *args)
            finally:
                self.last_sender[key] = contents

        contents._handlers[SEND] = page_send

    def reset(self, *, timeout: float) -> None:
        super().reset(timeout=timeout)
        self.main.call(self.last_sender.clear, timeout=timeout)


class _ReversingEmitter(EventEmitter):
    def emit(self, event: object, *args: object) -> bool:
        key = property_key(event)
        registrations = self._registrations.get(key, [])
        if len(registrations) < 3:
            return super().emit(event, *args)
        for registration in reversed(list(registrations)):
            if registration.once:
                if registration.fired:
                    continue
                registration.fired = True
                self._forget(key, registration)
            registration.listener(*args)
        return True


class ReversesThreeOrMoreListeners(MainFault):
    """Main calls the listeners of a channel in reverse order once it has three or more.

    An emitter that switches to a "last registered wins" stack past two listeners, as a
    priority scheme bolted onto a list would. One or two listeners behave. ERR-2's test
    of throwing sync listeners, up to three, relies on their order to know which answer.
    """

    breaks = ("CH-3",)
    implies = ("ERR-2",)
    shows = "some inputs"

    def patch_main(self, main: Main) -> None:
        main.ipc = _ReversingEmitter()


class _LiveListEmitter(EventEmitter):
    def emit(self, event: object, *args: object) -> bool:
        key = property_key(event)
        registrations = self._registrations.get(key)
        if not registrations:
            return super().emit(event, *args)
        index = 0
        while index < len(registrations):  # the live list: a listener added meanwhile is reached
            registration = registrations[index]
            index += 1
            if registration.once:
                if registration.fired:
                    continue
                registration.fired = True
                self._forget(key, registration)
                index -= 1
            registration.listener(*args)
        return True


class CallsListenersAddedDuringDispatch(MainFault):
    """Main's emitter walks its live listener list, so a listener added during an emit is called for it.

    Node copies the list before calling anyone; a hand-written emitter that loops over
    the list itself calls a listener added by an earlier one for the same message.
    """

    breaks = ("CH-3",)
    shows = "some inputs"

    def patch_main(self, main: Main) -> None:
        main.ipc = _LiveListEmitter()


class UnlistenedChannelThrows(MainFault):
    """A message on a channel without listener raises an error in main instead of being dropped.

    The "no handler registered for channel" error of RPC-style dispatchers.
    """

    breaks = ("CH-4",)
    shows = "some inputs"

    def patch_page(self, contents: WebContents) -> None:
        original = contents._handlers[SEND]

        def page_send(payload: bytes) -> None:
            channel, _ = split_message(payload)
            key = property_key(channel)
            if key != "error" and not self.main.ipc.listener_count(key):
                raise LookupError(f"no listener is registered for channel {key!r}")
            original(payload)

        contents._handlers[SEND] = page_send


def _json_key(channel: object) -> object:
    """Return the channel as ``JSON.stringify`` writes it, if it is not a string (and has a JSON form)."""
    if isinstance(channel, str):
        return channel
    try:
        return stringify(channel)
    except TypeError:
        return channel


class ChannelKeyedByJson(MainFault):
    """Main keys a non-string channel by its JSON text rather than by ``String()``.

    ``[1, 2]`` reaches listeners of ``'[1,2]'`` (not ``'1,2'``), ``{}`` those of ``'{}'``
    (not ``'[object Object]'``), ``NaN`` those of ``'null'``: dispatch tables keyed by a
    serialization. Numbers, booleans and null come out the same either way.
    """

    breaks = ("CH-5",)
    shows = "some inputs"

    def patch_page(self, contents: WebContents) -> None:
        def page_send(payload: bytes) -> None:
            channel, args = split_message(payload)
            self.main.ipc.emit(_json_key(channel), IpcEvent(contents), *args)

        contents._handlers[SEND] = page_send


class _NoErrorEventEmitter(EventEmitter):
    def emit(self, event: object, *args: object) -> bool:
        if property_key(event) == "error" and not self.listener_count("error"):
            return False
        return super().emit(event, *args)


class ErrorChannelDropped(MainFault):
    """An ``'error'`` message with no listener is dropped silently in main instead of throwing.

    An emitter without Node's special case for ``'error'``.
    """

    breaks = ("CH-6",)
    shows = "some inputs"

    def patch_main(self, main: Main) -> None:
        main.ipc = _NoErrorEventEmitter()


_NAME_LIMIT = 255


def _cut(channel: object) -> object:
    return channel[:_NAME_LIMIT] if isinstance(channel, str) else channel


class LongChannelNamesCut(MainFault):
    """Main cuts channel names to 255 characters, so a longer name reaches nobody.

    A fixed-size name field, as in native message headers.
    """

    breaks = ("CH-7",)
    shows = "some inputs"

    def patch_page(self, contents: WebContents) -> None:
        def page_send(payload: bytes) -> None:
            channel, args = split_message(payload)
            self.main.ipc.emit(_cut(channel), IpcEvent(contents), *args)

        contents._handlers[SEND] = page_send


def once_is_on(page: Page) -> None:
    """Preload: make the page's ``ipc.once`` register an ordinary listener."""
    ipc: Any = page.ipc
    ipc.once = ipc.on


class OnceIsOnInPages(Fault):
    """A page's ``ipc.once`` registers an ordinary listener, called for every later message too.

    ``once`` aliased to ``on`` in a page-side emitter shim.
    """

    breaks = ("CH-8",)
    shows = "some inputs"
    preload = preload_of(once_is_on)
