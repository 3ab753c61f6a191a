"""modules/ecs-service: deployment alarms with rollback, and the ECS Exec toggle."""

from __future__ import annotations

import json

import pytest
from inventory import Failures, Scenario
from plan_helpers import BadInput, Harness, one, resources_by_type

EXAMPLE = "modules/ecs-service/examples/basic"
BASE_VARS = {
    "vpc_id": "vpc-0123456789abcdef0",
    "subnet_ids": ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"],
    "load_balancer_security_group_id": "sg-0123456789abcdef0",
    "target_group_arn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/lms/0a1b",
    "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/lms-example-backend:v1",
}
ALARMS = ["lms-example-backend-target-5xx-rate", "lms-example-backend-elb-5xx-rate"]
ON = {
    "deployment_alarms_enabled": True,
    "deployment_alarm_names": ALARMS,
    "enable_execute_command": True,
}
NO_NAMES = "deployment_alarm_names must name at least one alarm"
MODULE_VARS = {
    **BASE_VARS,
    "name": "lms-example-backend",
    "environment": "example",
    "cluster_arn": "arn:aws:ecs:us-east-1:123456789012:cluster/lms-example-backend",
}

INVENTORY = [
    Scenario("ecs_service_alarms_exec_off", EXAMPLE, BASE_VARS),
    Scenario("ecs_service_alarms_exec_on", EXAMPLE, {**BASE_VARS, **ON}),
    # The module itself, not the example: the failures root files an error under the
    # instance whose copy of the code raised it, and a module the first instance calls is
    # not copied (Terraform resolves it in the package), so with this file alone
    # (LMSOPS_INVENTORY=collected) the example's precondition error belonged to no case.
    Failures(
        "ecs_service_alarms",
        Harness(source="modules/ecs-service", base=MODULE_VARS),
        [BadInput("alarms-without-names", {"deployment_alarms_enabled": True}, NO_NAMES)],
    ),
]


@pytest.fixture(scope="module")
def off_plan(inventory):
    return inventory.plan("ecs_service_alarms_exec_off")


@pytest.fixture(scope="module")
def on_plan(inventory):
    return inventory.plan("ecs_service_alarms_exec_on")


def role_policies(plan_output) -> dict[str, dict | None]:
    """Inline role policies by name; None where the document is only known after apply."""
    return {
        p["name"]: json.loads(p["policy"]) if "policy" in p else None
        for p in resources_by_type(plan_output, "aws_iam_role_policy")
    }


def test_off_no_alarms_block_no_exec_no_channel_permissions(off_plan):
    service = one(off_plan, "aws_ecs_service")
    assert service["alarms"] == []
    assert service["enable_execute_command"] is False
    assert set(role_policies(off_plan)) == {"task-execution"}
    assert off_plan.outputs.get("deployment_alarm_names", []) == []


def test_on_rolls_deployments_back_on_the_named_alarms(on_plan):
    (alarms,) = one(on_plan, "aws_ecs_service")["alarms"]
    assert sorted(alarms["alarm_names"]) == sorted(ALARMS)
    assert (alarms["enable"], alarms["rollback"]) == (True, True)
    (breaker,) = one(on_plan, "aws_ecs_service")["deployment_circuit_breaker"]
    assert breaker == {"enable": True, "rollback": True}


def test_exec_on_grants_the_task_role_exactly_the_ssm_channel_actions(on_plan):
    assert one(on_plan, "aws_ecs_service")["enable_execute_command"] is True
    policies = role_policies(on_plan)
    (statement,) = policies["ecs-exec"]["Statement"]
    assert sorted(statement["Action"]) == [
        "ssmmessages:CreateControlChannel",
        "ssmmessages:CreateDataChannel",
        "ssmmessages:OpenControlChannel",
        "ssmmessages:OpenDataChannel",
    ]
    # On the task role (what the application's SSM agent runs as), not the execution role.
    config = on_plan.configuration["root_module"]["module_calls"]["ecs_service"]["module"]
    exec_policy = next(
        r for r in config["resources"] if r["address"] == "aws_iam_role_policy.execute_command"
    )
    assert "aws_iam_role.task.id" in exec_policy["expressions"]["role"]["references"]


def test_alarms_on_without_names_is_refused(inventory):
    error = inventory.error("ecs_service_alarms", "alarms-without-names")
    assert "deployment_alarm_names must name at least one alarm" in error, error
