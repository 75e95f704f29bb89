"""Argument conversion (SER) in the reference implementation, both directions, with real processes.

Each argument list of ``ref_values.ARGUMENTS`` is sent by a page to main and by
main to a page; both must see the values below, exactly (types, key order,
``NaN``, ``-0.0``), as fresh plain Python values.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest
from ref_helpers import Inbox, LoadedPage, same_plain
from ref_values import ARGUMENTS

from reference_impl import Main

StartPage = Callable[..., LoadedPage]


def _wrapped(depth: int, leaf: object, *, in_objects: bool = False) -> object:
    value = leaf
    for _ in range(depth):
        value = {"k": value} if in_objects else [value]
    return value


EXPECTED: dict[str, tuple[list[object], tuple[str, ...]]] = {
    "json-tree": (
        [
            {
                "f": False,
                "i": 42,
                "l": [1, "a", None],
                "n": None,
                "o": {"k": [{}]},
                "s": "text",
                "t": True,
                "x": 1.5,
            },
            [[], {}, "", 0],
        ],
        ("SER-0", "SER-7"),
    ),
    "top-level-nothing": ([None, None, None, None, 1], ("SER-2",)),
    "numbers": (
        [
            0,
            -0.0,
            1,
            -1,
            1.5,
            0.1,
            2**53,
            -(2**53),
            float(2**60),
            math.inf,
            math.nan,
            math.inf,
            -math.inf,
            5e-324,
            1.7976931348623157e308,
            1e21,
            3,
        ],
        ("SER-3",),
    ),
    "strings": (
        ["", "a\x00b", "ünïcødé", "😀", "\ud800", "x\udc00", "😀", 'q"\\\n\t', "x" * 100_000],
        ("SER-4",),
    ),
    "arrays": ([[1, 3], [None, None, None, None], [1, 2]], ("SER-5",)),
    "objects": ([{"a": 1}, {"a": 1}], ("SER-6",)),
    "key-order": (
        [
            {
                "9": 4,
                "10": 3,
                "4294967294": 11,
                "01": 9,
                "4294967295": 10,
                "a": 2,
                "b": 1,
                "z": 6,
                "é": 5,
                "\uffff": 8,
                "😀": 7,
            }
        ],
        ("SER-7",),
    ),
    "exotic-objects": (
        [{}, {}, {}, {}, {}, {}, {}, {"0": 1.5, "1": math.nan}, {"0": -1, "1": 2}, {"0": 255}],
        ("SER-8",),
    ),
    "buffers": ([None, None, [None, 1], {"b": None, "c": 1}], ("SER-9",)),
    "shared-across-arguments": ([{"k": 1}, None], ("SER-10",)),
    "shared-inside-one-argument": ([[{"k": 1}, None], {"a": None, "b": {"k": 2}}], ("SER-10",)),
    "cycles": ([[None], {"self": None}], ("SER-10",)),
    "depth-98": ([_wrapped(98, "leaf"), _wrapped(98, "leaf", in_objects=True)], ("SER-0", "SER-11")),
    "depth-99": ([_wrapped(99, None), _wrapped(98, {}, in_objects=True)], ("SER-11",)),
    "proto-key": ([{"x": 2}, {"y": 1}], ("SER-12",)),
    "python-oddities": ([{}, {}, {}, {"1": "a", "2.5": "b"}, {}], ("SER-1",)),
}


def _cases() -> list[object]:
    assert set(EXPECTED) == set(ARGUMENTS), "every argument list needs an expected value"
    return [
        pytest.param(name, marks=pytest.mark.clause(*clauses), id=name)
        for name, (_, clauses) in EXPECTED.items()
    ]


@pytest.mark.parametrize("name", _cases())
def test_page_to_main(main: Main, start_page: StartPage, name: str) -> None:
    seen = Inbox()
    main.ipc.on("value", lambda event, *args: seen.put(list(args)))
    page = start_page("send_built", "send", "value", name)
    assert page.posts.get() == "sent"
    received = seen.get()
    assert same_plain(received, EXPECTED[name][0]), received


@pytest.mark.parametrize("name", _cases())
def test_main_to_page(main: Main, start_page: StartPage, name: str) -> None:
    page = start_page("record", "value")
    assert page.contents.send("value", *ARGUMENTS[name]()) is True
    received = page.posts.get()
    assert received[:2] == ["ipc", "value"]
    assert same_plain(received[2], EXPECTED[name][0]), received


@pytest.mark.clause("SER-0", "SER-2", "SER-3")
def test_send_sync_arguments_are_converted_too(main: Main, start_page: StartPage) -> None:
    seen = Inbox()

    def on_sync(event: object, *args: object) -> None:
        seen.put(list(args))
        event.return_value = "ok"  # type: ignore[attr-defined]

    main.ipc.on("value", on_sync)
    page = start_page("send_built", "send_sync", "value", "numbers")
    assert same_plain(seen.get(), EXPECTED["numbers"][0])
    assert page.posts.get() == "sent"


@pytest.mark.clause("SER-0")
def test_receiver_gets_an_independent_copy_in_main(main: Main, start_page: StartPage) -> None:
    seen = Inbox()
    main.ipc.on("c", lambda event, value: seen.put(value))
    start_page("send_then_change")
    assert [seen.get(), seen.get()] == [{"k": [1]}, {"k": [1, 2], "new": True}]


@pytest.mark.clause("SER-0")
def test_changing_the_sent_object_afterwards_changes_nothing(main: Main, start_page: StartPage) -> None:
    page = start_page("record", "c")
    sent: dict[str, object] = {"k": [1]}

    def send_then_change() -> None:
        page.contents.send("c", sent)
        sent["k"] = "changed"
        sent["new"] = True

    main.call(send_then_change)
    assert page.posts.get() == ["ipc", "c", [{"k": [1]}]]


@pytest.mark.clause("SER-1", "ERR-1")
def test_no_argument_or_channel_makes_sending_raise_in_the_page(main: Main, start_page: StartPage) -> None:
    page = start_page("never_raises")
    assert page.posts.get() == ["raised", []]


@pytest.mark.clause("SER-1")
def test_no_argument_makes_sending_raise_in_main(main: Main, start_page: StartPage) -> None:
    page = start_page("idle")
    for build in ARGUMENTS.values():
        assert page.contents.send("c", *build()) is True
