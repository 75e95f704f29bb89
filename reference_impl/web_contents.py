"""``WebContents``: main's handle on one page, and main's handling of that page's messages.

A web contents owns its renderer process. The frames that page sends are
dispatched here, on main's thread, in the order sent (ORD-1): ``send`` and
``sendSync`` go to main's ``ipc`` listeners, ``sendToHost`` is handed on to the
embedder's ``<webview>`` element (HOST-1 to HOST-4), ``<webview>.send`` to the
guest (HOST-5, HOST-6).
"""

from __future__ import annotations

import json
import selectors
from collections.abc import Callable
from typing import TYPE_CHECKING, Final

from conformance.values.model import UNDEFINED
from reference_impl.emitter import EventEmitter
from reference_impl.framing import (
    HOST,
    LOAD,
    LOADED,
    POST,
    REPLY,
    SEND,
    SYNC,
    TO_HOST,
    WEBVIEW,
    WEBVIEW_DONE,
    Frame,
    encode_frame,
)
from reference_impl.main_events import IpcEvent, SyncIpcEvent
from reference_impl.renderer_process import RendererProcess
from reference_impl.wire_values import decode_arguments, encode_arguments

if TYPE_CHECKING:
    from reference_impl.main_process import Main

__all__ = ["WebContents"]

_PROGRAM_HELP: Final = 'a page program is named "module:function", e.g. "my_pages:echo"'


class WebContents(EventEmitter):
    """Main's handle on one page; created by ``Main.create_page`` and ``Main.create_guest``.

    Its events (``on``, ``once``, ...) are ``'console-message'`` with the value the
    page posted, ``'did-finish-load'`` after a page program ran, ``'crashed'`` when
    the renderer died on its own, and ``'destroyed'``; they run on main's thread.
    """

    def __init__(
        self, main: Main, page_id: int, *, embedder: WebContents | None, element: str | None
    ) -> None:
        super().__init__()
        self.id = page_id
        self.embedder = embedder
        """For a guest, the page whose ``<webview>`` holds it; None for a top-level page."""
        self.element = element
        """For a guest, the name of that ``<webview>`` element."""
        self._main = main
        self._destroyed = False
        self._handlers: dict[bytes, Callable[[bytes], None]] = {
            SEND: self._page_send,
            SYNC: self._page_send_sync,
            TO_HOST: self._page_send_to_host,
            WEBVIEW: self._page_webview_send,
            POST: self._page_post,
            LOADED: self._page_loaded,
        }
        self._process = RendererProcess(
            page_id=page_id,
            sys_path=main._renderer_sys_path(),
            request_flush=self._request_flush,
            preload=main.preload,
        )
        self._early_frames = self._process.wait_ready()

    def __repr__(self) -> str:
        state = "destroyed" if self._destroyed else f"pid {self.pid}"
        return f"<WebContents {self.id} ({state})>"

    @property
    def pid(self) -> int:
        """Return the id of the page's renderer process."""
        return self._process.pid

    def send(self, channel: str, *args: object) -> bool:
        """Send ``args`` to the page's ``ipc`` listeners on ``channel``, asynchronously (M2R-1).

        Returns False, and sends nothing, once the page is destroyed (M2R-6).
        Raises TypeError if ``channel`` is not a str (M2R-7).
        """
        if not isinstance(channel, str):
            raise TypeError(f"webContents.send needs a str channel, got {channel!r}")
        if self._destroyed:
            return False
        return self._transmit(SEND, encode_arguments([channel, *args]))

    def post(self, value: object) -> bool:
        """Send a JSON value to the page's ``on_message`` hooks: an out-of-band channel for test drivers.

        Ordered with ``send``, never seen by ``ipc`` listeners. Returns False once the page is destroyed.
        """
        if self._destroyed:
            return False
        return self._transmit(POST, json.dumps(value).encode("ascii"))

    def load(self, program: str, *args: object) -> None:
        """Navigate: the page drops its listeners, timers and ``<webview>`` handles, then runs ``program``.

        ``program`` is ``"module:function"``, importable by the renderer (see
        ``Main``'s ``page_path``); it is called as ``function(page, *args)`` with
        ``args`` copied as JSON. Returns at once; ``'did-finish-load'`` follows.
        """
        module, _, function = program.partition(":")
        if not module or not function:
            raise ValueError(f"{program!r} is not a page program: {_PROGRAM_HELP}")
        if self._destroyed:
            raise RuntimeError(f"{self!r} is destroyed: it cannot load {program!r}")
        self._transmit(LOAD, json.dumps({"program": program, "args": list(args)}).encode("ascii"))

    def destroy(self) -> None:
        """Close the page: its process exits (or is killed) and is reaped before this returns.

        Guests it embeds are destroyed too. An answer still owed to its
        ``sendSync`` is then silently ignored (RET-8).
        """
        if not self._destroyed:
            self._main.call(lambda: self._tear_down(crashed=False))

    def is_destroyed(self) -> bool:
        """Return whether the page is destroyed (or crashed)."""
        return self._destroyed

    # Main's thread only, from here on.

    def _start(self) -> None:
        self._main._loop.watch(self._process.read_fd, selectors.EVENT_READ, self._read_frames)
        self._dispatch(self._early_frames)

    def _tear_down(self, *, crashed: bool) -> None:
        if self._destroyed:
            return
        self._destroyed = True
        self._hang_up()
        self._process.reap()
        self._main._forget(self)
        for event in ("crashed", "destroyed") if crashed else ("destroyed",):
            try:
                self.emit(event)
            except Exception as exc:
                self._main.report_exception(exc)

    def _hang_up(self) -> None:
        self._main._loop.unwatch(self._process.read_fd)
        self._main._loop.unwatch(self._process.write_fd)
        self._process.hang_up()

    def _transmit(self, kind: bytes, payload: bytes) -> bool:
        return self._process.write(encode_frame(kind, payload))

    def _request_flush(self) -> None:
        self._main.call_soon(self._watch_writable)

    def _watch_writable(self) -> None:
        loop = self._main._loop
        if not self._destroyed and not loop.is_watching(self._process.write_fd):
            loop.watch(self._process.write_fd, selectors.EVENT_WRITE, self._flush)

    def _flush(self) -> None:
        if not self._process.flush():
            self._main._loop.unwatch(self._process.write_fd)

    def _read_frames(self) -> None:
        frames = self._process.read()
        if frames is None:
            self._tear_down(crashed=True)
        else:
            self._dispatch(frames)

    def _dispatch(self, frames: list[Frame]) -> None:
        for kind, payload in frames:
            if self._destroyed:
                return
            try:
                handler = self._handlers.get(kind)
                if handler is None:
                    raise RuntimeError(f"page {self.id} sent a frame of unknown kind {kind!r}")
                handler(payload)
            except Exception as exc:
                self._main.report_exception(exc)

    # One handler per kind of frame a page sends (see framing).

    def _page_send(self, payload: bytes) -> None:
        channel, args = _split_channel(decode_arguments(payload))
        self._main.ipc.emit(channel, IpcEvent(self), *args)

    def _page_send_sync(self, payload: bytes) -> None:
        channel, args = _split_channel(decode_arguments(payload))
        self._main.ipc.emit(channel, SyncIpcEvent(self, self._answer), *args)

    def _answer(self, json_text: bytes) -> None:
        self._transmit(REPLY, json_text)  # False once destroyed: ignored (RET-8)

    def _page_send_to_host(self, payload: bytes) -> None:
        if self.embedder is None:
            return  # not a guest: dropped (HOST-4)
        arguments = decode_arguments(payload)
        channel = arguments[0] if arguments else None  # an omitted channel arrives as null (HOST-3)
        self.embedder._transmit(HOST, encode_arguments([self.element, channel, *arguments[1:]]))

    def _page_webview_send(self, payload: bytes) -> None:
        element, *arguments = decode_arguments(payload)
        guest = self._main.guest(self, str(element))
        error = None
        if guest is None:
            error = f"no guest page is attached to <webview> {element!r} of page {self.id}"
        else:
            channel, args = _split_channel(arguments)
            if isinstance(channel, str):
                guest.send(channel, *args)
            else:
                error = f"<webview>.send needs a str channel, got {channel!r}"
        self._transmit(WEBVIEW_DONE, json.dumps(error).encode("ascii"))

    def _page_post(self, payload: bytes) -> None:
        self.emit("console-message", json.loads(payload))

    def _page_loaded(self, payload: bytes) -> None:
        self.emit("did-finish-load")


def _split_channel(arguments: list[object]) -> tuple[object, list[object]]:
    """Return the channel and the other arguments; with no channel given, the channel is undefined (CH-5)."""
    if not arguments:
        return UNDEFINED, []
    return arguments[0], arguments[1:]
