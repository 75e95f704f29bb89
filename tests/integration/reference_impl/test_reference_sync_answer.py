"""What ``sendSync`` returns (RET) in the reference implementation, with real processes."""

from __future__ import annotations

import math
import threading
from collections.abc import Callable

import pytest
from ref_helpers import QUIET, TIMEOUT, Inbox, LoadedPage, is_gone, same_plain

from conformance.values.model import (
    HOLE,
    UNDEFINED,
    JSBuffer,
    JSDate,
    JSFunction,
    JSMap,
    JSObject,
    JSSymbol,
    JSTypedArray,
    Property,
)
from reference_impl import IpcEvent, Main, SyncIpcEvent

StartPage = Callable[..., LoadedPage]


def _shared() -> object:
    shared = {"k": 1}
    return [shared, shared]


def _cyclic() -> object:
    cycle: list[object] = []
    cycle.append(cycle)
    return cycle


ANSWERS: list[tuple[str, Callable[[], object], object]] = [
    ("string", lambda: "pong", "pong"),
    ("json-tree", lambda: {"a": [1, 2.5, None, True], "b": {}}, {"a": [1, 2.5, None, True], "b": {}}),
    ("non-finite", lambda: [math.nan, math.inf, -math.inf, -0.0], [None, None, None, 0]),
    ("big-numbers", lambda: [2**60, 1e21, 2**53], [float(2**60), 1e21, 2**53]),
    (
        "date",
        lambda: [JSDate(0), JSDate(-1), JSDate(math.nan)],
        ["1970-01-01T00:00:00.000Z", "1969-12-31T23:59:59.999Z", None],
    ),
    ("buffer", lambda: JSBuffer(b"\x01\xff"), {"type": "Buffer", "data": [1, 255]}),
    (
        "getters-called",
        lambda: JSObject(
            [
                Property.accessor("got", 5),
                Property("hidden", 1, enumerable=False),
                Property(JSSymbol(), 2),
                Property("u", UNDEFINED),
            ]
        ),
        {"got": 5},
    ),
    ("shared-duplicated", _shared, [{"k": 1}, {"k": 1}]),
    ("nothing-in-arrays", lambda: [UNDEFINED, JSFunction(), HOLE, JSSymbol(), len], [None] * 5),
    ("nothing-in-objects", lambda: {"u": UNDEFINED, "f": JSFunction(), "a": 1}, {"a": 1}),
    ("lone-surrogate", lambda: "\ud800", "\ud800"),
    ("map-and-typed-array", lambda: [JSMap([(1, 2)]), JSTypedArray("Float32Array", [1.5])], [{}, {"0": 1.5}]),
    ("proto-kept", lambda: {"__proto__": 1}, {"__proto__": 1}),
    ("key-order-as-created", lambda: {"b": 1, "a": 2, "1": 3}, {"1": 3, "b": 1, "a": 2}),
    ("top-level-null", lambda: None, None),
]


@pytest.mark.clause("RET-1", "RET-2")
@pytest.mark.parametrize(("build", "expected"), [pytest.param(b, e, id=n) for n, b, e in ANSWERS])
def test_send_sync_returns_json_parse_of_the_assigned_value(
    main: Main, start_page: StartPage, build: Callable[[], object], expected: object
) -> None:
    def answer(event: SyncIpcEvent) -> None:
        event.return_value = build()

    main.ipc.on("s", answer)
    page = start_page("sync_then_post", "s")
    assert page.posts.get() == "before"
    returned = page.posts.get()
    assert returned[0] == "returned" and same_plain(returned[1], expected), returned


@pytest.mark.clause("RET-3")
@pytest.mark.parametrize(
    "build",
    [lambda: UNDEFINED, lambda: JSFunction("f"), lambda: JSSymbol("s"), lambda: len, _cyclic],
    ids=["undefined", "function", "symbol", "python callable", "cycle"],
)
def test_assigning_what_json_cannot_hold_raises_and_sends_nothing(
    main: Main, start_page: StartPage, build: Callable[[], object]
) -> None:
    failures = Inbox()

    def answer(event: SyncIpcEvent) -> None:
        try:
            event.return_value = build()
        except TypeError as exc:
            failures.put(exc)
        main.set_timeout(QUIET * 1000, lambda: setattr(event, "return_value", "fallback"))

    main.ipc.on("s", answer)
    page = start_page("sync_then_post", "s")
    assert isinstance(failures.get(), TypeError)
    # Had the failed assignment sent anything, the page would have returned it.
    assert page.posts.take(2) == ["before", ["returned", "fallback"]]


@pytest.mark.clause("RET-3", "ERR-2")
def test_uncaught_assignment_error_leaves_the_page_blocked(
    main: Main, start_page: StartPage, uncaught: Inbox
) -> None:
    def answer(event: SyncIpcEvent) -> None:
        event.return_value = UNDEFINED

    main.ipc.on("s", answer)
    page = start_page("sync_then_post", "s", wait=False)
    assert page.posts.get() == "before"
    assert isinstance(uncaught.get(), TypeError)
    page.posts.assert_quiet()


@pytest.mark.clause("ERR-2", "RET-1")
def test_listener_raising_after_answering_still_answers(
    main: Main, start_page: StartPage, uncaught: Inbox
) -> None:
    def answer(event: SyncIpcEvent) -> None:
        event.return_value = "answered"
        raise RuntimeError("after answering")

    main.ipc.on("s", answer)
    page = start_page("sync_then_post", "s")
    assert page.posts.take(2) == ["before", ["returned", "answered"]]
    assert str(uncaught.get()) == "after answering"


@pytest.mark.clause("RET-4")
def test_return_value_of_a_sync_event_reads_as_undefined(main: Main, start_page: StartPage) -> None:
    readings = Inbox()

    def answer(event: SyncIpcEvent) -> None:
        readings.put(event.return_value)
        event.return_value = "x"
        readings.put(event.return_value)

    main.ipc.on("s", answer)
    start_page("sync_then_post", "s")
    assert readings.take(2) == [UNDEFINED, UNDEFINED]


@pytest.mark.clause("RET-4")
def test_return_value_of_an_async_event_is_an_ordinary_attribute(main: Main, start_page: StartPage) -> None:
    readings = Inbox()

    def on_async(event: IpcEvent) -> None:
        readings.put(event.return_value)
        event.return_value = "not an answer"
        readings.put(event.return_value)

    main.ipc.on("a", on_async)
    main.ipc.on("s", lambda event, *args: setattr(event, "return_value", "the answer"))
    page = start_page("call_ipc", "send", "a")
    assert readings.take(2) == [UNDEFINED, "not an answer"]
    # Nothing went to the page: its next sendSync gets its own answer.
    page.contents.load("ref_pages:sync_then_post", "s")
    assert page.posts.take(3) == [["returned", None], "before", ["returned", "the answer"]]


@pytest.mark.clause("RET-5", "BLK-2")
def test_answer_may_come_later_after_other_messages(main: Main, start_page: StartPage) -> None:
    waiting: list[SyncIpcEvent] = []
    other_handled = threading.Event()

    def hold(event: SyncIpcEvent) -> None:
        waiting.append(event)

    def on_other(event: IpcEvent, *args: object) -> None:
        other_handled.set()
        main.set_timeout(50, lambda: setattr(waiting[0], "return_value", "deferred"))

    main.ipc.on("s", hold)
    main.ipc.on("other", on_other)
    blocked = start_page("sync_then_post", "s", wait=False)
    assert blocked.posts.get() == "before"
    start_page("call_ipc", "send", "other")
    assert other_handled.wait(TIMEOUT)
    assert blocked.posts.get() == ["returned", "deferred"]


@pytest.mark.clause("RET-7")
@pytest.mark.parametrize("listener", [None, lambda event: None], ids=["no listener", "no assignment"])
def test_without_an_answer_the_page_stays_blocked(
    main: Main, start_page: StartPage, listener: Callable[[SyncIpcEvent], None] | None
) -> None:
    if listener is not None:
        main.ipc.on("s", listener)
    page = start_page("sync_then_post", "s", wait=False)
    assert page.posts.get() == "before"
    page.posts.assert_quiet()
    page.contents.destroy()
    assert is_gone(page.contents.pid)


@pytest.mark.clause("RET-8")
def test_answering_a_destroyed_page_is_ignored(main: Main, start_page: StartPage) -> None:
    waiting = Inbox()
    main.ipc.on("s", waiting.put)
    blocked = start_page("sync_then_post", "s", wait=False)
    event = waiting.get()
    blocked.contents.destroy()
    main.call(lambda: setattr(event, "return_value", "too late"))  # raises nothing
    other = start_page("sync_then_post", "s", wait=False)
    second = waiting.get()
    main.call(lambda: setattr(second, "return_value", "main goes on"))
    assert other.posts.take(2) == ["before", ["returned", "main goes on"]]
