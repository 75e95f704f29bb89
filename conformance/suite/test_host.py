"""Routing to the host page (HOST): sendToHost to the embedder's <webview> element, and <webview>.send."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformance.checks.messages import expected_delivery
from conformance.plugin import IpcFixture
from conformance.scenarios import (
    MAIN,
    OMITTED,
    ChannelValue,
    Listener,
    Scenario,
    Step,
    busy,
    send,
    send_to_host,
    wait,
    webview_send,
)
from conformance.suite.profiles import suite_settings
from conformance.traces import Event
from conformance.values.model import UNDEFINED, Value, js_equal_lists
from conformance.values.render import render_list
from conformance.values.strategies import channel_names, json_like_values
from conformance.verdicts import Checker

_ARGS = st.lists(json_like_values(max_leaves=4), max_size=4)


def _expect_tagged(
    check: Checker,
    clause: str,
    ipc: IpcFixture,
    received: Sequence[Event],
    sent: Sequence[Step],
    where: str,
) -> None:
    """Expect ``received`` to be the messages of ``sent`` (each tagged by its last argument), once each.

    Order is not judged (ORD-5 is its own clause), nor anything before the arguments a
    page's listener gets (M2R-2); each message's arguments are, without key order.
    """
    by_tag: dict[object, list[list[Value]]] = {}
    for event in received:
        by_tag.setdefault(event.args[-1] if event.args else None, []).append(event.args)
    expected_tags = []
    for step in sent:
        expected = expected_delivery(ipc.edition, step)
        tag = expected.args[-1]
        expected_tags.append(tag)
        got = by_tag.get(tag, [])
        if check.expect(
            clause, len(got) == 1, f"{where}: message {tag!r} arrives once", observed=f"{len(got)} times"
        ):
            tail = got[0][-len(expected.args) :]
            check.expect_args(clause, tail, expected.args, f"{where}: message {tag!r}", key_order=False)
    strays = sorted(repr(tag) for tag in by_tag if tag not in expected_tags)
    check.expect(clause, not strays, f"{where}: no other message arrives", observed=", ".join(strays))


@pytest.mark.clause("HOST-1")
@suite_settings()
@given(channel=st.one_of(st.just("c"), channel_names()), args=_ARGS)
def test_send_to_host_fires_ipc_message_on_the_element(
    ipc: IpcFixture, channel: str, args: list[Value]
) -> None:
    """Rejects a sendToHost that is lost, or whose 'ipc-message' lacks the channel or some arguments."""
    step = send_to_host(channel, *args)
    scenario = (
        Scenario("e1")
        .guest("g1", embedder="e1", element="w1")
        .listen_host("e1", "h1", "w1")
        .script("g1", step)
    )
    trace = ipc.run(scenario)
    check = Checker()
    messages = trace.host_messages("e1")
    if check.expect(
        "HOST-1", len(messages) == 1, "one 'ipc-message' event", observed=f"{len(messages)} events"
    ):
        message = messages[0]
        check.expect(
            "HOST-1",
            message.get("element") == "w1" and message.get("listener") == "h1",
            "the event fires on the guest's element",
            expected="w1",
            observed=repr(message.get("element")),
        )
        expected = expected_delivery(ipc.edition, step)
        check.expect_args(
            "HOST-1",
            [message.get("channel"), *message.args],
            [expected.channel, *expected.args],
            "event.channel, then event.args",
            key_order=False,
        )
    check.verify()


@pytest.mark.clause("HOST-1")
@suite_settings(max_examples=10)
@given(
    messages=st.lists(
        st.tuples(
            st.one_of(st.just("c"), channel_names()), st.lists(json_like_values(max_leaves=2), max_size=2)
        ),
        min_size=2,
        max_size=6,
    )
)
def test_every_send_to_host_fires_its_own_ipc_message(
    ipc: IpcFixture, messages: list[tuple[str, list[Value]]]
) -> None:
    """Rejects what the test above rejects, with several messages per scenario: a sendToHost lost
    or altered for some channels or argument lists only (no argument at all, a long name) would
    escape one message per scenario on some runs. Their order is ORD-5's, not judged here."""
    steps = [send_to_host(channel, *args) for channel, args in messages]
    scenario = (
        Scenario("e1")
        .guest("g1", embedder="e1", element="w1")
        .listen_host("e1", "h1", "w1")
        .script("g1", *steps)
    )
    trace = ipc.run(scenario)
    check = Checker()
    unmatched = [[m.get("channel"), *m.args] for m in trace.host_messages("e1") if m.get("element") == "w1"]
    for step in steps:
        expected = expected_delivery(ipc.edition, step)
        want = [expected.channel, *expected.args]
        match = next(
            (n for n, got in enumerate(unmatched) if js_equal_lists(got, want, key_order=False)), None
        )
        if match is not None:
            del unmatched[match]
        check.expect(
            "HOST-1",
            match is not None,
            "each sendToHost fires one 'ipc-message' with its channel and arguments",
            expected=render_list([*want]),
            observed="; ".join(render_list(got) for got in unmatched) or "no event left",
        )
    check.expect(
        "HOST-1",
        not unmatched,
        "no 'ipc-message' event but those of the messages sent",
        observed="; ".join(render_list(got) for got in unmatched),
    )
    check.verify()


_GUESTS = {"g1": ("e1", "w1"), "g2": ("e1", "w2"), "g3": ("e2", "w3")}


@pytest.mark.clause("HOST-2")
@suite_settings(max_examples=10)
@given(senders=st.lists(st.sampled_from(sorted(_GUESTS)), min_size=1, max_size=6))
def test_send_to_host_reaches_only_its_element(ipc: IpcFixture, senders: list[str]) -> None:
    """Rejects a sendToHost that reaches main's ipc, a page's ipc, another embedder or another element."""
    scenario = Scenario("e1", "e2")
    for guest, (embedder, element) in _GUESTS.items():
        scenario.guest(guest, embedder=embedder, element=element)
        scenario.listen_host(embedder, f"h{element}", element)
    for process in (MAIN, "e1", "e2", *_GUESTS):
        scenario.listen(process, Listener("l1", "c"))
    sent: dict[str, list[Step]] = {guest: [] for guest in _GUESTS}
    for n, guest in enumerate(senders):
        step = send_to_host("c", guest, n)
        sent[guest].append(step)
        scenario.script(guest, step)
    trace = ipc.run(scenario)
    check = Checker()
    for process in (MAIN, "e1", "e2", *_GUESTS):
        got = [d.args for d in trace.deliveries(process, "l1")]
        check.expect(
            "HOST-2",
            not got,
            f"no sendToHost message reaches the ipc listeners of {process}",
            observed=repr(got),
        )
    for guest, (embedder, element) in _GUESTS.items():
        on_element = [m for m in trace.host_messages(embedder) if m.get("element") == element]
        _expect_tagged(check, "HOST-2", ipc, on_element, sent[guest], f"element {element} of {embedder}")
    check.verify()


_HOST_CHANNELS = st.one_of(
    st.integers(-5, 5),
    st.floats(),
    st.booleans(),
    st.none(),
    st.just(UNDEFINED),
    json_like_values(max_leaves=4),
)


@pytest.mark.clause("HOST-3")
@suite_settings()
@given(channel=st.one_of(_HOST_CHANNELS, st.just(OMITTED)), args=_ARGS)
def test_host_channel_is_converted_not_stringified(
    ipc: IpcFixture, channel: object, args: list[Value]
) -> None:
    """Rejects an event.channel made a string (``'5'`` for ``5``), or not null for an omitted channel."""
    omitted = channel is OMITTED
    step = send_to_host(OMITTED) if omitted else send_to_host(ChannelValue(channel), *args)  # type: ignore[arg-type]
    scenario = (
        Scenario("e1")
        .guest("g1", embedder="e1", element="w1")
        .listen_host("e1", "h1", "w1")
        .script("g1", step)
    )
    trace = ipc.run(scenario)
    check = Checker()
    messages = trace.host_messages("e1")
    if check.expect(
        "HOST-3", len(messages) == 1, "one 'ipc-message' event", observed=f"{len(messages)} events"
    ):
        expected = expected_delivery(ipc.edition, step)
        check.expect_args(
            "HOST-3",
            [messages[0].get("channel"), *messages[0].args],
            [expected.channel, *expected.args],
            "event.channel (then event.args)",
            key_order=False,
        )
    check.verify()


@pytest.mark.clause("HOST-4")
def test_send_to_host_from_a_top_level_page_is_dropped(ipc: IpcFixture) -> None:
    """Rejects a non-guest's sendToHost that throws, reaches main or an embedder, or breaks the page."""
    scenario = (
        Scenario("p1", "e1")
        .guest("g1", embedder="e1", element="w1")
        .listen_host("e1", "h1", "w1")
        .listen(MAIN, Listener("m1", "c"))
        .listen(MAIN, Listener("m2", "after"))
        .script("p1", send_to_host("c", 1), send("after", 2))
    )
    trace = ipc.run(scenario)
    check = Checker()
    call = trace.call("p1", 0)
    check.expect(
        "HOST-4",
        call.returned,
        "sendToHost returns normally",
        observed=repr(call.error) if call.end is not None else "it never returned",
    )
    for process in (MAIN, "p1", "e1", "g1"):
        thrown = [e.get("error") for e in trace.events(process, "exception")]
        check.expect("HOST-4", not thrown, f"no uncaught exception in {process}", observed=repr(thrown))
    stray = [d.args for d in trace.deliveries(MAIN, "m1")] + [m.args for m in trace.host_messages("e1")]
    check.expect("HOST-4", not stray, "the message reaches nobody", observed=repr(stray))
    after = [d.args for d in trace.deliveries(MAIN, "m2")]
    check.expect("HOST-4", after == [[2]], "the page goes on sending", expected="[[2]]", observed=repr(after))
    check.verify()


@pytest.mark.clause("HOST-5")
@suite_settings(max_examples=15)
@given(
    sends=st.lists(
        st.tuples(st.sampled_from(["w1", "w2"]), json_like_values(max_leaves=4)), min_size=1, max_size=4
    )
)
def test_webview_send_reaches_the_guest(ipc: IpcFixture, sends: list[tuple[str, Value]]) -> None:
    """Rejects a <webview>.send that is lost, alters its arguments, or reaches another guest, main or e1."""
    guests = {"w1": "g1", "w2": "g2"}
    scenario = Scenario("e1")
    for element, guest in guests.items():
        scenario.guest(guest, embedder="e1", element=element)
    for process in (MAIN, "e1", *guests.values()):
        scenario.listen(process, Listener("l1", "c"))
    sent: dict[str, list[Step]] = {element: [] for element in guests}
    for n, (element, arg) in enumerate(sends):
        step = webview_send(element, "c", arg, n)
        sent[element].append(step)
        scenario.script("e1", step)
    trace = ipc.run(scenario)
    check = Checker()
    for element, guest in guests.items():
        _expect_tagged(
            check, "HOST-5", ipc, trace.deliveries(guest, "l1"), sent[element], f"the guest of {element}"
        )
    for process in (MAIN, "e1"):
        got = [d.args for d in trace.deliveries(process, "l1")]
        check.expect(
            "HOST-5", not got, f"<webview>.send reaches no listener of {process}", observed=repr(got)
        )
    check.verify()


_MAIN_BUSY_MS = 500


@pytest.mark.clause("HOST-6")
def test_webview_send_blocks_the_embedder_until_main_hands_it_on(ipc: IpcFixture) -> None:
    """Rejects a <webview>.send that returns before main, busy meanwhile, could have handed the message on.

    The embedder sends while main's script keeps main busy; if load delays the send
    until main is free again, the check has nothing to judge and passes.
    """
    scenario = (
        Scenario("e1")
        .guest("g1", embedder="e1", element="w1")
        .listen("g1", Listener("l1", "c"))
        .script(MAIN, busy(_MAIN_BUSY_MS))
        .script("e1", wait(100), webview_send("w1", "c", 1))
    )
    trace = ipc.run(scenario)
    check = Checker()
    busy_end = next((e for e in trace.events(MAIN, "busy-end") if e.origin == (None, None, 0)), None)
    call = trace.call("e1", 1)
    if busy_end is not None and call.start.t < busy_end.t:
        end = call.end
        check.expect(
            "HOST-6",
            end is not None and end.t >= busy_end.t,
            "<webview>.send, called while main is busy, returns only after main is free again",
            expected=f"the call ends at t >= {busy_end.t}",
            observed="it never returned" if end is None else f"it ended at t={end.t}",
        )
    check.verify()


@pytest.mark.clause("HOST-6")
@suite_settings(max_examples=10)
@given(args=_ARGS)
def test_webview_send_without_guest_throws_a_type_error(ipc: IpcFixture, args: list[Value]) -> None:
    """Rejects a <webview>.send on an element with no guest that returns, or throws something else."""
    scenario = Scenario("e1").empty_element("e1", "w1").script("e1", webview_send("w1", "c", *args))
    trace = ipc.run(scenario)
    check = Checker()
    call = trace.call("e1", 0)
    error = call.error
    check.expect(
        "HOST-6",
        error is not None and error.get("name") == "TypeError",
        "<webview>.send with no guest throws a TypeError",
        expected="a TypeError",
        observed="it never returned" if call.end is None else repr(error) if error else "it returned",
    )
    check.verify()
