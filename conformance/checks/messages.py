"""What a send step must deliver: its channel and arguments as the receiver must see them.

Reads a step of a scenario document back into values and applies the edition's
conversion (section 3 of SEMANTICS.md), so checks compare a trace with the spec's
expectation, never with what some implementation did.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from conformance.editions import Edition
from conformance.values.codec import decode_list
from conformance.values.model import UNDEFINED, Value

__all__ = ["Expected", "expected_delivery", "sent_values"]

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
