"""Channels and dispatch (CH): every argument reaches main's single emitter, keyed by channel."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformance.checks.dispatch import expected_calls
from conformance.checks.messages import expected_delivery
from conformance.plugin import IpcFixture
from conformance.scenarios import (
    MAIN,
    OMITTED,
    ChannelValue,
    Listener,
    Scenario,
    mark,
    on,
    remove_all_listeners,
    remove_listener,
    send,
    throw,
    wait,
    web_contents_send,
)
from conformance.suite.profiles import suite_settings
from conformance.values.model import UNDEFINED, Value, js_equal_lists
from conformance.values.render import render, render_list
from conformance.values.strategies import channel_names, json_like_values
from conformance.verdicts import Checker


@pytest.mark.clause("CH-1")
@suite_settings()
@given(args=st.lists(json_like_values(max_leaves=6), max_size=5))
def test_send_emits_every_argument_in_order(ipc: IpcFixture, args: list[Value]) -> None:
    step = send("c", *args)
    trace = ipc.run(Scenario("p1").listen(MAIN, Listener("m1", "c")).script("p1", step))
    check = Checker()
    deliveries = trace.deliveries(MAIN, "m1")
    if check.expect(
        "CH-1", len(deliveries) == 1, f"main's listener was called {len(deliveries)} times, not once"
    ):
        expected = expected_delivery(ipc.edition, step)
        check.expect_args(
            "CH-1", deliveries[0].args, expected.args, "arguments of the listener", key_order=False
        )
    check.verify()


@pytest.mark.clause("CH-2", "CH-1")
@suite_settings(max_examples=10)
@given(senders=st.lists(st.sampled_from(["p1", "p2", "p3"]), min_size=1, max_size=8))
def test_one_emitter_for_all_pages_with_the_sender(ipc: IpcFixture, senders: list[str]) -> None:
    """Messages from every page reach main's one listener, each with its page as sender.

    When none arrives at all, main's listener is never called: that is CH-1, and CH-2
    cannot be judged.
    """
    scenario = Scenario("p1", "p2", "p3").listen(MAIN, Listener("m1", "c"))
    for n, page in enumerate(senders):
        scenario.script(page, send("c", page, n))
    trace = ipc.run(scenario)
    check = Checker()
    seen = sorted(
        (d.args[1], d.args[0], d.get("sender")) for d in trace.deliveries(MAIN, "m1") if len(d.args) == 2
    )
    expected = sorted((n, page, page) for n, page in enumerate(senders))
    if check.expect(
        "CH-1",
        bool(trace.deliveries(MAIN, "m1")),
        "main's listener is called for the pages' messages",
        observed="no call",
    ):
        check.expect(
            "CH-2",
            seen == expected,
            "one listener in main must get every page's messages, with event.sender telling the page",
            expected=repr(expected),
            observed=repr(seen),
        )
    check.verify()


@pytest.mark.clause("CH-3")
def test_listeners_run_in_order_with_one_event(ipc: IpcFixture) -> None:
    scenario = Scenario("p1")
    for name in ("m1", "m2", "m3"):
        scenario.listen(MAIN, Listener(name, "c"))
    trace = ipc.run(scenario.script("p1", send("c", 1), send("c", 2)))
    check = Checker()
    deliveries = trace.deliveries(MAIN)
    order = [(d.get("listener"), d.args) for d in deliveries]
    expected = [(m, [n]) for n in (1, 2) for m in ("m1", "m2", "m3")]
    check.expect(
        "CH-3",
        order == expected,
        "listeners run in registration order, message by message",
        expected=repr(expected),
        observed=repr(order),
    )
    tokens = [d.get("eventToken") for d in deliveries]
    if len(tokens) == 6 and None not in tokens:
        check.expect(
            "CH-3",
            tokens[0] == tokens[1] == tokens[2] != tokens[3] == tokens[4] == tokens[5],
            "all listeners of one message get the same event object, and the next message another",
            observed=repr(tokens),
        )
    check.verify()


@pytest.mark.clause("CH-3", "ERR-2")
def test_a_throwing_listener_stops_the_rest_and_stays_in_main(ipc: IpcFixture) -> None:
    scenario = (
        Scenario("p1")
        .listen(MAIN, Listener("m1", "c"))
        .listen(MAIN, Listener("m2", "c", [throw("m2 fails")]))
        .listen(MAIN, Listener("m3", "c"))
        .script("p1", send("c", 1), mark("after"))
    )
    trace = ipc.run(scenario)
    check = Checker()
    called = [d.get("listener") for d in trace.deliveries(MAIN)]
    check.expect(
        "CH-3",
        called == ["m1", "m2"],
        "a listener that throws stops the ones after it",
        expected="['m1', 'm2']",
        observed=repr(called),
    )
    exceptions = trace.events(MAIN, "exception")
    check.expect(
        "CH-3",
        len(exceptions) == 1,
        "the exception surfaces as an uncaught exception in main",
        observed=f"{len(exceptions)} uncaught exceptions in main",
    )
    call = trace.call("p1", 0)
    check.expect("ERR-2", call.returned, "the sender's send returns normally", observed=repr(call.error))
    check.expect(
        "ERR-2",
        not trace.events("p1", "exception"),
        "nothing is thrown in the sending page",
        observed=repr([e.get("error") for e in trace.events("p1", "exception")]),
    )
    check.verify()


@pytest.mark.clause("CH-3", "ORD-6")
@suite_settings(max_examples=15)
@given(data=st.data())
def test_listeners_added_or_removed_while_dispatching(ipc: IpcFixture, data: st.DataObject) -> None:
    """Changes made by a listener take effect from the next message on (Node's emitter copies its list)."""
    actions = st.sampled_from(
        [
            on(Listener("n1", "c")),
            on(Listener("n2", "c", once=True)),
            remove_listener("m1"),
            remove_listener("m2"),
            remove_listener("n1"),
            remove_all_listeners("c"),
        ]
    )
    listeners = [
        Listener("m1", "c", data.draw(st.lists(actions, max_size=2), label="m1 actions")),
        Listener(
            "m2",
            "c",
            data.draw(st.lists(actions, max_size=2), label="m2 actions"),
            once=data.draw(st.booleans(), label="m2 once"),
        ),
    ]
    messages = data.draw(st.integers(2, 5), label="messages")
    scenario = Scenario("p1")
    for listener in listeners:
        scenario.listen(MAIN, listener)
    scenario.script("p1", *(send("c", n) for n in range(messages)))
    trace = ipc.run(scenario)
    observed: list[list[str]] = [[] for _ in range(messages)]
    for delivery in trace.deliveries(MAIN):
        if delivery.args and isinstance(delivery.args[0], int | float) and 0 <= delivery.args[0] < messages:
            observed[int(delivery.args[0])].append(delivery.get("listener"))
    expected = expected_calls([listener.to_json() for listener in listeners], ["c"] * messages, observed)
    check = Checker()
    for n, (want, got) in enumerate(zip(expected, observed, strict=True)):
        _expect_listener_calls(check, "CH-3", f"listeners called for message {n}", want, got)
    check.verify()


def _expect_listener_calls(check: Checker, clause: str, what: str, want: list[str], got: list[str]) -> None:
    """Expect one message's listener calls: lost, or delivered again whole, is ORD-6; the rest ``clause``."""
    lost = bool(want) and not got
    repeated = bool(want) and len(got) > len(want) and got == want * (len(got) // len(want))
    check.expect(
        "ORD-6" if lost or repeated else clause, got == want, what, expected=repr(want), observed=repr(got)
    )


@pytest.mark.clause("CH-4")
def test_a_message_without_listener_is_dropped(ipc: IpcFixture) -> None:
    scenario = (
        Scenario("p1")
        .listen(MAIN, Listener("m1", "known"))
        .script("p1", send("unknown", 1), send("known", 2))
    )
    trace = ipc.run(scenario)
    check = Checker()
    got = [d.args for d in trace.deliveries(MAIN)]
    check.expect("CH-4", got == [[2]], "only the message with a listener arrives", observed=repr(got))
    check.expect(
        "CH-4",
        not trace.events(MAIN, "exception"),
        "no error in main",
        observed=repr([e.get("error") for e in trace.events(MAIN, "exception")]),
    )
    check.expect("CH-4", trace.call("p1", 0).returned, "the send returns normally")
    check.verify()


_CHANNEL_VALUES = st.one_of(
    st.integers(-5, 5),
    st.floats(allow_nan=True),
    st.booleans(),
    st.none(),
    st.just(UNDEFINED),
    json_like_values(max_leaves=3),
    st.just(OMITTED),
)


@pytest.mark.clause("CH-5", "ERR-1")
@suite_settings()
@given(channels=st.lists(_CHANNEL_VALUES, min_size=4, max_size=8), arg=json_like_values(max_leaves=3))
def test_a_non_string_channel_becomes_a_string_key(
    ipc: IpcFixture, channels: list[object], arg: Value
) -> None:
    """Rejects a channel keyed otherwise than by ``String()`` (by its JSON text, say), or refused.

    Several channels per scenario, each message tagged by its last argument: a key that
    is wrong for a few kinds of values only (NaN, arrays, objects) shows on every run.
    """
    steps = [
        send(OMITTED) if channel is OMITTED else send(ChannelValue(channel), arg, n)  # type: ignore[arg-type]
        for n, channel in enumerate(channels)
    ]
    expected = [expected_delivery(ipc.edition, step) for step in steps]
    keys = sorted({str(want.channel) for want in expected})
    scenario = Scenario("p1").script("p1", *steps)
    for n, key in enumerate(keys):
        scenario.listen(MAIN, Listener(f"m{n}", key))
    trace = ipc.run(scenario)
    check = Checker()
    for index in range(len(steps)):
        call = trace.call("p1", index)
        check.expect(
            "ERR-1",
            call.returned,
            f"send (step {index}) does not validate its channel",
            observed=repr(call.error),
        )
    unmatched = {key: [d.args for d in trace.deliveries(MAIN, f"m{n}")] for n, key in enumerate(keys)}
    for index, want in enumerate(expected):
        got = unmatched[str(want.channel)]
        match = next(
            (n for n, args in enumerate(got) if js_equal_lists(args, want.args, key_order=False)), None
        )
        if match is not None:
            del got[match]
        check.expect(
            "CH-5",
            match is not None,
            f"the listener of {want.channel!r} gets the message of step {index}, sent on"
            f" {render(channels[index]) if channels[index] is not OMITTED else 'no channel'}",
            expected=render_list([*want.args]),
            observed="; ".join(render_list([*args]) for args in got) or "nothing left for it",
        )
    strays = {key: got for key, got in unmatched.items() if got}
    check.expect("CH-5", not strays, "no listener gets other messages", observed=repr(strays))
    check.verify()


@pytest.mark.clause("CH-6")
def test_error_channel_without_listener_throws_in_the_receiver(ipc: IpcFixture) -> None:
    scenario = (
        Scenario("p1")
        .listen(MAIN, Listener("m1", "after"))
        .listen("p1", Listener("l1", "after"))
        .script("p1", send("error", "x"), send("after"))
        .script(MAIN, wait(50), web_contents_send("p1", "error", "y"), web_contents_send("p1", "after"))
    )
    trace = ipc.run(scenario)
    check = Checker()
    for process in (MAIN, "p1"):
        thrown = trace.events(process, "exception")
        check.expect(
            "CH-6",
            len(thrown) == 1,
            f"'error' with no listener throws in {process}",
            observed=f"{len(thrown)} uncaught exceptions",
        )
        check.expect(
            "CH-6",
            len(trace.deliveries(process, "m1" if process == MAIN else "l1")) == 1,
            f"{process} goes on dispatching after the 'error' message",
        )
    check.verify()


@pytest.mark.clause("CH-7")
@suite_settings()
@given(
    names=st.lists(channel_names(), min_size=1, max_size=3, unique=True).filter(lambda n: "error" not in n)
)
def test_channel_names_are_free_text(ipc: IpcFixture, names: list[str]) -> None:
    scenario = Scenario("p1")
    for n, name in enumerate(names):
        scenario.listen(MAIN, Listener(f"m{n}", name))
    scenario.script("p1", *(send(name, n) for n, name in enumerate(names)))
    trace = ipc.run(scenario)
    check = Checker()
    for n, name in enumerate(names):
        got = [d.args for d in trace.deliveries(MAIN, f"m{n}")]
        check.expect(
            "CH-7",
            got == [[n]],
            f"the listener of {name!r} gets exactly the message sent on it",
            expected=repr([[n]]),
            observed=repr(got),
        )
    check.verify()


@pytest.mark.clause("CH-8", "ORD-6")
@suite_settings(max_examples=15)
@given(data=st.data())
def test_page_ipc_is_an_event_emitter(ipc: IpcFixture, data: st.DataObject) -> None:
    """A page's on/once/removeListener/removeAllListeners, driven by messages from main."""
    actions = st.sampled_from(
        [
            on(Listener("n1", "c")),
            on(Listener("n2", "c", once=True)),
            remove_listener("l1"),
            remove_listener("n1"),
            remove_all_listeners("c"),
            remove_all_listeners(),
        ]
    )
    listeners = [
        Listener("l1", "c", data.draw(st.lists(actions, max_size=2), label="l1 actions")),
        Listener(
            "l2",
            "c",
            data.draw(st.lists(actions, max_size=2), label="l2 actions"),
            once=data.draw(st.booleans(), label="l2 once"),
        ),
    ]
    messages = data.draw(st.integers(2, 5), label="messages")
    scenario = Scenario("p1").script(MAIN, *(web_contents_send("p1", "c", n) for n in range(messages)))
    for listener in listeners:
        scenario.listen("p1", listener)
    trace = ipc.run(scenario)
    observed: list[list[str]] = [[] for _ in range(messages)]
    for delivery in trace.deliveries("p1"):
        if delivery.args and isinstance(delivery.args[-1], int | float) and 0 <= delivery.args[-1] < messages:
            observed[int(delivery.args[-1])].append(delivery.get("listener"))
    expected = expected_calls([listener.to_json() for listener in listeners], ["c"] * messages, observed)
    check = Checker()
    for n, (want, got) in enumerate(zip(expected, observed, strict=True)):
        _expect_listener_calls(check, "CH-8", f"page listeners called for message {n}", want, got)
    check.verify()
