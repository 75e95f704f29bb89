"""JavaScript-like rendering of values, as failure messages and reports show them."""

from __future__ import annotations

import copy
import math

import pytest
from hypothesis import given, settings

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
    Value,
)
from conformance.values.render import render, render_list
from conformance.values.strategies import js_values


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (0, "0"), (-0.0, "-0"), (1.0, "1"), (-1.5, "-1.5"), (math.nan, "NaN"),
        (math.inf, "Infinity"), (-math.inf, "-Infinity"), (0.1 + 0.2, "0.30000000000000004"),
        (2**53, "9007199254740992"), (1e20, "100000000000000000000"), (1e21, "1e+21"),
        (2**70, "1.1805916207174113e+21"), (1e-6, "0.000001"), (1.5e-6, "0.0000015"), (1e-7, "1e-7"),
        (-1.23e-18, "-1.23e-18"), (5e-324, "5e-324"), (1.7976931348623157e308, "1.7976931348623157e+308"),
    ],
)  # fmt: skip
def test_numbers_render_as_javascript_prints_them(number: float, text: str) -> None:
    assert render(number) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, "null"), (True, "true"), (False, "false"), (UNDEFINED, "undefined"),
        ("a\"b", '"a\\"b"'), ("\ud800", '"\\ud800"'), (JSSymbol("s"), "Symbol(s)"), (JSSymbol(), "Symbol()"),
        (JSFunction("f"), "[Function f]"), (JSFunction(), "[Function (anonymous)]"),
    ],
    ids=repr,
)  # fmt: skip
def test_primitives_and_functions(value: Value, text: str) -> None:
    assert render(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ([1, [2, {}]], "[1, [2, {}]]"),
        (JSArray([1, HOLE, 3], {"foo": "x"}), '[1, <hole>, 3, foo: "x"]'),
        ({"b": 1, "2": 2, "a b": 3}, '{"2": 2, b: 1, "a b": 3}'),
        (JSDate(0), "Date(0)"), (JSDate(math.nan), "Date(NaN)"), (JSRegExp("a+", "gi"), "/a+/gi"),
        (JSError("TypeError", "bad"), 'TypeError("bad")'), (JSMap([("k", 1)]), 'Map {"k" => 1}'),
        (JSSet([1, "1"]), 'Set {1, "1"}'), (JSPromise(), "Promise { <pending> }"),
        (JSArrayBuffer(b"\x01\xff"), "ArrayBuffer(01 ff)"), (JSBuffer(b"\x00\x10"), "<Buffer 00 10>"),
        (JSTypedArray("Float32Array", [0.5, -0.0]), "Float32Array(0.5, -0)"),
    ],
    ids=lambda v: type(v).__name__ if not isinstance(v, str) else None,
)  # fmt: skip
def test_containers_and_exotic_objects(value: Value, text: str) -> None:
    assert render(value) == text


def test_exotic_properties_are_marked() -> None:
    symbol = JSSymbol("tag")
    value = JSObject(
        [
            Property("plain", 1),
            Property.accessor("g", 2),
            Property(symbol, 3),
            Property("hidden", 4, enumerable=False),
        ],
        cls="Point",
    )
    assert render(value) == "Point {plain: 1, get g: () => 2, (non-enumerable) hidden: 4, [Symbol(tag)]: 3}"


def test_a_cycle_is_a_reference_to_its_container() -> None:
    array: list[Value] = [1]
    array.append(array)
    assert render(array) == "[1, <ref *1>]"
    obj: dict[str, Value] = {}
    obj["self"] = obj
    assert render(obj) == "{self: <ref *1>}"


def test_shared_references_are_numbered_in_visiting_order() -> None:
    inner: list[Value] = [0]
    assert render([{"a": inner}, inner]) == "[{a: [0]}, <ref *3>]"


def test_render_list_shares_references_across_arguments() -> None:
    shared: Value = {"k": 1}
    assert render_list([shared, shared, 2]) == "({k: 1}, <ref *1>, 2)"
    assert render_list([]) == "()"
    assert render(shared) == "{k: 1}"  # every render starts afresh


def test_long_output_is_clipped_with_its_length() -> None:
    text = render("x" * 5000)
    assert text == '"' + "x" * 1999 + "... (5002 characters)"


def test_a_python_value_outside_the_model_is_refused() -> None:
    with pytest.raises(TypeError, match="not a JavaScript value"):
        render(object())


@settings(max_examples=50, deadline=None)
@given(value=js_values(lone_surrogates=True, max_leaves=8))
def test_any_value_renders_and_a_copy_renders_the_same(value: Value) -> None:
    text = render(value)
    assert text == render(copy.deepcopy(value))
    assert len(text) <= 2000 or text.endswith(" characters)")
