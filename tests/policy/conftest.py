"""checkov on the plan inventory the unit tier built (built here if absent), once."""

import checkov_runner
import pytest

from lmsops import toolchain


@pytest.fixture(scope="session")
def inventory_checkov(inventory) -> checkov_runner.Report:
    """checkov's report on the inventory's plan: every scenario's resources, one scan.

    --repo-root-for-plan-enrichment lets checkov find the skip comments next to the
    resources in the code (it matches them by resource type and name).
    """
    repo = str(toolchain.REPO_ROOT)
    args = ["--framework", "terraform_plan", "--repo-root-for-plan-enrichment", repo]
    return checkov_runner.run_checkov([*args, "-f", str(inventory.plan_file)], toolchain.REPO_ROOT)
