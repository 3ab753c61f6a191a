"""The floor: `terraform validate` of an empty root that only requires hashicorp/aws.

Validate loads the provider's schema and nothing else, so no test of a root
can be faster: it is the unit the feedback loop's overhead is measured in.
Section 1 (floor_section) reports it; the run's Context measures it on demand.
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


def measure(root: Root, times: int) -> list[float]:
    validate_once(root)  # warm the file cache: every run then starts alike
    return repeat(lambda: validate_once(root), times)
