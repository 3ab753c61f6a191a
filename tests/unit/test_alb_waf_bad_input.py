"""Each validation rule of modules/alb-waf rejects a bad value and names the variable."""

from __future__ import annotations

import pytest

from lmsops.testing import grouped_plan_errors

EXAMPLE = "modules/alb-waf/examples/basic"
LB_ARN = (
    "arn:aws:elasticloadbalancing:us-east-1:123456789012:"
    "loadbalancer/app/lms-example-backend/0123456789abcdef"
)

CASES = [
    pytest.param(1, {"name": "lms prod"}, "name must be 1-100 letters, digits", id="name"),
    pytest.param(
        1,
        {"load_balancer_arn": LB_ARN.replace("/app/", "/net/")},
        "load_balancer_arn must be an Application Load Balancer ARN",
        id="network-lb",
    ),
    pytest.param(
        1, {"rate_limit": 50}, "rate_limit must be a whole number of requests", id="rate-low"
    ),
]


@pytest.fixture(scope="module")
def group_errors(emulator, repo_copy):
    return grouped_plan_errors(repo_copy / EXAMPLE, CASES, {"load_balancer_arn": LB_ARN})


@pytest.mark.parametrize(("group", "bad_vars", "message"), CASES)
def test_bad_input_is_rejected_with_the_variable_named(group_errors, group, bad_vars, message):
    error = group_errors(group)
    assert message in error, f"{bad_vars} was not rejected with {message!r}:\n{error}"
