"""Plan assertions for modules/ecs-cluster (its examples/basic root, on a copy)."""

from __future__ import annotations

import pytest
from inventory import Scenario
from plan_helpers import one

EXAMPLE = "modules/ecs-cluster/examples/basic"
INVENTORY = [
    Scenario("ecs_cluster_default", EXAMPLE),
    Scenario("ecs_cluster_enhanced", EXAMPLE, {"container_insights": "enhanced"}),
    # The module alone, given only a name: what its defaults make of a cluster (the example
    # passes container_insights, which checkov needs to see).
    Scenario("ecs_cluster_module_defaults", "modules/ecs-cluster", {"name": "lms-defaults"}),
]


@pytest.fixture(scope="module")
def default_plan(inventory):
    return inventory.plan("ecs_cluster_default")


def test_cluster_is_named_and_has_container_insights(default_plan):
    cluster = one(default_plan, "aws_ecs_cluster")
    assert cluster["name"] == "lms-example-backend"
    assert cluster["setting"] == [{"name": "containerInsights", "value": "enabled"}]
    assert cluster["tags"] == {"Component": "backend"}


def test_cluster_is_the_only_resource(default_plan):
    """Services, capacity and logs stay with the services that share the cluster."""
    addresses = [a for a in default_plan.resource_changes if not a.startswith("data.")]
    assert addresses == ["module.cluster.aws_ecs_cluster.this"]
    assert default_plan.outputs["cluster_name"] == "lms-example-backend"


def test_container_insights_is_on_unless_the_caller_says_otherwise(inventory):
    cluster = one(inventory.plan("ecs_cluster_module_defaults"), "aws_ecs_cluster")
    assert cluster["name"] == "lms-defaults"
    assert cluster["setting"] == [{"name": "containerInsights", "value": "enabled"}]
    assert cluster["tags"] in (None, {})


def test_container_insights_follows_its_input(inventory):
    cluster = one(inventory.plan("ecs_cluster_enhanced"), "aws_ecs_cluster")
    assert cluster["setting"] == [{"name": "containerInsights", "value": "enhanced"}]
