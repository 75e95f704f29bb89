"""An in-memory adapter: the trace a conformant implementation gives, computed without any process.

The baseline of the suite's cost: with it, a run pays for data generation,
scenario building, schema validation and checking, and nothing for IPC.  It runs
a scenario as a discrete-event simulation on a virtual clock: main and each page
are single-threaded processes with a run queue; messages take ``LATENCY_MS`` per
hop and keep each sender's order; ``sendSync`` and ``<webview>.send`` suspend their
page until main answers; ``busy`` holds a process, ``wait`` and timers resume it
later.  Every value a receiver sees comes from the edition's oracle
(``conformance.editions``): argument conversion, the emitter key of a channel, the
JSON answer of ``sendSync`` and what reading ``event.returnValue`` gives.

Use it as ``--ipc-adapter benchmarks.oracle_adapter:OracleAdapter``.
"""

from __future__ import annotations

import heapq
import itertools
import time
from collections import deque
from collections.abc import Callable, Generator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Final, cast

from conformance.adapters.errors import AdapterTimeout, Step
from conformance.adapters.protocol import Hello
from conformance.adapters.reference.adapter import CAPABILITIES, VALUE_KINDS
from conformance.adapters.reference.interpreter import SCRIPT, Context, message_arguments
from conformance.editions import NoAnswer, edition_for
from conformance.editions.jsops import JSThrow
from conformance.values.codec import decode, encode, encode_list
from conformance.values.model import UNDEFINED, Value

__all__ = ["LATENCY_MS", "OracleAdapter", "simulate"]

LATENCY_MS: Final = 0.05
"""Virtual time one message takes from its sender to its receiver."""
_MAX_EVENTS: Final = 2_000_000

Task = Generator[tuple[str, Any], Any, None]
"""A process's unit of work; it yields ``("busy", ms)`` or ``("block", waiter)`` to pause."""


class Thrown(Exception):
    """A JavaScript exception in a simulated process: its ``name``, message and scenario origin."""

    def __init__(self, name: str, message: str, origin: Mapping[str, Any] | None = None) -> None:
        super().__init__(message)
        self.name = name
        self.message = message
        self.origin = origin

    def document(self) -> dict[str, str]:
        """Return the trace's ``error``."""
        return {"name": self.name, "message": self.message}


class Simulation:
    """One scenario run: the clock, the queue of timed happenings, and the processes."""

    def __init__(self, scenario: Mapping[str, Any], edition: Any, timeout: float) -> None:
        self.edition = edition
        self.timeout = timeout
        self.deadline = time.monotonic() + timeout
        self.now = 0.0
        self.base = time.monotonic() * 1000
        self._queue: list[tuple[float, int, Callable[[], None]]] = []
        self._order = itertools.count()
        self.main = MainProcess(self, "main")
        self.pages: dict[str, PageProcess] = {}
        self.guests: dict[tuple[str, str], str] = {}
        for page in scenario["pages"]:
            guest = page.get("guest")
            embedder = None if guest is None else (guest["embedder"], guest["element"])
            self.pages[page["id"]] = PageProcess(self, page["id"], embedder)
            if embedder is not None:
                self.guests[embedder] = page["id"]
        self.scenario = scenario

    def at(self, delay_ms: float, action: Callable[[], None]) -> None:
        """Run ``action`` ``delay_ms`` from now (ties keep the order they were scheduled in)."""
        heapq.heappush(self._queue, (self.now + max(delay_ms, 0.0), next(self._order), action))

    def run(self) -> dict[str, Any]:
        """Install the listeners, start the scripts, run until nothing is left to happen; return the trace."""
        main_doc = self.scenario.get("main", {})
        for listener in main_doc.get("listeners", []):
            self.main.install(listener)
        renderers = self.scenario.get("renderers", {})
        for page_id, page in self.pages.items():
            part = renderers.get(page_id, {})
            for listener in part.get("listeners", []):
                page.install(listener)
            for listener in part.get("hostListeners", []):
                page.host_listeners.append(listener)
        for page_id, page in self.pages.items():
            script = renderers.get(page_id, {}).get("script", [])
            self.at(LATENCY_MS, partial(page.post, page.script_task(script, 0)))
        self.at(0.0, lambda: self.main.post(self.main.script_task(main_doc.get("script", []), 0)))
        for count in itertools.count():
            if not self._queue:
                break
            if count >= _MAX_EVENTS or (count % 4096 == 0 and time.monotonic() > self.deadline):
                raise AdapterTimeout(
                    "the scenario does not come to rest (messages or timers loop)",
                    step=Step.RUN,
                    timeout=self.timeout,
                )
            self.now, _, action = heapq.heappop(self._queue)
            action()
        processes = {"main": self.main.events, **{pid: page.events for pid, page in self.pages.items()}}
        return {"processes": processes}


@dataclass(eq=False)
class _Registration:
    listener_id: str
    channel: str
    actions: Sequence[Mapping[str, Any]]
    once: bool
    fired: bool = False


@dataclass(eq=False)
class SimEvent:
    """The event object main's listeners get: its sender, kind, token and what was assigned to it."""

    sender: str
    sync: bool
    token: int
    waiter: Waiter | None = None
    assigned: list[Value] = field(default_factory=list)
    answered: bool = False


class Waiter:
    """A page suspended in ``sendSync`` or ``<webview>.send``, resumed with the answer."""

    def __init__(self, process: Process) -> None:
        self.process = process

    def resolve(self, value: object) -> None:
        """Resume the suspended page with ``value`` (ignored once it is destroyed)."""
        self.process.resume(self, value)


class Process:
    """What main and the pages share: an emitter, a run queue, timers and the steps of any process."""

    def __init__(self, sim: Simulation, name: str) -> None:
        self.sim = sim
        self.name = name
        self.events: list[dict[str, Any]] = []
        self.destroyed = False
        self._listeners: dict[str, list[_Registration]] = {}
        self._registered: dict[str, list[_Registration]] = {}
        self._calls: dict[str, int] = {}
        self._ready: deque[Task] = deque()
        self._running: Task | None = None
        self._blocked_on: Waiter | None = None

    # Recording

    def record(self, event_type: str, **fields: Any) -> None:
        """Record one trace event, stamped now."""
        self.events.append({"type": event_type, "t": self.sim.base + self.sim.now, **fields})

    def record_exception(self, error: BaseException) -> None:
        """Record an exception that reached this process's top level."""
        if isinstance(error, Thrown):
            event: dict[str, Any] = {"error": error.document()}
            if error.origin is not None:
                event["origin"] = dict(error.origin)
        else:
            event = {"error": {"name": type(error).__name__, "message": str(error)}}
        self.record("exception", **event)

    # Running tasks, one at a time

    def post(self, task: Task) -> None:
        """Queue ``task``; it runs once the process is free."""
        if self.destroyed:
            task.close()
            return
        self._ready.append(task)
        if self._running is None:
            self.sim.at(0.0, self._next)

    def _next(self) -> None:
        if self._running is None and self._ready and not self.destroyed:
            self._running = self._ready.popleft()
            self._advance(None)

    def _advance(self, value: object) -> None:
        task = self._running
        if task is None or self.destroyed:
            return
        try:
            command, argument = task.send(value)
        except StopIteration:
            self._running = None
            if self._ready:
                self.sim.at(0.0, self._next)
            return
        if command == "busy":
            self.sim.at(argument, lambda: self._advance(None))
        else:
            self._blocked_on = argument

    def resume(self, waiter: Waiter, value: object) -> None:
        """Resume the task blocked on ``waiter`` with ``value``."""
        if self.destroyed or self._blocked_on is not waiter:
            return
        self._blocked_on = None
        self._advance(value)

    def kill(self) -> None:
        """Stop for good: the running task and everything queued are dropped."""
        self.destroyed = True
        if self._running is not None:
            self._running.close()
        self._running = None
        self._ready.clear()

    def set_timeout(self, ms: float, task: Callable[[], Task]) -> None:
        """Queue ``task()`` in ``ms``."""
        self.sim.at(ms, lambda: self.post(task()))

    def deliver(self, task: Task) -> None:
        """A message arrived: queue its dispatch (dropped once this process is destroyed)."""
        self.post(self._top_level(task))

    def _top_level(self, task: Task) -> Task:
        """Run ``task``; an exception that leaves it is this process's uncaught exception."""
        try:
            yield from task
        except Exception as error:
            self.record_exception(error)

    # The emitter (Node's EventEmitter, as SEMANTICS.md section 2 describes it)

    def install(self, listener: Mapping[str, Any]) -> None:
        """Register a scenario listener (``on``, or ``once``)."""
        registration = _Registration(
            listener["id"], listener["channel"], list(listener.get("actions", ())), bool(listener.get("once"))
        )
        self._listeners.setdefault(registration.channel, []).append(registration)
        self._registered.setdefault(registration.listener_id, []).append(registration)

    def _remove(self, listener_id: str) -> None:
        registered = self._registered.get(listener_id, [])
        for position in range(len(registered) - 1, -1, -1):
            registration = registered[position]
            listeners = self._listeners.get(registration.channel, [])
            if registration in listeners:
                listeners.remove(registration)
                del registered[position]
                return

    def emit(self, key: str, args: list[Value], event: SimEvent | None) -> Task:
        """Call the listeners of ``key`` registered now, in order; a throw stops the rest."""
        registrations = self._listeners.get(key)
        if not registrations:
            if key == "error":
                raise Thrown("Error", 'Uncaught, unspecified "error" event.')
            return
        for registration in list(registrations):
            if registration.once:
                if registration.fired:
                    continue
                registration.fired = True
                if registration in self._listeners.get(key, []):
                    self._listeners[key].remove(registration)
            call = self._calls.get(registration.listener_id, 0)
            self._calls[registration.listener_id] = call + 1
            self.record_delivery(registration, args, event)
            ctx = Context(registration.listener_id, call, args, event)
            yield from self.run_actions(registration.actions, ctx)

    def record_delivery(self, registration: _Registration, args: list[Value], event: SimEvent | None) -> None:
        """Record a ``deliver`` event."""
        self.record(
            "deliver", listener=registration.listener_id, channel=registration.channel, args=encode_list(args)
        )

    # Steps

    def run_actions(self, actions: Sequence[Mapping[str, Any]], ctx: Context) -> Task:
        """Run a listener's actions in order; an exception ends the call."""
        for index, action in enumerate(actions):
            yield from self.run_step(action, ctx, index)

    def run_step(self, step: Mapping[str, Any], ctx: Context, index: int) -> Task:
        """Run one step; an exception leaves it tagged with its origin."""
        origin = ctx.origin(index)
        try:
            yield from self.step(step, ctx, origin)
        except Thrown as error:
            if error.origin is None:
                error.origin = origin
            raise

    def step(self, step: Mapping[str, Any], ctx: Context, origin: dict[str, Any]) -> Task:
        """Run the steps any process can run; subclasses add their own."""
        match step["op"]:
            case "throw":
                raise Thrown("Error", step["message"])
            case "on":
                self.install(step["listener"])
            case "removeListener":
                self._remove(step["id"])
            case "removeAllListeners":
                if "channel" in step:
                    self._listeners.pop(step["channel"], None)
                else:
                    self._listeners.clear()
            case "busy":
                yield ("busy", step["ms"])
                self.record("busy-end", origin=origin)
            case "setTimeout":
                self.set_timeout(step["ms"], lambda: self._timer(step["label"]))
            case "mark":
                self.record("mark", label=step["label"])
            case op:
                raise Thrown("Error", f"step {op!r} cannot run in {self.name}")

    def _timer(self, label: str) -> Task:
        self.record("timer", label=label)
        yield from ()

    def script_task(self, steps: Sequence[Mapping[str, Any]], start: int) -> Task:
        """Run the script from step ``start``; a ``wait`` continues it from a timer."""
        for index in range(start, len(steps)):
            step = steps[index]
            if step["op"] == "wait":
                self.set_timeout(step["ms"], partial(self.script_task, steps, index + 1))
                return
            try:
                yield from self.run_step(step, SCRIPT, index)
            except Exception as error:
                self.record_exception(error)
        self.record("script-end")

    def call(self, op: str, origin: dict[str, Any], outcome: Callable[[], Value]) -> None:
        """Record a call that returns at once: its start, then its value or the exception it throws."""
        self.record("call-start", origin=origin, op=op)
        self.end_call(op, origin, outcome)

    def end_call(self, op: str, origin: dict[str, Any], outcome: Callable[[], Value]) -> None:
        """Record the end of a call: ``outcome()``'s value, or the ``Thrown`` it raises."""
        try:
            value = outcome()
        except Thrown as error:
            self.record("call-end", origin=origin, op=op, error=error.document())
        else:
            self.record("call-end", origin=origin, op=op, value=encode(value))


def _message(step: Mapping[str, Any], ctx: Context) -> tuple[Value, list[Value], bool]:
    """Return the channel (``UNDEFINED`` if omitted), the arguments and whether the channel is omitted."""
    positional, args = message_arguments(step, ctx)
    channel = cast(Value, positional[0]) if positional else UNDEFINED
    return channel, args, not positional


class MainProcess(Process):
    """The main process: page messages in, ``webContents.send``, replies and ``returnValue`` out."""

    def __init__(self, sim: Simulation, name: str) -> None:
        super().__init__(sim, name)
        self._tokens = itertools.count()

    def record_delivery(self, registration: _Registration, args: list[Value], event: SimEvent | None) -> None:
        assert event is not None
        self.record(
            "deliver",
            listener=registration.listener_id,
            channel=registration.channel,
            args=encode_list(args),
            sender=event.sender,
            eventToken=event.token,
            event={"preventDefault": True, "returnValue": "setter" if event.sync else "property"},
        )

    # Messages from the pages

    def from_page(self, sender: str, channel: Value, args: list[Value], waiter: Waiter | None) -> None:
        """A page's ``send`` (``waiter`` None) or ``sendSync`` arrives: dispatch it to main's ipc."""
        if self.sim.pages[sender].destroyed:
            return
        event = SimEvent(sender, waiter is not None, next(self._tokens), waiter)

        def dispatch() -> Task:
            try:
                key = self.sim.edition.emitter_key(channel)
            except JSThrow as error:
                raise Thrown(error.name, error.message) from None
            yield from self.emit(key, args, event)

        self.deliver(dispatch())

    def to_host(self, guest: str, channel: Value, args: list[Value]) -> None:
        """A guest's ``sendToHost`` arrives: hand it to its embedder (a top-level page's is dropped)."""
        page = self.sim.pages[guest]
        if page.destroyed or page.embedder is None:
            return
        embedder, element = page.embedder

        def forward() -> Task:
            target = self.sim.pages[embedder]
            if not target.destroyed:
                self.sim.at(LATENCY_MS, lambda: target.host_message(element, channel, args))
            yield from ()

        self.deliver(forward())

    def webview_send(
        self, embedder: str, element: str, channel: Value, args: list[Value], waiter: Waiter
    ) -> None:
        """An embedder's ``<webview>.send`` arrives: pass it to the guest and answer the embedder."""

        def hand_on() -> Task:
            guest_id = self.sim.guests.get((embedder, element))
            guest = None if guest_id is None else self.sim.pages[guest_id]
            error: str | None = None
            if guest is None or guest.destroyed:
                error = f"no guest page is attached to <webview> {element!r} of {embedder}"
            elif not isinstance(channel, str):
                error = "<webview>.send needs a string channel"
            else:
                self._to_page(guest, channel, args)
            self.sim.at(LATENCY_MS, lambda: waiter.resolve(error))
            yield from ()

        if not self.sim.pages[embedder].destroyed:
            self.deliver(hand_on())

    def _to_page(self, page: PageProcess, channel: str, converted: list[Value]) -> bool:
        if page.destroyed:
            return False
        self.sim.at(LATENCY_MS, lambda: page.from_main(channel, converted))
        return True

    # Main's steps

    def step(self, step: Mapping[str, Any], ctx: Context, origin: dict[str, Any]) -> Task:
        match step["op"]:
            case "webContentsSend":
                yield from self._send_to(step, ctx, origin, self.sim.pages[step["page"]])
            case "reply":
                if ctx.event is None:
                    raise Thrown("TypeError", "event.sender.send outside a listener: there is no event")
                yield from self._send_to(step, ctx, origin, self.sim.pages[ctx.event.sender])
            case "return":
                if ctx.event is None:
                    raise Thrown("TypeError", "event.returnValue outside a listener: there is no event")
                value: Value = list(ctx.args) if step.get("echo") else decode(step["value"])
                if "afterMs" in step:
                    event = ctx.event
                    self.set_timeout(step["afterMs"], lambda: self._deferred_assign(event, value, origin))
                else:
                    self._assign(ctx.event, value, origin)
            case "readReturnValue":
                if ctx.event is None:
                    raise Thrown("TypeError", "event.returnValue outside a listener: there is no event")
                assigned = [] if ctx.event.sync else ctx.event.assigned
                read = self.sim.edition.read_return_value(assigned, sync=ctx.event.sync)
                self.record("return-read", origin=origin, value=encode(read))
            case "destroy":
                self.sim.pages[step["page"]].destroy()
                self.record("destroyed", page=step["page"])
            case _:
                yield from super().step(step, ctx, origin)

    def _send_to(
        self, step: Mapping[str, Any], ctx: Context, origin: dict[str, Any], page: PageProcess
    ) -> Task:
        """``webContents.send`` or a reply: false once the page is gone, TypeError for a bad channel."""
        channel, args, _ = _message(step, ctx)

        def outcome() -> Value:
            if not isinstance(channel, str):
                raise Thrown("TypeError", "webContents.send needs a string channel")
            return self._to_page(page, channel, self.sim.edition.convert_arguments(args))

        self.call(step["op"], origin, outcome)
        yield from ()

    def _deferred_assign(self, event: SimEvent, value: Value, origin: dict[str, Any]) -> Task:
        try:
            self._assign(event, value, origin)
        except Thrown as error:
            self.record_exception(error)
        yield from ()

    def _assign(self, event: SimEvent, value: Value, origin: dict[str, Any]) -> None:
        """``event.returnValue = value``: a plain property on a send event; a sendSync event's answer."""
        if not event.sync:
            event.assigned.append(value)
            self.record("return-assigned", origin=origin)
            return
        answer = self.sim.edition.sync_answer(value)
        if isinstance(answer, NoAnswer):  # JSON.stringify throws or gives nothing (RET-3)
            error = Thrown("TypeError", "the value cannot be sent as JSON", origin)
            self.record("return-assigned", origin=origin, error=error.document())
            raise error
        self.record("return-assigned", origin=origin)
        if event.answered:
            return  # a second assignment (RET-6, undefined behaviour): the first answer stands
        event.answered = True
        waiter = event.waiter
        if waiter is not None:
            self.sim.at(LATENCY_MS, lambda: waiter.resolve(answer))


class PageProcess(Process):
    """A renderer page: its ``ipc`` listeners, ``<webview>`` listeners and script."""

    def __init__(self, sim: Simulation, name: str, embedder: tuple[str, str] | None) -> None:
        super().__init__(sim, name)
        self.embedder = embedder
        self.host_listeners: list[Mapping[str, Any]] = []
        self._host_calls: dict[int, int] = {}

    def destroy(self) -> None:
        """Destroy this page and the guests of its ``<webview>`` elements."""
        if self.destroyed:
            return
        self.kill()
        for (embedder, _), guest in self.sim.guests.items():
            if embedder == self.name:
                self.sim.pages[guest].destroy()

    # Messages from main

    def from_main(self, channel: str, args: list[Value]) -> None:
        """A ``webContents.send`` (or reply, or ``<webview>.send``) arrives: dispatch it to the page's ipc."""
        self.deliver(self.emit(channel, args, None))

    def host_message(self, element: str, channel: Value, args: list[Value]) -> None:
        """A guest's ``sendToHost`` arrives: 'ipc-message' on ``element`` (a throw stops no other one)."""

        def fire() -> Task:
            for position, listener in enumerate(self.host_listeners):
                if listener["element"] != element:
                    continue
                call = self._host_calls.get(position, 0)
                self._host_calls[position] = call + 1
                self.record(
                    "host-message",
                    listener=listener["id"],
                    element=element,
                    channel=encode(channel),
                    args=encode_list(args),
                )
                try:
                    yield from self.run_actions(
                        listener.get("actions", ()), Context(listener["id"], call, args)
                    )
                except Exception as error:
                    self.record_exception(error)

        self.deliver(fire())

    # The page's steps

    def step(self, step: Mapping[str, Any], ctx: Context, origin: dict[str, Any]) -> Task:
        op = step["op"]
        edition = self.sim.edition
        if op in ("send", "sendChannel", "sendSync", "sendChannelSync", "sendToHost"):
            channel, args, omitted = _message(step, ctx)
            self.record("call-start", origin=origin, op=op)
            main = self.sim.main
            if op == "sendToHost":
                host = edition.convert_host_message(channel, args, channel_omitted=omitted)
                self.sim.at(LATENCY_MS, lambda: main.to_host(self.name, *host))
                self.end_call(op, origin, lambda: UNDEFINED)
                return
            converted, converted_args = edition.convert_message(channel, args, channel_omitted=omitted)
            if op in ("send", "sendChannel"):
                self.sim.at(LATENCY_MS, lambda: main.from_page(self.name, converted, converted_args, None))
                self.end_call(op, origin, lambda: UNDEFINED)
                return
            waiter = Waiter(self)
            self.sim.at(LATENCY_MS, lambda: main.from_page(self.name, converted, converted_args, waiter))
            answer = yield ("block", waiter)
            self.end_call(op, origin, lambda: answer)
        elif op == "webviewSend":
            channel, args, _ = _message(step, ctx)
            self.record("call-start", origin=origin, op=op)
            waiter = Waiter(self)
            converted = edition.convert_arguments(args)
            self.sim.at(
                LATENCY_MS,
                lambda: self.sim.main.webview_send(self.name, step["element"], channel, converted, waiter),
            )
            error = yield ("block", waiter)

            def outcome() -> Value:
                if error is not None:
                    raise Thrown("TypeError", error)
                return UNDEFINED

            self.end_call(op, origin, outcome)
        else:
            yield from super().step(step, ctx, origin)


def simulate(scenario: Mapping[str, Any], *, edition: str = "v0.32", timeout: float = 10.0) -> dict[str, Any]:
    """Return the trace of ``scenario`` as a conformant implementation of ``edition`` gives it."""
    return Simulation(scenario, edition_for(edition), timeout).run()


class OracleAdapter:
    """An in-process adapter answering from the edition's oracle, with no implementation behind it."""

    def __init__(self, edition: str = "v0.32") -> None:
        self.edition = edition

    def hello(self) -> Hello:
        """Return the oracle's identity: it claims every capability and value kind."""
        import conformance

        return Hello(
            name="oracle (in-memory, benchmarks)",
            version=conformance.__version__,
            edition=self.edition,
            capabilities=CAPABILITIES,
            value_kinds=VALUE_KINDS,
            language="Python",
        )

    def run(self, scenario: Mapping[str, Any], *, timeout: float) -> dict[str, Any]:
        """Return the trace of ``scenario``, simulated."""
        return simulate(scenario, edition=self.edition, timeout=timeout)

    def reset(self, *, timeout: float) -> None:
        """Nothing to reset: every run starts from a fresh simulation."""

    def close(self) -> None:
        """Nothing to close."""
