"""Plan assertions for bootstrap/ with its committed terraform.tfvars (on a copy)."""

from __future__ import annotations

import pytest

from lmsops.testing import grouped_plan_errors, one, plan, resources_by_type

BOOTSTRAP = "bootstrap"
BUCKET = "acme-lms-tfstate-4f2a9c1e"  # committed in bootstrap/terraform.tfvars


@pytest.fixture(scope="module")
def bootstrap_plan(emulator, repo_copy):
    return plan(repo_copy / BOOTSTRAP, {"s3_use_path_style": True})


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


def test_bootstrap_s3_locking_and_several_zones(emulator, repo_copy):
    planned = plan(
        repo_copy / BOOTSTRAP,
        {
            "locking": "s3",
            "s3_use_path_style": False,
            "hosted_zones": ["acme-lms.com", "acme-learning.org"],
        },
    )
    assert resources_by_type(planned, "aws_dynamodb_table") == []
    zones = sorted(z["name"] for z in resources_by_type(planned, "aws_route53_zone"))
    assert zones == ["acme-learning.org", "acme-lms.com"]
    assert planned.outputs["backend_config"] == (
        f'bucket         = "{BUCKET}"\n'
        'region         = "us-east-1"\n'
        "encrypt        = true\n"
        "use_lockfile   = true\n"
    )


# Terraform reports every failed validation of one run, so the cases are planned in a
# few groups (one bad value per variable per group) instead of one plan per case.
BAD_INPUT = [
    pytest.param(1, {"region": "US East"}, "region must be an AWS region name", id="region"),
    pytest.param(
        1,
        {"state_bucket_name": "Acme_TFState"},
        "state_bucket_name must be 3-63 characters",
        id="state-bucket-name",
    ),
    pytest.param(1, {"locking": "postgres"}, 'locking must be "dynamodb"', id="locking"),
    pytest.param(
        1,
        {"state_kms_key_arn": "alias/terraform-state"},
        "state_kms_key_arn must be null or a KMS key ARN",
        id="state-kms-key-arn",
    ),
    pytest.param(
        1,
        {"state_noncurrent_version_expiration_days": 0},
        "state_noncurrent_version_expiration_days must be a whole number of days, at least 1",
        id="noncurrent-days",
    ),
    pytest.param(
        1,
        {"hosted_zones": ["acme-lms.com."]},
        "hosted_zones must list at least one domain name",
        id="hosted-zones-format",
    ),
    pytest.param(
        2, {"hosted_zones": []}, "hosted_zones must list at least one", id="hosted-zones-empty"
    ),
    pytest.param(
        3,
        {"hosted_zones": ["acme-lms.com", "acme-lms.com"]},
        "hosted_zones must not list the same domain twice",
        id="hosted-zones-duplicate",
    ),
]


@pytest.fixture(scope="module")
def group_errors(emulator, repo_copy):
    return grouped_plan_errors(repo_copy / BOOTSTRAP, BAD_INPUT)


@pytest.mark.parametrize(("group", "bad_vars", "message"), BAD_INPUT)
def test_bootstrap_bad_input_names_the_variable(group_errors, group, bad_vars, message):
    error = group_errors(group)
    assert message in error, f"{bad_vars} was not rejected with {message!r}:\n{error}"
