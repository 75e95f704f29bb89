"""The wire messages of the subprocess protocol: one frozen model per message, validated both ways.

Requests go from the suite to an adapter, responses come back; each is one line of
JSON described by a schema in ``schemas/protocol/``.  ``to_json()`` checks what this
side sends (``MessageError``); ``from_json()`` checks what it receives (``ProtocolError``).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Self, TypeVar

from jsonschema.exceptions import ValidationError, best_match

from conformance import __version__
from conformance.adapters.errors import (
    HandshakeError,
    MessageError,
    ProtocolError,
    Step,
    excerpt,
)
from conformance.adapters.protocol import PROTOCOL_VERSION, Hello
from conformance.schemas import validator_for

__all__ = [
    "STDOUT_HINT",
    "SUITE_NAME",
    "CloseRequest",
    "CloseResponse",
    "ErrorResponse",
    "HelloRequest",
    "HelloResponse",
    "Request",
    "ResetRequest",
    "ResetResponse",
    "Response",
    "ResponseT",
    "RunRequest",
    "RunResponse",
    "decode_line",
    "encode_line",
    "parse_request",
    "parse_response",
]

SUITE_NAME = "electron-ipc-conformance"
_ERRORS_WEIGHED = 20
"""Schema errors compared to pick the message: all of them could take minutes on a large invalid trace."""
STDOUT_HINT = "stdout carries protocol lines only: an adapter writes its logs to stderr"


def _explained(error: ValidationError) -> ValidationError:
    """Return the error inside a failed ``oneOf``/``anyOf`` of the one branch that fits.

    A branch fits unless it fails on the ``const``/``enum`` of a direct property
    (the ``type`` of a trace event, the ``op`` of a step): so for an event of type
    ``deliver`` the message is about the ``deliver`` branch, not "not valid under
    any of the given schemas".  Unevaluated properties are a consequence of another
    failure when there is one, so that one is preferred.
    """
    while error.context:
        branches: dict[Any, list[ValidationError]] = {}
        for inner in error.context:
            branches.setdefault(inner.relative_schema_path[0], []).append(inner)
        fitting = [
            errors
            for errors in branches.values()
            if not any(e.validator in ("const", "enum") and len(e.relative_path) == 1 for e in errors)
        ]
        if len(fitting) != 1:
            break
        causes = [e for e in fitting[0] if e.validator != "unevaluatedProperties"]
        error = best_match(causes or fitting[0]) or error
    return error


def _first_error(schema: str, data: Any) -> str | None:
    """Return where and how ``data`` breaks ``schema``: the best of its first few errors, or None."""
    error = best_match(itertools.islice(validator_for(schema).iter_errors(data), _ERRORS_WEIGHED))
    if error is None:
        return None
    error = _explained(error)
    return f"at {error.json_path}: {excerpt(error.message, 200)}"


def _built(schema: str, data: dict[str, Any]) -> dict[str, Any]:
    if (problem := _first_error(schema, data)) is not None:
        raise MessageError(f"a message built here breaks {schema} {problem}")
    return data


def _received(schema: str, data: Any, step: Step) -> None:
    if (problem := _first_error(schema, data)) is not None:
        raise ProtocolError.during(
            step,
            f"the message breaks {schema} {problem}",
            expected=f"a message valid under {schema}",
            received=excerpt(json.dumps(data, ensure_ascii=False)),
        )


def encode_line(data: Mapping[str, Any]) -> bytes:
    """Return ``data`` as one line of JSON (ASCII, so lone surrogates survive), newline included."""
    try:
        text = json.dumps(data, separators=(",", ":"), allow_nan=False)
    except ValueError as error:
        raise MessageError(f"cannot encode the message as JSON: {error}") from error
    return text.encode("ascii") + b"\n"


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def decode_line(line: bytes, *, step: Step) -> Any:
    """Return the JSON value of one line, or raise ``ProtocolError`` if it is not UTF-8 JSON."""
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ProtocolError.during(
            step,
            f"the line is not valid UTF-8 (byte {error.start}: {line[error.start : error.start + 4]!r})",
            expected="one line of UTF-8 JSON",
            received=excerpt(line),
        ) from None
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as error:
        raise ProtocolError.during(
            step,
            f"the line is not JSON ({excerpt(str(error), 120)})",
            expected="one line of JSON",
            received=excerpt(text),
            hint=STDOUT_HINT,
        ) from None


@dataclass(frozen=True)
class HelloRequest:
    """First request of a session."""

    seq: int
    suite_name: str = SUITE_NAME
    suite_version: str = __version__

    cmd: ClassVar[str] = "hello"
    schema: ClassVar[str] = "protocol/hello.request.schema.json"
    step: ClassVar[Step] = Step.HANDSHAKE

    def to_json(self) -> dict[str, Any]:
        """Return the request as JSON data, checked against its schema."""
        suite = {"name": self.suite_name, "version": self.suite_version}
        return _built(
            self.schema, {"protocol": PROTOCOL_VERSION, "seq": self.seq, "cmd": self.cmd, "suite": suite}
        )

    @classmethod
    def from_json(cls, data: Any) -> Self:
        """Return the request in ``data``, checked against its schema."""
        _received(cls.schema, data, cls.step)
        return cls(data["seq"], data["suite"]["name"], data["suite"]["version"])


@dataclass(frozen=True)
class RunRequest:
    """Run one scenario (scenario.schema.json) from a clean state."""

    seq: int
    scenario: Mapping[str, Any]

    cmd: ClassVar[str] = "run"
    schema: ClassVar[str] = "protocol/run.request.schema.json"
    step: ClassVar[Step] = Step.RUN

    def to_json(self) -> dict[str, Any]:
        """Return the request as JSON data, checked against its schema."""
        data = {"protocol": PROTOCOL_VERSION, "seq": self.seq, "cmd": self.cmd, "scenario": self.scenario}
        return _built(self.schema, data)

    @classmethod
    def from_json(cls, data: Any) -> Self:
        """Return the request in ``data``, checked against its schema."""
        _received(cls.schema, data, cls.step)
        return cls(data["seq"], data["scenario"])


@dataclass(frozen=True)
class ResetRequest:
    """Bring the implementation back to a clean state."""

    seq: int

    cmd: ClassVar[str] = "reset"
    schema: ClassVar[str] = "protocol/reset.request.schema.json"
    step: ClassVar[Step] = Step.RESET

    def to_json(self) -> dict[str, Any]:
        """Return the request as JSON data, checked against its schema."""
        return _built(self.schema, {"protocol": PROTOCOL_VERSION, "seq": self.seq, "cmd": self.cmd})

    @classmethod
    def from_json(cls, data: Any) -> Self:
        """Return the request in ``data``, checked against its schema."""
        _received(cls.schema, data, cls.step)
        return cls(data["seq"])


@dataclass(frozen=True)
class CloseRequest:
    """End the session; the adapter answers, then exits."""

    seq: int

    cmd: ClassVar[str] = "close"
    schema: ClassVar[str] = "protocol/close.request.schema.json"
    step: ClassVar[Step] = Step.CLOSE

    def to_json(self) -> dict[str, Any]:
        """Return the request as JSON data, checked against its schema."""
        return _built(self.schema, {"protocol": PROTOCOL_VERSION, "seq": self.seq, "cmd": self.cmd})

    @classmethod
    def from_json(cls, data: Any) -> Self:
        """Return the request in ``data``, checked against its schema."""
        _received(cls.schema, data, cls.step)
        return cls(data["seq"])


@dataclass(frozen=True)
class HelloResponse:
    """The implementation's identity and claims."""

    seq: int
    hello: Hello

    schema: ClassVar[str] = "protocol/hello.response.schema.json"
    step: ClassVar[Step] = Step.HANDSHAKE

    def to_json(self) -> dict[str, Any]:
        """Return the response as JSON data, checked against its schema."""
        hello = self.hello
        implementation = {"name": hello.name, "version": hello.version}
        if hello.language is not None:
            implementation["language"] = hello.language
        if hello.homepage is not None:
            implementation["homepage"] = hello.homepage
        result = {
            "protocol": hello.protocol,
            "implementation": implementation,
            "edition": hello.edition,
            "capabilities": sorted(hello.capabilities),
            "valueKinds": sorted(hello.value_kinds),
        }
        return _built(self.schema, {"seq": self.seq, "ok": True, "result": result})

    @classmethod
    def from_json(cls, data: Any) -> Self:
        """Return the response in ``data``; a protocol version other than 1 is a ``HandshakeError``."""
        result = data.get("result") if isinstance(data, dict) else None
        version = result.get("protocol") if isinstance(result, dict) else None
        if version is not None and version != PROTOCOL_VERSION:
            raise HandshakeError(
                f"the adapter speaks protocol version {excerpt(json.dumps(version), 40)}",
                step=cls.step,
                expected=f"protocol version {PROTOCOL_VERSION}",
                received=excerpt(json.dumps(data)),
                hint="use an adapter release that speaks this suite's protocol version",
            )
        _received(cls.schema, data, cls.step)
        result = data["result"]
        implementation = result["implementation"]
        hello = Hello(
            name=implementation["name"],
            version=implementation["version"],
            edition=result["edition"],
            capabilities=frozenset(result["capabilities"]),
            value_kinds=frozenset(result["valueKinds"]),
            language=implementation.get("language"),
            homepage=implementation.get("homepage"),
            protocol=result["protocol"],
        )
        return cls(data["seq"], hello)


@dataclass(frozen=True)
class RunResponse:
    """The trace (trace.schema.json) of a scenario."""

    seq: int
    trace: dict[str, Any]

    schema: ClassVar[str] = "protocol/run.response.schema.json"
    step: ClassVar[Step] = Step.COLLECT

    def to_json(self) -> dict[str, Any]:
        """Return the response as JSON data, checked against its schema."""
        return _built(self.schema, {"seq": self.seq, "ok": True, "result": {"trace": self.trace}})

    @classmethod
    def from_json(cls, data: Any) -> Self:
        """Return the response in ``data``, checked against its schema."""
        _received(cls.schema, data, cls.step)
        return cls(data["seq"], data["result"]["trace"])


@dataclass(frozen=True)
class ResetResponse:
    """The implementation is clean."""

    seq: int

    schema: ClassVar[str] = "protocol/reset.response.schema.json"
    step: ClassVar[Step] = Step.RESET

    def to_json(self) -> dict[str, Any]:
        """Return the response as JSON data, checked against its schema."""
        return _built(self.schema, {"seq": self.seq, "ok": True, "result": {}})

    @classmethod
    def from_json(cls, data: Any) -> Self:
        """Return the response in ``data``, checked against its schema."""
        _received(cls.schema, data, cls.step)
        return cls(data["seq"])


@dataclass(frozen=True)
class CloseResponse:
    """The adapter is about to exit."""

    seq: int

    schema: ClassVar[str] = "protocol/close.response.schema.json"
    step: ClassVar[Step] = Step.CLOSE

    def to_json(self) -> dict[str, Any]:
        """Return the response as JSON data, checked against its schema."""
        return _built(self.schema, {"seq": self.seq, "ok": True, "result": {}})

    @classmethod
    def from_json(cls, data: Any) -> Self:
        """Return the response in ``data``, checked against its schema."""
        _received(cls.schema, data, cls.step)
        return cls(data["seq"])


@dataclass(frozen=True)
class ErrorResponse:
    """The adapter could not carry out a request; ``message`` says why."""

    seq: int
    message: str
    detail: str | None = None

    schema: ClassVar[str] = "protocol/error.response.schema.json"

    def to_json(self) -> dict[str, Any]:
        """Return the response as JSON data, checked against its schema."""
        error = (
            {"message": self.message}
            if self.detail is None
            else {"message": self.message, "detail": self.detail}
        )
        return _built(self.schema, {"seq": self.seq, "ok": False, "error": error})

    @classmethod
    def from_json(cls, data: Any, *, step: Step) -> Self:
        """Return the response in ``data``, checked against its schema (errors name ``step``)."""
        _received(cls.schema, data, step)
        return cls(data["seq"], data["error"]["message"], data["error"].get("detail"))


Request = HelloRequest | RunRequest | ResetRequest | CloseRequest
Response = HelloResponse | RunResponse | ResetResponse | CloseResponse
ResponseT = TypeVar("ResponseT", HelloResponse, RunResponse, ResetResponse, CloseResponse)

_REQUESTS: dict[str, type[Request]] = {
    kind.cmd: kind for kind in (HelloRequest, RunRequest, ResetRequest, CloseRequest)
}


def parse_request(data: Any) -> Request:
    """Return the request in ``data``, dispatched on its ``cmd``."""
    cmd = data.get("cmd") if isinstance(data, dict) else None
    kind = _REQUESTS.get(cmd) if isinstance(cmd, str) else None
    if kind is None:
        raise ProtocolError.during(
            Step.RUN,
            f"unknown command {excerpt(json.dumps(cmd), 60)}",
            expected=f"a request with cmd one of {sorted(_REQUESTS)}",
            received=excerpt(json.dumps(data)),
        )
    return kind.from_json(data)


def parse_response(data: Any, expected: type[ResponseT]) -> ResponseT | ErrorResponse:
    """Return the answer in ``data``: a response of the ``expected`` class, or an error response."""
    if isinstance(data, dict) and data.get("ok") is False:
        return ErrorResponse.from_json(data, step=expected.step)
    return expected.from_json(data)
