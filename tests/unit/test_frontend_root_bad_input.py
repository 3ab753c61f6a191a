"""live/_stacks/frontend refuses what only the root knows, naming the root's variable.

The committed dev and prod values, in a zone of the test's own, are the base (the
root plan tests plan them as they are); each case changes them. Every case is one
instance of the stack in the plan inventory's failures root (tests/inventory.py).
How to add a case: tests/lint/test_validation_coverage.py.
"""

from __future__ import annotations

import pytest
from inventory import Failures
from plan_helpers import (
    BadInput,
    Harness,
    assert_case,
    case_params,
    committed_tfvars,
)

from lmsops.toolchain import REPO_ROOT

ZONE = "frontend-bad-input.example"
DEV = {
    **committed_tfvars(REPO_ROOT / "live/dev/frontend/terraform.tfvars"),
    "zone_name": ZONE,
    "domain_name": f"dev.{ZONE}",
}
PROD = {
    **committed_tfvars(REPO_ROOT / "live/prod/frontend/terraform.tfvars"),
    "zone_name": ZONE,
    "domain_name": ZONE,
}
HARNESS = Harness(source="live/_stacks/frontend", base=DEV, header="")
ACCOUNT_IDS = "allowed_account_ids must hold 12-digit AWS account IDs"
ROLE = "assume_role_arn must be null or an IAM role ARN"
EMULATOR_ACCOUNT = "123456789012"
# 253 characters (the DNS limit): four labels of at most 63 and a top-level domain.
LONGEST_DOMAIN = ".".join(["a" * 63, "b" * 63, "c" * 63, "d" * 57, "com"])
ZONE_NAME = "zone_name must be the hosted zone's domain name in lower case without a trailing dot"

CASES = [
    BadInput("good-prod", PROD, None),
    BadInput("region-typo", {"region": "eu-west-l"}, "region must be an AWS Region code"),
    BadInput(
        "certificate-region",
        {"certificate_region": "eu-west-1"},
        "certificate_region must be us-east-1",
    ),
    BadInput("environment-staging", {"environment": "staging"}, "environment must be dev or prod"),
    BadInput("zone-name-trailing-dot", {"zone_name": f"{ZONE}."}, ZONE_NAME),
    BadInput("zone-name-too-long", {"zone_name": "z" + LONGEST_DOMAIN}, ZONE_NAME),
    BadInput(
        "zone-missing",
        {"zone_name": "missing-zone.example", "domain_name": "dev.missing-zone.example"},
        "must name exactly one public hosted zone of this account",
    ),
    BadInput(
        "domain-outside-zone", {"domain_name": "dev.other-lms.example"}, "must be inside zone_name"
    ),
    BadInput(
        "prod-force-destroy", {**PROD, "force_destroy": True}, "force_destroy must be false in prod"
    ),
    BadInput(
        "prod-without-versioning",
        {**PROD, "versioning_enabled": False},
        "versioning_enabled must be true in prod",
    ),
    BadInput("account-id-11-digits", {"allowed_account_ids": ["12345678901"]}, ACCOUNT_IDS),
    BadInput("account-id-13-digits", {"allowed_account_ids": ["1234567890123"]}, ACCOUNT_IDS),
    BadInput("account-id-alias", {"allowed_account_ids": ["lms-prod"]}, ACCOUNT_IDS),
    BadInput("role-name-not-arn", {"assume_role_arn": "lms-deploy"}, ROLE),
    BadInput(
        "role-arn-of-a-user", {"assume_role_arn": f"arn:aws:iam::{EMULATOR_ACCOUNT}:user/lms"}, ROLE
    ),
    BadInput(
        "account-guard-edges",
        {
            "allowed_account_ids": [EMULATOR_ACCOUNT],
            "assume_role_arn": f"arn:aws:iam::{EMULATOR_ACCOUNT}:role/lms-deploy",
        },
        None,
    ),
    # What a module checks is reported with the same name the root uses.
    BadInput(
        "redirect-www-of-www",
        {"domain_name": f"www.{ZONE}", "redirect_www": True},
        "redirect_www must be false when domain_name already starts with www.",
    ),
]


INVENTORY = [Failures("frontend_root", HARNESS, CASES, zones=(ZONE,))]


@pytest.fixture(scope="module")
def errors(inventory):
    return inventory.errors("frontend_root")


@pytest.mark.parametrize("case", case_params(CASES))
def test_rule(errors, case):
    assert_case(errors, case)
