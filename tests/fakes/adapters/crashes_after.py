"""Fake adapter that runs N scenarios correctly, then exits with code 9 in the next run.

Argument: N (default 3).  A restarted adapter runs N scenarios again.
"""

import os

from _fake import Request, arg, log, main

N = int(arg(1, "3"))


def crash(request: Request) -> None:
    log(f"crashing after {N} scenarios")
    os._exit(9)


main(crash, when=f"after:{N}")
