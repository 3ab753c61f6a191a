"""Section 1, the floor: `terraform validate` of an empty root that only requires hashicorp/aws.

Validate loads the provider's schema and nothing else, so no test of a root
can be faster: it is the unit the feedback loop's overhead is measured in.
"""

from __future__ import annotations

from pathlib import Path

from lmsops.bench.context import Context
from lmsops.bench.report import SectionResult, Table
from lmsops.bench.stats import seconds, summarize, summary_cells
from lmsops.bench.timing import repeat
from lmsops.roots import Root

TITLE = "1. Floor: `terraform validate` of an empty root (provider schema load)"
EMPTY_ROOT = """terraform {
  required_version = ">= 1.5.7"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100"
    }
  }
}
"""


def prepare(work_dir: Path) -> Root:
    """An empty root requiring only hashicorp/aws, initialised once."""
    path = work_dir / "floor-root"
    path.mkdir(parents=True, exist_ok=True)
    (path / "versions.tf").write_text(EMPTY_ROOT)
    root = Root(path)
    root.tf("init", "-backend=false", "-input=false", "-no-color")
    return root


def validate_once(root: Root) -> None:
    root.tf("validate", "-no-color")


def measure(ctx: Context, times: int) -> list[float]:
    root = ctx.floor_root()
    validate_once(root)  # warm the file cache: every run then starts alike
    return repeat(lambda: validate_once(root), times)


def run(ctx: Context) -> SectionResult:
    samples = measure(ctx, ctx.repeat_for("floor"))
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
