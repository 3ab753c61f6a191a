"""modules/alb-https: response headers on the HTTPS listener and the access logs toggle."""

from __future__ import annotations

import json

import pytest
from inventory import Scenario
from plan_helpers import one, resources_by_type

EXAMPLE = "modules/alb-https/examples/basic"
BASE_VARS = {
    "zone_id": "Z0123456789ABCDEFGHIJ",
    "vpc_id": "vpc-0123456789abcdef0",
    "subnet_ids": ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"],
    "service_security_group_id": "sg-0fedcba9876543210",
}
# The provider's Elastic Load Balancing account of us-east-1 (the emulator's region).
US_EAST_1_ELB_ACCOUNT = "arn:aws:iam::127311923021:root"
LOG_BUCKET_TYPES = (
    "aws_s3_bucket",
    "aws_s3_bucket_policy",
    "aws_s3_bucket_public_access_block",
    "aws_s3_bucket_ownership_controls",
    "aws_s3_bucket_server_side_encryption_configuration",
    "aws_s3_bucket_lifecycle_configuration",
)

LOGS_ON = {
    "access_logs_enabled": True,
    "access_logs_prefix": "alb",
    "hsts_include_subdomains": False,
}
SERVICE_PRINCIPAL = {"access_logs_enabled": True, "access_logs_delivery": "service-principal"}

INVENTORY = [
    Scenario("alb_https_logs_off", EXAMPLE, BASE_VARS),
    Scenario("alb_https_logs_on", EXAMPLE, {**BASE_VARS, **LOGS_ON, "hsts_max_age_seconds": 86400}),
    Scenario("alb_https_logs_service_principal", EXAMPLE, {**BASE_VARS, **SERVICE_PRINCIPAL}),
]


@pytest.fixture(scope="module")
def logs_off_plan(inventory):
    return inventory.plan("alb_https_logs_off")


@pytest.fixture(scope="module")
def logs_on_plan(inventory):
    return inventory.plan("alb_https_logs_on")


@pytest.fixture(scope="module")
def service_principal_plan(inventory):
    return inventory.plan("alb_https_logs_service_principal")


def https_listener(plan_output) -> dict:
    (found,) = [r for r in resources_by_type(plan_output, "aws_lb_listener") if r["port"] == 443]
    return found


def log_policy(plan_output) -> dict:
    return json.loads(one(plan_output, "aws_s3_bucket_policy")["policy"])


def test_https_listener_sends_hsts_nosniff_and_no_server_header(logs_off_plan):
    listener = https_listener(logs_off_plan)
    assert (
        listener["routing_http_response_strict_transport_security_header_value"]
        == "max-age=31536000; includeSubDomains"
    )
    assert listener["routing_http_response_x_content_type_options_header_value"] == "nosniff"
    assert listener["routing_http_response_server_enabled"] is False
    assert one(logs_off_plan, "aws_lb")["drop_invalid_header_fields"] is True


def test_hsts_follows_its_inputs(logs_on_plan):
    value = https_listener(logs_on_plan)[
        "routing_http_response_strict_transport_security_header_value"
    ]
    assert value == "max-age=86400"
    assert logs_on_plan.outputs["url"].startswith("https://")


def test_access_logs_off_creates_no_bucket(logs_off_plan):
    for rtype in LOG_BUCKET_TYPES:
        assert resources_by_type(logs_off_plan, rtype) == [], rtype
    assert one(logs_off_plan, "aws_lb")["access_logs"] == []


def test_access_logs_on_go_to_a_private_sse_s3_bucket_with_a_lifecycle(logs_on_plan):
    bucket = one(logs_on_plan, "aws_s3_bucket")
    assert bucket["bucket"] == "lms-example-api-alb-logs-123456789012"
    block = one(logs_on_plan, "aws_s3_bucket_public_access_block")
    assert all(
        block[k]
        for k in (
            "block_public_acls",
            "block_public_policy",
            "ignore_public_acls",
            "restrict_public_buckets",
        )
    )
    owner = one(logs_on_plan, "aws_s3_bucket_ownership_controls")
    assert owner["rule"][0]["object_ownership"] == "BucketOwnerEnforced"
    (rule,) = one(logs_on_plan, "aws_s3_bucket_server_side_encryption_configuration")["rule"]
    assert rule["apply_server_side_encryption_by_default"][0]["sse_algorithm"] == "AES256"
    (lifecycle,) = one(logs_on_plan, "aws_s3_bucket_lifecycle_configuration")["rule"]
    assert lifecycle["expiration"][0]["days"] == 90
    (logs,) = one(logs_on_plan, "aws_lb")["access_logs"]
    assert (logs["enabled"], logs["bucket"], logs["prefix"]) == (
        True,
        "lms-example-api-alb-logs-123456789012",
        "alb",
    )


def test_access_logs_start_once_the_bucket_policy_lets_elb_write(logs_on_plan):
    """ELB writes a test object when logging is enabled: without the policy that fails."""
    module = logs_on_plan.configuration["root_module"]["module_calls"]["alb"]["module"]
    resources = {r["address"]: r for r in module["resources"]}
    assert "aws_s3_bucket_policy.access_logs" in resources["aws_lb.this"]["depends_on"]
    policy = resources["aws_s3_bucket_policy.access_logs"]
    assert "aws_s3_bucket_public_access_block.access_logs" in policy["depends_on"]


def test_log_bucket_policy_lets_the_regional_elb_account_write_only_its_log_path(logs_on_plan):
    statements = {s["Sid"]: s for s in log_policy(logs_on_plan)["Statement"]}
    delivery = statements["LoadBalancerLogDelivery"]
    assert delivery["Principal"] == {"AWS": US_EAST_1_ELB_ACCOUNT}
    assert delivery["Action"] == "s3:PutObject"
    assert delivery["Resource"] == (
        "arn:aws:s3:::lms-example-api-alb-logs-123456789012/alb/AWSLogs/123456789012/*"
    )
    deny = statements["DenyInsecureTransport"]
    assert deny["Effect"] == "Deny"
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_newer_regions_deliver_as_the_log_delivery_service_principal(service_principal_plan):
    statements = {s["Sid"]: s for s in log_policy(service_principal_plan)["Statement"]}
    delivery = statements["LoadBalancerLogDelivery"]
    assert delivery["Principal"] == {"Service": "logdelivery.elasticloadbalancing.amazonaws.com"}
    assert delivery["Resource"].endswith("-alb-logs-123456789012/AWSLogs/123456789012/*")
