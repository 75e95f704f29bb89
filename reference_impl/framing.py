"""Frames: the messages main and a renderer exchange over their two pipes.

A frame is one line: a kind (an ASCII word), a space, a JSON payload, ``\\n``.
Payloads are ASCII (JSON with ``\\u`` escapes), so a newline only ever ends a frame.
"Arguments" below are an argument list in the wire form of ``wire_values``.

From a renderer to main:

============== ============================================= =========================
kind           payload                                       sent by
============== ============================================= =========================
``ready``      ``null``                                      the renderer, once started
``send``       arguments ``[channel, *args]`` (``[]``: no    ``ipc.send``
               channel given)
``sync``       the same                                      ``ipc.sendSync``; main answers ``reply``
``to-host``    the same                                      ``ipc.sendToHost``
``webview``    arguments ``[element, channel, *args]``       ``<webview>.send``; main answers
               (``[element]``: no channel given)             ``webview-done``
``post``       any JSON value                                ``page.post``
``loaded``     ``null``                                      the renderer, after a page program ran
============== ============================================= =========================

From main to a renderer:

================ =========================================== =========================
kind             payload                                     meaning
================ =========================================== =========================
``send``         arguments ``[channel, *args]``              ``webContents.send``
``reply``        the JSON text of ``event.returnValue``      the answer to ``sync``
``webview-done`` ``null``, or the TypeError's message        the answer to ``webview``
``load``         ``{"program": "module:function",            ``webContents.load``
                 "args": [...]}``
``host``         arguments ``[element, channel, *args]``     a guest's ``sendToHost``, for
                                                             that ``<webview>`` element
``post``         any JSON value                              ``webContents.post``, for the
                                                             page's ``on_message`` hooks
================ =========================================== =========================
"""

from __future__ import annotations

import os
from typing import Final, NamedTuple

__all__ = [
    "HOST",
    "LOAD",
    "LOADED",
    "POST",
    "READY",
    "REPLY",
    "SEND",
    "SYNC",
    "TO_HOST",
    "WEBVIEW",
    "WEBVIEW_DONE",
    "Frame",
    "FrameReader",
    "encode_frame",
    "write_all",
]

READY: Final = b"ready"
SEND: Final = b"send"
SYNC: Final = b"sync"
TO_HOST: Final = b"to-host"
WEBVIEW: Final = b"webview"
POST: Final = b"post"
LOADED: Final = b"loaded"
REPLY: Final = b"reply"
WEBVIEW_DONE: Final = b"webview-done"
LOAD: Final = b"load"
HOST: Final = b"host"

READ_SIZE: Final = 1 << 16


class Frame(NamedTuple):
    """One message: its kind and its JSON payload."""

    kind: bytes
    payload: bytes


def encode_frame(kind: bytes, payload: bytes) -> bytes:
    """Return the bytes of one frame."""
    return b"%s %s\n" % (kind, payload)


def write_all(fd: int, data: bytes) -> None:
    """Write all of ``data`` to the blocking descriptor ``fd``."""
    written = os.write(fd, data)
    if written == len(data):
        return
    view = memoryview(data)[written:]
    while view:
        view = view[os.write(fd, view) :]


class FrameReader:
    """Cuts the bytes read from a pipe into frames."""

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._scanned = 0

    def feed(self, data: bytes) -> list[Frame]:
        """Add ``data`` and return the frames it completes, in order."""
        if not self._buffer and data and data.find(b"\n") == len(data) - 1:
            kind, _, payload = data[:-1].partition(b" ")  # the usual case: one whole frame
            return [Frame(kind, payload)]
        self._buffer += data
        frames = []
        start = 0
        while (end := self._buffer.find(b"\n", max(start, self._scanned))) >= 0:
            kind, _, payload = bytes(self._buffer[start:end]).partition(b" ")
            frames.append(Frame(kind, payload))
            start = end + 1
        del self._buffer[:start]
        self._scanned = len(self._buffer)
        return frames
