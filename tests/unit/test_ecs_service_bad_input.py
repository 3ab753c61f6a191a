"""modules/ecs-service rejects bad input with a message naming the variable."""

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


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"cpu": 256, "memory": 4096}, "cpu and memory must be a combination Fargate accepts"),
        ({"cpu": 1024, "memory": 1024}, "cpu and memory must be a combination Fargate accepts"),
        ({"cpu": 300}, "cpu must be one of Fargate's CPU values"),
        ({"container_port": 70000}, "container_port must be a whole number from 1 to 65535"),
        ({"container_port": 0}, "container_port must be a whole number from 1 to 65535"),
        ({"subnet_ids": ["subnet-0aaaaaaaaaaaaaaaa"]}, "subnet_ids must list at least two"),
        ({"log_retention_days": 45}, "log_retention_days must be one of the values"),
        ({"secrets": {"DB": "postgres://user:pw@db"}}, "secrets values must be SSM parameter"),
    ],
    ids=[
        "cpu-256-memory-4096",
        "cpu-1024-memory-1024",
        "cpu-300",
        "port-70000",
        "port-0",
        "one-subnet",
        "retention-45",
        "secret-not-an-arn",
    ],
)
def test_bad_input_is_rejected_naming_the_variable(emulator, repo_copy, bad, message):
    error = readable(plan_error(repo_copy / EXAMPLE, {**BASE_VARS, **bad}))
    assert message in error, error


def readable(error: str) -> str:
    """plan_error's text may carry repr escapes (\\n, \\'); undo them before matching."""
    return " ".join(error.replace("\\n", " ").replace("\\'", "'").split())
