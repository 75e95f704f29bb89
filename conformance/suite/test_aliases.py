"""Aliases (DEP): ipc.sendChannel is ipc.send, ipc.sendChannelSync is ipc.sendSync."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformance.plugin import IpcFixture
from conformance.scenarios import (
    MAIN,
    Listener,
    Scenario,
    Step,
    ret,
    send,
    send_channel,
    send_channel_sync,
    send_sync,
)
from conformance.suite.profiles import suite_settings
from conformance.traces import Trace
from conformance.values.model import Value, js_equal_lists
from conformance.values.render import render_list
from conformance.values.strategies import json_like_values
from conformance.verdicts import Checker

_PLAIN = {"sendChannel": "send", "sendChannelSync": "sendSync"}


def _step(sync: bool, alias: bool, n: int, arg: Value) -> Step:
    if sync:
        return (send_channel_sync if alias else send_sync)("s", n, arg)
    return (send_channel if alias else send)("a", n, arg)


def _run(ipc: IpcFixture, steps: list[Step]) -> Trace:
    scenario = (
        Scenario("p1")
        .listen(MAIN, Listener("ma", "a"))
        .listen(MAIN, Listener("ms", "s", [ret(echo=True)]))
        .script("p1", *steps)
    )
    trace: Trace = ipc.run(scenario.limits(block_ms=500))
    return trace


def _outcome(trace: Trace, index: int) -> tuple[str, list[Value]]:
    """Return how p1's step ``index`` ended: ("value", [v]), ("error", [name]) or ("blocked", [])."""
    call = trace.call("p1", index)
    if call.end is None:
        return "blocked", []
    if call.error is not None:
        return "error", [call.error.get("name")]
    return "value", [call.end.value]


def _same(a: list[Value], b: list[Value]) -> bool:
    return js_equal_lists(a, b, key_order=False)


@pytest.mark.clause("DEP-1")
@suite_settings(max_examples=10)
@given(
    messages=st.lists(
        st.tuples(st.booleans(), json_like_values(max_leaves=3)), min_size=1, max_size=5
    ).filter(lambda messages: any(alias for alias, _ in messages))
)
def test_send_channel_behaves_as_send(ipc: IpcFixture, messages: list[tuple[bool, Value]]) -> None:
    """Rejects a missing or throwing sendChannel, or one whose messages take another path than send's
    (out of order among plain sends); needs no sendSync."""
    _check_aliases(ipc, [(False, alias, arg) for alias, arg in messages])


@pytest.mark.clause("DEP-1")
@suite_settings(max_examples=10)
@given(
    messages=st.lists(
        st.tuples(st.booleans(), st.booleans(), json_like_values(max_leaves=3)), min_size=1, max_size=5
    ).filter(lambda messages: any(sync and alias for sync, alias, _ in messages))
)
def test_send_channel_sync_behaves_as_send_sync(
    ipc: IpcFixture, messages: list[tuple[bool, bool, Value]]
) -> None:
    """Rejects a missing or throwing sendChannelSync, one that does not return the answer, or one whose
    messages take another path than sendSync's (out of order among send and sendSync messages)."""
    _check_aliases(ipc, messages)


def _check_aliases(ipc: IpcFixture, messages: list[tuple[bool, bool, Value]]) -> None:
    """Run ``messages`` (sync, alias, argument) and, as the control, the same with every alias
    replaced by its plain method: main must see the same messages in the same order, and every
    alias call must end as its plain call did."""
    steps = [_step(sync, alias, n, arg) for n, (sync, alias, arg) in enumerate(messages)]
    control = [_step(sync, False, n, arg) for n, (sync, _, arg) in enumerate(messages)]
    trace, control_trace = _run(ipc, steps), _run(ipc, control)
    check = Checker()
    for index, step in enumerate(steps):
        if step["op"] not in _PLAIN:
            continue
        kind, values = _outcome(trace, index)
        want_kind, want_values = _outcome(control_trace, index)
        check.expect(
            "DEP-1",
            kind == want_kind and _same(values, want_values),
            f"{step['op']} (step {index}) ends as {_PLAIN[step['op']]} does",
            expected=f"{want_kind} {render_list(list(want_values))}",
            observed=f"{kind} {render_list(list(values))}",
        )
    seen, want = _dispatched(trace), _dispatched(control_trace)
    check.expect(
        "DEP-1",
        len(seen) == len(want)
        and all(a[0] == b[0] and _same(a[1], b[1]) for a, b in zip(seen, want, strict=True)),
        "main's listeners get the same messages, in the same order, as with send and sendSync",
        expected=_render(want),
        observed=_render(seen),
    )
    check.verify()


def _dispatched(trace: Trace) -> list[tuple[str, list[Value]]]:
    return [(d.get("listener"), d.args) for d in trace.deliveries(MAIN)]


def _render(deliveries: list[tuple[str, list[Value]]]) -> str:
    return "; ".join(f"{listener}({render_list(list(args))})" for listener, args in deliveries)
