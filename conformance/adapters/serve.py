"""The adapter side of the subprocess protocol, for implementations written in Python.

``serve`` reads requests line by line, calls an in-process ``Adapter`` and writes its
answers, so that ``python -m your.module`` (calling ``serve(YourAdapter)``) is a
subprocess adapter that ``SubprocessAdapter`` can drive.
"""

from __future__ import annotations

import contextlib
import os
import sys
import traceback
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO

from conformance.adapters.errors import MessageError, ProtocolError, Step, excerpt
from conformance.adapters.messages import (
    CloseRequest,
    CloseResponse,
    ErrorResponse,
    HelloRequest,
    HelloResponse,
    Request,
    ResetRequest,
    ResetResponse,
    RunRequest,
    RunResponse,
    decode_line,
    encode_line,
    parse_request,
)
from conformance.adapters.protocol import Adapter

__all__ = ["serve"]


@contextlib.contextmanager
def _protocol_output(stdout: BinaryIO | None) -> Iterator[BinaryIO]:
    """Yield the stream for answers; meanwhile anything else printed goes to stderr.

    Without an explicit ``stdout``, file descriptor 1 is moved aside for the answers
    and pointed at stderr, so that child processes and C code cannot write into the
    protocol either.
    """
    with contextlib.redirect_stdout(sys.stderr):
        if stdout is not None:
            yield stdout
            return
        protocol_fd = os.dup(1)
        os.dup2(2, 1)
        try:
            with os.fdopen(os.dup(protocol_fd), "wb", buffering=0) as stream:
                yield stream
        finally:
            os.dup2(protocol_fd, 1)
            os.close(protocol_fd)


def _send(output: BinaryIO, answer: dict[str, Any]) -> None:
    output.write(encode_line(answer))
    output.flush()


_RECURSION_LIMIT = 10_000
"""Scenarios carry values nested 100 levels and more (SER-11); decoding and validating them recurse."""


def _request_or_error(line: bytes) -> Request | ErrorResponse | None:
    """Return the request in ``line``, the error answer to an invalid one, or None if unanswerable."""
    try:
        data = decode_line(line, step=Step.RUN)
    except ProtocolError:
        return None
    try:
        return parse_request(data)
    except (ProtocolError, RecursionError) as error:
        seq = data.get("seq") if isinstance(data, dict) else None
        if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
            return None
        reason = error.reason if isinstance(error, ProtocolError) else "nested too deeply to validate"
        return ErrorResponse(seq, f"invalid request: {reason}")


def _failure(seq: int, message: str) -> dict[str, Any]:
    """Return an error answer with the traceback of the exception being handled."""
    return ErrorResponse(seq, message, traceback.format_exc()).to_json()


def _answer(adapter: Adapter, request: Request, timeout: float) -> dict[str, Any]:
    """Return the answer to ``request`` as JSON data; an exception becomes an error answer."""
    try:
        match request:
            case HelloRequest():
                return HelloResponse(request.seq, adapter.hello()).to_json()
            case RunRequest():
                return RunResponse(request.seq, adapter.run(request.scenario, timeout=timeout)).to_json()
            case ResetRequest():
                adapter.reset(timeout=timeout)
                return ResetResponse(request.seq).to_json()
            case CloseRequest():
                adapter.close()
                return CloseResponse(request.seq).to_json()
    except MessageError as error:
        return _failure(request.seq, f"the adapter's answer breaks the protocol: {error}")
    except Exception as error:
        return _failure(request.seq, f"{type(error).__name__}: {error}")


def _answer_all(adapter: Adapter, source: BinaryIO, output: BinaryIO, timeout: float) -> int:
    for line in source:
        request = _request_or_error(line)
        if request is None:
            print(f"unreadable request, giving up: {excerpt(line)}", file=sys.stderr)
            return 2
        _send(
            output,
            request.to_json() if isinstance(request, ErrorResponse) else _answer(adapter, request, timeout),
        )
        if isinstance(request, CloseRequest):
            return 0
    return 0


def _refuse(source: BinaryIO, output: BinaryIO, message: str) -> int:
    """Answer the first request with ``message`` (the adapter could not be created); return 1."""
    request = _request_or_error(source.readline())
    if request is not None:
        _send(output, _failure(request.seq, message))
    return 1


def serve(
    adapter_factory: Callable[[], Adapter],
    *,
    stdin: BinaryIO | None = None,
    stdout: BinaryIO | None = None,
    timeout: float = 60.0,
) -> int:
    """Return an exit status, after answering requests until ``close`` or the end of input.

    ``adapter_factory`` is called once, before the first answer; ``stdin`` and
    ``stdout`` default to the process's own.  Each call gets ``timeout`` seconds
    (the suite enforces its own timeouts by killing the process).  Exit status:
    0 after ``close`` or end of input, 1 if the adapter could not be created, 2 on
    a request that cannot even be answered (not JSON, no ``seq``).
    """
    source = sys.stdin.buffer if stdin is None else stdin
    sys.setrecursionlimit(max(sys.getrecursionlimit(), _RECURSION_LIMIT))
    with _protocol_output(stdout) as output:
        try:
            adapter = adapter_factory()
        except Exception as error:
            return _refuse(
                source, output, f"the adapter could not be created: {type(error).__name__}: {error}"
            )
        try:
            return _answer_all(adapter, source, output, timeout)
        finally:
            adapter.close()  # idempotent: nothing more after a close request
