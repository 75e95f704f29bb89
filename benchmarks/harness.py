"""The measuring harness: figures as median, min and max over repeats, each with its baseline and ratio.

Machines here are shared and noisy, so no absolute figure is judged alone: every
figure names a baseline measured in the same run, repeats are interleaved (repeat
``r`` of the figure and of its baseline are taken one after the other), and the
ratio is summarised over those pairs.  A ``Target`` states the issue's goal on the
ratio (or, for wall times, on the value) and is judged on the median.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = [
    "Figure",
    "Section",
    "Summary",
    "Target",
    "paired_ratios",
    "summarize",
    "time_call",
]


@dataclass(frozen=True)
class Summary:
    """Median, min and max of some samples, and how many there were."""

    median: float
    min: float
    max: float
    n: int

    def to_json(self) -> dict[str, float | int]:
        """Return the summary as JSON data."""
        return {"median": self.median, "min": self.min, "max": self.max, "n": self.n}


def summarize(samples: Iterable[float]) -> Summary:
    """Return the median, min and max of ``samples``; raises ValueError when there are none."""
    values = sorted(float(sample) for sample in samples)
    if not values:
        raise ValueError("no samples to summarise: measure at least once")
    return Summary(statistics.median(values), values[0], values[-1], len(values))


def paired_ratios(values: Sequence[float], baselines: Sequence[float]) -> list[float]:
    """Return ``values[i] / baselines[i]`` for each repeat ``i``; both lists must be as long."""
    if len(values) != len(baselines):
        raise ValueError(
            f"{len(values)} samples against {len(baselines)} baseline samples: pair them by repeat"
        )
    if any(baseline == 0 for baseline in baselines):
        raise ValueError(f"a baseline sample is 0, so no ratio exists: {list(baselines)!r}")
    return [value / baseline for value, baseline in zip(values, baselines, strict=True)]


def time_call(function: Callable[[], object]) -> float:
    """Return the wall time of ``function()`` in seconds."""
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


@dataclass(frozen=True)
class Target:
    """A goal of the issue on a figure: its ratio (or its value) at most or at least ``limit``."""

    on: Literal["ratio", "value"]
    bound: Literal["max", "min"]
    limit: float
    text: str

    def met(self, ratio: Summary | None, value: Summary) -> bool | None:
        """Return whether the median meets the goal, or None when there is no ratio to judge."""
        judged = value if self.on == "value" else ratio
        if judged is None:
            return None
        return judged.median <= self.limit if self.bound == "max" else judged.median >= self.limit

    def to_json(self) -> dict[str, Any]:
        """Return the target as JSON data."""
        return {"on": self.on, "bound": self.bound, "limit": self.limit, "text": self.text}


@dataclass
class Figure:
    """One measured quantity: its samples (one per repeat) and, if it has one, its baseline's id."""

    id: str
    title: str
    unit: str
    samples: list[float]
    baseline: str | None = None
    target: Target | None = None
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def summary(self) -> Summary:
        """Return the median, min and max of the samples."""
        return summarize(self.samples)


@dataclass
class Section:
    """The figures of one measurement module, in the order they are reported."""

    id: str
    title: str
    figures: list[Figure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    skipped: str | None = None

    def add(self, figure: Figure) -> Figure:
        """Append ``figure`` and return it."""
        if any(existing.id == figure.id for existing in self.figures):
            raise ValueError(f"figure {figure.id!r} is already in section {self.id!r}")
        self.figures.append(figure)
        return figure

    def figure(self, figure_id: str) -> Figure:
        """Return the figure ``figure_id``; raises KeyError naming the known ones."""
        for figure in self.figures:
            if figure.id == figure_id:
                return figure
        raise KeyError(f"no figure {figure_id!r} in section {self.id!r}: {[f.id for f in self.figures]}")

    def to_json(self) -> dict[str, Any]:
        """Return the section with every figure's summary, ratio and verdict, as JSON data."""
        by_id = {figure.id: figure for figure in self.figures}
        return {
            "id": self.id,
            "title": self.title,
            "skipped": self.skipped,
            "notes": list(self.notes),
            "figures": [_figure_json(figure, by_id) for figure in self.figures],
        }


def _figure_json(figure: Figure, by_id: Mapping[str, Figure]) -> dict[str, Any]:
    value = figure.summary
    ratio: Summary | None = None
    if figure.baseline is not None:
        baseline = by_id.get(figure.baseline)
        if baseline is None:
            raise KeyError(f"figure {figure.id!r} names baseline {figure.baseline!r}, not in its section")
        ratio = summarize(paired_ratios(figure.samples, baseline.samples))
    doc: dict[str, Any] = {
        "id": figure.id,
        "title": figure.title,
        "unit": figure.unit,
        "samples": list(figure.samples),
        "value": value.to_json(),
        "baseline": figure.baseline,
        "ratio": None if ratio is None else ratio.to_json(),
        "target": None,
        "note": figure.note,
    }
    if figure.target is not None:
        doc["target"] = figure.target.to_json() | {"met": figure.target.met(ratio, value)}
    if figure.extra:
        doc["extra"] = figure.extra
    return doc
