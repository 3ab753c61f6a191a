"""live/_stacks/backend refuses what only the root knows, naming the root's variable.

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

ZONE = "backend-bad-input.example"
DEV = {
    **committed_tfvars(REPO_ROOT / "live/dev/backend/terraform.tfvars"),
    "zone_name": ZONE,
    "domain_name": f"api.dev.{ZONE}",
}
PROD = {
    **committed_tfvars(REPO_ROOT / "live/prod/backend/terraform.tfvars"),
    "zone_name": ZONE,
    "domain_name": f"api.{ZONE}",
}
HARNESS = Harness(source="live/_stacks/backend", base=DEV, header="")
ACCOUNT_IDS = "allowed_account_ids must hold 12-digit AWS account IDs"
ROLE = "assume_role_arn must be null or an IAM role ARN"
EMULATOR_ACCOUNT = "123456789012"
# 253 characters (the DNS limit): four labels of at most 63 and a top-level domain.
LONGEST_DOMAIN = ".".join(["a" * 63, "b" * 63, "c" * 63, "d" * 57, "com"])
ZONE_NAME = "zone_name must be the hosted zone's domain name in lower case without a trailing dot"
ROLLING = "make one rolling deploy step take up to"

CASES = [
    BadInput("region-typo", {"region": "us-esat-1"}, "region must be an AWS Region code"),
    BadInput("environment-staging", {"environment": "staging"}, "environment must be dev or prod"),
    BadInput("zone-name-trailing-dot", {"zone_name": f"{ZONE}."}, ZONE_NAME),
    BadInput("zone-name-too-long", {"zone_name": "z" + LONGEST_DOMAIN}, ZONE_NAME),
    BadInput("zone-name-upper-case", {"zone_name": "Backend-Bad-Input.example"}, ZONE_NAME),
    BadInput(
        "zone-missing",
        {"zone_name": "missing-zone.example", "domain_name": "api.missing-zone.example"},
        "must name exactly one public hosted zone of this account",
    ),
    BadInput(
        "domain-outside-zone", {"domain_name": "api.other-lms.example"}, "must be inside zone_name"
    ),
    BadInput(
        "domain-suffix-not-subdomain", {"domain_name": f"api-{ZONE}"}, "must be inside zone_name"
    ),
    BadInput(
        "prod-without-deletion-protection",
        {**PROD, "deletion_protection": False},
        "deletion_protection must be true in prod",
    ),
    BadInput(
        "prod-force-deletes-images",
        {**PROD, "ecr_force_delete": True},
        "ecr_force_delete must be false in prod",
    ),
    BadInput(
        "port-differs-from-container-port",
        {"container_port": 8080},
        "must equal container_port",
    ),
    # 10 s x 2 + 30 s + grace: dev must stay under 90 s, prod (10 s x 3 + 30 s + grace) under 120 s.
    BadInput("dev-rolling-deploy-90s", {"health_check_grace_period_seconds": 40}, ROLLING),
    BadInput("dev-rolling-deploy-89s", {"health_check_grace_period_seconds": 39}, None),
    BadInput(
        "prod-rolling-deploy-120s", {**PROD, "health_check_grace_period_seconds": 60}, ROLLING
    ),
    BadInput("prod-rolling-deploy-119s", {**PROD, "health_check_grace_period_seconds": 59}, None),
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
    BadInput(
        "prod-exec-without-override",
        {**PROD, "enable_execute_command": True},
        "enable_execute_command is refused in prod",
    ),
    BadInput(
        "prod-exec-with-override",
        {**PROD, "enable_execute_command": True, "allow_execute_command_in_prod": True},
        None,
    ),
    BadInput("dev-exec", {"enable_execute_command": True}, None),
    # What a module checks is reported with the same name the root uses.
    BadInput(
        "cpu-target-as-ratio",
        {"cpu_target_value": 0.7},
        "cpu_target_value must be null or a percentage from 1 to 100",
    ),
]


INVENTORY = [Failures("backend_root", HARNESS, CASES, zones=(ZONE,))]


@pytest.fixture(scope="module")
def errors(inventory):
    return inventory.errors("backend_root")


@pytest.mark.parametrize("case", case_params(CASES))
def test_rule(errors, case):
    assert_case(errors, case)
