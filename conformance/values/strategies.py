"""Hypothesis strategies for JavaScript values: the arguments and channels that conformance tests send.

Every value drawn is valid in the model of ``conformance.values.model`` (so
``codec.encode`` accepts it).  Recursive strategies are bounded by ``max_leaves``
because data generation dominates the cost of a run; they shrink towards ``null``,
empty containers, enumerable data properties and no sharing.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable
from functools import partial
from typing import Final, TypeVar

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from conformance.values.codec import TYPED_ARRAY_INTEGER_RANGES, same_value_zero_key
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
    Key,
    Property,
    Value,
    is_array_index,
    iter_children,
)

__all__ = ["argument_lists", "channel_names", "js_values", "json_like_values", "numbers", "strings"]

_T = TypeVar("_T")
_MAX_SAFE: Final = 2**53
_MAX_TIME: Final = 8_640_000_000_000_000
_SPECIAL_NUMBERS: Final = (0, -0.0, math.nan, math.inf, -math.inf)
_NOTABLE_NUMBERS: Final[tuple[float, ...]] = (
    1, -1, 0.1, 0.5, -1.5, 2**31 - 1, 2**31, -(2**31), 2**32 - 1, 2**32, _MAX_SAFE, -_MAX_SAFE,
    2.0**53 + 2, 1e21, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, -1.7976931348623157e308,
)  # fmt: skip
_NOTABLE_STRINGS: Final = (
    "", " ", "\x00", "a\x00b", "__proto__", "constructor", "\U0001f600", "\u05e9\u05dc\u05d5\u05dd",
    "e\u0301", "\ufeff", "\u2028", "\uffff", "null", "[object Object]",
)  # fmt: skip
_NOTABLE_CHANNELS: Final = (
    "", " ", "ping", "a.b", "a/b", "a b", "\x00", "a\x00b", "error", "1", "null", "undefined",
    "[object Object]", "__proto__", "\U0001f600", "\u05e9\u05dc\u05d5\u05dd", "x" * 2048,
)  # fmt: skip
_INTERNAL_PREFIXES: Final = ("ATOM_BROWSER_", "ATOM_SHELL_", "ATOM_RENDERER_")
_OBJECT_KEYS: Final = ("0", "1", "2", "10", "01", "-1", "4294967295", "a", "b", "length", "constructor")
_PROPERTY_KINDS: Final = ("data", "accessor", "hidden data", "hidden accessor")  # hidden: non-enumerable
_CLASS_NAMES: Final = ("Point", "Animal", "Foo")
_FUNCTION_NAMES: Final = ("", "f", "handler", "anonymous")
_ERROR_NAMES: Final = ("Error", "TypeError", "RangeError", "SyntaxError")
_REGEXP_SOURCES: Final = ("a", "a+b", "^\\d{2,3}$", "(?:)", "[a-z]*", "\\/", "x|y")
_REGEXP_FLAGS: Final = ("", "g", "i", "m", "gi", "gim")
_CONTAINER_TYPES: Final = (list, dict, JSArray, JSObject, JSMap, JSSet)
_OBJECT_TYPES: Final = (
    *_CONTAINER_TYPES, JSFunction, JSDate, JSRegExp, JSError, JSPromise, JSArrayBuffer, JSBuffer,
    JSTypedArray,
)  # fmt: skip
_SYMBOL_POOL: Final = "conformance.values.strategies.symbols"
# (object, slot) pairs, taken modulo the numbers of objects and slots; one strategy for all
# examples, because a strategy built per example costs more than the draws themselves.
_LINKS: Final = st.lists(st.tuples(st.integers(0, 255), st.integers(0, 255)), max_size=3)
_SMALL: Final = 4


def _check_max_leaves(max_leaves: int) -> None:
    if isinstance(max_leaves, bool) or not isinstance(max_leaves, int) or max_leaves < 1:
        raise InvalidArgument(f"max_leaves={max_leaves!r} must be a positive int, e.g. max_leaves=10")


def _join_surrogate_pairs(text: str) -> str:
    """Return ``text`` with each high+low surrogate pair written as its code point, as JavaScript reads it."""
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def strings(*, lone_surrogates: bool = False, max_size: int = 12) -> st.SearchStrategy[str]:
    """Return a strategy for JavaScript strings: any Unicode, NUL and astral characters included.

    Strings are well-formed unless ``lone_surrogates`` is true; then some hold lone
    surrogates (never a high+low pair, which JavaScript reads as one code point).
    """
    if lone_surrogates:
        characters = st.one_of(st.characters(), st.characters(categories=["Cs"]))
        text = st.lists(characters, max_size=max_size).map("".join).map(_join_surrogate_pairs)
    else:
        text = st.text(max_size=max_size)
    return st.one_of(st.sampled_from(_NOTABLE_STRINGS), text)


def numbers() -> st.SearchStrategy[int | float]:
    """Return a strategy for JavaScript numbers: any double (NaN, infinities, -0, subnormals), safe ints."""
    return st.one_of(
        st.sampled_from(_SPECIAL_NUMBERS),
        st.sampled_from(_NOTABLE_NUMBERS),
        st.integers(-_MAX_SAFE, _MAX_SAFE),
        st.floats(),
    )


def channel_names() -> st.SearchStrategy[str]:
    """Return a strategy for channel names: well-formed strings of all of Unicode (CH-7).

    Empty, long, with spaces, dots, slashes, NUL, astral and right-to-left characters,
    and ``'error'`` (CH-6: sending it with no listener throws).  Names starting with
    Electron's internal prefixes (``ATOM_BROWSER_``...) are left out: collisions are UNSPEC.
    """
    long_names = st.builds(lambda c, n: c * n, st.characters(), st.integers(256, 2500))
    return st.one_of(st.sampled_from(_NOTABLE_CHANNELS), st.text(max_size=20), long_names).filter(
        lambda name: not name.startswith(_INTERNAL_PREFIXES)
    )


def json_like_values(*, max_leaves: int = 10) -> st.SearchStrategy[Value]:
    """Return a strategy for tree-shaped JSON-like values (SER-0).

    ``null``, booleans, finite numbers (never -0, which JSON cannot carry), well-formed
    strings, hole-free lists and dicts with string keys other than ``__proto__``.
    """
    _check_max_leaves(max_leaves)
    finite = st.one_of(
        st.integers(-_MAX_SAFE, _MAX_SAFE),
        st.floats(allow_nan=False, allow_infinity=False).map(lambda x: x + 0.0),  # -0.0 + 0.0 is +0.0
    )
    keys = st.one_of(st.sampled_from(_OBJECT_KEYS), st.text(max_size=4)).map(
        lambda k: "__proto___" if k == "__proto__" else k  # SER-12: __proto__ is not JSON-like
    )
    leaves = st.one_of(st.none(), st.booleans(), finite, strings())
    return st.recursive(
        leaves,
        lambda children: st.one_of(
            st.lists(children, max_size=_SMALL), _dicts(keys, children, max_size=_SMALL)
        ),
        max_leaves=max_leaves,
    )


def js_values(*, lone_surrogates: bool = False, max_leaves: int = 10) -> st.SearchStrategy[Value]:
    """Return a strategy for any JavaScript value of the model.

    Every class of the model; holes and non-index properties of arrays; accessors,
    non-enumerable properties, Symbol keys, own ``__proto__`` keys, integer-like keys
    in any creation order and class instances; shared references and cycles.
    Symbols come from a small pool shared by all draws of one example, so the same
    symbol recurs as value and as key.
    """
    _check_max_leaves(max_leaves)
    roots = _trees(lone_surrogates, max_leaves).map(lambda tree: [tree])
    return _linked(roots, as_arguments=False).map(lambda values: values[0])


def argument_lists(
    *, lone_surrogates: bool = False, max_leaves: int = 10, max_size: int = 4
) -> st.SearchStrategy[list[Value]]:
    """Return a strategy for argument lists of ``js_values``, which may share objects across arguments.

    ``max_size`` arguments are drawn; an object may then recur inside one or as up to
    three more arguments (``send('c', o, o)``).
    """
    _check_max_leaves(max_leaves)
    if isinstance(max_size, bool) or not isinstance(max_size, int) or max_size < 0:
        raise InvalidArgument(f"max_size={max_size!r} must be a non-negative int, e.g. max_size=4")
    return _linked(st.lists(_trees(lone_surrogates, max_leaves), max_size=max_size), as_arguments=True)


def _trees(lone_surrogates: bool, max_leaves: int) -> st.SearchStrategy[Value]:
    text = strings(lone_surrogates=lone_surrogates)
    descriptions = st.one_of(st.none(), st.sampled_from("abc"))
    pool = st.shared(st.lists(st.builds(JSSymbol, descriptions), min_size=1, max_size=3), key=_SYMBOL_POOL)
    symbols = st.tuples(pool, st.integers(0, 2)).map(lambda drawn: drawn[0][drawn[1] % len(drawn[0])])
    leaves = st.one_of(
        st.none(),
        st.booleans(),
        numbers(),
        text,
        st.just(UNDEFINED),
        symbols,
        st.builds(JSFunction, st.sampled_from(_FUNCTION_NAMES)),
        st.builds(JSDate, st.one_of(st.integers(-_MAX_TIME, _MAX_TIME).map(float), st.just(math.nan))),
        st.builds(JSRegExp, st.sampled_from(_REGEXP_SOURCES), st.sampled_from(_REGEXP_FLAGS)),
        st.builds(JSError, st.sampled_from(_ERROR_NAMES), strings()),
        st.builds(JSPromise),
        st.builds(JSArrayBuffer, st.binary(max_size=_SMALL)),
        st.builds(JSBuffer, st.binary(max_size=_SMALL)),
        _typed_arrays(),
    )
    return st.recursive(leaves, partial(_containers, symbols=symbols), max_leaves=max_leaves)


def _typed_arrays() -> st.SearchStrategy[JSTypedArray]:
    def elements(kind: str) -> st.SearchStrategy[float]:
        if kind in TYPED_ARRAY_INTEGER_RANGES:
            return st.integers(*TYPED_ARRAY_INTEGER_RANGES[kind])
        return st.floats(width=32) if kind == "Float32Array" else numbers()

    return st.one_of(
        [
            st.lists(elements(kind), max_size=_SMALL).map(partial(JSTypedArray, kind))
            for kind in TYPED_ARRAY_KINDS
        ]
    )


def _positive_zero(value: Value) -> Value:
    """Return ``value`` with -0 made +0, as Sets and Maps store it."""
    return 0 if isinstance(value, float) and value == 0 else value


def _containers(
    children: st.SearchStrategy[Value], *, symbols: st.SearchStrategy[JSSymbol]
) -> st.SearchStrategy[Value]:
    string_keys = st.one_of(st.sampled_from((*_OBJECT_KEYS, "__proto__")), st.text(max_size=4))
    extra_keys = st.one_of(
        st.sampled_from(("foo", "-1", "01", "1.5", "4294967295")), st.text(max_size=4)
    ).map(
        lambda k: f"{k}_" if is_array_index(k) or k == "length" else k  # "1_" and "length_" are not indices
    )
    member = children.map(_positive_zero)
    keys = st.one_of(string_keys, symbols)
    properties = st.builds(_property, keys, children, st.sampled_from(_PROPERTY_KINDS))
    elements: st.SearchStrategy[Value | Hole] = st.one_of(children, st.just(HOLE))
    return st.one_of(
        st.lists(children, max_size=_SMALL),
        _dicts(string_keys, children, max_size=_SMALL),
        st.builds(JSArray, st.lists(elements, max_size=_SMALL), _dicts(extra_keys, children, max_size=2)),
        st.builds(
            JSObject,
            st.lists(properties, max_size=_SMALL).map(partial(_unique, key=lambda p: _key_identity(p.key))),
            st.one_of(st.none(), st.sampled_from(_CLASS_NAMES)),
        ),
        st.builds(
            JSMap,
            st.lists(st.tuples(member, children), max_size=_SMALL).map(
                partial(_unique, key=lambda entry: same_value_zero_key(entry[0]))
            ),
        ),
        st.builds(JSSet, st.lists(member, max_size=_SMALL).map(partial(_unique, key=same_value_zero_key))),
    )


def _dicts(
    keys: st.SearchStrategy[str], values: st.SearchStrategy[Value], *, max_size: int
) -> st.SearchStrategy[dict[str, Value]]:
    # Not st.dictionaries: its unique keys retry draws, and each retry logs a huge repr of ``values``.
    return st.lists(st.tuples(keys, values), max_size=max_size).map(dict)


def _unique(items: list[_T], *, key: Callable[[_T], Hashable]) -> list[_T]:
    """Return ``items`` without those whose key repeats an earlier one's."""
    seen: set[Hashable] = set()
    kept = []
    for item in items:
        if (identity := key(item)) not in seen:
            seen.add(identity)
            kept.append(item)
    return kept


def _property(key: Key, value: Value, kind: str) -> Property:
    enumerable = "hidden" not in kind
    if kind.startswith("accessor"):
        return Property.accessor(key, value, enumerable=enumerable)
    return Property(key, value, enumerable=enumerable)


def _key_identity(key: Key) -> Hashable:
    return ("symbol", id(key)) if isinstance(key, JSSymbol) else key


def _linked(roots: st.SearchStrategy[list[Value]], *, as_arguments: bool) -> st.SearchStrategy[list[Value]]:
    """Return ``roots`` with up to a few objects placed again elsewhere: shared references and cycles.

    Each link appends an object already in the value to a container (or, for an
    argument list, to the list itself); a container that holds the object is a cycle.
    """

    @st.composite
    def linked(draw: st.DrawFn) -> list[Value]:
        values = draw(roots)
        targets, hosts = _objects_and_containers(values)
        slots: list[Callable[[Value], None]] = [values.append] if as_arguments else []
        slots.extend(partial(_append, host) for host in hosts)
        if not targets or not slots:
            return values
        for target, slot in draw(_LINKS):
            slots[slot % len(slots)](targets[target % len(targets)])
        return values

    return linked()


def _objects_and_containers(roots: list[Value]) -> tuple[list[Value], list[Value]]:
    """Return the objects (symbols excepted) in the tree ``roots``, and those among them that hold values."""
    objects: list[Value] = []
    stack: list[object] = list(reversed(roots))
    while stack:  # pre-order, so that index 0 is the first root and links shrink towards it
        value = stack.pop()
        if isinstance(value, _OBJECT_TYPES):
            objects.append(value)
            stack.extend(reversed(list(iter_children(value))))
    return objects, [v for v in objects if isinstance(v, _CONTAINER_TYPES)]


def _append(host: Value, value: Value) -> None:
    """Add ``value`` at the end of ``host``, under a fresh key where one is needed."""
    match host:
        case list():
            host.append(value)
        case JSArray():
            host.items.append(value)
        case dict():
            host[_fresh_key(host.keys())] = value
        case JSObject():
            host.properties.append(Property(_fresh_key(p.key for p in host.properties), value))
        case JSMap():
            host.entries.append((_fresh_key(k for k, _ in host.entries if isinstance(k, str)), value))
        case JSSet():
            if all(v is not value for v in host.values):
                host.values.append(value)


def _fresh_key(taken: Iterable[object]) -> str:
    used = set(taken)
    return next(key for n in range(len(used) + 1) if (key := f"ref{n}") not in used)
