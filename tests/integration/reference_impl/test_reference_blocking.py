"""Blocking (BLK) in the reference implementation, with real processes."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from ref_helpers import Inbox, LoadedPage

from reference_impl import IpcEvent, Main, SyncIpcEvent

StartPage = Callable[..., LoadedPage]


@pytest.mark.clause("BLK-1", "RET-5")
def test_send_sync_blocks_the_script_until_main_answers(main: Main) -> None:
    answered_at: list[float] = []

    def answer_later(event: SyncIpcEvent) -> None:
        def answer() -> None:
            answered_at.append(time.monotonic())
            event.return_value = "late"

        main.set_timeout(300, answer)

    main.ipc.on("s", answer_later)
    page = main.create_page()
    arrivals = Inbox()
    page.on("console-message", lambda value: arrivals.put(value, time.monotonic()))
    page.load("ref_pages:sync_then_post", "s")
    assert arrivals.get()[0] == "before"
    value, returned_at = arrivals.get()
    assert value == ["returned", "late"]
    assert returned_at >= answered_at[0]  # the script went on only after main answered


@pytest.mark.clause("BLK-1")
def test_timers_do_not_run_while_blocked(main: Main, start_page: StartPage) -> None:
    main.ipc.on("block", lambda event: main.set_timeout(400, lambda: setattr(event, "return_value", "done")))
    page = start_page("timers_wait_for_sync")
    assert page.posts.take(2) == [["returned", "done"], "tick"]


@pytest.mark.clause("BLK-2")
def test_main_keeps_serving_other_pages_while_one_waits(main: Main, start_page: StartPage) -> None:
    waiting = Inbox()
    main.ipc.on("block", waiting.put)

    def echo(event: IpcEvent, *args: object) -> None:
        event.sender.send("echo", *args)

    main.ipc.on("ping", echo)
    blocked = start_page("sync_then_post", "block", wait=False)
    assert blocked.posts.get() == "before"
    held = waiting.get()
    other = start_page("record_then_call", "echo", "send", "ping", 1)
    assert other.posts.take(2) == [["returned", None], ["ipc", "echo", [1]]]  # a round trip through main
    assert other.contents.send("echo", 2) is True  # main sends to other pages
    assert other.posts.get() == ["ipc", "echo", [2]]
    timer_ran = Inbox()
    main.set_timeout(0, timer_ran.put, "main's timers run")
    assert timer_ran.get() == "main's timers run"
    blocked.posts.assert_quiet(within=0)
    main.call(lambda: setattr(held, "return_value", "released"))
    assert blocked.posts.get() == ["returned", "released"]
