"""Data generation: the cost of one example of each strategy of ``conformance.values.strategies``.

Each strategy drives a Hypothesis test that does nothing, in the generate phase
only, so the figure is what the suite pays Hypothesis per example before any IPC.
The baseline is ``st.integers()``: Hypothesis's own cost per example.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from benchmarks.harness import Figure, Section, time_call
from conformance.values import strategies as values

__all__ = ["STRATEGIES", "measure", "ms_per_example"]

STRATEGIES: Final[dict[str, Callable[[], st.SearchStrategy[Any]]]] = {
    "st.integers()": st.integers,
    "numbers()": values.numbers,
    "strings()": values.strings,
    "channel_names()": values.channel_names,
    "json_like_values(max_leaves=1)": lambda: values.json_like_values(max_leaves=1),
    "json_like_values(max_leaves=3)": lambda: values.json_like_values(max_leaves=3),
    "json_like_values(max_leaves=6)": lambda: values.json_like_values(max_leaves=6),
    "json_like_values()": values.json_like_values,
    "js_values(max_leaves=3)": lambda: values.js_values(max_leaves=3),
    "js_values(max_leaves=5)": lambda: values.js_values(max_leaves=5),
    "js_values()": values.js_values,
    "js_values(lone_surrogates=True, max_leaves=5)": lambda: values.js_values(
        lone_surrogates=True, max_leaves=5
    ),
    "argument_lists(max_leaves=4, max_size=3)": lambda: values.argument_lists(max_leaves=4, max_size=3),
    "argument_lists()": values.argument_lists,
}
"""The strategies measured, by the expression that builds them; the first is the baseline."""
_BASELINE: Final = "st.integers()"


def ms_per_example(strategy: st.SearchStrategy[Any], examples: int) -> tuple[float, int]:
    """Return the milliseconds per example of ``strategy`` over ``examples`` draws, and the draws made."""
    drawn = 0

    @settings(
        max_examples=examples,
        phases=[Phase.generate],
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def draw(value: Any) -> None:
        nonlocal drawn
        drawn += 1

    seconds = time_call(draw)
    return seconds * 1000 / max(drawn, 1), drawn


def measure(*, repeats: int, quick: bool) -> list[Section]:
    """Return the data generation section: ms per example of each strategy, against ``st.integers()``."""
    examples = 30 if quick else 100
    section = Section("strategies", "Hypothesis data generation (ms per example, lower is better)")
    built = {name: make() for name, make in STRATEGIES.items()}
    samples: dict[str, list[float]] = {name: [] for name in built}
    drawn: dict[str, int] = {}
    for strategy in built.values():
        ms_per_example(strategy, max(examples // 10, 5))  # warm up: build the strategy's caches
    for _ in range(repeats):
        for name, strategy in built.items():
            ms, drawn[name] = ms_per_example(strategy, examples)
            samples[name].append(ms)
    for name in built:
        section.add(
            Figure(
                name,
                name + (" (baseline: Hypothesis's own cost)" if name == _BASELINE else ""),
                "ms",
                samples[name],
                baseline=None if name == _BASELINE else _BASELINE,
                extra={"examples per second (best repeat)": 1000 / min(samples[name])},
            )
        )
    section.notes.append(
        f"{examples} examples per sample, generate phase only, no database"
        f" (fewer were drawn where a strategy ran out: {sorted(n for n, d in drawn.items() if d < examples)})"
    )
    return [section]
