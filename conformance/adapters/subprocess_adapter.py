"""The subprocess transport: an implementation behind newline-delimited JSON on stdin and stdout.

The suite writes one request per line to the adapter's stdin and reads one answer
per line from its stdout, each call bounded by a hard timeout; stderr is drained into
a bounded tail for error messages.  After any failure the adapter's process group is
killed, and ``restart()`` starts a fresh one.

Nothing the adapter starts outlives it: the adapter leads a process group of its
own, killed as a whole (SIGTERM, then SIGKILL); a watchdog (``/bin/sh``, in a session
of its own) kills that group if this process dies without doing so; and descendants
that left the group are found by the marker ``IPC_CONFORMANCE_ADAPTER`` in their
environment (on Linux, through ``/proc``).  POSIX only (process groups, signals).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import logging
import os
import secrets
import selectors
import shlex
import signal
import subprocess
import threading
import time
import weakref
from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import IO, Any, Final

from conformance.adapters.errors import (
    AdapterCrashed,
    AdapterError,
    AdapterReportedError,
    AdapterStartError,
    AdapterTimeout,
    HandshakeError,
    ProtocolError,
    Step,
    excerpt,
    stderr_tail,
)
from conformance.adapters.messages import (
    STDOUT_HINT,
    CloseRequest,
    CloseResponse,
    ErrorResponse,
    HelloRequest,
    HelloResponse,
    Request,
    ResetRequest,
    ResetResponse,
    ResponseT,
    RunRequest,
    RunResponse,
    decode_line,
    encode_line,
    parse_response,
)
from conformance.adapters.protocol import Hello

__all__ = ["MARKER_VARIABLE", "SubprocessAdapter"]

_log = logging.getLogger(__name__)

MARKER_VARIABLE: Final = "IPC_CONFORMANCE_ADAPTER"
"""Set in the adapter's environment to a value unique to each start; inherited by its descendants."""
_READ_CHUNK = 1 << 16
_STDERR_KEEP = 1 << 14
_POLL = 0.05  # without pidfd_open only: how often a wait checks that the adapter is still alive
_SWEEPS = 3  # rounds of killing marked processes (one may fork while the previous round runs)
_WATCHDOG = 'read -r _; kill -s KILL -- "-$1" 2>/dev/null'
"""Waits for the end of its stdin (a pipe only this process holds), then kills process group ``$1``."""


class _OutputEnded(Exception):
    """The adapter's stdout ended (or its process exited), after ``partial`` bytes of a line."""

    def __init__(self, partial: bytes) -> None:
        super().__init__(partial)
        self.partial = partial


class _LineTooLong(Exception):
    """A line grew past the limit; ``start`` is its beginning."""

    def __init__(self, start: bytes) -> None:
        super().__init__(start)
        self.start = start


class _StderrTail:
    """Drains a stderr pipe on a daemon thread, keeping only its last bytes."""

    def __init__(self, pipe: IO[bytes]) -> None:
        self._pipe = pipe
        self._buffer = bytearray()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._drain, name="adapter-stderr", daemon=True)
        self._thread.start()

    def _drain(self) -> None:
        with self._pipe:
            while chunk := os.read(self._pipe.fileno(), _READ_CHUNK):
                with self._lock:
                    self._buffer += chunk
                    del self._buffer[:-_STDERR_KEEP]

    def text(self) -> str:
        """Return the last bytes written to stderr, decoded leniently."""
        with self._lock:
            return self._buffer.decode("utf-8", errors="replace")

    def wait(self, timeout: float) -> None:
        """Wait up to ``timeout`` seconds for the end of stderr."""
        self._thread.join(timeout)


def _signal_group(pgid: int, signum: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signum)


def _marked(entry: bytes) -> list[int]:
    """Return the processes (other than this one) whose environment holds ``entry`` (``NAME=value``)."""
    try:
        names = [name for name in os.listdir("/proc") if name.isdigit()]
    except OSError:
        return []
    found = []
    for name in names:
        try:
            with open(f"/proc/{name}/environ", "rb") as environ:
                if entry in environ.read().split(b"\0"):
                    found.append(int(name))
        except OSError:  # gone, or not ours to read
            continue
    return [pid for pid in found if pid != os.getpid()]


def _sweep(entry: bytes) -> None:
    """Kill every process marked with ``entry``: descendants of the adapter that left its group."""
    for _ in range(_SWEEPS):
        pids = _marked(entry)
        for pid in pids:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        if not pids:
            return


class _Watchdog:
    """A ``/bin/sh`` in a session of its own that kills a process group if this process dies first.

    It reads a pipe that only this process holds: its end (this process exiting,
    even by SIGKILL) makes the shell kill the group.  ``dismiss()`` ends it without that.
    """

    def __init__(self, pgid: int) -> None:
        read_end, self._write_end = os.pipe()  # both close-on-exec: no other child inherits them
        try:
            self._shell: subprocess.Popen[bytes] | None = subprocess.Popen(
                ["/bin/sh", "-c", _WATCHDOG, "ipc-conformance-watchdog", str(pgid)],
                stdin=read_end,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        except OSError as error:
            _log.warning("no watchdog for adapter process group %d: %s", pgid, error)
            self._shell = None
        finally:
            os.close(read_end)

    def dismiss(self) -> None:
        """Stop the watchdog without it killing anything (the group is dealt with already)."""
        if self._shell is not None:
            self._shell.kill()
            self._shell.wait()
            self._shell = None
        if self._write_end >= 0:
            os.close(self._write_end)
            self._write_end = -1


class _Process:
    """One adapter process, leader of its own process group, with line framing on its stdout."""

    def __init__(
        self,
        argv: Sequence[str],
        *,
        env: Mapping[str, str] | None,
        cwd: str | os.PathLike[str] | None,
        max_line_bytes: int,
    ) -> None:
        marker = secrets.token_hex(8)
        self.marker = f"{MARKER_VARIABLE}={marker}".encode()
        self.popen = subprocess.Popen(
            list(argv),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**(os.environ if env is None else env), MARKER_VARIABLE: marker},
            cwd=cwd,
            bufsize=0,
            start_new_session=True,
        )
        self._watchdog = _Watchdog(self.popen.pid)
        stdin, stdout, stderr = self.popen.stdin, self.popen.stdout, self.popen.stderr
        assert stdin is not None and stdout is not None and stderr is not None
        self.stderr = _StderrTail(stderr)
        self._stdin, self._stdout = stdin, stdout
        os.set_blocking(stdin.fileno(), False)
        os.set_blocking(stdout.fileno(), False)
        self._exit_fd = self._open_exit_fd()
        self._readable = selectors.DefaultSelector()
        self._readable.register(stdout, selectors.EVENT_READ)
        self._writable = selectors.DefaultSelector()
        self._writable.register(stdin, selectors.EVENT_WRITE)
        if self._exit_fd is not None:
            self._readable.register(self._exit_fd, selectors.EVENT_READ)
            self._writable.register(self._exit_fd, selectors.EVENT_READ)
        self._buffer = bytearray()
        self._scanned = 0
        self._max_line_bytes = max_line_bytes
        self.stopped = False

    def _open_exit_fd(self) -> int | None:
        """Return a descriptor that becomes readable when the process exits (Linux), or None."""
        pidfd_open = getattr(os, "pidfd_open", None)
        if pidfd_open is None:
            return None
        try:
            fd: int = pidfd_open(self.popen.pid)
        except OSError:
            return None
        return fd

    @property
    def pid(self) -> int:
        """Return the process id, which is also the process group id."""
        return self.popen.pid

    def _ready(self, selector: selectors.BaseSelector, deadline: float) -> bool:
        """Wait for the pipe of ``selector``: True when it is ready, False once the process has exited.

        Raise ``TimeoutError`` at ``deadline``.  The exit is seen through the pidfd
        where there is one; otherwise by polling, since a child of the adapter may
        hold the pipe open after the adapter itself is gone.
        """
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            wait = remaining if self._exit_fd is not None else min(remaining, _POLL)
            events = selector.select(wait)
            if any(key.fileobj != self._exit_fd for key, _ in events):
                return True
            if events or (self._exit_fd is None and self.popen.poll() is not None):
                return False

    def write(self, data: bytes, deadline: float) -> None:
        """Write ``data`` to stdin before ``deadline`` (``TimeoutError``), or raise ``_OutputEnded``."""
        view = memoryview(data)
        while view:
            if not self._ready(self._writable, deadline):
                raise _OutputEnded(b"")
            try:
                view = view[os.write(self._stdin.fileno(), view) :]
            except BlockingIOError:
                continue
            except BrokenPipeError:
                raise _OutputEnded(b"") from None

    def _read_some(self) -> bool:
        try:
            chunk = os.read(self._stdout.fileno(), _READ_CHUNK)
        except BlockingIOError:
            return False
        if not chunk:
            raise _OutputEnded(bytes(self._buffer))
        self._buffer += chunk
        return True

    def _take_line(self) -> bytes | None:
        end = self._buffer.find(b"\n", self._scanned)
        if end < 0:
            self._scanned = len(self._buffer)
            if self._scanned > self._max_line_bytes:
                raise _LineTooLong(bytes(self._buffer[:300]))
            return None
        if end > self._max_line_bytes:
            raise _LineTooLong(bytes(self._buffer[:300]))
        line = bytes(self._buffer[:end])
        del self._buffer[: end + 1]
        self._scanned = 0
        return line

    def read_line(self, deadline: float) -> bytes:
        """Return the next line of stdout (without its newline) read before ``deadline``.

        Raise ``TimeoutError``, ``_LineTooLong``, or ``_OutputEnded`` at end of output or
        when the process has exited (a child of it may still hold the pipe open).
        """
        while (line := self._take_line()) is None:
            if self._ready(self._readable, deadline):
                self._read_some()
            elif not self._read_some():
                raise _OutputEnded(bytes(self._buffer))
        return line

    def pending(self) -> bytes:
        """Return what was read past the last line taken (output nobody asked for, if any)."""
        return bytes(self._buffer)

    def unsolicited(self) -> bytes:
        """Return the output waiting now, when no answer is due (``_OutputEnded`` if it ended)."""
        while len(self._buffer) <= self._max_line_bytes and self._read_some():
            pass
        return bytes(self._buffer)

    def wait_exit(self, timeout: float) -> int | None:
        """Return the exit status once the process exits within ``timeout`` seconds, else None."""
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.popen.wait(timeout)
        return self.popen.returncode

    def close_stdin(self) -> None:
        """Close the adapter's stdin, so that it sees the end of its input."""
        self._writable.close()
        self._stdin.close()

    def stop(self, grace: float) -> None:
        """Kill the process group (SIGTERM, SIGKILL after ``grace`` seconds) and marked escapees; close."""
        if self.stopped:
            return
        self.stopped = True
        _signal_group(self.pid, signal.SIGTERM)
        self.wait_exit(grace)
        _signal_group(self.pid, signal.SIGKILL)
        self.wait_exit(grace)
        _sweep(self.marker)
        self._watchdog.dismiss()
        self.close_stdin()
        self._readable.close()
        if self._exit_fd is not None:
            os.close(self._exit_fd)
        self._stdout.close()
        self.stderr.wait(grace)


def _describe_exit(returncode: int | None) -> str:
    if returncode is None:
        return "the adapter closed its stdout but kept running"
    if returncode < 0:
        with contextlib.suppress(ValueError):
            return f"the adapter was killed by signal {signal.Signals(-returncode).name}"
    return f"the adapter exited with code {returncode}"


def _start_failure(argv: Sequence[str], cwd: str | os.PathLike[str] | None, error: OSError) -> str:
    if isinstance(error, FileNotFoundError) and cwd is not None and error.filename == os.fspath(cwd):
        return f"the working directory {os.fspath(cwd)!r} does not exist"
    if isinstance(error, FileNotFoundError):
        return f"command not found: {argv[0]!r}"
    if isinstance(error, PermissionError):
        return f"command not executable: {argv[0]!r}"
    return f"cannot start {argv[0]!r}: {error}"


def _seq_of(line: bytes) -> int | None:
    try:
        data = json.loads(line)
    except (ValueError, RecursionError):
        return None
    seq = data.get("seq") if isinstance(data, dict) else None
    return seq if isinstance(seq, int) and not isinstance(seq, bool) else None


def _positive(name: str, value: float) -> float:
    if not value > 0:
        raise ValueError(f"{name} must be positive, not {value!r}")
    return value


class SubprocessAdapter:
    """An implementation reached through the JSON-lines protocol, in a child process of its own.

    ``env`` (if given) replaces the environment of the command (``MARKER_VARIABLE`` is
    added to it either way); ``grace`` is how long ``close()`` waits for an answer and
    for the exit, and how long SIGTERM may take.
    One call at a time: an instance is not meant to be shared between threads.
    """

    def __init__(
        self,
        argv: Sequence[str],
        *,
        env: Mapping[str, str] | None = None,
        cwd: str | os.PathLike[str] | None = None,
        start_timeout: float = 10.0,
        max_line_bytes: int = 16 * 1024 * 1024,
        grace: float = 1.0,
    ) -> None:
        """Start ``argv`` and shake hands; on failure raise ``AdapterError``, leaving nothing running."""
        if isinstance(argv, str) or not argv:
            raise ValueError(f"argv must be a non-empty sequence of strings, not {argv!r}")
        self.argv = tuple(argv)
        self._env = env
        self._cwd = cwd
        self._start_timeout = _positive("start_timeout", start_timeout)
        self._max_line_bytes = int(_positive("max_line_bytes", max_line_bytes))
        self._grace = _positive("grace", grace)
        self._seqs = itertools.count()
        self._answered = range(0)  # the seqs answered by the current process
        self._process: _Process | None = None
        self._finalizer: weakref.finalize[[float], SubprocessAdapter] | None = None
        self._hello: Hello | None = None
        self._failure: AdapterError | None = None
        self._closed = False
        self._start()

    @property
    def pid(self) -> int | None:
        """Return the id of the adapter process (and of its process group), if one was started."""
        return None if self._process is None else self._process.pid

    @property
    def broken(self) -> bool:
        """Return whether an error stopped the adapter; ``restart()`` makes it usable again."""
        return self._failure is not None

    def stderr_tail(self) -> str:
        """Return the last lines the adapter wrote to stderr."""
        return "" if self._process is None else stderr_tail(self._process.stderr.text())

    def hello(self) -> Hello:
        """Return the identity and claims from the last successful handshake."""
        if self._hello is None:
            raise self._unusable(Step.HANDSHAKE)
        return self._hello

    def run(self, scenario: Mapping[str, Any], *, timeout: float) -> dict[str, Any]:
        """Return the trace of ``scenario``, answered within ``timeout`` seconds."""
        return self._call(RunRequest(next(self._seqs), scenario), RunResponse, timeout).trace

    def reset(self, *, timeout: float) -> None:
        """Bring the implementation back to a clean state within ``timeout`` seconds."""
        self._call(ResetRequest(next(self._seqs)), ResetResponse, timeout)

    def restart(self) -> None:
        """Kill the adapter's process group and start it again with a new handshake."""
        self._stop()
        self._start()

    def close(self) -> None:
        """Ask the adapter to close, then kill its process group; never raises, idempotent."""
        process = self._process
        try:
            if process is not None and not process.stopped and not self._closed:
                answer = self._exchange(CloseRequest(next(self._seqs)), CloseResponse, self._grace)
                if isinstance(answer, ErrorResponse):
                    _log.warning("%s answered close with an error: %s", self._label(), answer.message)
                process.close_stdin()
                process.wait_exit(self._grace)
        except AdapterError as error:
            _log.warning("closing the adapter failed:\n%s", error)
        finally:
            self._closed = True
            self._stop()

    def __enter__(self) -> SubprocessAdapter:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()

    def _label(self) -> str:
        if self._hello is not None:
            return f"{self._hello.name} {self._hello.version}"
        return shlex.join(self.argv)

    def _start(self) -> None:
        self._process, self._hello, self._failure, self._closed = None, None, None, False
        self._answered = range(0)
        try:
            process = _Process(self.argv, env=self._env, cwd=self._cwd, max_line_bytes=self._max_line_bytes)
        except OSError as error:
            self._failure = AdapterStartError(
                _start_failure(self.argv, self._cwd, error), implementation=shlex.join(self.argv)
            )
            raise self._failure from error
        self._process = process
        self._finalizer = weakref.finalize(self, process.stop, self._grace)
        answer = self._exchange(HelloRequest(next(self._seqs)), HelloResponse, self._start_timeout)
        if isinstance(answer, ErrorResponse):
            raise self._fail(
                process,
                HandshakeError(
                    f"the adapter answered hello with an error: {excerpt(answer.message)}",
                    step=Step.HANDSHAKE,
                    detail=answer.detail,
                    hint="the adapter could not start its implementation; see its message and stderr",
                ),
            )
        self._hello = answer.hello

    def _stop(self) -> None:
        if self._finalizer is not None:
            self._finalizer()

    def _unusable(self, step: Step) -> AdapterError:
        if self._failure is not None:
            reason = f"the adapter is broken since an earlier error ({self._failure.reason})"
        else:
            reason = "the adapter is closed"
        return AdapterError(reason, step=step, implementation=self._label(), hint="call restart() first")

    def _fail(self, process: _Process, failure: AdapterError) -> AdapterError:
        """Return ``failure`` with context, after stopping the process: the adapter is broken."""
        self._stop()
        self._failure = failure.add_context(implementation=self._label(), stderr=process.stderr.text())
        return self._failure

    def _call(self, request: Request, expected: type[ResponseT], timeout: float) -> ResponseT:
        answer = self._exchange(request, expected, timeout)
        if isinstance(answer, ErrorResponse):
            raise AdapterReportedError(
                f"the adapter could not carry out the {request.cmd} request: {excerpt(answer.message)}",
                step=request.step,
                detail=answer.detail,
            ).add_context(implementation=self._label(), stderr=self.stderr_tail())
        return answer

    def _exchange(
        self, request: Request, expected: type[ResponseT], timeout: float
    ) -> ResponseT | ErrorResponse:
        """Send ``request`` and return its answer; any failure stops the adapter and is raised."""
        line = encode_line(request.to_json())
        process = self._process
        if process is None or process.stopped or self._failure is not None or self._closed:
            raise self._unusable(request.step)
        wanted = f"the answer to the {request.cmd} request (seq {request.seq})"
        deadline = time.monotonic() + _positive("timeout", timeout)
        failure: AdapterError
        try:
            self._check_quiet(process, request, expected.step)
            process.write(line, deadline)
            data = decode_line(process.read_line(deadline), step=expected.step)
            self._check_seq(data, request, expected.step)
            self._check_alone(process, request, expected.step)
            answer = parse_response(data, expected)
        except TimeoutError:
            failure = AdapterTimeout(
                f"no answer within {timeout:g} s", step=request.step, timeout=timeout, expected=wanted
            )
        except _OutputEnded as ended:
            failure = self._ended(process, ended, request, expected.step, wanted)
        except _LineTooLong as too_long:
            failure = ProtocolError.during(
                expected.step,
                f"the answer is a line longer than max_line_bytes={self._max_line_bytes}",
                expected=wanted,
                received=excerpt(too_long.start, 120),
                hint="raise max_line_bytes if such large answers are legitimate",
            )
        except RecursionError:
            failure = ProtocolError.during(
                expected.step, "the answer is nested too deeply to be checked", expected=wanted
            )
        except AdapterError as error:
            failure = error
        except BaseException as interruption:  # KeyboardInterrupt, or a bug here: the answer is lost
            reason = f"interrupted by {type(interruption).__name__} while waiting for {wanted}"
            self._fail(process, AdapterError(reason, step=request.step))
            raise
        else:
            self._answered = range(self._answered.start if self._answered else request.seq, request.seq + 1)
            return answer
        raise self._fail(process, failure)

    def _ended(
        self, process: _Process, ended: _OutputEnded, request: Request, answer_step: Step, wanted: str
    ) -> AdapterError:
        returncode = process.wait_exit(self._grace)
        status = _describe_exit(returncode)
        if ended.partial:
            return ProtocolError.during(
                answer_step,
                f"the output ended in the middle of a line ({status})",
                expected=f"{wanted}, ending with a newline",
                received=excerpt(ended.partial),
            )
        return AdapterCrashed(
            f"{status} before answering the {request.cmd} request (seq {request.seq})",
            step=request.step,
            returncode=returncode,
            expected=wanted,
        )

    def _check_quiet(self, process: _Process, request: Request, answer_step: Step) -> None:
        extra = process.unsolicited()
        if not extra:
            return
        seq = _seq_of(extra.split(b"\n", 1)[0])
        answered = seq is not None and seq in self._answered
        what = f"a second answer to request seq {seq}" if answered else "output nobody asked for"
        raise ProtocolError.during(
            answer_step,
            f"{what} came before the {request.cmd} request (seq {request.seq})",
            expected="nothing between an answer and the next request",
            received=excerpt(extra),
            hint=STDOUT_HINT,
        )

    def _check_alone(self, process: _Process, request: Request, answer_step: Step) -> None:
        extra = process.pending()
        if not extra:
            return
        seq = _seq_of(extra.split(b"\n", 1)[0])
        what = f"a second answer to request seq {seq}" if seq == request.seq else "more output"
        raise ProtocolError.during(
            answer_step,
            f"{what} came right after the answer to the {request.cmd} request (seq {request.seq})",
            expected="nothing after an answer until the next request",
            received=excerpt(extra),
            hint=STDOUT_HINT,
        )

    def _check_seq(self, data: Any, request: Request, answer_step: Step) -> None:
        seq = data.get("seq") if isinstance(data, dict) else None
        if not isinstance(seq, int) or isinstance(seq, bool) or seq == request.seq:
            return
        what = (
            f"a second answer to request seq {seq}" if seq in self._answered else f"an answer with seq {seq}"
        )
        raise ProtocolError.during(
            answer_step,
            f"{what} came instead of the answer to the {request.cmd} request (seq {request.seq})",
            expected=f"an answer with seq {request.seq}",
            received=excerpt(json.dumps(data)),
        )
