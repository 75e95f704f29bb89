"""The renderer process: one page, its event loop, and its end of the two pipes to main.

``Main`` starts it as ``python -S -u -m reference_impl.renderer IN_FD OUT_FD PAGE_ID``:
``IN_FD`` carries main's frames, ``OUT_FD`` takes the page's. ``-S`` skips the
site module for a fast start; the directories listed in the environment variable
``REFERENCE_IMPL_SYS_PATH`` (main's ``page_path`` and ``sys.path``) are put in
front of ``sys.path`` instead, so page programs import as they would in main.
``REFERENCE_IMPL_PRELOAD`` names a ``"module:function"`` run with the ``Page`` first.

One thread does everything, like a browser's renderer main thread. ``sendSync``
reads the pipe itself until its answer comes; main's other frames read meanwhile
wait in the inbox and are dispatched, in order, once it returns (BLK-1, ORD-6).
The process exits as soon as main closes the pipe (or dies).
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import selectors
import sys
from collections import deque
from collections.abc import Callable
from typing import Final, NoReturn

from reference_impl.framing import (
    HOST,
    LOAD,
    LOADED,
    POST,
    READ_SIZE,
    READY,
    SEND,
    Frame,
    FrameReader,
    encode_frame,
    write_all,
)
from reference_impl.loop import Loop
from reference_impl.page import Page
from reference_impl.wire_values import decode_arguments

__all__ = ["PRELOAD_VARIABLE", "SYS_PATH_VARIABLE", "Renderer", "main"]

SYS_PATH_VARIABLE: Final = "REFERENCE_IMPL_SYS_PATH"
PRELOAD_VARIABLE: Final = "REFERENCE_IMPL_PRELOAD"


class Renderer:
    """One page's process; it is the page's ``PageTransport``."""

    def __init__(self, in_fd: int, out_fd: int, page_id: int) -> None:
        self._in_fd = in_fd
        self._out_fd = out_fd
        self._reader = FrameReader()
        self._inbox: deque[Frame] = deque()
        self._loop = Loop(report=self._report)
        self.page = Page(page_id, self, self._loop)
        self._handlers: dict[bytes, Callable[[bytes], None]] = {
            SEND: self._main_send,
            LOAD: self._main_load,
            HOST: self._main_host_message,
            POST: self._main_post,
        }

    def run(self) -> NoReturn:
        """Say ready, then dispatch main's frames and run timers until main goes away."""
        self.write(READY, b"null")
        self._loop.watch(self._in_fd, selectors.EVENT_READ, lambda: self._inbox.extend(self._read()))
        while True:
            while self._inbox:
                self._dispatch(self._inbox.popleft())
            self._loop.run_once()

    # PageTransport

    def write(self, kind: bytes, payload: bytes) -> None:
        """Send one frame to main; exit if main is gone."""
        try:
            write_all(self._out_fd, encode_frame(kind, payload))
        except BrokenPipeError:
            _exit()

    def wait_for(self, kind: bytes) -> bytes:
        """Block on the pipe until a frame of ``kind`` comes; queue the others, in order, in the inbox."""
        while True:
            frames = self._read()
            if len(frames) == 1 and frames[0].kind == kind:  # the usual case: the answer alone
                return frames[0].payload
            for index, frame in enumerate(frames):
                if frame.kind == kind:
                    self._inbox.extend(frames[:index] + frames[index + 1 :])
                    return frame.payload
            self._inbox.extend(frames)

    # Internals

    def _read(self) -> list[Frame]:
        data = os.read(self._in_fd, READ_SIZE)
        if not data:
            _exit()
        return self._reader.feed(data)

    def _report(self, exc: BaseException) -> None:
        self.page.report_exception(exc)

    def _dispatch(self, frame: Frame) -> None:
        try:
            self._handlers[frame.kind](frame.payload)
        except Exception as exc:
            self._report(exc)

    # One handler per kind of frame main sends (see framing).

    def _main_send(self, payload: bytes) -> None:
        channel, *args = decode_arguments(payload)
        self.page.ipc.emit(channel, *args)  # no event object (M2R-2)

    def _main_load(self, payload: bytes) -> None:
        request = json.loads(payload)
        self.page.unload()
        try:
            _page_program(request["program"])(self.page, *request["args"])
        except Exception as exc:
            self._report(exc)
        finally:
            self.write(LOADED, b"null")

    def _main_post(self, payload: bytes) -> None:
        self.page.receive_message(json.loads(payload))

    def _main_host_message(self, payload: bytes) -> None:
        element, channel, *args = decode_arguments(payload)
        self.page.webview(str(element)).dispatch_ipc_message(channel, args)


def _page_program(name: str) -> Callable[..., object]:
    """Return the function ``"module:function"`` names."""
    module_name, _, qualified_name = name.partition(":")
    program: object = importlib.import_module(module_name)
    for attribute in qualified_name.split("."):
        program = getattr(program, attribute)
    if not callable(program):
        raise TypeError(f"page program {name!r} is not a function: {program!r}")
    return program


def _exit() -> NoReturn:
    """Leave at once, flushing what page code printed (main is gone or closed the pipe)."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(0)


def main() -> NoReturn:
    """Run the renderer process (the command line is described in the module docstring)."""
    in_fd, out_fd, page_id = (int(argument) for argument in sys.argv[1:4])
    extra = [path for path in os.environ.get(SYS_PATH_VARIABLE, "").split(os.pathsep) if path]
    sys.path[:0] = [path for path in dict.fromkeys(extra) if path not in sys.path]
    renderer = Renderer(in_fd, out_fd, page_id)
    if preload := os.environ.get(PRELOAD_VARIABLE):
        _page_program(preload)(renderer.page)
    renderer.run()


if __name__ == "__main__":
    main()
