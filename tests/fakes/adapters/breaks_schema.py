"""Fake adapter that answers the selected requests (default: every run) with a trace without ``main``.

Argument: the selection (``_fake``).  The line is well-formed JSON.
"""

from _fake import Request, answer, arg, log, main


def invalid_trace(request: Request) -> None:
    log("answering with a trace without main")
    answer(request["seq"], {"trace": {"processes": {}}})


main(invalid_trace, when=arg(1, "run"))
