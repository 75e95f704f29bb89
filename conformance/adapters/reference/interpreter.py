"""Runs one process's part of a scenario on the reference implementation: its listeners, actions and script.

Shared by main (``MainPart``, in the adapter's process) and the pages
(``PagePart``, inside each renderer process).  Every observation is handed to a
``record`` sink as a trace event (trace.schema.json); this module must stay
light, since every renderer imports it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from conformance.values.codec import decode_list, encode, encode_list
from conformance.values.model import UNDEFINED, JSArray, JSObject, Property, Value, iter_children

__all__ = ["ProcessPart", "ScenarioThrow", "error_document", "now_ms"]

Sink = Callable[[dict[str, Any]], None]
Origin = dict[str, Any]
_MUTATION_KEY = "__changed_after_send__"
_RETURNS_UNDEFINED = frozenset({"send", "sendChannel", "sendToHost", "webviewSend"})
_FLUSH_BEFORE = frozenset({"on", "removeListener", "removeAllListeners", "setTimeout", "busy"})
"""The process-independent steps that call the implementation (its emitter, its timers) or take time."""


def now_ms() -> float:
    """Return the shared monotonic clock of the trace, in milliseconds."""
    return time.monotonic() * 1000


class ScenarioThrow(Exception):
    """The Error a ``throw`` step throws."""


def error_document(error: BaseException) -> dict[str, str]:
    """Return a trace ``error``: a JavaScript-like name and the message."""
    name = "Error" if isinstance(error, ScenarioThrow) else type(error).__name__
    return {"name": name, "message": str(error)}


def _mutate(values: Sequence[Value]) -> None:
    """Change every object and array reachable from ``values`` (the ``mutateAfter`` option)."""
    seen: set[int] = set()
    stack: list[object] = list(values)
    while stack:
        value = stack.pop()
        if id(value) in seen:
            continue
        seen.add(id(value))
        stack.extend(iter_children(value))
        match value:
            case list():
                value.append(_MUTATION_KEY)
            case dict():
                value[_MUTATION_KEY] = True
            case JSArray():
                value.items.append(_MUTATION_KEY)
            case JSObject():
                value.properties.append(Property(_MUTATION_KEY, True))


class Context:
    """Where an action runs: in a listener call (with its arguments and event) or in the script."""

    def __init__(
        self, listener: str | None, call: int | None, args: Sequence[Value], event: Any = None
    ) -> None:
        self.listener = listener
        self.call = call
        self.args = list(args)
        self.event = event

    def origin(self, index: int) -> Origin:
        """Return the trace origin of action or step ``index``."""
        if self.listener is None:
            return {"index": index}
        return {"listener": self.listener, "call": self.call, "index": index}


SCRIPT = Context(None, None, ())


class ProcessPart:
    """What the main process or a page does in a scenario; subclasses supply the process's API."""

    def __init__(self, ipc: Any, record: Sink) -> None:
        self.ipc = ipc
        self._sink = record
        self._registered: dict[str, list[tuple[str, Callable[..., None]]]] = {}
        self._calls: dict[str, int] = {}
        self.pending_timers = 0
        self.script_ended = False

    # Recording

    def record(self, event_type: str, **fields: Any) -> None:
        """Record one trace event, stamped now."""
        self._sink({"type": event_type, "t": now_ms(), **fields})

    def record_exception(self, error: BaseException) -> None:
        """Record an exception that reached this process's top level."""
        event: dict[str, Any] = {"error": error_document(error)}
        origin = getattr(error, "scenario_origin", None)
        if origin is not None:
            event["origin"] = origin
        self.record("exception", **event)

    # Listeners

    def install(self, listener: Mapping[str, Any]) -> None:
        """Register a scenario listener on this process's ``ipc`` (``on``, or ``once``)."""
        listener_id, actions = listener["id"], list(listener.get("actions", ()))

        def on_call(ctx_event: Any, args: Sequence[Value]) -> None:
            call = self._calls.get(listener_id, 0)
            self._calls[listener_id] = call + 1
            self.record_delivery(listener, ctx_event, args)
            self.run_actions(actions, Context(listener_id, call, args, ctx_event))

        function = self.listener_function(on_call)
        self._registered.setdefault(listener_id, []).append((listener["channel"], function))
        register = self.ipc.once if listener.get("once") else self.ipc.on
        register(listener["channel"], function)

    def listener_function(self, on_call: Callable[[Any, Sequence[Value]], None]) -> Callable[..., None]:
        """Return the function to register: it receives what this process's listeners receive."""
        raise NotImplementedError

    def record_delivery(self, listener: Mapping[str, Any], event: Any, args: Sequence[Value]) -> None:
        """Record a ``deliver`` event."""
        self.record(
            "deliver", listener=listener["id"], channel=listener["channel"], args=encode_list(list(args))
        )

    def run_actions(self, actions: Sequence[Mapping[str, Any]], ctx: Context) -> None:
        """Run a listener's actions in order; a ``throw`` (or a failing action) ends the call."""
        for index, action in enumerate(actions):
            self.run_step(action, ctx, index)

    # Steps

    def run_step(self, step: Mapping[str, Any], ctx: Context, index: int) -> None:
        """Run one step; an exception leaves it tagged with its origin."""
        try:
            self.step(step, ctx, ctx.origin(index))
        except Exception as error:
            if not hasattr(error, "scenario_origin"):
                error.scenario_origin = ctx.origin(index)  # type: ignore[attr-defined]
            raise

    def flush(self) -> None:
        """Hand the events recorded so far to main; called before control goes to the implementation.

        A no-op here (main records directly); a page batches its events and posts them here.
        """

    def step(self, step: Mapping[str, Any], ctx: Context, origin: Origin) -> None:
        """Run the process-independent steps; subclasses add their own ops."""
        if step["op"] in _FLUSH_BEFORE:
            self.flush()
        match step["op"]:
            case "throw":
                raise ScenarioThrow(step["message"])
            case "on":
                self.install(step["listener"])
            case "removeListener":
                self._remove(step["id"])
            case "removeAllListeners":
                if "channel" in step:
                    self.ipc.remove_all_listeners(step["channel"])
                else:
                    self.ipc.remove_all_listeners()
            case "busy":
                time.sleep(step["ms"] / 1000)
                self.record("busy-end", origin=origin)
            case "setTimeout":
                self.pending_timers += 1
                self.set_timeout(step["ms"], self._timer_fired, step["label"])
            case "mark":
                self.record("mark", label=step["label"])
            case op:
                raise ValueError(f"step {op!r} cannot run in this process")

    def _remove(self, listener_id: str) -> None:
        """``removeListener`` of the most recent registration of ``listener_id`` still registered."""
        registered = self._registered.get(listener_id, [])
        for position in range(len(registered) - 1, -1, -1):
            channel, function = registered[position]
            if function in self.ipc.listeners(channel):
                self.ipc.remove_listener(channel, function)
                del registered[position]
                return

    def _timer_fired(self, label: str) -> None:
        self.pending_timers -= 1
        self.record("timer", label=label)

    def set_timeout(self, ms: float, callback: Callable[..., object], *args: object) -> None:
        """Start a timer of this process."""
        raise NotImplementedError

    def call(self, op: str, origin: Origin, function: Callable[[], object]) -> None:
        """Make a call step: record its start, its return value or its exception, then its end."""
        self.record("call-start", origin=origin, op=op)
        self.flush()
        try:
            result = function()
        except Exception as error:
            self.record("call-end", origin=origin, op=op, error=error_document(error))
            return
        value: Value = UNDEFINED if op in _RETURNS_UNDEFINED and result is None else result  # type: ignore[assignment]
        self.record("call-end", origin=origin, op=op, value=encode(value))

    # Scripts

    def run_script(self, steps: Sequence[Mapping[str, Any]], start: int = 0) -> None:
        """Run the script from step ``start``; a ``wait`` continues it from a timer."""
        for index in range(start, len(steps)):
            step = steps[index]
            if step["op"] == "wait":
                self.set_timeout(step["ms"], self.run_script, steps, index + 1)
                return
            try:
                self.run_step(step, SCRIPT, index)
            except Exception as error:
                self.report(error)
        self.script_ended = True
        self.record("script-end")

    def report(self, error: BaseException) -> None:
        """Hand an exception of a script step to the process's uncaught-exception handling."""
        self.record_exception(error)


def message_arguments(step: Mapping[str, Any], ctx: Context) -> tuple[list[object], list[Value]]:
    """Return the positional arguments of a send call (channel first, unless omitted) and the sent args."""
    if "channelValue" in step:
        decoded = decode_list([step["channelValue"], *step.get("args", [])])
        channel, args = decoded[:1], decoded[1:]
    else:
        channel = [step["channel"]] if "channel" in step else []
        args = decode_list(step.get("args", []))
    if step.get("echo"):
        args = list(ctx.args)
    if not channel and args:
        raise ValueError("a message with arguments needs a channel, and the scenario omits it")
    return [*channel, *args], args


def mutate_after(step: Mapping[str, Any], sent: Sequence[Value]) -> None:
    """Apply the ``mutateAfter`` option of a send step."""
    if step.get("mutateAfter"):
        _mutate(sent)
