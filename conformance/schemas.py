"""Loads the JSON Schemas of ``schemas/`` and builds validators that resolve references across them.

Each document the suite reads or writes (value, scenario, trace, protocol messages,
catalog, report, baseline) has one schema file; ``validator_for`` is the one way to
check a document against it.  Its validators give jsonschema's verdicts and errors,
with jsonschema-rs (compiled, a few hundred times faster) in front: a document of
plain JSON types that jsonschema-rs accepts is valid, and every other document is
judged by jsonschema, so a verdict never depends on which of the two ran.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Final

import jsonschema_rs
from jsonschema import Draft202012Validator, ValidationError
from jsonschema.protocols import Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

__all__ = ["SchemaValidator", "load_schema", "schema_dir", "validator_for"]

_BASE_URI: Final = "https://electron-ipc-conformance.invalid/schemas/"
"""Where the compiled validators file the schemas, whose own ``$id`` are relative paths."""
_FAST_MAX_DEPTH: Final = 1000
"""Deeper documents go to jsonschema only (jsonschema-rs recurses on the native stack)."""
_SCALARS: Final = frozenset({str, int, float, bool, type(None)})


def schema_dir() -> Path:
    """Return the folder holding the schemas (packaged copy first, then the source tree's)."""
    packaged = Path(str(resources.files("conformance") / "_schemas"))
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "schemas"


@cache
def _registry() -> Registry:
    resources_by_uri = []
    for path in sorted(schema_dir().rglob("*.schema.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resource = Resource.from_contents(contents, default_specification=DRAFT202012)
        relative = path.relative_to(schema_dir()).as_posix()
        resources_by_uri.append((relative, resource))
        if (uri := resource.id()) is not None:
            resources_by_uri.append((uri, resource))
    return Registry().with_resources(resources_by_uri)


def load_schema(name: str) -> dict[str, Any]:
    """Return the schema ``name`` (a path under ``schemas/``, e.g. ``value.schema.json``)."""
    path = schema_dir() / name
    if not path.is_file():
        raise FileNotFoundError(f"no schema {name!r} in {schema_dir()}")
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


@cache
def _fast_registry() -> jsonschema_rs.Registry:
    resources_by_uri = []
    for path in sorted(schema_dir().rglob("*.schema.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        uri = _BASE_URI + contents.get("$id", path.relative_to(schema_dir()).as_posix())
        resources_by_uri.append((uri, {**contents, "$id": uri}))
    return jsonschema_rs.Registry(resources_by_uri)


def _plain_json(document: object) -> bool:
    """Return whether ``document`` holds only lists, dicts with str keys and JSON scalars, not too deep.

    Exact types only: jsonschema-rs reads a tuple as an array, which jsonschema does not.
    """
    level: list[Any] = [document]
    for _ in range(_FAST_MAX_DEPTH):
        below: list[Any] = []
        for value in level:
            kind = type(value)
            if kind is dict:
                if not all(type(key) is str for key in value):
                    return False
                below.extend(value.values())
            elif kind is list:
                below.extend(value)
            elif kind not in _SCALARS:
                return False
        if not below:
            return True
        level = below
    return False


class SchemaValidator:
    """Checks documents against one schema: jsonschema's verdicts and errors, jsonschema-rs's speed."""

    def __init__(self, schema: dict[str, Any]) -> None:
        self.schema = schema
        self.slow = Draft202012Validator(schema, registry=_registry())
        """The jsonschema validator: it judges every document the compiled check does not accept."""
        uri = _BASE_URI + schema.get("$id", "")
        self._fast = jsonschema_rs.validator_for(
            {**schema, "$id": uri}, registry=_fast_registry(), validate_formats=False
        )

    def accepts_fast(self, document: object) -> bool:
        """Return True if the compiled check alone shows ``document`` valid (False: ask jsonschema)."""
        if not _plain_json(document):
            return False
        try:
            return self._fast.is_valid(document)
        except (ValueError, UnicodeError):  # e.g. a lone surrogate, which Rust strings cannot hold
            return False

    def is_valid(self, document: object) -> bool:
        """Return whether ``document`` is valid."""
        return self.accepts_fast(document) or self.slow.is_valid(document)

    def validate(self, document: object) -> None:
        """Raise jsonschema's best ``ValidationError`` if ``document`` is invalid."""
        if not self.accepts_fast(document):
            self.slow.validate(document)

    def iter_errors(self, document: object) -> Iterator[ValidationError]:
        """Yield jsonschema's errors for ``document`` (none when it is valid)."""
        if not self.accepts_fast(document):
            yield from self.slow.iter_errors(document)

    def evolve(self, **changes: Any) -> Validator:
        """Return jsonschema's validator with ``changes`` (e.g. another ``format_checker``)."""
        return self.slow.evolve(**changes)


@cache
def validator_for(name: str) -> SchemaValidator:
    """Return a validator for schema ``name`` that resolves ``$ref`` to the other schema files."""
    schema = load_schema(name)
    Draft202012Validator.check_schema(schema)
    return SchemaValidator(schema)
