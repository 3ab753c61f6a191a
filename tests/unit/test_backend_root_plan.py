"""Plan assertions for live/dev/backend and live/prod/backend (on a copy, local state).

The roots look their hosted zone up by name. To stay clear of the zone bootstrap/
creates (an integration test may create `acme-lms.com` in the same emulator), the
plans use a zone of their own, passed as zone_name/domain_name; every other value
comes from the committed terraform.tfvars.
"""

from __future__ import annotations

import pytest
from inventory import Scenario
from plan_helpers import moved_blocks, one, resources_by_type

ZONE = "backend-root-plan.example"

INVENTORY = [
    Scenario(
        "backend_root_dev",
        "live/dev/backend",
        {"zone_name": ZONE, "domain_name": f"api.dev.{ZONE}"},
        zones=(ZONE,),
    ),
    Scenario(
        "backend_root_prod",
        "live/prod/backend",
        {"zone_name": ZONE, "domain_name": f"api.{ZONE}"},
        zones=(ZONE,),
    ),
]


@pytest.fixture(scope="module")
def dev_plan(inventory):
    return inventory.plan("backend_root_dev")


@pytest.fixture(scope="module")
def prod_plan(inventory):
    return inventory.plan("backend_root_prod")


def default_subnets(inventory) -> list[dict]:
    """The default VPC's default subnets of the emulator the inventory planned against."""
    return inventory.facts["default_subnets"]


def worst_case_rolling_deploy(plan_output) -> int:
    (check,) = one(plan_output, "aws_lb_target_group")["health_check"]
    drain = int(one(plan_output, "aws_lb_target_group")["deregistration_delay"])
    grace = one(plan_output, "aws_ecs_service")["health_check_grace_period_seconds"]
    return check["interval"] * check["healthy_threshold"] + drain + grace


def test_dev_rolling_deploy_worst_case_stays_under_90_seconds(dev_plan):
    seconds = worst_case_rolling_deploy(dev_plan)
    assert seconds < 90
    assert dev_plan.outputs["rolling_deploy_worst_case_seconds"] == seconds == 80


def test_prod_rolling_deploy_worst_case_stays_under_120_seconds(prod_plan):
    seconds = worst_case_rolling_deploy(prod_plan)
    assert seconds < 120
    assert prod_plan.outputs["rolling_deploy_worst_case_seconds"] == seconds == 105


def test_tasks_and_load_balancer_use_two_default_subnets_in_distinct_zones(dev_plan, inventory):
    subnets = {s["SubnetId"]: s["AvailabilityZone"] for s in default_subnets(inventory)}
    expected = sorted(subnets)[:2]
    service = one(dev_plan, "aws_ecs_service")
    assert sorted(service["network_configuration"][0]["subnets"]) == expected
    assert service["network_configuration"][0]["assign_public_ip"] is True
    assert sorted(one(dev_plan, "aws_lb")["subnets"]) == expected
    assert len({subnets[s] for s in expected}) == 2


def test_dev_composes_the_three_modules_with_dev_settings(dev_plan):
    assert one(dev_plan, "aws_lb")["enable_deletion_protection"] is False
    assert one(dev_plan, "aws_ecr_repository")["force_delete"] is True
    logs = one(dev_plan, "aws_cloudwatch_log_group")
    assert (logs["name"], logs["retention_in_days"]) == ("/ecs/dev/lms-dev-backend", 14)
    target = one(dev_plan, "aws_appautoscaling_target")
    assert (target["min_capacity"], target["max_capacity"]) == (1, 3)
    assert target["resource_id"] == "service/lms-dev-backend/lms-dev-backend"
    assert one(dev_plan, "aws_ecs_service")["desired_count"] == 1
    assert one(dev_plan, "aws_acm_certificate")["domain_name"] == f"api.dev.{ZONE}"
    assert dev_plan.outputs["backend_url"] == f"https://api.dev.{ZONE}"
    names = {key: dev_plan.outputs[key] for key in ("cluster_name", "service_name")}
    assert names == {"cluster_name": "lms-dev-backend", "service_name": "lms-dev-backend"}
    assert dev_plan.outputs["container_name"] == "app"
    assert dev_plan.outputs["task_definition_family"] == "lms-dev-backend"


@pytest.mark.parametrize("env", ["dev", "prod"])
def test_cluster_is_its_own_module_and_old_states_move_to_it(env, dev_plan, prod_plan, repo_copy):
    """The cluster left ecs-service; the root's moved block keeps existing clusters."""
    planned = {"dev": dev_plan, "prod": prod_plan}[env]
    clusters = [a for a, c in planned.resource_changes.items() if c["type"] == "aws_ecs_cluster"]
    assert clusters == ["module.cluster.aws_ecs_cluster.this"]
    assert one(planned, "aws_ecs_cluster")["name"] == f"lms-{env}-backend"
    # The roots pass no container_insights: this is the module's default.
    assert one(planned, "aws_ecs_cluster")["setting"] == [
        {"name": "containerInsights", "value": "enabled"}
    ]
    assert moved_blocks(repo_copy / f"live/{env}/backend") == {
        ("module.service.aws_ecs_cluster.this", "module.cluster.aws_ecs_cluster.this")
    }


def test_prod_protects_the_load_balancer_and_runs_more_tasks_longer_logs(prod_plan, dev_plan):
    assert one(prod_plan, "aws_lb")["enable_deletion_protection"] is True
    assert one(prod_plan, "aws_ecr_repository")["force_delete"] is False
    logs = one(prod_plan, "aws_cloudwatch_log_group")
    assert (logs["name"], logs["retention_in_days"]) == ("/ecs/prod/lms-prod-backend", 365)
    prod_target = one(prod_plan, "aws_appautoscaling_target")
    dev_target = one(dev_plan, "aws_appautoscaling_target")
    assert prod_target["min_capacity"] > dev_target["min_capacity"]
    assert prod_target["max_capacity"] > dev_target["max_capacity"]
    assert one(prod_plan, "aws_ecs_service")["desired_count"] == prod_target["min_capacity"]
    task = one(prod_plan, "aws_ecs_task_definition")
    assert (task["cpu"], task["memory"]) == ("512", "1024")
    metrics = {
        p["target_tracking_scaling_policy_configuration"][0]["predefined_metric_specification"][0][
            "predefined_metric_type"
        ]
        for p in resources_by_type(prod_plan, "aws_appautoscaling_policy")
    }
    assert metrics == {"ALBRequestCountPerTarget", "ECSServiceAverageCPUUtilization"}
    assert prod_plan.outputs["backend_url"] == f"https://api.{ZONE}"


@pytest.mark.parametrize(("env", "requests"), [("dev", 500), ("prod", 1000)])
def test_images_stay_immutable_and_scaling_follows_the_committed_values(
    env, requests, dev_plan, prod_plan
):
    planned = {"dev": dev_plan, "prod": prod_plan}[env]
    assert one(planned, "aws_ecr_repository")["image_tag_mutability"] == "IMMUTABLE"
    policies = {
        p["name"].rsplit("-", 1)[1]: p["target_tracking_scaling_policy_configuration"][0]
        for p in resources_by_type(planned, "aws_appautoscaling_policy")
    }
    assert policies["requests"]["target_value"] == requests
    for config in policies.values():
        assert (config["scale_in_cooldown"], config["scale_out_cooldown"]) == (300, 60)
    expected = {"Project": "lms", "Environment": env, "ManagedBy": "terraform"}
    assert one(planned, "aws_lb")["tags_all"] == {**expected, "Component": "backend"}
    assert one(planned, "aws_ecs_service")["tags_all"] == {**expected, "Component": "backend"}
