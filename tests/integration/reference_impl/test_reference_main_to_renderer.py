"""Main to renderer (M2R) and the deprecated aliases (DEP) in the reference implementation."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from ref_helpers import QUIET, TIMEOUT, Inbox, LoadedPage

from reference_impl import IpcEvent, Main, SyncIpcEvent, WebContents

StartPage = Callable[..., LoadedPage]


@pytest.mark.clause("M2R-1", "M2R-2")
def test_page_listener_gets_the_arguments_only(main: Main, start_page: StartPage) -> None:
    page = start_page("record", "ping")
    page.contents.send("ping", "whoooooooh!", 2)
    page.contents.send("ping")
    assert page.posts.take(2) == [["ipc", "ping", ["whoooooooh!", 2]], ["ipc", "ping", []]]


@pytest.mark.clause("M2R-1", "M2R-3")
def test_event_sender_send_answers_the_sender_only(main: Main, start_page: StartPage) -> None:
    def echo(event: IpcEvent, message: object) -> None:
        event.sender.send("reply", message)

    main.ipc.on("asynchronous-message", echo)
    first = start_page("record_then_call", "reply", "send", "asynchronous-message", {"id": 1, "name": "ly"})
    second = start_page("record_then_call", "reply", "send", "asynchronous-message", "second")
    assert first.posts.take(2) == [["returned", None], ["ipc", "reply", [{"id": 1, "name": "ly"}]]]
    assert second.posts.take(2) == [["returned", None], ["ipc", "reply", ["second"]]]
    first.posts.assert_quiet()


@pytest.mark.clause("M2R-1", "M2R-8")
def test_send_returns_at_once_even_to_a_blocked_page(main: Main, start_page: StartPage) -> None:
    waiting = Inbox()
    main.ipc.on("block", waiting.put)
    page = start_page("record_then_sync", "c", "block", wait=False)
    held = waiting.get()
    started = time.monotonic()
    for number in range(1000):
        assert page.contents.send("c", number, "x" * 1000) is True  # more than a pipe holds
    assert time.monotonic() - started < TIMEOUT / 2
    assert not hasattr(page.contents, "send_sync")  # no synchronous message to a page
    main.call(lambda: setattr(held, "return_value", "done"))
    posts = page.posts.take(1002)
    assert ["returned", "done"] in posts
    assert [post for post in posts if post[0] == "ipc"] == [
        ["ipc", "c", [n, "x" * 1000]] for n in range(1000)
    ]


@pytest.mark.clause("M2R-4")
def test_event_sender_is_the_same_object_every_time(main: Main, start_page: StartPage) -> None:
    senders = Inbox()

    def on_async(event: IpcEvent) -> None:
        event.prevent_default()
        senders.put(event.sender, type(event), event.default_prevented)

    def on_sync(event: SyncIpcEvent) -> None:
        senders.put(event.sender, type(event), event.default_prevented)
        event.return_value = None

    main.ipc.on("a", on_async)
    main.ipc.on("s", on_sync)
    page = start_page("call_ipc", "send", "a")
    page.contents.load("ref_pages:call_ipc", "send_sync", "s")
    page.contents.load("ref_pages:call_ipc", "send", "a")
    observed = senders.take(3)
    assert all(sender is page.contents for sender, _, _ in observed)
    assert [(kind, prevented) for _, kind, prevented in observed] == [
        (IpcEvent, True),
        (SyncIpcEvent, False),
        (IpcEvent, True),
    ]


@pytest.mark.clause("M2R-5")
def test_message_before_the_listener_exists_is_dropped(main: Main, start_page: StartPage) -> None:
    def on_ready(event: IpcEvent) -> None:
        event.sender.send("c", "early")

    def on_registered(event: IpcEvent) -> None:
        event.sender.send("c", "late")

    main.ipc.on("ready", on_ready)
    main.ipc.on("registered", on_registered)
    page = start_page("late_listener")
    assert page.posts.get() == ["ipc", "c", ["late"]]
    page.posts.assert_quiet()


@pytest.mark.clause("M2R-6")
def test_send_to_a_destroyed_page_returns_false(main: Main, start_page: StartPage) -> None:
    page = start_page("idle")
    page.contents.destroy()
    assert page.contents.is_destroyed()
    assert page.contents.send("c", 1) is False


@pytest.mark.clause("M2R-7")
@pytest.mark.parametrize("channel", [1, None, b"bytes", ["c"]], ids=repr)
def test_non_string_channel_raises_type_error_in_main(
    main: Main, start_page: StartPage, channel: object
) -> None:
    page = start_page("record", "c")
    with pytest.raises(TypeError, match="str channel"):
        page.contents.send(channel, 1)  # type: ignore[arg-type]
    page.contents.send("c", "still works")
    assert page.posts.get() == ["ipc", "c", ["still works"]]


@pytest.mark.clause("DEP-1")
def test_send_channel_names_are_plain_aliases(main: Main, start_page: StartPage) -> None:
    seen = Inbox()
    main.ipc.on("dep", lambda event, arg: seen.put(arg))
    main.ipc.on("dep-sync", lambda event, arg: setattr(event, "return_value", arg * 10))
    page = start_page("deprecated_names")
    assert seen.get() == 1
    assert page.posts.get() == ["returned", 20, [], True, True]


def test_did_finish_load_follows_the_programs_messages(main: Main) -> None:
    order = Inbox()
    main.ipc.on("c", lambda event, *args: order.put("message"))
    contents: WebContents = main.create_page()
    contents.on("did-finish-load", lambda: order.put("did-finish-load"))
    contents.load("ref_pages:call_ipc", "send", "c")
    assert order.take(2) == ["message", "did-finish-load"]
    order.assert_quiet(within=QUIET / 4)
