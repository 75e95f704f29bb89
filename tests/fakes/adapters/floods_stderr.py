"""Fake adapter that writes 4 MiB to stderr before each answer, and answers correctly."""

import sys

from _fake import Request, answer_correctly, log, main

CHUNK = b"flooding stderr " * 4096


def flood(request: Request) -> None:
    for _ in range((4 << 20) // len(CHUNK)):
        sys.stderr.buffer.write(CHUNK)
    log(f"\nflood done before {request['cmd']}")
    answer_correctly(request)


main(flood, when="hello,reset,run,close")
