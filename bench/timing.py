"""Wall-clock timing of one call."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def timed(action: Callable[[], T]) -> tuple[float, T]:
    """Run ACTION; return (seconds it took, what it returned)."""
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def repeat(action: Callable[[], object], times: int) -> list[float]:
    return [timed(action)[0] for _ in range(times)]
