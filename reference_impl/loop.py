"""The small event loop both processes run: file descriptors to watch and a timer heap.

Main's dispatcher thread and each renderer run one ``Loop`` on a single thread;
everything a process does in response to a message or a timer happens inside
``run_once``. A callback that raises is handed to ``report`` and the loop goes on.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import selectors
import time
from collections.abc import Callable

__all__ = ["Loop", "Timer"]


class Timer:
    """One ``set_timeout`` registration; ``cancel`` stops it from running."""

    __slots__ = ("args", "callback", "cancelled", "due", "order")

    def __init__(
        self, due: float, order: int, callback: Callable[..., object], args: tuple[object, ...]
    ) -> None:
        self.due = due
        self.order = order
        self.callback = callback
        self.args = args
        self.cancelled = False

    def cancel(self) -> None:
        """Keep the timer from running (a no-op once it ran)."""
        self.cancelled = True

    def __lt__(self, other: Timer) -> bool:
        return (self.due, self.order) < (other.due, other.order)


class Loop:
    """A selector and a timer heap, driven by ``run_once`` on one thread."""

    def __init__(self, report: Callable[[BaseException], None]) -> None:
        self._selector = selectors.DefaultSelector()
        self._callbacks: dict[int, Callable[[], None]] = {}
        self._timers: list[Timer] = []
        self._order = itertools.count()
        self._report = report

    def watch(self, fd: int, events: int, callback: Callable[[], None]) -> None:
        """Call ``callback`` whenever ``fd`` is ready for ``events`` (``selectors.EVENT_*``)."""
        self._selector.register(fd, events, callback)
        self._callbacks[fd] = callback

    def unwatch(self, fd: int) -> None:
        """Stop watching ``fd`` (a no-op if it is not watched)."""
        with contextlib.suppress(KeyError):
            self._selector.unregister(fd)
        self._callbacks.pop(fd, None)

    def is_watching(self, fd: int) -> bool:
        """Return whether ``fd`` is watched."""
        return fd in self._callbacks

    def new_timer(self, delay: float, callback: Callable[..., object], *args: object) -> Timer:
        """Return a timer due ``delay`` seconds from now, not yet scheduled (any thread may call this)."""
        return Timer(time.monotonic() + max(delay, 0.0), next(self._order), callback, args)

    def schedule(self, timer: Timer) -> None:
        """Run ``timer`` when it is due; timers due at the same time run in creation order."""
        heapq.heappush(self._timers, timer)

    def call_later(self, delay: float, callback: Callable[..., object], *args: object) -> Timer:
        """Schedule ``callback(*args)`` in ``delay`` seconds and return its timer."""
        timer = self.new_timer(delay, callback, *args)
        self.schedule(timer)
        return timer

    def cancel_all_timers(self) -> None:
        """Drop every scheduled timer."""
        for timer in self._timers:
            timer.cancel()
        self._timers.clear()

    def run_once(self) -> None:
        """Wait for a watched descriptor or the next timer, then run what is ready and what is due."""
        while self._timers and self._timers[0].cancelled:
            heapq.heappop(self._timers)
        timeout = max(self._timers[0].due - time.monotonic(), 0.0) if self._timers else None
        for key, _ in self._selector.select(timeout):
            # An earlier callback of this round may have unwatched (even closed) this descriptor.
            callback: Callable[[], None] = key.data
            if self._callbacks.get(key.fd) is callback:
                self._run(callback)
        now = time.monotonic()
        while self._timers and self._timers[0].due <= now:
            timer = heapq.heappop(self._timers)
            if not timer.cancelled:
                timer.cancelled = True
                self._run(timer.callback, *timer.args)

    def close(self) -> None:
        """Release the selector."""
        self._selector.close()

    def _run(self, callback: Callable[..., object], *args: object) -> None:
        try:
            callback(*args)
        except Exception as exc:
            self._report(exc)
