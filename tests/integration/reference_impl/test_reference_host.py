"""Routing to the host page (HOST) in the reference implementation, with real processes."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from ref_helpers import Inbox, LoadedPage

from reference_impl import Main

StartPage = Callable[..., LoadedPage]


@pytest.mark.clause("HOST-1", "HOST-2")
def test_send_to_host_reaches_only_the_embedders_webview(main: Main, start_page: StartPage) -> None:
    seen_by_main = Inbox()
    main.ipc.on("pong", lambda event, *args: seen_by_main.put(args))
    host = start_page("embedder", "wv", "other-element")
    bystander = start_page("embedder", "wv")
    guest = start_page("guest_sending", "send_to_host", "pong", "arg1", {"n": 2}, embedder=host.contents)
    guest.contents.send("go")
    assert guest.posts.get() == ["returned", None]
    assert host.posts.get() == ["ipc-message", "wv", "pong", ["arg1", {"n": 2}]]
    host.posts.assert_quiet()  # not on the other element
    bystander.posts.assert_quiet(within=0)
    seen_by_main.assert_quiet(within=0)


@pytest.mark.clause("HOST-1")
def test_each_guest_reaches_its_own_element(main: Main, start_page: StartPage) -> None:
    host = start_page("embedder", "left", "right")
    left = start_page("guest_sending", "send_to_host", "from", "left", embedder=host.contents, element="left")
    right = start_page(
        "guest_sending", "send_to_host", "from", "right", embedder=host.contents, element="right"
    )
    left.contents.send("go")
    assert host.posts.get() == ["ipc-message", "left", "from", ["left"]]
    right.contents.send("go")
    assert host.posts.get() == ["ipc-message", "right", "from", ["right"]]


@pytest.mark.clause("HOST-3")
def test_host_channel_is_converted_not_stringified(main: Main, start_page: StartPage) -> None:
    host = start_page("embedder", "wv")
    start_page("guest_to_host_odd_channels", embedder=host.contents)
    assert host.posts.take(5) == [
        ["ipc-message", "wv", 5, ["five"]],
        ["ipc-message", "wv", None, []],
        ["ipc-message", "wv", None, ["undefined"]],
        ["ipc-message", "wv", {"a": 1}, ["object"]],
        ["ipc-message", "wv", None, ["function"]],
    ]


@pytest.mark.clause("HOST-4")
def test_send_to_host_from_a_top_level_page_is_dropped(main: Main, start_page: StartPage) -> None:
    seen_by_main = Inbox()
    main.ipc.on("h", lambda event, *args: seen_by_main.put(args))
    main.ipc.on("undefined", lambda event, *args: seen_by_main.put(args))
    bystander = start_page("embedder", "wv")
    page = start_page("not_a_guest_to_host")
    assert page.posts.get() == "sent"
    seen_by_main.assert_quiet()
    bystander.posts.assert_quiet(within=0)


@pytest.mark.clause("HOST-5", "HOST-6")
def test_webview_send_reaches_the_guests_listeners(main: Main, start_page: StartPage) -> None:
    host = start_page("embedder_sending", "wv", "ping", {"id": 1, "name": "ly"})
    guest = start_page("record", "ping", embedder=host.contents)
    host.contents.send("go")
    assert host.posts.get()[0] == "webview-sent"
    assert guest.posts.get() == ["ipc", "ping", [{"id": 1, "name": "ly"}]]


@pytest.mark.clause("HOST-1", "HOST-5")
def test_electron_spec_ping_pong_through_a_webview(main: Main, start_page: StartPage) -> None:
    message = {"id": 1, "name": "ly"}
    host = start_page("webview_ping_pong", "wv", message)
    start_page("pong_to_host", embedder=host.contents)
    host.contents.send("go")
    assert host.posts.get() == ["ipc-message", "pong", [message]]


@pytest.mark.clause("HOST-6")
def test_webview_send_without_guest_raises_type_error(main: Main, start_page: StartPage) -> None:
    host = start_page("embedder_sending", "wv", "ping")
    host.contents.send("go")
    kind, message = host.posts.get()
    assert kind == "TypeError" and "wv" in message
    guest = start_page("idle", embedder=host.contents)
    guest.contents.destroy()
    host.contents.send("go")
    assert host.posts.get()[0] == "TypeError"


@pytest.mark.clause("HOST-6")
def test_webview_send_blocks_until_main_handed_it_on(main: Main, start_page: StartPage) -> None:
    main.ipc.on("busy", lambda event: time.sleep(0.4))  # main is busy: the embedder must wait for it
    host = start_page("idle")
    guest = start_page("record", "ping", embedder=host.contents)
    host.contents.load("ref_pages:embedder_sending_after_busy", "wv")
    kind, blocked_for = host.posts.get()
    assert kind == "webview-sent" and blocked_for >= 0.2
    assert guest.posts.get() == ["ipc", "ping", []]


@pytest.mark.clause("HOST-2")
def test_destroying_the_embedder_destroys_its_guests(main: Main, start_page: StartPage) -> None:
    host = start_page("embedder", "wv")
    guest = start_page("idle", embedder=host.contents)
    destroyed = Inbox()
    guest.contents.on("destroyed", lambda: destroyed.put("guest destroyed"))
    host.contents.destroy()
    assert destroyed.get() == "guest destroyed"
    assert guest.contents.is_destroyed()
    with pytest.raises(ValueError, match="destroyed"):
        main.create_guest(host.contents, "wv")


def test_an_element_holds_one_guest_at_a_time(main: Main, start_page: StartPage) -> None:
    host = start_page("embedder", "wv")
    first = start_page("idle", embedder=host.contents)
    with pytest.raises(ValueError, match="already has a guest"):
        main.create_guest(host.contents, "wv")
    first.contents.destroy()
    assert main.guest(host.contents, "wv") is None
    second = start_page("idle", embedder=host.contents)
    assert main.guest(host.contents, "wv") is second.contents
