"""The main process: its ``ipc`` module, its pages, and the dispatcher thread main-side code runs on.

``Main`` lives in the caller's Python process. One thread runs its event loop:
reading every page's pipe, dispatching messages to ``ipc`` listeners, firing
``set_timeout`` callbacks and web-contents events. Other threads hand work to it
with ``call_soon`` (fire and forget) or ``call`` (run there and wait for the result).
``Main`` and ``WebContents`` are two halves of one design and use each other's
underscore members.
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import math
import os
import selectors
import sys
import threading
import time
import traceback
import weakref
from collections import deque
from collections.abc import Callable, Iterable
from typing import Any, Final, TypeVar

from reference_impl.emitter import EventEmitter
from reference_impl.loop import Loop, Timer
from reference_impl.web_contents import WebContents

__all__ = ["Main"]

T = TypeVar("T")

_OPEN: Final[weakref.WeakSet[Main]] = weakref.WeakSet()


class Main:
    """The main process of an Electron-shaped application.

    ``ipc`` is main's ipc module: one emitter for the messages of every page,
    whose listeners receive ``(event, *args)``. Use it as a context manager, or
    call ``close``; anything left open is closed at interpreter exit.
    """

    def __init__(
        self, *, page_path: Iterable[str | os.PathLike[str]] = (), preload: str | None = None
    ) -> None:
        """Start the dispatcher thread.

        ``page_path`` lists directories renderers search first for page programs;
        after them, a renderer imports from this process's ``sys.path`` as it is
        when the page is created.  ``preload`` (``"module:function"``), like
        Electron's preload script, runs in every renderer before anything else,
        called with the renderer's ``Page``.
        """
        self.preload = preload
        self.ipc = EventEmitter()
        self._page_path = [os.fspath(path) for path in page_path]
        self._hooks: list[Callable[[BaseException], object]] = []
        self._loop = Loop(report=self.report_exception)
        self._pages: dict[int, WebContents] = {}
        self._guests: dict[tuple[int, str], WebContents] = {}
        self._page_ids = itertools.count(1)
        self._calls: deque[Callable[[], object]] = deque()
        self._calls_lock = threading.Lock()
        self._wake_read, self._wake_write = os.pipe()
        os.set_blocking(self._wake_read, False)
        os.set_blocking(self._wake_write, False)
        self._loop.watch(self._wake_read, selectors.EVENT_READ, self._run_calls)
        self._closing = False
        self._stopping = False
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="reference-impl-main", daemon=True)
        self._thread.start()
        _OPEN.add(self)

    def __enter__(self) -> Main:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # Pages

    def create_page(self) -> WebContents:
        """Start a renderer process with an empty page; return its web contents once it is ready."""
        return self._start_page(embedder=None, element=None)

    def create_guest(self, embedder: WebContents, element: str) -> WebContents:
        """Start a guest page attached to the ``<webview>`` named ``element`` in ``embedder``.

        The attachment lasts until either page is destroyed (destroying the
        embedder destroys its guests); loading the embedder keeps it.
        Raises ValueError if ``embedder`` is destroyed or the element has a guest.
        """
        if not isinstance(element, str):
            raise TypeError(f"a <webview> element is named by a str, not {element!r}")
        return self._start_page(embedder=embedder, element=element)

    def guest(self, embedder: WebContents, element: str) -> WebContents | None:
        """Return the live guest attached to ``element`` in ``embedder``, if any."""
        return self._guests.get((embedder.id, element))

    # The dispatcher thread

    def call_soon(self, function: Callable[..., object], *args: object) -> None:
        """Run ``function(*args)`` on main's thread soon, after work already queued (any thread may call)."""
        with self._calls_lock:
            if self._stopped:
                raise RuntimeError("this Main is closed: nothing runs on its thread any more")
            self._calls.append(lambda: function(*args))
            with contextlib.suppress(BlockingIOError):  # if full, the pipe holds wake-ups already
                os.write(self._wake_write, b"\0")

    def call(self, function: Callable[..., T], *args: Any, timeout: float | None = None) -> T:
        """Run ``function(*args)`` on main's thread, wait, and return its result or raise its exception.

        Runs it at once when called on main's thread. Raises TimeoutError if it has
        not finished after ``timeout`` seconds, RuntimeError if main is closed.
        """
        if threading.current_thread() is self._thread:
            return function(*args)
        done = threading.Event()
        outcome: list[tuple[bool, Any]] = []

        def run() -> None:
            try:
                outcome.append((True, function(*args)))
            except BaseException as exc:
                outcome.append((False, exc))
            finally:
                done.set()

        self.call_soon(run)
        deadline = math.inf if timeout is None else time.monotonic() + timeout
        while not done.wait(min(0.1, max(deadline - time.monotonic(), 0.0))):
            if not self._thread.is_alive():
                raise RuntimeError("this Main closed before the call ran")
            if time.monotonic() >= deadline:
                raise TimeoutError(f"{function!r} did not finish on main's thread within {timeout} s")
        succeeded, result = outcome[0]
        if not succeeded:
            raise result
        return result  # type: ignore[no-any-return]

    def set_timeout(self, ms: float, callback: Callable[..., object], *args: object) -> Timer:
        """Run ``callback(*args)`` on main's thread after ``ms`` milliseconds; return its handle."""
        timer = self._loop.new_timer(ms / 1000, callback, *args)
        if threading.current_thread() is self._thread:
            self._loop.schedule(timer)
        else:
            self.call_soon(self._loop.schedule, timer)
        return timer

    def clear_timeout(self, timer: Timer) -> None:
        """Keep a ``set_timeout`` callback from running."""
        timer.cancel()

    # Uncaught exceptions

    def on_uncaught_exception(self, hook: Callable[[BaseException], object]) -> None:
        """Have ``hook(exc)`` called for each exception main-side code raised and nothing caught.

        Without hooks, the traceback is printed to stderr. Listener exceptions of
        ``ipc`` land here, never at the page that sent the message (ERR-2).
        """
        self._hooks.append(hook)

    def report_exception(self, exc: BaseException) -> None:
        """Hand ``exc`` to the uncaught-exception hooks (or print it when there are none)."""
        if not self._hooks:
            print("Uncaught exception in main:", file=sys.stderr)
            traceback.print_exception(exc)
        for hook in list(self._hooks):
            try:
                hook(exc)
            except Exception as hook_exc:
                traceback.print_exception(hook_exc)

    # Shutting down

    def close(self, timeout: float | None = None) -> None:
        """Destroy every page (their processes are gone when this returns) and stop main's thread.

        With a ``timeout``, main's thread gets that long to do it; if it is stuck (main
        code that never returns), every page process is killed from here instead and
        the thread, a daemon, is left behind.
        """
        if self._closing:
            return
        self._closing = True
        if threading.current_thread() is self._thread:
            self._shut_down()
            return
        if self._thread.is_alive():
            try:
                self.call(self._shut_down, timeout=timeout)
            except TimeoutError:
                for web_contents in list(self._pages.values()):
                    web_contents._process.popen.kill()
                    web_contents._process.popen.wait()
                return
        self._thread.join()

    # Internals shared with WebContents

    def _renderer_sys_path(self) -> list[str]:
        return [*self._page_path, *sys.path]

    def _start_page(self, *, embedder: WebContents | None, element: str | None) -> WebContents:
        if self._closing:
            raise RuntimeError("this Main is closed: it cannot create pages")
        if embedder is not None and embedder.is_destroyed():
            raise ValueError(f"page {embedder.id} is destroyed: it cannot hold a guest")
        web_contents = WebContents(self, next(self._page_ids), embedder=embedder, element=element)
        try:
            self.call(self._attach, web_contents)
        except BaseException:
            web_contents._process.close()
            raise
        return web_contents

    def _attach(self, web_contents: WebContents) -> None:
        """Start dispatching a new page's messages (on main's thread)."""
        embedder, element = web_contents.embedder, web_contents.element
        if embedder is not None and element is not None:
            if embedder.is_destroyed():
                raise ValueError(f"page {embedder.id} was destroyed while its guest started")
            if (embedder.id, element) in self._guests:
                raise ValueError(f"<webview> {element!r} of page {embedder.id} already has a guest")
            self._guests[(embedder.id, element)] = web_contents
        self._pages[web_contents.id] = web_contents
        web_contents._start()

    def _forget(self, web_contents: WebContents) -> None:
        """Drop a destroyed page, and destroy the guests it embeds (on main's thread)."""
        self._pages.pop(web_contents.id, None)
        if web_contents.embedder is not None and web_contents.element is not None:
            slot = (web_contents.embedder.id, web_contents.element)
            if self._guests.get(slot) is web_contents:
                del self._guests[slot]
        for (embedder_id, _), guest in list(self._guests.items()):
            if embedder_id == web_contents.id:
                guest._tear_down(crashed=False)

    def _shut_down(self) -> None:
        pages = list(self._pages.values())
        for web_contents in pages:
            web_contents._hang_up()  # all renderers exit in parallel
        for web_contents in pages:
            web_contents._tear_down(crashed=False)
        self._stopping = True

    def _run(self) -> None:
        try:
            while not self._stopping:
                self._loop.run_once()
        finally:
            with self._calls_lock:
                self._stopped = True
                self._calls.clear()
                os.close(self._wake_read)
                os.close(self._wake_write)
            self._loop.close()

    def _run_calls(self) -> None:
        try:
            while os.read(self._wake_read, 4096):
                pass
        except BlockingIOError:
            pass
        while self._calls and not self._stopping:
            call = self._calls.popleft()
            try:
                call()
            except Exception as exc:
                self.report_exception(exc)


@atexit.register
def _close_all() -> None:
    for main in list(_OPEN):
        main.close()
