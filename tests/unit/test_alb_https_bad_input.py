"""Each rule of modules/alb-https refuses a value just past it and accepts the edge.

Every case is one instance of the module in the plan inventory's failures root
(tests/inventory.py), planned with every other file's cases. How to add a case:
tests/lint/test_validation_coverage.py.
"""

from __future__ import annotations

import pytest
from inventory import Failures
from plan_helpers import BadInput, Harness, assert_case, case_params

HARNESS = Harness(
    source="modules/alb-https",
    base={
        "name": "lms-test-api",
        "domain_name": "api.example-lms.com",
        "zone_id": "Z0123456789ABCDEFGHIJ",
        "vpc_id": "vpc-0123456789abcdef0",
        "subnet_ids": ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"],
        "service_security_group_id": "sg-0fedcba9876543210",
    },
)
NAME = "name must be 1-32 characters"
SUBNET_IDS = "subnet_ids must hold subnet IDs"
IDLE = "idle_timeout must be a whole number of seconds from 1 to 4000"
PREFIX = "access_logs_prefix must be null or an S3 key prefix without leading or trailing slash"
AWSLOGS = "access_logs_prefix must not contain AWSLogs"
HSTS = "hsts_max_age_seconds must be a whole number of seconds from 300 to 63072000"
EXPIRATION = "access_logs_expiration_days must be a whole number of days from 1 to 3650"
LOGS_ON = {"access_logs_enabled": True}
PORT = "target_port must be a whole number from 1 to 65535"
DRAIN = "deregistration_delay must be a whole number of seconds from 0 to 3600"
PATH = "health_check path must start with / and be at most 1024 characters"
MATCHER = "health_check matcher must be HTTP codes from 200 to 499"
INTERVAL = "health_check interval must be a whole number of seconds from 5 to 300"
TIMEOUT = "health_check timeout must be a whole number of seconds from 2 to 120"
THRESHOLDS = (
    "health_check healthy_threshold and unhealthy_threshold must be whole numbers from 2 to 10"
)
DOMAIN = "domain_name must be a lower-case fully qualified domain name"
SSL = "ssl_policy must be an ELB security policy that allows only TLS 1.2 or newer"
# 253 characters: four labels of at most 63 and a top-level domain.
LONGEST_DOMAIN = ".".join(["a" * 63, "b" * 63, "c" * 63, "d" * 57, "com"])
SANS = "subject_alternative_names must hold lower-case fully qualified"
TAG_PREFIX = "tags keys must not start with aws:"
TAG_SHAPE = "tags keys must be 1-128 and values at most 256 characters"

CASES = [
    BadInput("good-defaults", {}, None),
    BadInput("name-upper-case", {"name": "LMS-api"}, NAME),
    BadInput("name-too-long", {"name": "a" * 33}, NAME),
    BadInput("name-leading-hyphen", {"name": "-lms"}, NAME),
    BadInput("name-internal", {"name": "internal-lms"}, NAME),
    BadInput("name-shortest", {"name": "a"}, None),
    BadInput("name-longest", {"name": "a" * 32}, None),
    BadInput("vpc-id-short", {"vpc_id": "vpc-123"}, "vpc_id must be a VPC ID"),
    BadInput("vpc-id-name", {"vpc_id": "default"}, "vpc_id must be a VPC ID"),
    BadInput("vpc-id-8-hex", {"vpc_id": "vpc-0123abcd"}, None),
    BadInput(
        "subnets-one",
        {"subnet_ids": ["subnet-0aaaaaaaaaaaaaaaa"]},
        "subnet_ids must list at least two subnets",
    ),
    BadInput("subnets-names", {"subnet_ids": ["public-a", "public-b"]}, SUBNET_IDS),
    BadInput(
        "subnets-duplicated",
        {"subnet_ids": ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0aaaaaaaaaaaaaaaa"]},
        "subnet_ids must not list the same subnet twice",
    ),
    BadInput(
        "ip-address-type", {"ip_address_type": "ipv6"}, "ip_address_type must be ipv4 or dualstack"
    ),
    BadInput("idle-zero", {"idle_timeout": 0}, IDLE),
    BadInput("idle-too-long", {"idle_timeout": 4001}, IDLE),
    BadInput("idle-fraction", {"idle_timeout": 1.5}, IDLE),
    BadInput("idle-lowest", {"idle_timeout": 1}, None),
    BadInput("idle-highest", {"idle_timeout": 4000}, None),
    BadInput("logs-prefix-leading-slash", {**LOGS_ON, "access_logs_prefix": "/lms"}, PREFIX),
    BadInput("logs-prefix-trailing-slash", {**LOGS_ON, "access_logs_prefix": "lms/"}, PREFIX),
    BadInput("logs-prefix-empty-part", {**LOGS_ON, "access_logs_prefix": "lms//prod"}, PREFIX),
    BadInput("logs-prefix-empty", {**LOGS_ON, "access_logs_prefix": ""}, PREFIX),
    BadInput("logs-prefix-space", {**LOGS_ON, "access_logs_prefix": "lms prod"}, PREFIX),
    BadInput("logs-prefix-awslogs", {**LOGS_ON, "access_logs_prefix": "AWSLogs/lms"}, AWSLOGS),
    BadInput(
        "logs-prefix-inner-awslogs", {**LOGS_ON, "access_logs_prefix": "lms/AWSLogs"}, AWSLOGS
    ),
    BadInput("logs-prefix-nested", {**LOGS_ON, "access_logs_prefix": "lms/prod"}, None),
    BadInput("logs-prefix-lower-awslogs", {**LOGS_ON, "access_logs_prefix": "awslogs"}, None),
    BadInput(
        "logs-delivery-bucket-acl",
        {"access_logs_delivery": "bucket-acl"},
        "access_logs_delivery must be elb-account",
    ),
    BadInput(
        "logs-delivery-service-principal",
        {**LOGS_ON, "access_logs_delivery": "service-principal"},
        None,
    ),
    BadInput("logs-expiration-zero", {"access_logs_expiration_days": 0}, EXPIRATION),
    BadInput("logs-expiration-too-long", {"access_logs_expiration_days": 3651}, EXPIRATION),
    BadInput("logs-expiration-fraction", {"access_logs_expiration_days": 1.5}, EXPIRATION),
    BadInput("logs-expiration-shortest", {**LOGS_ON, "access_logs_expiration_days": 1}, None),
    BadInput("logs-expiration-longest", {**LOGS_ON, "access_logs_expiration_days": 3650}, None),
    BadInput("hsts-too-short", {"hsts_max_age_seconds": 299}, HSTS),
    BadInput("hsts-too-long", {"hsts_max_age_seconds": 63072001}, HSTS),
    BadInput("hsts-fraction", {"hsts_max_age_seconds": 300.5}, HSTS),
    BadInput("hsts-shortest", {"hsts_max_age_seconds": 300}, None),
    BadInput("hsts-longest", {"hsts_max_age_seconds": 63072000}, None),
    BadInput("port-zero", {"target_port": 0}, PORT),
    BadInput("port-too-high", {"target_port": 65536}, PORT),
    BadInput("port-fraction", {"target_port": 80.5}, PORT),
    BadInput("port-edges", {"target_port": 65535}, None),
    BadInput("port-lowest", {"target_port": 1}, None),
    BadInput(
        "service-sg-name",
        {"service_security_group_id": "lms-service"},
        "service_security_group_id must be a security group ID",
    ),
    BadInput("drain-negative", {"deregistration_delay": -1}, DRAIN),
    BadInput("drain-too-long", {"deregistration_delay": 3601}, DRAIN),
    BadInput("drain-fraction", {"deregistration_delay": 1.5}, DRAIN),
    BadInput("drain-lowest", {"deregistration_delay": 0}, None),
    BadInput("drain-highest", {"deregistration_delay": 3600}, None),
    BadInput("path-relative", {"health_check": {"path": "health"}}, PATH),
    BadInput("path-space", {"health_check": {"path": "/health check"}}, PATH),
    BadInput("path-too-long", {"health_check": {"path": "/" + "p" * 1024}}, PATH),
    BadInput("path-longest", {"health_check": {"path": "/" + "p" * 1023}}, None),
    BadInput("matcher-word", {"health_check": {"matcher": "OK"}}, MATCHER),
    BadInput("matcher-below-200", {"health_check": {"matcher": "199"}}, MATCHER),
    BadInput("matcher-above-499", {"health_check": {"matcher": "500"}}, MATCHER),
    BadInput("matcher-open-range", {"health_check": {"matcher": "200-"}}, MATCHER),
    BadInput("matcher-range", {"health_check": {"matcher": "200-499"}}, None),
    BadInput("matcher-list", {"health_check": {"matcher": "200,302"}}, None),
    BadInput("interval-too-short", {"health_check": {"interval": 4, "timeout": 2}}, INTERVAL),
    BadInput("interval-too-long", {"health_check": {"interval": 301}}, INTERVAL),
    BadInput("interval-fraction", {"health_check": {"interval": 10.5}}, INTERVAL),
    BadInput("interval-shortest", {"health_check": {"interval": 5, "timeout": 2}}, None),
    BadInput("interval-longest", {"health_check": {"interval": 300, "timeout": 120}}, None),
    BadInput("timeout-too-short", {"health_check": {"timeout": 1}}, TIMEOUT),
    BadInput("timeout-too-long", {"health_check": {"interval": 300, "timeout": 121}}, TIMEOUT),
    BadInput(
        "timeout-not-below-interval",
        {"health_check": {"interval": 15, "timeout": 15}},
        "health_check timeout must be less than its interval",
    ),
    BadInput("healthy-threshold-low", {"health_check": {"healthy_threshold": 1}}, THRESHOLDS),
    BadInput("healthy-threshold-high", {"health_check": {"healthy_threshold": 11}}, THRESHOLDS),
    BadInput("unhealthy-threshold-low", {"health_check": {"unhealthy_threshold": 1}}, THRESHOLDS),
    BadInput("unhealthy-threshold-high", {"health_check": {"unhealthy_threshold": 11}}, THRESHOLDS),
    BadInput(
        "thresholds-lowest",
        {"health_check": {"healthy_threshold": 2, "unhealthy_threshold": 2}},
        None,
    ),
    BadInput(
        "thresholds-highest",
        {"health_check": {"healthy_threshold": 10, "unhealthy_threshold": 10}},
        None,
    ),
    BadInput("ssl-policy-tls10", {"ssl_policy": "ELBSecurityPolicy-2016-08"}, SSL),
    BadInput("ssl-policy-tls11", {"ssl_policy": "ELBSecurityPolicy-TLS-1-1-2017-01"}, SSL),
    BadInput("ssl-policy-tls13-only", {"ssl_policy": "ELBSecurityPolicy-TLS13-1-3-2021-06"}, None),
    BadInput("domain-empty-label", {"domain_name": "api..example.com"}, DOMAIN),
    BadInput("domain-upper-case", {"domain_name": "API.example.com"}, DOMAIN),
    BadInput("domain-url", {"domain_name": "https://api.example.com"}, DOMAIN),
    BadInput("domain-too-long", {"domain_name": "d" + LONGEST_DOMAIN}, DOMAIN),
    BadInput("domain-longest", {"domain_name": LONGEST_DOMAIN}, None),
    BadInput("sans-underscore", {"subject_alternative_names": ["www_example.com"]}, SANS),
    BadInput(
        "sans-duplicated",
        {"subject_alternative_names": ["www.example-lms.com", "www.example-lms.com"]},
        "subject_alternative_names must not list the same name twice",
    ),
    BadInput("sans-wildcard", {"subject_alternative_names": ["*.example-lms.com"]}, None),
    BadInput(
        "zone-id-domain", {"zone_id": "acme-lms.com"}, "zone_id must be a Route53 hosted zone ID"
    ),
    BadInput("zone-id-too-long", {"zone_id": "Z" * 33}, "zone_id must be a Route53 hosted zone ID"),
    BadInput("tag-aws-prefix", {"tags": {"aws:team": "lms"}}, TAG_PREFIX),
    BadInput("tag-key-empty", {"tags": {"": "lms"}}, TAG_SHAPE),
    BadInput("tag-value-too-long", {"tags": {"Team": "v" * 257}}, TAG_SHAPE),
    BadInput("tag-character", {"tags": {"Team": "lms!"}}, TAG_SHAPE),
    BadInput("tag-key-too-long", {"tags": {"k" * 129: "lms"}}, TAG_SHAPE),
    BadInput("tag-longest", {"tags": {"k" * 128: "v" * 256}}, None),
    # Preconditions: rules across variables.
    BadInput(
        "logs-prefix-without-logs",
        {"access_logs_prefix": "lms/prod"},
        "access_logs_prefix needs access_logs_enabled = true",
    ),
]


INVENTORY = [Failures("alb_https", HARNESS, CASES)]


@pytest.fixture(scope="module")
def errors(inventory):
    return inventory.errors("alb_https")


@pytest.mark.parametrize("case", case_params(CASES))
def test_rule(errors, case):
    assert_case(errors, case)
