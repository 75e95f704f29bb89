"""Loads the JSON Schemas of ``schemas/`` and builds validators that resolve references across them.

Each document the suite reads or writes (value, scenario, trace, protocol messages,
catalog, report, baseline) has one schema file; ``validator_for`` is the one way to
check a document against it.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

__all__ = ["load_schema", "schema_dir", "validator_for"]


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
def validator_for(name: str) -> Draft202012Validator:
    """Return a validator for schema ``name`` that resolves ``$ref`` to the other schema files."""
    schema = load_schema(name)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, registry=_registry())
