"""Plan assertions for bootstrap/ with its committed terraform.tfvars (on a copy).

Bad input: test_bootstrap_bad_input.py.
"""

from __future__ import annotations

import pytest
from inventory import Scenario
from plan_helpers import one, resources_by_type

BOOTSTRAP = "bootstrap"
BUCKET = "acme-lms-tfstate-4f2a9c1e"  # committed in bootstrap/terraform.tfvars

INVENTORY = [
    Scenario("bootstrap_committed", BOOTSTRAP, {"s3_use_path_style": True}),
    Scenario(
        "bootstrap_s3_locking_two_zones",
        BOOTSTRAP,
        {
            "locking": "s3",
            "s3_use_path_style": False,
            "hosted_zones": ["acme-lms.com", "acme-learning.org"],
        },
    ),
]


@pytest.fixture(scope="module")
def bootstrap_plan(inventory):
    return inventory.plan("bootstrap_committed")


def test_bootstrap_creates_remote_state_from_committed_tfvars(bootstrap_plan):
    assert one(bootstrap_plan, "aws_s3_bucket")["bucket"] == BUCKET
    table = one(bootstrap_plan, "aws_dynamodb_table")
    assert table["name"] == f"{BUCKET}-lock"
    assert table["hash_key"] == "LockID"
    for rtype in (
        "aws_s3_bucket_versioning",
        "aws_s3_bucket_server_side_encryption_configuration",
        "aws_s3_bucket_public_access_block",
        "aws_s3_bucket_ownership_controls",
        "aws_s3_bucket_policy",
        "aws_s3_bucket_lifecycle_configuration",
    ):
        assert len(resources_by_type(bootstrap_plan, rtype)) == 1, rtype


def test_bootstrap_creates_the_public_hosted_zone(bootstrap_plan):
    zone = one(bootstrap_plan, "aws_route53_zone")
    assert zone["name"] == "acme-lms.com"
    assert zone["vpc"] == []  # public: not associated with any VPC


def test_bootstrap_backend_config_for_live_roots(bootstrap_plan):
    assert bootstrap_plan.outputs["backend_config"] == (
        f'bucket         = "{BUCKET}"\n'
        'region         = "us-east-1"\n'
        "encrypt        = true\n"
        f'dynamodb_table = "{BUCKET}-lock"\n'
        "use_path_style = true\n"
    )


def test_bootstrap_s3_locking_and_several_zones(inventory):
    planned = inventory.plan("bootstrap_s3_locking_two_zones")
    assert resources_by_type(planned, "aws_dynamodb_table") == []
    zones = sorted(z["name"] for z in resources_by_type(planned, "aws_route53_zone"))
    assert zones == ["acme-learning.org", "acme-lms.com"]
    assert planned.outputs["backend_config"] == (
        f'bucket         = "{BUCKET}"\n'
        'region         = "us-east-1"\n'
        "encrypt        = true\n"
        "use_lockfile   = true\n"
    )
