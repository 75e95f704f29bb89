"""Fake adapter that answers the selected requests (default: every run) twice, in one write.

Argument: the selection (``_fake``).
"""

from _fake import Request, arg, correct_answer, log, main, write


def twice(request: Request) -> None:
    log(f"answering {request['cmd']} twice")
    write(correct_answer(request) * 2)


main(twice, when=arg(1, "run"))
