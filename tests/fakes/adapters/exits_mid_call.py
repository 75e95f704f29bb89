"""Fake adapter that exits with code 7 in the middle of a run request, without answering."""

import os

from _fake import Request, log, main


def crash(request: Request) -> None:
    log("crashing in the middle of run")
    os._exit(7)


main(crash)
