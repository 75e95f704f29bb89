"""What every faulty implementation shares: the ``Fault`` base class and a few tools for variations.

A fault is the reference implementation (``ReferenceAdapter``) with one deliberate
departure, made through the reference's seams: ``preload`` patches each renderer
process before anything else runs there, ``make_main`` patches main, and
``prepare_page`` patches main's handling of one page (its frame handlers, its ``send``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, ClassVar, Final, Literal

from conformance.adapters.protocol import Hello
from conformance.adapters.reference.adapter import ReferenceAdapter
from conformance.values.model import UNDEFINED
from reference_impl import Main, WebContents
from reference_impl.wire_values import decode_arguments

__all__ = ["SHOWS", "Fault", "Shows", "preload_of", "split_message"]

Shows = Literal["always", "some inputs", "some interleavings"]
SHOWS: Final[tuple[Shows, ...]] = ("always", "some inputs", "some interleavings")


def preload_of(function: Callable[[Any], object]) -> str:
    """Return the ``"module:function"`` name of a preload function (it must be defined at module level)."""
    return f"{function.__module__}:{function.__qualname__}"


def split_message(payload: bytes) -> tuple[object, list[object]]:
    """Return the channel and the arguments of a page's ``send`` or ``sendSync`` frame (none: undefined)."""
    arguments = decode_arguments(payload)
    return (arguments[0], arguments[1:]) if arguments else (UNDEFINED, [])


class Fault(ReferenceAdapter):
    """The reference implementation with one deliberate fault.

    ``breaks``: the clauses the fault violates, the ones the suite must name when it
    rejects it. ``implies``: other clauses it may make fail as well, because a test of
    theirs depends on the broken behaviour (each module's docstrings say why).
    ``shows``: whether every run of a test of ``breaks`` shows it, or only some inputs
    or some interleavings do (then property-based tests must find it).
    """

    breaks: ClassVar[tuple[str, ...]] = ()
    implies: ClassVar[tuple[str, ...]] = ()
    shows: ClassVar[Shows] = "always"
    settle_grace_ms: ClassVar[float] = 0.0
    """Time given, before a run settles, to a fault that holds messages back on a timer of its own."""

    @classmethod
    def spec(cls) -> str:
        """Return the adapter spec that loads this fault (``module:Class``)."""
        return f"{cls.__module__}:{cls.__qualname__}"

    @classmethod
    def summary(cls) -> str:
        """Return the first line of the fault's docstring."""
        return (cls.__doc__ or "").strip().splitlines()[0]

    def hello(self) -> Hello:
        """Return the reference's handshake, named after the fault."""
        real = super().hello()
        return Hello(
            name=f"reference_impl/{type(self).__name__}",
            version=real.version,
            edition=real.edition,
            capabilities=real.capabilities,
            value_kinds=real.value_kinds,
            language=real.language,
        )

    def _settle(self, run: Any, main_part: Any, block_ms: int, deadline: float) -> None:
        if self.settle_grace_ms:
            time.sleep(self.settle_grace_ms / 1000)
        super()._settle(run, main_part, block_ms, deadline)


class MainFault(Fault):
    """A fault in main: ``patch_main`` changes main once, ``patch_page`` each page's handling."""

    def make_main(self) -> Main:
        main = super().make_main()
        self.patch_main(main)
        return main

    def prepare_page(self, contents: WebContents) -> None:
        self.patch_page(contents)

    def patch_main(self, main: Main) -> None:
        """Change main (called once, before any page exists)."""

    def patch_page(self, contents: WebContents) -> None:
        """Change main's handling of one page (called for every page, before it is used)."""
