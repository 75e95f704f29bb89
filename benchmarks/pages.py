"""Page programs of the IPC benchmarks: they run inside a reference renderer process and time themselves.

Loaded with ``WebContents.load("benchmarks.pages:<name>", ...)``; results go back
to main with ``page.post`` (the out-of-band channel, not ``ipc``).  This module
imports nothing of the suite, so that the page measures the implementation only.
"""

from __future__ import annotations

import time
from typing import Any

__all__ = ["flood", "sync_loop"]


def sync_loop(page: Any, count: int, payload: list[object]) -> None:
    """Call ``ipc.send_sync('c', n, *payload)`` ``count`` times; post the seconds the loop took."""
    send_sync = page.ipc.send_sync
    start = time.perf_counter()
    for n in range(count):
        send_sync("c", n, *payload)
    page.post({"seconds": time.perf_counter() - start})


def flood(page: Any, count: int, payload: list[object]) -> None:
    """Post the clock, then ``ipc.send('c', n, *payload)`` ``count`` times as fast as the page can."""
    send = page.ipc.send
    page.post({"start": time.monotonic()})
    for n in range(count):
        send("c", n, *payload)
