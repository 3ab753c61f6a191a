"""checkov on the plan of every optional path a live root does not turn on.

The live roots' plans (test_checkov.py) cover what dev and prod enable: alarms, dashboard,
HSTS, the WAF and access logs (prod). The module examples declared here with their toggles on
cover the rest: ECS Exec and deployment alarms, access logs delivered to the service
principal, email subscriptions, CloudFront with its us-east-1 certificate, a certificate
with alternative names and an EC key, enhanced Container Insights, so no module path ships
unscanned. They are scenarios of the plan inventory (tests/inventory.py), scanned in the same
plan as the unit tier's.
"""

from __future__ import annotations

import re

import checkov_runner
from inventory import Scenario

NO_REASON = ("", "No comment provided")
ALB_VARS = {
    "zone_id": "Z0123456789ABCDEFGHIJ",
    "vpc_id": "vpc-0123456789abcdef0",
    "subnet_ids": ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"],
    "service_security_group_id": "sg-0fedcba9876543210",
}
SCENARIOS = {
    "alb-https-access-logs-service-principal": (
        "modules/alb-https/examples/basic",
        {**ALB_VARS, "access_logs_enabled": True, "access_logs_delivery": "service-principal"},
    ),
    "alb-https-access-logs-elb-account": (
        "modules/alb-https/examples/basic",
        {**ALB_VARS, "access_logs_enabled": True, "access_logs_prefix": "alb"},
    ),
    "ecs-service-exec-and-deployment-alarms": (
        "modules/ecs-service/examples/basic",
        {
            "vpc_id": "vpc-0123456789abcdef0",
            "subnet_ids": ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"],
            "load_balancer_security_group_id": "sg-0123456789abcdef0",
            "target_group_arn": (
                "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/lms/0a1b"
            ),
            "enable_execute_command": True,
            "deployment_alarms_enabled": True,
            "deployment_alarm_names": ["lms-example-backend-target-5xx-rate"],
        },
    ),
    "s3-website-cloudfront": (
        "modules/s3-website/examples/basic",
        {"enable_cloudfront": True, "redirect_www": True, "single_page_app": True},
    ),
    "acm-certificate-names-and-ec-key": (
        "modules/acm-certificate/examples/basic",
        {
            # No wildcard: CKV2_AWS_71 refuses wildcard names, and the roots use none.
            "subject_alternative_names": ["www.example-lms.com", "app.example-lms.com"],
            "key_algorithm": "EC_prime256v1",
            "validation_timeout": "45m",
        },
    ),
    "ecs-cluster-enhanced-insights": (
        "modules/ecs-cluster/examples/basic",
        {"container_insights": "enhanced"},
    ),
    "service-monitoring-with-emails": (
        "modules/service-monitoring/examples/basic",
        {"notification_emails": ["oncall@example.com"]},
    ),
    "alb-waf": (
        "modules/alb-waf/examples/basic",
        {
            "load_balancer_arn": (
                "arn:aws:elasticloadbalancing:us-east-1:123456789012:"
                "loadbalancer/app/lms-example-backend/0123456789abcdef"
            )
        },
    ),
}


def scenario_id(name: str) -> str:
    return "optional_" + re.sub(r"[^a-z0-9]+", "_", name)


INVENTORY = [
    Scenario(scenario_id(name), example, tf_vars) for name, (example, tf_vars) in SCENARIOS.items()
]


def assert_clean(report: checkov_runner.Report) -> None:
    assert report.passed > 0, "checkov evaluated nothing"
    assert not report.failed, "checkov failures:\n" + "\n".join(report.failed)
    unexplained = [s for s in report.skip_reasons if s.split(": ", 1)[1].strip() in NO_REASON]
    assert not unexplained, "skips without a reason:\n" + "\n".join(unexplained)


def test_every_optional_path_plan_passes_checkov(inventory, checkov_reports):
    ids = [scenario_id(name) for name in SCENARIOS]
    assert inventory.planned_ok(ids) == ids, "optional paths missing from the scanned plan"
    assert_clean(checkov_reports["plan"])


def test_the_scenarios_really_turn_the_paths_on(inventory):
    planned = {
        name: {
            change["type"] for change in inventory.plan(scenario_id(name)).resource_changes.values()
        }
        for name in SCENARIOS
    }
    assert "aws_s3_bucket_policy" in planned["alb-https-access-logs-service-principal"]
    assert "aws_iam_role_policy" in planned["ecs-service-exec-and-deployment-alarms"]
    assert "aws_sns_topic_subscription" in planned["service-monitoring-with-emails"]
    assert "aws_wafv2_web_acl_association" in planned["alb-waf"]
    assert {"aws_cloudfront_distribution", "aws_acm_certificate_validation"} <= planned[
        "s3-website-cloudfront"
    ]
    assert "aws_acm_certificate_validation" in planned["acm-certificate-names-and-ec-key"]
    assert planned["ecs-cluster-enhanced-insights"] == {"aws_ecs_cluster"}
