"""Fake adapter that answers a run request with a line that is not JSON."""

from _fake import Request, log, main, write


def garbage(request: Request) -> None:
    log("writing garbage")
    write(b"this is not json\n")


main(garbage)
