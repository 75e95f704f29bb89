"""The child of the raw pipe baselines: plain newline-delimited JSON over a pipe, nothing else.

Run as ``python -S _raw_child.py MODE IN_FD OUT_FD COUNT PAYLOAD`` (stdlib only, no
package import, so its start-up is that of a bare interpreter).  It plays the page:

- ``pingpong``: ``COUNT`` times, write one JSON line and wait for the answer line;
  then write ``{"seconds": ...}``, the time the loop took, measured here.
- ``flood``: write ``{"start": <monotonic>}``, then ``COUNT`` JSON lines as fast as
  it can, one ``os.write`` per line, as the reference implementation writes frames.
"""

import json
import os
import sys
import time


def _write(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _pingpong(in_fd: int, out_fd: int, count: int, payload: list[object]) -> None:
    reader = os.fdopen(in_fd, "rb")
    start = time.perf_counter()
    for n in range(count):
        _write(out_fd, json.dumps(["c", n, *payload], separators=(",", ":")).encode() + b"\n")
        json.loads(reader.readline())
    seconds = time.perf_counter() - start
    _write(out_fd, json.dumps({"seconds": seconds}).encode() + b"\n")


def _flood(out_fd: int, count: int, payload: list[object]) -> None:
    _write(out_fd, json.dumps({"start": time.monotonic()}).encode() + b"\n")
    for n in range(count):
        _write(out_fd, json.dumps(["c", n, *payload], separators=(",", ":")).encode() + b"\n")


def main() -> None:
    """Run the mode named on the command line."""
    mode, in_fd, out_fd, count, payload = sys.argv[1:6]
    if mode == "pingpong":
        _pingpong(int(in_fd), int(out_fd), int(count), json.loads(payload))
    elif mode == "flood":
        _flood(int(out_fd), int(count), json.loads(payload))
    else:
        raise SystemExit(f"unknown mode {mode!r}: pingpong or flood")


if __name__ == "__main__":
    main()
