"""Fake adapter that answers a run request with a ``seq`` 100 too high."""

from _fake import TRACE, Request, answer, log, main


def wrong_seq(request: Request) -> None:
    log("answering with the wrong seq")
    answer(request["seq"] + 100, {"trace": TRACE})


main(wrong_seq)
