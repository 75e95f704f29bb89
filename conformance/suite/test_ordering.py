"""Ordering (ORD): each sender's messages arrive in the order sent, once, at every registered listener."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformance.checks.traffic import (
    SYNC_OPS,
    Traffic,
    check_exactly_once,
    check_fifo,
    check_host_exactly_once,
    check_sync_boundaries,
    tag_of,
)
from conformance.plugin import IpcFixture
from conformance.scenarios import MAIN, Listener, on, remove_listener, reply, ret
from conformance.suite.profiles import suite_settings
from conformance.verdicts import Checker

_ASYNC_OPS = ("send", "sendChannel")


def _to_main(*pages: str) -> Traffic:
    """Return a traffic where main records 'a' (two listeners), 'b' and 'c', and answers 's' at once."""
    traffic = Traffic(*pages)
    for listener in (Listener("ma", "a"), Listener("ma2", "a"), Listener("mb", "b"), Listener("mc", "c")):
        traffic.listen(MAIN, listener)
    return traffic.listen(MAIN, Listener("ms", "s", [ret(echo=True)]))


def _op_channel(op: str, channel: str) -> tuple[str, str]:
    return op, "s" if op in SYNC_OPS else channel


_TO_MAIN_STEPS = st.tuples(st.sampled_from([*_ASYNC_OPS, *SYNC_OPS]), st.sampled_from(("a", "b", "c"))).map(
    lambda step: _op_channel(*step)
)


@pytest.mark.clause("ORD-1")
@suite_settings(max_examples=10)
@given(steps=st.lists(st.tuples(st.sampled_from(["p1", "p2"]), _TO_MAIN_STEPS), min_size=2, max_size=14))
def test_messages_from_one_page_reach_main_in_order(
    ipc: IpcFixture, steps: list[tuple[str, tuple[str, str]]]
) -> None:
    """Rejects a main with one queue per channel or per kind (sendSync overtaking sends)."""
    traffic = _to_main("p1", "p2")
    for page, (op, channel) in steps:
        traffic.send(page, op, channel)
    trace = ipc.run(traffic.scenario)
    sent = traffic.sent(trace)
    check = Checker()
    for page in ("p1", "p2"):
        check_fifo(
            check,
            "ORD-1",
            [m for m in sent if m.sender == page],
            trace.deliveries(MAIN),
            f"messages from {page} in main",
        )
    check.verify()


@pytest.mark.clause("ORD-2")
@suite_settings(max_examples=10)
@given(
    steps=st.lists(_TO_MAIN_STEPS, min_size=1, max_size=12).map(
        lambda steps: steps if any(op in SYNC_OPS for op, _ in steps) else [*steps, ("sendSync", "s")]
    )
)
def test_send_sync_waits_for_earlier_sends_and_precedes_later_ones(
    ipc: IpcFixture, steps: list[tuple[str, str]]
) -> None:
    """Rejects a main that runs a sync listener before every listener of earlier sends (a fast lane).

    That later messages follow the answer is BLK-1's (sendSync returns only once answered).
    """
    traffic = _to_main("p1")
    for op, channel in steps:
        traffic.send("p1", op, channel)
    trace = ipc.run(traffic.scenario)
    check = Checker()
    check_sync_boundaries(check, traffic, trace, traffic.sent(trace), before="ORD-2")
    check.verify()


def _to_pages(traffic: Traffic, *pages: str) -> Traffic:
    """Return ``traffic`` with pages recording 'a' (one listener) and 'b' (two); main echoes 'r' on 'a'."""
    traffic.listen(MAIN, Listener("mr", "r", [reply("a", echo=True)]))
    for page in pages:
        traffic.listen(page, Listener("la", "a")).listen(page, Listener("lb", "b"))
        traffic.listen(page, Listener("lb2", "b"))
    return traffic


def _reply_or_send(traffic: Traffic, page: str, what: str) -> None:
    """Make ``page`` request a reply (``what`` is 'request'), or main send to it on channel ``what``."""
    if what == "request":
        traffic.send(page, "send", "r")
    else:
        traffic.send(MAIN, "webContentsSend", what, to=page)


@pytest.mark.clause("ORD-3")
@suite_settings(max_examples=10)
@given(
    steps=st.lists(
        st.tuples(st.sampled_from(["p1", "p2"]), st.sampled_from(["request", "a", "b"])),
        min_size=2,
        max_size=14,
    )
)
def test_web_contents_send_delivers_in_call_order(ipc: IpcFixture, steps: list[tuple[str, str]]) -> None:
    """Rejects a page with one queue per channel, or replies (event.sender.send) overtaking sends."""
    traffic = _to_pages(Traffic("p1", "p2"), "p1", "p2")
    for page, what in steps:
        _reply_or_send(traffic, page, what)
    trace = ipc.run(traffic.scenario)
    sent = traffic.sent(trace)
    check = Checker()
    for page in ("p1", "p2"):
        check_fifo(
            check,
            "ORD-3",
            [m for m in sent if m.sender == MAIN and m.receiver == page],
            trace.deliveries(page),
            f"messages from main in {page}",
        )
    check.verify()


def _guest() -> Traffic:
    """Return a traffic with guest 'g' in <webview> 'w' of 'p1' (two 'ipc-message' listeners), main on 'a'."""
    traffic = Traffic("p1").guest("g", embedder="p1", element="w").listen(MAIN, Listener("ma", "a"))
    return traffic.listen_host("p1", "h1", "w").listen_host("p1", "h2", "w")


@pytest.mark.clause("ORD-5")
@suite_settings(max_examples=10)
@given(steps=st.lists(st.sampled_from(["sendToHost a", "sendToHost b", "send a"]), min_size=2, max_size=14))
def test_send_to_host_reaches_the_embedder_in_order(ipc: IpcFixture, steps: list[str]) -> None:
    """Rejects an embedder that gets a guest's host messages out of order (per channel, or behind sends)."""
    traffic = _guest()
    for step in steps:
        op, channel = step.split()
        traffic.send("g", op, channel)
    trace = ipc.run(traffic.scenario)
    sent = [m for m in traffic.sent(trace) if m.op == "sendToHost"]
    check = Checker()
    for listener in ("h1", "h2"):
        check_fifo(
            check,
            "ORD-5",
            sent,
            [e for e in trace.host_messages("p1") if e.get("listener") == listener],
            f"host messages at listener {listener!r} of p1",
        )
    check.verify()


_BURSTS = st.integers(50, 200)
_BURST_STEPS = st.tuples(
    st.sampled_from(["p1", "p2"]),
    st.sampled_from(["send a", "sendChannel b", "send c", "sendSync s", "request", "a", "b"]),
)


@pytest.mark.clause("ORD-6")
@suite_settings(max_examples=3)
@given(plan=_BURSTS.flatmap(lambda n: st.lists(_BURST_STEPS, min_size=n, max_size=n)))
def test_a_burst_reaches_each_listener_once(ipc: IpcFixture, plan: list[tuple[str, str]]) -> None:
    """Rejects losing or duplicating messages of a burst, either way (a bounded queue, blind retries).

    Two pages send to main (sendSync too) while main sends to both and replies to their
    requests, so main's messages also reach pages blocked in sendSync.
    """
    traffic = _to_pages(_to_main("p1", "p2"), "p1", "p2")
    for page, what in plan:
        if " " in what:
            op, channel = what.split()
            traffic.send(page, op, channel)
        else:
            _reply_or_send(traffic, page, what)
    trace = ipc.run(traffic.scenario)
    sent = traffic.sent(trace)
    check = Checker()
    for process in (MAIN, "p1", "p2"):
        check_exactly_once(check, "ORD-6", traffic, trace, process, sent, edition=ipc.edition)
    check.verify()


@pytest.mark.clause("ORD-6")
@suite_settings(max_examples=2)
@given(
    plan=_BURSTS.flatmap(
        lambda n: st.lists(
            st.sampled_from(["sendToHost a", "sendToHost b", "send a"]), min_size=n, max_size=n
        )
    )
)
def test_a_burst_to_the_host_reaches_each_listener_once(ipc: IpcFixture, plan: list[str]) -> None:
    """Rejects an embedder that loses or duplicates a guest's host messages in a burst."""
    traffic = _guest()
    for step in plan:
        op, channel = step.split()
        traffic.send("g", op, channel)
    trace = ipc.run(traffic.scenario)
    sent = traffic.sent(trace)
    check = Checker()
    check_host_exactly_once(check, "ORD-6", traffic, trace, sent)
    check_exactly_once(check, "ORD-6", traffic, trace, MAIN, sent, edition=ipc.edition)
    check.verify()


def _send_to(traffic: Traffic, sender: str, receiver: str, channel: str) -> None:
    if sender == MAIN:
        traffic.send(MAIN, "webContentsSend", channel, to=receiver)
    else:
        traffic.send(sender, "send", channel)


@pytest.mark.clause("ORD-6")
@suite_settings(max_examples=10)
@given(data=st.data())
def test_messages_reach_the_listeners_registered_at_dispatch(ipc: IpcFixture, data: st.DataObject) -> None:
    """Rejects an emitter that skips or repeats listeners when others come and go between messages.

    Listeners of 'a' are added and removed by listeners of other channels as they run,
    in main (messages from p1) and in p1 (messages from main); the emitter model
    replays each process's dispatch order to know which listeners each message must reach.
    """
    traffic = Traffic("p1")
    for process in (MAIN, "p1"):
        traffic.listen(process, Listener("wa", "a"))
    sender = {MAIN: "p1", "p1": MAIN}
    added: dict[str, list[str]] = {MAIN: [], "p1": []}
    steps = data.draw(st.lists(st.sampled_from(["message", "add", "remove"]), min_size=5, max_size=40))
    for n, what in enumerate(steps):
        process = data.draw(st.sampled_from([MAIN, "p1"]), label="process")
        if what == "message":
            _send_to(traffic, sender[process], process, "a")
            continue
        if what == "add":
            added[process].append(f"x{n}")
            action = on(Listener(f"x{n}", "a"))
        elif added[process]:
            removed = data.draw(st.sampled_from(added[process]), label="removed")
            added[process].remove(removed)
            action = remove_listener(removed)
        else:
            continue
        traffic.listen(process, Listener(f"k{n}", f"k{n}", [action]))
        _send_to(traffic, sender[process], process, f"k{n}")
    trace = ipc.run(traffic.scenario)
    sent = traffic.sent(trace)
    check = Checker()
    for process in (MAIN, "p1"):
        check_exactly_once(check, "ORD-6", traffic, trace, process, sent, edition=ipc.edition)
    check.verify()


@pytest.mark.clause("ORD-4")
def test_order_across_senders_and_directions(ipc: IpcFixture, observe: Callable[[str, str], None]) -> None:
    """Observes (ORD-4, UNSPEC) how two pages' messages interleave in main, and how crossing messages meet."""
    traffic = _to_main("p1", "p2").listen("p1", Listener("la", "a"))
    for _ in range(5):
        traffic.send("p1", "send", "b")
        traffic.send("p2", "send", "c")
        traffic.send(MAIN, "webContentsSend", "a", to="p1")
    trace = ipc.run(traffic.scenario)
    in_main = [tag_of(d) for d in trace.deliveries(MAIN) if d.get("listener") in ("mb", "mc")]
    observe("ORD-4", f"main dispatched the messages of p1 and p2 in this order: {in_main}")
    in_p1 = [
        f"sent {event.origin[2]}" if event.type == "call-start" else f"got {tag_of(event)}"
        for event in trace.events("p1")
        if event.type in ("call-start", "deliver")
    ]
    observe("ORD-4", f"p1's own sends (script steps) and main's messages to it, in p1's order: {in_p1}")
