"""The tagged JSON encoding of JavaScript values (``schemas/value.schema.json``), both ways.

Scenarios hand adapters their argument values as these documents, and adapters report
what arrived in the same form: ``encode``/``encode_list`` write documents from the
model of ``conformance.values.model``, ``decode``/``decode_list`` check documents and
read them back.  Both raise ``ValueError`` naming the place (a JSON pointer into the
document) and what is wrong there.
"""

from __future__ import annotations

import base64
import math
import re
import struct
from collections.abc import Callable, Hashable, Iterator, Sequence
from typing import Any, Final, NoReturn, TypeAlias

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
    Undefined,
    Value,
    is_array_index,
)

__all__ = [
    "TYPED_ARRAY_INTEGER_RANGES",
    "Document",
    "decode",
    "decode_list",
    "encode",
    "encode_list",
    "same_value_zero_key",
]

Document: TypeAlias = dict[str, Any]
"""One encoded value: a JSON object with a ``"type"``."""

TYPED_ARRAY_INTEGER_RANGES: Final[dict[str, tuple[int, int]]] = {
    "Int8Array": (-(2**7), 2**7 - 1),
    "Uint8Array": (0, 2**8 - 1),
    "Uint8ClampedArray": (0, 2**8 - 1),
    "Int16Array": (-(2**15), 2**15 - 1),
    "Uint16Array": (0, 2**16 - 1),
    "Int32Array": (-(2**31), 2**31 - 1),
    "Uint32Array": (0, 2**32 - 1),
}
"""The elements an integer typed array kind holds: (lowest, highest)."""

_MAX_SAFE: Final = 2**53
_MAX_TIME: Final = 8.64e15
_SPECIAL_NUMBERS: Final = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf, "-0": -0.0}
_FLAG_ORDER: Final = "dgimsuvy"
_FLAGS: Final = re.compile("".join(f"{flag}?" for flag in _FLAG_ORDER))
_SURROGATE: Final = re.compile("[\ud800-\udfff]")
_SURROGATE_PAIR: Final = re.compile("[\ud800-\udbff][\udc00-\udfff]")

# Fields of each form: (required, optional).
_ID: Final = frozenset({"id"})
_NONE: Final[frozenset[str]] = frozenset()
_FIELDS: Final[dict[str, tuple[frozenset[str], frozenset[str]]]] = {
    "undefined": (_NONE, _NONE),
    "null": (_NONE, _NONE),
    "boolean": (frozenset({"value"}), _NONE),
    "number": (frozenset({"value"}), _NONE),
    "string": (_NONE, frozenset({"value", "utf16"})),
    "symbol": (frozenset({"description"}), _ID),
    "function": (frozenset({"name"}), _ID),
    "array": (frozenset({"items"}), frozenset({"id", "properties"})),
    "object": (frozenset({"properties"}), frozenset({"id", "class"})),
    "date": (frozenset({"time"}), _ID),
    "regexp": (frozenset({"source", "flags"}), _ID),
    "error": (frozenset({"name", "message"}), _ID),
    "map": (frozenset({"entries"}), _ID),
    "set": (frozenset({"values"}), _ID),
    "promise": (_NONE, _ID),
    "arraybuffer": (frozenset({"base64"}), _ID),
    "typedarray": (frozenset({"kind", "values"}), _ID),
    "buffer": (frozenset({"base64"}), _ID),
    "ref": (_ID, _NONE),
    "hole": (_NONE, _NONE),
}
_PROPERTY_FIELDS: Final = frozenset({"key", "symbol", "value", "get", "enumerable"})
_IDENTITY_TYPES: Final = (
    list, dict, JSSymbol, JSFunction, JSObject, JSArray, JSDate, JSRegExp, JSError,
    JSMap, JSSet, JSPromise, JSArrayBuffer, JSTypedArray, JSBuffer,
)  # fmt: skip


def _fail(path: str, message: str) -> NoReturn:
    raise ValueError(f"{path or '<root>'}: {message}")


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# Checks shared by both directions: each returns what is wrong, or None.


def same_value_zero_key(value: Value) -> Hashable:
    """Return the key under which a Set or Map stores ``value`` (SameValueZero: NaN is NaN, 1 is 1.0)."""
    if value is None or isinstance(value, bool | str | Undefined):
        return (type(value).__name__, value)
    if isinstance(value, int | float):
        return ("number", "NaN" if math.isnan(value) else float(value))
    return ("identity", id(value))


def _set_member_problem(value: Value, seen: set[Hashable], what: str) -> str | None:
    if isinstance(value, float) and _is_negative_zero(value):
        return f"{what} is -0, which a Set or Map stores as +0"
    key = same_value_zero_key(value)
    if key in seen:
        return f"{what} {_show(value)} repeats an earlier one (SameValueZero)"
    seen.add(key)
    return None


def _is_negative_zero(value: float) -> bool:
    return value == 0 and math.copysign(1.0, value) < 0


def _element_problem(kind: str, value: object) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"{_show(value)} is not a number"
    if kind in TYPED_ARRAY_INTEGER_RANGES:
        low, high = TYPED_ARRAY_INTEGER_RANGES[kind]
        integral = isinstance(value, int) or (value.is_integer() and not _is_negative_zero(value))
        if not integral or not low <= value <= high:
            return f"{_show(value)} is not a {kind} element (an integer from {low} to {high})"
    elif kind == "Float32Array" and math.isfinite(value):
        try:
            exact = struct.unpack("f", struct.pack("f", value))[0] == value
        except OverflowError:
            exact = False
        if not exact:
            return f"{_show(value)} is not a Float32Array element (not exactly a float32)"
    return None


def _time_problem(time: float) -> str | None:
    time = float(time)  # an int time is fine; int has no is_integer() before Python 3.12
    if math.isnan(time):
        return None
    if not (math.isfinite(time) and time.is_integer() and abs(time) <= _MAX_TIME):
        return f"Date time {_show(time)} is not an integer of magnitude at most 8.64e15, nor NaN"
    if _is_negative_zero(time):
        return "Date time is -0, which Dates store as +0"
    return None


def _flags_problem(flags: str) -> str | None:
    if _FLAGS.fullmatch(flags):
        return None
    return f"RegExp flags {flags!r} are not distinct letters of {_FLAG_ORDER!r} in that order"


def _key_id(key: Key) -> Hashable:
    return ("symbol", id(key)) if isinstance(key, JSSymbol) else key


class _Encoder:
    """Writes values in document order, giving ids to what is met more than once."""

    def __init__(self, roots: Sequence[Value]) -> None:
        self.counts: dict[int, int] = {}
        self.ids: dict[int, int] = {}
        stack: list[object] = list(roots)
        while stack:
            value = stack.pop()
            if isinstance(value, _IDENTITY_TYPES):
                seen = self.counts.get(id(value), 0)
                self.counts[id(value)] = seen + 1
                if not seen:
                    stack.extend(_children(value))

    def value(self, value: object, path: str) -> Document:
        """Return the document for ``value`` (typed ``object``: the model's types are checked here)."""
        match value:
            case None:
                return {"type": "null"}
            case bool():
                return {"type": "boolean", "value": value}
            case int() | float():
                return {"type": "number", "value": _encode_number(value, path)}
            case str():
                return _encode_string(value, path)
            case Undefined():
                return {"type": "undefined"}
            case Hole():
                _fail(path, "HOLE is only valid as an array element")
        if not isinstance(value, _IDENTITY_TYPES):
            kind = type(value).__name__
            raise TypeError(f"{path or '<root>'}: {_show(value)} ({kind}) is not a JavaScript value")
        number = self.ids.get(id(value))
        if number is not None:
            return {"type": "ref", "id": number}
        if self.counts[id(value)] == 1:
            return self._contents(value, path)
        number = self.ids[id(value)] = len(self.ids) + 1  # before the contents: a cycle refers to it
        contents = self._contents(value, path)
        return {"type": contents.pop("type"), "id": number, **contents}

    def _contents(self, value: object, path: str) -> Document:
        match value:
            case list() | JSArray():
                return self._array(value, path)
            case dict():
                return {"type": "object", "properties": self._data_properties(value, path)}
            case JSObject():
                return self._object(value, path)
            case JSSymbol(description=description):
                if description is not None:
                    description = _text(description, f"{path}/description")
                return {"type": "symbol", "description": description}
            case JSFunction(name=name):
                return {"type": "function", "name": _text(name, f"{path}/name")}
            case JSDate(time=time):
                if (problem := _time_problem(time)) is not None:
                    _fail(path, problem)
                return {"type": "date", "time": "NaN" if math.isnan(time) else int(time)}
            case JSRegExp(source=source, flags=flags):
                if (problem := _flags_problem(flags)) is not None:
                    _fail(path, problem)
                return {"type": "regexp", "source": _text(source, f"{path}/source"), "flags": flags}
            case JSError(name=name, message=message):
                return {
                    "type": "error",
                    "name": _text(name, f"{path}/name"),
                    "message": _text(message, f"{path}/message"),
                }
            case JSMap(entries=entries):
                return {"type": "map", "entries": self._entries(entries, path)}
            case JSSet(values=values):
                return {"type": "set", "values": self._set_values(values, path)}
            case JSPromise():
                return {"type": "promise"}
            case JSArrayBuffer(data=data):
                return {"type": "arraybuffer", "base64": base64.b64encode(data).decode("ascii")}
            case JSBuffer(data=data):
                return {"type": "buffer", "base64": base64.b64encode(data).decode("ascii")}
        assert isinstance(value, JSTypedArray)
        return {"type": "typedarray", "kind": value.kind, "values": _encode_typed(value, path)}

    def _array(self, value: list[Value | Hole] | JSArray, path: str) -> Document:
        items, extra = (value.items, value.extra) if isinstance(value, JSArray) else (value, {})
        doc: Document = {
            "type": "array",
            "items": [
                {"type": "hole"} if item is HOLE else self.value(item, f"{path}/items/{i}")
                for i, item in enumerate(items)
            ],
        }
        if extra:
            for i, key in enumerate(extra):
                if is_array_index(key) or key == "length":
                    _fail(f"{path}/properties/{i}", f"array property key {key!r} is an index or 'length'")
            doc["properties"] = self._data_properties(extra, path)
        return doc

    def _object(self, value: JSObject, path: str) -> Document:
        doc: Document = {"type": "object"}
        if value.cls is not None:
            if value.cls in ("", "Object"):
                _fail(path, f"class {value.cls!r}: use cls=None for Object.prototype")
            doc["class"] = _text(value.cls, f"{path}/class")
        props: list[Document] = []
        keys: set[Hashable] = set()
        for i, prop in enumerate(value.properties):
            where = f"{path}/properties/{i}"
            if _key_id(prop.key) in keys:
                _fail(where, f"property key {_show(prop.key)} repeats an earlier one")
            keys.add(_key_id(prop.key))
            doc_prop: Document = {}
            if isinstance(prop.key, JSSymbol):
                doc_prop["symbol"] = self.value(prop.key, f"{where}/symbol")
            else:
                doc_prop["key"] = _text(prop.key, f"{where}/key")
            if prop.is_accessor:
                doc_prop["get"] = self.value(prop.getter, f"{where}/get")
            else:
                doc_prop["value"] = self.value(prop.value, f"{where}/value")
            if not prop.enumerable:
                doc_prop["enumerable"] = False
            props.append(doc_prop)
        doc["properties"] = props
        return doc

    def _data_properties(self, props: dict[str, Value], path: str) -> list[Document]:
        docs = []
        for i, (key, value) in enumerate(props.items()):
            where = f"{path}/properties/{i}"
            docs.append({"key": _text(key, f"{where}/key"), "value": self.value(value, f"{where}/value")})
        return docs

    def _entries(self, entries: list[tuple[Value, Value]], path: str) -> list[list[Document]]:
        seen: set[Hashable] = set()
        out = []
        for i, (key, value) in enumerate(entries):
            doc_key = self.value(key, f"{path}/entries/{i}/0")
            if (problem := _set_member_problem(key, seen, "Map key")) is not None:
                _fail(f"{path}/entries/{i}/0", problem)
            out.append([doc_key, self.value(value, f"{path}/entries/{i}/1")])
        return out

    def _set_values(self, values: list[Value], path: str) -> list[Document]:
        seen: set[Hashable] = set()
        out = []
        for i, value in enumerate(values):
            out.append(self.value(value, f"{path}/values/{i}"))
            if (problem := _set_member_problem(value, seen, "Set value")) is not None:
                _fail(f"{path}/values/{i}", problem)
        return out


def _children(value: object) -> Iterator[object]:
    """Yield what the encoder walks inside ``value``, symbol keys included (order irrelevant)."""
    match value:
        case list():
            yield from value
        case dict():
            yield from value.values()
        case JSArray():
            yield from value.items
            yield from value.extra.values()
        case JSObject():
            for prop in value.properties:
                yield prop.key
                yield prop.getter if prop.is_accessor else prop.value
        case JSMap():
            for key, item in value.entries:
                yield key
                yield item
        case JSSet():
            yield from value.values


def _encode_number(value: int | float, path: str) -> int | float | str:
    if isinstance(value, int):
        if abs(value) <= _MAX_SAFE:
            return value
        try:
            as_double = float(value)
        except OverflowError:
            _fail(path, f"{value} is beyond the range of doubles")
        if int(as_double) != value:
            _fail(path, f"{value} is not exactly a double (nearest: {as_double!r})")
        return as_double
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if _is_negative_zero(value):
        return "-0"
    if value.is_integer() and abs(value) <= _MAX_SAFE:
        return int(value)
    return value


def _text(value: object, path: str) -> str:
    """Return ``value``, a string for a field other than a string's own (keys, names, messages)."""
    if not isinstance(value, str):
        raise TypeError(f"{path}: expected a str, got {_show(value)}")
    if (problem := _lone_surrogate_problem(value)) is not None:
        _fail(path, problem)
    return value


def _lone_surrogate_problem(text: str) -> str | None:
    if (lone := _SURROGATE.search(text)) is None:
        return None
    return (
        f"lone surrogate {lone.group()!r} at index {lone.start()}: JSON text cannot carry it portably; "
        "a string value holds one as 'utf16', other fields cannot"
    )


def _encode_string(value: str, path: str) -> Document:
    if not _SURROGATE.search(value):
        return {"type": "string", "value": value}
    if (pair := _SURROGATE_PAIR.search(value)) is not None:
        joined = pair.group().encode("utf-16-le", "surrogatepass").decode("utf-16-le")
        _fail(
            path,
            f"the surrogate pair {pair.group()!r} at index {pair.start()} is two code points; "
            f"JavaScript sees the one code point {joined!r}, so write that",
        )
    data = value.encode("utf-16-le", "surrogatepass")
    return {"type": "string", "utf16": list(struct.unpack(f"<{len(data) // 2}H", data))}


def _encode_typed(value: JSTypedArray, path: str) -> list[int | float | str]:
    out: list[int | float | str] = []
    for i, element in enumerate(value.values):
        where = f"{path}/values/{i}"
        if (problem := _element_problem(value.kind, element)) is not None:
            _fail(where, problem)
        out.append(
            int(element) if value.kind in TYPED_ARRAY_INTEGER_RANGES else _encode_number(element, where)
        )
    return out


def encode(value: Value) -> Document:
    """Return the document for ``value``; ``ValueError`` or ``TypeError`` if it is no JavaScript value."""
    return _Encoder([value]).value(value, "")


def encode_list(values: Sequence[Value]) -> list[Document]:
    """Return the documents for an argument list, with one id space shared by all arguments."""
    encoder = _Encoder(values)
    return [encoder.value(value, f"/{i}") for i, value in enumerate(values)]


class _Decoder:
    """Reads documents in document order, resolving refs to the ids defined so far."""

    def __init__(self) -> None:
        self.defined: dict[int, Value] = {}

    def value(self, doc: object, path: str) -> Value:
        form, checked = self._form(doc, path)
        if form == "hole":
            _fail(path, "a hole is only valid directly in an array's items")
        return _READERS[form](self, checked, path)

    def _form(self, doc: object, path: str) -> tuple[str, Document]:
        """Return the form of ``doc`` and ``doc``, after checking its fields are those of its form."""
        if not isinstance(doc, dict):
            _fail(path, f"expected a JSON object with a 'type', got {_show(doc)}")
        form = doc.get("type")
        if form not in _FIELDS:
            _fail(path, f"unknown type {_show(form)}; expected one of {', '.join(_FIELDS)}")
        required, optional = _FIELDS[form]
        if missing := required - doc.keys():
            _fail(path, f"{form} lacks {', '.join(sorted(missing))}")
        if extra := doc.keys() - required - optional - {"type"}:
            _fail(path, f"unexpected field {', '.join(map(repr, sorted(extra)))} in a {form}")
        return form, doc

    def _define(self, doc: Document, thing: Value, path: str) -> None:
        if "id" in doc:
            number = _integer(doc["id"], f"{path}/id")
            if number < 0:
                _fail(f"{path}/id", f"id {number} is negative")
            if number in self.defined:
                _fail(f"{path}/id", f"id {number} is already defined earlier in the document")
            self.defined[number] = thing

    def _ref(self, doc: Document, path: str) -> Value:
        number = _integer(doc["id"], f"{path}/id")
        if number not in self.defined:
            _fail(path, f"ref to id {number}, which is not defined earlier in document order")
        return self.defined[number]

    def _symbol(self, doc: Document, path: str) -> JSSymbol:
        description = doc["description"]
        symbol = JSSymbol(None if description is None else _string(description, f"{path}/description"))
        self._define(doc, symbol, path)
        return symbol

    def _array(self, doc: Document, path: str) -> list[Value | Hole] | JSArray:
        docs = _array_field(doc, "items", path)
        props = _array_field(doc, "properties", path) if "properties" in doc else None
        if props == []:
            _fail(f"{path}/properties", "empty; omit properties when there are none")
        holes = any(isinstance(d, dict) and d.get("type") == "hole" for d in docs)
        items: list[Value | Hole] = []
        if not holes and props is None:
            self._define(doc, items, path)
            items.extend(self.value(d, f"{path}/items/{i}") for i, d in enumerate(docs))
            return items
        array = JSArray(items)
        self._define(doc, array, path)
        for i, d in enumerate(docs):
            if isinstance(d, dict) and d.get("type") == "hole":
                self._form(d, f"{path}/items/{i}")
                items.append(HOLE)
            else:
                items.append(self.value(d, f"{path}/items/{i}"))
        for i, prop in enumerate(props or []):
            where = f"{path}/properties/{i}"
            if not isinstance(prop, dict) or prop.keys() != {"key", "value"}:
                _fail(where, f"expected an array property {{'key': ..., 'value': ...}}, got {_show(prop)}")
            key = _string(prop["key"], f"{where}/key")
            if is_array_index(key) or key == "length":
                _fail(f"{where}/key", f"{key!r} is an index or 'length', not an array property; use items")
            if key in array.extra:
                _fail(f"{where}/key", f"property key {key!r} repeats an earlier one")
            array.extra[key] = self.value(prop["value"], f"{where}/value")
        return array

    def _object(self, doc: Document, path: str) -> dict[str, Value] | JSObject:
        docs = _array_field(doc, "properties", path)
        cls = _string(doc["class"], f"{path}/class") if "class" in doc else None
        if cls in ("", "Object"):
            _fail(f"{path}/class", f"{cls!r}; omit class for Object.prototype")
        plain = cls is None and all(
            isinstance(d, dict) and not d.keys() & {"symbol", "get", "enumerable"} for d in docs
        )
        obj: dict[str, Value] | JSObject = {} if plain else JSObject(cls=cls)
        self._define(doc, obj, path)
        keys: set[Hashable] = set()
        for i, d in enumerate(docs):
            prop = self._property(d, f"{path}/properties/{i}")
            if _key_id(prop.key) in keys:
                _fail(f"{path}/properties/{i}", f"property key {_show(prop.key)} repeats an earlier one")
            keys.add(_key_id(prop.key))
            if isinstance(obj, dict):
                assert isinstance(prop.key, str)
                obj[prop.key] = prop.value
            else:
                obj.properties.append(prop)
        return obj

    def _property(self, doc: object, path: str) -> Property:
        if not isinstance(doc, dict):
            _fail(path, f"expected a property object, got {_show(doc)}")
        if extra := doc.keys() - _PROPERTY_FIELDS:
            _fail(path, f"unexpected field {', '.join(map(repr, sorted(extra)))} in a property")
        if ("key" in doc) == ("symbol" in doc) or ("value" in doc) == ("get" in doc):
            _fail(path, "a property has exactly one of 'key' and 'symbol', and one of 'value' and 'get'")
        if doc.get("enumerable", False) is not False:
            _fail(f"{path}/enumerable", "only false is allowed; omit the field for an enumerable property")
        key: Key
        if "key" in doc:
            key = _string(doc["key"], f"{path}/key")
        else:
            symbol = self.value(doc["symbol"], f"{path}/symbol")
            if not isinstance(symbol, JSSymbol):
                _fail(f"{path}/symbol", f"expected a symbol or a ref to one, got {type(symbol).__name__}")
            key = symbol
        enumerable = "enumerable" not in doc
        if "get" in doc:
            return Property.accessor(key, self.value(doc["get"], f"{path}/get"), enumerable=enumerable)
        return Property(key, self.value(doc["value"], f"{path}/value"), enumerable=enumerable)

    def _map(self, doc: Document, path: str) -> JSMap:
        docs = _array_field(doc, "entries", path)
        result = JSMap()
        self._define(doc, result, path)
        seen: set[Hashable] = set()
        for i, entry in enumerate(docs):
            where = f"{path}/entries/{i}"
            if not isinstance(entry, list) or len(entry) != 2:
                _fail(where, f"expected a [key, value] pair, got {_show(entry)}")
            key = self.value(entry[0], f"{where}/0")
            if (problem := _set_member_problem(key, seen, "Map key")) is not None:
                _fail(f"{where}/0", problem)
            result.entries.append((key, self.value(entry[1], f"{where}/1")))
        return result

    def _set(self, doc: Document, path: str) -> JSSet:
        docs = _array_field(doc, "values", path)
        result = JSSet()
        self._define(doc, result, path)
        seen: set[Hashable] = set()
        for i, d in enumerate(docs):
            value = self.value(d, f"{path}/values/{i}")
            if (problem := _set_member_problem(value, seen, "Set value")) is not None:
                _fail(f"{path}/values/{i}", problem)
            result.values.append(value)
        return result

    def _leaf(self, doc: Document, path: str) -> Value:
        """Read a form without children (function, date, regexp, error, promise, buffers, typed array)."""
        thing = _read_leaf(doc, path)
        self._define(doc, thing, path)
        return thing


def _read_leaf(doc: Document, path: str) -> Value:
    match doc["type"]:
        case "function":
            return JSFunction(_string(doc["name"], f"{path}/name"))
        case "date":
            time = float(_decode_number(doc["time"], f"{path}/time"))
            if (problem := _time_problem(time)) is not None:
                _fail(f"{path}/time", problem)
            return JSDate(time)
        case "regexp":
            flags = _string(doc["flags"], f"{path}/flags")
            if (problem := _flags_problem(flags)) is not None:
                _fail(f"{path}/flags", problem)
            return JSRegExp(_string(doc["source"], f"{path}/source"), flags)
        case "error":
            return JSError(_string(doc["name"], f"{path}/name"), _string(doc["message"], f"{path}/message"))
        case "promise":
            return JSPromise()
        case "arraybuffer":
            return JSArrayBuffer(_bytes(doc["base64"], f"{path}/base64"))
        case "buffer":
            return JSBuffer(_bytes(doc["base64"], f"{path}/base64"))
    kind = doc["kind"]
    if kind not in TYPED_ARRAY_KINDS:
        _fail(f"{path}/kind", f"unknown kind {_show(kind)}; expected one of {', '.join(TYPED_ARRAY_KINDS)}")
    values: list[float] = []
    for i, raw in enumerate(_array_field(doc, "values", path)):
        element = _decode_number(raw, f"{path}/values/{i}")
        if (problem := _element_problem(kind, element)) is not None:
            _fail(f"{path}/values/{i}", problem)
        values.append(element)
    return JSTypedArray(kind, values)


def _decode_number(raw: object, path: str) -> int | float:
    if isinstance(raw, str):
        if raw not in _SPECIAL_NUMBERS:
            _fail(path, f"{raw!r} is not a number; the strings are {', '.join(_SPECIAL_NUMBERS)}")
        return _SPECIAL_NUMBERS[raw]
    number = _number(raw, path)
    if isinstance(number, int):
        if abs(number) <= _MAX_SAFE:
            return number
        try:
            return float(number)
        except OverflowError:
            _fail(path, f"{_show(number)} is beyond the range of doubles; write 'Infinity' or '-Infinity'")
    if not math.isfinite(number):
        _fail(path, f"{number!r} as a JSON number; write the string 'NaN', 'Infinity' or '-Infinity'")
    if _is_negative_zero(number):
        _fail(path, "negative zero as a JSON number; write the string '-0'")
    return int(number) if number.is_integer() and abs(number) <= _MAX_SAFE else number


def _decode_string(doc: Document, path: str) -> str:
    if ("value" in doc) == ("utf16" in doc):
        _fail(path, "a string has exactly one of 'value' and 'utf16'")
    if "value" in doc:
        return _string(doc["value"], f"{path}/value")
    units = _array_field(doc, "utf16", path)
    for i, unit in enumerate(units):
        if isinstance(unit, bool) or not isinstance(unit, int) or not 0 <= unit <= 0xFFFF:
            _fail(f"{path}/utf16/{i}", f"{_show(unit)} is not a UTF-16 code unit (an integer 0 to 65535)")
    text = struct.pack(f"<{len(units)}H", *units).decode("utf-16-le", "surrogatepass")
    if not _SURROGATE.search(text):
        _fail(f"{path}/utf16", "the code units form a well-formed string; write 'value'")
    return text


def _number(raw: object, path: str) -> int | float:
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        _fail(path, f"expected a number, got {_show(raw)}")
    return raw


def _integer(raw: object, path: str) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int):
        _fail(path, f"expected an integer, got {_show(raw)}")
    return raw


def _string(raw: object, path: str) -> str:
    if not isinstance(raw, str):
        _fail(path, f"expected a string, got {_show(raw)}")
    if (problem := _lone_surrogate_problem(raw)) is not None:
        _fail(path, problem)
    return raw


def _array_field(doc: Document, name: str, path: str) -> list[object]:
    raw = doc[name]
    if not isinstance(raw, list):
        _fail(f"{path}/{name}", f"expected an array, got {_show(raw)}")
    return raw


def _bytes(raw: object, path: str) -> bytes:
    text = _string(raw, path)
    try:
        data = base64.b64decode(text, validate=True)
    except ValueError as error:  # binascii.Error, or a non-ASCII character
        _fail(path, f"not base64 ({error})")
    if base64.b64encode(data).decode("ascii") != text:
        _fail(path, "not canonical base64 (padding missing, or unused bits set)")
    return data


def _read_boolean(_: _Decoder, doc: Document, path: str) -> Value:
    if not isinstance(doc["value"], bool):
        _fail(f"{path}/value", f"expected true or false, got {_show(doc['value'])}")
    return doc["value"]


_READERS: Final[dict[str, Callable[[_Decoder, Document, str], Value]]] = {
    "undefined": lambda _, doc, path: UNDEFINED,
    "null": lambda _, doc, path: None,
    "boolean": _read_boolean,
    "number": lambda _, doc, path: _decode_number(doc["value"], f"{path}/value"),
    "string": lambda _, doc, path: _decode_string(doc, path),
    "symbol": _Decoder._symbol,
    "function": _Decoder._leaf,
    "array": _Decoder._array,
    "object": _Decoder._object,
    "date": _Decoder._leaf,
    "regexp": _Decoder._leaf,
    "error": _Decoder._leaf,
    "map": _Decoder._map,
    "set": _Decoder._set,
    "promise": _Decoder._leaf,
    "arraybuffer": _Decoder._leaf,
    "typedarray": _Decoder._leaf,
    "buffer": _Decoder._leaf,
    "ref": _Decoder._ref,
}


def decode(doc: object) -> Value:
    """Return the value that ``doc`` describes; ``ValueError`` naming the place if it is malformed.

    Arrays and objects that a ``list`` or ``dict`` describes exactly decode to one;
    integral numbers of magnitude at most 2**53 decode to ``int``.
    """
    return _Decoder().value(doc, "")


def decode_list(docs: object) -> list[Value]:
    """Return the argument list that ``docs`` describes, resolving refs across arguments."""
    if not isinstance(docs, list):
        _fail("", f"expected an array of values, got {_show(docs)}")
    decoder = _Decoder()
    return [decoder.value(doc, f"/{i}") for i, doc in enumerate(docs)]
