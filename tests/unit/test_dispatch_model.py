"""The emitter model that predicts which listeners each message reaches (CH-3, CH-8, ORD-6)."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from conformance.checks.dispatch import EmitterModel, Registration, expected_calls
from conformance.scenarios import (
    Listener,
    Step,
    mark,
    on,
    remove_all_listeners,
    remove_listener,
    reply,
    ret,
    throw,
)
from reference_impl.emitter import EventEmitter


def _doc(listener_id: str, channel: str = "c", *actions: Step, once: bool = False) -> dict[str, Any]:
    return Listener(listener_id, channel, actions, once=once).to_json()


def test_listeners_run_in_registration_order() -> None:
    listeners = [_doc("b"), _doc("a"), _doc("x", "other"), _doc("c")]
    assert expected_calls(listeners, ["c", "other", "none"]) == [["b", "a", "c"], ["x"], []]


def test_a_listener_added_during_dispatch_runs_from_the_next_message_on() -> None:
    listeners = [_doc("a", "c", on(Listener("b", "c")))]
    assert expected_calls(listeners, ["c", "c"]) == [["a"], ["a", "b"]]


def test_a_listener_removed_during_dispatch_still_runs_for_that_message() -> None:
    listeners = [_doc("a", "c", remove_listener("b")), _doc("b")]
    assert expected_calls(listeners, ["c", "c"]) == [["a", "b"], ["a"]]


def test_remove_all_during_dispatch_spares_the_current_message_only() -> None:
    listeners = [_doc("a", "c", remove_all_listeners()), _doc("b"), _doc("x", "other")]
    assert expected_calls(listeners, ["c", "c", "other"]) == [["a", "b"], [], []]


def test_a_once_listener_runs_once() -> None:
    listeners = [_doc("a", once=True), _doc("b")]
    assert expected_calls(listeners, ["c", "c"]) == [["a", "b"], ["b"]]


def test_a_throwing_listener_stops_the_rest_and_what_follows_its_throw() -> None:
    listeners = [_doc("a", "c", throw(), remove_listener("b")), _doc("b")]
    assert expected_calls(listeners, ["c", "c"]) == [["a"], ["a"]]


def test_actions_before_a_throw_take_effect() -> None:
    listeners = [_doc("a", "c", remove_listener("b"), throw()), _doc("b"), _doc("d")]
    assert expected_calls(listeners, ["c", "c"]) == [["a"], ["a"]]
    assert expected_calls(listeners[1:], ["c"]) == [["b", "d"]]


def test_remove_takes_the_most_recent_registration() -> None:
    model = EmitterModel()
    first, second = Registration("a", "c", False, ()), Registration("a", "c", True, ())
    model.add(first)
    model.add(Registration("b", "c", False, ()))
    model.add(second)
    model.remove("a")
    assert model.by_channel["c"] == [first, Registration("b", "c", False, ())]
    model.remove("nobody")
    assert [r.listener_id for r in model.by_channel["c"]] == ["a", "b"]


def test_remove_all_of_one_channel() -> None:
    model = EmitterModel()
    for channel in ("c", "d"):
        model.add(Registration("a", channel, False, ()))
    model.remove_all("c")
    model.remove_all("unknown")
    assert model.dispatch("c") == [] and model.dispatch("d") == ["a"]


def test_actions_that_change_no_listener_are_ignored() -> None:
    listeners = [_doc("a", "c", mark("m"), reply("r", 1), remove_listener("nobody")), _doc("b")]
    assert expected_calls(listeners, ["c", "c"]) == [["a", "b"], ["a", "b"]]


def test_a_registration_reads_a_scenario_listener() -> None:
    registration = Registration.from_json(_doc("a", "c", mark("m"), throw("x"), once=True))
    assert (registration.listener_id, registration.channel, registration.once) == ("a", "c", True)
    assert registration.throws
    assert not Registration.from_json({"id": "b", "channel": "c"}).throws


# The model against Node's EventEmitter semantics as the reference implementation's emitter has them.

_IDS = ("a", "b", "c", "d")
_CHANNELS = ("x", "y")


def _leaf_actions() -> st.SearchStrategy[Step]:
    return st.one_of(
        st.sampled_from(_IDS).map(remove_listener),
        st.sampled_from([None, *_CHANNELS]).map(remove_all_listeners),
        st.just(throw()),
        st.just(mark("m")),
    )


@st.composite
def _listener_sets(draw: st.DrawFn) -> dict[str, dict[str, Any]]:
    """Return one listener document per id; only the first two may add others (with ``on``)."""
    docs: dict[str, dict[str, Any]] = {}
    for listener_id in reversed(_IDS):
        adders = st.sampled_from(list(docs.values())).map(lambda doc: {"op": "on", "listener": doc})
        actions = (
            _leaf_actions() if not docs or listener_id in ("c", "d") else st.one_of(_leaf_actions(), adders)
        )
        docs[listener_id] = _doc(
            listener_id,
            draw(st.sampled_from(_CHANNELS)),
            *draw(st.lists(actions, max_size=3)),
            once=draw(st.booleans()),
        )
    return docs


class _Thrown(Exception):
    pass


class _Interpreter:
    """Runs listener documents on a real EventEmitter, removing by id as a scenario interpreter does."""

    def __init__(self) -> None:
        self.emitter = EventEmitter()
        self.registered: dict[str, list[tuple[str, Any]]] = {}
        self.calls: list[str] = []

    def install(self, doc: Mapping[str, Any]) -> None:
        def listener() -> None:
            self.calls.append(doc["id"])
            for action in doc.get("actions", []):
                self.act(action)

        self.registered.setdefault(doc["id"], []).append((doc["channel"], listener))
        (self.emitter.once if doc.get("once") else self.emitter.on)(doc["channel"], listener)

    def act(self, action: Mapping[str, Any]) -> None:
        match action["op"]:
            case "throw":
                raise _Thrown
            case "on":
                self.install(action["listener"])
            case "removeListener":
                registered = self.registered.get(action["id"], [])
                for position in range(len(registered) - 1, -1, -1):
                    channel, function = registered[position]
                    if function in self.emitter.listeners(channel):
                        self.emitter.remove_listener(channel, function)
                        del registered[position]
                        break
            case "removeAllListeners":
                if "channel" in action:
                    self.emitter.remove_all_listeners(action["channel"])
                else:
                    self.emitter.remove_all_listeners()

    def dispatch(self, channels: Sequence[str]) -> list[list[str]]:
        calls = []
        for channel in channels:
            self.calls = []
            with contextlib.suppress(_Thrown):
                self.emitter.emit(channel)
            calls.append(self.calls)
        return calls


@settings(max_examples=200, deadline=None)
@given(
    docs=_listener_sets(),
    installed=st.lists(st.sampled_from(_IDS), max_size=6),
    channels=st.lists(st.sampled_from(_CHANNELS), max_size=8),
)
def test_the_model_predicts_what_an_event_emitter_calls(
    docs: dict[str, dict[str, Any]], installed: list[str], channels: list[str]
) -> None:
    interpreter = _Interpreter()
    for listener_id in installed:
        interpreter.install(docs[listener_id])
    predicted = expected_calls([docs[listener_id] for listener_id in installed], channels)
    assert predicted == interpreter.dispatch(channels)


def test_a_throwing_return_value_assignment_stops_a_sync_message_only() -> None:
    """RET-3: assigning a value that throws ends the listener like a throw, on sendSync messages only."""
    model = EmitterModel(assignment_throws=lambda value: value == "bad")
    model.add(Registration.from_json(_doc("a", "c", ret("bad"))))
    model.add(Registration.from_json(_doc("b", "c")))
    assert model.dispatch("c", sync=True) == ["a"]
    assert model.dispatch("c") == ["a", "b"]


def test_a_lost_message_changes_no_listener_for_the_next_ones() -> None:
    """With what was observed, a message that reached nobody does not run the actions of its listeners."""
    listeners = [_doc("a", "c", on(Listener("b", "c")))]
    assert expected_calls(listeners, ["c", "c"]) == [["a"], ["a", "b"]]
    assert expected_calls(listeners, ["c", "c"], observed=[[], ["a"]]) == [["a"], ["a"]]
