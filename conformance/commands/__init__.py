"""The subcommands of ``ipc-conformance``, one module each; ``conformance.cli`` only wires their options.

Every subcommand exits with 0 when the answer is yes (conformant, matching its
baseline, the adapter works, the failure is gone), 1 when it is no, and 2 when
the command could not do its job (a bad argument, an adapter that does not start
or fails its handshake, an unreadable report), always with a one-line reason.
"""

from __future__ import annotations

import sys
from typing import Final

__all__ = ["EXIT_NO", "EXIT_UNUSABLE", "EXIT_YES", "adapter_problem", "one_line", "printable", "unusable"]

EXIT_YES: Final = 0
EXIT_NO: Final = 1
EXIT_UNUSABLE: Final = 2


def printable(text: str) -> str:
    """Return ``text`` with control and format characters escaped, safe to print to a terminal."""
    return "".join(c if c.isprintable() or c in "\n\t" else repr(c)[1:-1] for c in text)


def one_line(text: str) -> str:
    """Return ``text`` on one printable line: whitespace runs become one space, controls are escaped."""
    return printable(" ".join(text.split()))


def unusable(reason: str) -> int:
    """Print ``reason`` as the command's one-line reason on stderr; return exit code 2."""
    print(f"ipc-conformance: {one_line(reason)}", file=sys.stderr)
    return EXIT_UNUSABLE


def adapter_problem(error: BaseException, *, step: bool = True) -> str:
    """Return in one line why an adapter could not be used: the step (if ``step``), reason and hint."""
    from conformance.adapters import AdapterError

    if isinstance(error, AdapterError):
        where = f"{error.step}: " if step else ""
        return where + error.reason + (f" (try: {error.hint})" if error.hint else "")
    return f"{type(error).__name__}: {error}"
