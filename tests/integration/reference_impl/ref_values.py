"""Argument lists the reference implementation's tests send, built by name on either side.

A value with shared references or cycles cannot be passed to a page as JSON, so
both main (in the tests) and the page programs (in ``ref_pages``) build them here
from a name. What each should arrive as is written in the tests, not here.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from conformance.values.model import (
    HOLE,
    UNDEFINED,
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
    Property,
)


def nested_arrays(depth: int) -> object:
    """Return ``"leaf"`` wrapped in ``depth`` arrays: the leaf sits ``depth`` levels down."""
    value: object = "leaf"
    for _ in range(depth):
        value = [value]
    return value


def nested_objects(depth: int) -> object:
    """Return ``"leaf"`` under ``depth`` objects, each holding the next as ``"k"``."""
    value: object = "leaf"
    for _ in range(depth):
        value = {"k": value}
    return value


def _shared_across_arguments() -> list[object]:
    shared = {"k": 1}
    return [shared, shared]


def _shared_inside_one_argument() -> list[object]:
    in_array, in_object = {"k": 1}, {"k": 2}
    # JavaScript enumerates "b" first (creation order), so "b" gets the copy.
    return [[in_array, in_array], {"b": in_object, "a": in_object}]


def _cycles() -> list[object]:
    array: list[object] = []
    array.append(array)
    obj: dict[str, object] = {}
    obj["self"] = obj
    return [array, obj]


class _PlainPythonObject:
    def __init__(self) -> None:
        self.attribute = 1


ARGUMENTS: dict[str, Callable[[], list[object]]] = {
    "json-tree": lambda: [
        {
            "n": None,
            "t": True,
            "f": False,
            "i": 42,
            "x": 1.5,
            "s": "text",
            "l": [1, "a", None],
            "o": {"k": [{}]},
        },
        [[], {}, "", 0],
    ],
    "top-level-nothing": lambda: [UNDEFINED, JSFunction("f"), JSSymbol("s"), print, 1],
    "numbers": lambda: [
        0,
        -0.0,
        1,
        -1,
        1.5,
        0.1,
        2**53,
        -(2**53),
        2**60,
        10**400,
        math.nan,
        math.inf,
        -math.inf,
        5e-324,
        1.7976931348623157e308,
        1e21,
        3.0,
    ],
    "strings": lambda: [
        "",
        "a\x00b",
        "ünïcødé",
        "😀",
        "\ud800",
        "x\udc00",
        "\ud83d\ude00",
        'q"\\\n\t',
        "x" * 100_000,
    ],
    "arrays": lambda: [
        [1, HOLE, 3],
        [UNDEFINED, JSFunction(), JSSymbol(), len, HOLE],
        JSArray([1, HOLE, 2], extra={"foo": 1}),
    ],
    "objects": lambda: [
        JSObject(
            [
                Property("a", 1),
                Property.accessor("getter", 5),
                Property("hidden", 2, enumerable=False),
                Property(JSSymbol("s"), 3),
                Property("u", UNDEFINED),
                Property("f", JSFunction()),
                Property("y", JSSymbol()),
            ],
            cls="Point",
        ),
        {"a": 1, "u": UNDEFINED, "f": JSFunction(), "callable": len},
    ],
    "key-order": lambda: [
        {
            "b": 1,
            "a": 2,
            "10": 3,
            "9": 4,
            "é": 5,
            "z": 6,
            "😀": 7,
            "\uffff": 8,
            "01": 9,
            "4294967295": 10,
            "4294967294": 11,
        }
    ],
    "exotic-objects": lambda: [
        JSDate(0),
        JSRegExp("a+", "g"),
        JSError("TypeError", "m"),
        JSMap([(1, 2)]),
        JSSet([1]),
        JSPromise(),
        JSArrayBuffer(b"ab"),
        JSTypedArray("Float64Array", [1.5, math.nan]),
        JSTypedArray("Int16Array", [-1, 2]),
        JSTypedArray("Uint8ClampedArray", [255]),
    ],
    "buffers": lambda: [
        JSBuffer(b"ab"),
        JSTypedArray("Uint8Array", [1]),
        [JSBuffer(b"x"), 1],
        {"b": JSBuffer(b"x"), "c": 1},
    ],
    "shared-across-arguments": _shared_across_arguments,
    "shared-inside-one-argument": _shared_inside_one_argument,
    "cycles": _cycles,
    "depth-98": lambda: [nested_arrays(98), nested_objects(98)],
    "depth-99": lambda: [nested_arrays(99), nested_objects(99)],
    "proto-key": lambda: [
        {"__proto__": 1, "x": 2},
        JSObject([Property("__proto__", {"a": 1}), Property("y", 1)]),
    ],
    "python-oddities": lambda: [(1, 2), object(), _PlainPythonObject(), {1: "a", 2.5: "b"}, b"bytes"],
}
"""Argument lists by name: a fresh list each call, so sharing patterns are preserved."""
