"""``serve``: the adapter side of the protocol, driven here in-process through byte streams."""

from __future__ import annotations

import io
import json
from collections.abc import Mapping
from typing import Any

import pytest

from conformance.adapters.messages import CloseRequest, HelloRequest, ResetRequest, RunRequest, encode_line
from conformance.adapters.protocol import Hello
from conformance.adapters.serve import serve

SCENARIO: dict[str, Any] = {"pages": [], "main": {}}
TRACE: dict[str, Any] = {"processes": {"main": []}}


class Recorder:
    """An in-process adapter that records its calls and returns ``trace`` from run."""

    def __init__(self, trace: Any = TRACE) -> None:
        self.calls: list[str] = []
        self.trace = trace

    def hello(self) -> Hello:
        self.calls.append("hello")
        return Hello("recorder", "1", "v0.32", frozenset(), frozenset())

    def run(self, scenario: Mapping[str, Any], *, timeout: float) -> dict[str, Any]:
        self.calls.append(f"run {timeout:g}")
        print("printed by the adapter")
        if scenario["main"].get("script"):
            raise RuntimeError("no scripts here")
        result: dict[str, Any] = self.trace
        return result

    def reset(self, *, timeout: float) -> None:
        self.calls.append("reset")

    def close(self) -> None:
        self.calls.append("close")


def session(adapter: Any, *lines: bytes, timeout: float = 60.0) -> tuple[int, list[dict[str, Any]]]:
    """Return the exit status and the answers of ``serve`` given ``lines``."""
    output = io.BytesIO()
    status = serve(lambda: adapter, stdin=io.BytesIO(b"".join(lines)), stdout=output, timeout=timeout)
    return status, [json.loads(line) for line in output.getvalue().splitlines()]


def test_a_whole_session_is_answered_in_order() -> None:
    adapter = Recorder()
    status, answers = session(
        adapter,
        encode_line(HelloRequest(0).to_json()),
        encode_line(RunRequest(1, SCENARIO).to_json()),
        encode_line(ResetRequest(2).to_json()),
        encode_line(CloseRequest(3).to_json()),
        encode_line(ResetRequest(4).to_json()),
        timeout=7.0,
    )
    assert status == 0
    assert [answer["seq"] for answer in answers] == [0, 1, 2, 3]
    assert all(answer["ok"] for answer in answers)
    assert answers[0]["result"]["implementation"] == {"name": "recorder", "version": "1"}
    assert answers[1]["result"] == {"trace": TRACE}
    assert adapter.calls[:4] == ["hello", "run 7", "reset", "close"]


def test_prints_of_the_adapter_stay_off_the_protocol_stream(capsys: pytest.CaptureFixture[str]) -> None:
    _, answers = session(Recorder(), encode_line(RunRequest(0, SCENARIO).to_json()))
    assert answers == [{"seq": 0, "ok": True, "result": {"trace": TRACE}}]
    assert "printed by the adapter" in capsys.readouterr().err


def test_an_exception_becomes_an_error_answer() -> None:
    scenario = {"pages": [], "main": {"script": [{"op": "mark", "label": "x"}]}}
    status, answers = session(Recorder(), encode_line(RunRequest(5, scenario).to_json()))
    assert status == 0
    assert answers[0]["seq"] == 5 and answers[0]["ok"] is False
    assert answers[0]["error"]["message"] == "RuntimeError: no scripts here"
    assert "Traceback" in answers[0]["error"]["detail"]


def test_an_invalid_trace_becomes_an_error_answer() -> None:
    _, answers = session(Recorder(trace={"processes": {}}), encode_line(RunRequest(0, SCENARIO).to_json()))
    assert answers[0]["ok"] is False
    assert "the adapter's answer breaks the protocol" in answers[0]["error"]["message"]
    assert "'main' is a required property" in answers[0]["error"]["message"]


def test_an_invalid_request_with_a_seq_is_answered_and_serving_goes_on() -> None:
    adapter = Recorder()
    status, answers = session(
        adapter,
        b'{"protocol": 1, "seq": 3, "cmd": "run", "scenario": {}}\n',
        encode_line(ResetRequest(4).to_json()),
    )
    assert status == 0
    assert answers[0]["seq"] == 3 and answers[0]["ok"] is False
    assert answers[0]["error"]["message"].startswith("invalid request: ")
    assert answers[1] == {"seq": 4, "ok": True, "result": {}}


@pytest.mark.parametrize("line", [b"not json\n", b'{"cmd": "reset"}\n', b'{"seq": -1}\n'])
def test_an_unanswerable_request_ends_serving(line: bytes) -> None:
    adapter = Recorder()
    status, answers = session(adapter, line, encode_line(ResetRequest(1).to_json()))
    assert (status, answers) == (2, [])
    assert adapter.calls == ["close"]


def test_the_end_of_input_closes_the_adapter() -> None:
    adapter = Recorder()
    assert session(adapter, encode_line(ResetRequest(0).to_json())) == (
        0,
        [{"seq": 0, "ok": True, "result": {}}],
    )
    assert adapter.calls == ["reset", "close"]


def test_an_adapter_that_cannot_be_created_answers_the_first_request_with_why() -> None:
    def broken_factory() -> Recorder:
        raise OSError("no implementation here")

    output = io.BytesIO()
    status = serve(broken_factory, stdin=io.BytesIO(encode_line(HelloRequest(0).to_json())), stdout=output)
    answer = json.loads(output.getvalue())
    assert status == 1
    assert answer["seq"] == 0 and answer["ok"] is False
    assert answer["error"]["message"] == "the adapter could not be created: OSError: no implementation here"
