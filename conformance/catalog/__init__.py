"""The clause catalog: every clause of SEMANTICS.md with its ID, area, level and sources.

Tests tag themselves with clause IDs and reports group results by area and clause;
both look clauses up here.
"""

from conformance.catalog.loader import (
    Area,
    Catalog,
    CatalogError,
    CatalogLookupError,
    Clause,
    Level,
    SpecSource,
    load_catalog,
)

__all__ = [
    "Area",
    "Catalog",
    "CatalogError",
    "CatalogLookupError",
    "Clause",
    "Level",
    "SpecSource",
    "load_catalog",
]
