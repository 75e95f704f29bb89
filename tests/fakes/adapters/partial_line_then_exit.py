"""Fake adapter that writes half an answer to a run request, without a newline, then exits."""

import sys

from _fake import Request, log, main, write


def partial(request: Request) -> None:
    log("writing half an answer")
    write(b'{"seq": %d, "ok": tr' % request["seq"])
    sys.exit(0)


main(partial)
