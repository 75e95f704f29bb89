"""The suite's side of an adapter: requirements, UNSUPPORTED, timeouts, broken adapters and restarts."""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import pytest
from hypothesis import given, settings

from conformance.adapters import (
    AdapterCrashed,
    AdapterError,
    AdapterReportedError,
    AdapterStartError,
    AdapterTimeout,
    Hello,
    Step,
)
from conformance.scenarios import (
    MAIN,
    ChannelValue,
    Listener,
    Scenario,
    busy,
    destroy,
    mark,
    on,
    ret,
    send,
    send_channel_sync,
    send_sync,
    send_to_host,
    set_timeout,
    wait,
    web_contents_send,
    webview_send,
)
from conformance.session import (
    DEFAULT_BLOCK_MS,
    DEFAULT_SETTLE_MS,
    RestartBudgetExhausted,
    SuiteSession,
    Unsupported,
    requirements,
)
from conformance.values.model import (
    Hole,
    JSArray,
    JSArrayBuffer,
    JSBuffer,
    JSDate,
    JSError,
    JSFunction,
    JSMap,
    JSObject,
    JSPromise,
    JSRegExp,
    JSSet,
    JSSymbol,
    JSTypedArray,
    Undefined,
    Value,
    iter_children,
)
from conformance.values.strategies import js_values

TRACE = {"processes": {"main": [{"type": "mark", "t": 0, "label": "ran"}, {"type": "script-end", "t": 1}]}}


def _needs(scenario: Scenario) -> tuple[set[str], set[str]]:
    capabilities, kinds = requirements(scenario.to_json())
    return set(capabilities), set(kinds)


# Requirements


def test_a_plain_send_of_strings_needs_no_capability() -> None:
    assert _needs(Scenario("p1").script("p1", send("c", "a"))) == (set(), {"string"})


@pytest.mark.parametrize(
    ("step", "capability"),
    [
        (send_sync("c"), "sendSync"), (send_channel_sync("c"), "sendSync"), (send_to_host("c"), "sendToHost"),
        (webview_send("w1", "c"), "webview"), (destroy("p1"), "destroy"), (set_timeout(1, "t"), "timers"),
        (busy(1), "busy"), (send(ChannelValue(1)), "channelValues"),
        (send("c", mutate_after=True), "mutateAfter"),
    ],
    ids=lambda v: v if isinstance(v, str) else v["op"],
)  # fmt: skip
def test_each_step_needs_its_capability(step: dict[str, Any], capability: str) -> None:
    assert capability in _needs(Scenario("p1").script("p1", step))[0]


def test_steps_inside_listeners_count_too() -> None:
    inner = Listener("m2", "d", (ret(JSDate(0.0), after_ms=5),))
    scenario = Scenario("p1").listen(MAIN, Listener("m1", "c", (on(inner),)))
    assert _needs(scenario) == ({"timers"}, {"date"})


def test_pages_decide_multiple_pages_and_webview() -> None:
    assert _needs(Scenario("p1", "p2"))[0] == {"multiplePages"}
    assert _needs(Scenario("e1").guest("g1", embedder="e1", element="w"))[0] == {"multiplePages", "webview"}
    assert _needs(Scenario("e1").empty_element("e1", "w"))[0] == {"webview"}


def test_plain_steps_need_nothing() -> None:
    scenario = Scenario("p1").script(MAIN, web_contents_send("p1", "c"), wait(5), mark("m"))
    assert _needs(scenario) == (set(), set())


_PRIMITIVE_KINDS = {
    type(None): "null", bool: "boolean", int: "number", float: "number", str: "string",
    Undefined: "undefined", Hole: "hole",
}  # fmt: skip
_OBJECT_KINDS = {
    list: "array", JSArray: "array", dict: "object", JSObject: "object", JSSymbol: "symbol",
    JSFunction: "function", JSDate: "date", JSRegExp: "regexp", JSError: "error", JSMap: "map", JSSet: "set",
    JSPromise: "promise", JSArrayBuffer: "arraybuffer", JSTypedArray: "typedarray", JSBuffer: "buffer",
}  # fmt: skip


def _kinds_of(value: object, seen: set[int]) -> Iterator[str]:
    """Yield the value kinds ``value`` holds, walking the Python model (not its encoding)."""
    if type(value) in _PRIMITIVE_KINDS:
        yield _PRIMITIVE_KINDS[type(value)]
        if isinstance(value, str) and any("\ud800" <= c <= "\udfff" for c in value):
            yield "loneSurrogate"
        return
    if id(value) in seen:
        yield "ref"
        return
    seen.add(id(value))
    yield _OBJECT_KINDS[type(value)]
    children = list(iter_children(value))
    if isinstance(value, JSObject):
        yield from ["class"] if value.cls else []
        for prop in value.properties:
            if isinstance(prop.key, JSSymbol):
                yield "symbolKey"
                children.append(prop.key)
            yield from ["accessor"] if prop.is_accessor else []
            yield from [] if prop.enumerable else ["nonEnumerable"]
    for child in children:
        yield from _kinds_of(child, seen)


@settings(max_examples=60, deadline=None)
@given(value=js_values(lone_surrogates=True, max_leaves=8))
def test_value_kinds_are_found_wherever_a_value_sits(value: Value) -> None:
    for step in (send("c", value), send(ChannelValue(value)), ret(value)):
        scenario = Scenario("p1").listen(MAIN, Listener("m1", "c", (step,) if step["op"] == "return" else ()))
        if step["op"] != "return":
            scenario.script("p1", step)
        assert _needs(scenario)[1] == set(_kinds_of(value, set()))


# Timeouts


def test_the_timeout_is_the_call_timeout_plus_the_default_limits() -> None:
    session = SuiteSession(_Fake, call_timeout=3.0)
    expected = 3.0 + (DEFAULT_BLOCK_MS + DEFAULT_SETTLE_MS) / 1000
    assert session.timeout_for(Scenario("p1").to_json()) == pytest.approx(expected)


def test_the_timeout_adds_the_limits_and_every_scripted_delay() -> None:
    scenario = (
        Scenario("p1")
        .listen(MAIN, Listener("m1", "c", (busy(50), ret(1, after_ms=20))))
        .script("p1", wait(100), set_timeout(30, "t"))
        .limits(block_ms=500, settle_ms=10)
    )
    session = SuiteSession(_Fake, call_timeout=1.0)
    assert session.timeout_for(scenario.to_json()) == pytest.approx(1.0 + (510 + 200) / 1000)


# Sessions


class _Fake:
    """An in-process adapter whose runs answer ``TRACE`` or raise what ``plan`` says, in turn."""

    started: list[_Fake]

    def __init__(self, plan: list[object] | None = None, capabilities: frozenset[str] = frozenset()) -> None:
        self.plan = list(plan or [])
        self.capabilities = capabilities
        self.runs: list[tuple[Mapping[str, Any], float]] = []
        self.resets: list[float] = []
        self.closed = 0

    def hello(self) -> Hello:
        return Hello("fake", "0", "v0.32", self.capabilities, frozenset({"string", "number"}))

    def run(self, scenario: Mapping[str, Any], *, timeout: float) -> dict[str, Any]:
        self.runs.append((scenario, timeout))
        outcome = self.plan.pop(0) if self.plan else TRACE
        if isinstance(outcome, BaseException):
            raise outcome
        assert isinstance(outcome, dict)
        return outcome

    def reset(self, *, timeout: float) -> None:
        self.resets.append(timeout)

    def close(self) -> None:
        self.closed += 1


def _factory(
    *plans: list[object], capabilities: frozenset[str] = frozenset()
) -> tuple[Callable[[], _Fake], list[_Fake]]:
    """Return a start function giving one fake per plan in turn, and the list of those started."""
    started: list[_Fake] = []

    def start() -> _Fake:
        started.append(_Fake(plans[len(started)], capabilities))
        return started[-1]

    return start, started


def _crash() -> AdapterCrashed:
    return AdapterCrashed("the adapter exited", step=Step.RUN, returncode=1)


SCENARIO = Scenario("p1").script("p1", send("c", "x"))


def test_the_adapter_starts_on_first_use_and_once() -> None:
    start, started = _factory([])
    session = SuiteSession(start)
    assert started == []
    assert session.hello.name == "fake"
    session.run(SCENARIO)
    session.run(SCENARIO.to_json())
    assert len(started) == 1


def test_a_run_resets_first_and_returns_the_decoded_trace() -> None:
    start, started = _factory([])
    session = SuiteSession(start, call_timeout=4.0)
    trace = session.run(SCENARIO)
    assert [e.get("label") for e in trace.events(MAIN, "mark")] == ["ran"]
    (fake,) = started
    assert fake.resets == [4.0]
    assert fake.runs == [(SCENARIO.to_json(), session.timeout_for(SCENARIO.to_json()))]


def test_an_unclaimed_capability_or_value_kind_is_unsupported_without_running() -> None:
    start, started = _factory([])
    session = SuiteSession(start)
    scenario = Scenario("p1").script("p1", send_sync("c", JSSymbol("s")))
    with pytest.raises(Unsupported) as raised:
        session.run(scenario)
    assert raised.value.capabilities == {"sendSync"} and raised.value.value_kinds == {"symbol"}
    assert str(raised.value) == "the implementation does not claim capability 'sendSync', value kind 'symbol'"
    assert started[0].runs == []
    assert session.supports(SCENARIO.to_json()) is None


def test_a_claimed_capability_is_supported() -> None:
    start, _ = _factory([], capabilities=frozenset({"sendSync"}))
    assert SuiteSession(start).supports(Scenario("p1").script("p1", send_sync("c", "x")).to_json()) is None


def test_a_broken_adapter_keeps_failing_the_test_without_being_called() -> None:
    crash = _crash()
    start, started = _factory([crash])
    session = SuiteSession(start)
    depths = []
    for _ in range(4):
        with pytest.raises(AdapterCrashed) as raised:
            session.run(SCENARIO)
        assert raised.value is crash
        depths.append(len(traceback.extract_tb(raised.value.__traceback__)))
    assert len(set(depths[1:])) == 1  # raised afresh each time: the traceback does not pile up
    with pytest.raises(AdapterCrashed):
        _ = session.hello
    assert len(started[0].runs) == 1


def test_the_next_test_restarts_a_broken_adapter() -> None:
    start, started = _factory([_crash()], [])
    session = SuiteSession(start, restart_budget=1)
    with pytest.raises(AdapterCrashed):
        session.run(SCENARIO)
    session.begin_test()
    assert started[0].closed == 1
    assert session.run(SCENARIO).events(MAIN, "mark")
    assert len(started) == 2 and session.restarts_left == 0


def test_a_healthy_adapter_is_not_restarted() -> None:
    start, started = _factory([])
    session = SuiteSession(start, restart_budget=1)
    session.run(SCENARIO)
    session.begin_test()
    session.run(SCENARIO)
    assert len(started) == 1 and session.restarts_left == 1


@pytest.mark.parametrize(
    "trace",
    [{"processes": {}}, {"processes": {"main": [{"type": "deliver", "t": 0}]}}, {"processes": {"main": [
        {"type": "deliver", "t": 0, "listener": "m1", "channel": "c", "args": [{"type": "ref", "id": 3}]}]}}],
    ids=["no-main", "schema", "dangling-ref"],
)  # fmt: skip
def test_an_invalid_trace_breaks_the_adapter(trace: dict[str, Any]) -> None:
    start, started = _factory([trace])
    session = SuiteSession(start)
    with pytest.raises(AdapterError, match="invalid trace") as raised:
        session.run(SCENARIO)
    assert raised.value.step == Step.COLLECT
    with pytest.raises(AdapterError, match="invalid trace"):
        session.run(SCENARIO)
    assert len(started[0].runs) == 1


class _Talkative(_Fake):
    """A fake with a stderr tail, as subprocess adapters have."""

    def stderr_tail(self) -> str:
        return "trace writer: lost main"


def test_an_invalid_trace_names_the_implementation_and_its_stderr_tail() -> None:
    session = SuiteSession(lambda: _Talkative([{"processes": {}}]))
    with pytest.raises(AdapterError) as raised:
        session.run(SCENARIO)
    assert raised.value.implementation == "fake 0"
    assert raised.value.stderr == "trace writer: lost main"
    assert "  stderr (last lines):\n    | trace writer: lost main" in str(raised.value)


def test_an_in_process_adapter_without_stderr_has_an_empty_tail() -> None:
    start, _ = _factory([KeyError("page")])
    session = SuiteSession(start)
    with pytest.raises(AdapterError) as raised:
        session.run(SCENARIO)
    assert raised.value.implementation == "fake 0"
    assert raised.value.stderr == ""


def test_an_error_answer_fails_the_run_but_keeps_the_adapter() -> None:
    start, started = _factory([AdapterReportedError("cannot express that step", step=Step.RUN)])
    session = SuiteSession(start, restart_budget=0)
    with pytest.raises(AdapterReportedError):
        session.run(SCENARIO)
    assert session.run(SCENARIO).events(MAIN, "mark")
    session.begin_test()
    assert session.run(SCENARIO).events(MAIN, "mark")
    assert len(started) == 1 and len(started[0].runs) == 3


def test_an_in_process_adapter_bug_breaks_the_adapter_with_its_traceback() -> None:
    start, started = _factory([KeyError("page")], [])
    session = SuiteSession(start)
    with pytest.raises(AdapterError, match="the adapter raised KeyError: 'page'") as raised:
        session.run(SCENARIO)
    assert raised.value.step == Step.RUN and "KeyError" in (raised.value.detail or "")
    with pytest.raises(AdapterError, match="KeyError"):
        session.run(SCENARIO)
    session.begin_test()
    assert session.run(SCENARIO).events(MAIN, "mark")
    assert len(started) == 2


def test_after_the_restart_budget_every_test_errors_at_once() -> None:
    start, started = _factory([_crash()], [AdapterTimeout("slow", step=Step.RUN, timeout=1.0)])
    session = SuiteSession(start, restart_budget=1)
    with pytest.raises(AdapterCrashed):
        session.run(SCENARIO)
    session.begin_test()
    with pytest.raises(AdapterTimeout):
        session.run(SCENARIO)
    for _ in range(2):
        session.begin_test()
        with pytest.raises(RestartBudgetExhausted) as raised:
            session.run(SCENARIO)
        assert "--ipc-restart-budget" in str(raised.value)
        assert "slow" in (raised.value.detail or "")
    assert len(started) == 2 and [len(fake.runs) for fake in started] == [1, 1]


def test_with_no_restart_budget_the_first_break_is_final() -> None:
    start, started = _factory([_crash()])
    session = SuiteSession(start, restart_budget=0)
    with pytest.raises(AdapterCrashed):
        session.run(SCENARIO)
    session.begin_test()
    with pytest.raises(RestartBudgetExhausted):
        _ = session.hello
    assert len(started) == 1


def test_an_adapter_that_cannot_start_is_retried_by_the_next_test() -> None:
    attempts: list[int] = []

    def start() -> _Fake:
        attempts.append(1)
        if len(attempts) == 1:
            raise AdapterStartError("no such command")
        return _Fake()

    session = SuiteSession(start, restart_budget=1)
    for _ in range(2):
        with pytest.raises(AdapterStartError):
            session.run(SCENARIO)
    session.begin_test()
    assert session.run(SCENARIO).events(MAIN, "mark")
    assert len(attempts) == 2


def test_close_closes_the_adapter_once() -> None:
    start, started = _factory([])
    session = SuiteSession(start)
    session.close()
    session.run(SCENARIO)
    session.close()
    session.close()
    assert started[0].closed == 1
