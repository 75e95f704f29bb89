"""The reference implementation's ``JSON.stringify`` and ``JSON.parse`` for sync answers, in-process."""

from __future__ import annotations

import datetime
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformance.values.model import (
    HOLE,
    UNDEFINED,
    JSArray,
    JSDate,
    JSError,
    JSFunction,
    JSObject,
    JSRegExp,
    JSSymbol,
    JSTypedArray,
    Property,
)
from reference_impl.json_answer import iso_date, parse, stringify


@pytest.mark.clause("RET-2")
@pytest.mark.parametrize(
    ("value", "text"),
    [
        ({"b": 1, "a": [1.5, -0.0, math.nan]}, '{"b":1,"a":[1.5,0,null]}'),
        ({"2": "x", "1": "y", "b": None}, '{"1":"y","2":"x","b":null}'),
        (JSArray([1, HOLE, UNDEFINED, JSFunction()], extra={"x": 1}), "[1,null,null,null]"),
        (JSObject([Property.accessor("g", [1]), Property("h", 1, enumerable=False)]), '{"g":[1]}'),
        ([JSRegExp("a"), JSError("Error", "m")], "[{},{}]"),
        (JSTypedArray("Int8Array", [-1, 2]), '{"0":-1,"1":2}'),
        ([1e21, 2**53, 1e-7], "[1e+21,9007199254740992,1e-7]"),
        ("\n\x00", '"\\n\\u0000"'),
    ],
)
def test_stringify_matches_javascript(value: object, text: str) -> None:
    assert stringify(value) == text


@pytest.mark.clause("RET-3")
@pytest.mark.parametrize("value", [UNDEFINED, JSFunction(), JSSymbol(), print])
def test_stringify_gives_nothing_for_top_level_undefined_functions_and_symbols(value: object) -> None:
    with pytest.raises(TypeError, match="undefined"):
        stringify(value)


@pytest.mark.clause("RET-3", "RET-2")
def test_stringify_rejects_cycles_but_duplicates_shared_references() -> None:
    cycle: dict[str, object] = {}
    cycle["self"] = cycle
    with pytest.raises(TypeError, match="circular"):
        stringify([cycle])
    shared = {"k": 1}
    assert stringify([shared, {"again": shared}]) == '[{"k":1},{"again":{"k":1}}]'


@pytest.mark.clause("RET-2")
def test_parse_gives_plain_python_in_javascript_key_order() -> None:
    parsed = parse(b'{"b":1,"10":2.0,"__proto__":3,"2":1e400,"big":9007199254740993}')
    assert isinstance(parsed, dict)
    assert parsed == {"2": math.inf, "10": 2, "b": 1, "__proto__": 3, "big": 9007199254740992.0}
    assert list(parsed) == ["2", "10", "b", "__proto__", "big"]
    assert type(parsed["10"]) is int and type(parsed["big"]) is float


@pytest.mark.clause("RET-2")
@pytest.mark.parametrize(
    ("time", "text"),
    [
        (0, "1970-01-01T00:00:00.000Z"),
        (-1, "1969-12-31T23:59:59.999Z"),
        (951782400000, "2000-02-29T00:00:00.000Z"),
        (-62167219200000, "0000-01-01T00:00:00.000Z"),
        (-62167219200001, "-000001-12-31T23:59:59.999Z"),
        (253402300800000, "+010000-01-01T00:00:00.000Z"),
        (8.64e15, "+275760-09-13T00:00:00.000Z"),
        (-8.64e15, "-271821-04-20T00:00:00.000Z"),
        (1.9, "1970-01-01T00:00:00.001Z"),
    ],
)
def test_iso_date_matches_javascript(time: float, text: str) -> None:
    assert iso_date(time) == text


@given(st.integers(min_value=-62135596800000, max_value=253402300799999))
def test_iso_date_agrees_with_datetime(time: int) -> None:
    moment = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC) + datetime.timedelta(milliseconds=time)
    assert iso_date(time) == moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


@pytest.mark.parametrize("time", [math.nan, math.inf, 8.64e15 + 1])
def test_invalid_dates_have_no_iso_text(time: float) -> None:
    assert iso_date(time) is None
    assert stringify(JSDate(time)) == "null"
