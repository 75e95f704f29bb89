"""The reference implementation's EventEmitter (Node semantics), in-process."""

from __future__ import annotations

import pytest

from conformance.values.model import UNDEFINED, JSSymbol
from reference_impl.emitter import EventEmitter, UnhandledErrorEvent


@pytest.mark.clause("CH-3", "CH-8")
def test_listeners_run_in_order_with_the_same_arguments() -> None:
    emitter = EventEmitter()
    calls: list[tuple[str, tuple[object, ...]]] = []
    emitter.on("e", lambda *args: calls.append(("first", args)))
    emitter.add_listener("e", lambda *args: calls.append(("second", args)))
    marker = object()
    assert emitter.emit("e", marker, 2) is True
    assert calls == [("first", (marker, 2)), ("second", (marker, 2))]
    assert emitter.emit("other") is False


@pytest.mark.clause("CH-3")
def test_emit_works_on_a_copy_of_the_listener_list() -> None:
    emitter = EventEmitter()
    calls: list[str] = []

    def removed() -> None:
        calls.append("removed")

    def changes_the_list() -> None:
        calls.append("changes")
        emitter.on("e", lambda: calls.append("added"))
        emitter.remove_listener("e", removed)

    emitter.on("e", changes_the_list).on("e", removed)
    emitter.emit("e")
    assert calls == ["changes", "removed"]
    calls.clear()
    emitter.remove_listener("e", changes_the_list)
    emitter.emit("e")
    assert calls == ["added"]


@pytest.mark.clause("CH-3")
def test_raising_listener_stops_the_rest_and_propagates() -> None:
    emitter = EventEmitter()
    calls: list[str] = []

    def raises() -> None:
        raise ValueError("boom")

    emitter.on("e", raises).on("e", lambda: calls.append("after"))
    with pytest.raises(ValueError, match="boom"):
        emitter.emit("e")
    assert calls == []


@pytest.mark.clause("CH-8")
def test_once_fires_once_even_when_reentered() -> None:
    emitter = EventEmitter()
    calls: list[int] = []

    def once(number: int) -> None:
        calls.append(number)
        emitter.emit("e", number + 1)

    emitter.once("e", once)
    emitter.emit("e", 1)
    emitter.emit("e", 5)
    assert calls == [1]
    assert emitter.listener_count("e") == 0


@pytest.mark.clause("CH-8")
def test_remove_listener_removes_the_latest_registration_including_once() -> None:
    emitter = EventEmitter()
    calls: list[str] = []

    def listener(tag: str) -> None:
        calls.append(tag)

    emitter.on("e", listener).once("e", listener)
    emitter.remove_listener("e", listener)  # removes the once registration
    emitter.emit("e", "x")
    emitter.emit("e", "y")
    assert calls == ["x", "y"]
    emitter.remove_listener("e", listener).remove_listener("e", listener)
    assert emitter.listeners("e") == []


@pytest.mark.clause("CH-8")
def test_remove_all_listeners_of_one_event_or_of_all() -> None:
    emitter = EventEmitter()
    emitter.on("a", print).on("a", repr).on("b", print)
    assert emitter.listeners("a") == [print, repr]
    emitter.remove_all_listeners("a")
    assert (emitter.listener_count("a"), emitter.listener_count("b")) == (0, 1)
    emitter.remove_all_listeners()
    assert emitter.listener_count("b") == 0


@pytest.mark.clause("CH-6")
def test_error_without_listener_raises() -> None:
    emitter = EventEmitter()
    with pytest.raises(UnhandledErrorEvent, match='unspecified "error" event'):
        emitter.emit("error", "not an exception")
    with pytest.raises(KeyError):
        emitter.emit("error", KeyError("the argument itself"))
    seen: list[object] = []
    emitter.on("error", seen.append)
    assert emitter.emit("error", "handled") is True
    assert seen == ["handled"]


@pytest.mark.clause("CH-5", "CH-7")
def test_event_names_are_property_keys() -> None:
    emitter = EventEmitter()
    seen: list[object] = []
    for key in ("1", "null", "undefined", "[object Object]", "1,2", "", "\ud83d\ude00"):
        emitter.on(key, lambda key=key: seen.append(key))
    symbol = JSSymbol("s")
    emitter.on(symbol, lambda: seen.append("symbol"))
    for name in (1, 1.0, None, UNDEFINED, {"a": 1}, [1, [2]], "", "😀", symbol):
        emitter.emit(name)
    emitter.emit(JSSymbol("s"))  # another symbol is another key
    assert seen == ["1", "1", "null", "undefined", "[object Object]", "1,2", "", "\ud83d\ude00", "symbol"]
