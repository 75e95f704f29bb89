"""Tests of the JavaScript operations the oracles are built from (conformance/editions/jsops.py)."""

from __future__ import annotations

import datetime
import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformance.editions.jsops import (
    JSThrow,
    date_to_iso_string,
    date_to_json,
    enumeration_order,
    json_round_trip,
    number_to_string,
    time_clip,
    to_string,
    utf8_bytes,
)
from conformance.values.model import (
    HOLE,
    UNDEFINED,
    JSArray,
    JSFunction,
    JSObject,
    JSSymbol,
    Property,
    js_equal,
)

MS_PER_DAY = 86_400_000


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (0, "0"),
        (-0.0, "0"),  # the sign of zero is not printed
        (1, "1"),
        (-1.5, "-1.5"),
        (100, "100"),
        (0.1 + 0.2, "0.30000000000000004"),
        (2**53, "9007199254740992"),
        (1e20, "100000000000000000000"),
        (1.2345678901234568e20, "123456789012345680000"),  # up to 21 digits: no exponent
        (1e21, "1e+21"),
        (1.5e300, "1.5e+300"),
        (1.7976931348623157e308, "1.7976931348623157e+308"),
        (0.000001, "0.000001"),  # exponent -6 still written out
        (0.0000015, "0.0000015"),
        (1e-7, "1e-7"),
        (1.5e-7, "1.5e-7"),
        (123e-20, "1.23e-18"),
        (5e-324, "5e-324"),
        (math.nan, "NaN"),
        (math.inf, "Infinity"),
        (-math.inf, "-Infinity"),
    ],
)
def test_number_to_string(number: float, text: str) -> None:
    assert number_to_string(number) == text


_JS_NUMBER = re.compile(r"-?(0|[1-9]\d*)(\.\d*[1-9])?|-?0\.0{0,5}[1-9]\d*|-?[1-9](\.\d*[1-9])?e[+-][1-9]\d*")


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_number_to_string_reads_back_and_has_javascript_shape(number: float) -> None:
    text = number_to_string(number)
    assert float(text) == number
    assert _JS_NUMBER.fullmatch(text), text


@given(st.integers(min_value=-(2**53), max_value=2**53))
def test_number_to_string_writes_safe_integers_in_full(number: int) -> None:
    assert number_to_string(number) == str(number)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, "null"),
        (UNDEFINED, "undefined"),
        (True, "true"),
        (False, "false"),
        (-0.0, "0"),
        (1e21, "1e+21"),
        ("chan", "chan"),
        ([], ""),
        ([1, None, UNDEFINED, "a"], "1,,,a"),  # null and undefined join as empty strings
        ([1, [2, [3]], {}], "1,2,3,[object Object]"),  # nested arrays join flat
        ([HOLE, 1], ",1"),
        ({}, "[object Object]"),
        ({"a": 1}, "[object Object]"),
    ],
)
def test_to_string(value: object, text: str) -> None:
    assert to_string(value) == text  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [{"toString": 1}, [{"toString": "x"}]])
def test_to_string_throws_for_an_own_non_callable_to_string(value: object) -> None:
    with pytest.raises(JSThrow) as raised:
        to_string(value)  # type: ignore[arg-type]
    assert raised.value.name == "TypeError"


def test_to_string_refuses_values_a_conversion_never_gives() -> None:
    with pytest.raises(TypeError, match="JSFunction"):
        to_string(JSFunction("f"))


def test_utf8_bytes_writes_lone_surrogates_as_three_bytes() -> None:
    assert utf8_bytes("a\ud800") == b"a\xed\xa0\x80"
    assert utf8_bytes("\U0001f600") == b"\xf0\x9f\x98\x80"
    # A pair spelled as two code points is the same JavaScript string.
    assert utf8_bytes("\ud83d\ude00") == utf8_bytes("\U0001f600")


def test_utf8_byte_order_is_not_utf16_order() -> None:
    keys = ["\U0001f600", "\uffff"]
    # UTF-16 puts the surrogate 0xD83D before 0xFFFF; UTF-8 bytes put U+FFFF first.
    assert sorted(keys, key=utf8_bytes) == ["\uffff", "\U0001f600"]


def test_enumeration_order_puts_array_indices_first() -> None:
    keys = ["b", "1", "a", "0", "01", "4294967295", "4294967294", "-1"]
    assert enumeration_order(keys) == ["0", "1", "4294967294", "b", "a", "01", "4294967295", "-1"]


@pytest.mark.parametrize(
    ("time", "text"),
    [
        (0, "1970-01-01T00:00:00.000Z"),
        (-1, "1969-12-31T23:59:59.999Z"),
        (1.9, "1970-01-01T00:00:00.001Z"),  # TimeClip truncates toward zero
        (951782400000, "2000-02-29T00:00:00.000Z"),
        (-62167219200000, "0000-01-01T00:00:00.000Z"),
        (-62167219200001, "-000001-12-31T23:59:59.999Z"),
        (-62198755200000, "-000001-01-01T00:00:00.000Z"),
        (253402300800000, "+010000-01-01T00:00:00.000Z"),
        (8.64e15, "+275760-09-13T00:00:00.000Z"),
        (-8.64e15, "-271821-04-20T00:00:00.000Z"),
    ],
)
def test_date_to_iso_string(time: float, text: str) -> None:
    assert date_to_iso_string(time) == text
    assert date_to_json(time) == text


@pytest.mark.parametrize("time", [math.nan, math.inf, 8.64e15 + 1, -8.64e15 - 1])
def test_invalid_dates_throw_in_to_iso_string_and_give_null_in_to_json(time: float) -> None:
    assert math.isnan(time_clip(time))
    with pytest.raises(JSThrow) as raised:
        date_to_iso_string(time)
    assert raised.value.name == "RangeError"
    assert date_to_json(time) is None


_YEAR_1 = -62135596800000
_YEAR_10000 = 253402300800000


@given(st.integers(min_value=_YEAR_1, max_value=_YEAR_10000 - 1))
def test_date_to_iso_string_agrees_with_datetime_within_its_years(time: int) -> None:
    expected = datetime.datetime(1970, 1, 1) + datetime.timedelta(milliseconds=time)
    assert date_to_iso_string(time) == expected.isoformat(timespec="milliseconds") + "Z"


@given(st.integers(min_value=-8_000_000_000_000_000, max_value=8_000_000_000_000_000))
def test_the_calendar_repeats_every_400_years(time: int) -> None:
    later = date_to_iso_string(time + 146_097 * MS_PER_DAY)
    year, rest = re.fullmatch(r"([+-]?\d+)(-.*)", date_to_iso_string(time)).groups()  # type: ignore[union-attr]
    later_year, later_rest = re.fullmatch(r"([+-]?\d+)(-.*)", later).groups()  # type: ignore[union-attr]
    assert (int(later_year), later_rest) == (int(year) + 400, rest)


def test_json_round_trip_calls_getters_and_keeps_creation_order() -> None:
    sent = JSObject(
        [
            Property("b", 1),
            Property.accessor("a", [1, UNDEFINED]),
            Property("1", True),
            Property("hidden", 2, enumerable=False),
            Property(JSSymbol("s"), 3),
        ],
        cls="Point",
    )
    answer = json_round_trip(sent)
    assert js_equal(answer, {"1": True, "b": 1, "a": [1, None]})
    assert isinstance(answer, dict)
    assert list(answer) == ["1", "b", "a"]


def test_json_round_trip_returns_undefined_where_stringify_does() -> None:
    assert json_round_trip(UNDEFINED) is UNDEFINED
    assert json_round_trip(JSFunction("f")) is UNDEFINED
    assert json_round_trip(JSSymbol("s")) is UNDEFINED


def test_json_round_trip_throws_on_a_cycle_through_a_getter() -> None:
    outer: list[object] = []
    outer.append(JSObject([Property.accessor("back", outer)]))  # type: ignore[arg-type]
    with pytest.raises(JSThrow) as raised:
        json_round_trip(outer)  # type: ignore[arg-type]
    assert raised.value.name == "TypeError"


def test_json_round_trip_ignores_a_to_json_that_is_not_a_function() -> None:
    assert json_round_trip({"toJSON": 1}) == {"toJSON": 1}


@pytest.mark.parametrize(
    "value",
    [
        {"toJSON": JSFunction("toJSON")},
        JSObject([Property("toJSON", JSFunction("toJSON"), enumerable=False)]),
        JSArray([1], extra={"toJSON": JSFunction("toJSON")}),
    ],
)
def test_json_round_trip_refuses_an_own_to_json_function(value: object) -> None:
    with pytest.raises(ValueError, match="toJSON"):
        json_round_trip(value)  # type: ignore[arg-type]
