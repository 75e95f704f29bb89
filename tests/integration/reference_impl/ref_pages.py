"""Page programs for the reference implementation's tests, run in renderer processes.

Each is ``program(page, *args)`` with JSON arguments (see ``WebContents.load``).
They report to the test through ``page.post`` (main's ``'console-message'``),
which is ordered with the page's IPC messages and never seen by ``ipc`` listeners.
Every program reports its uncaught exceptions as ``["uncaught", type name, message]``.
"""

from __future__ import annotations

import time
import warnings

from ref_values import ARGUMENTS

from conformance.values.model import UNDEFINED, JSFunction, JSSymbol
from reference_impl import OMITTED, IpcMessageEvent, Page


def _report_uncaught(page: Page) -> None:
    page.on_uncaught_exception(lambda exc: page.post(["uncaught", type(exc).__name__, str(exc)]))


def _post_messages(page: Page, *channels: str) -> None:
    """Post ``["ipc", channel, args]`` for every message on each channel."""
    for channel in channels:
        page.ipc.on(channel, lambda *args, channel=channel: page.post(["ipc", channel, list(args)]))


# Generic programs


def idle(page: Page) -> None:
    """Do nothing, but report exceptions."""
    _report_uncaught(page)


def record(page: Page, *channels: str) -> None:
    """Post every message main sends on ``channels``."""
    _report_uncaught(page)
    _post_messages(page, *channels)


def call_ipc(page: Page, method: str, *args: object) -> None:
    """Call ``page.ipc.<method>(*args)`` and post ``["returned", result]``."""
    _report_uncaught(page)
    page.post(["returned", getattr(page.ipc, method)(*args)])


def record_then_call(page: Page, record_channel: str, method: str, *args: object) -> None:
    """Post every message on ``record_channel``; then do what ``call_ipc`` does."""
    _post_messages(page, record_channel)
    call_ipc(page, method, *args)


def send_built(page: Page, method: str, channel: str, name: str) -> None:
    """Send the argument list ``ref_values.ARGUMENTS[name]`` with ``page.ipc.<method>``."""
    _report_uncaught(page)
    getattr(page.ipc, method)(channel, *ARGUMENTS[name]())
    page.post("sent")


def send_then_change(page: Page) -> None:
    """Send an object, change it, send it again (SER-0)."""
    _report_uncaught(page)
    sent: dict[str, object] = {"k": [1]}
    page.ipc.send("c", sent)
    sent["k"].append(2)  # type: ignore[attr-defined]
    sent["new"] = True
    page.ipc.send("c", sent)


def sync_then_post(page: Page, channel: str, *args: object) -> None:
    """Post ``"before"``, call ``send_sync``, then post ``["returned", answer]``."""
    _report_uncaught(page)
    page.post("before")
    page.post(["returned", page.ipc.send_sync(channel, *args)])


def record_then_sync(page: Page, record_channel: str, sync_channel: str) -> None:
    """Post every message on ``record_channel``; then do what ``sync_then_post`` does."""
    _post_messages(page, record_channel)
    sync_then_post(page, sync_channel)


def sync_on_message(page: Page, trigger: str, channel: str) -> None:
    """On each ``trigger`` message, ``send_sync`` on ``channel`` and post the answer."""
    _report_uncaught(page)
    page.ipc.on(trigger, lambda *args: page.post(["returned", page.ipc.send_sync(channel, *args)]))


# Channels


def send_odd_channels(page: Page) -> None:
    """Send one message on each channel that is not a plain string (CH-5)."""
    _report_uncaught(page)
    shared = {"k": 1}
    page.ipc.send(1, "int")
    page.ipc.send(1.5, "float")
    page.ipc.send(-0.0, "negative zero")
    page.ipc.send(1e21, "big")
    page.ipc.send(float("nan"), "nan")
    page.ipc.send(True, "bool")
    page.ipc.send(None, "null")
    page.ipc.send(UNDEFINED, "explicit undefined")
    page.ipc.send(JSFunction("f"), "function")
    page.ipc.send(JSSymbol("s"), "symbol")
    page.ipc.send({"a": 1}, "object")
    page.ipc.send([1, [2, 3], None], "array")
    page.ipc.send(shared, shared)  # the channel and the argument share the seen-set (SER-10)
    page.ipc.send()
    page.post(["returned", page.ipc.send_sync(7, "sync")])


def send_on_names(page: Page, names: list[str]) -> None:
    """Send ``index`` on each channel name, in order."""
    _report_uncaught(page)
    for index, name in enumerate(names):
        page.ipc.send(name, index)
    page.post("sent")


def record_names(page: Page, names: list[str]) -> None:
    """Post ``["ipc", name, args]`` for every message main sends on one of ``names``."""
    _report_uncaught(page)
    _post_messages(page, *names)
    page.post("ready")


def emitter_semantics(page: Page) -> None:
    """Exercise ``once``, ``remove_listener`` and ``remove_all_listeners`` on the page's ``ipc`` (CH-8)."""
    _report_uncaught(page)
    calls: list[str] = []

    def listener(name: str) -> None:
        calls.append(name)

    page.ipc.once("once", lambda: listener("once"))
    removed = lambda: listener("removed")  # noqa: E731
    page.ipc.on("removed", removed)
    page.ipc.remove_listener("removed", removed)
    twice = lambda: listener("twice")  # noqa: E731
    page.ipc.on("twice", twice).on("twice", twice)
    page.ipc.remove_listener("twice", twice)
    page.ipc.on("all", lambda: listener("all-1")).on("all", lambda: listener("all-2"))
    page.ipc.remove_all_listeners("all")
    page.ipc.on("done", lambda: page.post(["calls", calls]))


def listeners_in_order(page: Page) -> None:
    """Three listeners on ``"c"``; the second raises (CH-3 in the page)."""
    _report_uncaught(page)

    def raises(*args: object) -> None:
        raise ValueError("listener 2 failed")

    page.ipc.on("c", lambda *args: page.post(["listener", 1, list(args)]))
    page.ipc.on("c", raises)
    page.ipc.on("c", lambda *args: page.post(["listener", 3, list(args)]))
    page.ipc.on("next", lambda: page.post("next"))


# Ordering


def send_mixed(page: Page, count: int) -> None:
    """Send ``count`` messages numbered in order, alternating ``send`` and ``send_sync`` on three channels."""
    _report_uncaught(page)
    for number in range(count):
        if number % 3 == 2:
            page.ipc.send_sync("sync", number)
        else:
            page.ipc.send("a" if number % 3 == 0 else "b", number)
    page.post("sent")


def sends_then_sync(page: Page, count: int) -> None:
    """Send ``count`` messages on ``"a"``, then ``send_sync`` on ``"s"``, then one ``send`` on ``"after"``."""
    _report_uncaught(page)
    for number in range(count):
        page.ipc.send("a", number)
    page.post(["returned", page.ipc.send_sync("s")])
    page.ipc.send("after")


def collect_until_done(page: Page, *channels: str) -> None:
    """Collect ``[channel, args]`` of every message on ``channels``; post the list on ``"done"``."""
    _report_uncaught(page)
    seen: list[object] = []
    for channel in channels:
        page.ipc.on(channel, lambda *args, channel=channel: seen.append([channel, list(args)]))
    page.ipc.on("done", lambda: page.post(["seen", seen]))


# Host pages and guests


def embedder(page: Page, *elements: str) -> None:
    """Post ``["ipc-message", element, channel, args]`` for each ``'ipc-message'`` of each element."""
    _report_uncaught(page)
    for element in elements:

        def on_message(event: IpcMessageEvent, element: str = element) -> None:
            assert event.type == "ipc-message"
            page.post(["ipc-message", element, event.channel, event.args])

        page.webview(element).add_event_listener("ipc-message", on_message)
    _post_messages(page, "to-embedder")


def embedder_sending(page: Page, element: str, channel: str, *args: object) -> None:
    """On ``"go"``, ``<webview>.send(channel, *args)``; post how long it took, or its TypeError."""
    _report_uncaught(page)

    def go() -> None:
        started = time.monotonic()
        try:
            page.webview(element).send(channel, *args)
        except TypeError as exc:
            page.post(["TypeError", str(exc)])
        else:
            page.post(["webview-sent", time.monotonic() - started])

    page.ipc.on("go", go)


def embedder_sending_after_busy(page: Page, element: str) -> None:
    """Send ``"busy"`` to main, then at once ``<webview>.send('ping')``; post how long that blocked."""
    _report_uncaught(page)
    page.ipc.send("busy")
    started = time.monotonic()
    page.webview(element).send("ping")
    page.post(["webview-sent", time.monotonic() - started])


def webview_ping_pong(page: Page, element: str, message: object) -> None:
    """Electron's webview test, embedder side: on ``"go"`` send ``'ping'``; post each ``'ipc-message'``."""
    _report_uncaught(page)
    webview = page.webview(element)
    webview.add_event_listener(
        "ipc-message", lambda event: page.post(["ipc-message", event.channel, event.args])
    )
    page.ipc.on("go", lambda: webview.send("ping", message))


def pong_to_host(page: Page) -> None:
    """Electron's own webview test, guest side: answer ``'ping'`` with ``send_to_host('pong', message)``."""
    _report_uncaught(page)
    page.ipc.on("ping", lambda message: page.ipc.send_to_host("pong", message))


def guest_sending(page: Page, method: str, *args: object) -> None:
    """On ``"go"``, call ``page.ipc.<method>(*args)`` (a guest page's ``send_to_host`` and friends)."""
    _report_uncaught(page)
    page.ipc.on("go", lambda: page.post(["returned", getattr(page.ipc, method)(*args)]))


def guest_to_host_odd_channels(page: Page) -> None:
    """``send_to_host`` with channels that are not strings (HOST-3)."""
    _report_uncaught(page)
    page.ipc.send_to_host(5, "five")
    page.ipc.send_to_host()
    page.ipc.send_to_host(UNDEFINED, "undefined")
    page.ipc.send_to_host({"a": 1}, "object")
    page.ipc.send_to_host(JSFunction(), "function")


def guest_flood(page: Page, count: int) -> None:
    """``send_to_host('h', n)`` for n in range(count)."""
    _report_uncaught(page)
    for number in range(count):
        page.ipc.send_to_host("h", number)


def guest_host_then_sync(page: Page) -> None:
    """``send_to_host`` then ``send_sync``: main handles the first before the second (ORD-1)."""
    _report_uncaught(page)
    page.ipc.send_to_host("h", "first")
    page.ipc.send_sync("s")


def not_a_guest_to_host(page: Page) -> None:
    """``send_to_host`` from a top-level page: dropped without error (HOST-4)."""
    _report_uncaught(page)
    page.ipc.send_to_host("h", 1)
    page.ipc.send_to_host()
    page.post("sent")


# Blocking


def timers_wait_for_sync(page: Page) -> None:
    """A timer blocked in ``send_sync`` keeps a later timer from running until the answer (BLK-1)."""
    _report_uncaught(page)
    page.set_timeout(0, lambda: page.post(["returned", page.ipc.send_sync("block")]))
    page.set_timeout(50, lambda: page.post("tick"))


# Main to renderer


def late_listener(page: Page) -> None:
    """Say ``"ready"``; a second later add a listener on ``"c"`` and say ``"registered"`` (M2R-5)."""
    _report_uncaught(page)

    def register() -> None:
        _post_messages(page, "c")
        page.ipc.send("registered")

    page.set_timeout(1000, register)
    page.ipc.send("ready")


def deprecated_names(page: Page) -> None:
    """Use ``send_channel`` and ``send_channel_sync`` (DEP-1); post the answer and any warnings."""
    _report_uncaught(page)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        page.ipc.send_channel("dep", 1)
        answer = page.ipc.send_channel_sync("dep-sync", 2)
    same = type(page.ipc).send_channel is type(page.ipc).send
    same_sync = type(page.ipc).send_channel_sync is type(page.ipc).send_sync
    page.post(["returned", answer, [str(w.message) for w in caught], same, same_sync])


def never_raises(page: Page) -> None:
    """Send odd channels and every argument list of ``ref_values`` with each method; post what raised."""
    _report_uncaught(page)
    raised = []
    for method in ("send", "send_to_host"):
        for name, build in ARGUMENTS.items():
            for channel in ("c", 1, None, UNDEFINED, {"a": 1}, [1], JSSymbol(), print, OMITTED):
                try:
                    arguments = build() if channel is not OMITTED else []
                    getattr(page.ipc, method)(channel, *arguments)
                except Exception as exc:
                    raised.append([method, name, repr(channel), repr(exc)])
    page.post(["raised", raised])


# Lifecycle


def leave_traces(page: Page) -> None:
    """Add a listener, a timer and a ``<webview>`` listener, as a later load must drop them."""
    _report_uncaught(page)
    page.ipc.on("c", lambda: page.post("old listener"))
    page.set_timeout(1000, lambda: page.post("old timer"))
    page.webview("wv").add_event_listener("ipc-message", lambda event: page.post("old webview listener"))


def timers(page: Page) -> None:
    """Two timers, the first cleared, and one that raises: post what ran."""
    _report_uncaught(page)
    cleared = page.set_timeout(10, lambda: page.post("cleared timer ran"))
    page.clear_timeout(cleared)
    page.set_timeout(30, lambda: page.post("second"))
    page.set_timeout(20, lambda: page.post("first"))
    page.set_timeout(40, lambda: 1 / 0)


def raises(page: Page) -> None:
    """A page program that fails while loading."""
    _report_uncaught(page)
    raise RuntimeError("page program failed")


def crash(page: Page) -> None:
    """Exit the renderer process abruptly."""
    import os

    os._exit(3)


def echo_main_posts(page: Page) -> None:
    """Post ``["message", value]`` for what main posts, and record ``"c"`` messages in the same stream."""
    _report_uncaught(page)
    page.on_message(lambda value: page.post(["message", value]))
    _post_messages(page, "c")


def post_id(page: Page) -> None:
    """Post the page's id."""
    page.post(["id", page.id])
