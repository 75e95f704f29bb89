"""Fake adapter that, in the selected requests (default: every run), starts a child and exits.

The child sleeps for a minute holding the adapter's stdin, stdout and stderr, so the
suite sees no end of output: it must notice that the adapter itself has exited.
Arguments: the selection (``_fake``), and ``detached`` to start the child in a
session of its own, out of the adapter's process group.
"""

import subprocess
import sys

from _fake import Request, arg, log, main

DETACHED = arg(2, "") == "detached"


def leave_child(request: Request) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(60)"], start_new_session=DETACHED
    )
    log(f"child pid {child.pid}")
    sys.exit(0)


main(leave_child, when=arg(1, "run"))
