"""Renders values of the value model as JavaScript-like text, for failure messages and reports."""

from __future__ import annotations

import json
import math
from decimal import Decimal

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
    own_keys,
)

__all__ = ["render", "render_list"]

_MAX_LENGTH = 2000


def _number(x: float) -> str:
    """Return ``x`` as JavaScript's ``String(x)`` does (ECMAScript Number::toString), but ``-0``."""
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    if x == 0:
        return "-0" if math.copysign(1.0, x) < 0 else "0"
    sign = "-" if x < 0 else ""
    _, digit_tuple, exponent = Decimal(repr(abs(x))).normalize().as_tuple()
    digits = "".join(map(str, digit_tuple))
    k, n = len(digits), int(exponent) + len(digits)
    if k <= n <= 21:
        return sign + digits + "0" * (n - k)
    if 0 < n <= 21:
        return f"{sign}{digits[:n]}.{digits[n:]}"
    if -6 < n <= 0:
        return f"{sign}0.{'0' * -n}{digits}"
    mantissa = digits[0] + (f".{digits[1:]}" if k > 1 else "")
    return f"{sign}{mantissa}e{'+' if n > 0 else '-'}{abs(n - 1)}"


def _key(key: str | JSSymbol) -> str:
    if isinstance(key, JSSymbol):
        return f"[Symbol({key.description or ''})]"
    return key if key.isidentifier() else json.dumps(key)


class _Renderer:
    def __init__(self) -> None:
        self.open: set[int] = set()
        self.seen: dict[int, int] = {}

    def render(self, value: object) -> str:
        match value:
            case None:
                return "null"
            case bool():
                return "true" if value else "false"
            case int() | float():
                return _number(float(value))
            case str():
                return json.dumps(value)
            case _ if value is UNDEFINED:
                return "undefined"
            case _ if value is HOLE:
                return "<hole>"
            case JSSymbol(description=d):
                return f"Symbol({d or ''})"
            case JSFunction(name=name):
                return f"[Function {name or '(anonymous)'}]"
        if id(value) in self.seen:
            return f"<ref *{self.seen[id(value)]}>"
        self.seen[id(value)] = len(self.seen) + 1
        return self._container(value)

    def _container(self, value: object) -> str:
        match value:
            case list():
                return "[" + ", ".join(self.render(v) for v in value) + "]"
            case JSArray(items=items, extra=extra):
                parts = [self.render(v) for v in items]
                parts += [f"{_key(k)}: {self.render(v)}" for k, v in extra.items()]
                return "[" + ", ".join(parts) + "]"
            case dict():
                return self._object([Property(k, v) for k, v in value.items()], None)
            case JSObject(properties=props, cls=cls):
                return self._object(props, cls)
            case JSDate(time=t):
                return f"Date({_number(t)})"
            case JSRegExp(source=source, flags=flags):
                return f"/{source}/{flags}"
            case JSError(name=name, message=message):
                return f"{name}({json.dumps(message)})"
            case JSMap(entries=entries):
                inner = ", ".join(f"{self.render(k)} => {self.render(v)}" for k, v in entries)
                return f"Map {{{inner}}}"
            case JSSet(values=values):
                return "Set {" + ", ".join(self.render(v) for v in values) + "}"
            case JSPromise():
                return "Promise { <pending> }"
            case JSArrayBuffer(data=data):
                return f"ArrayBuffer({data.hex(' ')})"
            case JSBuffer(data=data):
                return f"<Buffer {data.hex(' ')}>"
            case JSTypedArray(kind=kind, values=values):
                return f"{kind}(" + ", ".join(_number(float(v)) for v in values) + ")"
        raise TypeError(f"not a JavaScript value: {value!r}")

    def _object(self, props: list[Property], cls: str | None) -> str:
        by_key = {id(p.key) if isinstance(p.key, JSSymbol) else p.key: p for p in props}
        parts = []
        for key in own_keys([p.key for p in props]):
            prop = by_key[id(key) if isinstance(key, JSSymbol) else key]
            prefix = "" if prop.enumerable else "(non-enumerable) "
            if prop.is_accessor:
                parts.append(f"{prefix}get {_key(key)}: () => {self.render(prop.getter)}")
            else:
                parts.append(f"{prefix}{_key(key)}: {self.render(prop.value)}")
        body = "{" + ", ".join(parts) + "}"
        return f"{cls} {body}" if cls else body


def _clip(text: str) -> str:
    return text if len(text) <= _MAX_LENGTH else text[:_MAX_LENGTH] + f"... ({len(text)} characters)"


def render(value: object) -> str:
    """Return ``value`` as JavaScript-like text (shared references shown as ``<ref *n>``)."""
    return _clip(_Renderer().render(value))


def render_list(values: list[object]) -> str:
    """Return an argument list as JavaScript-like text, sharing across the arguments shown."""
    renderer = _Renderer()
    return _clip("(" + ", ".join(renderer.render(v) for v in values) + ")")
