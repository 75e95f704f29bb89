"""The wire messages: each model round-trips through JSON and checks its schema both ways."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from conformance import __version__
from conformance.adapters.errors import HandshakeError, MessageError, ProtocolError, Step
from conformance.adapters.messages import (
    CloseRequest,
    CloseResponse,
    ErrorResponse,
    HelloRequest,
    HelloResponse,
    ResetRequest,
    ResetResponse,
    RunRequest,
    RunResponse,
    decode_line,
    encode_line,
    parse_request,
    parse_response,
)
from conformance.adapters.protocol import Hello

SCENARIO: dict[str, Any] = {"pages": [{"id": "p"}], "main": {"script": [{"op": "mark", "label": "m"}]}}
TRACE: dict[str, Any] = {"processes": {"main": [{"type": "mark", "t": 1.5, "label": "m"}], "p": []}}
HELLO = Hello(
    name="impl",
    version="2.0",
    edition="v0.32",
    capabilities=frozenset({"sendSync", "timers"}),
    value_kinds=frozenset({"null"}),
    homepage="https://example.org",
)


@pytest.mark.parametrize(
    "request_",
    [HelloRequest(0), RunRequest(1, SCENARIO), ResetRequest(2), CloseRequest(3)],
    ids=lambda request: request.cmd,
)
def test_requests_round_trip(request_: Any) -> None:
    data = request_.to_json()
    assert data["protocol"] == 1 and data["cmd"] == request_.cmd
    assert parse_request(json.loads(encode_line(data))) == request_


def test_the_hello_request_names_the_suite() -> None:
    assert HelloRequest(0).to_json()["suite"] == {"name": "electron-ipc-conformance", "version": __version__}


@pytest.mark.parametrize(
    ("response", "kind"),
    [
        (HelloResponse(0, HELLO), HelloResponse),
        (RunResponse(1, TRACE), RunResponse),
        (ResetResponse(2), ResetResponse),
        (CloseResponse(3), CloseResponse),
        (ErrorResponse(4, "cannot", "because"), HelloResponse),
        (ErrorResponse(5, "cannot"), RunResponse),
    ],
)
def test_responses_round_trip(response: Any, kind: Any) -> None:
    assert parse_response(json.loads(encode_line(response.to_json())), kind) == response


def test_a_message_built_against_its_schema_is_refused() -> None:
    with pytest.raises(MessageError, match=r"run.request.schema.json at \$\.scenario\.pages\[0\]\.id"):
        RunRequest(0, {"pages": [{"id": "main"}], "main": {}}).to_json()
    with pytest.raises(MessageError, match="seq"):
        ResetRequest(-1).to_json()


def test_a_received_message_against_its_schema_names_path_message_and_excerpt() -> None:
    data = {"seq": 1, "ok": True, "result": {"trace": {"processes": {"p": []}}, "junk": "z" * 1000}}
    with pytest.raises(ProtocolError) as caught:
        parse_response(data, RunResponse)
    error = caught.value
    assert error.step is Step.COLLECT
    assert "protocol/run.response.schema.json at $.result" in error.reason
    assert error.received is not None and error.received.startswith('{"seq": 1, "ok": true')
    assert error.received.endswith("more characters)")
    assert len(error.received) < 400


def test_a_hello_of_another_protocol_version_is_a_handshake_error() -> None:
    data = HelloResponse(0, HELLO).to_json()
    data["result"]["protocol"] = 2
    with pytest.raises(HandshakeError, match="speaks protocol version 2"):
        HelloResponse.from_json(data)


def test_an_invalid_hello_is_a_handshake_error() -> None:
    with pytest.raises(HandshakeError, match=r"at \$\.result: 'edition' is a required property"):
        HelloResponse.from_json(
            {
                "seq": 0,
                "ok": True,
                "result": {
                    "protocol": 1,
                    "implementation": {"name": "x", "version": ""},
                    "capabilities": [],
                    "valueKinds": [],
                },
            }
        )


def test_an_invalid_error_response_is_a_protocol_error_of_the_step() -> None:
    with pytest.raises(ProtocolError, match=re.escape("error.response.schema.json")) as caught:
        parse_response({"seq": 0, "ok": False, "error": {}}, ResetResponse)
    assert caught.value.step is Step.RESET


def test_an_unknown_command_is_a_protocol_error() -> None:
    with pytest.raises(ProtocolError, match='unknown command "dance"'):
        parse_request({"protocol": 1, "seq": 0, "cmd": "dance"})


def test_lines_are_ascii_json_and_keep_lone_surrogates() -> None:
    line = encode_line({"s": "\ud800é"})
    assert line == b'{"s":"\\ud800\\u00e9"}\n'
    assert decode_line(line, step=Step.RUN) == {"s": "\ud800é"}


def test_values_json_cannot_carry_are_refused_on_both_sides() -> None:
    with pytest.raises(MessageError, match="JSON"):
        encode_line({"x": float("nan")})
    with pytest.raises(ProtocolError, match="not JSON"):
        decode_line(b'{"x": NaN}', step=Step.COLLECT)


@pytest.mark.parametrize(
    ("line", "says"),
    [
        (b"\xff{}", "not valid UTF-8 (byte 0"),
        (b"{", "not JSON"),
        (b"", "not JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "not JSON"),
    ],
)
def test_undecodable_lines_are_protocol_errors(line: bytes, says: str) -> None:
    with pytest.raises(ProtocolError, match=re.escape(says)) as caught:
        decode_line(line, step=Step.COLLECT)
    assert caught.value.received is not None and len(caught.value.received) < 400


def test_a_violation_inside_one_of_names_the_branch_that_fits() -> None:
    event = {"type": "deliver", "t": 1, "listener": "l", "channel": "c", "args": [1]}
    data = {"seq": 0, "ok": True, "result": {"trace": {"processes": {"main": [event]}}}}
    with pytest.raises(ProtocolError) as caught:
        parse_response(data, RunResponse)
    assert caught.value.reason.endswith(
        "at $.result.trace.processes.main[0].args[0]: 1 is not of type 'object'"
    )


def test_unevaluated_properties_give_way_to_their_cause() -> None:
    step = {"op": "send", "channel": "c", "args": [{"type": "number"}]}
    scenario = {"pages": [{"id": "p"}], "main": {}, "renderers": {"p": {"script": [step]}}}
    with pytest.raises(MessageError) as caught:
        RunRequest(0, scenario).to_json()
    assert "at $.scenario.renderers.p.script[0].args[0]: " in str(caught.value)
    assert "Unevaluated" not in str(caught.value)
