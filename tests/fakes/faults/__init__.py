"""The catalogue of faulty implementations: the reference implementation, broken in one documented way each.

Each fault is a ``ReferenceAdapter`` subclass (``Fault``) with the clauses it
``breaks``, those it ``implies`` and when it ``shows``; ``CATALOGUE`` lists them all,
area by area, in clause order. ``tests/faults/`` runs the suite on each and checks that
the suite rejects it for those clauses; ``README.md`` has the table.
"""

from __future__ import annotations

from typing import Final

from tests.fakes.faults import (
    aliases_and_errors,
    arguments,
    blocking,
    channels,
    host,
    main_to_renderer,
    ordering,
    return_values,
)
from tests.fakes.faults._base import SHOWS, Fault, MainFault

__all__ = ["AREAS", "CATALOGUE", "SHOWS", "Fault", "MainFault"]

AREAS: Final = ("CH", "ORD", "SER", "RET", "BLK", "HOST", "M2R", "DEP", "ERR")
"""The areas of SEMANTICS.md, in its order."""


def _order(fault: type[Fault]) -> tuple[int, int, str]:
    area, _, number = fault.breaks[0].partition("-")
    return AREAS.index(area), int(number), fault.__name__


CATALOGUE: Final[tuple[type[Fault], ...]] = tuple(
    sorted(
        (
            getattr(module, name)
            for module in (
                channels,
                ordering,
                arguments,
                return_values,
                blocking,
                host,
                main_to_renderer,
                aliases_and_errors,
            )
            for name in module.__all__
        ),
        key=_order,
    )
)
