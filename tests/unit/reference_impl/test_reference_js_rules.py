"""JavaScript number and string rules of the reference implementation, in-process."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformance.values.model import HOLE, UNDEFINED, JSArray, JSSymbol
from reference_impl.js_rules import (
    js_number,
    number_to_string,
    ordered_object,
    property_key,
    received_number,
)


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (0, "0"),
        (-0.0, "0"),
        (1.5, "1.5"),
        (-1.5, "-1.5"),
        (100.0, "100"),
        (1e20, "100000000000000000000"),
        (1e21, "1e+21"),
        (123456789012345680000, "123456789012345680000"),
        (2**53, "9007199254740992"),
        (0.000001, "0.000001"),
        (1e-7, "1e-7"),
        (1.5e-7, "1.5e-7"),
        (123e-20, "1.23e-18"),
        (5e-324, "5e-324"),
        (1.7976931348623157e308, "1.7976931348623157e+308"),
        (0.1 + 0.2, "0.30000000000000004"),
        (math.nan, "NaN"),
        (math.inf, "Infinity"),
        (-math.inf, "-Infinity"),
    ],
)
def test_number_to_string_matches_javascript(number: float, text: str) -> None:
    assert number_to_string(number) == text


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_number_to_string_reads_back_exactly(number: float) -> None:
    assert float(number_to_string(number)) == number


def test_numbers_are_doubles() -> None:
    assert js_number(2**53) == 2**53 and isinstance(js_number(2**53), int)
    assert js_number(2**53 + 1) == float(2**53)
    assert js_number(10**400) == math.inf and js_number(-(10**400)) == -math.inf
    assert [type(received_number(x)) for x in (3.0, -0.0, 2.0**53, 2.0**54, math.nan)] == [
        int,
        float,
        int,
        float,
        float,
    ]


@pytest.mark.clause("CH-5")
def test_property_key_is_string_conversion() -> None:
    symbol = JSSymbol()
    cycle: list[object] = [1]
    cycle.append(cycle)
    assert [
        property_key(value)
        for value in (
            True,
            None,
            UNDEFINED,
            2**60,
            [1, None, UNDEFINED, [2, 3]],
            JSArray([1, HOLE, 2]),
            cycle,
        )
    ] == ["true", "null", "undefined", "1152921504606847000", "1,,,2,3", "1,,2", "1,"]
    assert property_key(symbol) is symbol
    assert property_key(object()) == "[object Object]"
    assert property_key("\ud83d\ude00") == "😀"


@pytest.mark.clause("SER-7", "SER-12")
def test_ordered_object_puts_array_indices_first() -> None:
    pairs: list[tuple[str, object]] = [("b", 1), ("10", 2), ("__proto__", 3), ("2", 4), ("02", 5), ("a", 6)]
    assert list(ordered_object(pairs, keep_proto=True)) == ["2", "10", "b", "__proto__", "02", "a"]
    assert list(ordered_object(pairs, keep_proto=False)) == ["2", "10", "b", "02", "a"]
