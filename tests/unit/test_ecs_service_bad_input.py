"""modules/ecs-service rejects bad input with a message naming the variable.

Terraform reports every failed variable validation of a run at once, so one plan
with all the bad values checks them all; the cpu/memory pair is a precondition
(evaluated once variables are valid) and gets its own plan.
"""

from __future__ import annotations

import pytest

from lmsops.testing import plan_error

EXAMPLE = "modules/ecs-service/examples/basic"
BASE_VARS = {
    "vpc_id": "vpc-0123456789abcdef0",
    "subnet_ids": ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"],
    "load_balancer_security_group_id": "sg-0123456789abcdef0",
    "target_group_arn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/lms/0a1b",
}
BAD_VARIABLES = {
    "cpu": 300,
    "container_port": 70000,
    "subnet_ids": ["subnet-0aaaaaaaaaaaaaaaa"],
    "log_retention_days": 45,
    "secrets": {"DB": "postgres://user:pw@db"},
}
MESSAGES = {
    "cpu": "cpu must be one of Fargate's CPU values",
    "container_port": "container_port must be a whole number from 1 to 65535",
    "subnet_ids": "subnet_ids must list at least two subnets",
    "log_retention_days": "log_retention_days must be one of the values CloudWatch Logs accepts",
    "secrets": "secrets values must be SSM parameter ARNs",
}


@pytest.fixture(scope="module")
def validation_errors(emulator, repo_copy) -> str:
    return plan_error(repo_copy / EXAMPLE, {**BASE_VARS, **BAD_VARIABLES})


@pytest.mark.parametrize("variable", sorted(MESSAGES))
def test_bad_value_is_rejected_naming_the_variable(validation_errors, variable):
    assert MESSAGES[variable] in validation_errors, validation_errors


def test_cpu_memory_pair_fargate_does_not_offer_is_rejected(emulator, repo_copy):
    error = plan_error(repo_copy / EXAMPLE, {**BASE_VARS, "cpu": 256, "memory": 4096})
    assert "cpu and memory must be a combination Fargate accepts" in error, error
    assert "cpu 256 takes memory 512, 1024 or 2048" in error
