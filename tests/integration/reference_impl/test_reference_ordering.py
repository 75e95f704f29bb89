"""Ordering (ORD) in the reference implementation, with real processes."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from ref_helpers import Inbox, LoadedPage

from reference_impl import Main, SyncIpcEvent

StartPage = Callable[..., LoadedPage]


@pytest.mark.clause("ORD-1")
def test_all_kinds_of_message_are_dispatched_in_sending_order(main: Main, start_page: StartPage) -> None:
    seen = Inbox()

    def answer(event: SyncIpcEvent, number: int) -> None:
        seen.put(number)
        event.return_value = number

    main.ipc.on("a", lambda event, number: seen.put(number))
    main.ipc.on("b", lambda event, number: seen.put(number))
    main.ipc.on("sync", answer)
    page = start_page("send_mixed", 90)
    assert page.posts.get() == "sent"
    assert seen.take(90) == list(range(90))


@pytest.mark.clause("ORD-1", "ORD-3")
def test_send_to_host_keeps_its_place_among_a_guests_messages(main: Main, start_page: StartPage) -> None:
    host = start_page("embedder", "wv")

    def on_sync(event: SyncIpcEvent) -> None:
        host.contents.send("to-embedder", "sync handled")
        event.return_value = None

    main.ipc.on("s", on_sync)
    start_page("guest_host_then_sync", embedder=host.contents, element="wv")
    assert host.posts.take(2) == [
        ["ipc-message", "wv", "h", ["first"]],
        ["ipc", "to-embedder", ["sync handled"]],
    ]


@pytest.mark.clause("ORD-2")
def test_sends_before_a_sync_are_handled_before_it_and_later_ones_after(
    main: Main, start_page: StartPage
) -> None:
    seen = Inbox()
    handled: list[int] = []

    def on_sync(event: SyncIpcEvent) -> None:
        seen.put("sync", len(handled))
        event.return_value = "answer"

    main.ipc.on("a", lambda event, number: handled.append(number))
    main.ipc.on("s", on_sync)
    main.ipc.on("after", lambda event: seen.put("after", len(handled)))
    page = start_page("sends_then_sync", 50)
    assert seen.take(2) == [("sync", 50), ("after", 50)]
    assert handled == list(range(50))
    assert page.posts.get() == ["returned", "answer"]


@pytest.mark.clause("ORD-3", "M2R-1")
def test_web_contents_send_is_delivered_in_call_order(main: Main, start_page: StartPage) -> None:
    page = start_page("collect_until_done", "x", "y", "z")
    expected = []
    for number in range(300):
        channel = "xyz"[number % 3]
        assert page.contents.send(channel, number, {"n": number}) is True
        expected.append([channel, [number, {"n": number}]])
    page.contents.send("done")
    assert page.posts.get() == ["seen", expected]


@pytest.mark.clause("ORD-5", "HOST-1")
def test_send_to_host_messages_arrive_in_order(main: Main, start_page: StartPage) -> None:
    host = start_page("embedder", "wv")
    start_page("guest_flood", 200, embedder=host.contents, element="wv")
    assert host.posts.take(200) == [["ipc-message", "wv", "h", [number]] for number in range(200)]


@pytest.mark.clause("ORD-6")
def test_every_listener_gets_every_message_once_in_main(main: Main, start_page: StartPage) -> None:
    first: list[int] = []
    second: list[int] = []
    done = Inbox()

    def on_sync(event: SyncIpcEvent, number: int) -> None:
        done.put(number)
        event.return_value = None

    main.ipc.on("a", lambda event, number: first.append(number))
    main.ipc.on("b", lambda event, number: first.append(number))
    main.ipc.on("a", lambda event, number: second.append(number))
    main.ipc.on("b", lambda event, number: second.append(number))
    main.ipc.on("sync", on_sync)
    start_page("send_mixed", 300)
    for _ in range(100):
        done.get()
    sent_async = [number for number in range(300) if number % 3 != 2]
    assert main.call(lambda: (list(first), list(second))) == (sent_async, sent_async)


@pytest.mark.clause("ORD-6")
def test_every_listener_gets_every_message_once_in_the_page(main: Main, start_page: StartPage) -> None:
    page = start_page("collect_until_done", "x", "x")  # two listeners on "x"
    for number in range(200):
        page.contents.send("x", number)
    page.contents.send("done")
    seen = page.posts.get()
    assert seen == ["seen", [["x", [number]] for number in range(200) for _ in range(2)]]


@pytest.mark.clause("ORD-6", "BLK-1")
def test_messages_to_a_blocked_page_are_all_delivered_in_order(main: Main, start_page: StartPage) -> None:
    def on_block(event: SyncIpcEvent) -> None:
        for number in range(100):
            event.sender.send("c", number)
        main.set_timeout(200, lambda: setattr(event, "return_value", "late"))

    main.ipc.on("block", on_block)
    page = start_page("record_then_sync", "c", "block")
    posts = page.posts.take(102)
    assert posts[0] == "before"
    returned = posts.index(["returned", "late"])
    messages = posts[1:returned] + posts[returned + 1 :]
    assert messages == [["ipc", "c", [number]] for number in range(100)]
