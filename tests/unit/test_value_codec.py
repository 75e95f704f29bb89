"""Tests of the value encoding (conformance/values/codec.py, schemas/value.schema.json) and its strategies."""

from __future__ import annotations

import contextlib
import itertools
import json
import math
import re
from collections.abc import Callable, Iterable
from typing import Any, Final

import pytest
from hypothesis import HealthCheck, Phase, find, given, reject, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument, NoSuchExample
from hypothesis_jsonschema import from_schema
from jsonschema import Draft7Validator
from jsonschema.exceptions import best_match

from conformance.schemas import validator_for
from conformance.values.codec import Document, decode, decode_list, encode, encode_list
from conformance.values.model import (
    HOLE,
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
    Property,
    Value,
    iter_children,
    js_equal,
    js_equal_lists,
)
from conformance.values.schema_documents import PROSE_RULES, tree_schema
from conformance.values.strategies import (
    argument_lists,
    channel_names,
    js_values,
    json_like_values,
    numbers,
    strings,
)

NULL: Final = {"type": "null"}
ONE: Final = {"type": "number", "value": 1}


def _number(value: int | float | str) -> Document:
    return {"type": "number", "value": value}


def _schema_errors(doc: object, *, definition: str = "value") -> str | None:
    validator = validator_for("value.schema.json").evolve(
        schema={"$ref": f"value.schema.json#/$defs/{definition}"}
    )
    error = best_match(validator.iter_errors(doc))
    return None if error is None else f"{error.json_path}: {error.message}"


# Round trips over everything the strategies generate.


@given(js_values(lone_surrogates=True))
def test_decode_inverts_encode(value: Value) -> None:
    assert js_equal(decode(encode(value)), value)


@given(js_values(lone_surrogates=True))
def test_encoding_is_canonical(value: Value) -> None:
    doc = encode(value)
    assert encode(decode(doc)) == doc


@given(js_values(lone_surrogates=True))
def test_documents_match_the_schema(value: Value) -> None:
    assert _schema_errors(encode(value)) is None


@given(js_values(lone_surrogates=True))
def test_documents_survive_strict_json_text(value: Value) -> None:
    # What crosses a pipe: no NaN literal, and UTF-8 without lone surrogates, which Go and Rust reject.
    text = json.dumps(encode(value), allow_nan=False, ensure_ascii=False).encode("utf-8", errors="strict")
    assert js_equal(decode(json.loads(text)), value)


@given(st.lists(numbers()))
def test_numbers_round_trip_bit_exact(values: list[Value]) -> None:
    assert js_equal_lists(decode_list(json.loads(json.dumps(encode_list(values), allow_nan=False))), values)


@given(st.lists(strings(lone_surrogates=True)))
def test_strings_round_trip_through_utf8_json(values: list[Value]) -> None:
    text = json.dumps(encode_list(values), ensure_ascii=False).encode("utf-8", errors="strict")
    assert js_equal_lists(decode_list(json.loads(text)), values)


@given(argument_lists(lone_surrogates=True))
def test_argument_lists_round_trip_with_sharing_across_arguments(args: list[Value]) -> None:
    docs = encode_list(args)
    assert _schema_errors(docs, definition="values") is None
    assert js_equal_lists(decode_list(docs), args)
    assert encode_list(decode_list(docs)) == docs


# The tagged forms, one example each.

_SYMBOL: Final = JSSymbol("tag")

FORMS: Final[list[tuple[str, Value, Document]]] = [
    ("undefined", UNDEFINED, {"type": "undefined"}),
    ("null", None, NULL),
    ("boolean", True, {"type": "boolean", "value": True}),
    ("integer", 1, ONE),
    ("integral float is an integer", 1.0, ONE),
    ("fraction", 1.5, _number(1.5)),
    ("beyond 2**53", 2**60, _number(float(2**60))),
    ("NaN", math.nan, _number("NaN")),
    ("Infinity", math.inf, _number("Infinity")),
    ("-Infinity", -math.inf, _number("-Infinity")),
    ("-0", -0.0, _number("-0")),
    ("string", "a\x00\U0001f600", {"type": "string", "value": "a\x00\U0001f600"}),
    ("lone surrogate", "a\ud800", {"type": "string", "utf16": [0x61, 0xD800]}),
    ("astral and lone", "\U0001f600\udc00", {"type": "string", "utf16": [0xD83D, 0xDE00, 0xDC00]}),
    ("symbol", JSSymbol("d"), {"type": "symbol", "description": "d"}),
    ("symbol without description", JSSymbol(), {"type": "symbol", "description": None}),
    ("function", JSFunction("f"), {"type": "function", "name": "f"}),
    ("array", [1, None], {"type": "array", "items": [ONE, NULL]}),
    ("array with a hole", [1, HOLE], {"type": "array", "items": [ONE, {"type": "hole"}]}),
    (
        "array property",
        JSArray([], {"foo": 1}),
        {"type": "array", "items": [], "properties": [{"key": "foo", "value": ONE}]},
    ),
    (
        "plain object in creation order",
        {"b": 1, "1": None},
        {"type": "object", "properties": [{"key": "b", "value": ONE}, {"key": "1", "value": NULL}]},
    ),
    ("class instance", JSObject(cls="Point"), {"type": "object", "class": "Point", "properties": []}),
    (
        "__proto__ own key",
        JSObject([Property("__proto__", 1)]),
        {"type": "object", "properties": [{"key": "__proto__", "value": ONE}]},
    ),
    (
        "accessor, non-enumerable, symbol key",
        JSObject([Property.accessor("g", 1), Property("h", None, enumerable=False), Property(_SYMBOL, 1)]),
        {
            "type": "object",
            "properties": [
                {"key": "g", "get": ONE},
                {"key": "h", "value": NULL, "enumerable": False},
                {"symbol": {"type": "symbol", "description": "tag"}, "value": ONE},
            ],
        },
    ),
    (
        "symbol met again",
        [_SYMBOL, JSObject([Property(_SYMBOL, 1)])],
        {
            "type": "array",
            "items": [
                {"type": "symbol", "id": 1, "description": "tag"},
                {"type": "object", "properties": [{"symbol": {"type": "ref", "id": 1}, "value": ONE}]},
            ],
        },
    ),
    ("date", JSDate(-8.64e15), {"type": "date", "time": -8_640_000_000_000_000}),
    ("invalid date", JSDate(math.nan), {"type": "date", "time": "NaN"}),
    ("regexp", JSRegExp("a+", "gi"), {"type": "regexp", "source": "a+", "flags": "gi"}),
    ("error", JSError("TypeError", "bad"), {"type": "error", "name": "TypeError", "message": "bad"}),
    ("map", JSMap([(1, None)]), {"type": "map", "entries": [[ONE, NULL]]}),
    ("set", JSSet([math.nan, 0]), {"type": "set", "values": [_number("NaN"), _number(0)]}),
    ("promise", JSPromise(), {"type": "promise"}),
    ("arraybuffer", JSArrayBuffer(b"\x00\xff"), {"type": "arraybuffer", "base64": "AP8="}),
    ("buffer", JSBuffer(b"hi"), {"type": "buffer", "base64": "aGk="}),
    (
        "integer typed array",
        JSTypedArray("Int8Array", [-128, 127]),
        {"type": "typedarray", "kind": "Int8Array", "values": [-128, 127]},
    ),
    (
        "float typed array",
        JSTypedArray("Float32Array", [0.5, math.nan, -0.0, math.inf]),
        {"type": "typedarray", "kind": "Float32Array", "values": [0.5, "NaN", "-0", "Infinity"]},
    ),
]


@pytest.mark.parametrize(("value", "doc"), [pytest.param(v, d, id=name) for name, v, d in FORMS])
def test_tagged_form(value: Value, doc: Document) -> None:
    assert encode(value) == doc
    assert js_equal(decode(doc), value)
    assert _schema_errors(doc) is None


def test_shared_object_gets_an_id_and_later_refs() -> None:
    shared: dict[str, Value] = {}
    docs = encode_list([shared, [shared]])
    assert docs == [
        {"type": "object", "id": 1, "properties": []},
        {"type": "array", "items": [{"type": "ref", "id": 1}]},
    ]
    first, second = decode_list(docs)
    assert isinstance(second, list)
    assert second[0] is first


def test_cycle_is_a_ref_to_an_ancestor() -> None:
    cycle: list[Value | Hole] = []
    cycle.append(cycle)
    doc = encode(cycle)
    assert doc == {"type": "array", "id": 1, "items": [{"type": "ref", "id": 1}]}
    decoded = decode(doc)
    assert isinstance(decoded, list)
    assert decoded[0] is decoded


def test_ids_number_what_is_met_again_in_document_order() -> None:
    late: list[Value | Hole] = [1]
    early: list[Value | Hole] = [2]
    outer: list[Value | Hole] = [early, late, late, early]
    assert encode(outer)["items"] == [
        {"type": "array", "id": 1, "items": [_number(2)]},
        {"type": "array", "id": 2, "items": [ONE]},
        {"type": "ref", "id": 2},
        {"type": "ref", "id": 1},
    ]


def test_decoders_accept_any_ids_in_order() -> None:
    doc = {
        "type": "array",
        "id": 0,
        "items": [{"type": "object", "id": 7, "properties": []}, {"type": "ref", "id": 0}],
    }
    decoded = decode(doc)
    assert isinstance(decoded, list)
    assert decoded[1] is decoded


@pytest.mark.parametrize(
    ("doc", "kind"),
    [
        ({"type": "array", "items": [ONE]}, list),
        ({"type": "array", "items": [{"type": "hole"}]}, JSArray),
        ({"type": "array", "items": [], "properties": [{"key": "x", "value": ONE}]}, JSArray),
        ({"type": "object", "properties": [{"key": "x", "value": ONE}]}, dict),
        ({"type": "object", "properties": [{"key": "x", "get": ONE}]}, JSObject),
        ({"type": "object", "properties": [{"key": "x", "value": ONE, "enumerable": False}]}, JSObject),
        ({"type": "object", "class": "Point", "properties": []}, JSObject),
        (_number(3.0), int),
        (_number(2**53), int),
        (_number(2**53 + 2), float),
        (_number(0.5), float),
        (_number("-0"), float),
    ],
)
def test_decode_gives_plain_python_where_it_is_exact(doc: Document, kind: type) -> None:
    assert type(decode(doc)) is kind


# Malformed documents: (document, the start of the message, whether the schema alone rejects it).

_DANGLING: Final = {"type": "ref", "id": 1}
_OBJECT_1: Final = {"type": "object", "id": 1, "properties": []}

MALFORMED: Final[list[tuple[str, object, str, bool]]] = [
    ("not an object", [], "<root>: expected a JSON object with a 'type', got []", True),
    ("unknown type", {"type": "bigint"}, "<root>: unknown type 'bigint'; expected one of undefined", True),
    ("missing field", {"type": "number"}, "<root>: number lacks value", True),
    ("unexpected field", {"type": "null", "value": 1}, "<root>: unexpected field 'value' in a null", True),
    ("dangling ref", _DANGLING, "<root>: ref to id 1, which is not defined earlier in document order", False),
    (
        "ref before its id",
        {"type": "array", "items": [_DANGLING, _OBJECT_1]},
        "/items/0: ref to id 1, which is not defined earlier",
        False,
    ),
    (
        "id defined twice",
        {"type": "array", "id": 1, "items": [_OBJECT_1]},
        "/items/0/id: id 1 is already defined",
        False,
    ),
    ("negative id", {"type": "promise", "id": -1}, "/id: id -1 is negative", True),
    ("id of the wrong type", {"type": "promise", "id": True}, "/id: expected an integer, got True", True),
    ("hole at the top", {"type": "hole"}, "<root>: a hole is only valid directly in an array's items", True),
    (
        "hole as a property value",
        {"type": "object", "properties": [{"key": "a", "value": {"type": "hole"}}]},
        "/properties/0/value: a hole is only valid directly",
        True,
    ),
    (
        "hole with fields",
        {"type": "array", "items": [{"type": "hole", "id": 1}]},
        "/items/0: unexpected field 'id'",
        True,
    ),
    (
        "boolean of the wrong type",
        {"type": "boolean", "value": 1},
        "/value: expected true or false, got 1",
        True,
    ),
    ("number as a bool", _number(True), "/value: expected a number, got True", True),
    ("unknown number string", _number("nan"), "/value: 'nan' is not a number; the strings are NaN", True),
    ("infinite JSON number", _number(math.inf), "/value: inf as a JSON number; write the string", False),
    (
        "negative zero JSON number",
        _number(-0.0),
        "/value: negative zero as a JSON number; write the string '-0'",
        False,
    ),
    ("number beyond doubles", _number(10**400), "/value: 1000000000000000", False),
    (
        "string with both forms",
        {"type": "string", "value": "a", "utf16": [0xD800]},
        "<root>: a string has exactly",
        True,
    ),
    (
        "lone surrogate in value",
        {"type": "string", "value": "a\ud800"},
        "/value: lone surrogate '\\ud800' at index 1",
        False,
    ),
    (
        "well-formed utf16",
        {"type": "string", "utf16": [0x61]},
        "/utf16: the code units form a well-formed string",
        False,
    ),
    (
        "code unit out of range",
        {"type": "string", "utf16": [0x10000]},
        "/utf16/0: 65536 is not a UTF-16 code unit",
        True,
    ),
    (
        "symbol description",
        {"type": "symbol", "description": 1},
        "/description: expected a string, got 1",
        True,
    ),
    ("items not an array", {"type": "array", "items": {}}, "/items: expected an array, got {}", True),
    (
        "empty array properties",
        {"type": "array", "items": [], "properties": []},
        "/properties: empty; omit",
        True,
    ),
    (
        "index as an array property",
        {"type": "array", "items": [], "properties": [{"key": "0", "value": ONE}]},
        "/properties/0/key: '0' is an index or 'length'",
        False,
    ),
    (
        "repeated array property",
        {
            "type": "array",
            "items": [],
            "properties": [{"key": "a", "value": ONE}, {"key": "a", "value": ONE}],
        },
        "/properties/1/key: property key 'a' repeats an earlier one",
        False,
    ),
    (
        "repeated object key",
        {"type": "object", "properties": [{"key": "a", "value": ONE}, {"key": "a", "get": ONE}]},
        "/properties/1: property key 'a' repeats an earlier one",
        False,
    ),
    (
        "repeated symbol key",
        {
            "type": "object",
            "properties": [
                {"symbol": {"type": "symbol", "id": 1, "description": None}, "value": ONE},
                {"symbol": {"type": "ref", "id": 1}, "value": ONE},
            ],
        },
        "/properties/1: property key JSSymbol(description=None) repeats",
        False,
    ),
    (
        "class Object",
        {"type": "object", "class": "Object", "properties": []},
        "/class: 'Object'; omit class",
        True,
    ),
    (
        "property with key and symbol",
        {
            "type": "object",
            "properties": [{"key": "a", "symbol": {"type": "symbol", "description": None}, "value": ONE}],
        },
        "/properties/0: a property has exactly one of 'key' and 'symbol'",
        True,
    ),
    (
        "property with value and get",
        {"type": "object", "properties": [{"key": "a", "value": ONE, "get": ONE}]},
        "/properties/0: a property has exactly one",
        True,
    ),
    (
        "enumerable true",
        {"type": "object", "properties": [{"key": "a", "value": ONE, "enumerable": True}]},
        "/properties/0/enumerable: only false is allowed",
        True,
    ),
    (
        "symbol key that is no symbol",
        {
            "type": "array",
            "id": 1,
            "items": [{"type": "object", "properties": [{"symbol": _DANGLING, "value": ONE}]}],
        },
        "/items/0/properties/0/symbol: expected a symbol or a ref to one, got list",
        False,
    ),
    ("fractional time", {"type": "date", "time": 0.5}, "/time: Date time 0.5 is not an integer", True),
    (
        "time out of range",
        {"type": "date", "time": 8_640_000_000_000_001},
        "/time: Date time 8640000000000001.0 is not an integer",
        True,
    ),
    (
        "flags out of order",
        {"type": "regexp", "source": "a", "flags": "ig"},
        "/flags: RegExp flags 'ig' are not",
        True,
    ),
    (
        "error name",
        {"type": "error", "name": None, "message": ""},
        "/name: expected a string, got None",
        True,
    ),
    (
        "map entry not a pair",
        {"type": "map", "entries": [[ONE]]},
        "/entries/0: expected a [key, value] pair",
        True,
    ),
    (
        "repeated map key",
        {"type": "map", "entries": [[_number("NaN"), ONE], [_number("NaN"), NULL]]},
        "/entries/1/0: Map key nan repeats an earlier one (SameValueZero)",
        False,
    ),
    (
        "repeated set value",
        {"type": "set", "values": [ONE, _number(1.0)]},
        "/values/1: Set value 1 repeats",
        False,
    ),
    ("-0 in a set", {"type": "set", "values": [_number("-0")]}, "/values/0: Set value is -0", False),
    ("not base64", {"type": "buffer", "base64": "a!=="}, "/base64: not base64", True),
    ("non-ASCII base64", {"type": "buffer", "base64": "\u00e9A=="}, "/base64: not base64", True),
    (
        "non-canonical base64",
        {"type": "arraybuffer", "base64": "AB=="},
        "/base64: not canonical base64",
        True,
    ),
    (
        "unknown kind",
        {"type": "typedarray", "kind": "BigInt64Array", "values": []},
        "/kind: unknown kind",
        True,
    ),
    (
        "integer element out of range",
        {"type": "typedarray", "kind": "Int8Array", "values": [128]},
        "/values/0: 128 is not a Int8Array element (an integer from -128 to 127)",
        True,
    ),
    (
        "-0 in an integer typed array",
        {"type": "typedarray", "kind": "Uint8Array", "values": ["-0"]},
        "/values/0: -0.0 is not a Uint8Array element",
        True,
    ),
    (
        "inexact float32",
        {"type": "typedarray", "kind": "Float32Array", "values": [0.1]},
        "/values/0: 0.1 is not a Float32Array element (not exactly a float32)",
        False,
    ),
]


@pytest.mark.parametrize(
    ("doc", "message", "schema_rejects"), [pytest.param(d, m, s, id=name) for name, d, m, s in MALFORMED]
)
def test_decode_says_what_is_wrong_and_where(doc: object, message: str, schema_rejects: bool) -> None:
    with pytest.raises(ValueError, match="^" + re.escape(message)):
        decode(doc)
    # The schema catches all it can express; the rest its descriptions state in prose.
    assert (_schema_errors(doc) is not None) == schema_rejects


def test_decode_list_paths_start_at_the_argument() -> None:
    with pytest.raises(ValueError, match=r"^/1: ref to id 2"):
        decode_list([_OBJECT_1, {"type": "ref", "id": 2}])
    with pytest.raises(ValueError, match=r"^<root>: expected an array of values"):
        decode_list({"type": "null"})


def test_ids_of_one_list_share_one_space() -> None:
    with pytest.raises(ValueError, match=r"^/1/id: id 1 is already defined"):
        decode_list([_OBJECT_1, _OBJECT_1])


_PAIR: Final = "\ud83d\ude00"

UNENCODABLE: Final[list[tuple[str, object, type[Exception], str]]] = [
    ("hole at the top", HOLE, ValueError, "<root>: HOLE is only valid as an array element"),
    ("hole in a dict", {"a": HOLE}, ValueError, "/properties/0/value: HOLE is only valid"),
    ("not a JavaScript value", [object()], TypeError, "/items/0: <object object"),
    ("key not a str", {1: None}, TypeError, "/properties/0/key: expected a str, got 1"),
    (
        "surrogate pair as two code points",
        _PAIR,
        ValueError,
        "<root>: the surrogate pair '\\ud83d\\ude00' at index 0",
    ),
    ("lone surrogate in a key", {"\ud800": 1}, ValueError, "/properties/0/key: lone surrogate '\\ud800'"),
    ("lone surrogate in a message", JSError("Error", "\udc00"), ValueError, "/message: lone surrogate"),
    ("inexact integer", 2**53 + 1, ValueError, "<root>: 9007199254740993 is not exactly a double"),
    ("integer beyond doubles", 10**400, ValueError, "<root>: 1000000000000"),
    ("fractional time", JSDate(0.5), ValueError, "<root>: Date time 0.5 is not an integer"),
    ("-0 time", JSDate(-0.0), ValueError, "<root>: Date time is -0, which Dates store as +0"),
    (
        "element out of range",
        JSTypedArray("Uint8Array", [256]),
        ValueError,
        "/values/0: 256 is not a Uint8Array",
    ),
    (
        "inexact float32",
        JSTypedArray("Float32Array", [0.1]),
        ValueError,
        "/values/0: 0.1 is not a Float32Array",
    ),
    ("repeated set value", JSSet([1, 1.0]), ValueError, "/values/1: Set value 1.0 repeats an earlier one"),
    ("-0 map key", JSMap([(-0.0, 1)]), ValueError, "/entries/0/0: Map key is -0"),
    ("index as array property", JSArray([], {"3": 1}), ValueError, "/properties/0: array property key '3'"),
    ("class Object", JSObject(cls="Object"), ValueError, "<root>: class 'Object': use cls=None"),
    (
        "repeated key",
        JSObject([Property("a", 1), Property("a", 2)]),
        ValueError,
        "/properties/1: property key 'a'",
    ),
    ("bad flags", JSRegExp("a", "gg"), ValueError, "<root>: RegExp flags 'gg' are not distinct letters"),
]


@pytest.mark.parametrize(
    ("value", "error", "message"), [pytest.param(v, e, m, id=name) for name, v, e, m in UNENCODABLE]
)
def test_encode_refuses_what_javascript_cannot_hold(value: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match="^" + re.escape(message)):
        encode(value)


def test_tree_schema_is_a_bounded_draft7_schema_of_tree_documents() -> None:
    schema = tree_schema(2)
    Draft7Validator.check_schema(schema)
    assert not re.search('"[$]ref"|"id"|"if"|"oneOf"|"allOf"', json.dumps(schema))


@settings(
    max_examples=30,
    deadline=None,
    # hypothesis-jsonschema builds strategies while drawing objects: slow, but bounded by max_examples.
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.deferred(lambda: from_schema(tree_schema(2))))  # canonicalising takes seconds: not at import
def test_schema_documents_decode_and_re_encode_unchanged(doc: Document) -> None:
    assert _schema_errors(doc) is None
    try:
        value = decode(doc)
    except ValueError as error:
        if not PROSE_RULES.search(str(error)):
            raise
        reject()
    assert encode(value) == doc


# The strategies generate what they promise.


def _walk(root: object) -> tuple[list[object], set[str]]:
    """Return each value reached from ``root`` (objects once) and how objects recur: 'shared', 'cycle'."""
    reached: list[object] = []
    sharing: set[str] = set()
    seen: set[int] = set()

    def visit(value: object, ancestors: tuple[int, ...]) -> None:
        reached.append(value)
        if value is None or isinstance(value, bool | int | float | str | JSSymbol):
            return
        if id(value) in seen:
            sharing.add("cycle" if id(value) in ancestors else "shared")
            return
        seen.add(id(value))
        if isinstance(value, JSObject):
            for prop in value.properties:
                visit(prop.key, (*ancestors, id(value)))
        for child in iter_children(value):
            visit(child, (*ancestors, id(value)))

    visit(root, ())
    return reached, sharing


def _features(root: object) -> set[str]:
    """Return what ``root`` shows: the types in it and the traits listed in _JS_FEATURES."""
    reached, found = _walk(root)
    symbols = [value for value in reached if isinstance(value, JSSymbol)]
    if len({id(symbol) for symbol in symbols}) < len(symbols):
        found.add("recurring symbol")
    for value in reached:
        found.add(type(value).__name__)
        if isinstance(value, str) and re.search("[\ud800-\udfff]", value):
            found.add("lone surrogate")
        if isinstance(value, JSArray) and HOLE in value.items:
            found.add("hole")
        if isinstance(value, JSArray) and value.extra:
            found.add("array property")
        if isinstance(value, JSObject):
            found.update(_property_traits(value.properties))
            if value.cls is not None:
                found.add("class")
        if isinstance(value, dict):
            found.update(_property_traits([Property(k, v) for k, v in value.items()]))
    return found


def _property_traits(props: list[Property]) -> set[str]:
    traits = {f"key {p.key}" for p in props if p.key == "__proto__"}
    traits.update("accessor" for p in props if p.is_accessor)
    traits.update("non-enumerable" for p in props if not p.enumerable)
    traits.update("symbol key" for p in props if isinstance(p.key, JSSymbol))
    if any(isinstance(p.key, str) and p.key.isdigit() for p in props[1:]):
        traits.add("integer-like key after another")
    return traits


def _unseen(
    strategy: st.SearchStrategy[Any], traits: Callable[[Any], Iterable[str]], wanted: set[str]
) -> set[str]:
    """Return the ``wanted`` traits that no value drawn from ``strategy`` shows (drawing until all show)."""
    seen: set[str] = set()

    def all_seen(value: Any) -> bool:
        seen.update(traits(value))
        return wanted <= seen

    # Typically 150 to 300 draws; derandomized, so a run either always or never passes.
    drawing = settings(database=None, max_examples=1000, phases=[Phase.generate], derandomize=True)
    with contextlib.suppress(NoSuchExample):
        find(strategy, all_seen, settings=drawing)
    return wanted - seen


_JS_FEATURES: Final = {
    *("NoneType", "bool", "int", "float", "str", "Undefined", "JSSymbol", "JSFunction", "list", "dict"),
    *("JSArray", "JSObject", "JSDate", "JSRegExp", "JSError", "JSMap", "JSSet", "JSPromise"),
    *("JSArrayBuffer", "JSTypedArray", "JSBuffer", "hole", "array property", "accessor", "non-enumerable"),
    *("symbol key", "recurring symbol", "key __proto__", "class", "integer-like key after another"),
    *("shared", "cycle", "lone surrogate"),
}


def test_js_values_cover_the_model() -> None:
    assert _unseen(js_values(lone_surrogates=True), _features, _JS_FEATURES) == set()


def test_argument_lists_share_objects_across_arguments() -> None:
    def traits(args: list[Value]) -> set[str]:
        found = _walk(args)[1]
        if any(a is b for a, b in itertools.combinations(args, 2)):
            found.add("object repeated as an argument")
        return found

    wanted = {"shared", "cycle", "object repeated as an argument"}
    assert _unseen(argument_lists(), traits, wanted) == set()


def test_a_cycle_shrinks_to_the_smallest() -> None:
    found = find(js_values(), lambda v: "cycle" in _walk(v)[1], settings=settings(database=None))
    assert isinstance(found, list)
    assert len(found) == 1
    assert found[0] is found


@given(json_like_values())
def test_json_like_values_are_tree_shaped_json(value: Value) -> None:
    reached, sharing = _walk(value)
    assert not sharing
    assert {type(v) for v in reached} <= {type(None), bool, int, float, str, list, dict}
    assert not any(isinstance(v, float) and (not math.isfinite(v) or str(v) == "-0.0") for v in reached)
    assert not any(isinstance(v, dict) and "__proto__" in v for v in reached)
    assert json.loads(json.dumps(value, allow_nan=False)) == value


def test_numbers_cover_the_doubles() -> None:
    wanted = {"nan", "inf", "-inf", "-0.0", "5e-324", "1.7976931348623157e+308", "int", "fraction", "huge"}

    def traits(x: int | float) -> set[str]:
        found = {str(float(x))}
        if isinstance(x, int):
            found.add("int")
        elif math.isfinite(x) and not x.is_integer():
            found.add("fraction")
        elif math.isfinite(x) and abs(x) > 2**53:
            found.add("huge")
        return found

    assert _unseen(numbers(), traits, wanted) == set()


@given(channel_names())
def test_channel_names_are_well_formed_and_not_internal(name: str) -> None:
    name.encode("utf-8", errors="strict")
    assert not name.startswith(("ATOM_BROWSER_", "ATOM_SHELL_", "ATOM_RENDERER_"))


_CHANNEL_TRAITS: Final[dict[str, Callable[[str], bool]]] = {
    "empty": lambda n: n == "",
    "long": lambda n: len(n) > 1000,
    "NUL": lambda n: "\x00" in n,
    "space": lambda n: " " in n,
    "dot": lambda n: "." in n,
    "slash": lambda n: "/" in n,
    "astral": lambda n: any(ord(c) > 0xFFFF for c in n),
    "right-to-left": lambda n: any("\u0590" <= c <= "\u08ff" for c in n),
}


def test_channel_names_cover_free_text() -> None:
    def traits(name: str) -> set[str]:
        return {trait for trait, has in _CHANNEL_TRAITS.items() if has(name)}

    assert _unseen(channel_names(), traits, set(_CHANNEL_TRAITS)) == set()


@pytest.mark.parametrize(
    "make",
    [
        lambda: js_values(max_leaves=0),
        lambda: json_like_values(max_leaves=True),
        lambda: argument_lists(max_size=-1),
    ],
)
def test_strategies_check_their_options(make: Callable[[], st.SearchStrategy[Any]]) -> None:
    with pytest.raises(InvalidArgument, match="must be a"):
        make()
