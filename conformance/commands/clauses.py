"""``ipc-conformance clauses``: the clause catalog, a line per clause (ID, level, statement)."""

from __future__ import annotations

import argparse

from conformance.commands import EXIT_YES, unusable

__all__ = ["main"]


def main(args: argparse.Namespace) -> int:
    """Print the clauses of the area and level asked for; return 0, or 2 for an unknown area."""
    from conformance.catalog import CatalogLookupError, load_catalog

    catalog = load_catalog()
    try:
        selected = catalog.select(
            area=args.area and args.area.upper(), level=args.level, include_retired=True
        )
    except CatalogLookupError as error:
        return unusable(str(error))
    for clause in selected:
        retired = " (retired)" if clause.retired else ""
        print(f"{clause.id:8} {clause.level.value:7} {clause.statement}{retired}")
    return EXIT_YES
