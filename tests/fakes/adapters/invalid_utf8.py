"""Fake adapter that answers a run request with a line that is not valid UTF-8."""

from _fake import Request, log, main, write


def invalid(request: Request) -> None:
    log("writing invalid UTF-8")
    write(b'{"seq": %d, "ok": true, "result": {"trace": "\xff\xfe"}}\n' % request["seq"])


main(invalid)
