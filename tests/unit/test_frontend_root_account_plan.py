"""live/<env>/frontend: both providers (site region and us-east-1) honour the account guard."""

from __future__ import annotations

import boto3
import pytest
from plan_helpers import plan, plan_error, resources_by_type

ZONE = "frontend-account-plan.test"
EMULATOR_ACCOUNT = "123456789012"


@pytest.fixture(scope="module")
def zone(emulator) -> str:
    route53 = boto3.client("route53")
    existing = route53.list_hosted_zones_by_name(DNSName=f"{ZONE}.", MaxItems="1")
    if not any(z["Name"] == f"{ZONE}." for z in existing["HostedZones"]):
        route53.create_hosted_zone(Name=ZONE, CallerReference="test_frontend_root_account")
    return ZONE


def test_a_wrong_account_is_refused(zone, repo_copy):
    error = plan_error(
        repo_copy / "live/dev/frontend",
        {"zone_name": zone, "allowed_account_ids": ["210987654321"]},
    )
    assert f"AWS account ID not allowed: {EMULATOR_ACCOUNT}" in error, error


def test_the_right_account_through_an_assumed_role_plans(zone, repo_copy):
    guarded = {
        "zone_name": zone,
        "domain_name": zone,  # the root refuses a site domain outside its zone
        "allowed_account_ids": [EMULATOR_ACCOUNT],
        "assume_role_arn": f"arn:aws:iam::{EMULATOR_ACCOUNT}:role/lms-deploy",
    }
    planned = plan(repo_copy / "live/prod/frontend", guarded)
    site = [b for b in resources_by_type(planned, "aws_s3_bucket") if b["bucket"] == zone]
    assert len(site) == 1
