"""Argument documents drawn from value.schema.json itself, so the schema and the tests cannot drift apart.

hypothesis-jsonschema 0.23 reads drafts 4 to 7 and cannot resolve recursive $ref
(resolve_all_refs recurses until RecursionError), so values are drawn from a bounded copy
of value.schema.json: refs inlined down to a fixed nesting depth (containers at the
bottom level are empty), no "id" and no "ref" form (tree-shaped documents), the
type-dispatching if/then conditionals turned into anyOf of their branches, and the
"exactly one of these fields" oneOfs into explicit variants, which hypothesis-jsonschema
builds directly rather than by filtering.  Rules the schema states only in prose are
either restated for the generator (_GENERATOR_HINTS) or make decode reject the document
(PROSE_RULES); such documents are discarded, and Hypothesis fails the test if most are.
"""

from __future__ import annotations

import copy
import itertools
import re
from typing import Any, Final

from hypothesis import reject
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from conformance.schemas import load_schema
from conformance.values.codec import decode
from conformance.values.model import Value

__all__ = ["PROSE_RULES", "schema_values", "tree_schema"]

_DRAFT7: Final = "http://json-schema.org/draft-07/schema#"
_GENERATOR_HINTS: Final[dict[tuple[str, ...], Any]] = {
    # A run of low surrogates is never well-formed, so these are always "utf16" strings.
    ("string", "properties", "utf16", "items"): {"type": "integer", "minimum": 0xDC00, "maximum": 0xDFFF},
    # new RegExp(source, flags) must rebuild it: a source that is a pattern under every flag,
    # and never both "u" and "v".
    ("regexp", "properties", "source"): {"type": "string", "pattern": "^[A-Za-z0-9 ]*$"},
    ("regexp", "properties", "flags"): {"type": "string", "pattern": "^d?g?i?m?s?(u|v)?y?$"},
}
PROSE_RULES: Final = re.compile(
    "repeats an earlier one|is -0, which a Set or Map stores|not exactly a float32|is an index or 'length'"
)


def tree_schema(depth: int) -> dict[str, Any]:
    """Return value.schema.json as a draft 7 schema of tree documents nested ``depth`` values deep."""
    schema = load_schema("value.schema.json")
    definitions = copy.deepcopy(schema["$defs"])
    for (name, *path), hint in _GENERATOR_HINTS.items():
        node = definitions[name]
        for step in path[:-1]:
            node = node[step]
        node[path[-1]] = hint

    def walk(node: Any, depth: int) -> Any:
        if isinstance(node, list):
            return [walk(item, depth) for item in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node:
            name = node["$ref"].removeprefix("#/$defs/")
            if name == "ref" or (name == "value" and depth == 0):
                return False
            return walk(definitions[name], depth - 1 if name == "value" else depth)
        out: dict[str, Any] = {}
        for key, sub in node.items():
            if key == "properties":
                out[key] = {field: walk(s, depth) for field, s in sub.items() if field != "id"}
            elif key == "prefixItems":
                out["items"], out["additionalItems"] = walk(sub, depth), False
            elif key == "allOf" and all("if" in s for s in sub):
                out["anyOf"] = [_pinned(walk(s["if"], depth), walk(s["then"], depth)) for s in sub]
            elif key == "allOf":
                assert all(s.keys() == {"oneOf"} for s in sub), f"no rewrite for allOf {sub}"
            elif key not in ("if", "then", "else", "oneOf", "description", "title"):
                out[key] = walk(sub, depth)
        if "if" in node:  # hole or value, ref or symbol: the branches pin down "type" themselves
            out["anyOf"] = [walk(node["then"], depth), walk(node["else"], depth)]
        exclusive = [group["oneOf"] for group in node.get("allOf", [node]) if "oneOf" in group]
        if exclusive:
            return {"anyOf": [_variant(out, exclusive, choice) for choice in itertools.product(*exclusive)]}
        return out

    bounded = walk({"$ref": "#/$defs/value"}, depth)
    assert isinstance(bounded, dict)
    return {"$schema": _DRAFT7, **bounded}


def _pinned(condition: dict[str, Any], branch: Any) -> Any:
    """Return ``branch`` with the properties its ``if`` condition requires."""
    if branch is False:
        return False
    return {**branch, "properties": {**branch.get("properties", {}), **condition["properties"]}}


def _variant(node: dict[str, Any], groups: list[list[Any]], choice: tuple[Any, ...]) -> dict[str, Any]:
    """Return ``node`` with, from each group of exclusive fields, only the chosen ones."""
    chosen = {field for branch in choice for field in branch["required"]}
    others = {field for group in groups for branch in group for field in branch["required"]} - chosen
    properties = {field: s for field, s in node["properties"].items() if field not in others}
    return {**node, "properties": properties, "required": sorted({*node.get("required", []), *chosen})}


def _decoded(doc: Any) -> Value:
    try:
        return decode(doc)
    except ValueError as error:
        if not PROSE_RULES.search(str(error)):
            raise
        reject()


def schema_values(*, depth: int = 2) -> st.SearchStrategy[Value]:
    """Return a strategy for values decoded from documents drawn from value.schema.json.

    Documents that break a rule the schema states only in prose are rejected.
    Building the strategy takes seconds, so it is deferred to the first draw.
    """
    return st.deferred(lambda: from_schema(tree_schema(depth))).map(_decoded)
