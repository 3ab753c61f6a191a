"""bootstrap/ applied on the emulator: no drift, every state property in place, protected."""

from __future__ import annotations

import json

import boto3
import pytest

from lmsops import environment


@pytest.fixture(scope="module")
def bootstrap_root(bootstrapped):
    """The already initialised and applied bootstrap root (same data dir and local state)."""
    return environment.bootstrap_root(bootstrapped.repo, bootstrapped.state_file.parent)


@pytest.fixture(scope="module")
def bucket(bootstrapped) -> str:
    return bootstrapped.outputs["state_bucket_name"]


@pytest.fixture(scope="module")
def table(bootstrapped) -> str:
    return bootstrapped.outputs["lock_table_name"]


def test_bootstrap_replan_has_no_changes(bootstrap_root):
    proc = bootstrap_root.plan(detailed_exitcode=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_state_bucket_is_versioned_encrypted_and_private(bucket):
    s3 = boto3.client("s3")
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"

    [rule] = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"]
    assert rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"

    block = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
    assert block == {
        "BlockPublicAcls": True,
        "IgnorePublicAcls": True,
        "BlockPublicPolicy": True,
        "RestrictPublicBuckets": True,
    }

    [ownership] = s3.get_bucket_ownership_controls(Bucket=bucket)["OwnershipControls"]["Rules"]
    assert ownership["ObjectOwnership"] == "BucketOwnerEnforced"


def test_state_bucket_policy_denies_non_tls_requests(bucket):
    policy = json.loads(boto3.client("s3").get_bucket_policy(Bucket=bucket)["Policy"])
    [statement] = policy["Statement"]
    assert statement["Effect"] == "Deny"
    assert statement["Principal"] == "*"
    assert statement["Action"] == "s3:*"
    assert sorted(statement["Resource"]) == [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"]
    assert statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_state_bucket_lifecycle_expires_old_versions_and_aborts_uploads(bucket):
    rules = boto3.client("s3").get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]
    [rule] = rules
    assert rule["Status"] == "Enabled"
    assert rule["NoncurrentVersionExpiration"]["NoncurrentDays"] == 90
    assert rule["AbortIncompleteMultipartUpload"]["DaysAfterInitiation"] == 7
    assert rule["Expiration"] == {"ExpiredObjectDeleteMarker": True}
    assert rule["Filter"].get("Prefix", "") == ""  # the whole bucket


def test_lock_table_key_billing_encryption_and_protection(table):
    dynamodb = boto3.client("dynamodb")
    desc = dynamodb.describe_table(TableName=table)["Table"]
    assert desc["KeySchema"] == [{"AttributeName": "LockID", "KeyType": "HASH"}]
    assert desc["AttributeDefinitions"] == [{"AttributeName": "LockID", "AttributeType": "S"}]
    assert desc["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert desc["SSEDescription"]["Status"] == "ENABLED"
    assert desc["SSEDescription"]["SSEType"] == "KMS"
    assert desc["DeletionProtectionEnabled"] is True

    backups = dynamodb.describe_continuous_backups(TableName=table)["ContinuousBackupsDescription"]
    assert backups["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "ENABLED"


def test_public_hosted_zone_exists_with_its_name_servers(bootstrapped):
    route53 = boto3.client("route53")
    zone_id = bootstrapped.outputs["hosted_zone_ids"]["acme-lms.com"]
    zone = route53.get_hosted_zone(Id=zone_id)
    assert zone["HostedZone"]["Name"] == "acme-lms.com."
    assert zone["HostedZone"]["Config"]["PrivateZone"] is False
    assert sorted(zone["DelegationSet"]["NameServers"]) == sorted(
        bootstrapped.outputs["name_servers"]["acme-lms.com"]
    )


def test_destroy_is_refused_and_nothing_is_deleted(bootstrapped, bootstrap_root, bucket, table):
    proc = bootstrap_root.tf("plan", "-destroy", "-no-color", "-input=false", check=False)
    output = " ".join((proc.stdout + proc.stderr).split())
    assert proc.returncode != 0
    assert "Instance cannot be destroyed" in output
    # The refusal names each protected resource; a bare address would also match the
    # plan's own "will be destroyed" line, which appears whether or not destroy is refused.
    for address in (
        "module.remote_state.aws_s3_bucket.state",
        "module.remote_state.aws_dynamodb_table.lock[0]",
        'aws_route53_zone.public["acme-lms.com"]',
    ):
        assert f"Resource {address} has lifecycle.prevent_destroy set" in output, address
    boto3.client("s3").head_bucket(Bucket=bucket)
    boto3.client("dynamodb").describe_table(TableName=table)
    zone_id = bootstrapped.outputs["hosted_zone_ids"]["acme-lms.com"]
    boto3.client("route53").get_hosted_zone(Id=zone_id)


def test_backend_config_file_has_no_key(bootstrapped, bucket, table):
    settings = dict(
        (part.strip() for part in line.split("=", 1))
        for line in bootstrapped.backend_config.read_text().splitlines()
    )
    assert settings == {
        "bucket": f'"{bucket}"',
        "region": '"us-east-1"',
        "encrypt": "true",
        "dynamodb_table": f'"{table}"',
        "use_path_style": "true",
    }
