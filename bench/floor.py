"""The floor: `terraform plan` (and `validate`) of an empty root that only requires hashicorp/aws.

Issue 11 measures the feedback loop in plans of an empty root: each Terraform root
the tiers plan costs at least one provider start, one schema load and one graph
walk, so `roots planned x floor plan` is the least the loop can cost. The plan
needs no provider block: a root without resources never configures the provider,
so it runs offline with no credentials. `validate` (schema load only, no graph
walk) is kept beside it: the earlier runs of docs/benchmarks.md used it as the unit.
Section 1 (floor_section) reports both; the run's Context measures them on demand.
"""

from __future__ import annotations

from pathlib import Path

from bench.timing import repeat
from lmsops.roots import Root

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
COMMANDS: dict[str, tuple[str, ...]] = {
    "plan": ("plan", "-input=false", "-no-color", "-lock=false"),
    "validate": ("validate", "-no-color"),
}


def prepare(work_dir: Path) -> Root:
    """An empty root requiring only hashicorp/aws, initialised once."""
    path = work_dir / "floor-root"
    path.mkdir(parents=True, exist_ok=True)
    (path / "versions.tf").write_text(EMPTY_ROOT)
    root = Root(path)
    root.tf("init", "-backend=false", "-input=false", "-no-color")
    return root


def run_once(root: Root, command: str) -> None:
    root.tf(*COMMANDS[command])


def measure(root: Root, command: str, times: int) -> list[float]:
    """TIMES runs of COMMAND ("plan" or "validate"), each a new `terraform` process."""
    run_once(root, command)  # warm the file cache: every run then starts alike
    return repeat(lambda: run_once(root, command), times)
