"""Terraform's S3 backend reaches the emulator through AWS_ENDPOINT_URL + AWS_CA_BUNDLE only.

The state bucket carries the TLS-only Deny policy, so this also proves the policy is
evaluated (HTTPS passes) rather than dropped. The root has no resources, so no provider
is needed and the test stays fast.
"""

from __future__ import annotations

import json
import uuid

import boto3
import pytest

from lmsops import toolchain

ROOT = """
terraform {
  backend "s3" {}
}

output "greeting" {
  value = "hello"
}
"""


@pytest.fixture
def state_backend(emulator):
    """A versioned bucket with a TLS-only policy and a lock table; returns (bucket, table)."""
    suffix = uuid.uuid4().hex[:10]
    bucket, table = f"tfstate-{suffix}", f"tflock-{suffix}"
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket=bucket)
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    deny_insecure = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "DenyInsecureTransport",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            }
        ],
    }
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(deny_insecure))
    boto3.client("dynamodb").create_table(
        TableName=table,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "LockID", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "LockID", "KeyType": "HASH"}],
    )
    return bucket, table


def test_s3_backend_with_dynamodb_locking_on_the_emulator(tmp_path, state_backend):
    bucket, table = state_backend
    (tmp_path / "main.tf").write_text(ROOT)
    env = toolchain.terraform_env()
    assert not any(name.startswith("AWS_ENDPOINT_URL_") and env[name] for name in env)

    toolchain.run(
        [
            "init",
            "-no-color",
            f"-backend-config=bucket={bucket}",
            "-backend-config=key=probe/terraform.tfstate",
            "-backend-config=region=us-east-1",
            "-backend-config=use_path_style=true",
            f"-backend-config=dynamodb_table={table}",
        ],
        cwd=tmp_path,
        env=env,
    )
    toolchain.run(["apply", "-auto-approve", "-no-color"], cwd=tmp_path, env=env)

    body = boto3.client("s3").get_object(Bucket=bucket, Key="probe/terraform.tfstate")["Body"]
    state = json.loads(body.read())
    assert state["outputs"]["greeting"]["value"] == "hello"
    lock_ids = [
        item["LockID"]["S"] for item in boto3.client("dynamodb").scan(TableName=table)["Items"]
    ]
    # Only the state digest stays; the lock itself was released.
    assert lock_ids == [f"{bucket}/probe/terraform.tfstate-md5"]
