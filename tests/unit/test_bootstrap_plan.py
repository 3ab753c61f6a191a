"""Plan assertions for bootstrap/ with its committed terraform.tfvars (on a copy).

Bad input: test_bootstrap_bad_input.py.
"""

from __future__ import annotations

import json

import pytest
from inventory import Scenario
from plan_helpers import one, resources_by_type

BOOTSTRAP = "bootstrap"
BUCKET = "acme-lms-tfstate-4f2a9c1e"  # committed in bootstrap/terraform.tfvars
KMS_KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"

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
    Scenario(
        "bootstrap_kms",
        BOOTSTRAP,
        {
            "s3_use_path_style": False,
            "state_kms_key_arn": KMS_KEY,
            "state_noncurrent_version_expiration_days": 30,
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


def test_bootstrap_state_bucket_is_versioned_private_encrypted_and_tls_only(bootstrap_plan):
    versioning = one(bootstrap_plan, "aws_s3_bucket_versioning")
    assert versioning["versioning_configuration"][0]["status"] == "Enabled"
    block = one(bootstrap_plan, "aws_s3_bucket_public_access_block")
    flags = ("block_public_acls", "block_public_policy", "ignore_public_acls")
    assert all(block[flag] is True for flag in (*flags, "restrict_public_buckets"))
    (rule,) = one(bootstrap_plan, "aws_s3_bucket_server_side_encryption_configuration")["rule"]
    assert rule["apply_server_side_encryption_by_default"][0]["sse_algorithm"] == "AES256"
    (statement,) = json.loads(one(bootstrap_plan, "aws_s3_bucket_policy")["policy"])["Statement"]
    assert (statement["Effect"], statement["Principal"]) == ("Deny", "*")
    assert statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    (lifecycle,) = one(bootstrap_plan, "aws_s3_bucket_lifecycle_configuration")["rule"]
    assert lifecycle["noncurrent_version_expiration"][0]["noncurrent_days"] == 90
    table = one(bootstrap_plan, "aws_dynamodb_table")
    assert table["point_in_time_recovery"][0]["enabled"] is True
    assert table["deletion_protection_enabled"] is True


def test_bootstrap_tags_everything_as_the_shared_lms_foundation(bootstrap_plan):
    expected = {"Project": "lms", "Environment": "shared", "ManagedBy": "terraform"}
    for rtype in ("aws_s3_bucket", "aws_dynamodb_table", "aws_route53_zone"):
        assert one(bootstrap_plan, rtype)["tags_all"] == expected, rtype


def test_bootstrap_passes_its_key_and_retention_to_the_remote_state(inventory):
    planned = inventory.plan("bootstrap_kms")
    (rule,) = one(planned, "aws_s3_bucket_server_side_encryption_configuration")["rule"]
    default = rule["apply_server_side_encryption_by_default"][0]
    assert (default["sse_algorithm"], default["kms_master_key_id"]) == ("aws:kms", KMS_KEY)
    table = one(planned, "aws_dynamodb_table")
    assert table["server_side_encryption"][0] == {"enabled": True, "kms_key_arn": KMS_KEY}
    (lifecycle,) = one(planned, "aws_s3_bucket_lifecycle_configuration")["rule"]
    assert lifecycle["noncurrent_version_expiration"][0]["noncurrent_days"] == 30
    assert planned.outputs["backend_config"] == (
        f'bucket         = "{BUCKET}"\n'
        'region         = "us-east-1"\n'
        "encrypt        = true\n"
        f'kms_key_id     = "{KMS_KEY}"\n'
        f'dynamodb_table = "{BUCKET}-lock"\n'
    )
