"""Worked examples of the v0.32 oracle, one or more per clause, and the general laws it obeys.

Each example is a small case read off SEMANTICS.md; the ``clause`` mark names the clause.
The property tests state laws that hold whatever the details (SER-0 on JSON-like trees,
idempotence, received values are trees) without re-deriving the oracle.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformance.editions import (
    EDITIONS,
    NO_ANSWER,
    PAGE_DESTROYED,
    Assign,
    NoAnswer,
    SyncOutcome,
    UnknownEditionError,
    edition_for,
    v0_32,
)
from conformance.editions.jsops import JSThrow, utf8_bytes
from conformance.editions.v0_32 import (
    DEPTH_LIMIT,
    convert_arguments,
    convert_host_message,
    convert_message,
    emitter_key,
    read_return_value,
    sync_answer,
    sync_outcome,
)
from conformance.values.model import (
    HOLE,
    TYPED_ARRAY_KINDS,
    UNDEFINED,
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
    Property,
    Value,
    is_array_index,
    js_equal,
    js_equal_lists,
)

clause = pytest.mark.clause


def nested_arrays(levels: int, leaf: Value) -> Value:
    """Return ``levels`` arrays, each holding the next, the innermost holding ``leaf``.

    The outermost array is at depth 0, so ``leaf`` is at depth ``levels``.
    """
    value = leaf
    for _ in range(levels):
        value = [value]
    return value


def nested_objects(levels: int, leaf: Value) -> Value:
    """Return ``levels`` objects ``{"k": ...}``, each holding the next, the innermost holding ``leaf``."""
    value = leaf
    for _ in range(levels):
        value = {"k": value}
    return value


def answered(value: Value) -> Value:
    """Return ``sync_answer(value)``, checking that there is one."""
    answer = sync_answer(value)
    assert not isinstance(answer, NoAnswer), f"no answer for {value!r}"
    return answer


def innermost(value: Value | Hole, levels: int) -> Value | Hole:
    """Return the container ``levels - 1`` steps inside ``value`` (the innermost of ``levels``)."""
    for _ in range(levels - 1):
        if isinstance(value, list):
            value = value[0]
        else:
            assert isinstance(value, dict)
            value = value["k"]
    return value


# --- Section 3: argument conversion -------------------------------------------------


@clause("SER-0")
def test_ser0_json_like_tree_arrives_equal_as_a_fresh_copy() -> None:
    tags: list[Value | Hole] = ["a", "b"]
    sent: dict[str, Value] = {"id": 1, "name": "ly", "tags": tags, "more": {"ok": True, "none": None}}
    [received] = convert_arguments([sent])
    assert js_equal(received, sent, key_order=False)
    assert isinstance(received, dict)
    assert received is not sent
    assert received["tags"] is not tags
    # Changing the sent object afterwards does not reach the receiver's copy.
    tags.append("c")
    assert received["tags"] == ["a", "b"]


@clause("SER-1")
def test_ser1_no_argument_value_makes_conversion_fail() -> None:
    cycle: dict[str, Value] = {}
    cycle["self"] = cycle
    everything: list[Value] = [
        UNDEFINED, JSFunction("f"), JSSymbol("s"), math.nan, cycle, [HOLE], JSArray([HOLE], {"x": 1}),
        JSObject([Property.accessor("g", 1)]), JSDate(math.nan), JSRegExp("a"), JSError(), JSMap([(1, 2)]),
        JSSet([1]), JSPromise(), JSArrayBuffer(b"a"), JSBuffer(b"a"),
        *(JSTypedArray(kind, [1]) for kind in TYPED_ARRAY_KINDS),
        nested_arrays(200, 1),
    ]  # fmt: skip
    received = convert_arguments(everything)
    assert len(received) == len(everything)
    channel, args = convert_message(JSSymbol("channel"), everything)
    assert channel is None
    assert len(args) == len(everything)


@clause("SER-2")
def test_ser2_argument_count_kept_and_unconvertible_top_level_values_arrive_as_null() -> None:
    assert convert_arguments([UNDEFINED, JSFunction("f"), JSSymbol("s"), 1]) == [None, None, None, 1]
    assert convert_arguments([]) == []


@clause("SER-3")
def test_ser3_numbers_arrive_bit_exact() -> None:
    sent: list[Value] = [0, -0.0, 1, -1, 2**31, 2**53, 0.1, 5e-324, 1.7976931348623157e308,
                         math.nan, math.inf, -math.inf]  # fmt: skip
    received = convert_arguments(sent)
    assert js_equal_lists(received, sent)
    assert math.copysign(1.0, received[1]) == -1.0  # type: ignore[arg-type]


@clause("SER-4")
def test_ser4_strings_arrive_exactly() -> None:
    sent: list[Value] = ["", "a\x00b", "\U0001f600", "lone \ud800 surrogate", "\udfff"]
    assert convert_arguments(sent) == sent


@clause("SER-5")
def test_ser5_arrays_drop_holes_and_extra_properties_and_null_unconvertible_elements() -> None:
    assert convert_arguments([[1, HOLE, 3]]) == [[1, 3]]
    assert convert_arguments([[UNDEFINED, JSFunction("f"), JSSymbol("s")]]) == [[None, None, None]]
    assert convert_arguments([JSArray([1, HOLE, 2], extra={"foo": 1})]) == [[1, 2]]


@clause("SER-6")
def test_ser6_objects_keep_own_enumerable_data_properties_only() -> None:
    shared: dict[str, Value] = {"met": True}
    point = JSObject(
        [
            Property("x", 1),
            Property.accessor("getter", shared),  # skipped without calling: ``shared`` is not met
            Property("hidden", 2, enumerable=False),
            Property(JSSymbol("s"), 3),
            Property("u", UNDEFINED),
            Property("f", JSFunction("f")),
            Property("sym", JSSymbol("v")),
        ],
        cls="Point",
    )
    # ``shared`` arrives in full as the second argument: the getter never handed it over.
    assert convert_arguments([point, shared]) == [{"x": 1}, {"met": True}]
    assert convert_arguments([{"u": UNDEFINED, "f": JSFunction("f"), "n": None}]) == [{"n": None}]


@clause("SER-7")
def test_ser7_received_keys_enumerate_indices_first_then_utf8_byte_order() -> None:
    sent: dict[str, Value] = {"b": 1, "a": 2, "10": 3, "2": 4, "\u00e9": 5, "z": 6, "B": 7}
    sent |= {"\U0001f600": 8, "\uffff": 9}
    [received] = convert_arguments([sent])
    assert isinstance(received, dict)
    # Not creation order: indices ascending, then the rest by UTF-8 bytes (U+FFFF before U+1F600).
    assert list(received) == ["2", "10", "B", "a", "b", "z", "\u00e9", "\uffff", "\U0001f600"]


@clause("SER-8")
def test_ser8_exotic_objects_arrive_empty_and_typed_arrays_as_index_keyed_objects() -> None:
    exotic: list[Value] = [JSDate(0), JSRegExp("a+", "g"), JSError("TypeError", "boom"), JSMap([(1, 2)]),
                           JSSet([1]), JSPromise(), JSArrayBuffer(b"ab")]  # fmt: skip
    assert convert_arguments(exotic) == [{}] * len(exotic)
    [floats] = convert_arguments([JSTypedArray("Float64Array", [1.5, -0.0, math.nan])])
    assert js_equal(floats, {"0": 1.5, "1": -0.0, "2": math.nan})
    [ints] = convert_arguments([JSTypedArray("Int16Array", list(range(11)))])
    assert isinstance(ints, dict)
    assert list(ints) == [str(i) for i in range(11)]  # "10" after "9": numeric order


@clause("SER-9")
def test_ser9_buffers_and_uint8_arrays_arrive_as_null_wherever_they_are() -> None:
    for binary in (JSBuffer(b"xyz"), JSTypedArray("Uint8Array", [1, 2])):
        assert convert_arguments([binary, [binary], {"b": binary}]) == [None, [None], {"b": None}]


@clause("SER-10")
def test_ser10_later_encounters_of_an_object_arrive_as_null() -> None:
    shared: dict[str, Value] = {"a": 1}
    assert convert_arguments([shared, shared]) == [{"a": 1}, None]
    assert convert_arguments([[shared, {"again": shared}]]) == [[{"a": 1}, {"again": None}]]
    cycle: dict[str, Value] = {"n": 1}
    cycle["self"] = cycle
    assert convert_arguments([cycle]) == [{"n": 1, "self": None}]
    looped: list[Value | Hole] = []
    looped.append(looped)
    assert convert_arguments([looped]) == [[None]]
    date = JSDate(0)  # exotic objects count as met too
    assert convert_arguments([date, date]) == [{}, None]
    # Each message has its own set: the same object in a new message arrives again.
    assert convert_arguments([shared]) == [{"a": 1}]


@clause("SER-10")
def test_ser10_first_meeting_is_depth_first_in_sender_key_order() -> None:
    shared: dict[str, Value] = {"a": 1}
    # "1" enumerates before "b" whatever the creation order, so it meets ``shared`` first.
    [received] = convert_arguments([{"b": shared, "1": shared}])
    assert received == {"1": {"a": 1}, "b": None}


@clause("SER-11")
def test_ser11_values_99_levels_down_are_dropped() -> None:
    assert DEPTH_LIMIT == 99
    # Leaf at depth 98: kept.
    [kept] = convert_arguments([nested_arrays(98, "leaf")])
    assert innermost(kept, 98) == ["leaf"]
    # Leaf at depth 99: null inside an array...
    [dropped] = convert_arguments([nested_arrays(99, "leaf")])
    assert innermost(dropped, 99) == [None]
    # ... omitted inside an object.
    [omitted] = convert_arguments([nested_objects(99, "leaf")])
    assert innermost(omitted, 99) == {}


@clause("SER-11", "SER-10")
def test_ser11_a_dropped_object_is_not_met() -> None:
    shared: dict[str, Value] = {"a": 1}
    # ``shared`` is first found at depth 99 and dropped unconverted, so its next encounter converts it.
    [deep, again] = convert_arguments([nested_arrays(99, shared), shared])
    assert innermost(deep, 99) == [None]
    assert again == {"a": 1}


@clause("SER-12")
def test_ser12_own_proto_key_does_not_arrive_but_its_value_was_met() -> None:
    assert convert_arguments([{"__proto__": 1, "a": 2}]) == [{"a": 2}]
    assert convert_arguments([JSObject([Property("__proto__", {"x": 1})])]) == [{}]
    inner: dict[str, Value] = {"x": 1}
    assert convert_arguments([{"__proto__": inner}, inner]) == [{}, None]


# --- Channels: CH-5 and HOST-3 -------------------------------------------------------


@clause("CH-5")
@pytest.mark.parametrize(
    ("channel", "key"),
    [
        ("ping", "ping"),
        (1, "1"),
        (-0.0, "0"),
        (1e21, "1e+21"),
        (math.nan, "NaN"),
        (True, "true"),
        (None, "null"),
        (UNDEFINED, "null"),  # an explicit undefined is converted to null first
        (JSFunction("f"), "null"),
        ({"b": 1}, "[object Object]"),
        (JSDate(0), "[object Object]"),
        ([1, [2, UNDEFINED]], "1,2,"),
        (JSBuffer(b"x"), "null"),
    ],
)
def test_ch5_channel_is_converted_then_used_as_a_string_key(channel: Value, key: str) -> None:
    converted, args = convert_message(channel, ["arg"])
    assert args == ["arg"]
    assert emitter_key(converted) == key


@clause("CH-5")
def test_ch5_omitted_channel_dispatches_on_undefined() -> None:
    channel, args = convert_message(channel_omitted=True)
    assert channel is UNDEFINED
    assert args == []
    assert emitter_key(channel) == "undefined"
    with pytest.raises(ValueError, match="no arguments"):
        convert_message(UNDEFINED, [1], channel_omitted=True)


@clause("CH-5", "SER-10")
def test_ch5_channel_and_arguments_share_one_conversion() -> None:
    shared: dict[str, Value] = {"a": 1}
    assert convert_message(shared, [shared]) == ({"a": 1}, [None])
    # The channel is at depth 0 like the arguments.
    channel, _ = convert_message(nested_arrays(99, 1))
    assert innermost(channel, 99) == [None]


@clause("CH-5")
def test_ch5_object_channel_with_own_to_string_throws_in_main() -> None:
    channel, _ = convert_message({"toString": "x"})
    with pytest.raises(JSThrow):
        emitter_key(channel)


@clause("HOST-3")
@pytest.mark.parametrize(
    ("channel", "expected"),
    [
        ("pong", "pong"),
        (5, 5),
        (UNDEFINED, None),
        ({"b": 1, "a": [1, HOLE]}, {"a": [1], "b": 1}),
    ],
)
def test_host3_event_channel_is_the_converted_channel(channel: Value, expected: Value) -> None:
    host_channel, host_args = convert_host_message(channel, ["arg1", "arg2"])
    assert js_equal(host_channel, expected)
    assert host_args == ["arg1", "arg2"]


@clause("HOST-3")
def test_host3_omitted_channel_arrives_as_null() -> None:
    assert convert_host_message(channel_omitted=True) == (None, [])


@clause("HOST-3", "SER-10")
def test_host3_channel_and_arguments_share_one_conversion() -> None:
    shared: list[Value | Hole] = [1]
    assert convert_host_message(shared, [shared, 2]) == ([1], [None, 2])


# --- Section 4: what sendSync returns ------------------------------------------------


@clause("RET-1")
def test_ret1_assigned_return_value_is_returned() -> None:
    assert sync_outcome([Assign("pong")]) == SyncOutcome("pong", main_throws=False)
    assert sync_outcome([Assign({"id": 1, "name": "ly"})]) == SyncOutcome(
        {"id": 1, "name": "ly"}, main_throws=False
    )


@clause("RET-2")
def test_ret2_numbers_dates_and_buffers_travel_as_json() -> None:
    answer = answered(
        [math.nan, math.inf, -math.inf, -0.0, 1.5, JSDate(0), JSDate(math.nan), JSBuffer(b"\x00\xff")]
    )
    assert js_equal(
        answer,
        [None, None, None, 0, 1.5, "1970-01-01T00:00:00.000Z", None, {"type": "Buffer", "data": [0, 255]}],
    )


@clause("RET-2")
def test_ret2_getters_are_called_and_hidden_properties_dropped() -> None:
    sent = JSObject(
        [
            Property.accessor("got", [1]),
            Property("hidden", 1, enumerable=False),
            Property(JSSymbol("s"), 2),
            Property("u", UNDEFINED),
        ],
        cls="Point",
    )
    assert sync_answer(sent) == {"got": [1]}


@clause("RET-2")
def test_ret2_shared_references_are_duplicated() -> None:
    shared: dict[str, Value] = {"a": 1}
    answer = sync_answer([shared, {"again": shared}])
    assert answer == [{"a": 1}, {"again": {"a": 1}}]
    assert isinstance(answer, list)
    again = answer[1]
    assert isinstance(again, dict)
    assert answer[0] is not again["again"]


@clause("RET-2")
def test_ret2_arrays_objects_and_exotics() -> None:
    assert sync_answer([UNDEFINED, JSFunction("f"), JSSymbol("s"), HOLE]) == [None, None, None, None]
    assert sync_answer({"u": UNDEFINED, "f": JSFunction("f"), "s": JSSymbol("s"), "n": None}) == {"n": None}
    assert sync_answer(JSArray([1, HOLE], extra={"foo": 1})) == [1, None]
    assert sync_answer(JSTypedArray("Uint8Array", [7, 8])) == {"0": 7, "1": 8}
    exotic: list[Value | Hole] = [JSMap([(1, 2)]), JSSet([1]), JSPromise(), JSRegExp("a"), JSError(),
                                  JSArrayBuffer(b"a")]  # fmt: skip
    assert sync_answer(exotic) == [{}] * len(exotic)


@clause("RET-2")
def test_ret2_strings_proto_key_and_key_order_are_kept() -> None:
    assert sync_answer("lone \ud800") == "lone \ud800"
    assert sync_answer({"__proto__": 1}) == {"__proto__": 1}
    answer = sync_answer({"b": 1, "a": 2, "1": 3})
    assert isinstance(answer, dict)
    assert list(answer) == ["1", "b", "a"]  # the sender's order, not byte order


@clause("RET-3")
@pytest.mark.parametrize("value", [UNDEFINED, JSFunction("f"), JSSymbol("s")])
def test_ret3_values_json_stringify_drops_throw_in_main_and_answer_nothing(value: Value) -> None:
    assert sync_answer(value) is NO_ANSWER
    assert sync_outcome([Assign(value)]) == SyncOutcome(NO_ANSWER, main_throws=True)


@clause("RET-3")
def test_ret3_cycles_throw_in_main_but_shared_references_do_not() -> None:
    cycle: dict[str, Value] = {}
    cycle["inner"] = {"back": cycle}
    assert sync_outcome([Assign(cycle)]) == SyncOutcome(NO_ANSWER, main_throws=True)
    shared: list[Value | Hole] = [1]
    assert sync_answer([shared, shared]) == [[1], [1]]


@clause("RET-4")
def test_ret4_return_value_reads_undefined_on_sync_events_and_back_on_async_ones() -> None:
    assert read_return_value([], sync=True) is UNDEFINED
    assert read_return_value(["x"], sync=True) is UNDEFINED
    value: dict[str, Value] = {"a": 1}
    assert read_return_value(["first", value], sync=False) is value
    assert read_return_value([], sync=False) is UNDEFINED


@clause("RET-5")
def test_ret5_deferred_assignment_answers_as_an_immediate_one() -> None:
    # The steps record order, not time: an assignment from a timer, after the listener
    # returned and other messages were handled, is the same step and gives the same answer.
    assert sync_outcome([Assign({"late": True})]) == SyncOutcome({"late": True}, main_throws=False)


@clause("RET-6")
def test_ret6_assigning_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="RET-6"):
        sync_outcome([Assign(1), Assign(2)])
    with pytest.raises(ValueError, match="RET-6"):
        read_return_value([1, 2], sync=True)


@clause("RET-7")
def test_ret7_no_assignment_leaves_the_renderer_blocked() -> None:
    assert sync_outcome([]) == SyncOutcome(NO_ANSWER, main_throws=False)


@clause("RET-8")
def test_ret8_assignment_after_the_page_is_destroyed_is_ignored() -> None:
    assert sync_outcome([PAGE_DESTROYED, Assign("late")]) == SyncOutcome(NO_ANSWER, main_throws=False)
    # Destroyed after the answer was sent: the answer stands.
    assert sync_outcome([Assign("x"), PAGE_DESTROYED]) == SyncOutcome("x", main_throws=False)


# --- The edition seam ----------------------------------------------------------------


@clause("M2R-2")
def test_edition_v032_table() -> None:
    edition = edition_for("v0.32")
    assert edition is EDITIONS["v0.32"]
    assert edition.name == v0_32.NAME == "v0.32"
    assert edition.page_listener_gets_event is False  # M2R-2: listener(arg1, arg2, ...)
    assert edition.convert_arguments is convert_arguments
    assert edition.convert_message is convert_message
    assert edition.convert_host_message is convert_host_message
    assert edition.emitter_key is emitter_key
    assert edition.sync_answer is sync_answer
    assert edition.sync_outcome is sync_outcome
    assert edition.read_return_value is read_return_value


def test_unknown_edition_lists_the_known_ones() -> None:
    with pytest.raises(UnknownEditionError, match=r"'v9\.9'.*known editions: 'v0\.32'"):
        edition_for("v9.9")


# --- Laws ----------------------------------------------------------------------------

_texts = st.text(st.characters() | st.characters(categories=["Cs"]), max_size=6)
_keys = _texts | st.sampled_from(["0", "1", "2", "10", "01", "a", "b", "\U0001f600", "\uffff"])
_finite = st.floats(allow_nan=False, allow_infinity=False)
_json_scalars = st.none() | st.booleans() | st.integers(-(2**53), 2**53) | _finite | _texts


def _json_trees(scalars: st.SearchStrategy[Value]) -> st.SearchStrategy[Value]:
    return st.recursive(
        scalars,
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(_keys.filter(lambda key: key != "__proto__"), children, max_size=4)
        ),
        max_leaves=15,
    )


json_trees = _json_trees(_json_scalars)
json_trees_without_negative_zero = _json_trees(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | _finite.map(lambda x: x + 0.0) | _texts
)

_specials: list[Value] = [math.nan, math.inf, -math.inf, -0.0, UNDEFINED]
_any_scalars: st.SearchStrategy[Value] = (
    _json_scalars
    | st.sampled_from(_specials)
    | st.builds(JSFunction, _texts)
    | st.builds(JSSymbol, st.none() | _texts)
    | st.builds(JSDate, st.floats())
    | st.builds(JSRegExp, _texts)
    | st.builds(JSError, st.just("Error"), _texts)
    | st.builds(JSPromise)
    | st.builds(JSArrayBuffer, st.binary(max_size=3))
    | st.builds(JSBuffer, st.binary(max_size=3))
    | st.builds(JSTypedArray, st.sampled_from(TYPED_ARRAY_KINDS), st.lists(st.integers(0, 100), max_size=3))
)


def _with_cycle(value: Value) -> Value:
    holder: dict[str, Value] = {"value": value}
    holder["self"] = holder
    return holder


def _extend(children: st.SearchStrategy[Value]) -> st.SearchStrategy[Value]:
    items = st.lists(children | st.just(HOLE), max_size=4)
    properties = st.lists(
        st.builds(Property, _keys | st.builds(JSSymbol), children, enumerable=st.booleans())
        | st.builds(Property.accessor, _keys, children),
        max_size=4,
    )
    return (
        items
        | st.dictionaries(_keys, children, max_size=4)
        | st.builds(JSArray, items, st.dictionaries(_texts, children, max_size=2))
        | st.builds(JSObject, properties, st.none() | st.just("Point"))
        | st.builds(JSMap, st.lists(st.tuples(children, children), max_size=2))
        | st.builds(JSSet, st.lists(children, max_size=2))
        | st.builds(lambda child: [child, {"again": child}], children)  # a shared reference
        | st.builds(_with_cycle, children)
    )


any_values = st.recursive(_any_scalars, _extend, max_leaves=12)


def _all_values(value: object) -> Iterator[object]:
    """Yield ``value`` and every value inside it, once per encounter."""
    yield value
    if isinstance(value, list | dict):
        for child in value if isinstance(value, list) else value.values():
            yield from _all_values(child)


def _containers(value: object) -> list[object]:
    """Return every list and dict inside ``value``, itself included, once per encounter."""
    return [item for item in _all_values(value) if isinstance(item, list | dict)]


def _assert_plain_tree(value: object) -> None:
    """Check that ``value`` is a tree of plain values: each container reached once, no other types."""
    containers = _containers(value)
    assert len({id(c) for c in containers}) == len(containers), "a container is reached twice"
    for item in _all_values(value):
        assert item is None or isinstance(item, bool | int | float | str | list | dict), item


@clause("SER-0")
@given(st.lists(json_trees, max_size=3))
def test_json_like_trees_arrive_equal_up_to_key_order(args: list[Value]) -> None:
    received = convert_arguments(args)
    assert js_equal_lists(received, args, key_order=False)
    sent_ids = {id(c) for arg in args for c in _containers(arg)}
    assert not any(id(c) in sent_ids for arg in received for c in _containers(arg))


@clause("SER-1", "SER-2")
@given(st.lists(any_values, max_size=3))
def test_any_arguments_convert_to_as_many_trees_of_plain_values(args: list[Value]) -> None:
    received = convert_arguments(args)
    assert len(received) == len(args)
    for arg in received:
        _assert_plain_tree(arg)
        for container in _containers(arg):
            if isinstance(container, dict):  # SER-7, SER-12
                keys = list(container)
                indices = [key for key in keys if is_array_index(key)]
                others = [key for key in keys if not is_array_index(key)]
                assert keys == sorted(indices, key=int) + sorted(others, key=utf8_bytes)
                assert "__proto__" not in container


@given(st.lists(any_values, max_size=3))
def test_conversion_is_idempotent_on_its_output(args: list[Value]) -> None:
    received = convert_arguments(args)
    assert js_equal_lists(convert_arguments(received), received)


@clause("HOST-3")
@given(any_values, st.lists(any_values, max_size=2))
def test_forwarding_to_the_embedder_changes_nothing(channel: Value, args: list[Value]) -> None:
    host_channel, host_args = convert_host_message(channel, args)
    main_channel, main_args = convert_message(channel, args)
    assert js_equal_lists([host_channel, *host_args], [main_channel, *main_args])


@clause("CH-5")
@given(_texts)
def test_string_channels_dispatch_on_themselves(channel: str) -> None:
    converted, _ = convert_message(channel)
    assert emitter_key(converted) == channel


@clause("RET-2")
@given(json_trees_without_negative_zero)
def test_sync_answer_of_a_json_like_tree_is_itself(value: Value) -> None:
    assert js_equal(answered(value), value)


@clause("RET-2", "RET-3")
@given(any_values)
def test_sync_answer_is_nothing_or_a_tree_of_finite_json_values(value: Value) -> None:
    answer = sync_answer(value)
    if isinstance(answer, NoAnswer):
        return
    _assert_plain_tree(answer)
    for item in _all_values(answer):
        if isinstance(item, float):
            assert math.isfinite(item)
            assert item != 0 or math.copysign(1.0, item) == 1.0  # no -0
    assert js_equal(answered(answer), answer)
