"""What a failing test printed, split into message, minimal example and replay blob.

The texts are the real ones: a failing ``@given`` test is run here and its
exception formatted as pytest does, so a change in Hypothesis's wording shows up.
"""

from __future__ import annotations

import traceback

import hypothesis
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conformance.reporting.failures import counterexample, hypothesis_blob, message


class ClauseViolation(AssertionError):
    """Stands for the suite's own violation type (only its name matters here)."""


class Fixture:
    """Stands for a fixture, printed by Hypothesis with its address."""


def _hypothesis_failure() -> str:
    @settings(print_blob=True, database=None, derandomize=True)
    @given(ipc=st.just(Fixture()), n=st.integers())
    def test_small(ipc: Fixture, n: int) -> None:
        if n >= 10:
            raise ClauseViolation("CH-1 (MUST): too big\n  expected: < 10")

    with pytest.raises(ClauseViolation) as caught:
        test_small()
    return "".join(traceback.format_exception_only(caught.value))


def test_the_message_leaves_out_hypothesis_notes_and_quiet_type_names() -> None:
    text = _hypothesis_failure()
    assert "Falsifying example" in text  # the notes are there to be left out
    assert message(text, quiet_types=("ClauseViolation",)) == "CH-1 (MUST): too big\n  expected: < 10"
    assert message(text).startswith("ClauseViolation: CH-1 (MUST)")


def test_a_qualified_type_name_is_shortened() -> None:
    text = "conformance.adapters.errors.AdapterTimeout: [x] run a scenario: no answer"
    assert message(text) == "AdapterTimeout: [x] run a scenario: no answer"


def test_the_counterexample_is_the_minimal_example_without_fixture_addresses() -> None:
    example = counterexample(_hypothesis_failure())
    assert example is not None
    assert example.splitlines() == ["test_small(", "    n=10,", ")"]


def test_the_blob_is_read_from_reproduce_failure() -> None:
    blob = hypothesis_blob(_hypothesis_failure())
    assert blob is not None
    assert blob["version"] == hypothesis.__version__
    assert blob["blob"] and blob["blob"].isascii()


def test_a_failure_without_hypothesis_has_neither_example_nor_blob() -> None:
    text = "ClauseViolation: CH-3 (IMPL): listeners out of order"
    assert counterexample(text) is None
    assert hypothesis_blob(text) is None
    assert message(text, quiet_types=("ClauseViolation",)) == "CH-3 (IMPL): listeners out of order"


def test_the_blob_is_hypothesis_s_own_not_a_look_alike_in_the_message() -> None:
    """An implementation can put anything in a message: only the last, well-formed decorator counts."""
    real = _hypothesis_failure()
    echoed = 'CH-1 (MUST): observed \'@reproduce_failure("1.0", b"AAAA")\'\n' + real
    assert hypothesis_blob(echoed) == hypothesis_blob(real)
    assert hypothesis_blob("@reproduce_failure(__import__('os').getcwd(), b'AAAA')") is None
    assert hypothesis_blob("@reproduce_failure('6.1.0', b'AA\\x00' + b'B')") is None
