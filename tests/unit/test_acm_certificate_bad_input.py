"""Each rule of modules/acm-certificate refuses a value just past it and accepts the edge.

Every case is one instance of the module in the plan inventory's failures root
(tests/inventory.py), planned with every other file's cases. How to add a case:
tests/lint/test_validation_coverage.py.
"""

from __future__ import annotations

import pytest
from inventory import Failures
from plan_helpers import BadInput, Harness, assert_case, case_params

HARNESS = Harness(
    source="modules/acm-certificate",
    base={"domain_name": "api.example-lms.com", "zone_id": "Z0123456789ABCDEFGHIJ"},
)
DOMAIN = "domain_name must be a lower-case fully qualified domain name, optionally starting"
SANS = "subject_alternative_names must hold lower-case fully qualified domain names"
SANS_COUNT = "subject_alternative_names must hold at most 99 names"
ZONE = "zone_id must be a Route53 hosted zone ID"
KEY = "key_algorithm must be RSA_2048, EC_prime256v1 or EC_secp384r1"
TIMEOUT = "validation_timeout must be null or a duration of hours, minutes and seconds"
TAG_PREFIX = "tags keys must not start with aws:"
TAG_SHAPE = "tags keys must be 1-128 and values at most 256 characters"
# 253 characters: four labels of at most 63 and a top-level domain.
LONGEST_DOMAIN = ".".join(["a" * 63, "b" * 63, "c" * 63, "d" * 57, "com"])


def names(count: int) -> list[str]:
    return [f"n{i}.example-lms.com" for i in range(count)]


CASES = [
    BadInput("good-defaults", {}, None),
    BadInput("domain-empty-label", {"domain_name": "api..example-lms.com"}, DOMAIN),
    BadInput("domain-upper-case", {"domain_name": "API.example-lms.com"}, DOMAIN),
    BadInput("domain-url", {"domain_name": "https://api.example-lms.com"}, DOMAIN),
    BadInput("domain-single-label", {"domain_name": "localhost"}, DOMAIN),
    BadInput("domain-inner-wildcard", {"domain_name": "api.*.example-lms.com"}, DOMAIN),
    BadInput("domain-label-too-long", {"domain_name": "a" * 64 + ".example-lms.com"}, DOMAIN),
    BadInput("domain-too-long", {"domain_name": "d" + LONGEST_DOMAIN}, DOMAIN),
    BadInput("domain-longest", {"domain_name": LONGEST_DOMAIN}, None),
    BadInput("domain-wildcard", {"domain_name": "*.example-lms.com"}, None),
    BadInput("sans-underscore", {"subject_alternative_names": ["www_example.com"]}, SANS),
    BadInput("sans-upper-case", {"subject_alternative_names": ["WWW.example.com"]}, SANS),
    BadInput("sans-too-long", {"subject_alternative_names": ["s" + LONGEST_DOMAIN]}, SANS),
    BadInput("sans-longest", {"subject_alternative_names": [LONGEST_DOMAIN]}, None),
    BadInput(
        "sans-duplicated",
        {"subject_alternative_names": ["www.example-lms.com", "www.example-lms.com"]},
        "subject_alternative_names must not list the same name twice",
    ),
    BadInput("sans-too-many", {"subject_alternative_names": names(100)}, SANS_COUNT),
    BadInput("sans-most", {"subject_alternative_names": names(99)}, None),
    BadInput("sans-wildcard", {"subject_alternative_names": ["*.example-lms.com"]}, None),
    BadInput("zone-id-domain", {"zone_id": "acme-lms.com"}, ZONE),
    BadInput("zone-id-lower-case", {"zone_id": "z0123456789abcdefghij"}, ZONE),
    BadInput("zone-id-too-long", {"zone_id": "Z" * 33}, ZONE),
    BadInput("zone-id-longest", {"zone_id": "Z" * 32}, None),
    BadInput("key-rsa-4096", {"key_algorithm": "RSA_4096"}, KEY),
    BadInput("key-rsa-1024", {"key_algorithm": "RSA_1024"}, KEY),
    BadInput("key-lower-case", {"key_algorithm": "rsa_2048"}, KEY),
    BadInput("key-ec-256", {"key_algorithm": "EC_prime256v1"}, None),
    BadInput("key-ec-384", {"key_algorithm": "EC_secp384r1"}, None),
    BadInput("key-null-is-default", {"key_algorithm": None}, None),
    BadInput("timeout-no-unit", {"validation_timeout": "45"}, TIMEOUT),
    BadInput("timeout-empty", {"validation_timeout": ""}, TIMEOUT),
    BadInput("timeout-days", {"validation_timeout": "1d"}, TIMEOUT),
    BadInput("timeout-spaces", {"validation_timeout": "1h 30m"}, TIMEOUT),
    BadInput("timeout-minutes", {"validation_timeout": "45m"}, None),
    BadInput("timeout-hours-minutes", {"validation_timeout": "1h30m"}, None),
    BadInput("tag-aws-prefix", {"tags": {"aws:team": "lms"}}, TAG_PREFIX),
    BadInput("tag-key-empty", {"tags": {"": "lms"}}, TAG_SHAPE),
    BadInput("tag-character", {"tags": {"Team": "lms!"}}, TAG_SHAPE),
    BadInput("tag-key-too-long", {"tags": {"k" * 129: "lms"}}, TAG_SHAPE),
    BadInput("tag-value-too-long", {"tags": {"Team": "v" * 257}}, TAG_SHAPE),
    BadInput("tag-longest", {"tags": {"k" * 128: "v" * 256}}, None),
]


INVENTORY = [Failures("acm_certificate", HARNESS, CASES)]


@pytest.fixture(scope="module")
def errors(inventory):
    return inventory.errors("acm_certificate")


@pytest.mark.parametrize("case", case_params(CASES))
def test_rule(errors, case):
    assert_case(errors, case)
