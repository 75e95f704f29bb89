"""Faults in messages from main to pages (M2R): ``webContents.send`` and ``event.sender.send``."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Any, Final

from reference_impl import IpcEvent, Main, Page, SyncIpcEvent, WebContents
from reference_impl.framing import SEND, SYNC
from reference_impl.js_rules import property_key
from tests.fakes.faults._acknowledgements import (
    AckReader,
    acknowledge_messages,
    acknowledgements_directory,
    remove_directory,
)
from tests.fakes.faults._base import Fault, MainFault, preload_of, split_message

__all__ = [
    "BuffersForLateListeners",
    "EventsWithoutPreventDefault",
    "NonStringChannelAccepted",
    "RepliesBroadcast",
    "ReplyListenersGetAnEvent",
    "SendToDestroyedPageThrows",
    "SendWaitsForPageListeners",
]

_ACK_TIMEOUT_S: Final = 1.0


class SendWaitsForPageListeners(MainFault):
    """``webContents.send`` and ``event.sender.send`` return only once the page's listeners have run.

    Delivery "synchronously inside the call": main waits for the page's acknowledgement
    (up to 1 s; not while the page is blocked waiting for main itself).
    """

    breaks = ("M2R-1", "M2R-8")
    shows = "always"
    preload = preload_of(acknowledge_messages)

    def patch_main(self, main: Main) -> None:
        self.acks_directory = acknowledgements_directory(os.getpid())
        self.acks_directory.mkdir(exist_ok=True)
        self.readers: list[AckReader] = []

    def patch_page(self, contents: WebContents) -> None:
        reader = AckReader(self.acks_directory, contents.id)
        self.readers.append(reader)

        def send(channel: str, *args: object) -> bool:
            sent = WebContents.send(contents, channel, *args)
            if sent and threading.current_thread() is self.main._thread:
                reader.wait(_ACK_TIMEOUT_S)
            return sent

        contents.send = send  # type: ignore[method-assign]

    def close(self) -> None:
        super().close()
        for reader in self.readers:
            reader.close()
        remove_directory(self.acks_directory)


def _in_reply(contents: WebContents, send: Callable[..., bool]) -> Callable[..., bool]:
    """Return ``contents.send`` calling ``send`` instead while main dispatches a message of that page."""
    dispatching = [0]
    for kind in (SEND, SYNC):
        handle = contents._handlers[kind]

        def handler(payload: bytes, handle: Callable[[bytes], None] = handle) -> None:
            dispatching[0] += 1
            try:
                handle(payload)
            finally:
                dispatching[0] -= 1

        contents._handlers[kind] = handler

    def choose(channel: str, *args: object) -> bool:
        if dispatching[0]:
            return send(channel, *args)
        return WebContents.send(contents, channel, *args)

    return choose


class ReplyListenersGetAnEvent(MainFault):
    """A reply (``event.sender.send`` as main handles the page's message) gives page listeners an event first.

    Replies built like main's own events, ``listener(event, ...args)`` as from Electron
    v0.35 on. Tests that tag messages by their first argument lose track of replies,
    so they count them as lost (ORD-6, BLK-2).
    """

    breaks = ("M2R-2",)
    implies = ("BLK-2", "ORD-6")
    shows = "some inputs"

    def patch_page(self, contents: WebContents) -> None:
        def reply(channel: str, *args: object) -> bool:
            return WebContents.send(contents, channel, {"sender": {}}, *args)

        contents.send = _in_reply(contents, reply)  # type: ignore[method-assign]


class RepliesBroadcast(MainFault):
    """``event.sender.send`` sends to every page, not only to the one that sent the message.

    A reply helper written with the broadcast API.
    """

    breaks = ("M2R-3",)
    shows = "some inputs"

    def patch_page(self, contents: WebContents) -> None:
        def broadcast(channel: str, *args: object) -> bool:
            for page in list(self.main._pages.values()):
                WebContents.send(page, channel, *args)
            return True

        contents.send = _in_reply(contents, broadcast)  # type: ignore[method-assign]


class _Event(IpcEvent):
    prevent_default = None  # type: ignore[assignment]


class _SyncEvent(SyncIpcEvent):
    prevent_default = None  # type: ignore[assignment]


class EventsWithoutPreventDefault(MainFault):
    """Main's events carry ``sender`` (and the ``returnValue`` setter) but no ``preventDefault``.

    Plain event records instead of Node events.
    """

    breaks = ("M2R-4",)
    shows = "always"

    def patch_page(self, contents: WebContents) -> None:
        def page_send(payload: bytes) -> None:
            channel, args = split_message(payload)
            self.main.ipc.emit(channel, _Event(contents), *args)

        def page_send_sync(payload: bytes) -> None:
            channel, args = split_message(payload)
            self.main.ipc.emit(channel, _SyncEvent(contents, contents._answer), *args)

        contents._handlers[SEND] = page_send
        contents._handlers[SYNC] = page_send_sync


def buffer_for_late_listeners(page: Page) -> None:
    """Preload: messages with no listener are kept and handed to the first listener of their channel."""
    ipc: Any = page.ipc
    emit, on, once, remove_all = ipc.emit, ipc.on, ipc.once, ipc.remove_all_listeners
    kept: dict[object, list[tuple[object, ...]]] = {}

    def emit_or_keep(event: object, *args: object) -> bool:
        key = property_key(event)
        if key != "error" and not ipc.listener_count(key):
            kept.setdefault(key, []).append(args)
            return False
        result: bool = emit(event, *args)
        return result

    def handing_over(register: Callable[..., object]) -> Callable[..., object]:
        def add(event: object, listener: Callable[..., object]) -> object:
            register(event, listener)
            for args in kept.pop(property_key(event), []):
                emit(event, *args)
            return ipc

        return add

    def remove_all_listeners(*event: object) -> object:
        if not event:
            kept.clear()  # a new page: nothing is kept across loads
        return remove_all(*event)

    ipc.emit = emit_or_keep
    ipc.on = ipc.add_listener = handing_over(on)
    ipc.once = handing_over(once)
    ipc.remove_all_listeners = remove_all_listeners


class BuffersForLateListeners(Fault):
    """A page keeps main's messages that no listener took and hands them to the first listener added later.

    A "don't lose early messages" queue in front of the page's emitter.
    """

    breaks = ("M2R-5",)
    shows = "some inputs"
    preload = preload_of(buffer_for_late_listeners)


class SendToDestroyedPageThrows(MainFault):
    """``webContents.send`` to a destroyed page throws instead of returning ``false``.

    "Object has been destroyed", as later Electron versions throw.
    """

    breaks = ("M2R-6",)
    shows = "some inputs"

    def patch_page(self, contents: WebContents) -> None:
        def send(channel: str, *args: object) -> bool:
            if contents.is_destroyed():
                raise RuntimeError("Object has been destroyed")
            return WebContents.send(contents, channel, *args)

        contents.send = send  # type: ignore[method-assign]


class NonStringChannelAccepted(MainFault):
    """``webContents.send`` with a channel that is not a string sends it under ``String(channel)``.

    No type check where v0.32's native binding throws a TypeError.
    """

    breaks = ("M2R-7",)
    shows = "some inputs"

    def patch_page(self, contents: WebContents) -> None:
        def send(channel: object, *args: object) -> bool:
            key = channel if isinstance(channel, str) else str(property_key(channel))
            return WebContents.send(contents, key, *args)

        contents.send = send  # type: ignore[method-assign]
