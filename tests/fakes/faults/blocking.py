"""Faults in blocking (BLK): a sendSync that returns early or lets the page run, a main that waits."""

from __future__ import annotations

import select
import time
from collections import deque
from typing import Any

from conformance.values.model import UNDEFINED
from reference_impl import Main, Page, WebContents
from reference_impl.framing import REPLY, SYNC
from reference_impl.json_answer import parse
from reference_impl.page import OMITTED
from reference_impl.wire_values import encode_arguments
from tests.fakes.faults._base import Fault, MainFault, preload_of

__all__ = ["OneSendSyncAtATime", "SendSyncWatchdog", "TimersRunDuringSendSync"]

_WATCHDOG_S = 0.2


def send_sync_watchdog(page: Page) -> None:
    """Preload: ``sendSync`` gives up after 200 ms and returns undefined; a late answer is dropped."""
    renderer: Any = page._transport

    def send_sync(self: object, channel: object = OMITTED, *args: object) -> object:
        renderer.write(SYNC, encode_arguments([] if channel is OMITTED else [channel, *args]))
        deadline = time.monotonic() + _WATCHDOG_S
        while (remaining := deadline - time.monotonic()) > 0:
            if not select.select([renderer._in_fd], [], [], remaining)[0]:
                continue
            frames = renderer._read()
            for index, frame in enumerate(frames):
                if frame.kind == REPLY:
                    renderer._inbox.extend(frames[:index] + frames[index + 1 :])
                    return parse(frame.payload)
            renderer._inbox.extend(frames)
        return UNDEFINED

    renderer._handlers[REPLY] = lambda payload: None
    ipc_class: Any = type(page.ipc)
    ipc_class.send_sync = ipc_class.send_channel_sync = send_sync


class SendSyncWatchdog(Fault):
    """``sendSync`` gives up after 200 ms and returns ``undefined``; an answer coming later is dropped.

    A timeout "so that a page never hangs". Every test where main answers late (RET-5's
    answers 150 and 200 ms late, which the timeout may beat), or never (RET-3, RET-7,
    ERR-2), sees the page return.
    """

    breaks = ("BLK-1",)
    implies = ("ERR-2", "RET-3", "RET-5", "RET-7")
    shows = "some interleavings"
    preload = preload_of(send_sync_watchdog)


def run_timers_while_waiting(page: Page) -> None:
    """Preload: while the page waits for main, a nested loop runs its due timers."""
    renderer: Any = page._transport
    loop = renderer._loop

    def wait_for(kind: bytes) -> bytes:
        while True:
            for index, frame in enumerate(renderer._inbox):  # what the nested loop read
                if frame.kind == kind:
                    del renderer._inbox[index]
                    return bytes(frame.payload)
            loop.run_once()  # reads the pipe into the inbox, and runs the timers that are due

    renderer.wait_for = wait_for


class TimersRunDuringSendSync(Fault):
    """A page's timers run while it waits in ``sendSync``, from a nested event loop.

    A "modal" loop that keeps timers going during a blocking call; main's messages still wait.
    """

    breaks = ("BLK-1",)
    shows = "some interleavings"
    preload = preload_of(run_timers_while_waiting)


class OneSendSyncAtATime(MainFault):
    """Main handles one sendSync at a time: another page's sendSync waits until the first is answered.

    A global lock around synchronous requests. While a page waits for an answer that
    comes late, or never, every other page that calls sendSync is stuck too.
    """

    breaks = ("BLK-2",)
    shows = "some interleavings"

    def patch_main(self, main: Main) -> None:
        self.holder: WebContents | None = None
        self.queue: deque[tuple[WebContents, bytes]] = deque()
        self.dispatchers: dict[int, Any] = {}

    def patch_page(self, contents: WebContents) -> None:
        self.dispatchers[contents.id] = dispatch = contents._handlers[SYNC]
        answer = contents._answer

        def page_send_sync(payload: bytes) -> None:
            if self.holder is not None and self.holder is not contents:
                self.queue.append((contents, payload))
                return
            self.holder = contents
            dispatch(payload)

        def answered(text: bytes) -> None:
            answer(text)
            self.release(contents)

        contents._handlers[SYNC] = page_send_sync
        contents._answer = answered  # type: ignore[method-assign, assignment]
        contents.on("destroyed", lambda: self.release(contents))

    def release(self, contents: WebContents) -> None:
        """Let the next waiting sendSync through, once ``contents`` is answered or gone."""
        if self.holder is not contents:
            return
        self.holder = None
        while self.queue and self.holder is None:
            page, payload = self.queue.popleft()
            if not page.is_destroyed():
                self.holder = page
                self.dispatchers[page.id](payload)
