"""The built-in reference implementation as an in-process adapter: scenarios in, traces out.

Main runs in this process (``reference_impl.Main``); pages are renderer
processes kept in a pool across scenarios and re-loaded with the page program
for each one.  A run: main's listeners, then every page's (each page says
``ready``), then ``go`` to every script; it ends when every script has ended, or
nothing has happened for ``blockMs``; then barrier rounds to every page that can
answer show when nothing is in flight any more.
"""

from __future__ import annotations

import inspect
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

from conformance.adapters.errors import AdapterTimeout, Step
from conformance.adapters.protocol import Hello
from conformance.adapters.reference.interpreter import (
    Context,
    Origin,
    ProcessPart,
    error_document,
    message_arguments,
    now_ms,
)
from conformance.adapters.reference.page_pool import PagePool
from conformance.values.codec import decode, encode, encode_list
from conformance.values.model import Value
from reference_impl import Main, WebContents

__all__ = ["ReferenceAdapter"]

PAGE_PROGRAM: Final = "conformance.adapters.reference.page_program:run"
CAPABILITIES: Final = frozenset(
    {
        "multiplePages",
        "sendSync",
        "sendToHost",
        "webview",
        "destroy",
        "timers",
        "channelValues",
        "mutateAfter",
        "busy",
    }
)
VALUE_KINDS: Final = frozenset(
    {
        "undefined", "null", "boolean", "number", "string", "symbol", "function", "array", "hole", "object",
        "date", "regexp", "error", "map", "set", "promise", "arraybuffer", "typedarray", "buffer", "ref",
        "accessor", "nonEnumerable", "symbolKey", "class", "loneSurrogate",
    }
)  # fmt: skip
_DEFAULT_BLOCK_MS: Final = 2000
_DISCARD_GRACE: Final = 2.0
"""Seconds main's thread gets to destroy a scenario's unusable pages once the run's deadline has passed."""
_CLOSE_TIMEOUT: Final = 5.0
"""Seconds main's thread gets to close; a stuck one has its page processes killed instead."""
_BARRIER_TIMEOUT: Final = 2.0


def _return_value_shape(event: object) -> str:
    attribute = inspect.getattr_static(event, "return_value", None)
    if attribute is None:
        return "absent"
    return "setter" if isinstance(attribute, property) else "property"


class MainPart(ProcessPart):
    """Main's listeners and script in one scenario."""

    def __init__(
        self, main: Main, pages: Mapping[str, WebContents], record: Callable[[dict[str, Any]], None]
    ):
        super().__init__(main.ipc, record)
        self.main = main
        self.pages = pages
        self.pending_returns = 0
        self._events: list[object] = []
        self.timers: list[Any] = []

    def listener_function(self, on_call: Callable[[Any, Sequence[Value]], None]) -> Callable[..., None]:
        return lambda event, *args: on_call(event, args)

    def record_delivery(self, listener: Mapping[str, Any], event: Any, args: Sequence[Value]) -> None:
        sender = next((pid for pid, wc in self.pages.items() if wc is getattr(event, "sender", None)), None)
        token = next((i for i, seen in enumerate(self._events) if seen is event), None)
        if token is None:
            token = len(self._events)
            self._events.append(event)
        shape = {
            "preventDefault": callable(getattr(event, "prevent_default", None)),
            "returnValue": _return_value_shape(event),
        }
        self.record(
            "deliver",
            listener=listener["id"],
            channel=listener["channel"],
            args=encode_list(list(args)),
            sender=sender,
            eventToken=token,
            event=shape,
        )

    def set_timeout(self, ms: float, callback: Callable[..., object], *args: object) -> None:
        self.timers.append(self.main.set_timeout(ms, callback, *args))

    def step(self, step: Mapping[str, Any], ctx: Context, origin: Origin) -> None:
        match step["op"]:
            case "webContentsSend":
                positional, _ = message_arguments(step, ctx)
                contents = self.pages[step["page"]]
                self.call("webContentsSend", origin, lambda: contents.send(*positional))  # type: ignore[arg-type]
            case "reply":
                positional, _ = message_arguments(step, ctx)
                sender = ctx.event.sender
                self.call("reply", origin, lambda: sender.send(*positional))
            case "return":
                value: Value = list(ctx.args) if step.get("echo") else decode(step["value"])
                if "afterMs" in step:
                    self.pending_returns += 1
                    self.set_timeout(step["afterMs"], self._assign, ctx.event, value, origin, True)
                else:
                    self._assign(ctx.event, value, origin, False)
            case "readReturnValue":
                self.record("return-read", origin=origin, value=encode(ctx.event.return_value))
            case "destroy":
                self.pages[step["page"]].destroy()
                self.record("destroyed", page=step["page"])
            case _:
                super().step(step, ctx, origin)

    def _assign(self, event: Any, value: Value, origin: Origin, deferred: bool) -> None:
        """Assign ``event.return_value``; stamped before the answer leaves, so no reply can seem earlier."""
        started = now_ms()
        try:
            event.return_value = value
        except Exception as error:
            self._sink(
                {"type": "return-assigned", "t": started, "origin": origin, "error": error_document(error)}
            )
            error.scenario_origin = origin  # type: ignore[attr-defined]
            raise
        else:
            self._sink({"type": "return-assigned", "t": started, "origin": origin})
        finally:
            if deferred:
                self.pending_returns -= 1


class _Run:
    """The state of one scenario run, shared between the test's thread and main's thread."""

    def __init__(self, pages: dict[str, WebContents]) -> None:
        self.pages = pages
        self.events: dict[str, list[dict[str, Any]]] = {"main": [], **{pid: [] for pid in pages}}
        self.ready: set[str] = set()
        self.script_ended: set[str] = set()
        self.barriers: dict[str, dict[str, Any]] = {}
        self.last_progress = time.monotonic()
        self.waiting_for_events = False
        """Set while settling waits for a pending timer: every event then wakes it."""
        self.changed = threading.Condition()

    def page_of(self, contents: WebContents) -> str | None:
        return next((pid for pid, wc in self.pages.items() if wc is contents), None)

    def add(self, process: str, events: list[dict[str, Any]]) -> None:
        with self.changed:
            self.events[process] += events
            self.last_progress = time.monotonic()
            if any(event["type"] == "script-end" for event in events):
                self.script_ended.add(process)
                self.changed.notify_all()  # what the waits wait for; they poll for quiet
            elif self.waiting_for_events:
                self.changed.notify_all()

    def count(self) -> int:
        return sum(len(events) for events in self.events.values())


class ReferenceAdapter:
    """The reference implementation (``reference_impl``), reached in-process.

    Variations (the project's catalogue of faulty implementations) subclass it:
    ``preload`` runs in every renderer before anything else (``Main(preload=...)``),
    ``make_main`` builds main, and ``prepare_page`` sees every new page's web contents.
    """

    preload: str | None = None

    def __init__(self) -> None:
        self.main = self.make_main()
        self.main.on_uncaught_exception(self._main_exception)
        self._pages = PagePool(self.main, self._adopt)
        self._run: _Run | None = None
        self._main_part: MainPart | None = None

    def make_main(self) -> Main:
        """Return the main process the adapter drives."""
        return Main(preload=self.preload)

    def prepare_page(self, contents: WebContents) -> None:
        """Called with the web contents of every page the adapter creates, before it is used."""

    def hello(self) -> Hello:
        """Return the reference implementation's identity: it claims everything."""
        import conformance

        return Hello(
            name="reference_impl",
            version=conformance.__version__,
            edition="v0.32",
            capabilities=CAPABILITIES,
            value_kinds=VALUE_KINDS,
            language="Python",
        )

    # Main's thread

    def _main_exception(self, error: BaseException) -> None:
        if self._main_part is not None:
            self._main_part.record_exception(error)

    def _on_post(self, contents: WebContents, value: Any) -> None:
        run = self._run
        page = run.page_of(contents) if run is not None else None
        if run is None or page is None or not isinstance(value, dict):
            return
        if "ready" in value:
            with run.changed:
                run.ready.add(page)
                run.changed.notify_all()
        elif page not in run.ready:
            return  # a late event of an earlier scenario
        elif "events" in value:
            run.add(page, value["events"])
        elif "barrier" in value:
            with run.changed:
                run.barriers[page] = value
                run.changed.notify_all()

    # Pages

    def _adopt(self, contents: WebContents) -> None:
        """Make a new page the adapter's: its posts reach ``_on_post``, then ``prepare_page`` sees it."""
        contents.on("console-message", lambda value: self._on_post(contents, value))
        self.prepare_page(contents)

    # The adapter protocol

    def reset(self, *, timeout: float) -> None:
        """Forget main's listeners and timers of the last scenario."""
        main_part = self._main_part

        def clean() -> None:
            self.main.ipc.remove_all_listeners()
            if main_part is not None:
                for timer in main_part.timers:
                    self.main.clear_timeout(timer)

        self._call_main(clean, timeout, Step.RESET)
        self._run, self._main_part = None, None

    def run(self, scenario: Mapping[str, Any], *, timeout: float) -> dict[str, Any]:
        """Run ``scenario`` and return its trace."""
        deadline = time.monotonic() + timeout
        pages = self._pages.assign(scenario["pages"])
        run = self._run = _Run(pages)
        main_part = self._main_part = MainPart(self.main, pages, lambda event: run.add("main", [event]))
        main_doc = scenario.get("main", {})

        def install_main_listeners() -> None:
            for doc in main_doc.get("listeners", []):
                main_part.install(doc)

        self._call_main(install_main_listeners, timeout, Step.RUN)
        renderers = scenario.get("renderers", {})
        for page_id, contents in pages.items():
            contents.load(PAGE_PROGRAM, renderers.get(page_id, {}))
        self._wait(run, lambda: run.ready >= set(pages), deadline, "every page to load its part")
        for contents in pages.values():
            contents.post({"go": True})
        self.main.call_soon(main_part.run_script, main_doc.get("script", []))
        block_ms = scenario.get("limits", {}).get("blockMs", _DEFAULT_BLOCK_MS)
        self._wait_for_scripts(run, main_part, block_ms, deadline)
        self._settle(run, main_part, block_ms, deadline)
        trace = {"processes": {name: list(events) for name, events in run.events.items()}}
        self._discard_unusable(run, max(deadline - time.monotonic(), _DISCARD_GRACE))
        self._pages.refill()
        return trace

    def close(self) -> None:
        """Destroy every page and stop main."""
        self._pages.close()
        self.main.close(timeout=_CLOSE_TIMEOUT)

    # Waiting

    def _call_main(self, function: Callable[[], object], timeout: float, step: Step) -> None:
        try:
            self.main.call(function, timeout=timeout)
        except TimeoutError as error:
            raise AdapterTimeout(str(error), step=step, timeout=timeout) from None

    def _wait(self, run: _Run, done: Callable[[], bool], deadline: float, what: str) -> None:
        with run.changed:
            while not done():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AdapterTimeout(f"timed out waiting for {what}", step=Step.RUN, timeout=remaining)
                run.changed.wait(min(remaining, 0.5))

    def _wait_for_scripts(self, run: _Run, main_part: MainPart, block_ms: int, deadline: float) -> None:
        """Wait until every script ended, or nothing happened for ``block_ms`` (a script is blocked)."""
        with run.changed:
            while not run.script_ended >= {
                "main",
                *(p for p, wc in run.pages.items() if not wc.is_destroyed()),
            }:
                quiet_for = time.monotonic() - run.last_progress
                if quiet_for * 1000 >= block_ms:
                    return
                if time.monotonic() >= deadline:
                    raise AdapterTimeout("the scenario's scripts did not end", step=Step.RUN, timeout=0)
                run.changed.wait(min(block_ms / 1000 - quiet_for, 0.05) + 0.001)

    def _settle(self, run: _Run, main_part: MainPart, block_ms: int, deadline: float) -> None:
        """Barrier rounds until a round brings nothing new and no timer is pending."""
        seen = -1
        while time.monotonic() < deadline:
            answering = [pid for pid in run.pages if self._can_answer(run, pid)]
            with run.changed:
                run.barriers.clear()
            for pid in answering:
                run.pages[pid].post({"barrier": seen})
            with run.changed:
                limit = time.monotonic() + _BARRIER_TIMEOUT
                while not set(run.barriers) >= set(answering) and time.monotonic() < limit:
                    run.changed.wait(0.05)
                pending = main_part.pending_timers + main_part.pending_returns
                pending += sum(b.get("pendingTimers", 0) for b in run.barriers.values())
                count = run.count()
                quiet_for = time.monotonic() - run.last_progress
            if count == seen and (pending == 0 or quiet_for * 1000 >= block_ms):
                return
            if count == seen:  # only timers are left: wait for one to fire (it records an event)
                remaining = min(block_ms / 1000 - quiet_for, deadline - time.monotonic())
                self._wait_for_event(run, count, remaining)
            seen = count

    def _wait_for_event(self, run: _Run, count: int, timeout: float) -> None:
        with run.changed:
            run.waiting_for_events = True
            try:
                run.changed.wait_for(lambda: run.count() != count, timeout=max(timeout, 0.0))
            finally:
                run.waiting_for_events = False

    def _can_answer(self, run: _Run, page: str) -> bool:
        contents = run.pages[page]
        return not contents.is_destroyed() and not _blocked(run.events[page])

    def _discard_unusable(self, run: _Run, timeout: float) -> None:
        """Destroy the pages a later scenario cannot reuse: blocked, script unfinished, or a timer pending.

        Main's thread destroys them; if it is itself stuck (an implementation that
        deadlocks main), this raises ``AdapterTimeout`` after ``timeout`` seconds
        instead of waiting for ever.
        """
        unusable = [
            contents
            for page, contents in run.pages.items()
            if not contents.is_destroyed()
            and (
                _blocked(run.events[page])
                or page not in run.script_ended
                or run.barriers.get(page, {}).get("pendingTimers", 0)
            )
        ]
        def destroy() -> None:
            for contents in unusable:
                contents.destroy()

        if unusable:
            self._call_main(destroy, timeout, Step.RUN)


def _blocked(events: Sequence[Mapping[str, Any]]) -> bool:
    open_calls = 0
    for event in events:
        if event["type"] == "call-start":
            open_calls += 1
        elif event["type"] == "call-end":
            open_calls -= 1
    return open_calls > 0
