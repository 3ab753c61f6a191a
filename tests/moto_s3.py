"""In-process moto S3 for the publish tests, and the site bucket as modules/s3-website
makes it (website hosting, versioning, the identity tags lmsops publish checks)."""

from __future__ import annotations

from collections.abc import Iterator

import boto3
import pytest
from moto import mock_aws

from lmsops import publish


def in_process_s3(monkeypatch: pytest.MonkeyPatch) -> Iterator:
    """An S3 client of in-process moto, whatever emulator an earlier test pointed AWS_* at."""
    for name in ("AWS_ENDPOINT_URL", "AWS_CA_BUNDLE", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    with mock_aws():
        yield boto3.client("s3", region_name="us-east-1")


def make_site_bucket(s3, name: str, index_document: str = "index.html") -> None:
    s3.create_bucket(Bucket=name)
    s3.put_bucket_website(
        Bucket=name, WebsiteConfiguration={"IndexDocument": {"Suffix": index_document}}
    )
    s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
    tags = {publish.ROLE_TAG: publish.ROLE, publish.DOMAIN_TAG: name}
    s3.put_bucket_tagging(
        Bucket=name, Tagging={"TagSet": [{"Key": k, "Value": v} for k, v in tags.items()]}
    )
