"""Is this bucket provably the environment's site bucket? Checked before the first write.

The s3-website module names the bucket as the site domain and tags it
`lmsops:role = site` and `lmsops:site-domain = <domain>`. Publish writes only to a
bucket that has all of it: the environment's site domain as its name (from the
frontend root's outputs), both tags, static website hosting, and versioning on
(without it a publish could not be undone). Anything else, the Terraform state
bucket for one, is refused with every failed check named; nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass

from botocore.exceptions import ClientError

from lmsops.annotations import Client
from lmsops.errors import UserError

ROLE_TAG = "lmsops:role"
ROLE = "site"
DOMAIN_TAG = "lmsops:site-domain"


@dataclass(frozen=True)
class SiteBucket:
    name: str
    index_document: str


def check_site_bucket(s3: Client, bucket: str, site_domain: str) -> SiteBucket:
    """BUCKET as a SiteBucket when it passes every identity check, else a UserError."""
    try:
        tags = _tags(s3, bucket)
        website = _website(s3, bucket)
        versioning = s3.get_bucket_versioning(Bucket=bucket).get("Status")
    except ClientError as exc:
        if bucket != site_domain:  # a mistyped --bucket: not the site bucket, whatever S3 says
            raise _not_site_bucket(bucket, site_domain, [_lookup_failure(exc)]) from exc
        raise _lookup_error(bucket, exc) from exc
    failures = identity_failures(bucket, site_domain, tags, website, versioning)
    if failures or website is None:  # no website configuration is one of the failures
        raise _not_site_bucket(bucket, site_domain, failures)
    return SiteBucket(bucket, website["IndexDocument"]["Suffix"])


def _not_site_bucket(bucket: str, site_domain: str, failures: list[str]) -> UserError:
    return UserError(
        f"refusing to publish to s3://{bucket}: it is not provably the site bucket of "
        f"{site_domain}: " + "; ".join(failures) + ". Nothing was written or deleted. "
        f"Publish to the bucket the frontend root created, {site_domain} (leave out --bucket "
        f"or give --bucket {site_domain})."
    )


def _lookup_failure(exc: ClientError) -> str:
    """Why S3 would not describe a bucket, as one of the identity failures."""
    code = _code(exc)
    if code in ("NoSuchBucket", "404"):
        return "it does not exist"
    if code in ("AccessDenied", "403"):
        return "its configuration cannot be read (access denied)"
    return f"its configuration cannot be read ({code})"


def identity_failures(
    bucket: str, site_domain: str, tags: dict, website: dict | None, versioning: str | None
) -> list[str]:
    """Every identity check BUCKET fails (pure; the values come from S3)."""
    failures = []
    if bucket != site_domain:
        failures.append(f"its name is not the environment's site domain {site_domain}")
    if tags.get(ROLE_TAG) != ROLE:
        failures.append(f"it lacks the tag {ROLE_TAG} = {ROLE} that modules/s3-website sets")
    if tags.get(DOMAIN_TAG) != site_domain:
        failures.append(f"its tag {DOMAIN_TAG} is not {site_domain}")
    if website is None or "IndexDocument" not in website:
        failures.append("static website hosting is not configured on it")
    if versioning != "Enabled":
        failures.append(
            "versioning is not enabled, so a publish could not be undone "
            "(set versioning_enabled = true in the frontend root)"
        )
    return failures


def _tags(s3: Client, bucket: str) -> dict[str, str]:
    try:
        tag_set = s3.get_bucket_tagging(Bucket=bucket)["TagSet"]
    except ClientError as exc:
        if _code(exc) == "NoSuchTagSet":
            return {}
        raise
    return {tag["Key"]: tag["Value"] for tag in tag_set}


def _website(s3: Client, bucket: str) -> dict | None:
    try:
        return s3.get_bucket_website(Bucket=bucket)
    except ClientError as exc:
        if _code(exc) == "NoSuchWebsiteConfiguration":
            return None
        raise


def _code(exc: ClientError) -> str:
    return exc.response.get("Error", {}).get("Code", "")


def _lookup_error(bucket: str, exc: ClientError) -> UserError:
    code = _code(exc)
    if code in ("NoSuchBucket", "404"):
        return UserError(f"bucket {bucket} does not exist; apply the frontend root first")
    if code in ("AccessDenied", "403"):
        return UserError(
            f"access denied reading the configuration of bucket {bucket}: publish checks it "
            "first and needs s3:GetBucketTagging, s3:GetBucketWebsite, s3:GetBucketVersioning"
        )
    return UserError(f"cannot check bucket {bucket}: {code} {exc}")
