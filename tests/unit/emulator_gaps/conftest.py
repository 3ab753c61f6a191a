"""Fixtures of the emulator gap-fill tests: ECS services on the session emulator."""

from __future__ import annotations

import boto3
import pytest
from emulator_helpers import ACCOUNT_REGISTRY, push_image, unique


@pytest.fixture
def ecs_service(emulator):
    """A cluster with a task definition; yields (client, cluster name, family)."""
    ecs = boto3.client("ecs")
    cluster = unique("cluster")
    ecs.create_cluster(clusterName=cluster)
    family = unique("family")
    ecs.register_task_definition(
        family=family, containerDefinitions=[{"name": "app", "image": "app:1", "memory": 128}]
    )
    return ecs, cluster, family


@pytest.fixture
def breaker_service(emulator):
    """A service (desired 1, circuit breaker with rollback) running a pushed ECR image.

    Returns (client, cluster, family, deployment id of the running revision, repository).
    """
    ecs = boto3.client("ecs")
    cluster = unique("cluster")
    ecs.create_cluster(clusterName=cluster)
    family = unique("family")
    repository = unique("repo")
    push_image(repository, "good")
    ecs.register_task_definition(
        family=family,
        containerDefinitions=[
            {"name": "app", "image": f"{ACCOUNT_REGISTRY}/{repository}:good", "memory": 128}
        ],
    )
    ecs.create_service(
        cluster=cluster,
        serviceName="api",
        taskDefinition=family,
        desiredCount=1,
        deploymentConfiguration={
            "deploymentCircuitBreaker": {"enable": True, "rollback": True},
            "maximumPercent": 200,
            "minimumHealthyPercent": 100,
        },
    )
    first = ecs.describe_services(cluster=cluster, services=["api"])["services"][0]
    return ecs, cluster, family, first["deployments"][0]["id"], repository
