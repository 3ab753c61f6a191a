"""lmsops.smoke.frontend on an in-process moto: a published site passes, a broken one does not."""

from __future__ import annotations

import json
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

from lmsops import publish
from lmsops.smoke import frontend
from lmsops.smoke.checks import Check

SAMPLE_SITE = Path(__file__).resolve().parents[2] / "site"
DOMAIN = "dev.acme-lms.com"
WEBSITE_DOMAIN = "s3-website-us-east-1.amazonaws.com"
OUTPUTS = {"bucket_name": DOMAIN, "website_endpoint": f"{DOMAIN}.{WEBSITE_DOMAIN}"}
PUBLIC_READ = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{DOMAIN}/*",
        }
    ],
}


@pytest.fixture
def session(monkeypatch):
    for name in ("AWS_ENDPOINT_URL", "AWS_CA_BUNDLE", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        yield boto3.session.Session(region_name="us-east-1")


@pytest.fixture
def published(session):
    """The module's resources as the frontend root creates them, with the sample site."""
    s3 = session.client("s3")
    s3.create_bucket(Bucket=DOMAIN)
    s3.put_bucket_website(
        Bucket=DOMAIN,
        WebsiteConfiguration={
            "IndexDocument": {"Suffix": "index.html"},
            "ErrorDocument": {"Key": "404.html"},
        },
    )
    s3.put_bucket_policy(Bucket=DOMAIN, Policy=json.dumps(PUBLIC_READ))
    s3.put_bucket_versioning(Bucket=DOMAIN, VersioningConfiguration={"Status": "Enabled"})
    identity = {publish.ROLE_TAG: publish.ROLE, publish.DOMAIN_TAG: DOMAIN}
    s3.put_bucket_tagging(
        Bucket=DOMAIN, Tagging={"TagSet": [{"Key": k, "Value": v} for k, v in identity.items()]}
    )
    route53 = session.client("route53")
    zone = route53.create_hosted_zone(Name="acme-lms.com", CallerReference="smoke")
    # Route 53 answers alias targets fully qualified, with the trailing dot.
    change_alias(
        route53, zone["HostedZone"]["Id"], "CREATE", f"{WEBSITE_DOMAIN}.", "Z3AQBSTGFYJSTF"
    )
    publish.publish(s3, DOMAIN, SAMPLE_SITE, show_progress=False)
    return s3


def failing(checks):
    return [(c.name, c.detail) for c in checks if not c.ok]


def test_asset_keys_are_the_site_local_links_of_the_page():
    html = (
        '<link rel="stylesheet" href="/assets/app.css"><script src="assets/app.js"></script>'
        '<a href="https://example.com/x.js">x</a><a href="#top">top</a><a href="/">home</a>'
        '<img src="/assets/logo.svg?v=2">'
    )
    assert frontend.asset_keys(html) == ["assets/app.css", "assets/app.js", "assets/logo.svg"]


def test_public_get_policy_must_cover_exactly_the_bucket_objects():
    text = json.dumps(PUBLIC_READ)
    assert frontend.policy_allows_public_get(text, DOMAIN)
    assert not frontend.policy_allows_public_get(text, "other.acme-lms.com")
    conditional = json.loads(text)
    conditional["Statement"][0]["Condition"] = {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}
    assert not frontend.policy_allows_public_get(json.dumps(conditional), DOMAIN)


def test_published_sample_site_passes(session, published):
    checks = frontend.check_frontend(OUTPUTS, session)
    assert failing(checks) == []
    assert checks[:3] == [
        Check("website configuration", True, "index index.html, error 404.html"),
        Check("public-read policy", True, "s3:GetObject to * on the objects"),
        Check("anonymous GET index.html", True, "Content-Type text/html; charset=utf-8"),
    ]
    names = {c.name for c in checks}
    assert {"asset assets/app.3f9a2c1b.js", "asset assets/logo.svg", "DNS alias"} <= names


def test_wrong_content_type_and_missing_asset_fail(session, published):
    published.put_object(
        Bucket=DOMAIN, Key="assets/logo.svg", Body=b"<svg/>", ContentType="text/plain"
    )
    published.delete_object(Bucket=DOMAIN, Key="assets/app.3f9a2c1b.js")
    failed = dict(failing(frontend.check_frontend(OUTPUTS, session)))
    assert set(failed) == {"asset assets/logo.svg", "asset assets/app.3f9a2c1b.js"}
    assert "text/plain" in failed["asset assets/logo.svg"]


def test_missing_policy_fails(session, published):
    published.delete_bucket_policy(Bucket=DOMAIN)
    policy = by_name(frontend.check_frontend(OUTPUTS, session))["public-read policy"]
    assert policy.ok is False
    assert policy.detail.startswith("An error occurred (NoSuchBucketPolicy) when calling the")


# Another region's website endpoint: a record pointing there is not this site's.
EU_WEBSITE_ENDPOINT = "s3-website-eu-west-1.amazonaws.com."
EU_WEBSITE_ZONE = "Z1BKCTXD74EZPE"


def change_alias(route53, zone_id: str, action: str, dns_name: str, target_zone: str) -> None:
    """ACTION the A alias of DOMAIN in ZONE_ID, pointing at DNS_NAME in TARGET_ZONE."""
    target = {"HostedZoneId": target_zone, "DNSName": dns_name, "EvaluateTargetHealth": False}
    record = {"Name": DOMAIN, "Type": "A", "AliasTarget": target}
    route53.change_resource_record_sets(
        HostedZoneId=zone_id,
        ChangeBatch={"Changes": [{"Action": action, "ResourceRecordSet": record}]},
    )


def set_alias(session, action: str, website_domain: str) -> None:
    route53 = session.client("route53")
    [zone] = route53.list_hosted_zones()["HostedZones"]
    change_alias(route53, zone["Id"], action, website_domain, "Z3AQBSTGFYJSTF")


def test_missing_website_configuration_fails_naming_the_bucket(session, published):
    published.delete_bucket_website(Bucket=DOMAIN)
    [website] = frontend.check_frontend(OUTPUTS, session)
    assert (website.name, website.ok) == ("website configuration", False)
    assert website.detail.startswith(f"{DOMAIN}: An error occurred (NoSuchWebsiteConfiguration)")


def test_index_served_as_text_fails_with_the_content_type_seen(session, published):
    published.put_object(
        Bucket=DOMAIN, Key="index.html", Body=b"<html></html>", ContentType="text/plain"
    )
    failed = dict(failing(frontend.check_frontend(OUTPUTS, session)))
    assert failed == {"anonymous GET index.html": "Content-Type text/plain"}


def test_missing_index_fails(session, published):
    published.delete_object(Bucket=DOMAIN, Key="index.html")
    index = by_name(frontend.check_frontend(OUTPUTS, session))["anonymous GET index.html"]
    assert index.ok is False
    assert index.detail.startswith("An error occurred (NoSuchKey) when calling the GetObject")


def test_missing_error_document_fails_naming_it(session, published):
    published.delete_object(Bucket=DOMAIN, Key="404.html")
    failed = dict(failing(frontend.check_frontend(OUTPUTS, session)))
    assert list(failed) == ["error document"]
    assert failed["error document"].startswith("404.html: ")


def test_alias_to_another_website_endpoint_fails_naming_the_target(session, published):
    set_alias(session, "UPSERT", "s3-website-eu-west-1.amazonaws.com")
    failed = dict(failing(frontend.check_frontend(OUTPUTS, session)))
    assert failed == {"DNS alias": f"{DOMAIN} -> s3-website-eu-west-1.amazonaws.com"}


def test_missing_alias_fails(session, published):
    set_alias(session, "DELETE", f"{WEBSITE_DOMAIN}.")
    checks = frontend.check_frontend(OUTPUTS, session)
    assert [c for c in checks if not c.ok] == [
        Check("DNS alias", False, f"no A alias record for {DOMAIN}")
    ]


def by_name(checks) -> dict[str, Check]:
    return {c.name: c for c in checks}


def test_links_to_other_sites_schemes_and_fragments_are_not_assets():
    html = (
        '<script src="//cdn.example.com/lib.js"></script>'
        '<a href="mailto:team@acme-lms.com">mail</a><link rel="icon" href="data:,">'
        '<a href="#/assets/fake.js">app route</a><img src="/assets/logo.svg">'
    )
    assert frontend.asset_keys(html) == ["assets/logo.svg"]


def statement(**changes) -> str:
    policy = json.loads(json.dumps(PUBLIC_READ))
    policy["Statement"][0].update(changes)
    return json.dumps(policy)


@pytest.mark.parametrize(
    ("policy", "public"),
    [
        pytest.param(statement(Principal={"AWS": "*"}), True, id="principal-aws-star"),
        pytest.param(statement(Action="s3:Get*"), True, id="action-get-star"),
        pytest.param(statement(Action="s3:*"), True, id="action-star"),
        pytest.param(
            statement(
                Action=["s3:ListBucket", "s3:GetObject"], Resource=[f"arn:aws:s3:::{DOMAIN}/*"]
            ),
            True,
            id="lists",
        ),
        pytest.param(
            json.dumps({**PUBLIC_READ, "Statement": PUBLIC_READ["Statement"][0]}),
            True,
            id="single-statement-object",
        ),
        pytest.param(json.dumps({"Version": "2012-10-17"}), False, id="no-statement"),
        pytest.param(statement(Action="s3:PutObject"), False, id="no-get"),
        pytest.param(
            statement(Principal={"AWS": "arn:aws:iam::123456789012:root"}), False, id="one-account"
        ),
        pytest.param(statement(Effect="Deny"), False, id="deny"),
    ],
)
def test_public_get_policy_shapes(policy, public):
    assert frontend.policy_allows_public_get(policy, DOMAIN) is public


def test_assets_are_read_one_byte_each(session, published):
    asked, answered = [], []

    def request(params, **_):
        asked.append((params["Key"], params.get("Range")))

    def response(parsed, **_):
        answered.append(parsed.get("ContentRange", ""))

    session.events.register("provide-client-params.s3.GetObject", request)
    session.events.register("after-call.s3.GetObject", response)
    checks = frontend.check_frontend(OUTPUTS, session)
    assets = [
        (key, rng, got)
        for (key, rng), got in zip(asked, answered, strict=True)
        if key != "index.html"
    ]
    assert len(assets) == sum(c.name.startswith("asset ") for c in checks) >= 2
    for key, rng, got in assets:
        assert rng == "bytes=0-0", key
        assert got.startswith("bytes 0-0/"), key


def test_an_asset_that_cannot_be_read_fails_with_the_s3_error(session, published):
    published.delete_object(Bucket=DOMAIN, Key="assets/app.3f9a2c1b.js")
    asset = by_name(frontend.check_frontend(OUTPUTS, session))["asset assets/app.3f9a2c1b.js"]
    assert asset.ok is False
    assert asset.detail.startswith("not readable anonymously: An error occurred (NoSuchKey)")


def test_the_error_document_check_names_the_key_it_found(session, published):
    checks = by_name(frontend.check_frontend(OUTPUTS, session))
    assert checks["error document"] == Check("error document", True, "404.html")
    published.delete_object(Bucket=DOMAIN, Key="404.html")
    assert by_name(frontend.check_frontend(OUTPUTS, session))["error document"].ok is False


def change_records(session, *changes) -> None:
    route53 = session.client("route53")
    [zone] = route53.list_hosted_zones()["HostedZones"]
    route53.change_resource_record_sets(
        HostedZoneId=zone["Id"], ChangeBatch={"Changes": list(changes)}
    )


def test_a_weighted_alias_next_to_a_weighted_server_address_is_found(session, published):
    set_alias(session, "DELETE", f"{WEBSITE_DOMAIN}.")
    weighted = {"Name": DOMAIN, "Type": "A", "Weight": 50}
    server = {**weighted, "SetIdentifier": "a-server", "TTL": 60}
    bucket = {
        **weighted,
        "SetIdentifier": "b-bucket",
        "AliasTarget": {
            "HostedZoneId": "Z3AQBSTGFYJSTF",
            "DNSName": f"{WEBSITE_DOMAIN}.",
            "EvaluateTargetHealth": False,
        },
    }
    change_records(
        session,
        {
            "Action": "CREATE",
            "ResourceRecordSet": {**server, "ResourceRecords": [{"Value": "192.0.2.10"}]},
        },
        {"Action": "CREATE", "ResourceRecordSet": bucket},
    )
    alias = by_name(frontend.check_frontend(OUTPUTS, session))["DNS alias"]
    assert alias == Check("DNS alias", True, f"{DOMAIN} -> {WEBSITE_DOMAIN}")


def test_an_alias_to_a_cloudfront_distribution_passes(session, published):
    distribution = "d111111abcdef8.cloudfront.net"
    target = {
        "HostedZoneId": "Z2FDTNDATAQYW2",
        "DNSName": f"{distribution}.",
        "EvaluateTargetHealth": False,
    }
    change_records(
        session,
        {
            "Action": "UPSERT",
            "ResourceRecordSet": {"Name": DOMAIN, "Type": "A", "AliasTarget": target},
        },
    )
    alias = by_name(frontend.check_frontend(OUTPUTS, session))["DNS alias"]
    assert alias == Check("DNS alias", True, f"{DOMAIN} -> {distribution}")


def test_a_bucket_that_redirects_every_request_fails_without_reading_an_index(session, published):
    published.put_bucket_website(
        Bucket=DOMAIN, WebsiteConfiguration={"RedirectAllRequestsTo": {"HostName": "acme-lms.com"}}
    )
    checks = frontend.check_frontend(OUTPUTS, session)
    assert [c for c in checks if not c.ok] == [
        Check("website configuration", False, "index , error ")
    ]
    assert [c.name for c in checks] == ["website configuration", "public-read policy", "DNS alias"]


def test_a_website_without_an_error_document_checks_none(session, published):
    published.put_bucket_website(
        Bucket=DOMAIN, WebsiteConfiguration={"IndexDocument": {"Suffix": "index.html"}}
    )
    checks = by_name(frontend.check_frontend(OUTPUTS, session))
    assert checks["website configuration"] == Check(
        "website configuration", True, "index index.html, error "
    )
    assert "error document" not in checks


def test_a_policy_that_is_not_public_fails_its_check(session, published):
    published.put_bucket_policy(
        Bucket=DOMAIN, Policy=statement(Principal={"AWS": "arn:aws:iam::123456789012:root"})
    )
    policy = by_name(frontend.check_frontend(OUTPUTS, session))["public-read policy"]
    assert policy == Check("public-read policy", False, "s3:GetObject to * on the objects")


def test_the_most_specific_zone_holding_the_domain_is_the_one_read(session, published):
    route53 = session.client("route53")
    zone = route53.create_hosted_zone(Name=DOMAIN, CallerReference="delegated")
    change_alias(route53, zone["HostedZone"]["Id"], "CREATE", EU_WEBSITE_ENDPOINT, EU_WEBSITE_ZONE)
    alias = by_name(frontend.check_frontend(OUTPUTS, session))["DNS alias"]
    assert alias == Check("DNS alias", False, f"{DOMAIN} -> s3-website-eu-west-1.amazonaws.com")


def test_outputs_without_the_website_endpoint_fail_the_alias_naming_its_target(session, published):
    alias = by_name(frontend.check_frontend({"bucket_name": DOMAIN}, session))["DNS alias"]
    assert alias == Check("DNS alias", False, f"{DOMAIN} -> {WEBSITE_DOMAIN}")


def test_asset_keys_keep_the_whole_path_and_skip_directory_links():
    html = '<img src="/X-ray.png"><a href="/courses/">courses</a><a href="courses/intro/">intro</a>'
    assert frontend.asset_keys(html) == ["X-ray.png"]


def test_the_index_and_assets_are_read_without_credentials(session, published):
    signed = []
    session.events.register(
        "before-send.s3.GetObject",
        lambda request, **_: signed.append("Authorization" in request.headers),
    )
    checks = frontend.check_frontend(OUTPUTS, session)
    assert len(signed) == 1 + sum(c.name.startswith("asset ") for c in checks)
    assert not any(signed)


def test_an_index_page_that_is_not_utf8_is_still_read_for_its_assets(session, published):
    page = '<p>Caf\xe9</p><img src="/assets/logo.svg">'.encode("latin-1")
    published.put_object(
        Bucket=DOMAIN, Key="index.html", Body=page, ContentType="text/html; charset=iso-8859-1"
    )
    checks = frontend.check_frontend(OUTPUTS, session)
    assert failing(checks) == []
    assert [c.name for c in checks if c.name.startswith("asset ")] == ["asset assets/logo.svg"]


def test_a_private_zone_for_the_domain_is_not_what_the_public_resolves(session, published):
    route53 = session.client("route53")
    private = route53.create_hosted_zone(  # moto needs no VPC behind the id: faster
        Name=DOMAIN,
        CallerReference="inside",
        VPC={"VPCRegion": "us-east-1", "VPCId": "vpc-0a1b2c3d4e5f60718"},
        HostedZoneConfig={"PrivateZone": True},
    )
    change_alias(
        route53, private["HostedZone"]["Id"], "CREATE", EU_WEBSITE_ENDPOINT, EU_WEBSITE_ZONE
    )
    alias = by_name(frontend.check_frontend(OUTPUTS, session))["DNS alias"]
    assert alias == Check("DNS alias", True, f"{DOMAIN} -> {WEBSITE_DOMAIN}")


def test_an_alias_after_many_weighted_records_is_found(session, published):
    set_alias(session, "DELETE", f"{WEBSITE_DOMAIN}.")
    weighted = {"Name": DOMAIN, "Type": "A", "Weight": 1, "TTL": 60}
    servers = [
        {
            "Action": "CREATE",
            "ResourceRecordSet": {
                **weighted,
                "SetIdentifier": f"a-server-{i:02}",
                "ResourceRecords": [{"Value": f"192.0.2.{i + 1}"}],
            },
        }
        for i in range(11)
    ]
    bucket = {
        "Name": DOMAIN,
        "Type": "A",
        "Weight": 1,
        "SetIdentifier": "b-bucket",
        "AliasTarget": {
            "HostedZoneId": "Z3AQBSTGFYJSTF",
            "DNSName": f"{WEBSITE_DOMAIN}.",
            "EvaluateTargetHealth": False,
        },
    }
    change_records(session, *servers, {"Action": "CREATE", "ResourceRecordSet": bucket})
    alias = by_name(frontend.check_frontend(OUTPUTS, session))["DNS alias"]
    assert alias == Check("DNS alias", True, f"{DOMAIN} -> {WEBSITE_DOMAIN}")
