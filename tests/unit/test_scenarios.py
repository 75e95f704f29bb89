"""The scenario builder: every step it makes is valid scenario data, encoded as the schema says."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import ValidationError

from conformance.scenarios import (
    MAIN,
    OMITTED,
    ChannelValue,
    Listener,
    Scenario,
    busy,
    destroy,
    mark,
    on,
    read_return_value,
    remove_all_listeners,
    remove_listener,
    reply,
    ret,
    send,
    send_channel,
    send_channel_sync,
    send_sync,
    send_to_host,
    set_timeout,
    throw,
    wait,
    web_contents_send,
    webview_send,
)
from conformance.values.codec import decode, decode_list, encode
from conformance.values.model import UNDEFINED, Value, js_equal, js_equal_lists
from conformance.values.strategies import channel_names, js_values


def _full_scenario() -> Scenario:
    """Return a scenario that uses every kind of step once."""
    answer = Listener("m1", "sync", (read_return_value(), ret(echo=True), reply("back", echo=True)))
    late = Listener("m2", "late", (ret(7, after_ms=5), throw("boom")), once=True)
    return (
        Scenario("e1", "p1")
        .guest("g1", embedder="e1", element="w1")
        .empty_element("e1", "w2")
        .listen(MAIN, answer)
        .listen(MAIN, late)
        .listen("p1", Listener("r1", "back", (remove_listener("r1"),)))
        .listen_host("e1", "h1", "w1", mark("host"))
        .script(MAIN, web_contents_send("p1", "hello", 1), wait(5), destroy("p1"))
        .script("e1", webview_send("w1", "ping", "x"), webview_send("w2", "ping"))
        .script("g1", send_to_host("pong", [1, 2]), send_to_host(ChannelValue(5)))
        .script(
            "p1",
            send("a", {"k": [1]}, mutate_after=True),
            send_sync("sync", UNDEFINED),
            send_channel("a"),
            send_channel_sync("sync", None),
            on(Listener("r2", "later")),
            remove_all_listeners("later"),
            remove_all_listeners(),
            busy(1),
            set_timeout(1, "tick"),
            mark("end"),
        )
        .limits(block_ms=100, settle_ms=10)
    )


def test_a_scenario_with_every_step_is_valid() -> None:
    doc = _full_scenario().to_json()
    assert [page["id"] for page in doc["pages"]] == ["e1", "p1", "g1"]
    assert doc["pages"][2]["guest"] == {"embedder": "e1", "element": "w1"}
    assert doc["elements"] == [{"page": "e1", "element": "w2"}]
    assert doc["limits"] == {"blockMs": 100, "settleMs": 10}
    assert set(doc["renderers"]) == {"e1", "g1", "p1"}
    assert doc["renderers"]["e1"]["hostListeners"] == [
        {"id": "h1", "element": "w1", "actions": [{"op": "mark", "label": "host"}]}
    ]
    ops = [step["op"] for step in doc["renderers"]["p1"]["script"]]
    assert ops == [
        "send", "sendSync", "sendChannel", "sendChannelSync", "on", "removeAllListeners",
        "removeAllListeners", "busy", "setTimeout", "mark",
    ]  # fmt: skip


def test_a_bare_scenario_has_only_pages_and_main() -> None:
    assert Scenario("p1").to_json() == {"pages": [{"id": "p1"}], "main": {"listeners": [], "script": []}}


def test_pages_keep_their_creation_order() -> None:
    scenario = Scenario("b", "a").page("c").guest("d", embedder="a", element="w")
    assert scenario.page_ids == ["b", "a", "c", "d"]


def test_a_string_channel_travels_as_channel() -> None:
    assert send("c", 1) == {"op": "send", "channel": "c", "args": [encode(1)]}


def test_an_omitted_channel_leaves_out_both_channel_fields() -> None:
    assert send(OMITTED) == {"op": "send", "args": []}


def test_arguments_without_a_channel_are_refused() -> None:
    with pytest.raises(ValidationError):
        Scenario("p1").script("p1", send(OMITTED, "x")).to_json()


def test_a_channel_value_shares_the_id_space_of_the_arguments() -> None:
    shared: dict[str, Value] = {"k": 1}
    step = send(ChannelValue(shared), shared)
    assert "channel" not in step
    channel, arg = decode_list([step["channelValue"], *step["args"]])
    assert js_equal(channel, {"k": 1})
    assert arg is channel


def test_echo_replaces_the_arguments() -> None:
    assert reply("c", echo=True) == {"op": "reply", "echo": True, "channel": "c"}
    assert webview_send("w1", "c", echo=True) == {
        "op": "webviewSend",
        "element": "w1",
        "echo": True,
        "channel": "c",
    }


def test_steps_name_their_target() -> None:
    assert web_contents_send("p1", "c")["page"] == "p1"
    assert webview_send("w1", "c")["element"] == "w1"
    assert destroy("p1") == {"op": "destroy", "page": "p1"}


def test_mutate_after_is_written_only_when_asked() -> None:
    assert send("c", [1], mutate_after=True)["mutateAfter"] is True
    assert "mutateAfter" not in send("c", [1])


@pytest.mark.parametrize("value", [None, 0, UNDEFINED, [1, {"a": None}]], ids=repr)
def test_ret_encodes_any_value_even_null_and_undefined(value: Value) -> None:
    step = ret(value)
    assert step["op"] == "return" and "echo" not in step and "afterMs" not in step
    assert js_equal(decode(step["value"]), value)


def test_ret_echo_and_delay() -> None:
    assert ret(echo=True, after_ms=0) == {"op": "return", "echo": True, "afterMs": 0}


@pytest.mark.parametrize("call", [lambda: ret(), lambda: ret(1, echo=True)], ids=["neither", "both"])
def test_ret_takes_a_value_or_echo(call: Any) -> None:
    with pytest.raises(ValueError, match="either a value or echo"):
        call()


def test_a_once_listener_says_so_and_others_do_not() -> None:
    assert Listener("l1", "c", once=True).to_json() == {
        "id": "l1",
        "channel": "c",
        "actions": [],
        "once": True,
    }
    assert "once" not in Listener("l1", "c").to_json()


def test_remove_all_listeners_of_one_channel_or_all() -> None:
    assert remove_all_listeners("c") == {"op": "removeAllListeners", "channel": "c"}
    assert remove_all_listeners() == {"op": "removeAllListeners"}


def test_limits_are_written_only_when_set() -> None:
    assert Scenario("p1").limits(settle_ms=0).to_json()["limits"] == {"settleMs": 0}
    assert "limits" not in Scenario("p1").limits().to_json()


@pytest.mark.parametrize(
    "scenario",
    [
        Scenario("main"),
        Scenario("P1"),
        Scenario("p1").guest("g1", embedder="p1", element=""),
        Scenario("p1").listen("p1", Listener("Bad", "c")),
        Scenario("p1").script("p1", busy(-1)),
        Scenario("p1").limits(block_ms=-5),
        Scenario("p1").script("p1", {"op": "teleport"}),
    ],
    ids=["page-named-main", "uppercase-page", "empty-element", "bad-listener-id", "negative-busy",
         "negative-limit", "unknown-op"],
)  # fmt: skip
def test_an_invalid_scenario_is_refused(scenario: Scenario) -> None:
    with pytest.raises(ValidationError):
        scenario.to_json()


_BUILDERS = [send, send_sync, send_to_host, send_channel, send_channel_sync]
_CHANNELS = st.one_of(channel_names(), st.just(OMITTED), js_values(max_leaves=3).map(ChannelValue))


@settings(max_examples=40, deadline=None)
@given(
    build=st.sampled_from(_BUILDERS),
    channel=_CHANNELS,
    args=st.lists(js_values(max_leaves=4), max_size=3),
)
def test_message_steps_are_valid_and_carry_their_values(
    build: Any, channel: str | ChannelValue | object, args: list[Value]
) -> None:
    args = [] if channel is OMITTED else args  # ipc.send() with no channel sends no arguments either
    step = build(channel, *args)
    Scenario("p1").script("p1", step).to_json()
    if isinstance(channel, ChannelValue):
        sent = decode_list([step["channelValue"], *step["args"]])
        assert js_equal_lists(sent, [channel.value, *args])
    else:
        assert step.get("channel", OMITTED) == channel
        assert js_equal_lists(decode_list(step["args"]), args)
