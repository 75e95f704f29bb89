"""Channels and dispatch (CH) and errors (ERR) in the reference implementation, with real processes."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from ref_helpers import Inbox, LoadedPage

from reference_impl import IpcEvent, Main, UnhandledErrorEvent

StartPage = Callable[..., LoadedPage]


@pytest.mark.clause("CH-1")
def test_every_argument_reaches_main_in_order(main: Main, start_page: StartPage) -> None:
    seen = Inbox()
    main.ipc.on("c", lambda event, *args: seen.put(args))
    start_page("call_ipc", "send", "c", 1, "two", [3], {"four": 4})
    start_page("call_ipc", "send", "c")
    assert [seen.get(), seen.get()] == [(1, "two", [3], {"four": 4}), ()]


@pytest.mark.clause("CH-2", "M2R-3")
def test_one_emitter_for_all_pages_and_sender_tells_them_apart(main: Main, start_page: StartPage) -> None:
    seen = Inbox()
    main.ipc.on("hello", lambda event, name: seen.put(event.sender, name))
    first = start_page("call_ipc", "send", "hello", "first")
    second = start_page("call_ipc", "send", "hello", "second")
    assert {seen.get(), seen.get()} == {(first.contents, "first"), (second.contents, "second")}


@pytest.mark.clause("CH-3")
def test_listeners_run_in_registration_order_with_one_event(main: Main, start_page: StartPage) -> None:
    seen = Inbox()
    for name in ("first", "second", "third"):
        main.ipc.on("c", lambda event, arg, name=name: seen.put(name, event, arg))
    start_page("call_ipc", "send", "c", 1)
    calls = seen.take(3)
    assert [call[0] for call in calls] == ["first", "second", "third"]
    events = {id(call[1]) for call in calls}
    assert len(events) == 1 and all(call[2] == 1 for call in calls)


@pytest.mark.clause("CH-3", "ORD-6")
def test_listener_added_during_dispatch_waits_for_the_next_message(main: Main, start_page: StartPage) -> None:
    seen = Inbox()

    def late(event: IpcEvent, number: int) -> None:
        seen.put("late", number)

    def adds_late(event: IpcEvent, number: int) -> None:
        seen.put("adds", number)
        if number == 0:
            main.ipc.on("c", late)

    main.ipc.on("c", adds_late)
    page = start_page("idle")
    page.contents.load("ref_pages:call_ipc", "send", "c", 0)
    assert seen.get() == ("adds", 0)
    page.contents.load("ref_pages:call_ipc", "send", "c", 1)
    assert seen.take(2) == [("adds", 1), ("late", 1)]
    seen.assert_quiet()


@pytest.mark.clause("CH-3")
def test_listener_removed_during_dispatch_still_runs_for_that_message(
    main: Main, start_page: StartPage
) -> None:
    seen = Inbox()

    def removed(event: IpcEvent, number: int) -> None:
        seen.put("removed", number)

    def removes(event: IpcEvent, number: int) -> None:
        seen.put("removes", number)
        main.ipc.remove_listener("c", removed)

    main.ipc.on("c", removes).on("c", removed)
    page = start_page("call_ipc", "send", "c", 0)
    assert seen.take(2) == [("removes", 0), ("removed", 0)]
    page.contents.load("ref_pages:call_ipc", "send", "c", 1)
    assert seen.get() == ("removes", 1)
    seen.assert_quiet()


@pytest.mark.clause("CH-3", "ERR-2")
def test_throwing_listener_stops_the_rest_and_surfaces_in_main_only(
    main: Main, start_page: StartPage, uncaught: Inbox
) -> None:
    seen = Inbox()

    def raises(event: IpcEvent, arg: object) -> None:
        raise ValueError("listener failed")

    main.ipc.on("c", lambda event, arg: seen.put("before", arg))
    main.ipc.on("c", raises)
    main.ipc.on("c", lambda event, arg: seen.put("after", arg))
    main.ipc.on("next", lambda event, arg: seen.put("next", arg))
    page = start_page("call_ipc", "send", "c", 1)
    assert page.posts.get() == ["returned", None]  # send returned normally in the page
    assert seen.get() == ("before", 1)
    error = uncaught.get()
    assert isinstance(error, ValueError) and str(error) == "listener failed"
    page.contents.load("ref_pages:call_ipc", "send", "next", 2)
    assert seen.get() == ("next", 2)  # neither main nor the page stopped
    assert page.posts.get() == ["returned", None]


@pytest.mark.clause("CH-3", "ERR-2")
def test_page_listener_exception_stays_in_the_page(main: Main, start_page: StartPage) -> None:
    page = start_page("listeners_in_order")
    page.contents.send("c", "x")
    page.contents.send("next")
    assert page.posts.take(3) == [
        ["listener", 1, ["x"]],
        ["uncaught", "ValueError", "listener 2 failed"],
        "next",
    ]


@pytest.mark.clause("CH-4")
def test_message_without_listener_is_dropped_silently(main: Main, start_page: StartPage) -> None:
    seen = Inbox()
    main.ipc.on("after", lambda event, index: seen.put("after"))
    page = start_page("send_on_names", ["nobody", "after"])
    assert page.posts.get() == "sent"
    assert seen.get() == "after"


@pytest.mark.clause("CH-5", "ERR-1", "SER-10")
def test_channel_is_converted_then_stringified(main: Main, start_page: StartPage) -> None:
    seen = Inbox()
    keys = ["1", "1.5", "0", "1e+21", "NaN", "true", "null", "[object Object]", "1,2,3,", "undefined", "7"]
    for key in keys:
        main.ipc.on(key, lambda event, *args, key=key: seen.put(key, args))
    main.ipc.on("7", lambda event, arg: setattr(event, "return_value", "answered"))
    page = start_page("send_odd_channels")
    expected = [
        ("1", ("int",)),
        ("1.5", ("float",)),
        ("0", ("negative zero",)),
        ("1e+21", ("big",)),
        ("NaN", ("nan",)),
        ("true", ("bool",)),
        ("null", ("null",)),
        ("null", ("explicit undefined",)),
        ("null", ("function",)),
        ("null", ("symbol",)),
        ("[object Object]", ("object",)),
        ("1,2,3,", ("array",)),
        ("[object Object]", (None,)),  # the argument is the channel object, met again
        ("undefined", ()),
        ("7", ("sync",)),
    ]
    assert seen.take(len(expected)) == expected
    assert page.posts.get() == ["returned", "answered"]


@pytest.mark.clause("CH-6")
def test_error_channel_without_listener_raises_in_main(
    main: Main, start_page: StartPage, uncaught: Inbox
) -> None:
    page = start_page("call_ipc", "send", "error", 1)
    assert isinstance(uncaught.get(), UnhandledErrorEvent)
    seen = Inbox()
    main.ipc.on("error", lambda event, arg: seen.put(arg))
    page.contents.load("ref_pages:call_ipc", "send", "error", 2)
    assert seen.get() == 2


@pytest.mark.clause("CH-6")
def test_error_channel_without_listener_raises_in_the_page(main: Main, start_page: StartPage) -> None:
    page = start_page("record", "other")
    page.contents.send("error", "boom")
    assert page.posts.get() == ["uncaught", "UnhandledErrorEvent", 'Uncaught, unspecified "error" event.']


CHANNEL_NAMES = [
    "",
    " ",
    "with space",
    "a.b",
    "a/b",
    "nul\x00byte",
    "ünïcødé",
    "😀",
    "\ud800",
    "ATOM_BROWSER_LIKE",
    "x" * 10_000,
]


@pytest.mark.clause("CH-7")
def test_any_string_is_a_channel_from_the_page(main: Main, start_page: StartPage) -> None:
    seen = Inbox()
    for name in CHANNEL_NAMES:
        main.ipc.on(name, lambda event, index, name=name: seen.put(name, index))
    start_page("send_on_names", CHANNEL_NAMES)
    assert seen.take(len(CHANNEL_NAMES)) == [(name, index) for index, name in enumerate(CHANNEL_NAMES)]
    seen.assert_quiet()


@pytest.mark.clause("CH-7")
def test_any_string_is_a_channel_to_the_page(main: Main, start_page: StartPage) -> None:
    page = start_page("record_names", CHANNEL_NAMES)
    assert page.posts.get() == "ready"
    for index, name in enumerate(CHANNEL_NAMES):
        page.contents.send(name, index)
    expected = [["ipc", name, [index]] for index, name in enumerate(CHANNEL_NAMES)]
    assert page.posts.take(len(CHANNEL_NAMES)) == expected


@pytest.mark.clause("CH-8")
def test_page_ipc_is_a_node_event_emitter(main: Main, start_page: StartPage) -> None:
    page = start_page("emitter_semantics")
    for channel in ("once", "once", "removed", "twice", "all", "done"):
        page.contents.send(channel)
    assert page.posts.get() == ["calls", ["once", "twice"]]
