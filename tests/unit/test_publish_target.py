"""lmsops publish writes only to the environment's site bucket (in-process moto S3)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from moto_s3 import in_process_s3

from lmsops import cli, publish
from lmsops.errors import UserError
from lmsops.publish.target import identity_failures

SAMPLE_SITE = Path(__file__).resolve().parents[2] / "site"
DOMAIN = "dev.acme-lms.com"
IDENTITY = {publish.ROLE_TAG: publish.ROLE, publish.DOMAIN_TAG: DOMAIN}
WEBSITE = {"IndexDocument": {"Suffix": "index.html"}}


@pytest.fixture
def s3(monkeypatch):
    yield from in_process_s3(monkeypatch)


def make_bucket(s3, name: str, *, tags: dict, website: bool, versioned: bool) -> None:
    s3.create_bucket(Bucket=name)
    if tags:
        tag_set = [{"Key": k, "Value": v} for k, v in tags.items()]
        s3.put_bucket_tagging(Bucket=name, Tagging={"TagSet": tag_set})
    if website:
        s3.put_bucket_website(Bucket=name, WebsiteConfiguration=WEBSITE)
    if versioned:
        s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})


def test_the_site_bucket_passes(s3):
    make_bucket(s3, DOMAIN, tags=IDENTITY, website=True, versioned=True)
    assert publish.check_site_bucket(s3, DOMAIN, DOMAIN) == publish.SiteBucket(DOMAIN, "index.html")


def test_a_state_bucket_is_refused_with_every_failed_check_and_keeps_its_objects(s3):
    state = "acme-lms-terraform-state"
    make_bucket(s3, state, tags={"Project": "lms"}, website=False, versioned=True)
    s3.put_object(Bucket=state, Key="dev/frontend/terraform.tfstate", Body=b'{"serial": 3}')

    with pytest.raises(UserError) as refused:
        publish.publish(s3, state, SAMPLE_SITE, site_domain=DOMAIN, delete=True)

    message = str(refused.value)
    assert message.startswith(f"refusing to publish to s3://{state}: it is not provably")
    for failure in (
        f"its name is not the environment's site domain {DOMAIN}",
        "it lacks the tag lmsops:role = site",
        "static website hosting is not configured",
    ):
        assert failure in message
    assert "Nothing was written or deleted" in message
    failures = message.split(f"{DOMAIN}: ", 1)[1].split(". Nothing was written", 1)[0]
    assert failures.split("; ")[0] == f"its name is not the environment's site domain {DOMAIN}"
    assert len(failures.split("; ")) >= 3
    assert message.endswith(
        f". Nothing was written or deleted. Publish to the bucket the frontend root created, "
        f"{DOMAIN} (leave out --bucket or give --bucket {DOMAIN})."
    )
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=state)["Contents"]]
    assert keys == ["dev/frontend/terraform.tfstate"]


@pytest.mark.parametrize(
    ("name", "tags", "website", "versioning", "failure"),
    [
        ("other.acme-lms.com", IDENTITY, True, "Enabled", "its name is not"),
        (DOMAIN, {publish.DOMAIN_TAG: DOMAIN}, True, "Enabled", "lacks the tag lmsops:role"),
        (DOMAIN, {publish.ROLE_TAG: "site"}, True, "Enabled", "tag lmsops:site-domain is not"),
        (DOMAIN, IDENTITY, False, "Enabled", "static website hosting is not configured"),
        (DOMAIN, IDENTITY, True, "Suspended", "versioning is not enabled"),
        (DOMAIN, IDENTITY, True, None, "versioning is not enabled"),
    ],
    ids=["name", "role-tag", "domain-tag", "website", "suspended", "never-versioned"],
)
def test_each_identity_check_can_fail_alone(name, tags, website, versioning, failure):
    config = WEBSITE if website else None
    [only] = identity_failures(name, DOMAIN, tags, config, versioning)
    assert only.startswith(failure) or failure in only


def test_a_lookalike_website_bucket_without_the_tags_is_refused(s3):
    make_bucket(s3, DOMAIN, tags={}, website=True, versioned=True)
    with pytest.raises(UserError, match="lacks the tag lmsops:role = site"):
        publish.check_site_bucket(s3, DOMAIN, DOMAIN)


def test_missing_bucket_says_apply_the_frontend_root(s3):
    with pytest.raises(UserError, match="does not exist; apply the frontend root first"):
        publish.check_site_bucket(s3, DOMAIN, DOMAIN)


def test_a_mistyped_bucket_is_refused_as_not_the_site_bucket(s3, tmp_path, capsys):
    make_bucket(s3, DOMAIN, tags=IDENTITY, website=True, versioned=True)
    outputs = tmp_path / "outputs.json"
    outputs.write_text(json.dumps({"bucket_name": {"value": DOMAIN}}))
    argv = ["publish", "--env", "dev", "--outputs-json", str(outputs), "--no-progress"]
    assert cli.main([*argv, "--bucket", "no-such-bucket-xyz", str(SAMPLE_SITE)]) == 2
    err = capsys.readouterr().err
    assert "refusing to publish to s3://no-such-bucket-xyz" in err
    assert f"not provably the site bucket of {DOMAIN}: it does not exist" in err
    assert f"leave out --bucket or give --bucket {DOMAIN}" in err
    assert "apply the frontend root" not in err
    assert publish.list_remote(s3, DOMAIN) == {}
