"""Fake adapter that answers the selected requests (default: every run) with one line of M MiB.

Arguments: the selection (``_fake``), and M (default 100).  The line is the start
of a valid answer whose trace is a string of M MiB, written in 1 MiB pieces.
"""

from _fake import Request, arg, log, main, write

MIB = int(arg(2, "100"))
PIECE = b"x" * (1 << 20)


def too_long(request: Request) -> None:
    log(f"writing a {MIB} MiB line")
    write(b'{"seq": %d, "ok": true, "result": {"trace": "' % request["seq"])
    for _ in range(MIB):
        write(PIECE)
    write(b'"}}\n')


main(too_long, when=arg(1, "run"))
