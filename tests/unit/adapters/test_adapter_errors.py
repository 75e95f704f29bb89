"""Error messages of the adapter boundary: what was expected, what came, where, what to try."""

from __future__ import annotations

from conformance.adapters.errors import (
    TAIL_CHARS,
    TAIL_LINES,
    AdapterCrashed,
    AdapterError,
    HandshakeError,
    ProtocolError,
    Step,
    excerpt,
    stderr_tail,
)


def test_the_message_names_where_what_was_expected_what_came_and_what_to_try() -> None:
    error = ProtocolError(
        "the line is not JSON",
        step=Step.COLLECT,
        expected="one line of JSON",
        received="garbage",
        hint="look at the adapter",
    ).add_context(implementation="impl 1.0", stderr="first\nlast words\n")
    assert str(error) == "\n".join(
        [
            "[impl 1.0] collect the trace: the line is not JSON",
            "  expected: one line of JSON",
            "  received: garbage",
            "  try: look at the adapter",
            "  stderr (last lines):",
            "    | first",
            "    | last words",
        ]
    )


def test_context_already_known_is_kept() -> None:
    error = AdapterError("boom", step=Step.RUN, implementation="known", stderr="own")
    error.add_context(implementation="other", stderr="other stderr")
    assert (error.implementation, error.stderr) == ("known", "own")


def test_an_empty_stderr_is_said_so() -> None:
    assert str(AdapterError("boom", step=Step.RUN)).endswith("  stderr: (empty)")


def test_each_class_has_a_default_hint() -> None:
    crashed = AdapterCrashed("gone", step=Step.RUN, returncode=-9)
    assert crashed.hint == AdapterCrashed.default_hint != AdapterError.default_hint
    assert crashed.returncode == -9
    assert "  received: end of output" in str(crashed)


def test_the_stderr_tail_keeps_the_last_lines_and_characters() -> None:
    many_lines = "".join(f"line {n}\n" for n in range(100))
    assert stderr_tail(many_lines).splitlines() == [f"line {n}" for n in range(100 - TAIL_LINES, 100)]
    one_long_line = "x" * (3 * TAIL_CHARS) + "end"
    assert stderr_tail(one_long_line) == one_long_line[-TAIL_CHARS:]
    assert len(AdapterError("r", step=Step.RUN, stderr=one_long_line).stderr) == TAIL_CHARS


def test_excerpts_are_one_line_and_say_how_much_was_cut() -> None:
    assert excerpt("a\nb\t c") == "a b c"
    assert excerpt(b"\xff\n") == "\\xff\\n"
    assert excerpt("y" * 500, 10) == "yyyyyyyyyy... (490 more characters)"


def test_a_protocol_error_during_the_handshake_is_a_handshake_error() -> None:
    assert type(ProtocolError.during(Step.HANDSHAKE, "bad")) is HandshakeError
    assert type(ProtocolError.during(Step.COLLECT, "bad")) is ProtocolError
