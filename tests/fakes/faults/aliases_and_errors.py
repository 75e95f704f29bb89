"""Faults in aliases (DEP) and errors (ERR): a wrong alias, validation, exceptions crossing to the sender."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, Final

from reference_impl import Page, UnhandledErrorEvent, WebContents
from reference_impl.framing import SEND, SYNC
from reference_impl.page import OMITTED
from tests.fakes.faults._base import Fault, MainFault, preload_of

__all__ = ["ListenerErrorReachesSender", "NonStringChannelRejected", "SendChannelSyncIsSend"]


def send_channel_sync_is_send(page: Page) -> None:
    """Preload: ``ipc.sendChannelSync`` is ``ipc.send``."""
    ipc_class: Any = type(page.ipc)
    ipc_class.send_channel_sync = ipc_class.send


class SendChannelSyncIsSend(Fault):
    """``ipc.sendChannelSync`` is an alias of ``send``, not of ``sendSync``: it returns ``undefined`` at once.

    A copy-paste slip in the alias table. The mixed-traffic test, which sends with
    ``sendChannelSync`` as with ``sendSync``, then sees messages overtake its answer (BLK-1).
    """

    breaks = ("DEP-1",)
    implies = ("BLK-1",)
    shows = "some inputs"
    preload = preload_of(send_channel_sync_is_send)


RAISE: Final = b"raise"


def raise_what_main_forwards(page: Page) -> None:
    """Preload: main's ``raise`` frames raise their error in the page."""

    def raise_it(payload: bytes) -> None:
        raise RuntimeError(json.loads(payload))

    renderer: Any = page._transport
    renderer._handlers[RAISE] = raise_it


class ListenerErrorReachesSender(MainFault):
    """An exception in main's listener is also raised in the page that sent the message.

    Error forwarding "to help debugging": the page gets an uncaught exception for what
    main's listener did (main still reports it too).
    """

    breaks = ("ERR-2",)
    shows = "some inputs"
    preload = preload_of(raise_what_main_forwards)

    def patch_page(self, contents: WebContents) -> None:
        for kind in (SEND, SYNC):
            contents._handlers[kind] = self._forwarding(contents, contents._handlers[kind])

    @staticmethod
    def _forwarding(contents: WebContents, handle: Callable[[bytes], None]) -> Callable[[bytes], None]:
        def handler(payload: bytes) -> None:
            try:
                handle(payload)
            except Exception as error:
                if not isinstance(error, UnhandledErrorEvent):
                    contents._transmit(RAISE, json.dumps(f"in main: {error}").encode("ascii"))
                raise

        return handler


def reject_non_string_channels(page: Page) -> None:
    """Preload: the send methods throw a TypeError for a channel that is not a string."""
    ipc_class: Any = type(page.ipc)

    def checked(method: Callable[..., object]) -> Callable[..., object]:
        def send(self: object, channel: object = OMITTED, *args: object) -> object:
            if channel is not OMITTED and not isinstance(channel, str):
                raise TypeError(f"the channel must be a string, not {type(channel).__name__}")
            return method(self, channel, *args)

        return send

    ipc_class.send = ipc_class.send_channel = checked(ipc_class.send)
    ipc_class.send_sync = ipc_class.send_channel_sync = checked(ipc_class.send_sync)
    ipc_class.send_to_host = checked(ipc_class.send_to_host)


class NonStringChannelRejected(Fault):
    """``send``, ``sendSync`` and ``sendToHost`` throw a TypeError for a channel that is not a string.

    Argument validation, which the documents' "channel String" invites. Such a message
    never reaches main's listener of ``String(channel)`` (CH-5) nor the host (HOST-3).
    """

    breaks = ("ERR-1",)
    implies = ("CH-5", "HOST-3")
    shows = "some inputs"
    preload = preload_of(reject_non_string_channels)
