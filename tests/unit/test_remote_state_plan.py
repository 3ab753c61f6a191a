"""Plan assertions for modules/remote-state (its examples/basic root, on a copy)."""

from __future__ import annotations

import json

import pytest
from inventory import Scenario
from plan_helpers import one, resources_by_type

EXAMPLE = "modules/remote-state/examples/basic"
NAME = "acme-test-tfstate"
KMS_KEY = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"

INVENTORY = [
    Scenario("remote_state_default", EXAMPLE, {"name": NAME, "s3_use_path_style": False}),
    Scenario(
        "remote_state_kms",
        EXAMPLE,
        {
            "name": NAME,
            "kms_key_arn": KMS_KEY,
            "lock_table_name": "acme_locks.v1",
            "noncurrent_version_expiration_days": 30,
            "abort_incomplete_multipart_upload_days": 3,
            "s3_use_path_style": True,
        },
    ),
    Scenario(
        "remote_state_s3_locking",
        EXAMPLE,
        {"name": NAME, "locking": "s3", "s3_use_path_style": False},
    ),
]


@pytest.fixture(scope="module")
def default_plan(inventory):
    return inventory.plan("remote_state_default")


@pytest.fixture(scope="module")
def kms_plan(inventory):
    return inventory.plan("remote_state_kms")


def module_resource_config(plan_output, address: str) -> dict:
    """The configuration block of ADDRESS inside module.remote_state."""
    module = plan_output.configuration["root_module"]["module_calls"]["remote_state"]["module"]
    return next(r for r in module["resources"] if r["address"] == address)


def test_bucket_is_versioned_private_and_owner_enforced(default_plan):
    bucket = one(default_plan, "aws_s3_bucket")
    assert bucket["bucket"] == NAME
    assert bucket["force_destroy"] is False

    versioning = one(default_plan, "aws_s3_bucket_versioning")
    assert versioning["versioning_configuration"][0]["status"] == "Enabled"

    access_block = one(default_plan, "aws_s3_bucket_public_access_block")
    for flag in (
        "block_public_acls",
        "block_public_policy",
        "ignore_public_acls",
        "restrict_public_buckets",
    ):
        assert access_block[flag] is True, flag

    ownership = one(default_plan, "aws_s3_bucket_ownership_controls")
    assert ownership["rule"][0]["object_ownership"] == "BucketOwnerEnforced"


def test_bucket_default_encryption_is_sse_s3(default_plan):
    rule = one(default_plan, "aws_s3_bucket_server_side_encryption_configuration")["rule"][0]
    default = rule["apply_server_side_encryption_by_default"][0]
    assert default["sse_algorithm"] == "AES256"
    assert not default["kms_master_key_id"]  # no key: S3 managed keys
    assert rule["bucket_key_enabled"] is False


def test_bucket_policy_denies_every_non_tls_request(default_plan):
    policy = json.loads(one(default_plan, "aws_s3_bucket_policy")["policy"])
    [statement] = policy["Statement"]
    assert statement["Effect"] == "Deny"
    assert statement["Principal"] == "*"
    assert statement["Action"] == "s3:*"
    assert sorted(statement["Resource"]) == [
        f"arn:aws:s3:::{NAME}",
        f"arn:aws:s3:::{NAME}/*",
    ]
    assert statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_bucket_policy_is_written_after_the_public_access_block(default_plan):
    config = module_resource_config(default_plan, "aws_s3_bucket_policy.state")
    assert "aws_s3_bucket_public_access_block.state" in config["depends_on"]
    # Noncurrent-version rules mean something only once versioning is on.
    lifecycle = module_resource_config(default_plan, "aws_s3_bucket_lifecycle_configuration.state")
    assert "aws_s3_bucket_versioning.state" in lifecycle["depends_on"]


def test_lifecycle_expires_noncurrent_versions_and_aborts_uploads(default_plan):
    [rule] = one(default_plan, "aws_s3_bucket_lifecycle_configuration")["rule"]
    assert rule["status"] == "Enabled"
    assert rule["noncurrent_version_expiration"][0]["noncurrent_days"] == 90
    assert rule["abort_incomplete_multipart_upload"][0]["days_after_initiation"] == 7
    assert rule["expiration"][0]["expired_object_delete_marker"] is True
    [rule_filter] = rule["filter"]
    # An empty filter: the rule covers every object (all state keys), not a prefix or tag.
    assert not rule_filter.get("prefix")
    assert not rule_filter.get("tag")
    assert not rule_filter.get("and")


def test_lock_table_properties(default_plan):
    table = one(default_plan, "aws_dynamodb_table")
    assert table["name"] == f"{NAME}-lock"
    assert table["billing_mode"] == "PAY_PER_REQUEST"
    assert table["hash_key"] == "LockID"
    assert table["attribute"] == [{"name": "LockID", "type": "S"}]
    assert table["point_in_time_recovery"][0]["enabled"] is True
    assert table["server_side_encryption"][0]["enabled"] is True
    assert not table["server_side_encryption"][0].get("kms_key_arn")  # AWS managed key
    assert table["deletion_protection_enabled"] is True


def test_backend_config_names_bucket_table_and_encryption_but_no_key(default_plan):
    assert default_plan.outputs["backend_config"] == (
        f'bucket         = "{NAME}"\n'
        'region         = "us-east-1"\n'
        "encrypt        = true\n"
        f'dynamodb_table = "{NAME}-lock"\n'
    )


def test_kms_key_switches_bucket_and_table_to_kms(kms_plan):
    rule = one(kms_plan, "aws_s3_bucket_server_side_encryption_configuration")["rule"][0]
    default = rule["apply_server_side_encryption_by_default"][0]
    assert default["sse_algorithm"] == "aws:kms"
    assert default["kms_master_key_id"] == KMS_KEY
    assert rule["bucket_key_enabled"] is True

    table = one(kms_plan, "aws_dynamodb_table")
    assert table["name"] == "acme_locks.v1"
    assert table["server_side_encryption"][0] == {"enabled": True, "kms_key_arn": KMS_KEY}


def test_lifecycle_days_follow_inputs(kms_plan):
    [rule] = one(kms_plan, "aws_s3_bucket_lifecycle_configuration")["rule"]
    assert rule["noncurrent_version_expiration"][0]["noncurrent_days"] == 30
    assert rule["abort_incomplete_multipart_upload"][0]["days_after_initiation"] == 3


def test_backend_config_carries_kms_key_and_path_style(kms_plan):
    assert kms_plan.outputs["backend_config"] == (
        f'bucket         = "{NAME}"\n'
        'region         = "us-east-1"\n'
        "encrypt        = true\n"
        f'kms_key_id     = "{KMS_KEY}"\n'
        'dynamodb_table = "acme_locks.v1"\n'
        "use_path_style = true\n"
    )


def test_s3_locking_creates_no_table_and_uses_lockfile(inventory):
    planned = inventory.plan("remote_state_s3_locking")
    assert resources_by_type(planned, "aws_dynamodb_table") == []
    assert planned.outputs["backend_config"] == (
        f'bucket         = "{NAME}"\n'
        'region         = "us-east-1"\n'
        "encrypt        = true\n"
        "use_lockfile   = true\n"
    )
