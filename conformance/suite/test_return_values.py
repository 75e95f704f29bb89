"""What ``sendSync`` returns (RET): main's ``event.returnValue``, sent back as JSON, now or later.

Each scenario has one page block in ``sendSync`` while main's listeners assign (or do
not assign) ``event.returnValue``; the expected answer is the edition's (``sync_outcome``,
``sync_answer``), never what some implementation returned.  Where the page must stay
blocked, the scenario's ``blockMs`` is short: a slow machine can then only hide a
wrong answer (a false PASS), never invent one.
"""

from __future__ import annotations

import math
from typing import Final

import pytest
from hypothesis import example, given, reject

from conformance.checks.dispatch import EmitterModel, Registration
from conformance.editions import NO_ANSWER, PAGE_DESTROYED, Assign, NoAnswer
from conformance.plugin import IpcFixture
from conformance.scenarios import (
    MAIN,
    Listener,
    Scenario,
    Step,
    destroy,
    read_return_value,
    ret,
    send,
    send_sync,
    wait,
)
from conformance.suite.profiles import suite_settings
from conformance.traces import Call, Trace
from conformance.values.model import (
    HOLE,
    UNDEFINED,
    Hole,
    JSArray,
    JSBuffer,
    JSDate,
    JSFunction,
    JSObject,
    JSSymbol,
    Property,
    Value,
)
from conformance.values.render import render
from conformance.values.strategies import js_values, json_like_values
from conformance.verdicts import Checker

_BLOCK_MS: Final = 300
"""How long a page that must stay blocked is watched; a wrong answer usually comes much sooner."""


def _answered_by(*actions: Step) -> Scenario:
    """Return a scenario where page p1 calls ``sendSync('c')`` and main's listener m1 runs ``actions``."""
    return Scenario("p1").listen(MAIN, Listener("m1", "c", list(actions))).script("p1", send_sync("c"))


def _cycle() -> Value:
    cyclic: dict[str, Value] = {"n": 1}
    cyclic["self"] = {"again": cyclic}
    return cyclic


def _looped_array() -> Value:
    looped: list[Value | Hole] = [1]
    looped.append(looped)
    return looped


def _uncaught(trace: Trace, process: str) -> list[object]:
    return [event.get("error") for event in trace.events(process, "exception")]


def _outcome(call: Call) -> str:
    """Return how a sendSync call ended, for messages."""
    if call.end is None:
        return "no return (blocked)"
    return f"threw {call.error}" if call.error is not None else f"returned {render(call.end.value)}"


def _expect_answer(
    check: Checker, clause: str, call: Call, expected: Value, what: str, *, key_order: bool = True
) -> None:
    """Expect the sendSync ``call`` to have returned ``expected``."""
    if call.end is not None and call.end.has_value:
        check.expect_value(clause, call.end.value, expected, what, key_order=key_order)
    else:
        check.expect(clause, False, what, expected=render(expected), observed=_outcome(call))


@pytest.mark.clause("RET-1")
@suite_settings(max_examples=25)
@given(value=json_like_values(max_leaves=5))
def test_send_sync_returns_the_assigned_value(ipc: IpcFixture, value: Value) -> None:
    """Rejects: sendSync returning undefined, the arguments, or a value other than the one assigned."""
    call = ipc.run(_answered_by(ret(value))).call("p1", 0)
    check = Checker()
    _expect_answer(check, "RET-1", call, value, "sendSync returns event.returnValue", key_order=False)
    check.verify()


_JSON_EDGES: Final[list[Value]] = [
    math.nan,
    math.inf,
    -math.inf,
    -0.0,
    JSDate(0.0),
    JSDate(math.nan),
    JSBuffer(b"\x00\xff"),
    JSObject([Property.accessor("got", [1]), Property("hidden", 2, enumerable=False)], cls="Point"),
    JSArray([UNDEFINED, HOLE, JSFunction("f"), JSSymbol("s")], {"extra": 1}),
    {"u": UNDEFINED, "f": JSFunction("f"), "__proto__": {"own": True}, "b": 1, "a": 2, "1": 3},
]


def _shared_twice() -> Value:
    shared: dict[str, Value] = {"a": 1}
    return [shared, {"again": shared}]


@pytest.mark.clause("RET-2")
@suite_settings(max_examples=15)
@given(value=js_values(lone_surrogates=True, max_leaves=5))
@example(value=_JSON_EDGES)
@example(value=_shared_twice())
@example(value=["lone \ud800 surrogate", {"k": "\udfff"}])
def test_the_answer_travels_as_json(ipc: IpcFixture, value: Value) -> None:
    """Rejects: answers converted like arguments (NaN kept, Dates as {}, getters skipped, sharing kept)."""
    answer = ipc.edition.sync_answer(value)
    if isinstance(answer, NoAnswer):
        reject()  # RET-3's domain
    call = ipc.run(_answered_by(ret(value))).call("p1", 0)
    check = Checker()
    _expect_answer(check, "RET-2", call, answer, "sendSync returns JSON.parse(JSON.stringify(returnValue))")
    check.verify()


@pytest.mark.clause("RET-3")
@pytest.mark.parametrize(
    "value",
    [UNDEFINED, JSFunction("f"), JSSymbol("s"), _cycle(), _looped_array()],
    ids=["undefined", "function", "symbol", "cyclic object", "cyclic array"],
)
def test_an_answer_json_cannot_carry_throws_in_main(ipc: IpcFixture, value: Value) -> None:
    """Rejects: answering null/undefined/{} instead of throwing, or not throwing in main.

    A second listener on the channel tells whether the assignment threw out of the
    first, as an exception does: then it is not called (CH-3, as the emitter model says).
    """
    outcome = ipc.edition.sync_outcome([Assign(value)])
    listeners = [Listener("m1", "c", [ret(value)]), Listener("m2", "c")]
    scenario = Scenario("p1").script("p1", send_sync("c")).limits(block_ms=_BLOCK_MS)
    for listener in listeners:
        scenario.listen(MAIN, listener)
    trace = ipc.run(scenario)
    model = EmitterModel(assignment_throws=lambda v: ipc.edition.sync_outcome([Assign(v)]).main_throws)
    for listener in listeners:
        model.add(Registration.from_json(listener.to_json()))
    check = Checker()
    want, got = model.dispatch("c", sync=True), [d.get("listener") for d in trace.deliveries(MAIN)]
    check.expect(
        "RET-3",
        got == want,
        "the assignment throws out of the listener: the listeners after it do not run"
        if outcome.main_throws
        else "the assignment does not throw: every listener runs",
        expected=repr(want),
        observed=repr(got),
    )
    assigned = trace.events(MAIN, "return-assigned")
    errors = [event.get("error") for event in assigned]
    check.expect(
        "RET-3",
        len(assigned) == 1 and (errors[0] is not None) == outcome.main_throws,
        "assigning the value throws in main" if outcome.main_throws else "assigning the value succeeds",
        observed=f"return-assigned errors: {errors!r}",
    )
    call = trace.call("p1", 0)
    check.expect(
        "RET-3",
        (call.end is None) == (outcome.answer is NO_ANSWER),
        "no answer is sent: the page stays blocked in sendSync",
        observed=_outcome(call),
    )
    check.verify()


@pytest.mark.clause("RET-4")
def test_return_value_reads_undefined_on_a_sync_event(ipc: IpcFixture) -> None:
    """Rejects: a returnValue that reads back what was assigned (a plain property) on a sync event."""
    value = "pong"
    trace = ipc.run(_answered_by(read_return_value(), ret(value), read_return_value()))
    expected = [
        ipc.edition.read_return_value([], sync=True),
        ipc.edition.read_return_value([value], sync=True),
    ]
    reads = [event.value for event in trace.events(MAIN, "return-read")]
    check = Checker()
    if check.expect("RET-4", len(reads) == 2, "both reads are recorded", observed=f"{len(reads)} reads"):
        for when, read, want in zip(("before", "after"), reads, expected, strict=True):
            check.expect_value("RET-4", read, want, f"event.returnValue read {when} the assignment")
    check.verify()


_SEND_EVENT_VALUES: Final[list[Value]] = [
    1,
    {"a": [1, "x"]},
    math.nan,
    UNDEFINED,
    JSFunction("f"),
    JSSymbol("s"),
    _cycle(),
]


@pytest.mark.clause("RET-4")
def test_return_value_on_a_send_event_is_an_ordinary_property(ipc: IpcFixture) -> None:
    """Rejects: a returnValue setter on send events (throws on a cycle, or answers the next sendSync)."""
    scenario = Scenario("p1").listen(MAIN, Listener("s", "sync", [ret("fresh")]))
    for n, value in enumerate(_SEND_EVENT_VALUES):
        scenario.listen(MAIN, Listener(f"a{n}", f"a{n}", [ret(value), read_return_value()]))
        scenario.script("p1", send(f"a{n}"))
    scenario.script("p1", send_sync("sync"))
    trace = ipc.run(scenario.limits(block_ms=_BLOCK_MS))
    check = Checker()
    reads = {event.origin[0]: event.value for event in trace.events(MAIN, "return-read")}
    errors = {event.origin[0]: event.get("error") for event in trace.events(MAIN, "return-assigned")}
    for n, value in enumerate(_SEND_EVENT_VALUES):
        listener = f"a{n}"
        check.expect(
            "RET-4",
            listener in errors and errors[listener] is None,
            f"assigning returnValue on a send event ({listener}) is a plain assignment, which never throws",
            observed=repr(errors.get(listener, "not assigned")),
        )
        if check.expect("RET-4", listener in reads, f"{listener} read event.returnValue"):
            want = ipc.edition.read_return_value([value], sync=False)
            check.expect_value("RET-4", reads[listener], want, f"event.returnValue read back in {listener}")
    _expect_answer(
        check,
        "RET-4",
        trace.call("p1", len(_SEND_EVENT_VALUES)),
        "fresh",
        "values assigned on send events have no effect: the next sendSync gets its own answer",
    )
    check.verify()


@pytest.mark.clause("RET-5")
@pytest.mark.parametrize("after_ms", [0, 150])
def test_a_deferred_answer_completes_send_sync(ipc: IpcFixture, after_ms: int) -> None:
    """Rejects: ignoring a returnValue assigned after the listener returned (answering at return)."""
    value: Value = {"late": [1, "x"]}
    call = ipc.run(_answered_by(ret(value, after_ms=after_ms))).call("p1", 0)
    check = Checker()
    _expect_answer(
        check,
        "RET-5",
        call,
        value,
        f"sendSync returns the value main assigns from a timer {after_ms} ms later",
    )
    check.verify()


@pytest.mark.clause("RET-5")
def test_deferred_answers_reach_their_own_page(ipc: IpcFixture) -> None:
    """Rejects: a deferred answer lost or misrouted after main handled other messages meanwhile."""
    scenario = (
        Scenario("p1", "p2")
        .listen(MAIN, Listener("slow", "slow", [ret("for p1", after_ms=200)]))
        .listen(MAIN, Listener("fast", "fast", [ret("for p2")]))
        .listen(MAIN, Listener("other", "other"))
        .script("p1", send_sync("slow"))
        .script("p2", send("other", 1), send_sync("fast"), send("other", 2))
    )
    trace = ipc.run(scenario)
    check = Checker()
    for page, index, answer in (("p1", 0, "for p1"), ("p2", 1, "for p2")):
        what = f"{page}'s sendSync returns the value assigned for its own message"
        _expect_answer(check, "RET-5", trace.call(page, index), answer, what)
    check.verify()


@pytest.mark.clause("RET-5")
def test_a_deferred_answer_outlives_another_pages_send_sync(ipc: IpcFixture) -> None:
    """Rejects: a deferred answer sent to the page whose sendSync main handled last (one reply slot).

    p2's sendSync starts well after p1's and is answered at once, while p1's answer is
    still to come: the order the test above leaves to chance.
    """
    scenario = (
        Scenario("p1", "p2")
        .listen(MAIN, Listener("slow", "slow", [ret("for p1", after_ms=200)]))
        .listen(MAIN, Listener("fast", "fast", [ret("for p2")]))
        .script("p1", send_sync("slow"))
        .script("p2", wait(50), send_sync("fast"))
    )
    trace = ipc.run(scenario)
    check = Checker()
    for page, index, answer in (("p1", 0, "for p1"), ("p2", 1, "for p2")):
        what = f"{page}'s sendSync returns the value assigned for its own message"
        _expect_answer(check, "RET-5", trace.call(page, index), answer, what)
    check.verify()


@pytest.mark.clause("RET-7")
@pytest.mark.parametrize(
    "listeners",
    [
        [Listener("m1", "elsewhere")],
        [Listener("m1", "c")],
        [Listener("m1", "c"), Listener("m2", "c", [read_return_value()])],
    ],
    ids=["no listener", "one listener", "two listeners"],
)
def test_no_assignment_leaves_the_page_blocked(ipc: IpcFixture, listeners: list[Listener]) -> None:
    """Rejects: returning undefined/null when nobody answers, or timing out with an error."""
    outcome = ipc.edition.sync_outcome([])
    scenario = Scenario("p1").script("p1", send_sync("c")).limits(block_ms=_BLOCK_MS)
    for listener in listeners:
        scenario.listen(MAIN, listener)
    trace = ipc.run(scenario)
    call = trace.call("p1", 0)
    check = Checker()
    check.expect(
        "RET-7",
        (call.end is None) == (outcome.answer is NO_ANSWER),
        "with nobody assigning returnValue, sendSync never returns nor throws",
        observed=_outcome(call),
    )
    for process in (MAIN, "p1"):
        thrown = _uncaught(trace, process)
        check.expect("RET-7", not thrown, f"no error in {process}", observed=repr(thrown))
    check.verify()


@pytest.mark.clause("RET-8")
@pytest.mark.parametrize("after_ms", [None, 50], ids=["at once", "deferred"])
def test_an_answer_to_a_destroyed_page_is_ignored(ipc: IpcFixture, after_ms: int | None) -> None:
    """Rejects: main throwing, or stopping its dispatch, when it answers a page that is gone."""
    outcome = ipc.edition.sync_outcome([PAGE_DESTROYED, Assign("late")])
    scenario = (
        Scenario("p1", "p2")
        .listen(MAIN, Listener("m1", "s", [destroy("p1"), ret("late", after_ms=after_ms)]))
        .listen(MAIN, Listener("m2", "o"))
        .script("p1", send_sync("s"))
        .script("p2", wait(150), send("o", 1))
        .limits(block_ms=_BLOCK_MS)
    )
    trace = ipc.run(scenario)
    check = Checker()
    errors = [event.get("error") for event in trace.events(MAIN, "return-assigned")]
    check.expect(
        "RET-8",
        [error is not None for error in errors] == [outcome.main_throws],
        "assigning returnValue for a destroyed page is silently ignored",
        observed=f"return-assigned errors: {errors!r}",
    )
    thrown = _uncaught(trace, MAIN)
    check.expect("RET-8", not thrown, "no exception in main", observed=repr(thrown))
    later = [(event.args, event.get("sender")) for event in trace.deliveries(MAIN, "m2")]
    check.expect(
        "RET-8",
        later == [([1], "p2")],
        "main goes on dispatching the other pages' messages",
        expected=repr([([1], "p2")]),
        observed=repr(later),
    )
    check.verify()
