"""Section 1, the floor: `terraform plan` and `validate` of an empty root (see bench.floor)."""

from __future__ import annotations

from bench import floor
from bench.context import Context
from bench.report import SectionResult, Table
from bench.stats import seconds, summarize, summary_cells

TITLE = "1. Floor: `terraform plan` and `terraform validate` of an empty root"
WHAT = {
    "plan": "`terraform plan -input=false -lock=false`, empty root (the ratio's unit)",
    "validate": "`terraform validate`, empty root (provider schema load only)",
}


def run(ctx: Context) -> SectionResult:
    table = Table(["what", "runs", "min", "median", "max"])
    for command in floor.COMMANDS:
        summary = summarize(floor.measure(ctx.floor_root(), command, ctx.repeat_for("floor")))
        ctx.floor_seconds[command] = summary.median
        table.rows.append([WHAT[command], str(summary.count), *summary_cells(summary)])
    headline = (
        f"Floor (empty root, median): `terraform plan` {seconds(ctx.floor_seconds['plan'])}, "
        f"`terraform validate` {seconds(ctx.floor_seconds['validate'])}."
    )
    notes = [
        "One `init` first (not timed); each run is a new `terraform` process. The root has "
        "no provider block: with no resources the provider is never configured, so the plan "
        "runs offline (provider start, schema load, graph walk, no API call).",
    ]
    return SectionResult(TITLE, [table], notes, headlines=[headline])
