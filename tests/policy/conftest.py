"""checkov on the code and on the plan inventory (the unit tier's, or built here), once."""

from concurrent.futures import ThreadPoolExecutor

import checkov_runner
import pytest

from lmsops import toolchain

REPO = toolchain.REPO_ROOT
CODE = ["--framework", "terraform", "-d", "modules", "-d", "bootstrap", "-d", "live"]


@pytest.fixture(scope="session")
def checkov_reports(request) -> dict[str, checkov_runner.Report]:
    """checkov's reports on the Terraform code and on the inventory's plan.

    The two scans run side by side (one core each), the code's while the inventory is
    read or built. --repo-root-for-plan-enrichment lets checkov find the skip comments
    next to the resources in the code (it matches them by resource type and name).
    """
    with ThreadPoolExecutor(max_workers=2) as pool:
        code = pool.submit(checkov_runner.run_checkov, CODE, REPO)
        plan_file = request.getfixturevalue("inventory").plan_file
        enrich = ["--repo-root-for-plan-enrichment", str(REPO)]
        args = ["--framework", "terraform_plan", *enrich, "-f", str(plan_file)]
        plan = pool.submit(checkov_runner.run_checkov, args, REPO)
        return {"code": code.result(), "plan": plan.result()}
