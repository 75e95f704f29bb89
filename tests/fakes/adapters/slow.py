"""Fake adapter that answers a run request correctly, but only after 1.5 s."""

import time

from _fake import Request, answer_correctly, log, main


def slowly(request: Request) -> None:
    log("thinking for 1.5 s")
    time.sleep(1.5)
    answer_correctly(request)


main(slowly)
