"""Fake adapter that never answers a run request (or the command given as argument), writing nothing."""

import sys
import time

from _fake import Request, log, main


def hang(request: Request) -> None:
    log(f"hanging in {request['cmd']}")
    time.sleep(3600)


main(hang, on=sys.argv[1] if len(sys.argv) > 1 else "run")
