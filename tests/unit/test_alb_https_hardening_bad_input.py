"""modules/alb-https: the header and access-log inputs reject bad values, naming the variable."""

from __future__ import annotations

import pytest

from lmsops.testing import grouped_plan_errors

EXAMPLE = "modules/alb-https/examples/basic"
BASE_VARS = {
    "zone_id": "Z0123456789ABCDEFGHIJ",
    "vpc_id": "vpc-0123456789abcdef0",
    "subnet_ids": ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"],
    "service_security_group_id": "sg-0fedcba9876543210",
}

CASES = [
    pytest.param(
        1,
        {"hsts_max_age_seconds": 60},
        "hsts_max_age_seconds must be a whole number of seconds from 300 to 63072000",
        id="hsts-short",
    ),
    pytest.param(
        1,
        {"access_logs_delivery": "bucket-acl"},
        "access_logs_delivery must be elb-account",
        id="delivery",
    ),
    pytest.param(
        1,
        {"access_logs_expiration_days": 0},
        "access_logs_expiration_days must be a whole number of days from 1 to 3650",
        id="expiration",
    ),
    pytest.param(
        1,
        {"access_logs_prefix": "/alb/"},
        "access_logs_prefix must be null or an S3 key prefix without leading or trailing slash",
        id="prefix-slashes",
    ),
    pytest.param(
        2,
        {"access_logs_prefix": "AWSLogs"},
        "access_logs_prefix must not contain AWSLogs",
        id="prefix-awslogs",
    ),
]


@pytest.fixture(scope="module")
def group_errors(emulator, repo_copy):
    return grouped_plan_errors(repo_copy / EXAMPLE, CASES, BASE_VARS)


@pytest.mark.parametrize(("group", "bad_vars", "message"), CASES)
def test_bad_input_is_rejected_with_the_variable_named(group_errors, group, bad_vars, message):
    error = group_errors(group)
    assert message in error, f"{bad_vars} was not rejected with {message!r}:\n{error}"
