"""S3 gap fills (lmsops.emulator.gaps.s3): bucket-policy conditions, anonymous requests,
delete markers.
"""

from __future__ import annotations

import json

import boto3
import pytest
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError
from emulator_helpers import unique

from lmsops.emulator.gaps.s3 import (
    bucket_policy_permission,
    condition_values_for,
    null_condition_holds,
)


def secure_transport_policy(bucket: str, secure_transport: str) -> str:
    """Deny every S3 action to everyone when aws:SecureTransport equals SECURE_TRANSPORT."""
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "DenyBySecureTransport",
                    "Effect": "Deny",
                    "Principal": "*",
                    "Action": "s3:*",
                    "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
                    "Condition": {"Bool": {"aws:SecureTransport": secure_transport}},
                }
            ],
        }
    )


@pytest.fixture
def bucket_with_object(emulator):
    s3 = boto3.client("s3")
    bucket = unique("tls")
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="state", Body=b"serial 1")
    return s3, bucket


def test_tls_only_bucket_policy_lets_https_requests_through(bucket_with_object):
    s3, bucket = bucket_with_object
    s3.put_bucket_policy(Bucket=bucket, Policy=secure_transport_policy(bucket, "false"))

    assert s3.get_object(Bucket=bucket, Key="state")["Body"].read() == b"serial 1"
    s3.put_object(Bucket=bucket, Key="state", Body=b"serial 2")
    assert s3.get_object(Bucket=bucket, Key="state")["Body"].read() == b"serial 2"
    assert json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])["Statement"][0]["Effect"] == (
        "Deny"
    )


def test_bucket_policy_denying_secure_transport_still_denies_https(bucket_with_object):
    s3, bucket = bucket_with_object
    s3.put_bucket_policy(Bucket=bucket, Policy=secure_transport_policy(bucket, "true"))

    with pytest.raises(ClientError) as error:
        s3.get_object(Bucket=bucket, Key="state")
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert error.value.response["Error"]["Code"] == "AccessDenied"


@pytest.mark.parametrize(
    ("scheme", "expected"),
    [("http", "DENIED"), ("https", "NEUTRAL")],
)
def test_tls_only_policy_evaluation_depends_on_the_connection(scheme, expected):
    policy = json.loads(secure_transport_policy("state", "false"))
    values = condition_values_for({"wsgi.url_scheme": scheme})

    result = bucket_policy_permission(policy, "s3:GetObject", "arn:aws:s3:::state/key", values)
    assert result.name == expected


@pytest.fixture
def public_site(emulator):
    """A website bucket as the s3-website module makes it: public GetObject only."""
    s3 = boto3.client("s3")
    bucket = unique("site")
    s3.create_bucket(Bucket=bucket)
    s3.put_bucket_ownership_controls(
        Bucket=bucket, OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
    )
    s3.put_public_access_block(
        Bucket=bucket,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": False,
            "RestrictPublicBuckets": False,
        },
    )
    public_read = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{bucket}/*",
            }
        ],
    }
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(public_read))
    s3.put_object(Bucket=bucket, Key="index.html", Body=b"<h1>hi</h1>", ContentType="text/html")
    anonymous = boto3.client(
        "s3", config=Config(signature_version=UNSIGNED, s3={"addressing_style": "path"})
    )
    return s3, anonymous, bucket


def error_code(call) -> str:
    with pytest.raises(ClientError) as error:
        call()
    return error.value.response["Error"]["Code"]


def test_anonymous_reads_follow_the_public_read_policy(public_site):
    _, anonymous, bucket = public_site
    assert anonymous.get_object(Bucket=bucket, Key="index.html")["Body"].read() == b"<h1>hi</h1>"
    head = anonymous.head_object(Bucket=bucket, Key="index.html")
    assert head["ContentType"] == "text/html"
    assert error_code(lambda: anonymous.list_objects_v2(Bucket=bucket)) == "AccessDenied"


def test_anonymous_writes_are_refused_with_access_denied(public_site):
    s3, anonymous, bucket = public_site
    for key in ("index.html", "new.html"):
        assert (
            error_code(lambda k=key: anonymous.put_object(Bucket=bucket, Key=k, Body=b"x"))
            == "AccessDenied"
        )
    assert (
        error_code(lambda: anonymous.delete_object(Bucket=bucket, Key="index.html"))
        == "AccessDenied"
    )
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]]
    assert keys == ["index.html"]
    assert s3.get_object(Bucket=bucket, Key="index.html")["Body"].read() == b"<h1>hi</h1>"
    s3.put_object(Bucket=bucket, Key="new.html", Body=b"signed")  # credentials still work


def test_anonymous_read_without_a_public_policy_is_refused(public_site):
    s3, anonymous, bucket = public_site
    s3.delete_bucket_policy(Bucket=bucket)
    assert (
        error_code(lambda: anonymous.get_object(Bucket=bucket, Key="index.html")) == "AccessDenied"
    )


def anonymous_deny_policy(bucket: str) -> dict:
    """Public read of BUCKET, except `.lmsops/` keys for callers without aws:PrincipalArn."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{bucket}/*",
            },
            {
                "Effect": "Deny",
                "Principal": "*",
                "Action": ["s3:GetObject", "s3:GetObjectVersion"],
                "Resource": f"arn:aws:s3:::{bucket}/.lmsops/*",
                "Condition": {"Null": {"aws:PrincipalArn": "true"}},
            },
        ],
    }


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"wsgi.url_scheme": "https"}, "DENIED"),
        ({"wsgi.url_scheme": "https", "HTTP_AUTHORIZATION": "AWS4-HMAC-SHA256 ..."}, "PERMITTED"),
        ({"wsgi.url_scheme": "https", "QUERY_STRING": "X-Amz-Signature=ab"}, "PERMITTED"),
    ],
    ids=["anonymous", "signed", "presigned"],
)
def test_null_principal_arn_condition_denies_only_anonymous_requests(environ, expected):
    values = condition_values_for(environ)
    result = bucket_policy_permission(
        anonymous_deny_policy("site"), "s3:GetObject", "arn:aws:s3:::site/.lmsops/a.json", values
    )
    assert result.name == expected


def test_null_condition_false_needs_the_key():
    assert null_condition_holds({"aws:PrincipalArn": "false"}, {}) is False
    assert null_condition_holds({"aws:PrincipalArn": "true"}, {}) is True
    signed = condition_values_for({"HTTP_AUTHORIZATION": "x"})
    assert null_condition_holds({"aws:principalarn": "false"}, signed) is True


def test_anonymous_read_of_a_denied_prefix_is_refused_signed_read_is_not(public_site):
    s3, anonymous, bucket = public_site
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(anonymous_deny_policy(bucket)))
    s3.put_object(Bucket=bucket, Key=".lmsops/record.json", Body=b"{}")

    assert s3.get_object(Bucket=bucket, Key=".lmsops/record.json")["Body"].read() == b"{}"
    assert (
        error_code(lambda: anonymous.get_object(Bucket=bucket, Key=".lmsops/record.json"))
        == "AccessDenied"
    )
    assert anonymous.get_object(Bucket=bucket, Key="index.html")["Body"].read() == b"<h1>hi</h1>"


def test_versions_and_delete_markers_can_be_deleted_after_versioning_is_suspended(emulator):
    """What `terraform destroy` of a force_destroy bucket does once a publish deleted a key."""
    s3 = boto3.client("s3")
    bucket = unique("markers")
    s3.create_bucket(Bucket=bucket)
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    s3.put_object(Bucket=bucket, Key="page.html", Body=b"old")
    s3.delete_object(Bucket=bucket, Key="page.html")  # a delete marker on top
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Suspended"})
    listed = s3.list_object_versions(Bucket=bucket)
    versions = listed.get("Versions", []) + listed.get("DeleteMarkers", [])
    assert len(versions) == 2

    response = s3.delete_objects(
        Bucket=bucket,
        Delete={"Objects": [{"Key": v["Key"], "VersionId": v["VersionId"]} for v in versions]},
    )

    assert response.get("Errors", []) == []
    listed = s3.list_object_versions(Bucket=bucket)
    assert listed.get("Versions", []) == listed.get("DeleteMarkers", []) == []
    s3.delete_bucket(Bucket=bucket)
