"""Fake adapter that answers the selected requests (default: every run) correctly but with seq + 100.

Argument: the selection (``_fake``).
"""

import json

from _fake import Request, arg, correct_answer, log, main, write


def wrong_seq(request: Request) -> None:
    log("answering with the wrong seq")
    data = json.loads(correct_answer(request))
    write(json.dumps({**data, "seq": request["seq"] + 100}).encode() + b"\n")


main(wrong_seq, when=arg(1, "run"))
