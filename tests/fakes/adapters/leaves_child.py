"""Fake adapter that, in a run request, starts a child holding its pipes open and then exits.

The child sleeps for a minute with the adapter's stdin, stdout and stderr, so the
suite sees no end of output: it must notice that the adapter itself has exited.
"""

import subprocess
import sys

from _fake import Request, log, main


def leave_child(request: Request) -> None:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    log(f"child pid {child.pid}")
    sys.exit(0)


main(leave_child)
