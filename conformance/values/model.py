"""Python types for JavaScript values: what IPC arguments and answers are made of.

Plain Python stands for the JSON-like part of JavaScript: ``None`` is ``null``,
``bool`` a boolean, ``int``/``float`` a number (one type in JavaScript, so ``1``
and ``1.0`` are the same value), ``str`` a string (lone surrogates allowed),
``list`` an array and ``dict`` (string keys) a plain object whose properties are
all enumerable data properties.  Everything JSON cannot carry has a class here.

Containers keep their identity: a ``list`` or ``dict`` met twice in one value is a
shared reference, and a container that holds itself is a cycle, exactly as in
JavaScript.  ``js_equal`` compares values structurally, with JavaScript's notion
of sameness: ``NaN`` equals ``NaN``, ``-0`` differs from ``0``, the pattern of
sharing must match, and key order counts unless told otherwise.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Final, TypeAlias

__all__ = [
    "HOLE",
    "TYPED_ARRAY_KINDS",
    "UNDEFINED",
    "Hole",
    "JSArray",
    "JSArrayBuffer",
    "JSBuffer",
    "JSDate",
    "JSError",
    "JSFunction",
    "JSMap",
    "JSObject",
    "JSPromise",
    "JSRegExp",
    "JSSet",
    "JSSymbol",
    "JSTypedArray",
    "Key",
    "Property",
    "Undefined",
    "Value",
    "is_array_index",
    "iter_children",
    "js_equal",
    "js_equal_lists",
    "own_keys",
]


class Undefined:
    """JavaScript ``undefined``; use the singleton ``UNDEFINED``."""

    _instance: Undefined | None = None

    def __new__(cls) -> Undefined:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNDEFINED"

    def __reduce__(self) -> str:
        return "UNDEFINED"


class Hole:
    """A missing element of a sparse array (``[1, , 3]``); only valid inside arrays."""

    _instance: Hole | None = None

    def __new__(cls) -> Hole:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "HOLE"

    def __reduce__(self) -> str:
        return "HOLE"


UNDEFINED: Final = Undefined()
HOLE: Final = Hole()


@dataclass(eq=False)
class JSSymbol:
    """A Symbol, ``Symbol(description)``; every instance is a distinct symbol."""

    description: str | None = None


@dataclass(eq=False)
class JSFunction:
    """A function object (its code is irrelevant to IPC; only its name is kept)."""

    name: str = ""


Key: TypeAlias = "str | JSSymbol"


@dataclass(eq=False)
class Property:
    """One own property of an exotic object.

    A data property has ``value``; an accessor has ``getter``, the value its getter
    returns when called (``value`` is then unused).
    """

    key: Key
    value: Value = None
    getter: Value | None = None
    is_accessor: bool = False
    enumerable: bool = True

    @classmethod
    def accessor(cls, key: Key, returns: Value, *, enumerable: bool = True) -> Property:
        """Return an accessor property whose getter returns ``returns``."""
        return cls(key, getter=returns, is_accessor=True, enumerable=enumerable)


@dataclass(eq=False)
class JSObject:
    """An object that a plain ``dict`` cannot describe.

    ``properties`` are in creation order (JavaScript enumerates integer-like keys
    first whatever the creation order; ``own_keys`` applies that rule).  ``cls``
    names the class whose prototype the object has (``None``: ``Object.prototype``).
    """

    properties: list[Property] = field(default_factory=list)
    cls: str | None = None


@dataclass(eq=False)
class JSArray:
    """An array with non-index properties (``a.foo = 1``); elements may be ``HOLE``."""

    items: list[Value | Hole] = field(default_factory=list)
    extra: dict[str, Value] = field(default_factory=dict)


@dataclass(eq=False)
class JSDate:
    """A Date; ``time`` is milliseconds since the epoch (``nan`` for an invalid date)."""

    time: float


@dataclass(eq=False)
class JSRegExp:
    """A RegExp literal ``/source/flags``."""

    source: str
    flags: str = ""


@dataclass(eq=False)
class JSError:
    """An Error (``name`` is ``Error``, ``TypeError``, ...); its own props are not enumerable."""

    name: str = "Error"
    message: str = ""


@dataclass(eq=False)
class JSMap:
    """A Map, entries in insertion order."""

    entries: list[tuple[Value, Value]] = field(default_factory=list)


@dataclass(eq=False)
class JSSet:
    """A Set, values in insertion order."""

    values: list[Value] = field(default_factory=list)


@dataclass(eq=False)
class JSPromise:
    """A pending Promise."""


@dataclass(eq=False)
class JSArrayBuffer:
    """An ArrayBuffer holding ``data``."""

    data: bytes = b""


TYPED_ARRAY_KINDS: Final = (
    "Int8Array",
    "Uint8Array",
    "Uint8ClampedArray",
    "Int16Array",
    "Uint16Array",
    "Int32Array",
    "Uint32Array",
    "Float32Array",
    "Float64Array",
)


@dataclass(eq=False)
class JSTypedArray:
    """A typed array of ``kind`` (one of ``TYPED_ARRAY_KINDS``) holding ``values``.

    The values must be representable in the kind (integers in range, float32-exact).
    """

    kind: str
    values: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.kind not in TYPED_ARRAY_KINDS:
            raise ValueError(f"unknown typed array kind {self.kind!r}; expected one of {TYPED_ARRAY_KINDS}")


@dataclass(eq=False)
class JSBuffer:
    """A Node.js Buffer (a Uint8Array subclass) holding ``data``."""

    data: bytes = b""


Value: TypeAlias = (
    "bool | int | float | str | list[Value | Hole] | dict[str, Value] | Undefined | JSSymbol"
    " | JSFunction | JSObject | JSArray | JSDate | JSRegExp | JSError | JSMap | JSSet | JSPromise"
    " | JSArrayBuffer | JSTypedArray | JSBuffer | None"
)

_MAX_ARRAY_INDEX: Final = 2**32 - 2


def is_array_index(key: str) -> bool:
    """Return whether ``key`` is an array index, which JavaScript enumerates first."""
    if not key.isascii() or not key.isdigit():
        return False
    if key != "0" and key.startswith("0"):
        return False
    return int(key) <= _MAX_ARRAY_INDEX


def own_keys(keys: list[Key]) -> list[Key]:
    """Return ``keys`` (in creation order) in JavaScript's own-property order.

    Array indices first in ascending numeric order, then the other strings in
    creation order, then symbols in creation order.
    """
    indices = sorted((k for k in keys if isinstance(k, str) and is_array_index(k)), key=int)
    strings = [k for k in keys if isinstance(k, str) and not is_array_index(k)]
    symbols = [k for k in keys if isinstance(k, JSSymbol)]
    return [*indices, *strings, *symbols]


def _properties(value: dict[str, Value] | JSObject) -> list[Property]:
    if isinstance(value, dict):
        return [Property(k, v) for k, v in value.items()]
    return value.properties


def _ordered(props: list[Property]) -> list[Property]:
    by_key = {id(p.key) if isinstance(p.key, JSSymbol) else p.key: p for p in props}
    return [by_key[id(k) if isinstance(k, JSSymbol) else k] for k in own_keys([p.key for p in props])]


class _Comparison:
    """Structural comparison with a bijection between the containers of both sides."""

    def __init__(self, *, key_order: bool) -> None:
        self.key_order = key_order
        self.left_to_right: dict[int, int] = {}
        self.right_to_left: dict[int, int] = {}
        self.symbols: dict[int, int] = {}
        self.symbols_back: dict[int, int] = {}

    def equal(self, a: object, b: object) -> bool:
        if a is None or b is None:
            return a is b
        if isinstance(a, bool) or isinstance(b, bool):
            return type(a) is type(b) and a == b
        if isinstance(a, int | float) and isinstance(b, int | float):
            return _same_number(a, b)
        if isinstance(a, str) or isinstance(b, str):
            return type(a) is type(b) and a == b
        if a is UNDEFINED or b is UNDEFINED or a is HOLE or b is HOLE:
            return a is b
        if isinstance(a, JSSymbol) and isinstance(b, JSSymbol):
            return self._same_symbol(a, b)
        if _kind(a) != _kind(b):
            return False
        seen = self.left_to_right.get(id(a))
        if seen is not None or id(b) in self.right_to_left:
            return seen == id(b) and self.right_to_left.get(id(b)) == id(a)
        self.left_to_right[id(a)] = id(b)
        self.right_to_left[id(b)] = id(a)
        return self._equal_contents(a, b)

    def _same_symbol(self, a: JSSymbol, b: JSSymbol) -> bool:
        if a.description != b.description:
            return False
        forward = self.symbols.setdefault(id(a), id(b))
        backward = self.symbols_back.setdefault(id(b), id(a))
        return forward == id(b) and backward == id(a)

    def _equal_contents(self, a: object, b: object) -> bool:
        match a:
            case list() | JSArray():
                return self._equal_arrays(a, b)  # type: ignore[arg-type]
            case dict() | JSObject():
                return self._equal_objects(a, b)  # type: ignore[arg-type]
            case JSMap():
                assert isinstance(b, JSMap)
                return len(a.entries) == len(b.entries) and all(
                    self.equal(ka, kb) and self.equal(va, vb)
                    for (ka, va), (kb, vb) in zip(a.entries, b.entries, strict=True)
                )
            case JSSet():
                assert isinstance(b, JSSet)
                return self._equal_sequences(a.values, b.values)
            case JSTypedArray():
                assert isinstance(b, JSTypedArray)
                return (
                    a.kind == b.kind
                    and len(a.values) == len(b.values)
                    and all(_same_number(float(x), float(y)) for x, y in zip(a.values, b.values, strict=True))
                )
            case JSDate():
                assert isinstance(b, JSDate)
                return _same_number(a.time, b.time)
            case _:
                return _plain_fields(a) == _plain_fields(b)

    def _equal_sequences(self, a: Sequence[object], b: Sequence[object]) -> bool:
        return len(a) == len(b) and all(self.equal(x, y) for x, y in zip(a, b, strict=True))

    def _equal_arrays(self, a: list[Value | Hole] | JSArray, b: list[Value | Hole] | JSArray) -> bool:
        items_a, extra_a = (a.items, a.extra) if isinstance(a, JSArray) else (a, {})
        items_b, extra_b = (b.items, b.extra) if isinstance(b, JSArray) else (b, {})
        return self._equal_sequences(items_a, items_b) and self._equal_objects(extra_a, extra_b)

    def _equal_objects(self, a: dict[str, Value] | JSObject, b: dict[str, Value] | JSObject) -> bool:
        cls_a = a.cls if isinstance(a, JSObject) else None
        cls_b = b.cls if isinstance(b, JSObject) else None
        if cls_a != cls_b:
            return False
        props_a, props_b = _ordered(_properties(a)), _ordered(_properties(b))
        if len(props_a) != len(props_b):
            return False
        if not self.key_order:
            string_keyed_b = {p.key: p for p in props_b if isinstance(p.key, str)}
            pairs = []
            for pa in props_a:
                if isinstance(pa.key, str):
                    pb = string_keyed_b.get(pa.key)
                    if pb is None:
                        return False
                    pairs.append((pa, pb))
            symbols_a = [p for p in props_a if isinstance(p.key, JSSymbol)]
            symbols_b = [p for p in props_b if isinstance(p.key, JSSymbol)]
            pairs.extend(zip(symbols_a, symbols_b, strict=False))
        else:
            pairs = list(zip(props_a, props_b, strict=True))
        return all(self._equal_properties(pa, pb) for pa, pb in pairs)

    def _equal_properties(self, a: Property, b: Property) -> bool:
        if isinstance(a.key, JSSymbol) != isinstance(b.key, JSSymbol):
            return False
        same_key = (
            self._same_symbol(a.key, b.key)  # type: ignore[arg-type]
            if isinstance(a.key, JSSymbol)
            else a.key == b.key
        )
        if not same_key or a.is_accessor != b.is_accessor or a.enumerable != b.enumerable:
            return False
        if a.is_accessor:
            return self.equal(a.getter, b.getter)
        return self.equal(a.value, b.value)


def _kind(value: object) -> str:
    if isinstance(value, list | JSArray):
        return "array"
    if isinstance(value, dict | JSObject):
        return "object"
    return type(value).__name__


def _plain_fields(value: object) -> tuple[object, ...]:
    match value:
        case JSFunction(name=name):
            return ("function", name)
        case JSRegExp(source=source, flags=flags):
            return ("regexp", source, flags)
        case JSError(name=name, message=message):
            return ("error", name, message)
        case JSPromise():
            return ("promise",)
        case JSArrayBuffer(data=data) | JSBuffer(data=data):
            return (type(value).__name__, data)
    raise TypeError(f"not a JavaScript value: {value!r} ({type(value).__name__})")


def _same_number(a: float, b: float) -> bool:
    if isinstance(a, int) or isinstance(b, int):
        try:
            a, b = float(a), float(b)
        except OverflowError:  # an int beyond any double is no JavaScript number
            return a == b
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)


def js_equal(a: Value | Hole, b: Value | Hole, *, key_order: bool = True) -> bool:
    """Return whether ``a`` and ``b`` are the same JavaScript value, structurally.

    Numbers compare like ``Object.is`` (``NaN`` equals ``NaN``; ``-0`` is not ``0``);
    ``1`` and ``1.0`` are the same number; shared references and cycles must have
    the same shape on both sides; objects compare their own properties in
    JavaScript enumeration order, or as sets when ``key_order`` is false.
    """
    return _Comparison(key_order=key_order).equal(a, b)


def js_equal_lists(a: list[Value], b: list[Value], *, key_order: bool = True) -> bool:
    """Return whether two argument lists are the same values, sharing across the lists included."""
    comparison = _Comparison(key_order=key_order)
    return len(a) == len(b) and all(comparison.equal(x, y) for x, y in zip(a, b, strict=True))


def iter_children(value: object) -> Iterator[object]:
    """Yield the values directly inside ``value`` (elements, property values, entries)."""
    match value:
        case list():
            yield from value
        case JSArray():
            yield from value.items
            yield from value.extra.values()
        case dict():
            yield from value.values()
        case JSObject():
            for prop in value.properties:
                yield prop.getter if prop.is_accessor else prop.value
        case JSMap():
            for k, v in value.entries:
                yield k
                yield v
        case JSSet():
            yield from value.values
