"""modules/ecs-service: deployment_alarm_names rejects names CloudWatch would not accept."""

from __future__ import annotations

import pytest

from lmsops.testing import grouped_plan_errors

EXAMPLE = "modules/ecs-service/examples/basic"
BASE_VARS = {
    "vpc_id": "vpc-0123456789abcdef0",
    "subnet_ids": ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"],
    "load_balancer_security_group_id": "sg-0123456789abcdef0",
    "target_group_arn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/lms/0a1b",
}

CASES = [
    pytest.param(
        1,
        {"deployment_alarm_names": [""]},
        "deployment_alarm_names must hold CloudWatch alarm names of 1-255 characters",
        id="empty-name",
    ),
]


@pytest.fixture(scope="module")
def group_errors(emulator, repo_copy):
    return grouped_plan_errors(repo_copy / EXAMPLE, CASES, BASE_VARS)


@pytest.mark.parametrize(("group", "bad_vars", "message"), CASES)
def test_bad_input_is_rejected_with_the_variable_named(group_errors, group, bad_vars, message):
    error = group_errors(group)
    assert message in error, f"{bad_vars} was not rejected with {message!r}:\n{error}"
