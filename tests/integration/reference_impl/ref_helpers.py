"""Helpers for the reference implementation's process tests: inboxes, page loading, strict comparison.

Listeners in main run on main's thread; tests collect what they see in an
``Inbox`` (a thread-safe queue) and wait on it with generous timeouts.
"""

from __future__ import annotations

import math
import os
import queue
import threading
from dataclasses import dataclass
from typing import Any, Final

import pytest

from reference_impl import WebContents

TIMEOUT: Final = 20.0
"""How long a test waits for something that must happen (generous: the machine may be busy)."""

QUIET: Final = 0.4
"""How long a test watches for something that must not happen."""


class Inbox:
    """A thread-safe queue of observations; ``put`` can be used directly as a listener."""

    def __init__(self) -> None:
        self._queue: queue.Queue[object] = queue.Queue()

    def put(self, *items: object) -> None:
        """Record one observation: the single argument, or the tuple of arguments."""
        self._queue.put(items[0] if len(items) == 1 else items)

    def get(self, timeout: float = TIMEOUT) -> Any:
        """Return the next observation, failing the test if none comes within ``timeout``."""
        try:
            return self._queue.get(timeout=timeout)
        except queue.Empty:
            pytest.fail(f"nothing arrived within {timeout} s")

    def take(self, count: int) -> list[Any]:
        """Return the next ``count`` observations."""
        return [self.get() for _ in range(count)]

    def assert_quiet(self, within: float = QUIET) -> None:
        """Fail if an observation arrives within ``within`` seconds."""
        try:
            item = self._queue.get(timeout=within)
        except queue.Empty:
            return
        pytest.fail(f"expected nothing, got {item!r}")


@dataclass
class LoadedPage:
    """A page running a program, with what it posts collected in ``posts``."""

    contents: WebContents
    posts: Inbox


def load(contents: WebContents, program: str, *args: object) -> None:
    """Run ``ref_pages.<program>`` in the page and wait until it returned."""
    finished = threading.Event()
    contents.once("did-finish-load", finished.set)
    contents.load(f"ref_pages:{program}", *args)
    assert finished.wait(TIMEOUT), f"{program} did not finish loading"


def is_gone(pid: int) -> bool:
    """Return whether no process (not even a zombie) has this pid."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def has_exited(pid: int) -> bool:
    """Return whether the process has exited: gone, or a zombie left for a parent that is not us to reap."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rpartition(")")[2].split()[0] == "Z"
    except FileNotFoundError:
        return True


def same_plain(a: object, b: object) -> bool:
    """Return whether two received values are identical in type and value.

    Stricter than ``js_equal``: ``1`` (int) differs from ``1.0`` (float), dict key
    order counts; ``NaN`` equals ``NaN`` and ``-0.0`` differs from ``0.0``.
    """
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        assert isinstance(b, float)
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)
    if isinstance(a, list):
        assert isinstance(b, list)
        return len(a) == len(b) and all(same_plain(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        assert isinstance(b, dict)
        return list(a) == list(b) and all(same_plain(a[key], b[key]) for key in a)
    return a == b
