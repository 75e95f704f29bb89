"""The answer to ``sendSync`` (RET-2, RET-3): ``JSON.stringify`` in main, ``JSON.parse`` in the page.

The value assigned to ``event.returnValue`` does not go through the argument
conversion: main turns it into JSON text with ``stringify`` (getters called,
``toJSON`` of Date and Buffer applied, shared references written out again,
non-finite numbers as ``null``) and the blocked page returns ``parse`` of it.
"""

from __future__ import annotations

import json
import math
from typing import Any, Final

from conformance.values.model import (
    HOLE,
    UNDEFINED,
    JSArray,
    JSBuffer,
    JSDate,
    JSFunction,
    JSObject,
    JSSymbol,
    JSTypedArray,
)
from reference_impl.js_rules import (
    MAX_SAFE_INTEGER,
    js_number,
    number_to_string,
    ordered_object,
    property_key,
    received_number,
)

__all__ = ["iso_date", "parse", "stringify"]

_DECODER: Final = json.JSONDecoder(
    object_pairs_hook=lambda pairs: ordered_object(pairs, keep_proto=True),
    parse_float=lambda text: received_number(float(text)),
    parse_int=lambda text: _integer(int(text)),
)

_MAX_TIME: Final = 8.64e15
_MS_PER_DAY: Final = 86_400_000


def stringify(value: object) -> str:
    """Return ``JSON.stringify(value)``.

    Raises TypeError where JavaScript gives no string (``undefined``, a function or
    a Symbol) or throws (a cycle): main then sends no answer (RET-3).
    """
    text = _Stringifier().value(value)
    if text is None:
        raise TypeError(f"JSON.stringify gives undefined for {value!r}: it cannot be a sendSync answer")
    return text


def parse(text: bytes) -> object:
    """Return ``JSON.parse(text)`` as plain Python values (keys in JavaScript order)."""
    return _DECODER.decode(text.decode("ascii"))


def iso_date(time: float) -> str | None:
    """Return ``Date.prototype.toJSON``: the ISO 8601 text of a time value, or None if invalid."""
    if not math.isfinite(time) or abs(time) > _MAX_TIME:
        return None
    days, millisecond = divmod(int(time), _MS_PER_DAY)
    year, month, day = _civil_from_days(days)
    hour, millisecond = divmod(millisecond, 3_600_000)
    minute, millisecond = divmod(millisecond, 60_000)
    second, millisecond = divmod(millisecond, 1000)
    year_text = f"{year:04d}" if 0 <= year <= 9999 else f"{year:+07d}"
    return f"{year_text}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}.{millisecond:03d}Z"


def _civil_from_days(days: int) -> tuple[int, int, int]:
    """Return the proleptic Gregorian (year, month, day) ``days`` after 1970-01-01."""
    shifted = days + 719_468  # days since 0000-03-01
    era = shifted // 146_097
    day_of_era = shifted - era * 146_097
    year_of_era = (day_of_era - day_of_era // 1460 + day_of_era // 36_524 - day_of_era // 146_096) // 365
    day_of_year = day_of_era - (365 * year_of_era + year_of_era // 4 - year_of_era // 100)
    month_from_march = (5 * day_of_year + 2) // 153
    day = day_of_year - (153 * month_from_march + 2) // 5 + 1
    month = month_from_march + 3 if month_from_march < 10 else month_from_march - 9
    year = year_of_era + era * 400 + (1 if month <= 2 else 0)
    return year, month, day


class _Stringifier:
    """One ``JSON.stringify`` call; tracks the objects being written to detect cycles."""

    def __init__(self) -> None:
        self._open: set[int] = set()

    def value(self, value: object) -> str | None:
        """Return the JSON text of ``value``, or None where JavaScript skips it."""
        if value is None:
            return "null"
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int):
            return _number(js_number(value))
        if isinstance(value, float):
            return _number(value)
        if isinstance(value, str):
            return json.dumps(value)
        if value is UNDEFINED or value is HOLE or isinstance(value, JSSymbol | JSFunction):
            return None
        match value:
            case JSDate(time=time):
                date = iso_date(time)
                return "null" if date is None else json.dumps(date)
            case JSBuffer(data=data):
                return '{"type":"Buffer","data":[' + ",".join(map(str, data)) + "]}"
            case list() | JSArray() | dict() | JSObject() | JSTypedArray():
                return self._container(value)
        if callable(value):
            return None
        # RegExp, Error, Map, Set, Promise, ArrayBuffer and any other object have
        # no own enumerable property.
        return "{}"

    def _container(self, value: list[Any] | JSArray | dict[Any, Any] | JSObject | JSTypedArray) -> str:
        if id(value) in self._open:
            raise TypeError("Converting circular structure to JSON")
        self._open.add(id(value))
        try:
            if isinstance(value, list | JSArray):
                items = value.items if isinstance(value, JSArray) else value
                return "[" + ",".join(self.value(item) or "null" for item in items) + "]"
            if isinstance(value, dict):
                return self._object([(property_key(key), item) for key, item in value.items()])
            if isinstance(value, JSObject):
                # Getters are called: an accessor contributes the value it returns.
                return self._object(
                    [
                        (property_key(prop.key), prop.getter if prop.is_accessor else prop.value)
                        for prop in value.properties
                        if prop.enumerable
                    ]
                )
            return self._object([(str(index), item) for index, item in enumerate(value.values)])
        finally:
            self._open.discard(id(value))

    def _object(self, properties: list[tuple[object, object]]) -> str:
        string_keyed = [(key, item) for key, item in properties if isinstance(key, str)]
        members = []
        for key, item in ordered_object(string_keyed, keep_proto=True).items():
            text = self.value(item)
            if text is not None:
                members.append(f"{json.dumps(key)}:{text}")
        return "{" + ",".join(members) + "}"


def _integer(value: int) -> int | float:
    return value if abs(value) <= MAX_SAFE_INTEGER else float(value)


def _number(value: float) -> str:
    return number_to_string(value) if math.isfinite(value) else "null"
