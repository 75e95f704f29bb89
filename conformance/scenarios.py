"""Builds scenarios: what main and the pages do, as data an adapter in any language can run.

A test assembles a ``Scenario`` from steps (``send``, ``ret``, ``wait`` ...) whose
values are Python values of the value model; ``Scenario.to_json`` encodes them
(value.schema.json) and validates the result against scenario.schema.json.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from conformance.schemas import validator_for
from conformance.values.codec import encode, encode_list
from conformance.values.model import Value

__all__ = [
    "MAIN",
    "OMITTED",
    "ChannelValue",
    "Listener",
    "Scenario",
    "Step",
    "busy",
    "destroy",
    "mark",
    "on",
    "read_return_value",
    "remove_all_listeners",
    "remove_listener",
    "reply",
    "ret",
    "send",
    "send_channel",
    "send_channel_sync",
    "send_sync",
    "send_to_host",
    "set_timeout",
    "throw",
    "wait",
    "web_contents_send",
    "webview_send",
]

MAIN: Final = "main"
Step = dict[str, Any]


class _Omitted:
    def __repr__(self) -> str:
        return "OMITTED"


OMITTED: Final = _Omitted()
"""As the channel of a send: call it with no channel at all (``ipc.send()``)."""


@dataclass(frozen=True)
class ChannelValue:
    """A channel that is any value, not a string (CH-5, HOST-3, M2R-7)."""

    value: Value


Channel = str | ChannelValue | _Omitted


def _message(channel: Channel, args: Sequence[Value], echo: bool) -> Step:
    step: Step = {}
    if echo:
        step["echo"] = True
    if isinstance(channel, ChannelValue):
        channel_doc, *arg_docs = encode_list([channel.value, *args])
        step["channelValue"] = channel_doc
    else:
        arg_docs = encode_list(list(args))
        if isinstance(channel, str):
            step["channel"] = channel
    if not echo:
        step["args"] = arg_docs
    return step


def _call(op: str, channel: Channel, args: Sequence[Value], echo: bool, **extra: Any) -> Step:
    return {"op": op, **extra, **_message(channel, args, echo)}


def _renderer_call(op: str, channel: Channel, args: Sequence[Value], echo: bool, mutate_after: bool) -> Step:
    step = _call(op, channel, args, echo)
    if mutate_after:
        step["mutateAfter"] = True
    return step


def send(channel: Channel, *args: Value, echo: bool = False, mutate_after: bool = False) -> Step:
    """Return a renderer ``ipc.send`` step; ``mutate_after`` changes the sent objects once it returns."""
    return _renderer_call("send", channel, args, echo, mutate_after)


def send_sync(channel: Channel, *args: Value, echo: bool = False, mutate_after: bool = False) -> Step:
    """Return a renderer ``ipc.sendSync`` step."""
    return _renderer_call("sendSync", channel, args, echo, mutate_after)


def send_to_host(channel: Channel, *args: Value, echo: bool = False, mutate_after: bool = False) -> Step:
    """Return a guest's ``ipc.sendToHost`` step."""
    return _renderer_call("sendToHost", channel, args, echo, mutate_after)


def send_channel(channel: Channel, *args: Value) -> Step:
    """Return a renderer ``ipc.sendChannel`` step (the deprecated alias of ``send``, DEP-1)."""
    return _call("sendChannel", channel, args, False)


def send_channel_sync(channel: Channel, *args: Value) -> Step:
    """Return a renderer ``ipc.sendChannelSync`` step (the alias of ``sendSync``, DEP-1)."""
    return _call("sendChannelSync", channel, args, False)


def webview_send(element: str, channel: Channel, *args: Value, echo: bool = False) -> Step:
    """Return an embedder's ``<webview>.send`` step on ``element``."""
    return _call("webviewSend", channel, args, echo, element=element)


def web_contents_send(page: str, channel: Channel, *args: Value, echo: bool = False) -> Step:
    """Return a main ``webContents.send`` step to ``page``."""
    return _call("webContentsSend", channel, args, echo, page=page)


def reply(channel: Channel, *args: Value, echo: bool = False) -> Step:
    """Return a main-listener ``event.sender.send`` action."""
    return _call("reply", channel, args, echo)


_NO_VALUE: Final = object()


def ret(value: Value | object = _NO_VALUE, *, echo: bool = False, after_ms: int | None = None) -> Step:
    """Return a main-listener action assigning ``event.returnValue`` (``echo``: the received args)."""
    if echo == (value is not _NO_VALUE):
        raise ValueError("ret() takes either a value or echo=True")
    step: Step = {"op": "return"}
    if echo:
        step["echo"] = True
    else:
        step["value"] = encode(value)  # type: ignore[arg-type]
    if after_ms is not None:
        step["afterMs"] = after_ms
    return step


def read_return_value() -> Step:
    """Return a main-listener action that records what reading ``event.returnValue`` gives."""
    return {"op": "readReturnValue"}


def throw(message: str = "thrown by the scenario") -> Step:
    """Return a step that throws an Error."""
    return {"op": "throw", "message": message}


@dataclass(frozen=True)
class Listener:
    """An ``ipc.on``/``ipc.once`` listener; every call is recorded, then ``actions`` run."""

    id: str
    channel: str
    actions: Sequence[Step] = field(default_factory=tuple)
    once: bool = False

    def to_json(self) -> dict[str, Any]:
        """Return the listener in the scenario encoding."""
        doc: dict[str, Any] = {"id": self.id, "channel": self.channel, "actions": list(self.actions)}
        if self.once:
            doc["once"] = True
        return doc


def on(listener: Listener) -> Step:
    """Return a step adding ``listener`` to this process's ipc."""
    return {"op": "on", "listener": listener.to_json()}


def remove_listener(listener_id: str) -> Step:
    """Return a step removing the listener with this id."""
    return {"op": "removeListener", "id": listener_id}


def remove_all_listeners(channel: str | None = None) -> Step:
    """Return a ``removeAllListeners`` step (of every channel when ``channel`` is None)."""
    return {"op": "removeAllListeners"} | ({} if channel is None else {"channel": channel})


def busy(ms: int) -> Step:
    """Return a step keeping the process busy for ``ms``."""
    return {"op": "busy", "ms": ms}


def wait(ms: int) -> Step:
    """Return a script step letting the process run for ``ms``."""
    return {"op": "wait", "ms": ms}


def set_timeout(ms: int, label: str) -> Step:
    """Return a step starting a timer that records ``label`` when it fires."""
    return {"op": "setTimeout", "ms": ms, "label": label}


def destroy(page: str) -> Step:
    """Return a main step destroying ``page``."""
    return {"op": "destroy", "page": page}


def mark(label: str) -> Step:
    """Return a step recording a mark."""
    return {"op": "mark", "label": label}


@dataclass
class _Process:
    listeners: list[dict[str, Any]] = field(default_factory=list)
    host_listeners: list[dict[str, Any]] = field(default_factory=list)
    script: list[Step] = field(default_factory=list)


class Scenario:
    """A scenario under construction: pages, listeners, scripts and limits."""

    def __init__(self, *pages: str) -> None:
        self._pages: list[dict[str, Any]] = [{"id": page} for page in pages]
        self._elements: list[dict[str, str]] = []
        self._processes: dict[str, _Process] = {MAIN: _Process()}
        self._limits: dict[str, int] = {}

    @property
    def page_ids(self) -> list[str]:
        """Return the ids of the pages, in creation order."""
        return [page["id"] for page in self._pages]

    def page(self, page_id: str) -> Scenario:
        """Add a top-level page."""
        self._pages.append({"id": page_id})
        return self

    def guest(self, page_id: str, *, embedder: str, element: str) -> Scenario:
        """Add a guest page in the ``<webview>`` ``element`` of ``embedder``."""
        self._pages.append({"id": page_id, "guest": {"embedder": embedder, "element": element}})
        return self

    def empty_element(self, page_id: str, element: str) -> Scenario:
        """Add a ``<webview>`` element with no guest to ``page_id``."""
        self._elements.append({"page": page_id, "element": element})
        return self

    def listen(self, process: str, listener: Listener) -> Scenario:
        """Install ``listener`` in ``process`` (``MAIN`` or a page id) before the scripts run."""
        self._process(process).listeners.append(listener.to_json())
        return self

    def listen_host(self, page_id: str, listener_id: str, element: str, *actions: Step) -> Scenario:
        """Install an 'ipc-message' listener on the ``<webview>`` ``element`` of ``page_id``."""
        doc = {"id": listener_id, "element": element, "actions": list(actions)}
        self._process(page_id).host_listeners.append(doc)
        return self

    def script(self, process: str, *steps: Step) -> Scenario:
        """Append ``steps`` to the script of ``process``."""
        self._process(process).script.extend(steps)
        return self

    def limits(self, *, block_ms: int | None = None, settle_ms: int | None = None) -> Scenario:
        """Set how long a blocked script is waited for, and the settling time."""
        if block_ms is not None:
            self._limits["blockMs"] = block_ms
        if settle_ms is not None:
            self._limits["settleMs"] = settle_ms
        return self

    def _process(self, process: str) -> _Process:
        return self._processes.setdefault(process, _Process())

    def to_json(self) -> dict[str, Any]:
        """Return the scenario document, validated against scenario.schema.json."""
        main = self._processes[MAIN]
        doc: dict[str, Any] = {
            "pages": self._pages,
            "main": {"listeners": main.listeners, "script": main.script},
        }
        renderers = {
            pid: {"listeners": p.listeners, "hostListeners": p.host_listeners, "script": p.script}
            for pid, p in self._processes.items()
            if pid != MAIN
        }
        if renderers:
            doc["renderers"] = renderers
        if self._elements:
            doc["elements"] = self._elements
        if self._limits:
            doc["limits"] = self._limits
        validator_for("scenario.schema.json").validate(doc)
        return doc
