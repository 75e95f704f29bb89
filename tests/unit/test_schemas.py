"""The schema validators: jsonschema's verdicts and errors, with a compiled check (jsonschema-rs) in front.

The compiled check may only ever accept what jsonschema accepts; every other
document must get exactly jsonschema's verdict and errors.  Checked on scenarios
built from rich JavaScript values and their traces, and on random mutations of both.
"""

from __future__ import annotations

import copy
import math
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.oracle_adapter import simulate
from conformance.scenarios import MAIN, Listener, Scenario, ret, send, send_sync
from conformance.schemas import validator_for
from conformance.values.codec import encode
from conformance.values.strategies import js_values

_SCENARIO = validator_for("scenario.schema.json")
_TRACE = validator_for("trace.schema.json")


def _scenario(value: Any) -> dict[str, Any]:
    return (
        Scenario("p1")
        .listen(MAIN, Listener("m1", "s", [ret(echo=True)]))
        .listen(MAIN, Listener("m2", "a"))
        .script("p1", send_sync("s", value), send("a", value, 1))
        .to_json()
    )


def _same_verdict(validator: Any, document: object) -> None:
    fast = [error.message for error in validator.iter_errors(document)]
    slow = [error.message for error in validator.slow.iter_errors(document)]
    assert fast == slow
    assert validator.is_valid(document) is (not slow)
    if validator.accepts_fast(document):
        assert not slow, "the compiled check accepted a document jsonschema rejects"


@settings(max_examples=25, deadline=None)
@given(value=js_values(max_leaves=4))
def test_valid_scenarios_and_traces_pass_the_compiled_check(value: Any) -> None:
    scenario = _scenario(value)
    trace = simulate(scenario)
    for validator, document in ((_SCENARIO, scenario), (_TRACE, trace)):
        assert validator.slow.is_valid(document)
        _same_verdict(validator, document)


_REPLACEMENTS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.sampled_from([1.5, -0.0, math.nan, math.inf, 2**70, "", "p1", "p1\n", "x\ud800", "send", "call-end"]),
    st.builds(list),
    st.builds(dict),
    st.just((1, 2)),
    st.just({"type": "number", "value": 1}),
)


@st.composite
def _mutants(draw: st.DrawFn) -> tuple[Any, Any]:
    value = draw(js_values(max_leaves=3))
    scenario = _scenario(value)
    validator, document = draw(st.sampled_from([(_SCENARIO, scenario), (_TRACE, simulate(scenario))]))
    document = copy.deepcopy(document)
    containers: list[Any] = []
    stack = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, dict | list) and node:
            containers.append(node)
            stack.extend(node.values() if isinstance(node, dict) else node)
    node = draw(st.sampled_from(containers))
    if isinstance(node, dict):
        key = draw(st.sampled_from(sorted(node)))
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "replace":
            node[key] = draw(_REPLACEMENTS)
        elif action == "delete":
            del node[key]
        else:
            node[draw(st.sampled_from(["extra", "t", "type", "op"]))] = draw(_REPLACEMENTS)
    else:
        node[draw(st.integers(0, len(node) - 1))] = draw(_REPLACEMENTS)
    return validator, document


@settings(max_examples=60, deadline=None)
@given(mutant=_mutants())
def test_mutated_documents_get_jsonschemas_verdict_and_errors(mutant: tuple[Any, Any]) -> None:
    validator, document = mutant
    _same_verdict(validator, document)


def test_documents_the_compiled_check_cannot_read_go_to_jsonschema() -> None:
    scenario = _scenario(encode(1))
    as_tuple = copy.deepcopy(scenario)
    as_tuple["pages"] = tuple(as_tuple["pages"])
    assert not _SCENARIO.accepts_fast(as_tuple) and not _SCENARIO.is_valid(as_tuple)
    for text in ("a\ud800", "p\ud800"):
        surrogate = copy.deepcopy(scenario)
        surrogate["main"]["listeners"][1]["channel"] = text
        surrogate["pages"][0]["id"] = text
        _same_verdict(_SCENARIO, surrogate)
    deep: list[Any] = []
    for _ in range(1200):
        deep = [deep]
    assert not _TRACE.accepts_fast({"processes": {"main": deep}})
    assert _SCENARIO.accepts_fast(scenario)
