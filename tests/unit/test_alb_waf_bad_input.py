"""Each rule of modules/alb-waf refuses a value just past it and accepts the edge.

Every case is one instance of the module in the plan inventory's failures root
(tests/inventory.py), planned with every other file's cases. How to add a case:
tests/lint/test_validation_coverage.py.
"""

from __future__ import annotations

import pytest
from inventory import Failures
from plan_helpers import BadInput, Harness, assert_case, case_params

LB_ARN = (
    "arn:aws:elasticloadbalancing:us-east-1:123456789012:"
    "loadbalancer/app/lms-example-backend/0123456789abcdef"
)
HARNESS = Harness(
    source="modules/alb-waf",
    base={"name": "lms-test-backend", "load_balancer_arn": LB_ARN},
)
NAME = "name must be 1-100 letters, digits"
LB = "load_balancer_arn must be an Application Load Balancer ARN"
RATE = "rate_limit must be a whole number of requests per 5 minutes from 100 to 2000000000"

CASES = [
    BadInput("good-defaults", {}, None),
    BadInput("name-empty", {"name": ""}, NAME),
    BadInput("name-space", {"name": "lms prod"}, NAME),
    BadInput("name-too-long", {"name": "a" * 101}, NAME),
    BadInput("name-shortest", {"name": "a"}, None),
    BadInput("name-longest", {"name": "A_" * 50}, None),
    BadInput("lb-network", {"load_balancer_arn": LB_ARN.replace("/app/", "/net/")}, LB),
    BadInput("lb-name-not-arn", {"load_balancer_arn": "lms-example-backend"}, LB),
    BadInput(
        "lb-short-account", {"load_balancer_arn": LB_ARN.replace("123456789012", "12345")}, LB
    ),
    BadInput("rate-too-low", {"rate_limit": 99}, RATE),
    BadInput("rate-too-high", {"rate_limit": 2000000001}, RATE),
    BadInput("rate-fraction", {"rate_limit": 150.5}, RATE),
    BadInput("rate-lowest", {"rate_limit": 100}, None),
    BadInput("rate-highest", {"rate_limit": 2000000000}, None),
]


INVENTORY = [Failures("alb_waf", HARNESS, CASES)]


@pytest.fixture(scope="module")
def errors(inventory):
    return inventory.errors("alb_waf")


@pytest.mark.parametrize("case", case_params(CASES))
def test_rule(errors, case):
    assert_case(errors, case)
