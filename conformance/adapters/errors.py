"""Errors of the adapter boundary: what goes wrong between the suite and an implementation.

The runner turns these into ERROR or TIMEOUT results; they never stop a run.  Each
step of an adapter's life raises these (every class is an ``AdapterError``):

=================  ==========================================================================
step               raises
=================  ==========================================================================
start the adapter  ``AdapterStartError``: the command does not exist or cannot be executed;
                   the module does not import; the class is missing or is no adapter
handshake          ``HandshakeError``: the answer to ``hello`` is malformed, breaks its schema,
                   speaks another protocol version or is an error response;
                   ``AdapterCrashed``; ``AdapterTimeout`` (after ``start_timeout``)
run a scenario     ``AdapterCrashed``: the output ended (the process exited) before the answer;
                   ``AdapterTimeout``: no answer in time;
                   ``AdapterReportedError``: an error response (``ok: false``)
collect the trace  ``ProtocolError``: a line too long, invalid UTF-8, not JSON, a partial line
                   then end of output, the wrong ``seq``, a second answer or other output
                   nobody asked for, a schema violation
reset              as for run and collect, for the reset answer
close              nothing: ``close()`` always kills the process group and logs what went wrong
=================  ==========================================================================

After any of these but ``AdapterReportedError`` the adapter is broken: its process
group is already killed, and ``restart()`` starts a fresh one.  An error response is
an orderly answer, so the session goes on.

``MessageError`` is apart: the suite itself built a message that breaks its schema,
which is a bug of the caller, not of the implementation.
"""

from __future__ import annotations

import re
from enum import StrEnum

__all__ = [
    "AdapterCrashed",
    "AdapterError",
    "AdapterReportedError",
    "AdapterStartError",
    "AdapterTimeout",
    "HandshakeError",
    "MessageError",
    "ProtocolError",
    "Step",
    "excerpt",
    "stderr_tail",
]

TAIL_LINES = 40
TAIL_CHARS = 4096
DETAIL_LINES = 20


class Step(StrEnum):
    """A step of an adapter's life, as named in error messages."""

    START = "start the adapter"
    HANDSHAKE = "handshake"
    RUN = "run a scenario"
    COLLECT = "collect the trace"
    RESET = "reset"
    CLOSE = "close"


def excerpt(data: str | bytes, limit: int = 300) -> str:
    """Return ``data`` on one line, cut to ``limit`` characters with a note of what was left out."""
    text = repr(data)[2:-1] if isinstance(data, bytes) else data
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text) - limit} more characters)"


def stderr_tail(text: str, *, lines: int = TAIL_LINES, chars: int = TAIL_CHARS) -> str:
    """Return the last ``lines`` lines and at most ``chars`` characters of ``text``."""
    kept = "\n".join(text.rstrip().splitlines()[-lines:])
    return kept[-chars:]


class AdapterError(Exception):
    """An adapter failed at some step; ``str()`` says what was expected, what came and what to try."""

    default_hint = "run the adapter command by hand and send it the request to see what it does"

    def __init__(
        self,
        reason: str,
        *,
        step: Step,
        implementation: str | None = None,
        expected: str | None = None,
        received: str | None = None,
        detail: str | None = None,
        stderr: str = "",
        hint: str | None = None,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.step = step
        self.implementation = implementation
        self.expected = expected
        self.received = received
        self.detail = None if detail is None else stderr_tail(detail, lines=DETAIL_LINES)
        self.stderr = stderr_tail(stderr)
        self.hint = self.default_hint if hint is None else hint

    def add_context(self, *, implementation: str, stderr: str) -> AdapterError:
        """Fill in the implementation and stderr tail where still unknown; return this error."""
        self.implementation = self.implementation or implementation
        self.stderr = self.stderr or stderr_tail(stderr)
        return self

    def __str__(self) -> str:
        where = f"[{self.implementation}] " if self.implementation else ""
        lines = [f"{where}{self.step}: {self.reason}"]
        if self.expected is not None:
            lines.append(f"  expected: {self.expected}")
        if self.received is not None:
            lines.append(f"  received: {self.received}")
        if self.detail:
            lines.append("  detail:")
            lines.extend(f"    | {line}" for line in self.detail.splitlines())
        if self.hint:
            lines.append(f"  try: {self.hint}")
        if self.stderr:
            lines.append("  stderr (last lines):")
            lines.extend(f"    | {line}" for line in self.stderr.splitlines())
        else:
            lines.append("  stderr: (empty)")
        return "\n".join(lines)


class AdapterStartError(AdapterError):
    """The adapter could not be started or loaded."""

    default_hint = "check the adapter spec: a command on PATH, or module:Class importable from here"

    def __init__(self, reason: str, *, implementation: str | None = None, hint: str | None = None) -> None:
        super().__init__(reason, step=Step.START, implementation=implementation, hint=hint)


class ProtocolError(AdapterError):
    """The adapter answered, but not as the protocol says."""

    default_hint = "compare the adapter's output with the schemas in schemas/protocol/"

    @classmethod
    def during(
        cls,
        step: Step,
        reason: str,
        *,
        expected: str | None = None,
        received: str | None = None,
        hint: str | None = None,
    ) -> ProtocolError:
        """Return a ``ProtocolError``, or a ``HandshakeError`` when ``step`` is the handshake."""
        kind = HandshakeError if step is Step.HANDSHAKE else cls
        return kind(reason, step=step, expected=expected, received=received, hint=hint)


class HandshakeError(ProtocolError):
    """The answer to ``hello`` was not a valid hello response of protocol version 1."""

    default_hint = "the first answer must be a hello response (schemas/protocol/hello.response.schema.json)"


class AdapterReportedError(AdapterError):
    """The adapter answered with an error response (``ok: false``): it could not carry out the request."""

    default_hint = "the adapter's own message above says why; a step it cannot express may need a capability"

    def __init__(self, reason: str, *, step: Step, detail: str | None = None) -> None:
        super().__init__(reason, step=step, detail=detail)


class AdapterCrashed(AdapterError):
    """The adapter's output ended: the process exited (``returncode``) or closed its stdout."""

    default_hint = "the stderr tail usually shows why the adapter died"

    def __init__(
        self, reason: str, *, step: Step, returncode: int | None, expected: str | None = None
    ) -> None:
        super().__init__(reason, step=step, expected=expected, received="end of output")
        self.returncode = returncode


class AdapterTimeout(AdapterError):
    """No answer came within the call's timeout."""

    default_hint = "the adapter may hang or be slow: raise the timeout, or look for a deadlock"

    def __init__(self, reason: str, *, step: Step, timeout: float, expected: str | None = None) -> None:
        super().__init__(reason, step=step, expected=expected, received="nothing")
        self.timeout = timeout


class MessageError(ValueError):
    """A message built by this side breaks its schema (a bug of the caller, not of the adapter)."""
