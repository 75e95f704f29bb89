"""Plumbing shared by the fake adapters: the reference implementation behind the protocol, by hand.

A fake answers every request as a correct adapter does (the reference
implementation runs each scenario, so the suite's tests pass) except the requests
its selection picks, which it hands to its misbehaviour.  A selection is a comma
list of: a command (``hello``, ``reset``, ``run``, ``close``); ``sendSync`` (runs of
scenarios that call ``sendSync``); ``after:N`` (runs after the first N of this
process).  Each fake takes its selection as an optional argument, documented in its
docstring, and logs ``start <pid>`` to the file named by ``FAKE_ADAPTER_LOG``, if set.
"""

from __future__ import annotations

import itertools
import json
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from conformance.adapters.messages import (
    CloseResponse,
    ErrorResponse,
    HelloResponse,
    ResetResponse,
    RunResponse,
    encode_line,
)
from conformance.adapters.reference.adapter import ReferenceAdapter

Request = dict[str, Any]
Selection = Callable[[Request], bool]

NAME = f"fake {Path(sys.argv[0]).stem}"
CALL_TIMEOUT = 60.0
_SYNC_OPS = frozenset({"sendSync", "sendChannelSync"})
_PROTOCOL_FD = os.dup(1)
os.dup2(2, 1)  # the reference's pages and stray prints write to stderr, never into the protocol
_reference = ReferenceAdapter()
_runs = itertools.count()


def arg(index: int, default: str) -> str:
    """Return command line argument ``index`` (1 is the first), or ``default``."""
    return sys.argv[index] if len(sys.argv) > index else default


def _calls_send_sync(node: object) -> bool:
    if isinstance(node, dict):
        return node.get("op") in _SYNC_OPS or any(_calls_send_sync(v) for v in node.values())
    return isinstance(node, list) and any(_calls_send_sync(v) for v in node)


def _selector(word: str) -> Selection:
    if word in ("hello", "reset", "run", "close"):
        return lambda request: request["cmd"] == word
    if word == "sendSync":
        return lambda request: request["cmd"] == "run" and _calls_send_sync(request["scenario"])
    if word.startswith("after:"):
        first = int(word.removeprefix("after:"))
        return lambda request: request["cmd"] == "run" and next(_runs) >= first
    raise SystemExit(f"unknown selection {word!r}: expected hello, reset, run, close, sendSync or after:N")


def selection(text: str) -> Selection:
    """Return the selection ``text`` (a comma list, see the module docstring) as a predicate."""
    selectors = [_selector(word) for word in text.split(",")]
    return lambda request: any([select(request) for select in selectors])  # every counter counts


def requests() -> Iterator[Request]:
    """Yield the requests read from stdin, one per line; log this start first."""
    if log := os.environ.get("FAKE_ADAPTER_LOG"):
        with open(log, "a", encoding="utf-8") as file:
            file.write(f"start {os.getpid()}\n")
    for line in sys.stdin.buffer:
        yield json.loads(line)


def write(data: bytes) -> None:
    """Write raw bytes to the protocol output at once."""
    view = memoryview(data)
    while view:
        view = view[os.write(_PROTOCOL_FD, view) :]


def log(message: str) -> None:
    """Write one line to stderr."""
    print(message, file=sys.stderr, flush=True)


def answer(seq: int, result: dict[str, Any]) -> None:
    """Write a successful answer with ``seq`` and ``result``."""
    write(json.dumps({"seq": seq, "ok": True, "result": result}).encode() + b"\n")


def correct_answer(request: Request) -> bytes:
    """Return the line a correct adapter answers ``request`` with (the reference runs it)."""
    seq = request["seq"]
    try:
        match request["cmd"]:
            case "hello":
                hello = _reference.hello()
                named = HelloResponse(seq, hello).to_json()
                named["result"]["implementation"]["name"] = NAME
                return encode_line(named)
            case "reset":
                _reference.reset(timeout=CALL_TIMEOUT)
                return encode_line(ResetResponse(seq).to_json())
            case "run":
                trace = _reference.run(request["scenario"], timeout=CALL_TIMEOUT)
                return encode_line(RunResponse(seq, trace).to_json())
            case _:
                _reference.close()
                return encode_line(CloseResponse(seq).to_json())
    except Exception as error:
        return encode_line(ErrorResponse(seq, f"{type(error).__name__}: {error}").to_json())


def answer_correctly(request: Request) -> None:
    """Answer ``request`` as a correct adapter does; exit after answering close."""
    write(correct_answer(request))
    if request["cmd"] == "close":
        sys.exit(0)


def main(misbehave: Callable[[Request], None], *, when: str = "run") -> None:
    """Answer every request correctly, except those ``selection(when)`` picks: hand them to ``misbehave``."""
    selected = selection(when)
    for request in requests():
        if selected(request):
            misbehave(request)
        else:
            answer_correctly(request)
    _reference.close()
