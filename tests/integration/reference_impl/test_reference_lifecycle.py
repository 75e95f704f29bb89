"""Processes, pages and main's thread in the reference implementation: no clause, the machinery under them."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from ref_helpers import TIMEOUT, Inbox, LoadedPage, has_exited, is_gone, load

from reference_impl import Main

StartPage = Callable[..., LoadedPage]
ROOT = str(Path(__file__).resolve().parents[3])


def test_close_leaves_no_process_behind() -> None:
    with Main() as main:
        pages = [main.create_page() for _ in range(3)]
        guest = main.create_guest(pages[0], "wv")
        pids = [page.pid for page in [*pages, guest]]
        assert not any(is_gone(pid) for pid in pids)
    assert all(is_gone(pid) for pid in pids)
    assert all(page.is_destroyed() for page in [*pages, guest])


def test_close_with_a_timeout_kills_the_pages_of_a_stuck_main() -> None:
    """Main code that never returns cannot keep ``close(timeout=...)`` waiting, nor its pages alive."""
    main = Main()
    pages = [main.create_page() for _ in range(2)]
    pids = [page.pid for page in pages]
    release = threading.Event()
    main.call_soon(release.wait)  # main's thread is stuck until the test ends
    try:
        main.close(timeout=0.5)
        assert all(is_gone(pid) for pid in pids)
    finally:
        release.set()


def test_renderer_exits_when_main_dies() -> None:
    script = "from reference_impl import Main; print(Main().create_page().pid, flush=True); input()"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [ROOT, os.environ.get("PYTHONPATH")])))
    with subprocess.Popen(
        [sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env
    ) as main_process:
        assert main_process.stdout is not None
        page_pid = int(main_process.stdout.readline())
        main_process.kill()  # no close, no atexit: the renderer only sees its pipe close
    deadline = time.monotonic() + TIMEOUT
    while not has_exited(page_pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert has_exited(page_pid)


def test_destroy_reaps_the_process_and_fires_destroyed(main: Main) -> None:
    page = main.create_page()
    events = Inbox()
    page.on("destroyed", lambda: events.put("destroyed"))
    page.destroy()
    assert events.get() == "destroyed"
    assert is_gone(page.pid)
    page.destroy()  # a second time does nothing
    events.assert_quiet(within=0)


def test_crashed_renderer_fires_crashed_then_destroyed(main: Main) -> None:
    page = main.create_page()
    events = Inbox()
    page.on("crashed", lambda: events.put("crashed"))
    page.on("destroyed", lambda: events.put("destroyed"))
    page.load("ref_pages:crash")
    assert events.take(2) == ["crashed", "destroyed"]
    assert page.is_destroyed() and is_gone(page.pid)


def test_load_drops_listeners_timers_and_webviews(main: Main, start_page: StartPage) -> None:
    page = start_page("idle")
    guest = start_page("guest_sending", "send_to_host", "h", embedder=page.contents)
    load(page.contents, "leave_traces")
    page.contents.load("ref_pages:idle")
    page.contents.send("c")
    guest.contents.send("go")
    assert guest.posts.get() == ["returned", None]
    page.posts.assert_quiet(within=1.2)  # longer than the old timer's second


def test_page_timers_run_in_due_order_and_can_be_cleared(main: Main, start_page: StartPage) -> None:
    page = start_page("timers")
    assert page.posts.take(3) == ["first", "second", ["uncaught", "ZeroDivisionError", "division by zero"]]
    page.posts.assert_quiet()


def test_failing_page_program_is_reported_in_the_page(main: Main, start_page: StartPage) -> None:
    page = start_page("raises")
    assert page.posts.get() == ["uncaught", "RuntimeError", "page program failed"]
    page.contents.load("ref_pages:post_id")
    assert page.posts.get() == ["id", page.contents.id]


def test_web_contents_post_reaches_on_message_hooks_in_order(main: Main, start_page: StartPage) -> None:
    page = start_page("echo_main_posts")
    page.contents.send("c", 1)
    assert page.contents.post({"m": [2]}) is True
    page.contents.send("c", 3)
    assert page.posts.take(3) == [["ipc", "c", [1]], ["message", {"m": [2]}], ["ipc", "c", [3]]]
    page.contents.load("ref_pages:idle")
    page.contents.post("nobody listens")
    page.posts.assert_quiet()
    page.contents.destroy()
    assert page.contents.post("gone") is False


def test_renderer_that_cannot_start_is_an_error(main: Main, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "executable", "/bin/false")
    with pytest.raises(RuntimeError, match="before it was ready"):
        main.create_page()


def test_load_checks_the_program_name(main: Main) -> None:
    page = main.create_page()
    with pytest.raises(ValueError, match="module:function"):
        page.load("no_colon")
    page.destroy()
    with pytest.raises(RuntimeError, match="destroyed"):
        page.load("ref_pages:idle")


def test_main_timers_and_calls_run_on_mains_thread(main: Main, uncaught: Inbox) -> None:
    threads = Inbox()
    cleared = main.set_timeout(10, threads.put, "cleared")
    main.clear_timeout(cleared)
    main.set_timeout(20, lambda: threads.put(threading.current_thread()))
    main.call_soon(lambda: threads.put(threading.current_thread()))
    first, second = threads.take(2)
    assert first is second is not threading.current_thread()
    assert main.call(lambda x: x * 2, 21) == 42
    assert main.call(main.call, lambda: "nested") == "nested"
    with pytest.raises(KeyError):
        main.call({}.__getitem__, "missing")
    main.set_timeout(0, lambda: 1 / 0)
    assert isinstance(uncaught.get(), ZeroDivisionError)
    threads.assert_quiet()


def test_call_times_out(main: Main) -> None:
    release = threading.Event()
    main.call_soon(release.wait, TIMEOUT)
    with pytest.raises(TimeoutError):
        main.call(lambda: None, timeout=0.2)
    release.set()


def test_closed_main_refuses_work() -> None:
    main = Main()
    main.close()
    main.close()
    with pytest.raises(RuntimeError, match="closed"):
        main.create_page()
    with pytest.raises(RuntimeError, match="closed"):
        main.call_soon(print)


def test_close_from_a_listener(start_page: StartPage, main: Main) -> None:
    page = start_page("idle")
    closed = Inbox()

    def close(event: object) -> None:
        main.close()
        closed.put("closed")

    main.ipc.on("close", close)
    page.contents.load("ref_pages:call_ipc", "send", "close")
    assert closed.get() == "closed"
    assert is_gone(page.contents.pid)
    with pytest.raises(RuntimeError, match="closed"):
        main.create_page()
