"""Section 1, the floor: `terraform validate` of an empty root (see bench.floor)."""

from __future__ import annotations

from bench import floor
from bench.context import Context
from bench.report import SectionResult, Table
from bench.stats import seconds, summarize, summary_cells

TITLE = "1. Floor: `terraform validate` of an empty root (provider schema load)"


def run(ctx: Context) -> SectionResult:
    samples = floor.measure(ctx.floor_root(), ctx.repeat_for("floor"))
    ctx.floor_seconds = summarize(samples).median
    headline = f"Floor (`terraform validate`, empty root): {seconds(ctx.floor_seconds)} median."
    table = Table(
        ["what", "runs", "min", "median", "max"],
        [
            [
                "`terraform validate`, empty root",
                str(len(samples)),
                *summary_cells(summarize(samples)),
            ]
        ],
    )
    note = "One `init` first (not timed); each run is a new `terraform` process."
    return SectionResult(TITLE, [table], [note], headlines=[headline])
