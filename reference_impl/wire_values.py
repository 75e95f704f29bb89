"""Argument conversion (SEMANTICS.md section 3): JavaScript values to the wire and back.

The sender does what Chromium's ``V8ValueConverter`` does in Electron v0.32: it
turns the whole argument list (the channel first) into a tree of base values
(null, booleans, numbers, strings, lists, and dicts whose keys are sorted by
their UTF-8 bytes), then ``encode_arguments`` writes that tree as one JSON text
in which ``NaN``, ``Infinity`` and ``-0.0`` survive bit-exact (SER-3).
The receiver's ``decode_arguments`` rebuilds fresh plain Python values: JSON-like
values only, object keys in JavaScript order, no own ``"__proto__"`` key.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, Final

from conformance.values.model import (
    HOLE,
    UNDEFINED,
    JSArray,
    JSBuffer,
    JSFunction,
    JSObject,
    JSSymbol,
    JSTypedArray,
)
from reference_impl.js_rules import js_number, ordered_object, property_key, received_number

__all__ = ["MAX_DEPTH", "decode_arguments", "encode_arguments", "to_wire"]

MAX_DEPTH: Final = 99
"""Values this many levels (or more) below a top-level argument are dropped (SER-11)."""


class _Nothing:
    """What V8ValueConverter gives for undefined, functions, Symbols and too-deep values."""

    def __repr__(self) -> str:
        return "NOTHING"


_NOTHING: Final = _Nothing()
_AS_IS: Final = frozenset({str, float, bool, type(None)})

_DECODER: Final = json.JSONDecoder(
    object_pairs_hook=lambda pairs: ordered_object(pairs, keep_proto=False),
    parse_float=lambda text: received_number(float(text)),
)
_ENCODER: Final = json.JSONEncoder(ensure_ascii=True, check_circular=False, separators=(",", ":"))


def encode_arguments(arguments: Sequence[object]) -> bytes:
    """Return the wire bytes of one message's ``arguments`` (the channel, if any, first)."""
    return _ENCODER.encode(to_wire(arguments)).encode("ascii")


def decode_arguments(data: bytes) -> list[object]:
    """Return the receiver's fresh copy of the arguments ``encode_arguments`` wrote."""
    arguments: list[object] = _DECODER.decode(data.decode("ascii"))
    return arguments


def to_wire(arguments: Sequence[object]) -> list[object]:
    """Return the base-value tree of one message's argument list.

    One seen-set spans the whole message, so an object met a second time anywhere
    in it (even in another argument) becomes ``None`` (SER-10). A top-level
    argument that converts to nothing becomes ``None`` (SER-2).
    """
    converter = _Converter()
    return [converter.element(argument, 0) for argument in arguments]


class _Converter:
    """One message's conversion; remembers every object it has met."""

    def __init__(self) -> None:
        self._seen: set[int] = set()

    def element(self, value: object, depth: int) -> object:
        """Convert a value held by an array (or the argument list): nothing becomes ``None``."""
        converted = self.value(value, depth)
        return None if converted is _NOTHING else converted

    def value(self, value: object, depth: int) -> object:
        """Return the base value for ``value`` at ``depth``, or ``_NOTHING``."""
        if depth >= MAX_DEPTH:
            return _NOTHING
        kind = type(value)  # the plain Python types first: the same result as the general rules below, sooner
        if kind in _AS_IS:
            return value
        if kind is int:
            return js_number(value)  # type: ignore[arg-type]
        if kind is list or kind is dict:
            if id(value) in self._seen:
                return None
            self._seen.add(id(value))
            if kind is list:
                return self._array(value, depth)  # type: ignore[arg-type]
            return self._dict(value, depth)  # type: ignore[arg-type]
        if value is None or isinstance(value, bool | str | float):
            return value
        if isinstance(value, int):
            return js_number(value)
        if value is UNDEFINED or isinstance(value, JSSymbol | JSFunction):
            return _NOTHING
        if isinstance(value, JSBuffer) or (isinstance(value, JSTypedArray) and value.kind == "Uint8Array"):
            return None  # SER-9: a Chromium binary value, which arrives as null
        if not isinstance(value, list | dict | JSArray | JSObject | JSTypedArray) and callable(value):
            return _NOTHING  # any other Python callable counts as a function
        if id(value) in self._seen:
            return None
        self._seen.add(id(value))
        match value:
            case list():
                return self._array(value, depth)
            case JSArray():
                return self._array(value.items, depth)  # non-index properties are dropped (SER-5)
            case dict():
                return self._dict(value, depth)
            case JSObject():
                # Accessors are skipped without calling the getter (SER-6).
                return self._object(
                    [
                        (property_key(prop.key), prop.value)
                        for prop in value.properties
                        if prop.enumerable and not prop.is_accessor
                    ],
                    depth,
                )
            case JSTypedArray():
                return self._object([(str(index), item) for index, item in enumerate(value.values)], depth)
        # Date, RegExp, Error, Map, Set, Promise, ArrayBuffer and any other object
        # have no own enumerable data property: an empty object (SER-8).
        return {}

    def _array(self, items: Sequence[object], depth: int) -> list[object]:
        return [self.element(item, depth + 1) for item in items if item is not HOLE]

    def _dict(self, value: dict[Any, object], depth: int) -> dict[str, object]:
        """Convert a dict; keys that need no JavaScript rule (ASCII, not an index, not ``__proto__``) fast."""
        if not all(type(key) is str and key.isascii() and not key[:1].isdigit() for key in value) or (
            "__proto__" in value
        ):
            return self._object([(property_key(key), item) for key, item in value.items()], depth)
        converted: dict[str, object] = {}
        for key, item in value.items():
            item = self.value(item, depth + 1)
            if item is not _NOTHING:
                converted[key] = item
        return dict(sorted(converted.items()))

    def _object(self, properties: list[tuple[str | JSSymbol, object]], depth: int) -> dict[str, object]:
        """Convert properties in JavaScript enumeration order; the result's keys sorted by UTF-8 bytes."""
        converted: dict[str, object] = {}
        for key, item in _enumeration_order(properties):
            value = self.value(item, depth + 1)
            if value is not _NOTHING:
                converted[key] = value
        # Code point order is UTF-8 byte order, lone surrogates included.
        return dict(sorted(converted.items()))


def _enumeration_order(properties: list[tuple[str | JSSymbol, object]]) -> list[tuple[str, object]]:
    """Return the string-keyed properties as ``Object.keys`` lists them: indices first, ascending."""
    by_key = {key: item for key, item in properties if isinstance(key, str)}
    return list(ordered_object(list(by_key.items()), keep_proto=True).items())
