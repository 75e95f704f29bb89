"""Fake adapter that answers a run request with well-formed JSON whose trace has no ``main``."""

from _fake import Request, answer, log, main


def invalid_trace(request: Request) -> None:
    log("answering with a trace without main")
    answer(request["seq"], {"trace": {"processes": {}}})


main(invalid_trace)
