"""Plumbing shared by the fake adapters: the protocol spoken correctly, by hand.

Each fake adapter script answers like a correct adapter except in the one way its
docstring documents; the tests in ``tests/integration/adapters`` check that the
suite turns that misbehaviour into the right error.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

Request = dict[str, Any]

NAME = f"fake {Path(sys.argv[0]).stem}"
HELLO = {
    "protocol": 1,
    "implementation": {"name": NAME, "version": "0", "language": "python"},
    "edition": "v0.32",
    "capabilities": [],
    "valueKinds": ["null", "string"],
}
TRACE = {"processes": {"main": [{"type": "script-end", "t": 0}]}}


def requests() -> Iterator[Request]:
    """Yield the requests read from stdin, one per line."""
    for line in sys.stdin.buffer:
        yield json.loads(line)


def write(data: bytes) -> None:
    """Write raw bytes to stdout at once."""
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def log(message: str) -> None:
    """Write one line to stderr."""
    print(message, file=sys.stderr, flush=True)


def answer(seq: int, result: dict[str, Any]) -> None:
    """Write a successful answer with ``seq`` and ``result``."""
    write(json.dumps({"seq": seq, "ok": True, "result": result}).encode() + b"\n")


def answer_correctly(request: Request) -> None:
    """Answer ``request`` as a correct adapter does; exit after answering close."""
    results: dict[str, dict[str, Any]] = {"hello": HELLO, "run": {"trace": TRACE}}
    answer(request["seq"], results.get(request["cmd"], {}))
    if request["cmd"] == "close":
        sys.exit(0)


def main(misbehave: Callable[[Request], None], *, on: str = "run") -> None:
    """Answer every request correctly, except those with cmd ``on``: hand them to ``misbehave``."""
    for request in requests():
        if request["cmd"] == on:
            misbehave(request)
        else:
            answer_correctly(request)
