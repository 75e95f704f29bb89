"""Fake adapter that ignores SIGTERM, hangs in the selected requests, and stays after answering close.

Argument: the selection (``_fake``; default: every run).
"""

import signal
import time

from _fake import Request, answer, arg, log, main

signal.signal(signal.SIGTERM, signal.SIG_IGN)


def deaf(request: Request) -> None:
    if request["cmd"] != "close":
        log(f"hanging in {request['cmd']}, deaf to SIGTERM")
        time.sleep(3600)
        return
    answer(request["seq"], {})
    log("answered close, staying, deaf to SIGTERM")
    time.sleep(3600)


main(deaf, when=arg(1, "run") + ",close")
