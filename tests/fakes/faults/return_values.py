"""Faults in what ``sendSync`` returns (RET): main's answer converted, routed or given wrongly."""

from __future__ import annotations

import re
from typing import Final

from conformance.values.model import UNDEFINED, JSFunction, JSSymbol
from reference_impl import IpcEvent, Main, SyncIpcEvent, WebContents
from reference_impl.framing import SYNC
from reference_impl.json_answer import stringify
from reference_impl.wire_values import encode_arguments
from tests.fakes.faults._base import MainFault, split_message

__all__ = [
    "AnswerConvertedAsArguments",
    "AnswerNotUnicodeSafe",
    "AnswerToDestroyedPageThrows",
    "AnswersNullWithoutListener",
    "DeferredAnswerToLatestSyncPage",
    "ReturnValueReadsBack",
    "UnserializableAnswerIsNull",
]


class _AnswerEvent(SyncIpcEvent):
    """A sync event whose answer text is made by ``text`` (the reference: ``JSON.stringify``)."""

    def text(self, value: object) -> bytes:
        return stringify(value).encode("ascii")

    @property
    def return_value(self) -> object:
        return UNDEFINED

    @return_value.setter
    def return_value(self, value: object) -> None:
        text = self.text(value)
        with self._lock:
            if self._answered:
                return
            self._answered = True
        self._answer(text)


class _SyncFault(MainFault):
    """A fault in main's handling of sendSync: its events are ``event_class``."""

    event_class: type[IpcEvent] = _AnswerEvent

    def patch_page(self, contents: WebContents) -> None:
        def page_send_sync(payload: bytes) -> None:
            channel, args = split_message(payload)
            self.main.ipc.emit(channel, self.event_class(contents, contents._answer), *args)  # type: ignore[call-arg]

        contents._handlers[SYNC] = page_send_sync


class _ArgumentsAnswer(_AnswerEvent):
    def text(self, value: object) -> bytes:
        return encode_arguments([value])[1:-1]  # the one value of the list


class AnswerConvertedAsArguments(_SyncFault):
    """Main sends ``event.returnValue`` through the argument conversion instead of as JSON.

    One serializer for everything: ``NaN`` and ``-0`` survive, Dates arrive as ``{}``,
    getters are skipped, shared objects come back as ``null``. And nothing makes the
    assignment throw: ``undefined`` or a cycle is answered too (RET-3).
    """

    breaks = ("RET-2",)
    implies = ("RET-3",)
    shows = "some inputs"
    event_class = _ArgumentsAnswer


_ESCAPE: Final = re.compile(r"(?<!\\)((?:\\\\)*)\\u[0-9a-fA-F]{4}")


class _AsciiAnswer(_AnswerEvent):
    def text(self, value: object) -> bytes:
        return _ESCAPE.sub(r"\1?", stringify(value)).encode("ascii")


class AnswerNotUnicodeSafe(_SyncFault):
    """Main's answer loses every character outside printable ASCII: each comes back as ``?``.

    The reply written through a byte-oriented (Latin-1 or ASCII) channel with
    replacement characters. ERR-2's sendSync test answers with such values too.
    """

    breaks = ("RET-1",)
    implies = ("ERR-2", "RET-2")
    shows = "some inputs"
    event_class = _AsciiAnswer


class _NullForNothing(_AnswerEvent):
    def text(self, value: object) -> bytes:
        if value is UNDEFINED or isinstance(value, JSFunction | JSSymbol):
            return b"null"  # JSON.stringify(value) || 'null'
        return super().text(value)


class UnserializableAnswerIsNull(_SyncFault):
    """Assigning ``undefined``, a function or a Symbol answers ``null`` instead of throwing in main.

    ``JSON.stringify(value) || 'null'``. Cyclic values still throw.
    """

    breaks = ("RET-3",)
    shows = "some inputs"
    event_class = _NullForNothing


class AnswersNullWithoutListener(_SyncFault):
    """A ``sendSync`` on a channel with no listener returns ``null`` at once instead of blocking.

    A main that answers for nobody to spare the page a hang.
    """

    breaks = ("RET-7",)
    shows = "some inputs"

    def patch_page(self, contents: WebContents) -> None:
        super().patch_page(contents)
        answered = contents._handlers[SYNC]

        def page_send_sync(payload: bytes) -> None:
            channel, _ = split_message(payload)
            if self.main.ipc.listener_count(channel):
                answered(payload)
            else:
                contents._answer(b"null")

        contents._handlers[SYNC] = page_send_sync


class _ReadableAnswer(_AnswerEvent):
    assigned: object = UNDEFINED

    @property
    def return_value(self) -> object:
        return self.assigned

    @return_value.setter
    def return_value(self, value: object) -> None:
        self.assigned = value
        _AnswerEvent.return_value.fset(self, value)  # type: ignore[attr-defined]


class ReturnValueReadsBack(_SyncFault):
    """Reading ``event.returnValue`` on a sync event gives the value assigned, not ``undefined``.

    A data property plus a change hook, where v0.32 has a setter only.
    """

    breaks = ("RET-4",)
    shows = "always"
    event_class = _ReadableAnswer


class DeferredAnswerToLatestSyncPage(MainFault):
    """An answer assigned after the listener returned goes to the page that sent the latest sendSync.

    One "pending reply" slot in main instead of a reply handle per message: deferred
    answers are right while a single page waits, misrouted once two pages' sendSync
    overlap. The page that loses its answer stays blocked, so what main sends it
    afterwards never arrives (ORD-6), and the page that gets it returns it from its next
    sendSync before main answered that one (BLK-1), both in the mixed-traffic test.
    """

    breaks = ("RET-5",)
    implies = ("BLK-1", "ORD-6")
    shows = "some interleavings"

    def patch_main(self, main: Main) -> None:
        self.latest: WebContents | None = None

    def patch_page(self, contents: WebContents) -> None:
        def page_send_sync(payload: bytes) -> None:
            channel, args = split_message(payload)
            self.latest = contents
            dispatching = [True]

            def answer(text: bytes) -> None:
                page = contents if dispatching[0] or self.latest is None else self.latest
                page._answer(text)

            try:
                self.main.ipc.emit(channel, SyncIpcEvent(contents, answer), *args)
            finally:
                dispatching[0] = False

        contents._handlers[SYNC] = page_send_sync


class _ThrowsWhenDestroyed(_AnswerEvent):
    def text(self, value: object) -> bytes:
        if self.sender.is_destroyed():
            raise RuntimeError("Object has been destroyed")
        return super().text(value)


class AnswerToDestroyedPageThrows(_SyncFault):
    """Assigning ``event.returnValue`` once the sending page is destroyed throws in main.

    "Object has been destroyed", as later Electron versions say.
    """

    breaks = ("RET-8",)
    shows = "some interleavings"
    event_class = _ThrowsWhenDestroyed
