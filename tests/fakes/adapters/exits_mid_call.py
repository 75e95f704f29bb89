"""Fake adapter that exits with code 7 in the middle of the selected requests (default: every run).

Argument: the selection (``_fake``), e.g. ``sendSync``.
"""

import os

from _fake import Request, arg, log, main


def crash(request: Request) -> None:
    log(f"crashing in the middle of {request['cmd']}")
    os._exit(7)


main(crash, when=arg(1, "run"))
