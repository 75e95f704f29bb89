"""Fake adapter that answers correctly, but only after S seconds, in the selected requests.

Arguments: S (default 1.5), and the selection (``_fake``; default ``reset,run``).
"""

import time

from _fake import Request, answer_correctly, arg, log, main

SECONDS = float(arg(1, "1.5"))


def slowly(request: Request) -> None:
    log(f"thinking for {SECONDS} s")
    time.sleep(SECONDS)
    answer_correctly(request)


main(slowly, when=arg(2, "reset,run"))
