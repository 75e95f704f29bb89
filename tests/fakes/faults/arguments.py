"""Faults in argument conversion (SER): the pages' converter, or their decoder, departs from v0.32's.

Each fault swaps a subclass of the reference's converter (``wire_values._Converter``)
or decoder into every renderer process, so that what pages send (``send``,
``sendSync``, ``sendToHost``, ``<webview>.send``) or receive is converted wrongly;
main's own conversion (``webContents.send``) stays right. The suite's two joint
conversion tests (every SER IMPL clause at once) fail along with the targeted one.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Sequence
from typing import Any, Final

import reference_impl.wire_values as wire_values
from conformance.values.model import (
    HOLE,
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
)
from reference_impl import Page
from reference_impl.framing import POST, SEND, TO_HOST
from reference_impl.js_rules import ordered_object, property_key, received_number
from reference_impl.json_answer import iso_date
from reference_impl.page import OMITTED
from tests.fakes.faults._base import Fault, preload_of

__all__ = [
    "BinaryDataArrives",
    "CallsGetters",
    "DatesAsIsoStrings",
    "DepthLimitOffByOne",
    "InsertionOrderKeys",
    "KeepsArrayHoles",
    "KeepsSharedReferences",
    "KeepsTopLevelFunctions",
    "NegativeZeroLostInNestedArrays",
    "NumbersThroughPlainJson",
    "OwnProtoKeyKept",
    "SerializesLazily",
    "StringsCutAtNul",
    "ThrowsOnCycles",
]

_Converter = wire_values._Converter


def _use(converter: type[_Converter]) -> None:
    """Make every later conversion in this process use ``converter``."""
    wire_values._Converter = converter  # type: ignore[misc]


_OBJECTS: Final = (list, dict, JSArray, JSObject, JSTypedArray, JSDate, JSRegExp, JSError, JSMap, JSSet)
_OBJECTS_TOO: Final = (JSPromise, JSArrayBuffer)


def _is_object(value: object) -> bool:
    """Return whether the converter tracks ``value`` as an object it has met (SER-10)."""
    return isinstance(value, _OBJECTS + _OBJECTS_TOO)


def _json_number(value: object) -> object:
    """Return ``value`` as a JSON text gives it back: ``NaN`` and infinities as null, -0 as 0."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, float) and value == 0:
        return 0.0
    return value


class _PlainJsonNumbers(_Converter):
    def value(self, value: object, depth: int) -> object:
        return _json_number(super().value(value, depth))

    def _array(self, items: Sequence[object], depth: int) -> list[object]:
        return [_json_number(item) for item in super()._array(items, depth)]


def plain_json_numbers(page: Page) -> None:
    """Preload: numbers convert as JSON writes them."""
    _use(_PlainJsonNumbers)


class NumbersThroughPlainJson(Fault):
    """Pages convert numbers as plain JSON does: ``NaN`` and ``±Infinity`` arrive as ``null``, -0 as 0.

    ``JSON.stringify`` used as the wire format. A channel is converted with the
    arguments, so a ``NaN`` channel reaches listeners of ``'null'`` (CH-5) and
    ``event.channel`` is ``null`` (HOST-3); typed arrays of floats carry the numbers (SER-8).
    """

    breaks = ("SER-3",)
    implies = ("CH-5", "HOST-3", "SER-8")
    shows = "some inputs"
    preload = preload_of(plain_json_numbers)


class _NestedZeroLost(_Converter):
    def __init__(self) -> None:
        super().__init__()
        self._arrays = 0

    def _array(self, items: Sequence[object], depth: int) -> list[object]:
        self._arrays += 1
        try:
            if self._arrays >= 2:
                items = [0.0 if isinstance(item, float) and item == 0 else item for item in items]
            result: list[object] = super()._array(items, depth)
        finally:
            self._arrays -= 1
        return result


def nested_zero_lost(page: Page) -> None:
    """Preload: -0 becomes 0 inside an array held by an array."""
    _use(_NestedZeroLost)


class NegativeZeroLostInNestedArrays(Fault):
    """Pages send ``-0`` as ``0`` when it sits in an array inside another array (``[[-0]]``).

    A converter with a fast path for nested numeric arrays (packed doubles written
    through an integer check) that forgets the sign of zero; top-level and shallow
    numbers are right.
    """

    breaks = ("SER-3",)
    shows = "some inputs"
    preload = preload_of(nested_zero_lost)


class _CutAtNul(_Converter):
    cutting = False

    def value(self, value: object, depth: int) -> object:
        if self.cutting and isinstance(value, str) and depth < wire_values.MAX_DEPTH:
            return value.partition("\0")[0]
        return super().value(value, depth)

    def _array(self, items: Sequence[object], depth: int) -> list[object]:
        cut = [item.partition("\0")[0] if self.cutting and isinstance(item, str) else item for item in items]
        return super()._array(cut, depth)


def cut_strings_at_nul(page: Page) -> None:
    """Preload: the strings of every argument after the first (the channel) end at their first NUL."""

    def to_wire(arguments: Sequence[object]) -> list[object]:
        converter = _CutAtNul()
        converted = [converter.element(argument, 0) for argument in arguments[:1]]
        converter.cutting = True
        return converted + [converter.element(argument, 0) for argument in arguments[1:]]

    wire_values.to_wire = to_wire


class StringsCutAtNul(Fault):
    """Pages cut the strings of their arguments at the first NUL character: ``'a\\0b'`` arrives as ``'a'``.

    Strings passed through a C string API (``strlen``) on their way to the wire; the
    channel, handled apart, stays whole. Strings with NUL come in every argument
    strategy of the suite, so the tests of arguments sent by pages fail too (CH-1, CH-5,
    HOST-1, HOST-3, HOST-5, SER-0, and the conversion clauses whose values hold strings).
    """

    breaks = ("SER-4",)
    implies = (
        "CH-1",
        "CH-5",
        "HOST-1",
        "HOST-3",
        "HOST-5",
        "SER-0",
        "SER-2",
        "SER-5",
        "SER-6",
        "SER-10",
        "SER-12",
    )
    shows = "some inputs"
    preload = preload_of(cut_strings_at_nul)


class _KeepsHoles(_Converter):
    def _array(self, items: Sequence[object], depth: int) -> list[object]:
        return [None if item is HOLE else self.element(item, depth + 1) for item in items]


def keep_holes(page: Page) -> None:
    """Preload: holes convert to null."""
    _use(_KeepsHoles)


class KeepsArrayHoles(Fault):
    """Pages send an array's holes as ``null``, not dropped: ``[1, , 3]`` arrives as ``[1, null, 3]``.

    Walking arrays by index up to ``length``, as ``JSON.stringify`` does.
    """

    breaks = ("SER-5",)
    shows = "some inputs"
    preload = preload_of(keep_holes)


class _TopLevelFunctions(_Converter):
    def element(self, value: object, depth: int) -> object:
        if depth == 0 and isinstance(value, JSFunction):
            return {}
        return super().element(value, depth)


def keep_top_level_functions(page: Page) -> None:
    """Preload: a function argument converts to an empty object."""
    _use(_TopLevelFunctions)


class KeepsTopLevelFunctions(Fault):
    """Pages send a function argument as an empty object ``{}`` instead of ``null``.

    A converter that tests ``typeof value === 'object' || typeof value === 'function'``
    for "is an object" at the top level and walks the function's (no) own properties.
    """

    breaks = ("SER-2",)
    shows = "some inputs"
    preload = preload_of(keep_top_level_functions)


class _AncestorsOnly(_Converter):
    def value(self, value: object, depth: int) -> object:
        fresh = _is_object(value) and id(value) not in self._seen
        try:
            return super().value(value, depth)
        finally:
            if fresh:
                self._seen.discard(id(value))


def keep_shared_references(page: Page) -> None:
    """Preload: only ancestors count as met (cycles become null, shared objects are copied)."""
    _use(_AncestorsOnly)


class KeepsSharedReferences(Fault):
    """Pages copy an object met twice in one message instead of sending ``null`` the second time.

    Cycle detection by the current path only (a stack of ancestors), as in later
    Electron versions: ``send('c', o, o)`` delivers two copies of ``o``.
    """

    breaks = ("SER-10",)
    shows = "some inputs"
    preload = preload_of(keep_shared_references)


class _InsertionOrder(_Converter):
    def _dict(self, value: dict[Any, object], depth: int) -> dict[str, object]:
        return self._object([(property_key(key), item) for key, item in value.items()], depth)

    def _object(self, properties: list[tuple[Any, object]], depth: int) -> dict[str, object]:
        converted: dict[str, object] = {}
        for key, item in wire_values._enumeration_order(properties):
            value = self.value(item, depth + 1)
            if value is not wire_values._NOTHING:
                converted[key] = value
        return converted


def insertion_order_keys(page: Page) -> None:
    """Preload: object keys travel in enumeration order, unsorted."""
    _use(_InsertionOrder)


class InsertionOrderKeys(Fault):
    """Received objects list their keys in the sender's order, not byte-sorted (integer keys still first).

    A converter that keeps insertion order where Chromium's dictionary sorts its keys.
    """

    breaks = ("SER-7",)
    shows = "some inputs"
    preload = preload_of(insertion_order_keys)


class _IsoDates(_Converter):
    def value(self, value: object, depth: int) -> object:
        if isinstance(value, JSDate) and depth < wire_values.MAX_DEPTH:
            return iso_date(value.time)
        return super().value(value, depth)


def dates_as_iso_strings(page: Page) -> None:
    """Preload: Dates convert to their ISO string (null if invalid)."""
    _use(_IsoDates)


class DatesAsIsoStrings(Fault):
    """Pages send a Date as its ISO string (``Date.prototype.toJSON``) instead of ``{}``.

    JSON-flavoured converters call ``toJSON``. A string is no object, so a Date met twice
    in one message arrives as its string both times, not ``null`` the second time: SER-10's
    test shares Dates too.
    """

    breaks = ("SER-8",)
    implies = ("SER-10",)
    shows = "some inputs"
    preload = preload_of(dates_as_iso_strings)


class _BinaryData(_Converter):
    def value(self, value: object, depth: int) -> object:
        if depth < wire_values.MAX_DEPTH:
            if isinstance(value, JSBuffer):
                return list(value.data)
            if isinstance(value, JSTypedArray) and value.kind == "Uint8Array":
                return {str(index): item for index, item in enumerate(value.values)}
        return super().value(value, depth)


def binary_data_arrives(page: Page) -> None:
    """Preload: a Buffer converts to the array of its bytes, a Uint8Array like other typed arrays."""
    _use(_BinaryData)


class BinaryDataArrives(Fault):
    """Pages send a Buffer as the array of its bytes and a Uint8Array as an index-keyed object.

    A converter without Chromium's binary value, treating Uint8Array like other typed arrays.
    The byte array is made afresh at each encounter, so a Buffer met twice in one message
    arrives twice, where SER-10 wants ``null`` for an object met again (the catch-all
    conversion tests share Buffers).
    """

    breaks = ("SER-9",)
    implies = ("SER-10",)
    shows = "some inputs"
    preload = preload_of(binary_data_arrives)


def depth_limit_off_by_one(page: Page) -> None:
    """Preload: values are dropped from 100 levels down, not 99."""
    wire_values.MAX_DEPTH = 100  # type: ignore[misc]


class DepthLimitOffByOne(Fault):
    """Pages drop values from 100 levels down instead of 99 (``>`` where ``>=`` was meant).

    A value exactly 99 levels below an argument still arrives.
    """

    breaks = ("SER-11",)
    shows = "some inputs"
    preload = preload_of(depth_limit_off_by_one)


_PROTO_DECODER: Final = json.JSONDecoder(
    object_pairs_hook=lambda pairs: ordered_object(pairs, keep_proto=True),
    parse_float=lambda text: received_number(float(text)),
)


def keep_proto_keys(page: Page) -> None:
    """Preload: what the page receives keeps an own ``"__proto__"`` key."""

    def decode_arguments(data: bytes) -> list[object]:
        arguments: list[object] = _PROTO_DECODER.decode(data.decode("ascii"))
        return arguments

    renderer_module = sys.modules[type(page._transport).__module__]  # __main__ in a renderer process
    renderer_module.decode_arguments = decode_arguments  # type: ignore[attr-defined]


class OwnProtoKeyKept(Fault):
    """Pages receive an own ``"__proto__"`` property instead of dropping it.

    A decoder that defines every received key as an own property (``Object.defineProperty``)
    where v0.32 assigns them, so that ``__proto__`` runs the prototype setter. It shows on
    ``webContents.send`` only: what main relays (``<webview>.send``, ``sendToHost``) lost
    the key when main received it.
    """

    breaks = ("SER-12",)
    shows = "some inputs"
    preload = preload_of(keep_proto_keys)


class _Getters(_Converter):
    def value(self, value: object, depth: int) -> object:
        if isinstance(value, JSObject) and depth < wire_values.MAX_DEPTH and id(value) not in self._seen:
            self._seen.add(id(value))
            properties: list[tuple[str | JSSymbol, object]] = [
                (property_key(p.key), p.getter if p.is_accessor else p.value)
                for p in value.properties
                if p.enumerable
            ]
            return self._object(properties, depth)
        return super().value(value, depth)


def call_getters(page: Page) -> None:
    """Preload: accessors convert to what their getter returns."""
    _use(_Getters)


class CallsGetters(Fault):
    """Pages call getters and send their values, where v0.32 skips accessor properties.

    Reading properties with ``obj[key]`` rather than looking at their descriptors.
    """

    breaks = ("SER-6",)
    shows = "some inputs"
    preload = preload_of(call_getters)


class _CyclesThrow(_Converter):
    def __init__(self) -> None:
        super().__init__()
        self._path: set[int] = set()

    def value(self, value: object, depth: int) -> object:
        if not isinstance(value, list | dict | JSArray | JSObject):
            return super().value(value, depth)
        if id(value) in self._path:
            raise TypeError("Converting circular structure to JSON")
        self._path.add(id(value))
        try:
            return super().value(value, depth)
        finally:
            self._path.discard(id(value))


def throw_on_cycles(page: Page) -> None:
    """Preload: a cyclic argument makes the send throw."""
    _use(_CyclesThrow)


class ThrowsOnCycles(Fault):
    """Sending a cyclic value throws ``TypeError: Converting circular structure to JSON`` in the page.

    ``JSON.stringify`` as the wire format. The send's message is lost with it, so the
    cycle tests of SER-10 fail, and ERR-1's "sending validates nothing" does too.
    """

    breaks = ("SER-1",)
    implies = ("ERR-1", "SER-10")
    shows = "some inputs"
    preload = preload_of(throw_on_cycles)


def serialize_lazily(page: Page) -> None:
    """Preload: ``send`` and ``sendToHost`` convert their arguments when the page's current task ends."""
    ipc: Any = page.ipc
    renderer: Any = page._transport
    pending: list[tuple[bytes, list[object]]] = []
    write = renderer.write

    def flush() -> None:
        while pending:
            kind, message = pending.pop(0)
            write(kind, wire_values.encode_arguments(message))

    def lazily(kind: bytes) -> Any:
        def send(channel: object = OMITTED, *args: object) -> None:
            if not pending:
                renderer._loop.call_later(0, flush)
            pending.append((kind, [] if channel is OMITTED else [channel, *args]))

        return send

    def write_in_order(kind: bytes, payload: bytes) -> None:
        if kind != POST:  # the adapter's trace, not a message
            flush()
        write(kind, payload)

    renderer.write = write_in_order
    ipc.send = ipc.send_channel = lazily(SEND)
    ipc.send_to_host = lazily(TO_HOST)


class SerializesLazily(Fault):
    """Pages convert the arguments of ``send`` and ``sendToHost`` when the current task ends, not in the call.

    Queued messages serialized on flush keep references to the sender's objects, so a
    change made right after ``send`` returned reaches the receiver. Order is kept: any
    other message flushes the queue first.
    """

    breaks = ("SER-0",)
    shows = "some inputs"
    preload = preload_of(serialize_lazily)
