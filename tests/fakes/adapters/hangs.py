"""Fake adapter that never answers the selected requests (default: every run), writing nothing.

Argument: the selection (``_fake``): ``hello``, ``reset``, ``sendSync`` (hangs only in
scenarios that call sendSync, and answers the others), ...
"""

import time

from _fake import Request, arg, log, main


def hang(request: Request) -> None:
    log(f"hanging in {request['cmd']}")
    time.sleep(3600)


main(hang, when=arg(1, "run"))
