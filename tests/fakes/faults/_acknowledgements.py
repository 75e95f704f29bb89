"""A side channel on which pages tell main when their listeners of a message have run.

One named pipe (FIFO) per page, beside the frame pipes, so that main can wait for a
page without reading its frames: the page writes ``A`` once the listeners of a message
from main have run, ``B`` before it blocks in ``sendSync`` or ``<webview>.send`` (it
cannot acknowledge anything then) and ``U`` once it returns. The FIFOs live in a
directory named after main's process, which the renderers know as their parent.
"""

from __future__ import annotations

import contextlib
import os
import select
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

from reference_impl import Page
from reference_impl.framing import SEND

__all__ = ["AckReader", "acknowledge_messages", "acknowledgements_directory", "remove_directory"]

ACKNOWLEDGED: Final = ord("A")
BLOCKED: Final = ord("B")
UNBLOCKED: Final = ord("U")


def acknowledgements_directory(main_pid: int) -> Path:
    """Return the directory of the FIFOs of the pages of the main process ``main_pid``."""
    return Path(tempfile.gettempdir()) / f"ipc-conformance-acks-{main_pid}"


class _AckWriter:
    """The page's end of its FIFO, opened at the first write (main opens its end first)."""

    def __init__(self, page_id: int) -> None:
        self.path = acknowledgements_directory(os.getppid()) / str(page_id)
        self.fd: int | None = None

    def write(self, code: int) -> None:
        with contextlib.suppress(OSError):  # no reader any more: main is gone or the FIFO full
            if self.fd is None:
                self.fd = os.open(self.path, os.O_WRONLY | os.O_NONBLOCK)
            os.write(self.fd, bytes([code]))


def acknowledge_messages(page: Page) -> None:
    """Preload: acknowledge every message from main once its listeners ran; say when the page blocks."""
    renderer: Any = page._transport
    writer = _AckWriter(page.id)
    dispatch = renderer._handlers[SEND]

    def handler(payload: bytes) -> None:
        try:
            dispatch(payload)
        finally:
            writer.write(ACKNOWLEDGED)

    renderer._handlers[SEND] = handler

    def blocking(call: Callable[..., Any]) -> Callable[..., Any]:
        def wrapped(self: object, *args: object) -> Any:
            writer.write(BLOCKED)
            try:
                return call(self, *args)
            finally:
                writer.write(UNBLOCKED)

        return wrapped

    ipc_class: Any = type(page.ipc)
    ipc_class.send_sync = ipc_class.send_channel_sync = blocking(ipc_class.send_sync)
    webview_class: Any = type(page.webview("-"))
    webview_class.send = blocking(webview_class.send)


class AckReader:
    """Main's end of one page's FIFO: counts the messages sent to the page and those it acknowledged."""

    def __init__(self, directory: Path, page_id: int) -> None:
        path = directory / str(page_id)
        os.mkfifo(path)
        self.fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        self._keep_open = os.open(path, os.O_WRONLY | os.O_NONBLOCK)  # no end-of-file between writers
        self.sent = 0
        self.acknowledged = 0
        self.blocked = False

    def _read(self) -> None:
        try:
            data = os.read(self.fd, 4096)
        except BlockingIOError:
            return
        for code in data:
            if code == ACKNOWLEDGED:
                self.acknowledged += 1
            else:
                self.blocked = code == BLOCKED

    def wait(self, timeout: float) -> None:
        """Count a message sent, and wait until the page acknowledged it, is blocked, or ``timeout``."""
        self.sent += 1
        deadline = time.monotonic() + timeout
        self._read()
        while self.acknowledged < self.sent and not self.blocked:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            if select.select([self.fd], [], [], remaining)[0]:
                self._read()

    def close(self) -> None:
        """Close both ends main holds."""
        for fd in (self.fd, self._keep_open):
            with contextlib.suppress(OSError):
                os.close(fd)


def remove_directory(directory: Path) -> None:
    """Remove the FIFOs' directory."""
    shutil.rmtree(directory, ignore_errors=True)
