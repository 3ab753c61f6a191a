"""Plan assertions for modules/alb-waf (its examples/basic root, on a copy)."""

from __future__ import annotations

import pytest
from inventory import Scenario
from plan_helpers import one

EXAMPLE = "modules/alb-waf/examples/basic"
LB_ARN = (
    "arn:aws:elasticloadbalancing:us-east-1:123456789012:"
    "loadbalancer/app/lms-example-backend/0123456789abcdef"
)

INVENTORY = [
    Scenario("alb_waf_rate_1500", EXAMPLE, {"load_balancer_arn": LB_ARN, "rate_limit": 1500})
]


@pytest.fixture(scope="module")
def waf_plan(inventory):
    return inventory.plan("alb_waf_rate_1500")


def test_web_acl_is_regional_allows_by_default_and_runs_managed_rules_then_rate_limit(waf_plan):
    acl = one(waf_plan, "aws_wafv2_web_acl")
    assert (acl["name"], acl["scope"]) == ("lms-example-backend", "REGIONAL")
    assert acl["default_action"] == [{"allow": [{"custom_request_handling": []}], "block": []}]
    rules = sorted(acl["rule"], key=lambda rule: rule["priority"])
    managed = [
        rule["statement"][0]["managed_rule_group_statement"][0]
        for rule in rules
        if rule["statement"][0]["managed_rule_group_statement"]
    ]
    assert [(m["vendor_name"], m["name"]) for m in managed] == [
        ("AWS", "AWSManagedRulesCommonRuleSet"),
        ("AWS", "AWSManagedRulesKnownBadInputsRuleSet"),
    ]
    # The managed rule groups block what they match: "none" keeps their own actions, where
    # "count" would only count matches.
    for rule in rules[:2]:
        (override,) = rule["override_action"]
        assert override["none"] != [] and override["count"] == [], rule["name"]
    rate = rules[-1]
    assert rate["name"] == "rate-limit-per-ip"
    (statement,) = rate["statement"][0]["rate_based_statement"]
    assert (statement["limit"], statement["aggregate_key_type"]) == (1500, "IP")
    assert rate["action"][0]["block"] != []
    for visibility in [rule["visibility_config"][0] for rule in rules] + acl["visibility_config"]:
        assert visibility["cloudwatch_metrics_enabled"] is True
        assert visibility["sampled_requests_enabled"] is True
    assert [rule["visibility_config"][0]["metric_name"] for rule in rules] == [
        "lms-example-backend-common",
        "lms-example-backend-known-bad-inputs",
        "lms-example-backend-rate-limit",
    ]


def test_web_acl_is_associated_with_the_load_balancer(waf_plan):
    association = one(waf_plan, "aws_wafv2_web_acl_association")
    assert association["resource_arn"] == LB_ARN
