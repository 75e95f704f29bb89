"""The reference implementation's argument conversion and framing, in-process (SER)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformance.values.model import HOLE, UNDEFINED, JSArray, JSBuffer, JSFunction, is_array_index, js_equal
from reference_impl.framing import Frame, FrameReader, encode_frame
from reference_impl.wire_values import MAX_DEPTH, decode_arguments, encode_arguments, to_wire

json_like = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53), max_value=2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=20,
)


def round_trip(*arguments: object) -> list[object]:
    return decode_arguments(encode_arguments(list(arguments)))


@pytest.mark.clause("SER-0", "SER-7")
@given(json_like)
def test_json_like_values_arrive_equal_with_keys_in_javascript_order(value: object) -> None:
    (received,) = round_trip(value)  # keys of at most 5 characters: never "__proto__" (SER-12)
    assert js_equal(received, value, key_order=False)  # type: ignore[arg-type]
    if isinstance(received, dict):
        keys = list(received)
        indices = [key for key in keys if is_array_index(key)]
        assert keys[: len(indices)] == sorted(indices, key=int)


@pytest.mark.clause("SER-3")
def test_numbers_survive_bit_exact() -> None:
    received = round_trip(-0.0, math.nan, math.inf, 5e-324, 2**53, 3.0)
    assert math.copysign(1.0, received[0]) == -1.0  # type: ignore[arg-type]
    assert math.isnan(received[1])  # type: ignore[arg-type]
    assert received[2:] == [math.inf, 5e-324, 2**53, 3]
    assert type(received[5]) is int


@pytest.mark.clause("SER-7")
def test_wire_form_sorts_keys_by_utf8_bytes() -> None:
    (tree,) = to_wire([{"é": 1, "z": 2, "😀": 3, "\uffff": 4, "A": 5, "\ud800": 6}])
    assert isinstance(tree, dict)
    assert list(tree) == sorted(tree, key=lambda key: key.encode("utf-8", "surrogatepass"))


@pytest.mark.clause("SER-10")
def test_seen_set_spans_the_message_in_enumeration_order() -> None:
    shared = [1]
    assert to_wire([shared, {"b": shared}]) == [[1], {"b": None}]
    assert to_wire([{"b": shared, "a": shared}]) == [{"a": None, "b": [1]}]
    assert to_wire([{"1": 0, "0": shared, "a": shared}]) == [{"0": [1], "1": 0, "a": None}]


@pytest.mark.clause("SER-11", "SER-10")
def test_too_deep_values_are_dropped_without_being_marked_seen() -> None:
    shared = {"k": 1}
    deep: object = shared
    for _ in range(MAX_DEPTH):
        deep = [deep]
    # shared sits at depth 99 in the first argument: dropped, so the second converts it.
    first, second = to_wire([deep, shared])
    assert second == {"k": 1}
    for _ in range(MAX_DEPTH - 1):
        assert isinstance(first, list)
        first = first[0]
    assert first == [None]


@pytest.mark.clause("SER-2", "SER-5", "SER-9")
def test_nothing_becomes_null_in_arrays_and_absent_in_objects() -> None:
    assert to_wire([UNDEFINED, [UNDEFINED, HOLE, JSFunction()], {"u": UNDEFINED, "b": JSBuffer(b"")}]) == [
        None,
        [None, None],
        {"b": None},
    ]
    assert to_wire([JSArray([HOLE], extra={"x": 1})]) == [[]]


@pytest.mark.clause("SER-12")
def test_own_proto_key_is_sent_but_not_received() -> None:
    assert to_wire([{"__proto__": 1}]) == [{"__proto__": 1}]
    assert round_trip({"__proto__": 1, "a": {"__proto__": [2]}}) == [{"a": {}}]


@given(
    st.lists(
        st.tuples(st.sampled_from([b"send", b"sync", b"post"]), st.binary().map(lambda b: b.hex().encode()))
    ),
    st.data(),
)
def test_frames_survive_any_chunking(frames: list[tuple[bytes, bytes]], data: st.DataObject) -> None:
    stream = b"".join(encode_frame(kind, payload) for kind, payload in frames)
    cuts = sorted(data.draw(st.lists(st.integers(0, len(stream)), max_size=6)))
    reader = FrameReader()
    received: list[Frame] = []
    for start, end in zip([0, *cuts], [*cuts, len(stream)], strict=True):
        received += reader.feed(stream[start:end])
    assert received == [Frame(kind, payload) for kind, payload in frames]
