"""Errors (ERR): sending validates nothing, and a listener's exception never reaches the sender."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformance.checks.messages import expected_delivery
from conformance.editions import Assign, NoAnswer
from conformance.editions.jsops import JSThrow
from conformance.plugin import IpcFixture
from conformance.scenarios import (
    MAIN,
    OMITTED,
    ChannelValue,
    Listener,
    Scenario,
    Step,
    destroy,
    reply,
    ret,
    send,
    send_sync,
    send_to_host,
    throw,
    wait,
    web_contents_send,
    webview_send,
)
from conformance.suite.profiles import suite_settings
from conformance.traces import Call, Trace
from conformance.values.model import Value
from conformance.values.render import render
from conformance.values.strategies import argument_lists, channel_names, js_values, json_like_values
from conformance.verdicts import Checker


def _ended(call: Call) -> str:
    """Return how a call ended, for a failure message."""
    if call.end is None:
        return "it never returned"
    return repr(call.error) if call.error is not None else f"it returned {render(call.end.value)}"


@pytest.mark.clause("ERR-1")
@suite_settings()
@given(
    channel=st.one_of(channel_names(), js_values(max_leaves=3), st.just(OMITTED)),
    args=argument_lists(max_leaves=4, max_size=3),
)
def test_sending_validates_neither_channel_nor_arguments(
    ipc: IpcFixture, channel: object, args: list[Value]
) -> None:
    """Rejects a send, sendSync or sendToHost that throws for a non-string channel or an odd argument."""
    calls: list[Callable[..., Step]] = [send, send_to_host, send_sync]
    if channel is OMITTED:
        steps = [make(OMITTED) for make in calls]
    else:
        as_channel = channel if isinstance(channel, str) else ChannelValue(channel)  # type: ignore[arg-type]
        steps = [make(as_channel, *args) for make in calls]
    scenario = (
        Scenario("e1")
        .guest("g1", embedder="e1", element="w1")
        .listen_host("e1", "h1", "w1")
        .limits(block_ms=500)
    )
    try:
        key = expected_delivery(ipc.edition, steps[0]).channel
    except JSThrow:  # main's emitter throws on this channel (CH-5), so nobody could answer a sendSync
        steps.pop()
    else:
        assert isinstance(key, str)
        scenario.listen(MAIN, Listener("m1", key, [ret(1)]))
    trace = ipc.run(scenario.script("g1", *steps))
    shown = "omitted" if channel is OMITTED else render(channel)
    check = Checker()
    for index, step in enumerate(steps):
        call = trace.call("g1", index)
        blocked_sync = step["op"] == "sendSync" and call.end is None  # not a validation error
        check.expect(
            "ERR-1",
            blocked_sync or call.returned,
            f"{step['op']} returns without validating the channel ({shown}) or the arguments",
            observed=_ended(call),
        )
    check.verify()


def _main_listener_throws() -> tuple[Scenario, str]:
    scenario = (
        Scenario("p1")
        .listen(MAIN, Listener("m1", "c", [throw("main's listener fails")]))
        .script("p1", send("c"))
    )
    return scenario, "p1"


def _page_listener_throws_on_web_contents_send() -> tuple[Scenario, str]:
    scenario = (
        Scenario("p1")
        .listen("p1", Listener("l1", "c", [throw("the page's listener fails")]))
        .script(MAIN, web_contents_send("p1", "c"))
    )
    return scenario, MAIN


def _page_listener_throws_on_reply() -> tuple[Scenario, str]:
    scenario = (
        Scenario("p1")
        .listen(MAIN, Listener("m1", "c", [reply("r")]))
        .listen("p1", Listener("l1", "r", [throw("the page's listener fails")]))
        .script("p1", send("c"))
    )
    return scenario, MAIN


def _host_listener_throws() -> tuple[Scenario, str]:
    scenario = (
        Scenario("e1")
        .guest("g1", embedder="e1", element="w1")
        .listen_host("e1", "h1", "w1", throw("the embedder's listener fails"))
        .script("g1", send_to_host("c"))
    )
    return scenario, "g1"


def _guest_listener_throws() -> tuple[Scenario, str]:
    scenario = (
        Scenario("e1")
        .guest("g1", embedder="e1", element="w1")
        .listen("g1", Listener("l1", "c", [throw("the guest's listener fails")]))
        .script("e1", webview_send("w1", "c"))
    )
    return scenario, "e1"


@pytest.mark.clause("ERR-2")
@pytest.mark.parametrize(
    "build",
    [
        _main_listener_throws,
        _page_listener_throws_on_web_contents_send,
        _page_listener_throws_on_reply,
        _host_listener_throws,
        _guest_listener_throws,
    ],
    ids=["send", "webContents.send", "event.sender.send", "sendToHost", "webview.send"],
)
def test_a_listener_exception_never_reaches_the_sender(
    ipc: IpcFixture, build: Callable[[], tuple[Scenario, str]]
) -> None:
    """Rejects forwarding a receiver's exception to the sender, as a throwing call or an uncaught error."""
    scenario, sender = build()
    trace = ipc.run(scenario)
    check = Checker()
    for call in trace.calls(sender):
        check.expect(
            "ERR-2",
            call.returned,
            f"{call.start.get('op')} in {sender} returns normally",
            observed=_ended(call),
        )
    thrown = [e.get("error") for e in trace.events(sender, "exception")]  # the sender throws nothing itself
    check.expect("ERR-2", not thrown, f"no uncaught exception in {sender}", observed=repr(thrown))
    check.verify()


_ROLES = st.sampled_from(["none", "assign", "throw", "assign and throw"])


@pytest.mark.clause("ERR-2")
@suite_settings(max_examples=10)
@given(
    roles=st.lists(_ROLES, min_size=1, max_size=3).filter(
        # a listener throws, and one assigns at most (RET-6)
        lambda roles: any("throw" in role for role in roles) and sum("assign" in role for role in roles) <= 1
    ),
    value=json_like_values(max_leaves=3),
)
def test_a_throwing_sync_listener_leaves_the_page_blocked_unless_answered(
    ipc: IpcFixture, roles: list[str], value: Value
) -> None:
    """Rejects a sendSync that throws, returns (e.g. undefined) when main's listener threw before
    answering, or stays blocked though returnValue was assigned before the throw."""
    scenario = Scenario("p1").limits(block_ms=150)
    for n, role in enumerate(roles):
        actions = ([ret(value)] if "assign" in role else []) + ([throw("fails")] if "throw" in role else [])
        scenario.listen(MAIN, Listener(f"m{n}", "s", actions))
    trace = ipc.run(scenario.script("p1", send_sync("s")))
    assigned: list[Assign] = []
    for role in roles:  # listeners run in order until one throws (CH-3)
        if "assign" in role:
            assigned.append(Assign(value))
        if "throw" in role:
            break
    outcome = ipc.edition.sync_outcome(assigned)
    call = trace.call("p1", 0)
    check = Checker()
    check.expect("ERR-2", call.error is None, "sendSync does not throw", observed=_ended(call))
    answer = outcome.answer
    if isinstance(answer, NoAnswer):
        check.expect(
            "ERR-2",
            call.end is None,
            "no returnValue was assigned before the exception: the page stays blocked",
            observed=_ended(call),
        )
    elif (
        check.expect(
            "ERR-2",
            call.returned,
            "returnValue was assigned before the exception: sendSync returns",
            observed=_ended(call),
        )
        and call.end is not None
    ):
        check.expect_value("ERR-2", call.end.value, answer, "what sendSync returns", key_order=False)
    thrown = [e.get("error") for e in trace.events("p1", "exception")]
    check.expect("ERR-2", not thrown, "no uncaught exception in the page", observed=repr(thrown))
    check.verify()


def _summary(trace: Trace) -> str:
    calls = trace.calls("p1")
    ended = [c for c in calls if c.end is not None]
    thrown = sorted({str(c.error.get("name")) for c in ended if c.error is not None})
    received = [d.args for d in trace.deliveries(MAIN, "m1")]
    return (
        f"{len(calls)} sends started, {len(ended)} ended, errors {thrown or 'none'};"
        f" main received {received}; uncaught in p1: {len(trace.events('p1', 'exception'))}"
    )


@pytest.mark.clause("ERR-3")
def test_send_while_the_page_is_torn_down(ipc: IpcFixture, observe: Callable[[str, str], None]) -> None:
    """Observes only (UNSPEC): what sends do around the moment main destroys their page."""
    steps: list[Step] = []
    for n in range(6):
        steps += [send("c", n), wait(10)]
    scenario = (
        Scenario("p1")
        .listen(MAIN, Listener("m1", "c"))
        .script("p1", *steps)
        .script(MAIN, wait(25), destroy("p1"))
        .limits(block_ms=100)  # how long the adapter waits for the destroyed page
    )
    observe("ERR-3", _summary(ipc.run(scenario)))
