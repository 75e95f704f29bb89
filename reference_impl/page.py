"""What a page program sees: the ``Page``, with its ``ipc`` module, timers and ``<webview>`` elements.

A page program is a function ``program(page, *args)`` that ``WebContents.load``
runs in the renderer. Everything here runs on the renderer's single thread.
"""

from __future__ import annotations

import json
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final, Protocol

from reference_impl.emitter import EventEmitter
from reference_impl.framing import POST, REPLY, SEND, SYNC, TO_HOST, WEBVIEW, WEBVIEW_DONE
from reference_impl.json_answer import parse
from reference_impl.loop import Loop, Timer
from reference_impl.wire_values import encode_arguments

__all__ = ["OMITTED", "IpcMessageEvent", "Page", "PageTransport", "RendererIpc", "WebView"]


class PageTransport(Protocol):
    """The renderer's end of the pipes, as the page uses it."""

    def write(self, kind: bytes, payload: bytes) -> None:
        """Send one frame to main."""

    def wait_for(self, kind: bytes) -> bytes:
        """Block until main sends a frame of ``kind``; return its payload. Other frames wait their turn."""


class _Omitted:
    def __repr__(self) -> str:
        return "OMITTED"


OMITTED: Final = _Omitted()
"""The default channel of the send methods: ``ipc.send()`` with no channel at all (CH-5, HOST-3)."""


def _message(channel: object, args: tuple[object, ...]) -> list[object]:
    """Return the arguments of one message: the channel travels as argument 0, if given (CH-5)."""
    return [] if channel is OMITTED else [channel, *args]


class RendererIpc(EventEmitter):
    """A page's ``ipc`` module: one emitter for main's messages to this page (CH-8), and the send methods.

    Listeners receive the message's arguments only, with no event object (M2R-2).
    No send method validates its channel or arguments, nor raises for any value
    (SER-1, ERR-1).
    """

    def __init__(self, transport: PageTransport) -> None:
        super().__init__()
        self._transport = transport

    def send(self, channel: object = OMITTED, *args: object) -> None:
        """Send ``args`` to main's ``ipc`` listeners on ``channel``, asynchronously (CH-1)."""
        self._transport.write(SEND, encode_arguments(_message(channel, args)))

    def send_sync(self, channel: object = OMITTED, *args: object) -> object:
        """Send ``args`` to main and block the whole page until main answers; return the answer (RET-1).

        Main's messages arriving meanwhile are dispatched after this returns, in
        order (BLK-1); with no answer this never returns (RET-7).
        """
        self._transport.write(SYNC, encode_arguments(_message(channel, args)))
        return parse(self._transport.wait_for(REPLY))

    def send_to_host(self, channel: object = OMITTED, *args: object) -> None:
        """Fire ``'ipc-message'`` on this guest's ``<webview>`` (HOST-1); not a guest: dropped (HOST-4)."""
        self._transport.write(TO_HOST, encode_arguments(_message(channel, args)))

    send_channel = send
    send_channel_sync = send_sync


@dataclass(frozen=True)
class IpcMessageEvent:
    """The ``'ipc-message'`` event of a ``<webview>``: what its guest sent with ``send_to_host``."""

    channel: object
    args: list[object]
    type: str = "ipc-message"


WebViewListener = Callable[[IpcMessageEvent], object]


class WebView:
    """A ``<webview>`` element of the page, named by ``element``."""

    def __init__(
        self, element: str, transport: PageTransport, report: Callable[[BaseException], None]
    ) -> None:
        self.element = element
        self._transport = transport
        self._report = report
        self._listeners: dict[str, list[WebViewListener]] = {}

    def add_event_listener(self, event_type: str, listener: WebViewListener) -> None:
        """Call ``listener(event)`` for each ``event_type`` event (added once only, as in the DOM)."""
        listeners = self._listeners.setdefault(event_type, [])
        if listener not in listeners:
            listeners.append(listener)

    def remove_event_listener(self, event_type: str, listener: WebViewListener) -> None:
        """Stop calling ``listener`` for ``event_type``."""
        listeners = self._listeners.get(event_type, [])
        if listener in listeners:
            listeners.remove(listener)

    def send(self, channel: object = OMITTED, *args: object) -> None:
        """Send ``args`` to the guest's ``ipc`` listeners on ``channel`` (HOST-5).

        Blocks until main has handed the message on; raises TypeError when no guest
        is attached to this element, or ``channel`` is not a str (HOST-6).
        """
        self._transport.write(WEBVIEW, encode_arguments([self.element, *_message(channel, args)]))
        error = json.loads(self._transport.wait_for(WEBVIEW_DONE))
        if error is not None:
            raise TypeError(error)

    def dispatch_ipc_message(self, channel: object, args: list[object]) -> None:
        """Fire ``'ipc-message'``; a listener that raises is reported and the others still run (DOM rules)."""
        event = IpcMessageEvent(channel, args)
        for listener in list(self._listeners.get(event.type, [])):
            try:
                listener(event)
            except Exception as exc:
                self._report(exc)


class Page:
    """One page: what a page program is given."""

    def __init__(self, page_id: int, transport: PageTransport, loop: Loop) -> None:
        self.id = page_id
        """The id of this page's ``WebContents`` in main."""
        self.ipc = RendererIpc(transport)
        self._transport = transport
        self._loop = loop
        self._webviews: dict[str, WebView] = {}
        self._hooks: list[Callable[[BaseException], object]] = []
        self._message_hooks: list[Callable[[Any], object]] = []

    def set_timeout(self, ms: float, callback: Callable[..., object], *args: object) -> Timer:
        """Run ``callback(*args)`` after ``ms`` milliseconds, once the page is not busy; return its handle."""
        return self._loop.call_later(ms / 1000, callback, *args)

    def clear_timeout(self, timer: Timer) -> None:
        """Keep a ``set_timeout`` callback from running."""
        timer.cancel()

    def webview(self, element: str) -> WebView:
        """Return the ``<webview>`` element named ``element`` (the same object until the next load)."""
        if element not in self._webviews:
            self._webviews[element] = WebView(element, self._transport, self.report_exception)
        return self._webviews[element]

    def post(self, value: object) -> None:
        """Send a JSON value to main's ``'console-message'`` listeners of this web contents.

        An out-of-band channel for test drivers: ordered with this page's IPC
        messages, never seen by ``ipc`` listeners.
        """
        self._transport.write(POST, json.dumps(value).encode("ascii"))

    def on_message(self, hook: Callable[[Any], object]) -> None:
        """Have ``hook(value)`` called for each JSON value main sends with ``WebContents.post``."""
        self._message_hooks.append(hook)

    def receive_message(self, value: object) -> None:
        """Hand a value main posted to the ``on_message`` hooks."""
        for hook in list(self._message_hooks):
            try:
                hook(value)
            except Exception as exc:
                self.report_exception(exc)

    def on_uncaught_exception(self, hook: Callable[[BaseException], object]) -> None:
        """Have ``hook(exc)`` called for each exception page code raised and nothing caught.

        Without hooks, the traceback is printed to stderr. The page goes on either way.
        """
        self._hooks.append(hook)

    def report_exception(self, exc: BaseException) -> None:
        """Hand ``exc`` to the uncaught-exception hooks (or print it when there are none)."""
        if not self._hooks:
            print(f"Uncaught exception in page {self.id}:", file=sys.stderr)
            traceback.print_exception(exc)
        for hook in list(self._hooks):
            try:
                hook(exc)
            except Exception as hook_exc:
                traceback.print_exception(hook_exc)

    def unload(self) -> None:
        """Drop what the last page program set up: ``ipc`` listeners, timers, ``<webview>`` handles, hooks."""
        self.ipc.remove_all_listeners()
        self._loop.cancel_all_timers()
        self._webviews.clear()
        self._hooks.clear()
        self._message_hooks.clear()
