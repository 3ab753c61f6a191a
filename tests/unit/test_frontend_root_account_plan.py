"""live/<env>/frontend: both providers (site region and us-east-1) honour the account guard."""

from __future__ import annotations

from inventory import Failures, Scenario
from plan_helpers import BadInput, Harness, resources_by_type

ZONE = "frontend-account-plan.test"
EMULATOR_ACCOUNT = "123456789012"

INVENTORY = [
    Failures(
        "frontend_account",
        Harness(source="live/dev/frontend", base={"zone_name": ZONE}),
        [
            BadInput(
                "wrong-account",
                {"allowed_account_ids": ["210987654321"]},
                f"AWS account ID not allowed: {EMULATOR_ACCOUNT}",
            )
        ],
        zones=(ZONE,),
    ),
    Scenario(
        "frontend_prod_assumed_role",
        "live/prod/frontend",
        {
            "zone_name": ZONE,
            "domain_name": ZONE,  # the root refuses a site domain outside its zone
            "allowed_account_ids": [EMULATOR_ACCOUNT],
            "assume_role_arn": f"arn:aws:iam::{EMULATOR_ACCOUNT}:role/lms-deploy",
        },
        zones=(ZONE,),
    ),
]


def test_a_wrong_account_is_refused(inventory):
    error = inventory.error("frontend_account", "wrong-account")
    assert f"AWS account ID not allowed: {EMULATOR_ACCOUNT}" in error, error


def test_the_right_account_through_an_assumed_role_plans(inventory):
    planned = inventory.plan("frontend_prod_assumed_role")
    site = [b for b in resources_by_type(planned, "aws_s3_bucket") if b["bucket"] == ZONE]
    assert len(site) == 1
