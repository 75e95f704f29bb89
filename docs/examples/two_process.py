"""Two processes: main answers a sendSync and an async message; the page prints the answers."""

import threading

from reference_impl import Main, Page


def page_program(page: Page) -> None:  # runs in the renderer process
    print("page: sendSync returned", page.ipc.send_sync("synchronous-message", "ping"))

    def on_reply(answer: object) -> None:
        print("page: asynchronous-reply brought", answer)
        page.ipc.send("done")

    page.ipc.on("asynchronous-reply", on_reply)
    page.ipc.send("asynchronous-message", "ping")


if __name__ == "__main__":
    done = threading.Event()
    with Main() as main:
        main.ipc.on("synchronous-message", lambda event, arg: setattr(event, "return_value", "pong"))
        main.ipc.on(
            "asynchronous-message", lambda event, arg: event.sender.send("asynchronous-reply", "pong")
        )
        main.ipc.on("done", lambda event: done.set())
        main.create_page().load("two_process:page_program")  # "module:function", importable as in main
        done.wait(timeout=30)
