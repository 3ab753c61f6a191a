"""Plan assertions for modules/autoscaling (examples/basic, on a copy).

Bad input: test_autoscaling_bad_input.py.
"""

from __future__ import annotations

import pytest
from inventory import Scenario
from plan_helpers import one, resources_by_type

EXAMPLE = "modules/autoscaling/examples/basic"
LB_SUFFIX = "app/lms-dev-backend/0123456789abcdef"
TG_SUFFIX = "targetgroup/lmsdev2026/fedcba9876543210"
BASE_VARS = {
    "cluster_name": "lms-dev-backend",
    "service_name": "lms-dev-backend",
    "load_balancer_arn_suffix": LB_SUFFIX,
    "target_group_arn_suffix": TG_SUFFIX,
}

# The module alone (the example fixes the CPU policy and the cooldowns): memory instead of CPU.
MEMORY_VARS = {
    **BASE_VARS,
    "min_capacity": 2,
    "max_capacity": 6,
    "memory_target_value": 75,
    "scale_in_cooldown": 120,
    "scale_out_cooldown": 30,
}

INVENTORY = [
    Scenario("autoscaling_default", EXAMPLE, BASE_VARS),
    Scenario("autoscaling_module_memory", "modules/autoscaling", MEMORY_VARS),
]


@pytest.fixture(scope="module")
def default_plan(inventory):
    return inventory.plan("autoscaling_default")


def policies_by_metric(plan_output) -> dict[str, dict]:
    found = {}
    for policy in resources_by_type(plan_output, "aws_appautoscaling_policy"):
        (config,) = policy["target_tracking_scaling_policy_configuration"]
        (metric,) = config["predefined_metric_specification"]
        found[metric["predefined_metric_type"]] = {**policy, "config": config, "metric": metric}
    return found


def test_scalable_target_is_the_service_desired_count(default_plan):
    target = one(default_plan, "aws_appautoscaling_target")
    assert target["service_namespace"] == "ecs"
    assert target["scalable_dimension"] == "ecs:service:DesiredCount"
    assert target["resource_id"] == "service/lms-dev-backend/lms-dev-backend"
    assert (target["min_capacity"], target["max_capacity"]) == (1, 4)


def test_request_count_policy_builds_its_resource_label_from_the_suffixes(default_plan):
    policy = policies_by_metric(default_plan)["ALBRequestCountPerTarget"]
    assert policy["policy_type"] == "TargetTrackingScaling"
    assert policy["metric"]["resource_label"] == f"{LB_SUFFIX}/{TG_SUFFIX}"
    assert policy["config"]["target_value"] == 500
    assert policy["config"]["scale_in_cooldown"] == 300
    assert policy["config"]["scale_out_cooldown"] == 60
    assert policy["config"]["disable_scale_in"] is False
    assert policy["resource_id"] == "service/lms-dev-backend/lms-dev-backend"
    assert default_plan.outputs["request_count_resource_label"] == (f"{LB_SUFFIX}/{TG_SUFFIX}")


def test_optional_cpu_policy_is_added_and_memory_policy_is_not(default_plan):
    policies = policies_by_metric(default_plan)
    assert set(policies) == {"ALBRequestCountPerTarget", "ECSServiceAverageCPUUtilization"}
    cpu = policies["ECSServiceAverageCPUUtilization"]
    assert cpu["config"]["target_value"] == 70
    assert cpu["config"]["disable_scale_in"] is False
    assert cpu["metric"]["resource_label"] in (None, "")
    assert cpu["name"] == "lms-dev-backend-lms-dev-backend-cpu"


def test_memory_policy_tracks_memory_with_its_own_target_and_the_cooldowns(inventory):
    planned = inventory.plan("autoscaling_module_memory")
    target = one(planned, "aws_appautoscaling_target")
    assert (target["min_capacity"], target["max_capacity"]) == (2, 6)
    policies = policies_by_metric(planned)
    assert set(policies) == {"ALBRequestCountPerTarget", "ECSServiceAverageMemoryUtilization"}
    memory = policies["ECSServiceAverageMemoryUtilization"]
    assert memory["config"]["target_value"] == 75
    assert memory["metric"]["resource_label"] in (None, "")
    assert memory["name"] == "lms-dev-backend-lms-dev-backend-memory"
    requests = policies["ALBRequestCountPerTarget"]
    assert requests["config"]["target_value"] == 1000  # the module's default
    for policy in policies.values():
        config = policy["config"]
        assert (config["scale_in_cooldown"], config["scale_out_cooldown"]) == (120, 30)
        assert config["disable_scale_in"] is False
        assert policy["scalable_dimension"] == "ecs:service:DesiredCount"
