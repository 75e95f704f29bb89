"""The page program the reference adapter loads into every renderer: one page's part of a scenario.

Loaded with ``WebContents.load("conformance.adapters.reference.page_program:run", part)``.
It installs the page's listeners, says ``ready``, and runs its script when main
says ``go``.  Trace events are posted to main in batches: whatever was recorded
goes out before control passes to the implementation (an IPC call, a listener
returning, a timer) or to a wait, so that a page blocked for ever in ``sendSync``,
or killed by the implementation, still leaves its whole trace.  ``barrier``
messages from main are answered in order, which tells main the page has caught up.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from conformance.adapters.reference.interpreter import (
    Context,
    Origin,
    ProcessPart,
    message_arguments,
    mutate_after,
)
from conformance.values.codec import encode, encode_list
from conformance.values.model import Value

__all__ = ["PagePart", "run"]

_IPC_CALLS = {
    "send": "send",
    "sendSync": "send_sync",
    "sendToHost": "send_to_host",
    "sendChannel": "send_channel",
    "sendChannelSync": "send_channel_sync",
}


class PagePart(ProcessPart):
    """A page's listeners, host listeners and script, on the reference implementation's ``Page``."""

    def __init__(self, page: Any, part: Mapping[str, Any]) -> None:
        self._recorded: list[dict[str, Any]] = []
        super().__init__(page.ipc, self._recorded.append)
        self.page = page
        self.part = part

    def flush(self) -> None:
        """Post the events recorded since the last flush to main, in one message."""
        if self._recorded:
            events = list(self._recorded)
            self._recorded.clear()
            self.page.post({"events": events})

    def flushing(self, callback: Callable[..., object]) -> Callable[..., None]:
        """Return ``callback`` wrapped to flush when it returns (or raises) to the implementation."""

        def run(*args: object) -> None:
            try:
                callback(*args)
            finally:
                self.flush()

        return run

    def listener_function(self, on_call: Callable[[Any, Sequence[Value]], None]) -> Callable[..., None]:
        return self.flushing(lambda *args: on_call(None, args))

    def record_exception(self, error: BaseException) -> None:
        super().record_exception(error)
        self.flush()

    def install_host_listener(self, listener: Mapping[str, Any]) -> None:
        """Add an ``'ipc-message'`` listener on a ``<webview>`` element of this page."""
        listener_id, element, actions = listener["id"], listener["element"], list(listener.get("actions", ()))
        calls = 0

        def on_message(event: Any) -> None:
            nonlocal calls
            self.record(
                "host-message",
                listener=listener_id,
                element=element,
                channel=encode(event.channel),
                args=encode_list(list(event.args)),
            )
            ctx, calls = Context(listener_id, calls, event.args), calls + 1
            self.run_actions(actions, ctx)

        self.page.webview(element).add_event_listener("ipc-message", self.flushing(on_message))

    def set_timeout(self, ms: float, callback: Callable[..., object], *args: object) -> None:
        self.flush()
        self.page.set_timeout(ms, self.flushing(callback), *args)

    def step(self, step: Mapping[str, Any], ctx: Context, origin: Origin) -> None:
        op = step["op"]
        if op in _IPC_CALLS:
            positional, sent = message_arguments(step, ctx)
            self.call(op, origin, lambda: getattr(self.page.ipc, _IPC_CALLS[op])(*positional))
            mutate_after(step, sent)
        elif op == "webviewSend":
            positional, _ = message_arguments(step, ctx)
            self.flush()
            webview = self.page.webview(step["element"])
            self.call(op, origin, lambda: webview.send(*positional))
        else:
            super().step(step, ctx, origin)

    def on_main_message(self, message: Mapping[str, Any]) -> None:
        """Answer main's out-of-band messages: ``go`` starts the script, ``barrier`` is echoed."""
        if "go" in message:
            self.run_script(self.part.get("script", []))
            self.flush()
        elif "barrier" in message:
            self.flush()
            self.page.post({"barrier": message["barrier"], "pendingTimers": self.pending_timers})


def run(page: Any, part: Mapping[str, Any]) -> None:
    """Set up this page's part of a scenario and tell main it is ready."""
    page_part = PagePart(page, part)
    page.on_uncaught_exception(page_part.record_exception)
    page.on_message(page_part.on_main_message)
    for listener in part.get("listeners", []):
        page_part.install(listener)
    for listener in part.get("hostListeners", []):
        page_part.install_host_listener(listener)
    page.post({"ready": True})
