"""The example of Electron's ipc-main-process.md, run for real: ``python -m reference_impl.demo``.

Main answers ``'synchronous-message'`` through ``event.return_value`` and
``'asynchronous-message'`` through ``event.sender.send``; the page, a separate
process, sends both and prints the answers. Each side prints what it saw.
"""

from __future__ import annotations

import sys
import threading

from reference_impl.main_events import IpcEvent, SyncIpcEvent
from reference_impl.main_process import Main
from reference_impl.page import Page

_TIMEOUT = 30.0


def page_program(page: Page) -> None:
    """The renderer side (a web page in Electron)."""
    print(f"page: sendSync returned {page.ipc.send_sync('synchronous-message', 'ping')!r}")

    def on_reply(arg: object) -> None:
        print(f"page: 'asynchronous-reply' brought {arg!r}")
        page.ipc.send("demo-finished")

    page.ipc.on("asynchronous-reply", on_reply)
    page.ipc.send("asynchronous-message", "ping")


def run() -> int:
    """Run the example; return the exit status."""
    finished = threading.Event()

    def on_asynchronous(event: IpcEvent, arg: object) -> None:
        print(f"main: 'asynchronous-message' brought {arg!r}", flush=True)
        event.sender.send("asynchronous-reply", "pong")

    def on_synchronous(event: SyncIpcEvent, arg: object) -> None:
        print(f"main: 'synchronous-message' brought {arg!r}", flush=True)
        event.return_value = "pong"

    with Main() as main:
        main.ipc.on("asynchronous-message", on_asynchronous)
        main.ipc.on("synchronous-message", on_synchronous)
        main.ipc.on("demo-finished", lambda event: finished.set())
        page = main.create_page()
        print(f"main: started page {page.id} (process {page.pid})", flush=True)
        page.load("reference_impl.demo:page_program")
        if not finished.wait(_TIMEOUT):
            print(f"main: the page did not finish within {_TIMEOUT} s", file=sys.stderr)
            return 1
    print("main: closed; the page's process is gone")
    return 0


if __name__ == "__main__":
    sys.exit(run())
