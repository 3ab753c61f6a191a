"""live/<env>/backend: alarms, dashboard, WAF, access logs, ECS Exec and account guards.

Plans run on a copy with local state against the emulator (account 123456789012), in a
hosted zone of their own (see test_backend_root_plan.py for why).
"""

from __future__ import annotations

import pytest
from inventory import Failures, Scenario
from plan_helpers import BadInput, Harness, one, resources_by_type

ZONE = "backend-readiness-plan.example"
EMULATOR_ACCOUNT = "123456789012"
OTHER_ACCOUNT = "210987654321"
DEPLOY_ROLE = f"arn:aws:iam::{EMULATOR_ACCOUNT}:role/lms-deploy"


def dev_vars(zone: str, **extra) -> dict:
    return {"zone_name": zone, "domain_name": f"api.dev.{zone}", **extra}


def prod_vars(zone: str, **extra) -> dict:
    return {"zone_name": zone, "domain_name": f"api.{zone}", **extra}


INVENTORY = [
    # Committed dev values plus the account guard (emulator's account) and ECS Exec on.
    Scenario(
        "backend_readiness_dev",
        "live/dev/backend",
        dev_vars(ZONE, allowed_account_ids=[EMULATOR_ACCOUNT], enable_execute_command=True),
        zones=(ZONE,),
    ),
    Scenario("backend_readiness_prod", "live/prod/backend", prod_vars(ZONE), zones=(ZONE,)),
    # Prod through an assumed role, with ECS Exec deliberately allowed.
    Scenario(
        "backend_readiness_prod_override",
        "live/prod/backend",
        prod_vars(
            ZONE,
            assume_role_arn=DEPLOY_ROLE,
            allowed_account_ids=[EMULATOR_ACCOUNT],
            enable_execute_command=True,
            allow_execute_command_in_prod=True,
        ),
        zones=(ZONE,),
    ),
    Failures(
        "backend_exec_in_prod",
        Harness(source="live/prod/backend", base=prod_vars(ZONE)),
        [
            BadInput(
                "exec-without-override",
                {"enable_execute_command": True},
                "enable_execute_command is refused in prod",
            )
        ],
        zones=(ZONE,),
    ),
    Failures(
        "backend_account_guard",
        Harness(source="live/dev/backend", base=dev_vars(ZONE)),
        [
            BadInput(
                "wrong-account",
                {"allowed_account_ids": [OTHER_ACCOUNT]},
                f"AWS account ID not allowed: {EMULATOR_ACCOUNT}",
            )
        ],
        zones=(ZONE,),
    ),
]


@pytest.fixture(scope="module")
def dev_plan(inventory):
    """Committed dev values plus the account guard (emulator's account) and ECS Exec on."""
    return inventory.plan("backend_readiness_dev")


@pytest.fixture(scope="module")
def prod_plan(inventory):
    return inventory.plan("backend_readiness_prod")


@pytest.fixture(scope="module")
def prod_override_plan(inventory):
    """Prod through an assumed role, with ECS Exec deliberately allowed."""
    return inventory.plan("backend_readiness_prod_override")


def alarm_thresholds(plan_output) -> dict[str, float]:
    return {
        a["alarm_name"]: a["threshold"]
        for a in resources_by_type(plan_output, "aws_cloudwatch_metric_alarm")
    }


def test_both_environments_get_seven_alarms_and_a_dashboard(dev_plan, prod_plan):
    for env, plan_output in (("dev", dev_plan), ("prod", prod_plan)):
        assert len(alarm_thresholds(plan_output)) == 7
        assert one(plan_output, "aws_cloudwatch_dashboard")["dashboard_name"] == (
            f"lms-{env}-backend"
        )
        assert one(plan_output, "aws_sns_topic")["name"] == f"lms-{env}-backend-alarms"


def test_thresholds_come_from_each_environments_tfvars(dev_plan, prod_plan):
    dev, prod = alarm_thresholds(dev_plan), alarm_thresholds(prod_plan)
    assert dev["lms-dev-backend-target-5xx-rate"] == 10
    assert prod["lms-prod-backend-target-5xx-rate"] == 2
    assert dev["lms-dev-backend-target-response-time"] == 2
    assert prod["lms-prod-backend-target-response-time"] == 1
    assert prod_plan.outputs["alarm_thresholds"]["target_5xx_rate"] == 2


def test_service_rolls_deployments_back_on_the_revision_is_bad_alarms(dev_plan, prod_plan):
    for env, plan_output in (("dev", dev_plan), ("prod", prod_plan)):
        (alarms,) = one(plan_output, "aws_ecs_service")["alarms"]
        assert sorted(alarms["alarm_names"]) == [
            f"lms-{env}-backend-elb-5xx-rate",
            f"lms-{env}-backend-target-5xx-rate",
            f"lms-{env}-backend-unhealthy-hosts",
        ]
        assert alarms["rollback"] is True


def test_dashboard_draws_the_autoscaling_target_the_service_scales_on(dev_plan):
    # The dashboard body waits for the load balancer's ARN suffix; its inputs are checked here
    # and the drawn line in test_service_monitoring_plan.py.
    calls = dev_plan.configuration["root_module"]["module_calls"]
    monitoring = calls["monitoring"]["expressions"]["request_count_target_value"]
    scaling = calls["autoscaling"]["expressions"]["request_count_target_value"]
    assert monitoring["references"] == scaling["references"] == ["var.request_count_target_value"]


def test_dev_keeps_waf_and_access_logs_off(dev_plan):
    assert resources_by_type(dev_plan, "aws_wafv2_web_acl") == []
    assert resources_by_type(dev_plan, "aws_s3_bucket") == []
    assert one(dev_plan, "aws_lb")["access_logs"] == []


def test_prod_turns_waf_and_access_logs_on(prod_plan):
    assert one(prod_plan, "aws_wafv2_web_acl")["name"] == "lms-prod-backend"
    assert one(prod_plan, "aws_wafv2_web_acl_association") is not None
    bucket = one(prod_plan, "aws_s3_bucket")
    assert bucket["bucket"] == f"lms-prod-backend-alb-logs-{EMULATOR_ACCOUNT}"
    assert bucket["force_destroy"] is False
    (logs,) = one(prod_plan, "aws_lb")["access_logs"]
    assert logs["bucket"] == bucket["bucket"]


def test_both_environments_send_hsts(dev_plan, prod_plan):
    for plan_output in (dev_plan, prod_plan):
        (https,) = [
            r for r in resources_by_type(plan_output, "aws_lb_listener") if r["port"] == 443
        ]
        assert https["routing_http_response_strict_transport_security_header_value"].startswith(
            "max-age=31536000"
        )


def test_exec_is_off_in_prod_and_on_when_dev_asks(dev_plan, prod_plan):
    assert one(prod_plan, "aws_ecs_service")["enable_execute_command"] is False
    assert one(dev_plan, "aws_ecs_service")["enable_execute_command"] is True
    names = {p["name"] for p in resources_by_type(dev_plan, "aws_iam_role_policy")}
    assert "ecs-exec" in names
    prod_names = {p["name"] for p in resources_by_type(prod_plan, "aws_iam_role_policy")}
    assert "ecs-exec" not in prod_names


def test_exec_in_prod_is_refused_without_the_override(inventory):
    error = inventory.error("backend_exec_in_prod", "exec-without-override")
    assert "enable_execute_command is refused in prod" in error, error
    assert "allow_execute_command_in_prod = true" in error


def test_exec_in_prod_with_the_override_plans_through_an_assumed_role(prod_override_plan):
    assert one(prod_override_plan, "aws_ecs_service")["enable_execute_command"] is True


def test_a_wrong_account_is_refused_before_anything_is_read(inventory):
    error = inventory.error("backend_account_guard", "wrong-account")
    assert f"AWS account ID not allowed: {EMULATOR_ACCOUNT}" in error, error
    # Refused at provider configuration: no data source was read, so none can be named.
    assert "data.aws_route53_zone" not in error
