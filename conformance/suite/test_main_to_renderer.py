"""Main to renderer (M2R): webContents.send and event.sender.send, asynchronous and argument-only."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformance.checks.messages import expected_delivery
from conformance.plugin import IpcFixture
from conformance.scenarios import (
    MAIN,
    ChannelValue,
    Listener,
    Scenario,
    busy,
    destroy,
    on,
    reply,
    ret,
    send,
    send_sync,
    throw,
    web_contents_send,
)
from conformance.suite.profiles import suite_settings
from conformance.traces import Call, Event, Trace
from conformance.values.model import JSFunction, JSSymbol, Undefined, Value
from conformance.values.render import render
from conformance.values.strategies import js_values, json_like_values, numbers
from conformance.verdicts import Checker

_BUSY_MS = 400
"""How long a page listener keeps its page busy: the margin by which an asynchronous send must win."""

_PAGE_ERROR = "the page's listener fails"

_ARGS = st.lists(json_like_values(max_leaves=4), max_size=4)


def _busy_end(trace: Trace, page: str, listener: str) -> Event | None:
    """Return the end of the first ``busy`` action of ``listener`` in ``page``, if it ended."""
    return next((e for e in trace.events(page, "busy-end") if e.origin[0] == listener), None)


def _expect_once(check: Checker, clause: str, calls: int, what: str) -> bool:
    """Expect ``what`` once: none is a failed precondition filed under ``clause`` (the delivery's),
    more than one under ORD-6; the test's own clause is then left unjudged."""
    if calls == 1:
        return True
    return check.expect(
        "ORD-6" if calls > 1 else clause, False, what, expected="1 call", observed=f"{calls} calls"
    )


def _check_returns_first(check: Checker, clause: str, call: Call, done: Event | None, what: str) -> None:
    """Expect ``call`` to have returned before the page listener's busy step ended (``done``)."""
    end = call.end
    if not check.expect(clause, end is not None, f"{what} returns", observed="it never returned"):
        return
    if end is not None and done is not None:
        check.expect(
            clause,
            end.t < done.t,
            f"{what} returns without waiting for the page's listener, busy for {_BUSY_MS} ms",
            expected=f"the call ends before t={done.t}",
            observed=f"it ended at t={end.t}",
        )


@pytest.mark.clause("M2R-1")
def test_sends_to_a_page_are_asynchronous(ipc: IpcFixture) -> None:
    """Rejects a webContents.send or event.sender.send that waits for the page's listeners to finish."""
    scenario = (
        Scenario("p1", "p2")
        .listen(MAIN, Listener("m1", "c", [reply("r", 2)]))
        .listen("p1", Listener("l1", "w", [busy(_BUSY_MS)]))
        .listen("p2", Listener("l2", "r", [busy(_BUSY_MS)]))
        .script(MAIN, web_contents_send("p1", "w", 1))
        .script("p2", send("c"))
    )
    trace = ipc.run(scenario)
    check = Checker()
    for page, listener in (("p1", "l1"), ("p2", "l2")):
        got = len(trace.deliveries(page, listener))
        check.expect("M2R-1", got == 1, f"{page}'s listener gets the message", observed=f"{got} calls")
    _check_returns_first(
        check, "M2R-1", trace.call(MAIN, 0), _busy_end(trace, "p1", "l1"), "webContents.send"
    )
    replies = trace.calls(MAIN, "reply")
    if check.expect(
        "M2R-1", len(replies) == 1, "main's listener replies once", observed=f"{len(replies)} replies"
    ):
        _check_returns_first(check, "M2R-1", replies[0], _busy_end(trace, "p2", "l2"), "event.sender.send")
    check.verify()


@pytest.mark.clause("M2R-2", "M2R-1", "CH-1", "ORD-6")
@suite_settings()
@given(args=_ARGS, through_reply=st.booleans())
def test_page_listeners_get_the_arguments_only(
    ipc: IpcFixture, args: list[Value], through_reply: bool
) -> None:
    """Rejects passing an event object (or anything else) before the arguments of a message to a page."""
    scenario = Scenario("p1").listen("p1", Listener("l1", "c"))
    if through_reply:
        step = reply("c", *args)
        scenario.listen(MAIN, Listener("m1", "ask", [step])).script("p1", send("ask"))
    else:
        step = web_contents_send("p1", "c", *args)
        scenario.script(MAIN, step)
    trace = ipc.run(scenario)
    check = Checker()
    deliveries = trace.deliveries("p1", "l1")
    asked = not through_reply or _expect_once(
        check, "CH-1", len(trace.deliveries(MAIN, "m1")), "main's listener gets the page's message"
    )
    if asked and _expect_once(check, "M2R-1", len(deliveries), "the page's listener gets the message"):
        expected = expected_delivery(ipc.edition, step)
        check.expect_args(
            "M2R-2", deliveries[0].args, expected.args, "every parameter the listener got", key_order=False
        )
    check.verify()


@pytest.mark.clause("M2R-3", "CH-1", "ORD-6")
@suite_settings(max_examples=10)
@given(senders=st.lists(st.sampled_from(["p1", "p2"]), min_size=1, max_size=6))
def test_sender_send_answers_only_the_sender(ipc: IpcFixture, senders: list[str]) -> None:
    """Rejects event.sender.send answering another page, every page, or the last page that sent."""
    pages = ("p1", "p2", "p3")  # p3 sends nothing, so it must get nothing
    scenario = Scenario(*pages).listen(MAIN, Listener("m1", "c", [reply("r", echo=True)]))
    for page in pages:
        scenario.listen(page, Listener("l1", "r"))
    for n, page in enumerate(senders):
        scenario.script(page, send("c", page, n))
    trace = ipc.run(scenario)
    check = Checker()
    asked = {tuple(d.args[-2:]) for d in trace.deliveries(MAIN, "m1")}
    sent = [(page, n) for n, page in enumerate(senders)]
    check.expect(
        "CH-1",
        all(message in asked for message in sent),
        "main's listener gets every page's message (the precondition of a reply)",
        observed=repr(sorted(message for message in sent if message not in asked)),
    )
    got = {page: sorted(tuple(d.args[-2:]) for d in trace.deliveries(page, "l1")) for page in pages}
    anywhere = {reply for replies in got.values() for reply in replies}  # M2R-2 judges the other parameters
    for page in pages:
        expected = sorted(
            (page, n) for n, sender in enumerate(senders) if sender == page and (page, n) in asked
        )
        lost = [message for message in expected if message not in anywhere]
        check.expect(
            "M2R-3",
            got[page] == [message for message in expected if message not in lost],
            f"{page} gets the replies to its own messages, and no other",
            expected=repr(expected),
            observed=repr(got[page]),
        )
        check.expect("ORD-6", not lost, f"the replies to {page} reach some page", observed=f"{lost} lost")
    check.verify()


@pytest.mark.clause("M2R-4")
@suite_settings(max_examples=10)
@given(steps=st.lists(st.tuples(st.sampled_from(["p1", "p2"]), st.booleans()), min_size=1, max_size=6))
def test_sender_and_event_shape(ipc: IpcFixture, steps: list[tuple[str, bool]]) -> None:
    """Rejects a fresh or wrong event.sender per message, and events lacking preventDefault or the setter."""
    scenario = (
        Scenario("p1", "p2").listen(MAIN, Listener("ma", "a")).listen(MAIN, Listener("ms", "s", [ret(0)]))
    )
    for n, (page, sync) in enumerate(steps):
        scenario.script(page, send_sync("s", page, n) if sync else send("a", page, n))
    trace = ipc.run(scenario)
    check = Checker()
    for delivery in trace.deliveries(MAIN):
        origin = delivery.args[0] if delivery.args else None
        check.expect(
            "M2R-4",
            delivery.get("sender") == origin,
            f"event.sender of a message from {origin} is {origin}'s web contents, the same object every time",
            expected=repr(origin),
            observed=repr(delivery.get("sender")),
        )
        shape = delivery.get("event")
        if shape is None:
            continue  # the adapter does not describe event objects
        sync = delivery.get("listener") == "ms"
        allowed = ("setter",) if sync else ("property", "absent")
        check.expect(
            "M2R-4",
            shape.get("preventDefault") is True and shape.get("returnValue") in allowed,
            f"the event of a {'sendSync' if sync else 'send'} message has preventDefault and"
            f" returnValue {' or '.join(allowed)}",
            observed=repr(shape),
        )
    check.verify()


@pytest.mark.clause("M2R-5")
@suite_settings(max_examples=10)
@given(before=st.integers(1, 3), after=st.integers(1, 3))
def test_nothing_is_buffered_for_later_listeners(ipc: IpcFixture, before: int, after: int) -> None:
    """Rejects keeping messages sent before a page listened, to hand them to a listener added later.

    The listener is added by the page's listener of 'add', sent between the two bursts
    on 'c', so by ORD-3 it exists exactly for the second burst.
    """
    scenario = (
        Scenario("p1")
        .listen("p1", Listener("add", "add", [on(Listener("lc", "c"))]))
        .script(MAIN, *(web_contents_send("p1", "c", "before", n) for n in range(before)))
        .script(MAIN, web_contents_send("p1", "add"))
        .script(MAIN, *(web_contents_send("p1", "c", "after", n) for n in range(after)))
    )
    trace = ipc.run(scenario)
    check = Checker()
    got = [d.args[-2:] for d in trace.deliveries("p1", "lc")]  # M2R-2 judges the rest
    expected = [["after", n] for n in range(after)]
    check.expect(
        "M2R-5",
        got == expected,
        "a listener added later gets only the messages sent after it was added",
        expected=repr(expected),
        observed=repr(got),
    )
    check.verify()


_DESTROYED_SENDS: tuple[tuple[Value, ...], ...] = ((), ("x",), (1, {"a": [1, None]}, [True, "y"]))


@pytest.mark.clause("M2R-6")
def test_send_to_a_destroyed_page_returns_false(ipc: IpcFixture) -> None:
    """Rejects a webContents.send to a destroyed page that throws, or returns anything but false."""
    sends = [web_contents_send("p1", "c", *args) for args in _DESTROYED_SENDS]
    scenario = (
        Scenario("p1")
        .listen("p1", Listener("l1", "c"))
        .script(MAIN, destroy("p1"), *sends)
        .limits(block_ms=100)  # how long the adapter waits for the destroyed page
    )
    trace = ipc.run(scenario)
    check = Checker()
    for index in range(1, len(sends) + 1):
        call = trace.call(MAIN, index)
        if (
            check.expect(
                "M2R-6",
                call.returned,
                f"webContents.send (step {index}) to a destroyed page does not throw",
                observed=repr(call.error) if call.end is not None else "it never returned",
            )
            and call.end is not None
        ):
            check.expect(
                "M2R-6",
                call.end.value is False,
                f"webContents.send (step {index}) returns false",
                expected="false",
                observed=render(call.end.value),
            )
    check.verify()


def _ub_channel(value: Value) -> bool:
    """Return whether ``value`` as a webContents.send channel is undefined behaviour, or a string."""
    return isinstance(value, str | Undefined | JSFunction | JSSymbol)


_NON_STRING_CHANNELS = st.one_of(
    numbers(),
    st.booleans(),
    st.none(),
    json_like_values(max_leaves=4).filter(lambda value: isinstance(value, list | dict)),
    js_values(max_leaves=3).filter(lambda value: not _ub_channel(value)),
)


@pytest.mark.clause("M2R-7")
@suite_settings()
@given(channel=_NON_STRING_CHANNELS)
def test_web_contents_send_rejects_a_non_string_channel(ipc: IpcFixture, channel: Value) -> None:
    """Rejects a webContents.send that stringifies a non-string channel, or throws another error."""
    scenario = Scenario("p1").script(MAIN, web_contents_send("p1", ChannelValue(channel), 1))
    trace = ipc.run(scenario)
    check = Checker()
    call = trace.call(MAIN, 0)
    error = call.error
    check.expect(
        "M2R-7",
        error is not None and error.get("name") == "TypeError",
        f"webContents.send with the channel {render(channel)} throws a TypeError in main",
        expected="a TypeError",
        observed=repr(error) if call.end is not None else "the call never returned",
    )
    check.verify()


@pytest.mark.clause("M2R-8", "M2R-1", "CH-1")
def test_no_synchronous_message_to_a_page(ipc: IpcFixture) -> None:
    """Rejects a webContents.send or event.sender.send that waits for the page or throws its listener's error.

    Their return value is not judged here: the documents give none (M2R-6 is Electron's ``false``).
    """
    page_listener = [busy(_BUSY_MS), throw(_PAGE_ERROR)]
    scenario = (
        Scenario("p1", "p2")
        .listen(MAIN, Listener("m1", "c", [reply("r")]))
        .listen("p1", Listener("l1", "w", page_listener))
        .listen("p2", Listener("l2", "r", page_listener))
        .script(MAIN, web_contents_send("p1", "w"))
        .script("p2", send("c"))
    )
    trace = ipc.run(scenario)
    check = Checker()
    replies = trace.calls(MAIN, "reply")
    calls = [("webContents.send", trace.call(MAIN, 0), "p1", "l1")]
    asked = _expect_once(
        check, "CH-1", len(trace.deliveries(MAIN, "m1")), "main's listener gets p2's message"
    )
    if asked and replies:
        calls.append(("event.sender.send", replies[0], "p2", "l2"))
    for what, call, page, listener in calls:
        if not _expect_once(
            check, "M2R-1", len(trace.deliveries(page, listener)), f"{page}'s listener gets {what}"
        ):
            continue
        if call.error is not None and _PAGE_ERROR in str(call.error.get("message", "")):
            check.expect(
                "M2R-8", False, f"{what} throws what the page's listener threw", observed=repr(call.error)
            )
        elif call.error is not None:
            check.expect("M2R-1", False, f"{what} returns normally", observed=repr(call.error))
        else:
            _check_returns_first(check, "M2R-8", call, _busy_end(trace, page, listener), what)
    check.verify()
