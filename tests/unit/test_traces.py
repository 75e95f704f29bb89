"""The trace reader: validates an adapter's trace, decodes its values and answers queries per process."""

from __future__ import annotations

import math
from typing import Any

import pytest
from jsonschema import ValidationError

from conformance.traces import Trace
from conformance.values.codec import encode, encode_list
from conformance.values.model import UNDEFINED, js_equal

SHARED = {"k": [1]}
REPLY = {"listener": "m1", "call": 1, "index": 0}


def _doc() -> dict[str, Any]:
    """Return a trace of a page that sends twice, blocks in a sendSync, and hosts a guest."""
    return {
        "processes": {
            "main": [
                {
                    "type": "deliver", "t": 1, "listener": "m1", "channel": "c",
                    "args": encode_list([SHARED, SHARED]), "sender": "p1", "eventToken": 0,
                    "event": {"preventDefault": True, "returnValue": "property"},
                },
                {"type": "deliver", "t": 2, "listener": "m2", "channel": "c", "args": [], "sender": None},
                {"type": "deliver", "t": 3, "listener": "m1", "channel": "s", "args": encode_list([-0.0])},
                {"type": "call-start", "t": 3.5, "origin": REPLY, "op": "reply"},
                {"type": "call-end", "t": 3.6, "origin": REPLY, "op": "reply", "value": encode(UNDEFINED)},
                {"type": "return-read", "t": 4, "origin": {"listener": "m1", "call": 1, "index": 1},
                 "value": encode(UNDEFINED)},
                {"type": "script-end", "t": 5},
            ],
            "p1": [
                {"type": "call-start", "t": 0, "origin": {"index": 0}, "op": "send"},
                {"type": "call-end", "t": 0.5, "origin": {"index": 0}, "op": "send",
                 "value": encode(UNDEFINED)},
                {"type": "call-start", "t": 0.6, "origin": {"index": 1}, "op": "webviewSend"},
                {"type": "call-end", "t": 0.7, "origin": {"index": 1}, "op": "webviewSend",
                 "error": {"name": "TypeError", "message": "no guest"}},
                {"type": "call-start", "t": 0.8, "origin": {"index": 2}, "op": "sendSync"},
                {"type": "host-message", "t": 6, "listener": "h1", "element": "w1", "channel": encode(5),
                 "args": encode_list(["a", math.nan])},
                {"type": "timer", "t": 7, "label": "tick"},
            ],
        }
    }  # fmt: skip


@pytest.fixture
def trace() -> Trace:
    return Trace.from_json(_doc())


def test_events_keep_each_process_order_with_positions(trace: Trace) -> None:
    assert [e.type for e in trace.events("p1")] == [
        "call-start", "call-end", "call-start", "call-end", "call-start", "host-message", "timer",
    ]  # fmt: skip
    assert [e.position for e in trace.events("p1")] == list(range(7))
    assert all(e.process == "p1" for e in trace.events("p1"))
    assert [e.t for e in trace.events("p1", "call-start")] == [0.0, 0.6, 0.8]


def test_a_process_without_events_has_none(trace: Trace) -> None:
    assert trace.events("p9") == [] and trace.deliveries("p9") == [] and trace.calls("p9") == []


def test_all_events_covers_every_process(trace: Trace) -> None:
    assert sum(1 for _ in trace.all_events()) == len(_doc()["processes"]["main"]) + 7


def test_deliveries_decode_their_arguments_in_one_id_space(trace: Trace) -> None:
    first, second, third = trace.deliveries("main")
    assert js_equal(first.args[0], SHARED)
    assert first.args[1] is first.args[0]
    assert (first.get("sender"), second.get("sender"), third.get("sender")) == ("p1", None, None)
    assert first.get("event") == {"preventDefault": True, "returnValue": "property"}
    assert math.copysign(1.0, third.args[0]) == -1.0  # type: ignore[arg-type]


def test_deliveries_filter_by_listener(trace: Trace) -> None:
    assert [d.get("channel") for d in trace.deliveries("main", "m1")] == ["c", "s"]
    assert [d.get("listener") for d in trace.deliveries("main", "m2")] == ["m2"]


def test_fields_hold_the_undecoded_members_only(trace: Trace) -> None:
    event = trace.deliveries("main")[0]
    assert set(event.fields) == {"listener", "channel", "sender", "eventToken", "event"}
    assert event.get("missing", "default") == "default"


def test_host_messages_decode_the_channel_value(trace: Trace) -> None:
    (message,) = trace.host_messages("p1")
    assert message.get("channel") == 5 and message.get("element") == "w1"
    assert message.args[0] == "a" and math.isnan(message.args[1])  # type: ignore[arg-type]


def test_calls_pair_starts_with_ends(trace: Trace) -> None:
    send, webview, sync = trace.calls("p1")
    assert send.returned and send.error is None and send.end is not None
    assert send.end.has_value and send.end.value is UNDEFINED
    assert not webview.returned and webview.error == {"name": "TypeError", "message": "no guest"}
    assert sync.end is None and not sync.returned and sync.error is None


def test_calls_filter_by_op(trace: Trace) -> None:
    assert [c.start.get("op") for c in trace.calls("p1", "sendSync")] == ["sendSync"]
    assert trace.calls("p1", "sendToHost") == []


def test_a_listener_call_is_paired_by_its_origin(trace: Trace) -> None:
    (reply,) = trace.calls("main")
    assert reply.start.origin == ("m1", 1, 0)
    assert reply.returned


def test_call_finds_a_script_step_by_index(trace: Trace) -> None:
    assert trace.call("p1", 1).start.get("op") == "webviewSend"
    with pytest.raises(LookupError, match="step 3 of the script of 'p1'"):
        trace.call("p1", 3)
    with pytest.raises(LookupError):
        trace.call("main", 0)  # main's only call is a listener's, not a script step's


def test_events_without_a_value_say_so(trace: Trace) -> None:
    start = trace.events("p1", "call-start")[0]
    assert not start.has_value and start.value is None
    read = trace.events("main", "return-read")[0]
    assert read.has_value and read.value is UNDEFINED


def test_the_raw_document_is_kept() -> None:
    doc = _doc()
    assert Trace.from_json(doc).raw is doc


def _without_main(doc: dict[str, Any]) -> None:
    del doc["processes"]["main"]


def _unknown_event(doc: dict[str, Any]) -> None:
    doc["processes"]["main"].append({"type": "teleport", "t": 0})


def _end_with_value_and_error(doc: dict[str, Any]) -> None:
    doc["processes"]["p1"][1]["error"] = {"name": "Error", "message": "x"}


def _deliver_without_args(doc: dict[str, Any]) -> None:
    del doc["processes"]["main"][1]["args"]


def _bad_value(doc: dict[str, Any]) -> None:
    doc["processes"]["main"][2]["args"] = [{"type": "number", "value": "-1"}]


@pytest.mark.parametrize(
    "breaks", [_without_main, _unknown_event, _end_with_value_and_error, _deliver_without_args, _bad_value]
)
def test_a_trace_that_breaks_its_schema_is_refused(breaks: Any) -> None:
    doc = _doc()
    breaks(doc)
    with pytest.raises(ValidationError):
        Trace.from_json(doc)


def test_a_dangling_reference_is_refused() -> None:
    doc = _doc()
    doc["processes"]["main"][1]["args"] = [{"type": "ref", "id": 9}]
    with pytest.raises(ValueError, match="9"):
        Trace.from_json(doc)
