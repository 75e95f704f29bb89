"""Fake adapter that answers the selected requests (default: every run) with a line that is not JSON.

Argument: the selection (``_fake``).
"""

from _fake import Request, arg, log, main, write


def garbage(request: Request) -> None:
    log("writing garbage")
    write(b"this is not json\n")


main(garbage, when=arg(1, "run"))
