"""ECS look-ups the deploy needs, with AWS errors turned into messages a user can act on."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import boto3
from botocore.exceptions import (
    ClientError,
    EndpointConnectionError,
    NoCredentialsError,
    NoRegionError,
    PartialCredentialsError,
    ProfileNotFound,
)

from lmsops.annotations import Client
from lmsops.errors import UserError

REGISTER_OPERATION = "RegisterTaskDefinition"


def make_client():
    return make_session().client("ecs")


def make_session():
    # A fresh session reads the environment now (boto3's default session caches it).
    try:
        session = boto3.session.Session()
        session.client("ecs")  # raises now when no region or profile is usable
        return session
    except NoRegionError as exc:
        raise UserError("no AWS region configured: set AWS_REGION or AWS_DEFAULT_REGION") from exc
    except ProfileNotFound as exc:
        raise UserError(f"{exc}; check AWS_PROFILE and your AWS config files") from exc


@contextmanager
def aws_errors() -> Iterator[None]:
    """Report missing credentials, no endpoint and refused calls as UserError."""
    try:
        yield
    except (NoCredentialsError, PartialCredentialsError) as exc:
        raise UserError(
            f"no usable AWS credentials ({exc}); set AWS_PROFILE or AWS_ACCESS_KEY_ID/"
            "AWS_SECRET_ACCESS_KEY, or assume a role (CI: aws-actions/configure-aws-credentials)"
        ) from exc
    except EndpointConnectionError as exc:
        raise UserError(f"cannot reach the ECS endpoint: {exc}") from exc
    except ClientError as exc:
        error = exc.response.get("Error", {})
        raise UserError(
            f"AWS refused {exc.operation_name}: {error.get('Code')}: {error.get('Message')}"
        ) from exc


def register_fields(client: Client) -> tuple[str, ...]:
    """Members of RegisterTaskDefinition's input shape: the fields a revision may carry over."""
    shape = client.meta.service_model.operation_model(REGISTER_OPERATION).input_shape
    return tuple(shape.members)


def describe_service(client: Client, cluster: str, service: str) -> dict:
    try:
        response = client.describe_services(cluster=cluster, services=[service])
    except ClientError as exc:
        if _code(exc) == "ClusterNotFoundException":
            raise UserError(f"ECS cluster {cluster!r} not found") from exc
        raise
    found = [s for s in response.get("services", []) if s.get("status") != "INACTIVE"]
    if not found:
        raise UserError(f"ECS service {service!r} not found in cluster {cluster!r}")
    return found[0]


def describe_task_definition(client: Client, reference: str) -> tuple[dict, list[dict]]:
    """The task definition REFERENCE (family = latest ACTIVE revision) and its tags."""
    try:
        response = client.describe_task_definition(taskDefinition=reference, include=["TAGS"])
    except ClientError as exc:
        if _code(exc) in ("ClientException", "InvalidParameterException"):
            raise UserError(
                f"task definition {reference!r} not found "
                f"({exc.response.get('Error', {}).get('Message')})"
            ) from exc
        raise
    return response["taskDefinition"], response.get("tags") or []


def family_of(task_definition_arn: str) -> str:
    """'arn:...:task-definition/lms-dev:7' -> 'lms-dev'."""
    return task_definition_arn.rsplit("/", 1)[-1].split(":", 1)[0]


def revision_of(task_definition_arn: str) -> int:
    return int(task_definition_arn.rsplit(":", 1)[-1])


def active_revisions(client: Client, family: str) -> list[str]:
    """ARNs of the family's ACTIVE revisions, newest first."""
    arns: list[str] = []
    paginator = client.get_paginator("list_task_definitions")
    for page in paginator.paginate(familyPrefix=family, status="ACTIVE"):
        arns.extend(a for a in page.get("taskDefinitionArns", []) if family_of(a) == family)
    return sorted(arns, key=revision_of, reverse=True)


def _code(exc: ClientError) -> str:
    return exc.response.get("Error", {}).get("Code", "")
