"""Plan assertions for modules/s3-website (its examples/basic root, on a copy)."""

from __future__ import annotations

import json

import hcl2
import pytest
from inventory import Scenario
from plan_helpers import moved_blocks, one, resources_by_type

from lmsops import toolchain

EXAMPLE = "modules/s3-website/examples/basic"
REPO = toolchain.REPO_ROOT
DOMAIN = "site.example-lms.com"
PLAIN = "plain.example-lms.com"
PROVIDERS = {"aws": "aws", "aws.us_east_1": "aws.us_east_1"}
WEB_ACL = (
    "arn:aws:wafv2:us-east-1:123456789012:global/webacl/lms-site/"
    "a1b2c3d4-5678-90ab-cdef-111122223333"
)
CORS = [{"allowed_methods": ["GET", "HEAD"], "allowed_origins": ["https://api.example-lms.com"]}]
# Every field of a rule, for what the example's rule leaves at its defaults.
FULL_CORS = [
    {
        "allowed_methods": ["GET"],
        "allowed_origins": ["https://app.example-lms.com"],
        "allowed_headers": ["Authorization"],
        "expose_headers": ["ETag"],
        "max_age_seconds": 600,
    }
]


@pytest.fixture(scope="module")
def example(repo_copy):
    return repo_copy / EXAMPLE


INVENTORY = [
    Scenario("s3_website_default", EXAMPLE, {"domain_name": DOMAIN}),
    # Every optional part on: SPA, www redirect, CloudFront, CORS, force_destroy.
    Scenario(
        "s3_website_full",
        EXAMPLE,
        {
            "domain_name": DOMAIN,
            "single_page_app": True,
            "redirect_www": True,
            "enable_cloudfront": True,
            "force_destroy": True,
            "cors_rules": CORS,
        },
    ),
    # The module alone, for what the example does not expose.
    Scenario(
        "s3_website_module_plain",
        "modules/s3-website",
        {"domain_name": PLAIN, "redirect_www": True, "versioning_enabled": False},
        providers=PROVIDERS,
    ),
    Scenario(
        "s3_website_module_cloudfront",
        "modules/s3-website",
        {
            "domain_name": DOMAIN,
            "zone_id": "Z0123456789ABCDEFGHIJ",
            "enable_cloudfront": True,
            "cloudfront_price_class": "PriceClass_200",
            "web_acl_id": WEB_ACL,
            "index_document": "home.html",
            "error_document": "missing.html",
            "cors_rules": FULL_CORS,
        },
        providers=PROVIDERS,
    ),
]


@pytest.fixture(scope="module")
def default_plan(inventory):
    return inventory.plan("s3_website_default")


@pytest.fixture(scope="module")
def full_plan(inventory):
    """Every optional part on: SPA, www redirect, CloudFront, CORS, force_destroy."""
    return inventory.plan("s3_website_full")


def module_config(plan_output) -> dict:
    return plan_output.configuration["root_module"]["module_calls"]["site"]["module"]


def resource_config(plan_output, address: str) -> dict:
    return next(r for r in module_config(plan_output)["resources"] if r["address"] == address)


def planned(plan_output, address: str) -> dict:
    """Planned values of the module resource at ADDRESS (e.g. aws_s3_bucket.www[0])."""
    return plan_output.resource_changes[f"module.site.{address}"]["change"]["after"]


def test_bucket_is_named_as_the_domain_and_kept_on_destroy(default_plan):
    bucket = one(default_plan, "aws_s3_bucket")
    assert bucket["bucket"] == DOMAIN
    assert bucket["force_destroy"] is False
    # The identity lmsops publish checks before it writes (lmsops/publish/target.py).
    assert bucket["tags"] == {
        "Component": "frontend",
        "lmsops:role": "site",
        "lmsops:site-domain": DOMAIN,
    }


def test_website_serves_index_and_error_documents(default_plan):
    website = one(default_plan, "aws_s3_bucket_website_configuration")
    assert website["index_document"] == [{"suffix": "index.html"}]
    assert website["error_document"] == [{"key": "404.html"}]
    assert website["redirect_all_requests_to"] == []


def test_policy_grants_only_get_object_on_the_bucket_objects_to_everyone(default_plan):
    policy = json.loads(one(default_plan, "aws_s3_bucket_policy")["policy"])
    assert [s["Effect"] for s in policy["Statement"]] == ["Allow", "Deny"]
    statement = policy["Statement"][0]
    assert statement["Effect"] == "Allow"
    assert statement["Principal"] == "*"
    assert statement["Action"] in ("s3:GetObject", ["s3:GetObject"])
    assert statement["Resource"] in (f"arn:aws:s3:::{DOMAIN}/*", [f"arn:aws:s3:::{DOMAIN}/*"])
    assert set(statement) == {"Sid", "Effect", "Principal", "Action", "Resource"}


def test_policy_denies_publish_records_to_anonymous_readers(default_plan):
    """lmsops publish's records (key -> version) are readable by signed requests only."""
    policy = json.loads(one(default_plan, "aws_s3_bucket_policy")["policy"])
    deny = policy["Statement"][1]
    assert deny["Principal"] == "*"
    assert sorted(deny["Action"]) == ["s3:GetObject", "s3:GetObjectVersion"]
    assert deny["Resource"] in (
        f"arn:aws:s3:::{DOMAIN}/.lmsops/*",
        [f"arn:aws:s3:::{DOMAIN}/.lmsops/*"],
    )
    assert deny["Condition"] == {"Null": {"aws:PrincipalArn": "true"}}


def test_acls_disabled_and_access_block_allows_only_the_policy(default_plan):
    ownership = one(default_plan, "aws_s3_bucket_ownership_controls")
    assert ownership["rule"] == [{"object_ownership": "BucketOwnerEnforced"}]
    block = one(default_plan, "aws_s3_bucket_public_access_block")
    assert block["block_public_acls"] is True
    assert block["ignore_public_acls"] is True
    assert block["block_public_policy"] is False
    assert block["restrict_public_buckets"] is False
    policy = resource_config(default_plan, "aws_s3_bucket_policy.public_read")
    assert "aws_s3_bucket_public_access_block.site" in policy["depends_on"]


def test_encryption_versioning_and_lifecycle(default_plan):
    sse = one(default_plan, "aws_s3_bucket_server_side_encryption_configuration")
    default = sse["rule"][0]["apply_server_side_encryption_by_default"][0]
    assert default["sse_algorithm"] == "AES256"
    versioning = one(default_plan, "aws_s3_bucket_versioning")
    assert versioning["versioning_configuration"][0]["status"] == "Enabled"
    rules = {r["id"]: r for r in one(default_plan, "aws_s3_bucket_lifecycle_configuration")["rule"]}
    assert (
        rules["expire-previous-versions"]["noncurrent_version_expiration"][0]["noncurrent_days"]
        == 30
    )
    assert (
        rules["abort-incomplete-uploads"]["abort_incomplete_multipart_upload"][0][
            "days_after_initiation"
        ]
        == 7
    )


def test_alias_record_targets_the_bucket_website_endpoint(default_plan):
    record = one(default_plan, "aws_route53_record")
    assert (record["name"], record["type"]) == (DOMAIN, "A")
    assert record["alias"][0]["evaluate_target_health"] is False
    # Target name and zone are known only after the bucket exists: check where they come from.
    change = default_plan.resource_changes["module.site.aws_route53_record.site[0]"]["change"]
    assert change["after_unknown"]["alias"] == [{"name": True, "zone_id": True}]
    alias = resource_config(default_plan, "aws_route53_record.site")["expressions"]["alias"][0]
    assert "aws_s3_bucket_website_configuration.site.website_domain" in alias["name"]["references"]
    assert "aws_s3_bucket.site.hosted_zone_id" in alias["zone_id"]["references"]
    zone = default_plan.resource_changes["aws_route53_zone.example"]["change"]["after"]
    assert zone["name"] == "example-lms.com"


def test_optional_parts_are_off_by_default(default_plan):
    assert len(resources_by_type(default_plan, "aws_s3_bucket")) == 1
    for rtype in (
        "aws_cloudfront_distribution",
        "aws_acm_certificate",
        "aws_s3_bucket_cors_configuration",
    ):
        assert resources_by_type(default_plan, rtype) == [], rtype


def test_single_page_app_serves_index_for_unknown_paths(full_plan):
    website = planned(full_plan, "aws_s3_bucket_website_configuration.site")
    assert website["error_document"] == [{"key": "index.html"}]
    distribution = one(full_plan, "aws_cloudfront_distribution")
    errors = {e["error_code"]: e for e in distribution["custom_error_response"]}
    assert set(errors) == {403, 404}
    assert {(e["response_code"], e["response_page_path"]) for e in errors.values()} == {
        (200, "/index.html")
    }


def test_www_bucket_redirects_to_the_domain_and_stays_private(full_plan):
    buckets = resources_by_type(full_plan, "aws_s3_bucket")
    assert {b["bucket"] for b in buckets} == {DOMAIN, f"www.{DOMAIN}"}
    assert all(b["force_destroy"] is True for b in buckets)
    redirect = planned(full_plan, "aws_s3_bucket_website_configuration.www[0]")[
        "redirect_all_requests_to"
    ]
    assert redirect == [{"host_name": DOMAIN, "protocol": "https"}]
    www_block = planned(full_plan, "aws_s3_bucket_public_access_block.www[0]")
    assert all(www_block[flag] is True for flag in ("block_public_acls", "block_public_policy"))
    assert all(www_block[f] is True for f in ("ignore_public_acls", "restrict_public_buckets"))
    assert len(resources_by_type(full_plan, "aws_s3_bucket_policy")) == 1
    records = {
        (r.get("name"), r.get("type")) for r in resources_by_type(full_plan, "aws_route53_record")
    }
    assert {(DOMAIN, "A"), (DOMAIN, "AAAA"), (f"www.{DOMAIN}", "A")} <= records


def test_cloudfront_serves_https_with_a_us_east_1_certificate(full_plan):
    distribution = one(full_plan, "aws_cloudfront_distribution")
    assert distribution["aliases"] == [DOMAIN]
    assert distribution["default_root_object"] == "index.html"
    certificate = distribution["viewer_certificate"][0]
    assert certificate["ssl_support_method"] == "sni-only"
    assert certificate["minimum_protocol_version"] == "TLSv1.2_2021"
    origin = distribution["origin"][0]["custom_origin_config"][0]
    assert origin["origin_protocol_policy"] == "http-only"
    assert (distribution["enabled"], distribution["is_ipv6_enabled"]) == (True, True)
    assert distribution["price_class"] == "PriceClass_100"
    assert distribution["web_acl_id"] in (None, "")
    origin_config = distribution["origin"][0]
    assert origin_config["origin_id"] == "s3-website"
    behaviour = distribution["default_cache_behavior"][0]
    assert behaviour["viewer_protocol_policy"] == "redirect-to-https"
    assert behaviour["target_origin_id"] == "s3-website"
    # A static site: reads only, nothing that writes through the distribution.
    assert sorted(behaviour["allowed_methods"]) == ["GET", "HEAD", "OPTIONS"]
    assert sorted(behaviour["cached_methods"]) == ["GET", "HEAD"]
    (forwarded,) = behaviour["forwarded_values"]
    assert forwarded["query_string"] is False
    assert [cookies["forward"] for cookies in forwarded["cookies"]] == ["none"]
    # Compressed, cached for five minutes by default and never longer than a year.
    assert behaviour["compress"] is True
    assert (behaviour["min_ttl"], behaviour["default_ttl"], behaviour["max_ttl"]) == (
        0,
        300,
        31536000,
    )
    # The website endpoint speaks plain HTTP on 80; TLS 1.2 is the only protocol listed.
    assert (origin["http_port"], origin["https_port"]) == (80, 443)
    assert origin["origin_ssl_protocols"] == ["TLSv1.2"]
    (restrictions,) = distribution["restrictions"]
    assert [g["restriction_type"] for g in restrictions["geo_restriction"]] == ["none"]

    acm = one(full_plan, "aws_acm_certificate")
    assert (acm["domain_name"], acm["validation_method"]) == (DOMAIN, "DNS")
    # The certificate module gets the us-east-1 provider: all it creates is issued there.
    call = module_config(full_plan)["module_calls"]["certificate"]
    assert call["source"] == "../acm-certificate"
    for resource in call["module"]["resources"]:
        assert resource["provider_config_key"].endswith("aws.us_east_1"), resource["address"]
    viewer = resource_config(full_plan, "aws_cloudfront_distribution.site")["expressions"][
        "viewer_certificate"
    ][0]
    assert "module.certificate" in viewer["acm_certificate_arn"]["references"]
    # Which output of it (plans give only "module.certificate" for a splat): the code says.
    assert viewer_certificate_arn_expression() == "${one(module.certificate[*].validated_arn)}"
    alias = resource_config(full_plan, "aws_route53_record.site")["expressions"]["alias"][0]
    assert "aws_cloudfront_distribution.site" in alias["name"]["references"]


def viewer_certificate_arn_expression() -> str:
    with (REPO / "modules/s3-website/cloudfront.tf").open() as handle:
        resources = hcl2.load(handle)["resource"]
    (distribution,) = [
        r["aws_cloudfront_distribution"]["site"]
        for r in resources
        if "aws_cloudfront_distribution" in r
    ]
    (viewer,) = distribution["viewer_certificate"]
    return viewer["acm_certificate_arn"][0]


def test_cors_rules_are_applied_when_given(full_plan):
    cors = one(full_plan, "aws_s3_bucket_cors_configuration")
    rule = cors["cors_rule"][0]
    assert rule["allowed_methods"] == ["GET", "HEAD"]
    assert rule["allowed_origins"] == ["https://api.example-lms.com"]
    assert (rule["allowed_headers"], rule["expose_headers"]) == ([], [])
    assert rule["max_age_seconds"] is None


def test_every_field_of_a_cors_rule_reaches_the_bucket(inventory):
    (rule,) = one(
        inventory.plan("s3_website_module_cloudfront"), "aws_s3_bucket_cors_configuration"
    )["cors_rule"]
    assert {key: rule[key] for key in FULL_CORS[0]} == FULL_CORS[0]


def test_states_of_the_inline_certificate_move_into_the_module(example):
    """What cloudfront.tf held before the module keeps its state (no replacement)."""
    assert moved_blocks(example / "../..") == {
        ("aws_acm_certificate.site[0]", "module.certificate[0].aws_acm_certificate.this"),
        (
            "aws_route53_record.certificate_validation",
            "module.certificate[0].aws_route53_record.validation",
        ),
        (
            "aws_acm_certificate_validation.site[0]",
            "module.certificate[0].aws_acm_certificate_validation.this",
        ),
    }


def test_cloudfront_adds_the_security_headers_to_every_response(full_plan):
    (headers,) = one(full_plan, "aws_cloudfront_response_headers_policy")["security_headers_config"]
    (hsts,) = headers["strict_transport_security"]
    assert hsts["access_control_max_age_sec"] == 31536000
    assert (hsts["include_subdomains"], hsts["preload"], hsts["override"]) == (True, False, True)
    assert headers["content_type_options"] == [{"override": True}]
    assert headers["frame_options"] == [{"frame_option": "DENY", "override": True}]
    (referrer,) = headers["referrer_policy"]
    assert referrer["referrer_policy"] == "strict-origin-when-cross-origin"
    behaviour = resource_config(full_plan, "aws_cloudfront_distribution.site")["expressions"][
        "default_cache_behavior"
    ][0]
    policy = behaviour["response_headers_policy_id"]["references"]
    assert "aws_cloudfront_response_headers_policy.site" in policy
    (origin,) = resource_config(full_plan, "aws_cloudfront_distribution.site")["expressions"][
        "origin"
    ]
    website = "aws_s3_bucket_website_configuration.site.website_endpoint"
    assert website in origin["domain_name"]["references"]


def alias_expressions(resource: str) -> dict[str, str]:
    """The alias name and zone expressions of a dns.tf record, as written."""
    with (REPO / "modules/s3-website/dns.tf").open() as handle:
        resources = hcl2.load(handle)["resource"]
    (record,) = [
        r["aws_route53_record"][resource]
        for r in resources
        if resource in r.get("aws_route53_record", {})
    ]
    (alias,) = record["alias"]
    return {key: alias[key][0] if isinstance(alias[key], list) else alias[key] for key in alias}


def test_with_cloudfront_the_records_alias_the_distribution(full_plan):
    """Plans give only "aws_cloudfront_distribution.site" for a splat: the code says which."""
    distribution = "aws_cloudfront_distribution.site[*]"
    assert alias_expressions("site") == {
        "name": f"${{var.enable_cloudfront ? one({distribution}.domain_name) : "
        "aws_s3_bucket_website_configuration.site.website_domain}",
        "zone_id": f"${{var.enable_cloudfront ? one({distribution}.hosted_zone_id) : "
        "aws_s3_bucket.site.hosted_zone_id}",
        "evaluate_target_health": False,
    }
    assert alias_expressions("site_ipv6") == {
        "name": f"${{one({distribution}.domain_name)}}",
        "zone_id": f"${{one({distribution}.hosted_zone_id)}}",
        "evaluate_target_health": False,
    }
    # www's own website configuration and bucket (the regional S3 website endpoint).
    assert alias_expressions("www") == {
        "name": "${aws_s3_bucket_website_configuration.www[0].website_domain}",
        "zone_id": "${aws_s3_bucket.www[0].hosted_zone_id}",
        "evaluate_target_health": False,
    }
    ipv6 = planned(full_plan, "aws_route53_record.site_ipv6[0]")
    assert (ipv6["name"], ipv6["type"]) == (DOMAIN, "AAAA")
    www = planned(full_plan, "aws_route53_record.www[0]")
    assert (www["name"], www["type"]) == (f"www.{DOMAIN}", "A")


def test_without_cloudfront_www_redirects_over_http_and_versioning_can_be_off(inventory):
    plain = inventory.plan("s3_website_module_plain")
    redirect = plain.resource_changes["aws_s3_bucket_website_configuration.www[0]"]["change"][
        "after"
    ]["redirect_all_requests_to"]
    assert redirect == [{"host_name": PLAIN, "protocol": "http"}]
    versioning = plain.resource_changes["aws_s3_bucket_versioning.site"]["change"]["after"]
    assert versioning["versioning_configuration"][0]["status"] == "Disabled"
    rules = one(plain, "aws_s3_bucket_lifecycle_configuration")["rule"]
    assert [r["id"] for r in rules] == ["abort-incomplete-uploads"]
    assert resources_by_type(plain, "aws_route53_record") == []
    assert resources_by_type(plain, "aws_cloudfront_distribution") == []
    ownership = plain.resource_changes["aws_s3_bucket_ownership_controls.www[0]"]["change"]
    assert ownership["after"]["rule"] == [{"object_ownership": "BucketOwnerEnforced"}]
    www = plain.resource_changes["aws_s3_bucket_server_side_encryption_configuration.www[0]"]
    (rule,) = www["change"]["after"]["rule"]
    assert rule["apply_server_side_encryption_by_default"][0]["sse_algorithm"] == "AES256"


def test_distribution_options_and_documents_follow_the_inputs(inventory):
    planned_module = inventory.plan("s3_website_module_cloudfront")
    distribution = one(planned_module, "aws_cloudfront_distribution")
    assert distribution["price_class"] == "PriceClass_200"
    assert distribution["web_acl_id"] == WEB_ACL
    assert distribution["default_root_object"] == "home.html"
    website = one(planned_module, "aws_s3_bucket_website_configuration")
    assert website["index_document"] == [{"suffix": "home.html"}]
    assert website["error_document"] == [{"key": "missing.html"}]
    assert distribution["custom_error_response"] == []
