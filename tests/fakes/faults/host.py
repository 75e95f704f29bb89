"""Faults in routing to the host page (HOST): sendToHost and ``<webview>.send`` going astray."""

from __future__ import annotations

from typing import Any

from reference_impl import IpcEvent, Main, Page, WebContents
from reference_impl.framing import HOST, TO_HOST, WEBVIEW, WEBVIEW_DONE
from reference_impl.js_rules import property_key
from reference_impl.page import OMITTED
from reference_impl.wire_values import decode_arguments, encode_arguments
from tests.fakes.faults._base import Fault, MainFault, preload_of, split_message

__all__ = [
    "HostMessageWithoutArgumentsLost",
    "HostMessagesAlsoToMain",
    "HostMessagesToEveryElement",
    "NonStringHostChannelStringified",
    "TopLevelSendToHostReachesMain",
    "WebviewSendDoesNotWait",
    "WebviewSendToFirstGuest",
]


class HostMessageWithoutArgumentsLost(MainFault):
    """A ``sendToHost`` with no arguments fires no ``'ipc-message'``: only the channel, so nothing to say.

    An ``if (args.length)`` guard in the forwarding code.
    """

    breaks = ("HOST-1",)
    implies = ("HOST-3", "SER-0", "SER-2")
    shows = "some inputs"

    def patch_page(self, contents: WebContents) -> None:
        forward = contents._handlers[TO_HOST]

        def page_send_to_host(payload: bytes) -> None:
            if len(decode_arguments(payload)) > 1:
                forward(payload)

        contents._handlers[TO_HOST] = page_send_to_host


class HostMessagesAlsoToMain(MainFault):
    """A guest's ``sendToHost`` also makes main's ``ipc`` emit the message.

    One code path for ``send`` and ``sendToHost`` in main, with the host routing added on top.
    """

    breaks = ("HOST-2",)
    shows = "always"

    def patch_page(self, contents: WebContents) -> None:
        forward = contents._handlers[TO_HOST]

        def page_send_to_host(payload: bytes) -> None:
            forward(payload)
            if contents.embedder is not None:
                channel, args = split_message(payload)
                self.main.ipc.emit(channel, IpcEvent(contents), *args)

        contents._handlers[TO_HOST] = page_send_to_host


class HostMessagesToEveryElement(MainFault):
    """A guest's ``sendToHost`` fires ``'ipc-message'`` on every ``<webview>`` of every page.

    A broadcast to all webviews instead of a lookup of the guest's own element.
    """

    breaks = ("HOST-2",)
    shows = "some inputs"

    def patch_page(self, contents: WebContents) -> None:
        def page_send_to_host(payload: bytes) -> None:
            if contents.embedder is None:
                return
            arguments = decode_arguments(payload)
            channel = arguments[0] if arguments else None
            for (embedder_id, element), _ in list(self.main._guests.items()):
                embedder = self.main._pages.get(embedder_id)
                if embedder is not None:
                    embedder._transmit(HOST, encode_arguments([element, channel, *arguments[1:]]))

        contents._handlers[TO_HOST] = page_send_to_host


class NonStringHostChannelStringified(MainFault):
    """``event.channel`` is ``String(channel)``: ``sendToHost(5)`` gives ``'5'``, no channel ``'undefined'``.

    The channel handled as the event name it is for main's ``ipc``.
    """

    breaks = ("HOST-3",)
    shows = "some inputs"

    def patch_page(self, contents: WebContents) -> None:
        def page_send_to_host(payload: bytes) -> None:
            if contents.embedder is None or contents.embedder.is_destroyed():
                return
            arguments = decode_arguments(payload)
            channel = property_key(arguments[0]) if arguments else "undefined"
            message = [contents.element, channel, *arguments[1:]]
            contents.embedder._transmit(HOST, encode_arguments(message))

        contents._handlers[TO_HOST] = page_send_to_host


class TopLevelSendToHostReachesMain(MainFault):
    """``sendToHost`` from a page that is no guest reaches main's ``ipc`` instead of being dropped.

    "No host, so the main process is the host."
    """

    breaks = ("HOST-4",)
    shows = "some inputs"

    def patch_page(self, contents: WebContents) -> None:
        forward = contents._handlers[TO_HOST]

        def page_send_to_host(payload: bytes) -> None:
            if contents.embedder is not None:
                forward(payload)
                return
            channel, args = split_message(payload)
            self.main.ipc.emit(channel, IpcEvent(contents), *args)

        contents._handlers[TO_HOST] = page_send_to_host


class WebviewSendToFirstGuest(MainFault):
    """``<webview>.send`` reaches the guest of the embedder's first ``<webview>``, whatever the element.

    ``document.querySelector('webview')`` where the element itself was meant: right as
    long as a page holds a single ``<webview>``.
    """

    breaks = ("HOST-5",)
    shows = "some inputs"

    def patch_main(self, main: Main) -> None:
        def first_guest(embedder: WebContents, element: str) -> WebContents | None:
            guests = [
                g for (page, _), g in main._guests.items() if page == embedder.id and not g.is_destroyed()
            ]
            return guests[0] if guests else None

        main.guest = first_guest  # type: ignore[method-assign]


def webview_send_without_waiting(page: Page) -> None:
    """Preload: ``<webview>.send`` posts its message and returns; main's acknowledgement is ignored."""
    renderer: Any = page._transport

    def send(self: Any, channel: object = OMITTED, *args: object) -> None:
        message = [self.element, *([] if channel is OMITTED else [channel, *args])]
        self._transport.write(WEBVIEW, encode_arguments(message))

    renderer._handlers[WEBVIEW_DONE] = lambda payload: None
    webview_class: Any = type(page.webview("-"))
    webview_class.send = send


class WebviewSendDoesNotWait(Fault):
    """``<webview>.send`` returns at once, without waiting for main, and so never throws for a missing guest.

    Fire-and-forget, like every other send.
    """

    breaks = ("HOST-6",)
    shows = "always"
    preload = preload_of(webview_send_without_waiting)
