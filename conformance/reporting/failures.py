"""Reads what a failing test printed: the message, Hypothesis's minimal example and its replay blob.

Hypothesis adds its findings to the exception as notes ("Falsifying example: ...",
"You can reproduce this example by temporarily adding @reproduce_failure(...)");
these functions split them off the message, for the report's failure block.
"""

from __future__ import annotations

import re
from typing import Final

from conformance.reporting.report import HypothesisBlob

__all__ = ["counterexample", "hypothesis_blob", "message"]

_BLOB: Final = re.compile(
    r"@reproduce_failure\((?P<q>['\"])(?P<version>\d+(?:\.\d+)*)(?P=q), "
    r"b(?P<bq>['\"])(?P<blob>[A-Za-z0-9+/=]+)(?P=bq)\)"
)
"""Hypothesis's replay decorator: a version number and a base64 blob, read as text (never evaluated)."""
_NOTE_STARTS: Final = ("Falsifying ", "Explanation:", "You can reproduce", "Trying example", "Draw ")
_QUALIFIED_TYPE: Final = re.compile(r"^(?:[A-Za-z_]\w*\.)+(?P<name>[A-Za-z_]\w*): ")
_FIXTURE_ARGUMENT: Final = re.compile(r"^\s*\w+=<[\w.]+ object at 0x[0-9a-f]+>,?\s*$")
MESSAGE_LIMIT: Final = 20_000
"""Characters kept of one message (its start)."""


def message(text: str, *, quiet_types: tuple[str, ...] = ()) -> str:
    """Return an exception's text without Hypothesis's notes, its type unqualified.

    A type named in ``quiet_types`` (e.g. the suite's own ``ClauseViolation``, whose
    text already names the clause) is left out altogether.
    """
    lines: list[str] = []
    for line in text.splitlines():
        if line.startswith(_NOTE_STARTS):
            break
        lines.append(line)
    kept = "\n".join(lines).strip()
    if (match := _QUALIFIED_TYPE.match(kept)) is not None:
        name = match["name"]
        rest = kept[match.end() :]
        kept = rest if name in quiet_types else f"{name}: {rest}"
    elif kept.split(":", 1)[0] in quiet_types:
        kept = kept.split(":", 1)[1].strip()
    return kept[:MESSAGE_LIMIT]


def counterexample(text: str) -> str | None:
    """Return the minimal falsifying example Hypothesis printed in ``text``, or None.

    Fixture arguments printed as ``name=<Class object at 0x...>`` are left out: an
    address says nothing about the example.
    """
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("Falsifying ")), None)
    if start is None:
        return None
    first = lines[start].split(":", 1)[1].strip()
    kept = [first] if first else []
    for line in lines[start + 1 :]:
        if line.startswith(_NOTE_STARTS):
            break
        if not _FIXTURE_ARGUMENT.match(line):
            kept.append(line)
    example = "\n".join(kept).strip()
    return example or None


def hypothesis_blob(text: str) -> HypothesisBlob | None:
    """Return the version and blob of the last ``@reproduce_failure`` in ``text``, or None.

    The last: Hypothesis prints it after the exception, so a look-alike inside a
    message (an implementation may echo anything) cannot stand in for it.
    """
    matches = list(_BLOB.finditer(text))
    if not matches:
        return None
    return {"version": matches[-1]["version"], "blob": matches[-1]["blob"]}
