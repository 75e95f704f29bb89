"""Fake adapter that answers a run request with one line of 2 MiB (tests set a 1 MiB limit)."""

from _fake import Request, log, main, write


def too_long(request: Request) -> None:
    log("writing a 2 MiB line")
    write(b'"' + b"x" * (2 << 20) + b'"\n')


main(too_long)
