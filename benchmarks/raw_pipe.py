"""The physical limit for this design: two Python processes speaking newline-delimited JSON over a pipe.

The baselines of ``reference_ipc``: the same pipes (``os.pipe``, one per direction,
as ``reference_impl.renderer_process`` makes them), the same framing (one JSON
line per message, one ``os.write`` per message), stdlib ``json``, and none of the
reference implementation's work (argument conversion, events, listeners, threads).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Final

__all__ = ["PAYLOAD", "flood", "ping_pong"]

PAYLOAD: Final[list[object]] = [1, "two", {"three": [3.5, True, None]}]
"""Small JSON-like arguments: every message of the IPC benchmarks carries these after a channel."""

_CHILD: Final = Path(__file__).with_name("_raw_child.py")
_READ_SIZE: Final = 1 << 16
_TIMEOUT: Final = 120.0


def _spawn(mode: str, count: int) -> tuple[subprocess.Popen[bytes], int, int]:
    """Start the child; return it, the fd main reads and the fd main writes."""
    to_child_read, to_child_write = os.pipe()
    from_child_read, from_child_write = os.pipe()
    child_fds = (to_child_read, from_child_write)
    argv = [sys.executable, "-S", str(_CHILD), mode, *map(str, child_fds), str(count), json.dumps(PAYLOAD)]
    try:
        popen = subprocess.Popen(argv, pass_fds=child_fds, stdin=subprocess.DEVNULL)
    finally:
        for fd in child_fds:
            os.close(fd)
    return popen, from_child_read, to_child_write


def _finish(popen: subprocess.Popen[bytes], *fds: int) -> None:
    for fd in fds:
        os.close(fd)
    if popen.wait(timeout=_TIMEOUT) != 0:
        raise RuntimeError(f"the raw pipe child exited with status {popen.returncode}")


def ping_pong(count: int) -> float:
    """Return the seconds per round trip of ``count`` request/answer pairs, timed in the child.

    Main answers each JSON line with the JSON of its second element, as a
    ``sendSync`` listener assigning ``returnValue`` would.
    """
    popen, read_fd, write_fd = _spawn("pingpong", count)
    reader = os.fdopen(read_fd, "rb", closefd=False)
    try:
        while True:
            line = reader.readline()
            if not line:
                raise RuntimeError("the raw pipe child closed its pipe before reporting")
            message = json.loads(line)
            if isinstance(message, dict):
                return float(message["seconds"]) / count
            answer = json.dumps(message[1], separators=(",", ":")).encode() + b"\n"
            os.write(write_fd, answer)
    finally:
        reader.close()
        _finish(popen, read_fd, write_fd)


def flood(count: int) -> float:
    """Return messages per second: the child writes ``count`` JSON lines, main reads and decodes them.

    Timed from the child's clock before its first message to main's clock after it
    decoded the last one (``time.monotonic`` is one clock for both processes).
    """
    popen, read_fd, write_fd = _spawn("flood", count)
    start: float | None = None
    received = 0
    buffer = b""
    try:
        while received < count:
            data = os.read(read_fd, _READ_SIZE)
            if not data:
                raise RuntimeError(f"the raw pipe child stopped after {received} of {count} messages")
            *lines, buffer = (buffer + data).split(b"\n")
            for line in lines:
                message = json.loads(line)
                if start is None:
                    start = float(message["start"])
                else:
                    received += 1
        end = time.monotonic()
    finally:
        _finish(popen, read_fd, write_fd)
    assert start is not None
    return count / (end - start)
