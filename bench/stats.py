"""Summary statistics of repeated measurements."""

from __future__ import annotations

import statistics
from dataclasses import dataclass


@dataclass(frozen=True)
class Summary:
    minimum: float
    median: float
    maximum: float
    count: int


def summarize(values: list[float]) -> Summary:
    if not values:
        raise ValueError("cannot summarize an empty list of measurements")
    return Summary(min(values), statistics.median(values), max(values), len(values))


def seconds(value: float) -> str:
    """A duration for a table cell: 0.42 s, 3.1 s, 73 s."""
    if value < 1:
        return f"{value:.2f} s"
    if value < 10:
        return f"{value:.1f} s"
    return f"{value:.0f} s"


def percent(share: float) -> str:
    return f"{share * 100:.0f} %"


def summary_cells(summary: Summary) -> list[str]:
    return [seconds(summary.minimum), seconds(summary.median), seconds(summary.maximum)]
