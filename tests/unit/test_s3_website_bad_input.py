"""Each rule of modules/s3-website refuses a value just past it and accepts the edge.

Every case is one instance of the module in the plan inventory's failures root
(tests/inventory.py), planned with every other file's cases. How to add a case:
tests/lint/test_validation_coverage.py.
"""

from __future__ import annotations

import pytest
from inventory import Failures
from plan_helpers import BadInput, Harness, assert_case, case_params

HARNESS = Harness(
    source="modules/s3-website",
    base={"domain_name": "site.example-lms.com"},
    header="""
provider "aws" {
  region = "us-east-1"
}

provider "aws" {
  alias  = "us_east_1"
  region = "us-east-1"
}

provider "aws" {
  alias  = "eu_west_1"
  region = "eu-west-1"
}
""",
    providers={"aws": "aws", "aws.us_east_1": "aws.us_east_1"},
)
ZONE_ID = "Z0123456789ABCDEFGHIJ"
WEB_ACL = (
    "arn:aws:wafv2:us-east-1:111122223333:global/webacl/lms-site/"
    "a1b2c3d4-5678-90ab-cdef-111122223333"
)
LENGTH = "domain_name must be 3-63 characters"
LABELS = "domain_name must be dot-separated DNS labels"
RESERVED = "domain_name must not begin with xn--, sthree- or amzn-s3-demo-"
INDEX = "index_document must be at most 1024 characters"
ERROR_DOC = "error_document must be at most 1024 characters"
DAYS = "noncurrent_version_expiration_days must be a whole number of days from 1 to 36500"
CORS_EMPTY = "cors_rules must each list at least one allowed method and one allowed origin"
CORS_ORIGIN = "cors_rules allowed_origins must be non-empty and hold at most one * wildcard"
CORS_AGE = "cors_rules max_age_seconds must be null or a whole number of seconds from 0 to 86400"
ZONE = "zone_id must be null or a Route53 hosted zone ID"
WAF = "web_acl_id must be null or the ARN of a WAFv2 web ACL"
TAG_PREFIX = "tags keys must not start with aws:"
TAG_SHAPE = "tags keys must be 1-128 and values at most 256 characters"


def cors(**rule) -> list[dict]:
    return [{"allowed_methods": ["GET"], "allowed_origins": ["*"], **rule}]


CASES = [
    BadInput("good-defaults", {}, None),
    BadInput("domain-too-short", {"domain_name": "a."}, LENGTH),
    BadInput("domain-shortest", {"domain_name": "a.b"}, None),
    BadInput("domain-too-long", {"domain_name": "a" * 60 + ".com"}, LENGTH),
    BadInput("domain-longest", {"domain_name": "a" * 59 + ".com"}, None),
    BadInput(
        "domain-upper-case", {"domain_name": "Dev.Acme-LMS.com"}, "domain_name must be lower case"
    ),
    BadInput(
        "domain-underscore",
        {"domain_name": "dev_site.acme-lms.com"},
        "domain_name must not contain underscores",
    ),
    BadInput(
        "domain-ip", {"domain_name": "192.168.10.20"}, "domain_name must not be an IP address"
    ),
    BadInput("domain-leading-hyphen", {"domain_name": "-dev.acme-lms.com"}, LABELS),
    BadInput("domain-empty-label", {"domain_name": "dev..acme-lms.com"}, LABELS),
    BadInput(
        "domain-no-dot",
        {"domain_name": "localsite"},
        "domain_name must be a fully qualified domain name with at least one dot",
    ),
    *[
        BadInput(f"domain-reserved-{name.strip('.-')}", {"domain_name": name}, RESERVED)
        for name in (
            "xn--site.example.com",
            "sthree-site.example.com",
            "amzn-s3-demo-site.example.com",
            "site.example-s3alias",
            "site.example--ol-s3",
            "site.example.mrap",
            "site.example--x-s3",
            "site.example--table-s3",
        )
    ],
    BadInput(
        "index-with-slash",
        {"index_document": "pages/index.html"},
        "index_document must be a non-empty file name without slashes",
    ),
    BadInput(
        "index-empty",
        {"index_document": ""},
        "index_document must be a non-empty file name without slashes",
    ),
    BadInput("index-too-long", {"index_document": "i" * 1025}, INDEX),
    BadInput("index-longest", {"index_document": "i" * 1024}, None),
    BadInput(
        "error-leading-slash",
        {"error_document": "/404.html"},
        "error_document must be a non-empty object key without a leading slash",
    ),
    BadInput("error-too-long", {"error_document": "e" * 1025}, ERROR_DOC),
    BadInput("error-longest", {"error_document": "e" * 1024}, None),
    BadInput("days-zero", {"noncurrent_version_expiration_days": 0}, DAYS),
    BadInput("days-one", {"noncurrent_version_expiration_days": 1}, None),
    BadInput("days-fraction", {"noncurrent_version_expiration_days": 1.5}, DAYS),
    BadInput("days-too-many", {"noncurrent_version_expiration_days": 36501}, DAYS),
    BadInput("days-most", {"noncurrent_version_expiration_days": 36500}, None),
    BadInput(
        "cors-method",
        {"cors_rules": cors(allowed_methods=["PATCH"])},
        "cors_rules allowed_methods may only contain GET, PUT, POST, DELETE and HEAD",
    ),
    BadInput("cors-no-origins", {"cors_rules": cors(allowed_origins=[])}, CORS_EMPTY),
    BadInput("cors-no-methods", {"cors_rules": cors(allowed_methods=[])}, CORS_EMPTY),
    BadInput(
        "cors-two-wildcards",
        {"cors_rules": cors(allowed_origins=["https://*.*.example.com"])},
        CORS_ORIGIN,
    ),
    BadInput("cors-empty-origin", {"cors_rules": cors(allowed_origins=[""])}, CORS_ORIGIN),
    BadInput(
        "cors-one-wildcard", {"cors_rules": cors(allowed_origins=["https://*.example.com"])}, None
    ),
    BadInput(
        "cors-too-many", {"cors_rules": cors() * 101}, "cors_rules must hold at most 100 rules"
    ),
    BadInput("cors-most", {"cors_rules": cors() * 100}, None),
    BadInput("cors-age-negative", {"cors_rules": cors(max_age_seconds=-1)}, CORS_AGE),
    BadInput("cors-age-fraction", {"cors_rules": cors(max_age_seconds=1.5)}, CORS_AGE),
    BadInput("cors-age-too-long", {"cors_rules": cors(max_age_seconds=86401)}, CORS_AGE),
    BadInput(
        "cors-age-edges",
        {"cors_rules": cors(max_age_seconds=0) + cors(max_age_seconds=86400)},
        None,
    ),
    BadInput("zone-id-domain", {"zone_id": "acme-lms.com"}, ZONE),
    BadInput("zone-id-too-long", {"zone_id": "Z" * 33}, ZONE),
    BadInput("zone-id-longest", {"zone_id": "Z" * 32, "create_dns_records": True}, None),
    BadInput(
        "price-class",
        {"cloudfront_price_class": "PriceClass_50"},
        "cloudfront_price_class must be one of",
    ),
    BadInput("web-acl-name", {"web_acl_id": "lms-site"}, WAF),
    BadInput(
        "web-acl-regional",
        {"web_acl_id": WEB_ACL.replace("us-east-1", "eu-west-1").replace("global", "regional")},
        WAF,
    ),
    BadInput("tag-aws-prefix", {"tags": {"aws:team": "lms"}}, TAG_PREFIX),
    BadInput("tag-aws-prefix-upper", {"tags": {"AWS:Team": "lms"}}, TAG_PREFIX),
    BadInput("tag-key-empty", {"tags": {"": "lms"}}, TAG_SHAPE),
    BadInput("tag-key-too-long", {"tags": {"k" * 129: "lms"}}, TAG_SHAPE),
    BadInput("tag-value-too-long", {"tags": {"Team": "v" * 257}}, TAG_SHAPE),
    BadInput("tag-character", {"tags": {"Team": "lms#1"}}, TAG_SHAPE),
    BadInput(
        "tag-longest",
        {"tags": {"k" * 128: "v" * 256, "Owner": "Ünïcode team @ lms: a/b=c+d_e.f-g"}},
        None,
    ),
    # Preconditions: rules across variables.
    BadInput(
        "dns-without-zone",
        {"create_dns_records": True},
        "zone_id must be set when create_dns_records is true",
    ),
    BadInput(
        "cloudfront-without-zone",
        {"enable_cloudfront": True},
        "zone_id must be set when enable_cloudfront is true",
    ),
    BadInput(
        "cloudfront-certificate-outside-us-east-1",
        {"enable_cloudfront": True, "zone_id": ZONE_ID},
        "enable_cloudfront needs the aws.us_east_1 provider configured with region us-east-1",
        providers={"aws.us_east_1": "aws.eu_west_1"},
    ),
    BadInput(
        "cloudfront-with-waf",
        {"enable_cloudfront": True, "zone_id": ZONE_ID, "web_acl_id": WEB_ACL},
        None,
    ),
    BadInput(
        "waf-without-cloudfront",
        {"web_acl_id": WEB_ACL},
        "web_acl_id needs enable_cloudfront = true",
    ),
    BadInput(
        "www-domain-redirects-www",
        {"domain_name": "www.example-lms.com", "redirect_www": True},
        "redirect_www must be false when domain_name already starts with www.",
    ),
    BadInput(
        "www-too-long",
        {"domain_name": "b" * 56 + ".com", "redirect_www": True},
        "redirect_www needs domain_name of at most 59 characters",
    ),
    BadInput("www-longest", {"domain_name": "b" * 55 + ".com", "redirect_www": True}, None),
]


INVENTORY = [Failures("s3_website", HARNESS, CASES)]


@pytest.fixture(scope="module")
def errors(inventory):
    return inventory.errors("s3_website")


@pytest.mark.parametrize("case", case_params(CASES))
def test_rule(errors, case):
    assert_case(errors, case)


def test_long_domain_is_refused_only_for_its_length(errors):
    """The 64-character name is otherwise valid: one rule, one message."""
    assert len(errors["domain-too-long"]) == 1, errors["domain-too-long"]
