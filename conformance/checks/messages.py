"""What a send step must deliver: its channel and arguments as the receiver must see them.

Reads a step of a scenario document back into values and applies the edition's
conversion (section 3 of SEMANTICS.md), so checks compare a trace with the spec's
expectation, never with what some implementation did.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from conformance.editions import Edition
from conformance.values.codec import decode_list
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
    Undefined,
    Value,
    js_equal,
)

__all__ = ["Expected", "conversion_clauses", "expected_delivery", "sent_values"]

_DEPTH: Final = 98
"""Depth (0 for an argument) below which SER-11 drops values: one at 99 levels or more arrives as null."""

_TO_MAIN = frozenset({"send", "sendSync", "sendChannel", "sendChannelSync"})


@dataclass(frozen=True)
class Expected:
    """What the receiver of a message must see: the channel and the arguments.

    ``channel`` is the emitter key (a string) for messages to ``ipc`` listeners,
    and the converted channel value for 'ipc-message' events (HOST-3).
    """

    channel: Value
    args: list[Value]


def sent_values(step: Mapping[str, Any]) -> tuple[Value, list[Value], bool]:
    """Return the channel, the arguments and whether the channel was omitted, as the step sends them."""
    if "channelValue" in step:
        channel, *args = decode_list([step["channelValue"], *step.get("args", [])])
        return channel, args, False
    args = decode_list(step.get("args", []))
    if "channel" in step:
        return step["channel"], args, False
    return UNDEFINED, args, True


def expected_delivery(edition: Edition, step: Mapping[str, Any]) -> Expected:
    """Return what the listeners that receive the message of ``step`` must see."""
    channel, args, omitted = sent_values(step)
    op = step["op"]
    if op in _TO_MAIN:
        converted_channel, converted = edition.convert_message(channel, args, channel_omitted=omitted)
        return Expected(edition.emitter_key(converted_channel), converted)
    if op == "sendToHost":
        host_channel, converted = edition.convert_host_message(channel, args, channel_omitted=omitted)
        return Expected(host_channel, converted)
    if op in ("webContentsSend", "webviewSend", "reply"):
        return Expected(channel, edition.convert_arguments(args))
    raise ValueError(f"step {op!r} sends no message")


_BUILT_INS: Final = (JSDate, JSRegExp, JSError, JSMap, JSSet, JSPromise, JSArrayBuffer, JSTypedArray)


def conversion_clauses(observed: list[Value], expected: list[Value]) -> list[str] | None:
    """Return the SER clauses whose rule covers the first value where ``observed`` differs from
    ``expected`` (the converted arguments), or None when no single rule is clearly at fault."""
    if len(observed) != len(expected):
        return ["SER-2"]
    return next(
        (
            clauses
            for got, want in zip(observed, expected, strict=True)
            if (clauses := _blame(got, want, 0, "top"))
        ),
        None,
    )


def _blame(got: Value | Hole, want: Value | Hole, depth: int, place: str) -> list[str] | None:
    """Return the clauses for the first difference within ``got`` (``place``: top, array or object)."""
    if js_equal(got, want, key_order=False):
        return None
    if isinstance(got, JSBuffer) or (isinstance(got, JSTypedArray) and got.kind == "Uint8Array"):
        return ["SER-9"]
    if isinstance(got, _BUILT_INS):
        return ["SER-8"]
    if isinstance(got, Undefined | JSFunction | JSSymbol | Hole):
        return [{"top": "SER-2", "array": "SER-5", "object": "SER-6"}[place]]
    if isinstance(got, bool) or isinstance(want, bool):
        return None
    if isinstance(got, int | float) and isinstance(want, int | float):
        return ["SER-3"]
    if isinstance(got, str) and isinstance(want, str):
        return ["SER-4"]
    if want is None and isinstance(got, list | dict | JSArray | JSObject):
        return ["SER-11" if depth >= _DEPTH else "SER-10"]
    if isinstance(want, list) and isinstance(got, list | JSArray):
        items = got.items if isinstance(got, JSArray) else got
        if isinstance(got, JSArray) or len(items) != len(want):
            return ["SER-5"]
        return next(
            (c for g, w in zip(items, want, strict=True) if (c := _blame(g, w, depth + 1, "array"))), None
        )
    if isinstance(want, dict) and isinstance(got, dict | JSObject):
        if isinstance(got, JSObject):
            keys = {p.key for p in got.properties}
            return ["SER-12"] if "__proto__" in keys and "__proto__" not in want else ["SER-6"]
        if set(got) != set(want):
            return ["SER-12"] if "__proto__" in got and "__proto__" not in want else ["SER-6"]
        return next((c for k in want if (c := _blame(got[k], want[k], depth + 1, "object"))), None)
    return None
