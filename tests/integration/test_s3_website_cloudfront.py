"""modules/s3-website/examples/basic with CloudFront on, applied once on the emulator.

CloudFront is off by default, so the frontend roots never exercise it; this applies the
module example with it and its other options on, checks the distribution with boto3
(custom origin on the website endpoint, alias, us-east-1 ACM certificate, TLS policy,
security headers policy, DNS alias), re-plans empty and destroys.
"""

from __future__ import annotations

import boto3
import pytest

from lmsops import roots

DOMAIN = "site.example-lms.com"  # the example's default domain_name
ZONE = "example-lms.com"  # the example's own zone
# The hosted zone id AWS uses for every CloudFront alias target.
CLOUDFRONT_HOSTED_ZONE = "Z2FDTNDATAQYW2"
VAR_ARGS = [
    "-var",
    "enable_cloudfront=true",
    "-var",
    "redirect_www=true",
    "-var",
    "single_page_app=true",
    "-var",
    "force_destroy=true",
]


@pytest.fixture(scope="module")
def site(emulator, tmp_path_factory):
    """The example applied with CloudFront; (root, outputs)."""
    repo = roots.copy_repo(tmp_path_factory.mktemp("s3-website-cloudfront") / "repo")
    root = roots.Root(repo / "modules/s3-website/examples/basic")
    root.init()
    try:
        root.apply(var_args=VAR_ARGS)
        yield root, root.outputs()
    finally:
        root.destroy(var_args=VAR_ARGS)


@pytest.fixture(scope="module")
def distribution(site) -> dict:
    """The distribution serving DOMAIN, as GetDistribution returns it."""
    cloudfront = boto3.client("cloudfront")
    summaries = cloudfront.list_distributions()["DistributionList"].get("Items", [])
    [summary] = [s for s in summaries if DOMAIN in s["Aliases"].get("Items", [])]
    return cloudfront.get_distribution(Id=summary["Id"])["Distribution"]


def test_distribution_fronts_the_website_endpoint_over_https(site, distribution):
    _, outputs = site
    config = distribution["DistributionConfig"]
    assert distribution["Status"] == "Deployed"
    assert config["Enabled"] is True
    assert config["Aliases"]["Items"] == [DOMAIN]
    assert config["DefaultRootObject"] == "index.html"
    assert outputs["site_url"] == f"https://{DOMAIN}"

    [origin] = config["Origins"]["Items"]
    assert origin["DomainName"] == outputs["website_endpoint"]
    assert origin["DomainName"].startswith(f"{DOMAIN}.s3-website")
    assert origin["CustomOriginConfig"]["OriginProtocolPolicy"] == "http-only"
    assert config["DefaultCacheBehavior"]["TargetOriginId"] == origin["Id"]
    assert config["DefaultCacheBehavior"]["ViewerProtocolPolicy"] == "redirect-to-https"

    errors = {item["ErrorCode"]: item for item in config["CustomErrorResponses"]["Items"]}
    assert sorted(errors) == [403, 404]
    assert {e["ResponsePagePath"] for e in errors.values()} == {"/index.html"}


def test_viewer_certificate_is_the_issued_us_east_1_certificate(distribution):
    certificate = distribution["DistributionConfig"]["ViewerCertificate"]
    arn = certificate["ACMCertificateArn"]
    assert arn.startswith("arn:aws:acm:us-east-1:")
    assert certificate["CloudFrontDefaultCertificate"] is False
    assert certificate["SSLSupportMethod"] == "sni-only"
    assert certificate["MinimumProtocolVersion"] == "TLSv1.2_2021"

    described = boto3.client("acm", region_name="us-east-1").describe_certificate(
        CertificateArn=arn
    )["Certificate"]
    assert described["DomainName"] == DOMAIN
    assert described["Status"] == "ISSUED"


def test_security_headers_policy_is_attached(distribution):
    policy_id = distribution["DistributionConfig"]["DefaultCacheBehavior"][
        "ResponseHeadersPolicyId"
    ]
    config = boto3.client("cloudfront").get_response_headers_policy(Id=policy_id)[
        "ResponseHeadersPolicy"
    ]["ResponseHeadersPolicyConfig"]
    headers = config["SecurityHeadersConfig"]
    assert headers["StrictTransportSecurity"]["AccessControlMaxAgeSec"] == 31536000
    assert headers["StrictTransportSecurity"]["IncludeSubdomains"] is True
    assert headers["ContentTypeOptions"]["Override"] is True
    assert headers["FrameOptions"]["FrameOption"] == "DENY"
    assert headers["ReferrerPolicy"]["ReferrerPolicy"] == "strict-origin-when-cross-origin"


def test_site_records_alias_the_distribution(distribution):
    route53 = boto3.client("route53")
    [zone] = [z for z in route53.list_hosted_zones()["HostedZones"] if z["Name"] == f"{ZONE}."]
    records = route53.list_resource_record_sets(HostedZoneId=zone["Id"])["ResourceRecordSets"]
    aliases = {
        r["Type"]: r["AliasTarget"]
        for r in records
        if r["Name"] == f"{DOMAIN}." and "AliasTarget" in r
    }
    assert sorted(aliases) == ["A", "AAAA"]
    for target in aliases.values():
        assert target["DNSName"].rstrip(".") == distribution["DomainName"]
        assert target["HostedZoneId"] == CLOUDFRONT_HOSTED_ZONE


def test_replan_has_no_changes(site):
    root, _ = site
    proc = root.plan(var_args=VAR_ARGS, detailed_exitcode=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
