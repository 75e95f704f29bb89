"""Fake adapter that answers the selected requests (default: every run) with a line that is not UTF-8.

Argument: the selection (``_fake``).
"""

from _fake import Request, arg, log, main, write


def invalid(request: Request) -> None:
    log("writing invalid UTF-8")
    write(b'{"seq": %d, "ok": true, "result": {"trace": "\xff\xfe"}}\n' % request["seq"])


main(invalid, when=arg(1, "run"))
