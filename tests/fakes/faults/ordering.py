"""Faults in ordering and delivery (ORD): messages held back, reordered, lost or delivered twice."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from reference_impl import Main, Page, WebContents
from reference_impl.framing import HOST, LOADED, SEND, SYNC, TO_HOST, WEBVIEW, Frame
from reference_impl.js_rules import property_key
from reference_impl.wire_values import decode_arguments
from tests.fakes.faults._base import Fault, MainFault, preload_of, split_message

__all__ = [
    "ChannelsReorderedWithinAMillisecond",
    "HostMessagesReorderedByChannel",
    "LosesThirteenthOfABurst",
    "PageReordersChannels",
    "RedeliversAfterSendSync",
    "SyncOvertakesSends",
]


class _MainHold:
    """``send`` frames of one page that main holds back, released by a timer or by another kind of frame."""

    def __init__(
        self, main: Main, contents: WebContents, delay_ms: float, order: Callable[[list[bytes]], list[bytes]]
    ):
        self.main = main
        self.contents = contents
        self.delay_ms = delay_ms
        self.order = order
        self.held: list[bytes] = []
        self.send = contents._handlers[SEND]

    def hold(self, payload: bytes) -> None:
        if not self.held:
            self.main.set_timeout(self.delay_ms, self.release)
        self.held.append(payload)

    def release(self) -> None:
        held, self.held = self.held, []
        for payload in self.order(held):
            try:
                self.send(payload)
            except Exception as error:  # one message's listener error, as main reports it
                self.main.report_exception(error)

    def around(self, kind: bytes, *, release_after: bool = False) -> None:
        """Make frames of ``kind`` release what is held, before they are handled (or after)."""
        handle = self.contents._handlers[kind]

        def handler(payload: bytes) -> None:
            if not release_after:
                self.release()
            handle(payload)
            if release_after:
                self.release()

        self.contents._handlers[kind] = handler


_OTHER_KINDS = (TO_HOST, WEBVIEW, LOADED)


class SyncOvertakesSends(MainFault):
    """``sendSync`` takes a fast lane: main batches a page's ``send`` messages for 5 ms, but not its sendSync.

    Throughput batching of asynchronous messages, with synchronous ones handled on
    arrival because the page is waiting: a sendSync issued less than 5 ms after a send
    has its listener run first. That is a reordering of one page's messages (ORD-1) too.
    """

    breaks = ("ORD-2",)
    implies = ("ORD-1",)
    shows = "some interleavings"
    settle_grace_ms = 30

    def patch_page(self, contents: WebContents) -> None:
        hold = _MainHold(self.main, contents, 5, list)
        contents._handlers[SEND] = hold.hold
        hold.around(SYNC, release_after=True)
        for kind in _OTHER_KINDS:
            hold.around(kind)


def _by_channel(held: list[bytes]) -> list[bytes]:
    return sorted(held, key=lambda payload: str(property_key(split_message(payload)[0])))


class ChannelsReorderedWithinAMillisecond(MainFault):
    """Main keeps one queue per channel and drains them in channel order every millisecond.

    A dispatcher with a queue per channel (or a dict of pending messages): a page's
    messages on two channels that alternate within 1 ms reach main grouped by channel.
    sendSync empties the queues first, so it never overtakes earlier sends (ORD-2 holds).
    """

    breaks = ("ORD-1",)
    shows = "some interleavings"
    settle_grace_ms = 30

    def patch_page(self, contents: WebContents) -> None:
        hold = _MainHold(self.main, contents, 1, _by_channel)
        contents._handlers[SEND] = hold.hold
        for kind in (SYNC, *_OTHER_KINDS):
            hold.around(kind)


class _PageHold:
    """Frames of one kind a page holds back for 1 ms, then dispatches grouped by channel."""

    def __init__(self, page: Page, kind: bytes, channel_index: int) -> None:
        renderer: Any = page._transport
        self.loop = renderer._loop
        self.report = renderer._report
        self.dispatch = renderer._handlers[kind]
        self.channel_index = channel_index
        self.held: list[bytes] = []
        renderer._handlers[kind] = self.hold
        for other, handle in list(renderer._handlers.items()):
            if other != kind:
                renderer._handlers[other] = self._releasing(handle)

    def hold(self, payload: bytes) -> None:
        if not self.held:
            self.loop.call_later(0.001, self.release)
        self.held.append(payload)

    def release(self) -> None:
        held, self.held = self.held, []
        held.sort(key=lambda payload: str(property_key(decode_arguments(payload)[self.channel_index])))
        for payload in held:
            try:
                self.dispatch(payload)
            except Exception as error:  # one message's listener error, as the page reports it
                self.report(error)

    def _releasing(self, handle: Callable[[bytes], None]) -> Callable[[bytes], None]:
        def handler(payload: bytes) -> None:
            self.release()
            handle(payload)

        return handler


def hold_main_messages(page: Page) -> None:
    """Preload: hold main's messages for 1 ms and dispatch them grouped by channel."""
    _PageHold(page, SEND, 0)


class PageReordersChannels(Fault):
    """A page dispatches main's messages grouped by channel when they arrive within 1 ms.

    A page-side queue per channel. ``webContents.send`` calls (and replies) on two
    channels reach the page's listeners out of call order. M2R-5's test adds a listener
    with one message and relies on call order for the next ones, so it fails too.
    """

    breaks = ("ORD-3",)
    implies = ("M2R-5",)
    shows = "some interleavings"
    preload = preload_of(hold_main_messages)


def hold_host_messages(page: Page) -> None:
    """Preload: hold 'ipc-message' events for 1 ms and fire them grouped by channel."""
    _PageHold(page, HOST, 1)


class HostMessagesReorderedByChannel(Fault):
    """An embedder fires a guest's ``'ipc-message'`` events grouped by channel when they come within 1 ms.

    One pending queue per channel in the embedder, as in PageReordersChannels.
    """

    breaks = ("ORD-5",)
    shows = "some interleavings"
    preload = preload_of(hold_host_messages)


_BURST_GAP = 0.005
_LOST = 13


class LosesThirteenthOfABurst(MainFault):
    """Main drops the 13th ``send`` of each burst (messages from one page less than 5 ms apart).

    A bounded receive buffer of twelve whose overflow is discarded while the
    dispatcher catches up: short exchanges are fine, fast bursts lose one message.
    The buffer belongs to the page's connection, which a page load renews.
    """

    breaks = ("ORD-6",)
    shows = "some interleavings"

    def patch_page(self, contents: WebContents) -> None:
        send = contents._handlers[SEND]
        burst = {"last": 0.0, "count": 0}

        def page_send(payload: bytes) -> None:
            now = time.monotonic()
            burst["count"] = burst["count"] + 1 if now - burst["last"] < _BURST_GAP else 1
            burst["last"] = now
            if burst["count"] != _LOST:
                send(payload)

        contents._handlers[SEND] = page_send
        loaded = contents._handlers[LOADED]

        def page_loaded(payload: bytes) -> None:
            burst["count"] = 0
            loaded(payload)

        contents._handlers[LOADED] = page_loaded


def redeliver_after_send_sync(page: Page) -> None:
    """Preload: frames from main that arrive while the page waits are queued twice."""
    renderer: Any = page._transport

    def queue(frames: list[Frame]) -> None:
        for frame in frames:
            renderer._inbox.append(frame)
            if frame.kind == SEND:
                renderer._inbox.append(frame)

    def wait_for(kind: bytes) -> bytes:
        while True:
            frames = renderer._read()
            for index, frame in enumerate(frames):
                if frame.kind == kind:
                    queue(frames[:index] + frames[index + 1 :])
                    return bytes(frame.payload)
            queue(frames)

    renderer.wait_for = wait_for


class RedeliversAfterSendSync(Fault):
    """A page delivers twice each message from main that arrived while it was blocked in ``sendSync``.

    The queue of messages kept during the blocking call is replayed after it, but the
    messages were also left in the normal queue.
    """

    breaks = ("ORD-6",)
    shows = "some interleavings"
    preload = preload_of(redeliver_after_send_sync)
