"""Fake adapter that claims protocol version 2 in its hello answer."""

from _fake import HELLO, Request, answer, log, main


def hello_v2(request: Request) -> None:
    log("speaking protocol 2")
    answer(request["seq"], {**HELLO, "protocol": 2})


main(hello_v2, on="hello")
