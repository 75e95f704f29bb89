"""The event objects main's ``ipc`` listeners receive first, before the message's arguments.

``IpcEvent`` comes with ``ipc.send``; ``SyncIpcEvent`` with ``ipc.sendSync``, whose
``return_value`` is a write-only property that answers the blocked page (RET-1 to
RET-8). Both carry ``sender``, the page's ``WebContents`` (M2R-3, M2R-4).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from conformance.values.model import UNDEFINED
from reference_impl.json_answer import stringify

if TYPE_CHECKING:
    from reference_impl.web_contents import WebContents

__all__ = ["IpcEvent", "SyncIpcEvent"]


class IpcEvent:
    """The event of an asynchronous message.

    ``return_value`` is an ordinary attribute here: it reads back what was
    assigned (initially ``UNDEFINED``) and has no effect (RET-4).
    """

    return_value: object = UNDEFINED

    def __init__(self, sender: WebContents) -> None:
        self.sender = sender
        self.default_prevented = False

    def prevent_default(self) -> None:
        """Set ``default_prevented`` (IPC has no default action to prevent)."""
        self.default_prevented = True


class SyncIpcEvent(IpcEvent):
    """The event of a ``sendSync`` message: assigning ``return_value`` answers it."""

    def __init__(self, sender: WebContents, answer: Callable[[bytes], None]) -> None:
        super().__init__(sender)
        self._answer = answer
        self._answered = False
        self._lock = threading.Lock()

    @property
    def return_value(self) -> object:
        """Always ``UNDEFINED``: the property has a setter only (RET-4)."""
        return UNDEFINED

    @return_value.setter
    def return_value(self, value: object) -> None:
        """Send ``JSON.stringify(value)`` to the page, which ``sendSync`` then returns.

        Raises TypeError, and sends nothing, for ``undefined``, a function, a
        Symbol or a cyclic value (RET-3). Later assignments after an answer went
        out are ignored (RET-6 is undefined behaviour in Electron), and so are
        assignments once the page is destroyed (RET-8).
        """
        text = stringify(value).encode("ascii")
        with self._lock:
            if self._answered:
                return
            self._answered = True
        self._answer(text)
