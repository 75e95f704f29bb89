"""The edition seam: each spec edition is data plus a table of oracle functions, found by name.

Tests and verdicts ask ``edition_for(name)`` for the rules of the edition an
implementation claims (argument conversion, channel key, host routing, what
``sendSync`` returns, the page listener signature); nothing else branches on editions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final, Protocol

from conformance.editions import v0_32
from conformance.editions.v0_32 import (
    NO_ANSWER,
    PAGE_DESTROYED,
    Assign,
    MainStep,
    NoAnswer,
    PageDestroyed,
    SyncOutcome,
)
from conformance.values.model import Value

__all__ = [
    "DEFAULT_EDITION",
    "EDITIONS",
    "NO_ANSWER",
    "PAGE_DESTROYED",
    "Assign",
    "Edition",
    "MainStep",
    "MessageConversion",
    "NoAnswer",
    "PageDestroyed",
    "ReturnValueRead",
    "SyncOutcome",
    "UnknownEditionError",
    "edition_for",
]


class MessageConversion(Protocol):
    """Converts one renderer call: ``(channel, args, channel_omitted=...) -> (channel, args)``."""

    def __call__(
        self, channel: Value = ..., args: Sequence[Value] = ..., *, channel_omitted: bool = ...
    ) -> tuple[Value, list[Value]]:
        """Return the channel and the arguments as the receiving side gets them."""
        ...


class ReturnValueRead(Protocol):
    """Gives what reading ``event.returnValue`` returns after some assignments."""

    def __call__(self, assigned: Sequence[Value], *, sync: bool) -> Value:
        """Return the value read."""
        ...


@dataclass(frozen=True)
class Edition:
    """One edition of the spec: its name and the oracle functions that state its rules."""

    name: str
    convert_arguments: Callable[[Sequence[Value]], list[Value]]
    """Arguments of ``webContents.send`` / ``<webview>.send`` as the page's listeners get them."""
    convert_message: MessageConversion
    """A renderer's ``send``/``sendSync``: the channel main dispatches on and the listeners' arguments."""
    emitter_key: Callable[[Value], str]
    """The event name main's ``ipc`` emits for a channel from ``convert_message``."""
    convert_host_message: MessageConversion
    """A guest's ``sendToHost``: ``event.channel`` and ``event.args`` in the embedder."""
    sync_answer: Callable[[Value], Value | NoAnswer]
    """What ``sendSync`` returns when main assigns this ``returnValue``."""
    sync_outcome: Callable[[Sequence[MainStep]], SyncOutcome]
    """The outcome of one ``sendSync`` given what happened in main."""
    read_return_value: ReturnValueRead
    """What reading ``event.returnValue`` gives."""
    page_listener_gets_event: bool
    """Whether a page's ``ipc`` listeners receive an event object before the arguments."""


V0_32: Final = Edition(
    name=v0_32.NAME,
    convert_arguments=v0_32.convert_arguments,
    convert_message=v0_32.convert_message,
    emitter_key=v0_32.emitter_key,
    convert_host_message=v0_32.convert_host_message,
    sync_answer=v0_32.sync_answer,
    sync_outcome=v0_32.sync_outcome,
    read_return_value=v0_32.read_return_value,
    page_listener_gets_event=False,  # M2R-2
)

EDITIONS: Final[Mapping[str, Edition]] = MappingProxyType({V0_32.name: V0_32})
DEFAULT_EDITION: Final = V0_32.name


class UnknownEditionError(LookupError):
    """No edition has the name asked for."""


def edition_for(name: str) -> Edition:
    """Return the edition called ``name``; raises ``UnknownEditionError`` listing the known ones."""
    try:
        return EDITIONS[name]
    except KeyError:
        known = ", ".join(repr(known_name) for known_name in EDITIONS)
        raise UnknownEditionError(f"unknown spec edition {name!r}; known editions: {known}") from None
