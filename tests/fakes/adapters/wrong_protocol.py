"""Fake adapter that claims protocol version 2 in its hello answer."""

import json

from _fake import Request, correct_answer, log, main, write


def hello_v2(request: Request) -> None:
    log("speaking protocol 2")
    data = json.loads(correct_answer(request))
    data["result"]["protocol"] = 2
    write(json.dumps(data).encode() + b"\n")


main(hello_v2, when="hello")
