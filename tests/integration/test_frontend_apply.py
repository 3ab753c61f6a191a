"""live/dev/frontend on the emulator: apply, publish the sample site, anonymous access, destroy.

The tests run in file order on one applied root; the last one destroys it
(the fixture's teardown destroys again if an earlier test failed).
"""

from __future__ import annotations

import json
from pathlib import Path

import boto3
import pytest
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError

from lmsops import cli, environment, publish, roots
from lmsops.smoke import check_frontend

SAMPLE_SITE = Path(__file__).resolve().parents[2] / "site"
DOMAIN = "dev.acme-lms.com"
ZONE = "acme-lms.com"
# AWS's published Route53 zone of the us-east-1 S3 website endpoints (the region in tfvars).
S3_WEBSITE_ZONE_US_EAST_1 = "Z3AQBSTGFYJSTF"


@pytest.fixture(scope="module")
def frontend(bootstrapped, tmp_path_factory, destroy_leftovers):
    """live/dev/frontend applied on a fresh copy of the repo; (root, outputs)."""
    work = tmp_path_factory.mktemp("frontend-work")
    repo = roots.copy_repo(work / "repo")
    root = environment.live_root(repo, "dev", "frontend", work)
    try:
        outputs = environment.apply_live(root, bootstrapped.backend_config)
        yield root, outputs
    finally:
        destroy_leftovers(root)


@pytest.fixture(scope="module")
def bucket(frontend) -> str:
    return frontend[1]["bucket_name"]


@pytest.fixture(scope="module")
def s3():
    return boto3.client("s3")


@pytest.fixture(scope="module")
def anonymous_s3():
    return boto3.client(
        "s3", config=Config(signature_version=UNSIGNED, s3={"addressing_style": "path"})
    )


def test_outputs_name_the_domain_bucket_and_its_website(frontend):
    root, outputs = frontend
    assert outputs["bucket_name"] == DOMAIN
    assert outputs["website_endpoint"].startswith(f"{DOMAIN}.s3-website")
    assert outputs["site_url"] == f"http://{DOMAIN}"
    assert publish.bucket_from_outputs(root.outputs(), str(root.path)) == DOMAIN


def test_replan_has_no_changes(frontend):
    root, _ = frontend
    proc = root.plan(detailed_exitcode=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_website_configuration_and_public_read_policy(s3, bucket):
    website = s3.get_bucket_website(Bucket=bucket)
    assert website["IndexDocument"] == {"Suffix": "index.html"}
    assert website["ErrorDocument"] == {"Key": "404.html"}

    statement, records = json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])["Statement"]
    assert records["Effect"] == "Deny"  # publish records, to anonymous readers
    assert records["Resource"] == f"arn:aws:s3:::{bucket}/.lmsops/*"
    assert statement["Effect"] == "Allow"
    assert statement["Principal"] == "*"
    assert statement["Action"] == "s3:GetObject"
    assert statement["Resource"] == f"arn:aws:s3:::{bucket}/*"

    block = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
    assert block == {
        "BlockPublicAcls": True,
        "IgnorePublicAcls": True,
        "BlockPublicPolicy": False,
        "RestrictPublicBuckets": False,
    }
    [ownership] = s3.get_bucket_ownership_controls(Bucket=bucket)["OwnershipControls"]["Rules"]
    assert ownership["ObjectOwnership"] == "BucketOwnerEnforced"
    [rule] = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"]
    assert rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"


def test_alias_record_points_at_the_bucket_website_endpoint(frontend, bootstrapped):
    _, outputs = frontend
    route53 = boto3.client("route53")
    zone_id = bootstrapped.outputs["hosted_zone_ids"][ZONE]
    records = route53.list_resource_record_sets(HostedZoneId=zone_id)["ResourceRecordSets"]
    [record] = [r for r in records if r["Name"].rstrip(".") == DOMAIN and r["Type"] == "A"]
    website_domain = outputs["website_endpoint"].removeprefix(f"{DOMAIN}.")
    assert record["AliasTarget"]["DNSName"].rstrip(".") == website_domain
    assert record["AliasTarget"]["HostedZoneId"] == S3_WEBSITE_ZONE_US_EAST_1
    assert record["AliasTarget"]["EvaluateTargetHealth"] is False


def test_publish_uploads_every_file_with_its_content_type(s3, bucket):
    summary, _ = publish.publish(s3, bucket, SAMPLE_SITE, show_progress=False)
    local = publish.list_local(SAMPLE_SITE)
    assert (summary.uploaded, summary.unchanged, summary.deleted) == (len(local), 0, 0)
    assert set(publish.list_remote(s3, bucket)) == set(local)
    for key, file in local.items():
        obj = s3.get_object(Bucket=bucket, Key=key)
        assert obj["Body"].read() == file.path.read_bytes(), key
        assert obj["ContentType"] == publish.content_type_for(key), key
        assert obj["CacheControl"] == publish.cache_control_for(key), key
    svg = s3.head_object(Bucket=bucket, Key="assets/logo.svg")
    assert svg["ContentType"] == "image/svg+xml"


def test_second_publish_through_the_cli_uploads_nothing(frontend, bucket, capsys):
    root, _ = frontend
    target = ["--repo", str(root.path.parents[2]), "--tf-data-dir", root.env["TF_DATA_DIR"]]
    argv = ["publish", "--env", "dev", *target, "--bucket", bucket, "--no-progress"]
    assert cli.main([*argv, str(SAMPLE_SITE)]) == 0
    files = len(publish.list_local(SAMPLE_SITE))
    assert capsys.readouterr().out.strip() == (
        f"s3://{bucket}: uploaded 0, unchanged {files}, deleted 0"
    )


def test_smoke_frontend_passes_on_the_published_site(frontend):
    checks = check_frontend(frontend[1])
    assert [(c.name, c.detail) for c in checks if not c.ok] == []
    assert any(c.name == "asset assets/app.3f9a2c1b.js" for c in checks)


def test_anonymous_get_of_index_succeeds(anonymous_s3, bucket):
    index = anonymous_s3.get_object(Bucket=bucket, Key="index.html")
    assert index["Body"].read() == (SAMPLE_SITE / "index.html").read_bytes()


@pytest.mark.parametrize("key", ["index.html", "defaced.html"], ids=["overwrite", "new-key"])
def test_anonymous_put_is_refused(anonymous_s3, s3, bucket, key):
    before = set(publish.list_remote(s3, bucket))
    with pytest.raises(ClientError) as refused:
        anonymous_s3.put_object(Bucket=bucket, Key=key, Body=b"defaced")
    assert refused.value.response["Error"]["Code"] == "AccessDenied"
    assert set(publish.list_remote(s3, bucket)) == before
    body = s3.get_object(Bucket=bucket, Key="index.html")["Body"].read()
    assert body == (SAMPLE_SITE / "index.html").read_bytes()


def test_anonymous_listing_is_refused(anonymous_s3, bucket):
    """The policy grants s3:GetObject only: readers cannot enumerate the bucket."""
    with pytest.raises(ClientError) as refused:
        anonymous_s3.list_objects_v2(Bucket=bucket)
    assert refused.value.response["Error"]["Code"] == "AccessDenied"


def test_destroy_succeeds_with_objects_present(frontend, s3, bucket):
    root, _ = frontend
    assert publish.list_remote(s3, bucket), "the bucket should still hold the published site"
    root.destroy()
    with pytest.raises(ClientError) as gone:
        s3.head_bucket(Bucket=bucket)
    assert gone.value.response["Error"]["Code"] in ("404", "NoSuchBucket")
