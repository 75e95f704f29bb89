"""The oracle of edition v0.32: what a receiver must see, from SEMANTICS.md sections 1, 3, 4 and 6.

Pure functions from the values a scenario sends to the values its listeners must
receive (plain Python trees, dict keys in the order JavaScript enumerates them), and
from what main's listeners do with ``event.returnValue`` to what ``sendSync`` returns.

Argument conversion (SER) follows Electron v0.32.0's V8ValueConverter in two phases.
On the sender, phase 1 walks the whole wire message (the channel and the arguments of
one call, as one array) depth first in the sender's own-key order and builds base
values: null, booleans, numbers, strings, lists, and dictionaries whose keys are kept
sorted by their UTF-8 bytes.  On the receiver, phase 2 builds fresh JavaScript values
from them, one property assignment per key in that byte order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, TypeAlias

from conformance.editions.jsops import JSThrow, enumeration_order, json_round_trip, to_string, utf8_bytes
from conformance.values.model import (
    UNDEFINED,
    Hole,
    JSArray,
    JSArrayBuffer,
    JSBuffer,
    JSDate,
    JSError,
    JSFunction,
    JSMap,
    JSObject,
    JSPromise,
    JSRegExp,
    JSSet,
    JSSymbol,
    JSTypedArray,
    Undefined,
    Value,
)

__all__ = [
    "DEPTH_LIMIT",
    "NAME",
    "NO_ANSWER",
    "PAGE_DESTROYED",
    "Assign",
    "MainStep",
    "NoAnswer",
    "PageDestroyed",
    "SyncOutcome",
    "convert_arguments",
    "convert_host_message",
    "convert_message",
    "emitter_key",
    "read_return_value",
    "sync_answer",
    "sync_outcome",
]

NAME: Final = "v0.32"

DEPTH_LIMIT: Final = 99
"""A value this many levels below a top-level argument, or deeper, is dropped (SER-11)."""


class _Dropped:
    """Phase 1 gives no base value (V8ValueConverter returns nullptr)."""


_DROPPED: Final = _Dropped()


class _Sender:
    """Phase 1 over one wire message: one set of the objects met so far (SER-10)."""

    def __init__(self) -> None:
        self._met: set[int] = set()

    def convert(self, value: Value, depth: int) -> Value | _Dropped:
        """Return the base value for ``value`` found ``depth`` levels below a top-level argument."""
        if depth >= DEPTH_LIMIT:  # checked before anything else: even a number is dropped
            return _DROPPED
        match value:
            case None | bool() | int() | float() | str():
                return value  # SER-3, SER-4: numbers bit-exact, strings exact
            case Undefined() | JSFunction() | JSSymbol():
                return _DROPPED  # SER-2, SER-5, SER-6
            case JSBuffer() | JSTypedArray(kind="Uint8Array"):
                return None  # SER-9: a binary value, which arrives as null wherever it is
            case list() | JSArray():
                return self._array(value, depth) if self._first_meeting(value) else None
            case _:
                return self._object(value, depth) if self._first_meeting(value) else None

    def _first_meeting(self, value: object) -> bool:
        """Return whether ``value`` is met for the first time in this message, and mark it met."""
        if id(value) in self._met:
            return False
        self._met.add(id(value))
        return True

    def _array(self, value: list[Value | Hole] | JSArray, depth: int) -> list[Value | Hole]:
        """Return the index elements, holes skipped, unconvertible ones as null (SER-5)."""
        items = value.items if isinstance(value, JSArray) else value
        result: list[Value | Hole] = []
        for item in items:
            if isinstance(item, Hole):
                continue
            child = self.convert(item, depth + 1)
            result.append(None if isinstance(child, _Dropped) else child)
        return result

    def _object(self, value: Value, depth: int) -> dict[str, Value]:
        """Return the own enumerable data properties, unconvertible values omitted (SER-6)."""
        result: dict[str, Value] = {}
        for key, item in _enumerable_data(value):
            child = self.convert(item, depth + 1)
            if not isinstance(child, _Dropped):
                result[key] = child
        return dict(sorted(result.items(), key=lambda entry: utf8_bytes(entry[0])))


def _enumerable_data(value: Value) -> list[tuple[str, Value]]:
    """Return the own enumerable string-keyed data properties, in the sender's enumeration order.

    Accessors are skipped without calling their getter (SER-6); Date, RegExp, Error, Map,
    Set, Promise and ArrayBuffer have none in the value model (SER-8).
    """
    match value:
        case dict():
            return [(key, value[key]) for key in enumeration_order(value)]
        case JSObject():
            data = {
                prop.key: prop.value
                for prop in value.properties
                if isinstance(prop.key, str) and prop.enumerable and not prop.is_accessor
            }
            return [(key, data[key]) for key in enumeration_order(data)]
        case JSTypedArray():
            return [(str(index), item) for index, item in enumerate(value.values)]
        case JSDate() | JSRegExp() | JSError() | JSMap() | JSSet() | JSPromise() | JSArrayBuffer():
            return []
    raise TypeError(f"not a JavaScript value: {value!r} ({type(value).__name__})")


def _receive(base: Value | Hole) -> Value:
    """Phase 2: build the receiver's fresh value from a base value.

    Keys are assigned in byte order, so they enumerate array indices first, then the rest
    in byte order (SER-7).  Assigning ``"__proto__"`` runs the prototype setter instead of
    creating an own property (SER-12).
    """
    match base:
        case list():
            return [_receive(item) for item in base]
        case dict():
            return {key: _receive(base[key]) for key in enumeration_order(base) if key != "__proto__"}
    assert not isinstance(base, Hole), "phase 1 skips holes"
    return base


def convert_arguments(args: Sequence[Value]) -> list[Value]:
    """Return the arguments of one message as its receiver gets them (SER-0 to SER-12).

    For ``webContents.send`` and ``<webview>.send``, whose channel is a string outside the
    conversion; the renderer's own sends convert their channel too: see ``convert_message``.
    """
    sender = _Sender()
    base = [sender.convert(arg, 0) for arg in args]
    return [None if isinstance(item, _Dropped) else _receive(item) for item in base]


def convert_message(
    channel: Value = UNDEFINED, args: Sequence[Value] = (), *, channel_omitted: bool = False
) -> tuple[Value, list[Value]]:
    """Return the channel main dispatches on and the arguments main's listeners get after the event.

    ``ipc.send(channel, ...args)`` (and ``sendSync``, ``sendToHost``) sends ``[channel,
    ...args]`` as one wire message, so the channel is converted with the arguments, one
    set of met objects for all (CH-5, SER-10).  With ``channel_omitted`` (``ipc.send()``,
    no arguments at all) the wire message is empty and main's channel is ``UNDEFINED``,
    which no conversion produces otherwise.
    """
    if channel_omitted:
        if not isinstance(channel, Undefined) or args:
            raise ValueError(
                "a call without a channel has no arguments at all; got channel"
                f" {channel!r} and args {list(args)!r} with channel_omitted=True"
            )
        return UNDEFINED, []
    converted_channel, *converted_args = convert_arguments([channel, *args])
    return converted_channel, converted_args


def emitter_key(channel: Value) -> str:
    """Return the event name main's ``ipc`` emits for a channel from ``convert_message``: String(channel).

    ``1`` gives ``"1"``, an object ``"[object Object]"``, an omitted channel (``UNDEFINED``)
    ``"undefined"``, an explicit ``undefined`` (converted to ``null``) ``"null"`` (CH-5).
    Raises ``JSThrow`` when main's emitter throws instead of dispatching: an object channel
    with its own ``toString`` key.
    """
    return to_string(channel)


def convert_host_message(
    channel: Value = UNDEFINED, args: Sequence[Value] = (), *, channel_omitted: bool = False
) -> tuple[Value, list[Value]]:
    """Return ``event.channel`` and ``event.args`` of the embedder's 'ipc-message' for a guest's call.

    The guest calls ``ipc.sendToHost(channel, ...args)``, or ``ipc.sendToHost()`` with
    ``channel_omitted``.

    Main forwards the converted channel and arguments to the embedder as the arguments of
    one more message, converted again: that leaves them as they were, except an omitted
    channel (``undefined`` in main), which arrives as ``null`` (HOST-3).
    """
    main_channel, main_args = convert_message(channel, args, channel_omitted=channel_omitted)
    host_channel, *host_args = convert_arguments([main_channel, *main_args])
    return host_channel, host_args


class NoAnswer:
    """``sendSync`` does not return: no answer is sent; use the singleton ``NO_ANSWER``."""

    _instance: NoAnswer | None = None

    def __new__(cls) -> NoAnswer:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "NO_ANSWER"


NO_ANSWER: Final = NoAnswer()


def sync_answer(value: Value) -> Value | NoAnswer:
    """Return what ``sendSync`` returns when main assigns ``event.returnValue = value``.

    The answer is ``JSON.parse(JSON.stringify(value))`` (RET-2, see ``json_round_trip``);
    ``NO_ANSWER`` where JSON.stringify throws (a cycle) or gives nothing (``undefined``, a
    function, a Symbol), as main's setter then throws and sends nothing (RET-3).
    """
    try:
        answer = json_round_trip(value)
    except JSThrow:
        return NO_ANSWER
    return NO_ANSWER if isinstance(answer, Undefined) else answer


@dataclass(frozen=True)
class Assign:
    """A listener of main, or a timer it started, assigns ``event.returnValue = value``."""

    value: Value


@dataclass(frozen=True)
class PageDestroyed:
    """The page blocked in ``sendSync`` is destroyed; use ``PAGE_DESTROYED``."""


PAGE_DESTROYED: Final = PageDestroyed()

MainStep: TypeAlias = Assign | PageDestroyed
"""What happens in main for one ``sendSync``, in order; when it happens does not matter (RET-5)."""


@dataclass(frozen=True)
class SyncOutcome:
    """What one ``sendSync`` leads to.

    ``answer`` is what ``sendSync`` returns, or ``NO_ANSWER`` when it never returns (the
    renderer stays blocked, or the page was destroyed first); ``main_throws`` tells
    whether assigning ``returnValue`` threw in main.
    """

    answer: Value | NoAnswer
    main_throws: bool


def sync_outcome(steps: Sequence[MainStep]) -> SyncOutcome:
    """Return the outcome of one ``sendSync`` given what happened in main, in order.

    The assigned value answers (RET-1, RET-2), whenever it is assigned (RET-5); with no
    assignment the renderer stays blocked (RET-7); a value JSON cannot carry throws in
    main and answers nothing (RET-3); an assignment after the page was destroyed is
    ignored without error (RET-8).  Raises ``ValueError`` for two assignments (RET-6, UB).
    """
    assignments = [index for index, step in enumerate(steps) if isinstance(step, Assign)]
    if len(assignments) > 1:
        raise ValueError(
            f"returnValue assigned {len(assignments)} times for one message: undefined behaviour (RET-6)"
        )
    if not assignments:
        return SyncOutcome(NO_ANSWER, main_throws=False)
    index = assignments[0]
    step = steps[index]
    assert isinstance(step, Assign)
    answer = sync_answer(step.value)
    main_throws = isinstance(answer, NoAnswer)
    if any(isinstance(earlier, PageDestroyed) for earlier in steps[:index]):
        return SyncOutcome(NO_ANSWER, main_throws=main_throws)
    return SyncOutcome(answer, main_throws=main_throws)


def read_return_value(assigned: Sequence[Value], *, sync: bool) -> Value:
    """Return what reading ``event.returnValue`` gives after the assignments ``assigned``, in order.

    On a ``sendSync`` event ``returnValue`` is a setter only: reading gives ``UNDEFINED``.
    On a ``send`` event it is an ordinary property: the last value assigned, itself (RET-4).
    Raises ``ValueError`` for two assignments on a ``sendSync`` event (RET-6, UB).
    """
    if sync:
        if len(assigned) > 1:
            raise ValueError(
                f"returnValue assigned {len(assigned)} times for one message: undefined behaviour (RET-6)"
            )
        return UNDEFINED
    return assigned[-1] if assigned else UNDEFINED
