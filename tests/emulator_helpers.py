"""Helpers of the emulator gap-fill tests (tests/unit/emulator_gaps), on boto3 clients
pointed at the session emulator.
"""

from __future__ import annotations

import contextlib
import json
import uuid

import boto3


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


ACCOUNT_REGISTRY = "123456789012.dkr.ecr.us-east-1.amazonaws.com"


def push_image(repository: str, tag: str) -> str:
    """Put an image into the emulator's ECR (creating the repository); its digest."""
    ecr = boto3.client("ecr")
    with contextlib.suppress(ecr.exceptions.RepositoryAlreadyExistsException):
        ecr.create_repository(repositoryName=repository)
    manifest = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "config": {"digest": f"sha256:{uuid.uuid4().hex * 2}", "size": 100},
        "layers": [{"digest": f"sha256:{uuid.uuid4().hex * 2}", "size": 1000}],
    }
    image = ecr.put_image(
        repositoryName=repository, imageManifest=json.dumps(manifest), imageTag=tag
    )["image"]
    return image["imageId"]["imageDigest"]


def update_to(ecs, cluster: str, family: str, **container) -> tuple[str, str]:
    """Register a revision with CONTAINER's settings, update the service; (arn, deployment)."""
    arn = ecs.register_task_definition(
        family=family, containerDefinitions=[{"name": "app", "memory": 128, **container}]
    )["taskDefinition"]["taskDefinitionArn"]
    service = ecs.update_service(cluster=cluster, service="api", taskDefinition=arn)["service"]
    return arn, service["deployments"][0]["id"]


def describe(ecs, cluster: str) -> dict:
    return ecs.describe_services(cluster=cluster, services=["api"])["services"][0]
