"""Fake adapter that writes half an answer to the selected requests (default: every run), then exits.

Argument: the selection (``_fake``).
"""

import sys

from _fake import Request, arg, log, main, write


def partial(request: Request) -> None:
    log("writing half an answer")
    write(b'{"seq": %d, "ok": tr' % request["seq"])
    sys.exit(0)


main(partial, when=arg(1, "run"))
