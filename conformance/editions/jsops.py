"""JavaScript operations the editions' oracles are built from: String(), Number::toString,
Date's ISO form, key order and JSON.parse(JSON.stringify(x)), as pure functions on the value model.

Each function follows the ECMAScript operation it names (as V8 implemented it in 2015);
where the JavaScript operation throws, the function raises ``JSThrow``.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable
from decimal import Decimal
from types import NoneType
from typing import Final

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
    Key,
    Undefined,
    Value,
    own_keys,
)

__all__ = [
    "JSThrow",
    "date_to_iso_string",
    "date_to_json",
    "enumeration_order",
    "json_round_trip",
    "number_to_string",
    "time_clip",
    "to_string",
    "utf8_bytes",
]


class JSThrow(Exception):
    """The JavaScript operation throws ``name`` (``TypeError``, ``RangeError``) with ``message``."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(f"{name}: {message}")
        self.name = name
        self.message = message


def number_to_string(x: float) -> str:
    """Return ECMAScript Number::toString(x): ``"1e+21"``, ``"0"`` for ``-0``, ``"1e-7"``, ``"NaN"``."""
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if x == 0:
        return "0"
    if x < 0:
        return "-" + number_to_string(-x)
    if math.isinf(x):
        return "Infinity"
    # repr gives the shortest digits that read back as x, ties to the closest: what V8 prints.
    _, digit_tuple, exponent = Decimal(repr(x)).as_tuple()
    assert isinstance(exponent, int)
    raw = "".join(map(str, digit_tuple))
    digits = raw.rstrip("0")
    k = len(digits)
    n = exponent + len(raw)  # x = 0.<digits> * 10**n
    if k <= n <= 21:
        return digits + "0" * (n - k)
    if 0 < n <= 21:
        return f"{digits[:n]}.{digits[n:]}"
    if -6 < n <= 0:
        return "0." + "0" * -n + digits
    e = n - 1
    mantissa = digits if k == 1 else f"{digits[0]}.{digits[1:]}"
    return f"{mantissa}e{'+' if e >= 0 else '-'}{abs(e)}"


def to_string(value: Value | Hole) -> str:
    """Return String(value) for the values a conversion can produce (plain values and ``UNDEFINED``).

    Arrays join their elements with ``","`` (``null``, ``undefined`` and holes give ``""``);
    a plain object gives ``"[object Object]"``.  Raises ``JSThrow`` (TypeError) for an object
    with an own ``toString`` key: its value is not callable after conversion, so String()
    finds no primitive.  Raises ``TypeError`` for values outside that set.
    """
    match value:
        case None:
            return "null"
        case Undefined():
            return "undefined"
        case bool():
            return "true" if value else "false"
        case int() | float():
            return number_to_string(value)
        case str():
            return value
        case list():
            return ",".join("" if isinstance(x, NoneType | Undefined | Hole) else to_string(x) for x in value)
        case dict():
            if "toString" in value:
                raise JSThrow("TypeError", "Cannot convert object to primitive value")
            return "[object Object]"
    raise TypeError(f"to_string takes plain values and UNDEFINED, not {value!r} ({type(value).__name__})")


def utf8_bytes(text: str) -> bytes:
    """Return ``text`` as V8's ``String::Utf8Value`` writes it: each lone surrogate as 3 bytes.

    A surrogate pair written as two Python code points counts as the character it encodes.
    """
    joined = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")
    return joined.encode("utf-8", "surrogatepass")


def enumeration_order(keys: Iterable[str]) -> list[str]:
    """Return the keys of an object created with ``keys`` in that order, as JavaScript enumerates them.

    Array indices come first in ascending order, then the other keys in creation order.
    """
    key_list: list[Key] = list(keys)
    return [key for key in own_keys(key_list) if isinstance(key, str)]


_MAX_TIME: Final = 8.64e15
_MS_PER_DAY: Final = 86_400_000
_DAYS_PER_400_YEARS: Final = 146_097
_EPOCH: Final = datetime.date(1970, 1, 1)


def time_clip(time: float) -> float:
    """Return ECMAScript TimeClip(time): the integer time value, or ``nan`` for an invalid date."""
    if not math.isfinite(time) or abs(time) > _MAX_TIME:
        return math.nan
    return float(math.trunc(time))


def date_to_iso_string(time: float) -> str:
    """Return Date.prototype.toISOString for a Date holding ``time``, e.g. ``"+275760-09-13T00:00:00.000Z"``.

    Years 0 to 9999 have four digits, others a sign and six digits.  Raises ``JSThrow``
    (RangeError) for an invalid date.
    """
    clipped = time_clip(time)
    if math.isnan(clipped):
        raise JSThrow("RangeError", "Invalid time value")
    days, ms_of_day = divmod(int(clipped), _MS_PER_DAY)
    # The Gregorian calendar repeats every 400 years: shift into datetime's range, then back.
    cycles, day_in_cycle = divmod(days, _DAYS_PER_400_YEARS)
    date = _EPOCH + datetime.timedelta(days=day_in_cycle)
    year = date.year + 400 * cycles
    hours, rest = divmod(ms_of_day, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    year_text = f"{year:04d}" if 0 <= year <= 9999 else f"{'+' if year > 0 else '-'}{abs(year):06d}"
    return (
        f"{year_text}-{date.month:02d}-{date.day:02d}T{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}Z"
    )


def date_to_json(time: float) -> str | None:
    """Return Date.prototype.toJSON for a Date holding ``time``: its ISO string, ``None`` when invalid."""
    if math.isnan(time_clip(time)):
        return None
    return date_to_iso_string(time)


def json_round_trip(value: Value) -> Value:
    """Return JSON.parse(JSON.stringify(value)), or ``UNDEFINED`` where JSON.stringify returns undefined.

    ``NaN`` and ``±Infinity`` become ``null`` and ``-0`` becomes ``0``; a Date becomes its
    ISO string (``null`` when invalid) and a Buffer ``{"type": "Buffer", "data": [...]}``;
    getters are called; ``undefined``, functions, Symbols and holes give ``null`` in arrays
    and are omitted as property values; only own enumerable string keys are kept, in the
    sender's order, ``"__proto__"`` included (JSON.parse defines own properties); typed
    arrays become ``{"0": ..., "1": ...}``; other exotic objects ``{}``.  Shared references
    are copied apart.  Raises ``JSThrow`` (TypeError) for a cyclic value, and ``ValueError``
    for an own ``toJSON`` function, whose result the value model does not say.
    """
    return _JSONRoundTrip().value(value)


def _json_number(x: float) -> Value:
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return 0 if x == 0 else x


class _JSONRoundTrip:
    """One JSON.stringify call; the objects being serialized form the cycle-check stack."""

    def __init__(self) -> None:
        self._stack: set[int] = set()

    def value(self, value: Value) -> Value:
        value = _apply_to_json(value)
        match value:
            case None | bool() | str():
                return value
            case int() | float():
                return _json_number(value)
            case Undefined() | JSFunction() | JSSymbol():
                return UNDEFINED
        if id(value) in self._stack:
            raise JSThrow("TypeError", "Converting circular structure to JSON")
        self._stack.add(id(value))
        try:
            match value:
                case list() | JSArray():
                    items = value.items if isinstance(value, JSArray) else value
                    return [self._element(item) for item in items]
                case _:
                    result: dict[str, Value] = {}
                    for key, child in _json_entries(value):
                        converted = self.value(child)
                        if not isinstance(converted, Undefined):
                            result[key] = converted
                    return result
        finally:
            self._stack.discard(id(value))

    def _element(self, item: Value | Hole) -> Value:
        if isinstance(item, Hole):
            return None
        converted = self.value(item)
        return None if isinstance(converted, Undefined) else converted


def _apply_to_json(value: Value) -> Value:
    """Return what JSON.stringify serializes in place of ``value`` after calling its ``toJSON``."""
    match value:
        case JSDate():
            return date_to_json(value.time)
        case JSBuffer():
            return {"type": "Buffer", "data": list(value.data)}
        case dict() | JSObject() | JSArray():
            own_to_json = _own_value(value, "toJSON")
            if isinstance(own_to_json, JSFunction):
                raise ValueError(
                    f"{value!r} has its own toJSON function, whose result the value model does not say;"
                    " give toJSON a non-function value or remove it"
                )
    return value


def _own_value(value: dict[str, Value] | JSObject | JSArray, key: str) -> Value:
    """Return what reading own property ``key`` gives (getters called), ``UNDEFINED`` if absent."""
    match value:
        case dict():
            return value.get(key, UNDEFINED)
        case JSArray():
            return value.extra.get(key, UNDEFINED)
        case JSObject():
            for prop in value.properties:
                if prop.key == key:
                    return prop.getter if prop.is_accessor else prop.value
    return UNDEFINED


def _json_entries(value: Value) -> list[tuple[str, Value]]:
    """Return the own enumerable string-keyed properties JSON.stringify reads, getters called."""
    match value:
        case dict():
            return [(key, value[key]) for key in enumeration_order(value)]
        case JSObject():
            by_key = {
                prop.key: prop.getter if prop.is_accessor else prop.value
                for prop in value.properties
                if isinstance(prop.key, str) and prop.enumerable
            }
            return [(key, by_key[key]) for key in enumeration_order(by_key)]
        case JSTypedArray():
            return [(str(index), item) for index, item in enumerate(value.values)]
        case JSRegExp() | JSError() | JSMap() | JSSet() | JSPromise() | JSArrayBuffer():
            return []
    raise TypeError(f"not a JavaScript object: {value!r} ({type(value).__name__})")
