"""Small JavaScript rules both sides of the IPC need.

Numbers are IEEE doubles (``js_number``, ``received_number``), ``Number::toString``
(``number_to_string``, used by ``String()`` and ``JSON.stringify``), ``String()`` on
the values a channel can be (``property_key``: how a channel becomes an emitter
key, CH-5), and the key order of a freshly built object (``ordered_object``, SER-7).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Final

from conformance.values.model import HOLE, UNDEFINED, JSArray, JSSymbol, is_array_index

__all__ = [
    "MAX_SAFE_INTEGER",
    "js_number",
    "js_string",
    "number_to_string",
    "ordered_object",
    "property_key",
    "received_number",
]

MAX_SAFE_INTEGER: Final = 2**53


def js_number(value: int) -> int | float:
    """Return the double JavaScript stores for the integer ``value``.

    Integers up to 2**53 in magnitude stay exact Python ints; larger ones round to
    the nearest double, and beyond the double range become an infinity.
    """
    if -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER:
        return value
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


def received_number(value: float) -> int | float:
    """Return how a received double is given to Python code.

    Integral doubles up to 2**53 in magnitude become ints (except ``-0``); any
    other double, ``NaN`` and the infinities included, stays a float.
    """
    if value.is_integer() and abs(value) <= MAX_SAFE_INTEGER and not _is_negative_zero(value):
        return int(value)
    return value


def _is_negative_zero(value: float) -> bool:
    return value == 0 and math.copysign(1.0, value) < 0


def number_to_string(value: float) -> str:
    """Return ``Number::toString(value)``: the shortest digits that read back as ``value``."""
    if math.isnan(value):
        return "NaN"
    if value == 0:
        return "0"
    if value < 0:
        return "-" + number_to_string(-value)
    if math.isinf(value):
        return "Infinity"
    if isinstance(value, int) and value < 10**21:
        return str(value)
    mantissa, _, exponent = repr(float(value)).partition("e")
    whole, _, fraction = mantissa.partition(".")
    all_digits = whole + fraction
    digits = all_digits.lstrip("0")
    # value == 0.<digits> * 10**point, with no leading or trailing zero in digits
    point = len(whole) + int(exponent or "0") - (len(all_digits) - len(digits))
    digits = digits.rstrip("0")
    count = len(digits)
    if count <= point <= 21:
        return digits + "0" * (point - count)
    if 0 < point <= 21:
        return f"{digits[:point]}.{digits[point:]}"
    if -6 < point <= 0:
        return "0." + "0" * -point + digits
    power = point - 1
    sign = "+" if power >= 0 else "-"
    head = digits if count == 1 else f"{digits[0]}.{digits[1:]}"
    return f"{head}e{sign}{abs(power)}"


def js_string(text: str) -> str:
    """Return ``text`` as JavaScript sees it: a surrogate pair becomes one code point.

    Python can hold a pair as two lone surrogates; JavaScript cannot tell the two
    spellings apart, so keys are normalized before they are compared or sorted.
    """
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")
    return text


def property_key(value: object) -> str | JSSymbol:
    """Return the property key JavaScript makes of ``value``: a Symbol as is, anything else ``String()``-ed.

    ``String()`` is exact for the values a channel can arrive as (null, booleans,
    numbers, strings, arrays, plain objects) and for ``undefined``; any other object
    gives ``"[object Object]"``, the default ``Object.prototype.toString`` form.
    """
    if isinstance(value, str):
        return js_string(value)
    if isinstance(value, JSSymbol):
        return value
    return js_string(_to_string(value, set()))


def _to_string(value: object, joining: set[int]) -> str:
    if isinstance(value, str):
        return value
    if value is None:
        return "null"
    if value is UNDEFINED:
        return "undefined"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return number_to_string(js_number(value))
    if isinstance(value, float):
        return number_to_string(value)
    if isinstance(value, JSSymbol):
        return f"Symbol({value.description or ''})"
    if isinstance(value, list | JSArray):
        return _join(value.items if isinstance(value, JSArray) else value, id(value), joining)
    return "[object Object]"


def _join(items: Iterable[object], identity: int, joining: set[int]) -> str:
    """Return ``Array.prototype.join(',')``: empty text for null, undefined, holes and cycles."""
    if identity in joining:
        return ""
    joining.add(identity)
    try:
        return ",".join(
            "" if item is None or item is UNDEFINED or item is HOLE else _to_string(item, joining)
            for item in items
        )
    finally:
        joining.discard(identity)


def ordered_object(pairs: list[tuple[str, object]], *, keep_proto: bool) -> dict[str, object]:
    """Return a fresh object built from ``pairs`` in JavaScript's key order.

    Array-index keys come first in ascending order, the other keys follow in the
    order given. ``keep_proto`` false drops an own ``"__proto__"`` key, as setting
    it on a fresh object changes the prototype instead (SER-12); ``JSON.parse``
    keeps it (RET-2).
    """
    if not any(key == "__proto__" or key[:1].isdigit() for key, _ in pairs):
        return dict(pairs)
    indices = sorted(((key, value) for key, value in pairs if is_array_index(key)), key=lambda kv: int(kv[0]))
    others = [
        (key, value) for key, value in pairs if not is_array_index(key) and (keep_proto or key != "__proto__")
    ]
    return dict(indices + others)
