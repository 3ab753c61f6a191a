"""checkov: zero failed checks on every module and on the plan of every live root.

The live roots' plans are the plan inventory's (tests/inventory.py): the unit tier's
scenarios, scanned as one plan, with the module examples' optional paths
(test_checkov_optional_paths.py) in the same scan.
"""

import checkov_runner
from inventory import declarations, planned_folders

from lmsops import roots, toolchain

REPO = toolchain.REPO_ROOT
LIVE = roots.live_roots()
NO_REASON = ("", "No comment provided")


def assert_clean(report: checkov_runner.Report) -> None:
    assert report.passed > 0, "checkov evaluated nothing"
    assert not report.failed, "checkov failures:\n" + "\n".join(report.failed)
    unexplained = [s for s in report.skip_reasons if s.split(": ", 1)[1].strip() in NO_REASON]
    assert not unexplained, "skips without a reason:\n" + "\n".join(unexplained)


def test_terraform_code_passes_checkov(checkov_reports):
    assert_clean(checkov_reports["code"])


def test_every_live_root_plan_passes_checkov(inventory, checkov_reports):
    planned = planned_folders(declarations())
    live = [str(root.relative_to(REPO)) for root in LIVE]
    assert len(live) >= 4
    unplanned = [root for root in live if not inventory.planned_ok(planned.get(root, []))]
    assert not unplanned, f"live roots missing from the scanned inventory: {unplanned}"
    assert_clean(checkov_reports["plan"])


def test_checkov_failures_are_reported(tmp_path):
    (tmp_path / "main.tf").write_text('resource "aws_s3_bucket" "open" {\n  bucket = "x"\n}\n')
    report = checkov_runner.run_checkov(["--framework", "terraform", "-d", str(tmp_path)], tmp_path)
    assert report.failed, "an unencrypted, unlogged bucket should fail checkov"
